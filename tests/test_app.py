"""The app through Streamlit's AppTest: every page with the sample and with an uploaded corpus
report, bad uploads, and a report that holds nothing. No exception, the right numbers."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import FIXTURES, PUTUO_PDF, ROOT, SAMPLE_PDF
from streamlit.testing.v1 import AppTest

from core.records import Report

PAGES = [
    "overview",
    "balance",
    "classification",
    "personnel",
    "three_public",
    "performance",
    "budget",
    "checks",
    "raw",
    "source",
]
TIMEOUT = 180


def open_app(upload: Path | None = None) -> AppTest:
    """The app after its first run (the sample loaded), and after uploading ``upload``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if upload is not None:
        at.file_uploader(key="pdf").upload(upload.name, upload.read_bytes(), "application/pdf")
        at.run()
    return at


def visit(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    # the page ran inside app.py: the sidebar with its uploader and switcher is there
    assert at.file_uploader(key="pdf") and at.selectbox(key="juesuan_current")
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at: AppTest) -> str:
    """Every message, markdown, caption and st.html text (the lead sentence, 总览's bars) on
    the page, joined."""
    parts = [e.value for e in (*at.info, *at.success, *at.warning, *at.markdown, *at.caption)]
    parts += [html_text(e.value) for e in at.get("html")]
    return "\n".join(str(p) for p in parts)


def html_text(body: str) -> str:
    """The text an st.html body shows: no style rules, no tags, entities read."""
    body = re.sub(r"<style>.*?</style>", "", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body)).strip()


def first_column_values(at: AppTest, column: str) -> list[object]:
    for frame in at.dataframe:
        if column in frame.value.columns:
            return list(frame.value[column])
    raise AssertionError(f"no table with a {column!r} column")


def chart_buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.download_button]


# -- expectations per page, for the sample and for putuo ----------------------------------------


def sample_expect(page: str, at: AppTest) -> None:
    shown = metrics(at)
    if page == "overview":
        assert at.title[0].value == "福建省12345政务服务便民热线中心"
        assert shown["收入总计"] == "319.08 万元"
        assert shown["本年收入"] == "243.54 万元"
        assert shown["本年支出"] == "211.09 万元"
        assert shown["年末结转和结余"] == "107.98 万元"
        assert shown["人员经费占基本支出"] == "93.49%"
        assert shown["绩效自评得分"] == "96.62 分 · 优"
        assert shown["核验发现的问题"] == "0 个"
        # 本年收入 before 收入总计 (which adds last year's carry-over)
        labels = [m.label for m in at.metric]
        assert labels.index("本年收入") < labels.index("收入总计")
        # 三公 unchanged on last year reads 持平, not "↑ 0.00"
        assert next(m for m in at.metric if m.label == "三公经费").delta == "持平"
        assert "本年收入 243.54 万元，本年支出 211.09 万元，收入比支出多 32.45 万元" in texts(at)
        # the one chart: bars in plain HTML (a new tab need not wait for plotly.js)
        assert "收入、支出与结转" in texts(at) and "107.98 万元" in texts(at)
        assert not at.get("plotly_chart")
        assert next(m for m in at.metric if m.label == "收入总计").delta == "+15.55%"
        assert "比上年增加 42.94 万元，增长 15.55%（第 17 页）" in texts(at)
        assert "没有发现问题" in texts(at)
        assert "见 PDF 第 5 页" in texts(at)
    elif page == "balance":
        assert chart_buttons(at).count("下载 PNG") == 3
        assert chart_buttons(at).count("下载 SVG") == 3
    elif page == "classification":
        # the branch list under the map: the 类, largest first
        assert first_column_values(at, "科目")[0] == "201 一般公共服务支出"
        assert first_column_values(at, "级次")[0] == "类"
        # every 项, largest first, folded below
        assert first_column_values(at, "项目支出")[0] == Decimal("0.00")
    elif page == "personnel":
        assert first_column_values(at, "金额") == [Decimal("197.34"), Decimal("13.75")]
        assert chart_buttons(at).count("下载 PNG") == 2
    elif page == "three_public":
        assert "没有“三公”经费支出" in texts(at)
        assert shown["公务用车保有量"] == "0 辆"
    elif page == "performance":
        assert shown["预算执行率（资金总额）"] == "66.16%"
        assert "受理群众诉求量" in first_column_values(at, "三级指标")
        assert chart_buttons(at).count("下载 PNG") == 3
    elif page == "budget":
        assert "没有列出各项目的年初预算数或全年预算数" in texts(at)
        assert Decimal("-0.17") in first_column_values(at, "较上年")
        # 较上年增减 is not shown as if it were budget execution: the scorecard's funds are
        heads = [h.value for h in at.subheader]
        assert heads == ["预算资金执行（绩效自评表）", "另：各项目决算数与上年相比"]
        # one percent column, one format: floats take the column's two decimals (no -11.8
        # beside 99.94 as Decimals with their own exponents)
        assert all(isinstance(v, float) for v in first_column_values(at, "增幅") if v == v)
        assert all(isinstance(v, float) for v in first_column_values(at, "执行率"))
    elif page == "checks":
        said = texts(at)
        assert "没有发现问题" in said
        assert "少 0.01 万元，属于四舍五入尾差" in said
        assert not [e for e in at.exception]
    elif page == "raw":
        assert first_column_values(at, "决算数")[0] == Decimal("243.54")
        assert len(at.download_button) == 3
    elif page == "source":
        # opens on the first page a number was read from: 公开01 on page 5, 42 amounts (golden)
        assert at.number_input[0].value == 5
        assert "本页读出 42 个数字" in texts(at)


