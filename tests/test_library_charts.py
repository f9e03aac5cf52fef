"""Comparison figures through fig.to_dict() / chart.to_dict(), and the comparison slide."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import libdata
import pandas as pd
import pytest
from libdata import OTHER, UNIT

from core.library import Library, compare, unit_key
from core.library.importer import import_paths
from core.present import compare_charts as cc


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("in")
    libdata.write(folder)
    library = Library(tmp_path_factory.mktemp("lib"))
    import_paths(library, [folder])
    return library


def test_years_chart_marks_stated_years_hollow(lib: Library) -> None:
    frame = compare.unit_years(lib, unit_key(UNIT))
    fig = cc.build_years_chart(frame, UNIT)
    assert fig is not None
    income = next(t for t in fig.to_dict()["data"] if t["name"] == "本年收入")
    years = list(income["x"])
    assert years == [2021, 2022, 2023, 2024]
    colours = list(income["marker"]["color"])
    assert [c == "white" for c in colours] == [True, False, True, False]
    stated = libdata.spec(*libdata.REPORTS[1]).narrative.prev_income
    assert income["y"][2] == pytest.approx(float(stated))


def test_small_multiples_have_a_panel_per_figure(lib: Library) -> None:
    frame = compare.unit_years(lib, unit_key(UNIT))
    chart = cc.build_years_small_multiples(frame, UNIT)
    assert chart is not None
    spec = chart.to_dict()
    assert spec["facet"]["field"] == "指标" and spec["resolve"]["scale"]["y"] == "independent"
    panels = {row["指标"] for row in spec["datasets"][next(iter(spec["datasets"]))]}
    assert {"本年收入（万元）", "本年支出（万元）", "人员经费占基本支出（%）"} <= panels
    classes = cc.build_class_small_multiples(compare.unit_classes(lib, unit_key(UNIT)), UNIT)
    assert classes is not None and classes.to_dict()["facet"]["field"] == "类"


def test_compare_chart_leaves_out_what_is_not_stated(lib: Library) -> None:
    frame = compare.compare_units(lib, 2024)
    frame.loc[frame["单位"] == OTHER, "本年收入"] = None
    fig = cc.build_compare_chart(frame, "本年收入", 2024)
    assert fig is not None
    bar = fig.to_dict()["data"][0]
    assert list(bar["y"]) == [UNIT]  # OTHER is not drawn as zero
    assert f"未列示：{OTHER}" in fig.layout.title.subtitle.text
    assert cc.build_compare_chart(frame.iloc[0:0], "本年收入", 2024) is None


def test_class_share_chart_adds_to_a_hundred(lib: Library) -> None:
    shares = compare.class_shares(lib, 2024)
    fig = cc.build_class_share_chart(shares, 2024)
    assert fig is not None
    totals: dict[str, float] = {}
    for trace in fig.to_dict()["data"]:
        for unit, x in zip(trace["y"], trace["x"], strict=True):
            totals[unit] = totals.get(unit, 0.0) + x
    assert set(totals) == {UNIT, OTHER}
    assert all(abs(t - 100) < 0.05 for t in totals.values())
    # the axis names its unit on the ticks: an axis title "%" was drawn over the legend row
    xaxis = fig.to_dict()["layout"]["xaxis"]
    assert xaxis["ticksuffix"] == "%" and "title" not in xaxis


def test_compare_workbook_keeps_the_amounts(lib: Library, tmp_path: Path) -> None:
    frame = compare.compare_units(lib, 2024)
    data = cc.compare_workbook(frame, compare.class_shares(lib, 2024), 2024)
    book = pd.read_excel(__import__("io").BytesIO(data), sheet_name=None)
    main = book["2024单位对比"]
    for seed, unit, year in libdata.REPORTS[1:]:
        got = main.loc[main["单位"] == unit, "本年收入"].iloc[0]
        want = libdata.fact(seed, unit, year, "公开01", "本年收入合计", "决算数")
        assert Decimal(str(got)) == want


def test_comparison_slide(lib: Library) -> None:
    from pptx import Presentation

    from core.present import brief, export

    frame = compare.compare_units(lib, 2024)
    fig = cc.build_compare_chart(frame, "本年支出", 2024)
    assert fig is not None
    try:
        pack = brief.build_comparison_brief(frame, "本年支出", 2024, fig)
        deck = brief.write_pptx(pack)
    finally:
        export.stop()
    slide = pack.slides[-1]
    spent = {
        u: libdata.fact(s, u, y, "公开01", "本年支出合计", "决算数")
        for s, u, y in libdata.REPORTS[1:]
    }
    top = max(spent, key=lambda u: spent[u])
    assert slide.title == "2024 年度单位对比：本年支出"
    assert f"最高为{top}" in slide.takeaway
    assert slide.image.startswith(b"\x89PNG")
    shown = Presentation(__import__("io").BytesIO(deck))
    words = " ".join(
        shape.text_frame.text for s in shown.slides for shape in s.shapes if shape.has_text_frame
    )
    assert "单位对比：本年支出" in words


# -- a figure reckoned from a blank row, marked in every file as on the page -------------------


@pytest.fixture(scope="module")
def real_two(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The sample (it prints its 年末结转和结余) and 普陀 (公开01 leaves that row blank: the
    0.00 is reckoned from the totals) in one library."""
    from conftest import PUTUO_PDF, SAMPLE_PDF

    from core.library.importer import import_sources

    library = Library(tmp_path_factory.mktemp("real"))
    pdfs = [SAMPLE_PDF, PUTUO_PDF]
    assert import_sources(library, [(p.name, p.read_bytes()) for p in pdfs]).imported == 2
    return library


