"""简报: the briefing pack — PPTX opened with python-pptx, PDF rendered with pdftoppm, the
workbook opened with openpyxl and checked cell by cell against the parsed facts."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import CORPUS, FIXTURES, ROOT, SAMPLE_PDF
from PIL import Image, ImageStat
from pptx import Presentation
from pptx.util import Emu

from core.present import brief, export, frames
from core.records import STANDARD_TABLES, Fact, Report

D = Decimal
TODAY = date(2025, 6, 30)


#: The charts each report can draw, in the order the dashboard's pages show them.
CHARTS = {
    "sample": [
        "sankey",
        "waterfall",
        "split",
        "treemap",
        "personnel",
        "economic",
        "economic-2",  # 16 items: two slides, so the labels keep their size
        "score",
        "funds",
        "indicators",
        "indicators-2",  # 10 indicators, two bars each
        "change",
    ],
    # No scorecard; the narrative states each 项's 全年预算数, so 预算执行 replaces 较上年增减.
    "putuo": [
        "sankey",
        "waterfall",
        "split",
        "treemap",
        "personnel",
        "economic",
        "economic-2",
        "budget",
        "budget-2",  # 9 项, two bars each: squeezed onto one slide its labels were ~10 pt
    ],
}


@dataclass(frozen=True)
class Pack:
    """One report's pack, built once for the module."""

    report: Report
    brief: brief.Brief
    pptx: bytes
    pdf: bytes
    xlsx: bytes


@pytest.fixture(scope="module")
def packs(sample_report: Report, putuo_report: Report) -> dict[str, Pack]:
    assert export.find_browser() is not None, "make test installs Debian's chromium"
    out = {}
    for name, report in (("sample", sample_report), ("putuo", putuo_report)):
        made = brief.build_brief(report, today=TODAY)
        out[name] = Pack(
            report,
            made,
            brief.write_pptx(made),
            brief.write_pdf(made),
            brief.write_workbook(report),
        )
    return out