def putuo_expect(page: str, at: AppTest) -> None:
    shown = metrics(at)
    if page == "overview":
        assert at.title[0].value == "中共上海市普陀区委社会工作部"
        assert shown["收入总计"] == "307.82 万元"
        assert shown["本年支出"] == "307.82 万元"
        assert shown["年末结转和结余"] == "0.00 万元"
        assert shown["人员经费占基本支出"] == "90.32%"
        assert shown["三公经费"] == "0.00 万元"
    elif page == "balance":
        assert chart_buttons(at).count("下载 PNG") == 3
    elif page == "classification":
        assert first_column_values(at, "金额")[0] == Decimal("264.87")
        assert first_column_values(at, "项目支出")[0] == Decimal("202.24")
    elif page == "personnel":
        assert first_column_values(at, "金额") == [Decimal("95.36"), Decimal("10.23")]
    elif page == "three_public":
        assert "没有“三公”经费支出" in texts(at)
        assert "本表无数据" in texts(at)
    elif page == "performance":
        assert "没有附绩效自评表" in texts(at)
        assert "175.52" in texts(at)
    elif page == "budget":
        assert first_column_values(at, "全年预算数")[0] == Decimal("52.00")
        assert shown["全年预算数"] == "321.02 万元"
        # putuo states no 项's 年初预算: said so, not an empty column of dashes
        assert "没有列出各项目的年初预算数" in texts(at)
        table = at.dataframe[0].value
        assert "年初预算数" not in table.columns and "年初完成率" not in table.columns
        assert chart_buttons(at).count("下载 PNG") == 1
    elif page == "checks":
        assert "没有发现问题" in texts(at)
        assert "公开05 的基本支出是 105.58 万元" in texts(at)
    elif page == "raw":
        assert first_column_values(at, "决算数")[0] == Decimal("307.82")
    elif page == "source":
        # the golden file (transcribed by hand): 公开01 on page 5 holds 9 amounts
        assert at.number_input[0].value == 5
        assert "本页读出 9 个数字" in texts(at)