METRIC = "年末结转和结余"


def _reckoned_unit(library: Library, year: int) -> tuple[pd.DataFrame, str, str]:
    reckoned = compare.reckoned(library, year)
    rows = reckoned.loc[reckoned["指标"] == METRIC]
    assert len(rows) == 1, reckoned  # 普陀's, and not the sample's printed one
    return reckoned, str(rows["单位"].iloc[0]), str(rows["说明"].iloc[0])


def test_the_workbook_marks_a_reckoned_figure(real_two: Library) -> None:
    """单位对比's Excel file showed 普陀's 年末结转和结余 as a plain 0.00 (the page says under
    its table that it is reckoned): its cell carries a comment saying why, and its row says
    it in 说明; no other cell is marked."""
    import io

    from openpyxl import load_workbook

    reckoned, unit, why = _reckoned_unit(real_two, 2024)
    frame = compare.compare_units(real_two, 2024)
    assert len(frame) == 2
    data = cc.compare_workbook(frame, compare.class_shares(real_two, 2024), 2024, reckoned)
    sheet = load_workbook(io.BytesIO(data))["2024单位对比"]
    header = [c.value for c in sheet[1]]
    assert header[-1] == "说明"
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    cell = rows[unit][header.index(METRIC)]
    assert cell.value == 0 and cell.comment is not None
    assert "推算" in cell.comment.text and why in cell.comment.text
    assert "推算" in rows[unit][-1].value and why in rows[unit][-1].value
    commented = [c.coordinate for r in sheet.iter_rows() for c in r if c.comment is not None]
    assert commented == [cell.coordinate]
    other = next(u for u in rows if u != unit)
    assert not rows[other][-1].value  # the sample prints its own
    # without the reckoned figures, the workbook is as before: no 说明 column
    plain = load_workbook(io.BytesIO(cc.compare_workbook(frame, frame.iloc[0:0], 2024)))
    assert "说明" not in [c.value for c in plain["2024单位对比"][1]]


def test_the_chart_and_the_slide_mark_a_reckoned_figure(real_two: Library) -> None:
    """The comparison chart (and so its slide image) labels 普陀's 0.00 bar （推算） and says
    why under the bars; the slide's takeaway says 推算 beside it. A figure no report
    reckons gets no note."""
    from core.present import brief, export
    from core.present.brief.pictures import _chart_request

    reckoned, unit, why = _reckoned_unit(real_two, 2024)
    frame = compare.compare_units(real_two, 2024)
    fig = cc.build_compare_chart(frame, METRIC, 2024, reckoned=reckoned)
    assert fig is not None
    bar = fig.data[0]
    labels = dict(zip(bar.y, bar.text, strict=True))
    assert labels[unit] == "0.00 万元（推算）"
    assert all("推算" not in t for u, t in labels.items() if u != unit)
    # the note is drawn in the figure, so the slide's picture (title block removed) keeps it
    slide_fig = _chart_request(fig).fig
    (drawn,) = [a.text for a in slide_fig.layout.annotations]
    note = drawn.replace("<br>", "")
    assert unit in note and why in note and "（推算）" in note
    # wrapped (plotly does not wrap), the amount and its unit on one line
    assert any("0.00 万元：" in line for line in drawn.split("<br>")), drawn
    plain = cc.build_compare_chart(frame, "本年支出", 2024, reckoned=reckoned)
    assert plain is not None and not plain.layout.annotations
    try:
        pack = brief.build_comparison_brief(frame, METRIC, 2024, fig, reckoned=reckoned)
    finally:
        export.stop()
    slide = pack.slides[-1]
    assert f"最低为{unit}（0.00 万元，推算）" in slide.takeaway, slide.takeaway
    assert slide.image.startswith(b"\x89PNG")