def slide_text(slide: Any) -> str:
    """Every text on a slide: text boxes and table cells."""
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            for row in shape.table.rows:
                parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def pictures(slide: Any) -> list[Any]:
    return [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE


# -- the brief record -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sample", "putuo"])
def test_slides_are_fixed_slides_around_one_per_chart(packs: dict[str, Pack], name: str) -> None:
    slides = packs[name].brief.slides
    kinds = [s.kind for s in slides]
    assert kinds[:2] == [brief.TITLE, brief.FIGURES]
    assert kinds[-2:] == [brief.CHECKS, brief.SOURCES]
    assert [s.chart for s in slides if s.kind == brief.CHART] == CHARTS[name]
    assert len(slides) == brief.FIXED_SLIDES + len(CHARTS[name])
    # 三公 is all zero in both: its builder returns None and it gets no slide.
    assert "three_public" not in {s.chart for s in slides}


@pytest.mark.parametrize("name", ["sample", "putuo"])
def test_chart_slides_carry_a_sharp_png_and_their_pdf_pages(
    packs: dict[str, Pack], name: str
) -> None:
    for slide in packs[name].brief.slides:
        if slide.kind != brief.CHART:
            continue
        width, height = brief.png_size(slide.image)
        assert (width, height) == slide.image_size
        assert width >= 1600, slide.chart
        assert slide.pages, slide.chart
        assert frames.format_pages(slide.pages) in slide.source, slide.source
        assert slide.source.startswith("数据来源："), slide.source
        assert slide.takeaway and re.search(r"\d", slide.takeaway), slide.chart


def test_chart_labels_stay_legible_on_the_slide(packs: dict[str, Pack]) -> None:
    """A chart's 16-px labels come out at 13 pt or more on its slide: putuo's 预算执行 (nine
    项, two bars each) was fitted into the chart box by its height and its labels shrank to
    about 10 pt; such a chart is now split over two slides."""
    from core.present.brief.layout import CHART_BOX, DEFAULT_CHART_SCALE, _fit_image

    for pack in packs.values():
        for slide in pack.brief.slides:
            if slide.kind != brief.CHART:
                continue
            _x, _y, width_in, _h = _fit_image(slide.image_size, CHART_BOX)
            layout_px = slide.image_size[0] / DEFAULT_CHART_SCALE
            points = 16 * width_in / layout_px * 72
            assert points >= 13, (slide.chart, round(points, 1))


def test_a_split_chart_shows_each_row_once_on_one_scale(putuo_report: Report) -> None:
    """The parts of putuo's 预算执行 chart: every 项 once, top to bottom as on the page, each
    part titled （n/2） and drawn on the same x range (a bar as long on either slide stands
    for the same amount), the longest bar's label inside it."""
    from core.present import charts
    from core.present.brief import pictures

    whole = charts.build_budget_execution_chart(putuo_report)
    assert whole is not None
    parts = [p for p in pictures._charts(putuo_report) if p[0].startswith("budget")]
    assert [key for key, _f, _s in parts] == ["budget", "budget-2"]
    shown = [y for _k, fig, _s in parts for y in dict.fromkeys(fig.data[0].y)]
    assert whole.layout.yaxis.autorange == "reversed"  # first row on top
    assert shown == list(dict.fromkeys(whole.data[0].y))
    titles = [fig.layout.title.text for _k, fig, _s in parts]
    assert titles == [f"{whole.layout.title.text}（{n}/2）" for n in (1, 2)]
    ranges = {tuple(fig.layout.xaxis.range) for _k, fig, _s in parts}
    assert len(ranges) == 1
    (low, high), top = ranges.pop(), max(float(x) for t in whole.data for x in t.x)
    assert low == 0 and high > top
    # each part keeps its points whole: values and labels of the rows it shows
    for _k, fig, _s in parts:
        for part_trace, trace in zip(fig.data, whole.data, strict=True):
            rows = list(trace.y)
            for y, x, text in zip(part_trace.y, part_trace.x, part_trace.text, strict=True):
                i = rows.index(y)
                assert (x, text) == (trace.x[i], trace.text[i])


def test_takeaways_are_written_from_the_sample(packs: dict[str, Pack]) -> None:
    said = {s.chart or s.kind: s.takeaway for s in packs["sample"].brief.slides}
    assert said[brief.FIGURES] == (
        "收入总计 319.08 万元（较上年增长 15.55%），本年支出 211.09 万元（较上年增长 5.10%），"
        "年末结转和结余 107.98 万元"
    )
    assert said["split"] == "本年支出 211.09 万元，基本支出占 100.00%"
    assert said["personnel"].startswith("人员经费占基本支出 93.49%")
    assert "197.34" in said["personnel"] and "13.75" in said["personnel"]
    assert said["waterfall"].endswith("年末结转和结余 107.98 万元，比年初增加 32.44 万元")
    assert "一般公共服务支出" in said["treemap"] and "86.36%" in said["treemap"]
    assert said["score"] == "绩效自评得分 96.62 分，评价等级为“优”"
    assert said["funds"].endswith("执行率 66.16%")
    # PDF p. 23: nine indicators at full marks, 预算执行率（资金总额） 6.62 of 10
    assert said["indicators"] == (
        "10 项指标中 9 项得满分；扣分最多的是“预算执行率（资金总额）”（6.62 / 10 分）"
    )
    assert said["change"].startswith("5 个项目中 4 个增加、1 个减少")
    assert "住房公积金（+5.49 万元，+74.43%）" in said["change"]
    assert said[brief.CHECKS] == "286 项勾稽关系全部通过，其中 10 项为四舍五入尾差"


def test_takeaways_are_written_from_putuo(packs: dict[str, Pack]) -> None:
    said = {s.chart or s.kind: s.takeaway for s in packs["putuo"].brief.slides}
    assert said["split"] == "本年支出 307.82 万元，基本支出占 34.30%，项目支出占 65.70%"
    assert said["sankey"].startswith("资金全部来自一般公共预算财政拨款收入（307.82 万元）")
    # 公开01 leaves 年初 and 年末结转和结余 blank: said as blank, never as a printed 0.00
    assert said["waterfall"].endswith(
        "年末结转和结余表中空白，由收支推算为 0.00 万元；年初结转和结余表中空白"
    )
    assert said["budget"] == (
        "一般公共预算财政拨款支出全年预算 321.02 万元，决算 307.82 万元，完成 95.89%；"
        "执行率最低的是事业单位医疗（21.40%）"
    )


def test_key_figures_follow_the_dashboard_cards(packs: dict[str, Pack]) -> None:
    pack = packs["sample"]
    slide = next(s for s in pack.brief.slides if s.kind == brief.FIGURES)
    kpis = frames.find_kpis(pack.report)
    assert [c.label for c in slide.cards] == [k.label for k in kpis]
    cards = {c.label: c for c in slide.cards}
    assert (cards["收入总计"].value, cards["收入总计"].unit) == ("319.08", "万元")
    assert cards["收入总计"].change == "较上年 +42.94 万元（+15.55%）"
    assert cards["人员经费占基本支出"].value == "93.49%"
    # The text says 三公 spending is 与上年决算数持平 (p. 19): the card says so too.
    assert cards["三公经费"].value == "0.00" and cards["三公经费"].change == "与上年持平"
    assert "第 5 页" in cards["收入总计"].note


def test_a_stated_zero_change_reads_flat() -> None:
    assert brief._change_text(D(0), None, "+0.00 万元") == "与上年持平"
    assert brief._change_text(None, None, None) == ""
    assert brief._change_text(D("-1.5"), D("-2"), "-1.50 万元（-2.00%）").startswith("较上年 -1.50")


def test_pages_in_reads_what_format_pages_writes() -> None:
    for pages in ([5], [8, 9], [5, 7], [11, 12, 13], [3, 17, 18]):
        assert brief.pages_in(f"公开01 表（PDF {frames.format_pages(pages)}）") == tuple(pages)
    assert brief.pages_in("公开01 收入支出决算总表") == ()


# -- PPTX -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sample", "putuo"])
def test_pptx_opens_with_the_slides(packs: dict[str, Pack], name: str) -> None:
    pack = packs[name]
    deck = Presentation(io.BytesIO(pack.pptx))
    assert (deck.slide_width, deck.slide_height) == (Emu(12192000), Emu(6858000))  # 16:9
    assert deck.slide_width * 9 == deck.slide_height * 16
    assert len(deck.slides) == len(pack.brief.slides) == brief.FIXED_SLIDES + len(CHARTS[name])
    for number, (slide, data) in enumerate(zip(deck.slides, pack.brief.slides, strict=True), 1):
        text = slide_text(slide)
        assert data.title in text
        assert data.takeaway in text
        shown = pictures(slide)
        if data.kind != brief.CHART:
            assert not shown
            continue
        assert len(shown) == 1, data.chart
        image = shown[0].image
        assert image.content_type == "image/png"
        assert image.blob == data.image
        with Image.open(io.BytesIO(image.blob)) as png:
            assert png.width >= 1600
        # The picture keeps its aspect and stays inside the slide.
        pic = shown[0]
        assert abs(pic.width / pic.height - data.image_size[0] / data.image_size[1]) < 0.01
        assert pic.left >= 0 and pic.left + pic.width <= deck.slide_width
        assert pic.top + pic.height <= deck.slide_height
        assert "PDF 第" in text and f"{number} / {len(deck.slides)}" in text


def test_pptx_key_figures_and_closing_slide(packs: dict[str, Pack]) -> None:
    pack = packs["sample"]
    deck = Presentation(io.BytesIO(pack.pptx))
    title, figures = slide_text(deck.slides[0]), slide_text(deck.slides[1])
    assert "福建省12345政务服务便民热线中心" in title and "2024 年度单位决算" in title
    for number in ("319.08", "243.54", "211.09", "107.98", "93.49%", "0.00", "96.62"):
        assert number in figures, number
    closing = slide_text(deck.slides[-1])
    assert SAMPLE_PDF.name in closing
    assert "2025 年 6 月 30 日" in closing
    assert "第 5 页" in closing and "第 11–12 页" in closing  # 公开01, 公开06
    checks = slide_text(deck.slides[-2])
    assert "286 项勾稽关系全部通过" in checks
    # Chinese text names an East Asian font, so PowerPoint does not fall back to a Latin one.
    assert b'<a:ea typeface="Microsoft YaHei"/>' in _slide_xml(pack.pptx, 2)


def _slide_xml(pptx: bytes, number: int) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(pptx)) as z:
        return z.read(f"ppt/slides/slide{number}.xml")