EXPECT: dict[str, tuple[Path | None, Callable[[str, AppTest], None]]] = {
    "sample": (None, sample_expect),
    "putuo": (PUTUO_PDF, putuo_expect),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("which", ["sample", "putuo"])
def test_every_page(which: str, page: str) -> None:
    upload, expect = EXPECT[which]
    assert upload is None or upload.is_file(), f"corpus report not found: {upload}"
    at = visit(open_app(upload), page)
    expect(page, at)


# -- the sidebar --------------------------------------------------------------------------------


def test_sample_is_loaded_at_start() -> None:
    at = open_app()
    switcher = at.selectbox(key="juesuan_current")
    assert switcher.options == ["2024 年单位决算 · 福建省12345政务服务便民热线中心"]
    assert "fujian-12345-2024-danwei-juesuan.pdf" in " ".join(c.value for c in at.sidebar.caption)


def test_upload_switches_and_keeps_the_sample() -> None:
    assert PUTUO_PDF.is_file(), "corpus report not found"
    at = open_app(PUTUO_PDF)
    switcher = at.selectbox(key="juesuan_current")
    assert len(switcher.options) == 2
    assert switcher.value == at.session_state["juesuan_current"]
    assert metrics(at)["收入总计"] == "307.82 万元"
    # switch back to the sample
    sample_sha = next(
        k for k, r in at.session_state["juesuan_reports"].items() if r.year and "福建" in r.unit
    )
    switcher.set_value(sample_sha).run()
    assert metrics(at)["收入总计"] == "319.08 万元"
    # the same file again is not parsed twice nor listed twice
    at.file_uploader(key="pdf").clear().upload(PUTUO_PDF.name, PUTUO_PDF.read_bytes()).run()
    assert len(at.selectbox(key="juesuan_current").options) == 2


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("notes.pdf", b"hello, this is not a PDF at all", "不是 PDF"),
        ("truncated.pdf", SAMPLE_PDF.read_bytes()[:3000], "PDF"),
    ],
)
def test_bad_upload_shows_the_message_and_keeps_reports(name: str, data: bytes, words: str) -> None:
    at = open_app(PUTUO_PDF if PUTUO_PDF.is_file() else None)
    before = list(at.selectbox(key="juesuan_current").options)
    at.file_uploader(key="pdf").clear().upload(name, data, "application/pdf").run()
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert f"无法读取 {name}" in message and words in message
    assert any(c.isascii() and c.isalpha() for c in message.split("\n\n")[-1])  # the English line
    assert at.selectbox(key="juesuan_current").options == before
    assert metrics(at)  # the page still shows the report loaded before
    # the message stays on other pages while the bad file is in the uploader
    visit_errors = at.switch_page("views/balance.py").run().error
    assert len(visit_errors) == 1


def test_encrypted_upload_is_named_plainly() -> None:
    encrypted = FIXTURES / "error-encrypted.pdf"
    assert encrypted.is_file(), "no encrypted fixture"
    at = open_app()
    at.file_uploader(key="pdf").upload("locked.pdf", encrypted.read_bytes(), "application/pdf")
    at.run()
    assert "加密" in at.error[0].value
    assert len(at.selectbox(key="juesuan_current").options) == 1


def test_an_unexpected_parser_failure_shows_no_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import core.jobs

    def broken(data: bytes, file_name: str = "", **kwargs: object) -> Report:
        raise ZeroDivisionError("a bug")

    at = open_app()
    # the app parses through core.jobs (in a worker process); a bug there must not show either
    monkeypatch.setattr(core.jobs, "parse", broken)
    at.file_uploader(key="pdf").upload("bug.pdf", b"%PDF-1.4 unique bytes 81723", "application/pdf")
    at.run()
    assert not at.exception
    assert "出了意外的问题" in at.error[0].value
    assert "ZeroDivisionError" not in at.error[0].value  # no exception names on screen
    assert len(at.selectbox(key="juesuan_current").options) == 1


