"""Nothing cut at 1280×720 (issue 8, "check by looking"): the widths the pages give their tables
and the text in them, measured against the room a 1280-pixel screen leaves.

Streamlit's grid draws a cell on one line and ends it in "…" where it does not fit; only rows
taller than 4rem wrap. These tests estimate a text's width the way the grid draws it (14-px
font: a CJK character 14 px, a Latin letter or digit about 8 px, 8.5 px padding each side) and
fail where a cell would be cut.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import CORPUS, FIXTURES, PUTUO_PDF, ROOT, SAMPLE_PDF
from streamlit.testing.v1 import AppTest

from core import ui
from core.accounts.parse import parse_report
from core.present import charts

TIMEOUT = 180
XINAN_PDF = CORPUS / "xinan-daxue-2023-bumen-juesuan.pdf"
#: The main column's width at 1280×720 with the sidebar open (measured in Chromium: the tables
#: span x = 380…1198).
CONTENT_WIDTH_1280 = 818
#: The grid's row selector column.
SELECTOR_WIDTH = 36
CELL_PADDING = 17


def text_width(text: str) -> float:
    """The drawn width of ``text`` in the grid's 14-px font, in px (an estimate, on the wide
    side for Latin text)."""
    return sum(14 if unicodedata.east_asian_width(c) in "WF" else 8 for c in text)


def lines_needed(text: str, column_width: int) -> int:
    """How many lines ``text`` takes in a column ``column_width`` px wide; a huge number when
    it cannot fit at all. The grid breaks a line at a space or between CJK characters only
    (a file name such as ``putuo-shehuigongzuobu-2024.pdf`` is one unbreakable piece)."""
    room = column_width - CELL_PADDING
    pieces = re.findall(r"[^\s\u3000-\u9fff\uff00-\uffef]+|[\u3000-\u9fff\uff00-\uffef]", text)
    if any(text_width(p) > room for p in pieces):
        return 99
    return max(1, math.ceil(text_width(text) / room))


def lines_allowed(row_height: int) -> int:
    """How many lines a row of ``row_height`` px shows (one unless it wraps)."""
    if row_height <= ui.WRAP_ROW_HEIGHT:
        return 1
    return (row_height - 16) // ui.WRAP_LINE_HEIGHT


def table_config(element) -> tuple[dict[str, dict], int]:  # type: ignore[no-untyped-def]
    """A shown table's column configuration and its row height (0: the grid's default)."""
    return json.loads(element.proto.columns or "{}"), int(element.proto.row_height)


def open_page(pdf: Path, page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    report = parse_report(pdf)
    at.session_state["juesuan_reports"] = {report.sha256: report}
    at.session_state["juesuan_current"] = report.sha256
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_estimate_is_not_blind() -> None:
    """The measure itself: a long indicator name does not fit one 170-px line, a short one does."""
    assert lines_needed("会议费、差旅费超标准使用次数", 170) == 2
    assert lines_needed("数量指标", 90) == 1
    assert lines_needed("putuo-shehuigongzuobu-2024-bumen-juesuan.pdf", 210) == 99
    assert lines_allowed(0) == 1 and lines_allowed(ui.wrap_row_height(3)) == 3


def cell_text(value: object, config: dict) -> str:
    """A cell as the grid draws it: amounts with thousands separators and two decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    fmt = (config.get("type_config") or {}).get("format") or ""
    if "%,.2f" in fmt:
        return f"{float(value):,.2f}"  # type: ignore[arg-type]
    if isinstance(value, Decimal):  # drawn without trailing zeros (seen: 20.00 shows as 20)
        return format(value.normalize(), "f")
    return str(value)


def cut_cells(table, selector: bool) -> list[tuple[str, str, int]]:  # type: ignore[no-untyped-def]
    """The headers and cells of a shown table that would be cut at 1280×720, and the whole
    table when it runs past the page's right edge."""
    config, row_height = table_config(table)
    allowed = lines_allowed(row_height)
    shown = [c for c in table.value.columns if not config.get(c, {}).get("hidden")]
    order = list(table.proto.column_order)
    if order:
        shown = [c for c in order if c in shown]
    no_width = [c for c in shown if not config.get(c, {}).get("width")]
    assert not no_width, f"a column without a width grows: {no_width}"
    cut = []
    for column in shown:
        width = int(config[column]["width"])
        header = config[column].get("label") or column
        if lines_needed(header, width) > 1:
            cut.append(("header", header, width))
        for value in table.value[column]:
            text = cell_text(value, config[column])
            if lines_needed(text, width) > allowed:
                cut.append((column, text, width))
    total = sum(int(config[c]["width"]) for c in shown) + (SELECTOR_WIDTH if selector else 0)
    if total > CONTENT_WIDTH_1280:
        cut.append(("table", "wider than the page", total))
    return cut


@pytest.mark.parametrize(
    "pdf", [SAMPLE_PDF, FIXTURES / "quirk-project-scorecard.pdf"], ids=lambda p: p.stem
)
def test_indicator_table_shows_every_name_whole_at_1280(pdf: Path) -> None:
    """绩效指标: every 一级/二级/三级 name and target is shown whole (wrapped, never "…"),
    and the columns fit the 1280-px page with the row selector and the 原文 buttons (it had
    no buttons: with them its nine columns were 872 px wide)."""
    from core.ui.source import SOURCE_COLUMN

    at = open_page(pdf, "performance")
    table = next(t for t in at.dataframe if "三级指标" in t.value.columns)
    assert list(table.value.columns)[0] == SOURCE_COLUMN  # the 原文 buttons first
    config, _ = table_config(table)
    assert config[SOURCE_COLUMN]["width"] == 56
    assert not cut_cells(table, selector=True)
    # no name is lost by sharing a column: each row shows its 一级 and 二级 指标
    perf = parse_report(pdf).performance[0]
    for line, category in zip(perf.indicators, table.value["指标类别"], strict=False):
        assert line.level1 in category and line.level2 in category, (line, category)