# -- PDF ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sample", "putuo"])
def test_pdf_pages_mirror_the_slides(packs: dict[str, Pack], name: str, tmp_path: Path) -> None:
    pack = packs[name]
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(pack.pdf)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == len(pack.brief.slides)
    for path, slide in zip(pages, pack.brief.slides, strict=True):
        with Image.open(path) as page:
            assert page.width * 9 == pytest.approx(page.height * 16, rel=0.01)  # 16:9
            spread = ImageStat.Stat(page.convert("L")).stddev[0]
        # A blank page has no spread; a chart page has a lot.
        assert spread > (12 if slide.kind == brief.CHART else 4), (path.name, slide.kind)
    for number, slide in enumerate(pack.brief.slides, 1):
        text = pdf_text(pdf, number)
        assert _squash(slide.title) in text
        if slide.kind == brief.CHART:
            assert _squash(slide.source) in text


def test_pdf_embeds_its_chinese_font(packs: dict[str, Pack], tmp_path: Path) -> None:
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(packs["sample"].pdf)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in fonts.stdout.splitlines()[2:]]
    assert rows and all(row[-5] == "yes" for row in rows), fonts.stdout  # emb column
    text = pdf_text(pdf, 2)
    for number in ("319.08", "211.09", "93.49%"):
        assert number in text