def test_without_a_browser_the_image_buttons_say_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.present import export

    monkeypatch.setattr(export, "find_browser", lambda: None)
    at = visit(open_app(), "balance")
    assert not at.download_button  # no button that would fail on click
    labels = [b.label for b in at.button]
    assert labels.count("PNG 无法生成") == 3 and labels.count("SVG 无法生成") == 3
    assert all(b.disabled for b in at.button if "无法生成" in b.label)
    assert "没有可用的 Chromium 浏览器" in texts(at)


def test_a_page_that_fails_shows_no_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.present import frames

    def broken(report: Report) -> list[object]:
        raise KeyError("a bug")

    monkeypatch.setattr(frames, "find_kpis", broken)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    assert "这一页没能显示出来" in at.error[0].value
    assert "KeyError" not in at.error[0].value  # no exception names on screen
    assert at.file_uploader(key="pdf")  # the sidebar is still there


# -- a report with nothing in it ----------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_friendly_about_an_empty_report(page: str, sample_report: Report) -> None:
    nothing = replace(
        sample_report, tables=(), facts=(), narrative=(), performance=(), checks=(), sha256="0"
    )
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["juesuan_reports"] = {"0": nothing}
    at.session_state["juesuan_current"] = "0"
    at.run()
    visit(at, page)
    assert at.info or at.success or at.warning or at.metric, "a page with nothing should say so"
    assert not at.download_button or page == "raw"


# -- plain Chinese errors -----------------------------------------------------------------------


def test_error_messages_show_no_bytes_and_no_exception_names() -> None:
    from core.errors import CorruptPdfError, NotJuesuanError, NotPdfError
    from core.ui import plain_message

    not_pdf = NotPdfError("这不是 PDF 文件（文件开头为 b'This is plai'）", "not a PDF")
    corrupt = CorruptPdfError("PDF 文件已损坏，无法完整读取（PSEOF: Unexpected EOF）", "damaged")
    other = NotJuesuanError("没有找到任何决算公开表；首页为：'西南大学2023年度部门决算'", "x")
    for exc in (not_pdf, corrupt, other):
        said = plain_message(exc)
        assert "b'" not in said and "PSEOF" not in said and "EOF" not in said
        assert not any(ch.isascii() and ch.isalpha() for ch in said.replace("PDF", "")), said
    assert plain_message(other).endswith("首页为：“西南大学2023年度部门决算”")


# -- a file read through a repair ---------------------------------------------------------------


def test_a_repaired_file_is_said_as_a_note_not_a_problem() -> None:
    import io

    import pikepdf

    from core.accounts.parse import parse_report_bytes

    buf = io.BytesIO()
    pikepdf.open(SAMPLE_PDF).save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    data = buf.getvalue()
    header = data.index(b"\n") + 1  # every offset of the table shifted: the table is rebuilt
    report = parse_report_bytes(data[:header] + b"%edited\n" + data[header:], "repaired.pdf")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["juesuan_reports"] = {report.sha256: report}
    at.session_state["juesuan_current"] = report.sha256
    at.run()
    visit(at, "overview")
    assert "交叉引用表有误" in texts(at)  # said on the overview
    assert "没有发现问题" in texts(at)  # and not counted as one
    visit(at, "checks")
    assert any("交叉引用表有误" in str(i.value) for i in at.info)
    assert "没有发现问题" in texts(at) and "问题（" not in texts(at)


# -- the first screen first ---------------------------------------------------------------------