@pytest.fixture
def library_of_three(_own_library: Path) -> Path:
    """The sample, 普陀 (a long unit name) and 西南大学 (six-figure 万元) in the library."""
    from core.library import Library
    from core.library.importer import import_sources

    pdfs = [SAMPLE_PDF, PUTUO_PDF, XINAN_PDF, CORPUS / "bumen-juesuan-template-2024.pdf"]
    summary = import_sources(Library(_own_library), [(p.name, p.read_bytes()) for p in pdfs])
    assert summary.imported == 4
    return _own_library


@pytest.mark.parametrize(
    ("page", "column", "selector"),
    [("library", "文件", True), ("compare", "本年收入", False)],
)
def test_library_tables_fit_1280(
    library_of_three: Path, page: str, column: str, selector: bool
) -> None:
    """报告库 and 单位对比: seen at 1280 with the file name and the last columns cut off at
    the right edge; every column now inside the page, names wrapped, headers whole."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(t for t in at.dataframe if column in t.value.columns)
    assert len(table.value) >= 3
    assert not cut_cells(table, selector=selector)


def test_compare_table_shows_no_zero_for_an_unchecked_template(library_of_three: Path) -> None:
    """The blank template was not checked: its row says — for 问题, and no 0 beside it."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("views/compare.py").run()
    frame = next(t.value for t in at.dataframe if "本年收入" in t.value.columns)
    row = frame.loc[frame["单位"] == "上海市XX局"].iloc[0]
    assert all(v is None or (isinstance(v, float) and math.isnan(v)) for v in row.drop("单位"))


# -- 收支平衡: the waterfall's steps readable ----------------------------------------------------


@pytest.mark.parametrize(
    ("pdf", "fits_half"),
    # seen at 1280×720: the sample's four steps read well in half the page; 西南大学's six
    # (with 使用非财政拨款结余 and 结余分配, six-figure amounts) ran into each other
    [(SAMPLE_PDF, True), (PUTUO_PDF, True), (XINAN_PDF, False)],
    ids=["sample", "putuo", "xinan"],
)
def test_waterfall_fit_matches_what_the_screen_showed(pdf: Path, fits_half: bool) -> None:
    fig = charts.build_waterfall_chart(parse_report(pdf))
    assert fig is not None
    assert charts.category_slot_fits(fig, charts.HALF_WIDTH_1280) is fits_half
    assert charts.category_slot_fits(fig, charts.FULL_WIDTH_1280)


def _in_columns(at: AppTest, key: str) -> bool:
    return any(b.key == key for column in at.columns for b in column.get("download_button"))


@pytest.mark.parametrize(
    ("pdf", "beside"), [(SAMPLE_PDF, True), (XINAN_PDF, False)], ids=["sample", "xinan"]
)
def test_waterfall_is_drawn_across_the_page_when_half_is_too_narrow(
    pdf: Path, beside: bool
) -> None:
    at = open_page(pdf, "balance")
    keys = [b.key for b in at.download_button]
    assert "png-waterfall" in keys and "png-split" in keys
    assert _in_columns(at, "png-waterfall") is beside
    assert _in_columns(at, "png-split")  # the other chart keeps its half


@pytest.mark.parametrize("pdf", [SAMPLE_PDF, PUTUO_PDF], ids=["sample", "putuo"])
def test_narrative_figures_show_every_sentence_whole_at_1280(pdf: Path) -> None:
    """原始数据's 说明中的数字: the 主题 and 原文 cells were cut with "…" (putuo has a
    288-character sentence). The grid fits the page with nothing cut, each row names its
    sentence, and every sentence stands whole under it, once."""
    at = open_page(pdf, "raw")
    table = next(t for t in at.dataframe if "句" in t.value.columns)
    assert not cut_cells(table, selector=True)
    config, _ = table_config(table)
    assert "原文" not in table.value.columns or config.get("原文", {}).get("hidden")
    report = parse_report(pdf)
    shown = "\n".join(m.value for m in at.markdown)
    plain = shown.replace("\\", "")
    for figure in report.narrative:
        assert figure.sentence in plain, figure.sentence
    longest = max((n.sentence for n in report.narrative), key=len)
    assert plain.count(longest) == 1 and len(longest) > 100


@pytest.mark.parametrize(
    "pdf", [XINAN_PDF, CORPUS / "bumen-juesuan-template-2024.pdf"], ids=["xinan", "template"]
)
def test_personnel_without_table_06_says_so_once(pdf: Path) -> None:
    """西南大学 has no 公开06 (the blank template an empty one): the page said it had none,
    then offered a toggle for its zero rows and said "公开06 中没有经济分类科目的金额"."""
    at = open_page(pdf, "personnel")
    said = " ".join(str(e.value) for e in at.info)
    assert "没有可读的公开06" in said
    assert "公开06 中没有" not in said
    assert not at.toggle


def test_compare_says_a_reckoned_zero_is_one(library_of_three: Path) -> None:
    """单位对比 showed 普陀's 年末结转结余 as 0.00 beside a caption "空白 = 未列示": 公开01
    leaves that row blank and 总览 says the 0.00 is reckoned from the totals. The page says so
    under the table, for that figure only."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("views/compare.py").run()
    said = [c.value for c in at.caption if "（推算）" in c.value]
    assert said == [
        "中共上海市普陀区委社会工作部的年末结转和结余 0.00（推算）："
        "表中此行空白；支出总计等于本年支出，推算为零。"
    ]