def pdf_text(pdf: Path, page: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return _squash(out.stdout)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# -- workbook -------------------------------------------------------------------------------------


def _num(value: Any) -> Decimal:
    assert isinstance(value, int | float | Decimal), value
    return D(str(value))


@pytest.mark.parametrize("name", ["sample", "putuo"])
def test_workbook_facts_sheet_is_every_fact(
    sample_report: Report, putuo_report: Report, name: str
) -> None:
    report = sample_report if name == "sample" else putuo_report
    book = openpyxl.load_workbook(io.BytesIO(brief.write_workbook(report)))
    present = [t for t in STANDARD_TABLES if report.table(t) is not None]
    assert book.sheetnames == [
        brief.OVERVIEW_SHEET,
        *present,
        brief.FACTS_SHEET,
        brief.CHECKS_SHEET,
    ]
    sheet = book[brief.FACTS_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("表", "分区", "上级", "编码", "项目", "栏目", "金额（万元）", "页码")
    assert len(rows) - 1 == len(report.facts)
    for row, fact in zip(rows[1:], report.facts, strict=True):
        table, section, parent, code, item, column, value, page = row
        # An empty text cell reads back as None.
        assert (table, section, parent, code, item, column, page) == tuple(
            v if v != "" else None
            for v in (
                fact.table,
                fact.section,
                fact.parent,
                fact.code,
                fact.item,
                fact.column,
                fact.page,
            )
        )
        assert _num(value) == fact.value, fact
    assert sheet.cell(row=2, column=7).number_format == "#,##0.00"
    assert sheet.cell(row=2, column=4).number_format == "@"  # codes stay text
    checks = list(book[brief.CHECKS_SHEET].iter_rows(values_only=True))
    assert len(checks) - 1 == len(report.checks)


def read_table_sheet(sheet: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Header and rows of a 公开 sheet (two lines of title and a blank line above the header)."""
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] and rows[1][0] and "金额单位：万元" in rows[1][0]
    return list(rows[3]), rows[4:]


@pytest.mark.parametrize("name", ["sample", "putuo"])
def test_workbook_table_sheets_read_like_the_tables(
    sample_report: Report, putuo_report: Report, name: str
) -> None:
    report = sample_report if name == "sample" else putuo_report
    book = openpyxl.load_workbook(io.BytesIO(brief.write_workbook(report)))
    for table in report.tables:
        header, rows = read_table_sheet(book[table.id])
        facts = report.facts_of(table.id)
        if not facts:
            assert header == ["说明"] and rows[0][0], table.id
            continue
        assert header[-1] == "页码"
        keys = [h for h in header if h in ("分区", "上级", "编码", "项目")]
        cells: dict[tuple[Any, ...], Decimal] = {}
        for row in rows:
            record = dict(zip(header, row, strict=True))
            key = tuple(record[k] or None for k in keys)
            for column, value in record.items():
                if column.endswith("（万元）") and value is not None:
                    cells[(*key, column.removesuffix("（万元）"))] = _num(value)
        # Every amount cell is a fact and every fact is a cell, cent for cent.
        expected = {(*row_key(f, keys), f.column): f.value for f in facts}
        assert cells == expected, table.id
        totals = [f for f in facts if f.item in ("合计", "总计") or f.item.endswith("合计")]
        assert totals, table.id
        for total in totals:
            assert cells[(*row_key(total, keys), total.column)] == total.value


def row_key(fact: Fact, keys: list[str]) -> tuple[str | None, ...]:
    """A fact's row in a 公开 sheet, by the key columns the sheet has (empty text is None)."""
    values = {"分区": fact.section, "上级": fact.parent, "编码": fact.code, "项目": fact.item}
    return tuple(values[k] or None for k in keys)


def test_workbook_totals_match_the_dashboard(sample_report: Report) -> None:
    book = openpyxl.load_workbook(io.BytesIO(brief.write_workbook(sample_report)))
    header, rows = read_table_sheet(book["公开03"])
    total = next(r for r in rows if r[header.index("项目")] == "合计")
    assert _num(total[header.index("本年支出合计（万元）")]) == D("211.09")
    assert _num(total[header.index("基本支出（万元）")]) == D("211.09")
    assert book["公开03"].cell(row=5, column=3).number_format == "#,##0.00"
    header, rows = read_table_sheet(book["公开01"])
    income = next(r for r in rows if r[0] == "收入" and r[1] == "总计")
    assert _num(income[2]) == D("319.08") and income[3] == 5


def test_workbook_needs_no_browser(sample_report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "find_browser", lambda: None)
    book = openpyxl.load_workbook(io.BytesIO(brief.write_workbook(sample_report)))
    assert book[brief.OVERVIEW_SHEET]["A1"].value == sample_report.unit


# -- files, errors and the command line ----------------------------------------------------------


def test_file_names_are_safe(sample_report: Report) -> None:
    assert brief.file_stem(sample_report, "简报") == "福建省12345政务服务便民热线中心_2024_简报"
    odd = replace(sample_report, unit='..a/b\\c:d*e?"f<g>h|i j\tk\x07', year=None)
    assert brief.file_stem(odd, "数据") == "abcdefghijk_数据"
    assert brief.file_stem(replace(sample_report, unit=""), "简报") == "决算报告_2024_简报"


def test_no_browser_says_so_plainly(sample_report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "find_browser", lambda: None)
    with pytest.raises(export.ExportUnavailable, match="没有可用的 Chromium") as info:
        brief.build_brief(sample_report)
    assert "Chromium" in info.value.message_en


def test_write_brief_writes_three_files(packs: dict[str, Pack], tmp_path: Path) -> None:
    report = packs["putuo"].report
    paths = brief.write_brief(report, tmp_path / "out")
    stem = "中共上海市普陀区委社会工作部_2024"
    assert [p.name for p in paths] == [f"{stem}_简报.pptx", f"{stem}_简报.pdf", f"{stem}_数据.xlsx"]
    assert paths[0].read_bytes()[:2] == b"PK" and paths[2].read_bytes()[:2] == b"PK"
    assert paths[1].read_bytes()[:5] == b"%PDF-"


def run_cli(*args: str, prelude: str = "") -> subprocess.CompletedProcess[str]:
    code = f"{prelude}\nimport sys\nfrom core.__main__ import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def test_cli_writes_the_pack(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "core", "brief", str(SAMPLE_PDF), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    printed = [Path(line) for line in out.stdout.splitlines()]
    assert [p.suffix for p in printed] == [".pptx", ".pdf", ".xlsx"]
    assert all(p.parent == tmp_path and p.stat().st_size > 10_000 for p in printed)
    deck = Presentation(str(printed[0]))
    assert len(deck.slides) == brief.FIXED_SLIDES + len(CHARTS["sample"])
    assert "Traceback" not in out.stderr


def test_cli_bad_input_is_one_line(tmp_path: Path) -> None:
    out = run_cli("brief", str(FIXTURES / "error-not_pdf.pdf"), "--out", str(tmp_path))
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith("error[not_pdf]: ") and len(out.stderr.splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_cli_without_a_browser_is_one_line(tmp_path: Path) -> None:
    out = run_cli(
        "brief",
        str(SAMPLE_PDF),
        "--out",
        str(tmp_path),
        prelude="import core.present.export\ncore.present.export.find_browser = lambda: None",
    )
    assert out.returncode == 2 and out.stdout == ""
    assert "Traceback" not in out.stderr and len(out.stderr.splitlines()) == 1
    assert "Chromium" in out.stderr and not list(tmp_path.iterdir())


def test_cli_missing_file_is_one_line(tmp_path: Path) -> None:
    out = run_cli("brief", str(tmp_path / "nope.pdf"), "--out", str(tmp_path))
    assert out.returncode == 2 and out.stderr.startswith("error[")
    assert "Traceback" not in out.stderr


# -- 一页纸 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sample", "template"])
def test_one_page_summary(
    name: str, sample_report: Report, template_report: Report, tmp_path: Path
) -> None:
    report = sample_report if name == "sample" else template_report
    files = brief.one_page_files(report, today=date(2025, 3, 1))
    assert [n.rsplit(".", 1)[1] for n, _d, _m in files] == ["pdf", "png"]
    pdf = tmp_path / "one.pdf"
    pdf.write_bytes(files[0][1])
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+1$", info.stdout, re.M)
    assert "595.276 x 841.89 pts (A4)" in info.stdout
    width, height = brief.png_size(files[1][1])
    assert height / width == pytest.approx(841.89 / 595.28, rel=0.01)
    text = _squash(pdf_text(pdf, 1))
    assert _squash(report.unit) in text
    if name == "sample":
        for said in (
            "243.54万元",
            "211.09万元",
            "93.49%",
            "96.62分",
            "没有发现问题",
            "执行率66.16%",
        ):
            assert said in text, said
    else:
        # a blank template is said to be one; nothing absent is shown as zero or as all clear
        assert "空白模板" in text and "未列示" in text
        assert "0.00" not in text and "均为零" not in text and "没有发现问题" not in text


def test_one_page_explains_a_reckoned_zero(putuo_report: Report, tmp_path: Path) -> None:
    """putuo leaves 年末结转和结余 blank (收支相抵): the 一页纸's card said "0.00 万元" and no
    more, where 总览 says why. The card carries that remark, inside the card."""
    from core.pdf.extract import extract_pages

    files = brief.one_page_files(putuo_report, today=date(2025, 3, 1))
    pdf = tmp_path / "one.pdf"
    pdf.write_bytes(files[0][1])
    text = _squash(pdf_text(pdf, 1))
    assert "表中此行空白" in text and "推算为零" in text
    (page,) = extract_pages(files[0][1], ocr=False)
    label = next(w for w in page.words if w.text.startswith("年末结转和结余"))
    remark = [w for w in page.words if "空白" in w.text and abs(w.x0 - label.x0) < 2]
    assert remark and all(w.top - label.top < 0.92 * 72 for w in remark)  # the card is 0.92 in


def test_one_page_from_the_command_line(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "core",
            "brief",
            str(SAMPLE_PDF),
            "--one-page",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    written = sorted(Path(line).suffix for line in run.stdout.split())
    assert written == [".pdf", ".png"]


def test_one_page_budget_lines_name_each_budget(sample_report: Report) -> None:
    """The 一页纸 names 年初预算 beside 全年预算 where stated: the sample's scorecard prints
    243.54 and 319.08 for 资金总额 (page 23); a report whose text states only 年初预算 was
    said to have no budget at all."""
    from core.present.brief.onepage import _budget_lines
    from core.records import NarrativeFigure

    assert _budget_lines(sample_report)[0] == (
        "资金总额：年初预算 243.54 万元，全年预算 319.08 万元，执行 211.09 万元，执行率 66.16%"
        "（绩效自评表，第 23 页）"
    )
    said = "一般公共预算财政拨款支出年初预算为 2,312.61 万元，支出决算为 2,226.42 万元。"
    topic = "一般公共预算财政拨款支出"
    initial_only = Report(
        "某单位", 2024, "部门决算", "万元", 20, (), (), (),
        (
            NarrativeFigure(topic, "initial_budget", Decimal("2312.61"), 19, said),
            NarrativeFigure(topic, "actual", Decimal("2226.42"), 19, said),
        ),
    )  # fmt: skip
    assert _budget_lines(initial_only) == [
        "一般公共预算财政拨款支出：年初预算 2,312.61 万元，决算 2,226.42 万元（第 19 页）"
    ]


def test_indicator_takeaway_counts_the_bars_it_stands_over(packs: dict[str, Pack]) -> None:
    """The slide's sentence and its chart count the same items (the 预算执行率 bar too)."""
    from core.present import charts, frames

    seen = 0
    for pack in packs.values():
        perf = frames.main_performance(pack.report)
        for slide in pack.brief.slides:
            if slide.chart != "indicators" or perf is None:
                continue
            fig = charts.build_indicator_chart(pack.report, perf)
            assert fig is not None
            bars = len(fig.data[-1].y)
            said = re.match(r"(\d+) 项指标", slide.takeaway)
            assert said is not None and int(said.group(1)) == bars, (slide.takeaway, bars)
            seen += 1
    assert seen  # the sample has a scorecard


def test_slides_ask_for_no_click(packs: dict[str, Pack]) -> None:
    """A slide or a printed page cannot be clicked or hovered: no title or line asks for it
    (the treemap's title said “点击方块进入下一级” on slide 6)."""
    for pack in packs.values():
        for slide in pack.brief.slides:
            words = " ".join([slide.title, slide.takeaway, *slide.lines])
            assert not re.search(r"点击|悬停|图下列表", words), (slide.chart, words)


def test_card_figures_stay_inside_their_cards() -> None:
    """西南大学's six-figure 万元 (569,496.54) ran the unit past the card's right edge on the
    figures slide. Read back from the PDF: every word of a card ends inside it."""
    from core.accounts.parse import parse_report
    from core.pdf.extract import extract_pages
    from core.present.brief.layout import _card_boxes

    report = parse_report(CORPUS / "xinan-daxue-2023-bumen-juesuan.pdf")
    made = brief.build_brief(report, today=TODAY)
    index = next(i for i, s in enumerate(made.slides) if s.kind == "figures")
    page = extract_pages(brief.write_pdf(made), ocr=False)[index]
    boxes = [(x * 72, y * 72, (x + w) * 72, (y + h) * 72) for x, y, w, h in _card_boxes(8)]
    seen = 0
    for word in page.words:
        inside = [b for b in boxes if b[0] <= word.x0 < b[2] and b[1] <= word.top < b[3]]
        if not inside:
            continue
        seen += 1
        assert word.x1 <= inside[0][2] + 0.5, (word.text, word.x1, inside[0][2])
    assert seen >= 16  # the eight cards' labels and figures were read back


def test_a_card_with_a_figure_never_says_it_was_not_printed(packs: dict[str, Pack]) -> None:
    """“核验发现的问题 0 个” stood over “报告中未列示” (a count has no page): a figure that is
    shown is never called missing."""
    for pack in packs.values():
        for slide in pack.brief.slides:
            for card in slide.cards:
                if not card.value.startswith("未"):
                    assert "未列示" not in card.note, (card.label, card.note)