def test_the_page_comes_before_the_switcher(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new tab receives 总览's figures before the sidebar: its first run pauses after the
    KPI cards (ui.above_the_fold: the browser draws them meanwhile), then draws the rest of
    the page, then the upload box, switcher and briefing buttons, the upload box still at the
    sidebar's top (an upload, read before the page, decides what the page shows). Later runs
    do not pause."""
    import types

    import streamlit as st

    from core import ui

    calls: list[str] = []
    for owner, name in (
        (ui, "sidebar"),
        (ui, "kpi_cards"),
        (ui, "sidebar_rest"),
        (st, "file_uploader"),
        (st, "expander"),
    ):
        real = getattr(owner, name)

        def spy(
            *args: object, _real: Callable[..., object] = real, _name: str = name, **kw: object
        ) -> object:
            calls.append(_name)
            return _real(*args, **kw)

        monkeypatch.setattr(owner, name, spy)
    monkeypatch.setattr(ui, "time", types.SimpleNamespace(sleep=lambda s: calls.append(f"{s}")))
    monkeypatch.delenv(ui.REST_PAUSE_ENV, raising=False)
    at = open_app()
    whole = ["sidebar", "kpi_cards", "expander", "sidebar_rest", "file_uploader"]
    assert calls == ["sidebar", "kpi_cards", f"{ui.REST_PAUSE}", *whole[2:]]
    # the page ends complete: the switcher, the cards, the bars, the folded list
    assert at.selectbox(key="juesuan_current") and at.metric and at.expander
    assert "收入、支出与结转" in texts(at)
    # on screen the upload box still heads the sidebar, above the switcher
    sidebar = [type(e).__name__ for e in at.sidebar]
    assert sidebar.index("FileUploader") < sidebar.index("Selectbox"), sidebar
    calls.clear()
    at.run()
    at.switch_page("views/balance.py").run()
    at.switch_page("views/overview.py").run()
    assert calls == whole + ["sidebar", "sidebar_rest", "file_uploader"] + whole


def test_overviews_first_screen_loads_no_heavy_browser_code() -> None:
    """总览 has no st.table / st.dataframe (the browser loads about 1 MB of Arrow code for
    them before the page settles) and no raw HTML in markdown (another chunk): its folded
    list of the public tables is a markdown table naming every table of the sample's set (the
    standard nine)."""
    from core.records import STANDARD_TABLES

    at = open_app()
    assert at.metric
    assert not at.table and not at.dataframe
    assert not [m.value for m in at.markdown if m.proto.allow_html]
    listing = at.expander[0].markdown[0].value
    assert listing.startswith("| 表 | 名称 | 页码 | 数据项 | 说明 |")
    assert all(f"| {table_id} |" in listing for table_id in STANDARD_TABLES)


def test_markdown_table_shows_each_cell_as_its_text() -> None:
    import pandas as pd

    from core import ui

    frame = pd.DataFrame(
        [
            ("公开01", "收入|支出 *合计*", None, 3, "第一行\n第二行"),
            ("公开02", "[链接](x)", "第 5 页", 0, ""),
        ],
        columns=["表", "名称", "页码", "数据项", "说明"],
    )
    lines = ui.markdown_table(frame).splitlines()
    assert lines[:2] == ["| 表 | 名称 | 页码 | 数据项 | 说明 |", "|---|---|---|---|---|"]
    # "|" splits no cell, "*" and "[" make no emphasis or link, a missing value is "—", a
    # line break stays in its row
    assert lines[2] == r"| 公开01 | 收入\|支出 \*合计\* | — | 3 | 第一行 第二行 |"
    assert lines[3] == r"| 公开02 | \[链接\]\(x\) | 第 5 页 | 0 |   |"
    assert len(lines) == 4


def test_a_page_that_ends_early_keeps_the_switcher(sample_report: Report) -> None:
    """A page with nothing to show ends early (core.ui.end_page), and the sidebar's switcher
    and briefing buttons are still drawn after it."""
    nothing = replace(sample_report, checks=(), facts=(), tables=(), sha256="0")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["juesuan_reports"] = {"0": nothing}
    at.session_state["juesuan_current"] = "0"
    at.run()
    at.switch_page("views/checks.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "没有可核对的数字" in texts(at)
    assert at.selectbox(key="juesuan_current").value == "0"
    assert any(b.label.startswith("生成简报") for b in at.sidebar.button)
