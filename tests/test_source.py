"""The source view: page renders, highlighted crops, and the way back from a number on
screen to its printed cells."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, FIXTURES, SAMPLE_PDF
from PIL import Image, ImageStat
from test_boxes import reads_as, rotated_copy, words_in

from core.accounts.parse import parse_report, parse_report_bytes
from core.pdf.extract import extract_pages
from core.present import charts, frames, pageview, trace
from core.records import Box, Check, Indicator, Performance, Report


@cache
def sample() -> Report:
    return parse_report(SAMPLE_PDF)


DATA = SAMPLE_PDF.read_bytes()


def test_render_is_cached_by_file_page_and_scale() -> None:
    pageview.CACHE.clear()
    a = pageview.render_page(DATA, 5, 2.0)
    b = pageview.render_page(DATA, 5, 2.0)
    assert a is b
    c = pageview.render_page(DATA, 5, 3.0)
    assert c is not a and c.width == round(a.width * 1.5)
    w, h = pageview.page_size(DATA, 5)
    assert abs(a.width - 2 * w) <= 1 and abs(a.height - 2 * h) <= 1


def test_cache_is_bounded_by_pixels() -> None:
    small = pageview._RenderCache(max_pixels=3 * 1191 * 1684)
    for page in range(1, 6):
        small.put(("x", page, 2.0), pageview.render_page(DATA, page, 2.0))
    assert len(small.items) == 3
    assert small.pixels <= small.max_pixels
    assert ("x", 1, 2.0) not in small.items and ("x", 5, 2.0) in small.items


def test_crop_of_every_fact_holds_ink_at_its_box() -> None:
    # the printed digits are dark inside the box of every non-blank fact of the sample
    report = sample()
    for fact in report.facts:
        assert fact.box is not None
        crop = pageview.render_crop(DATA, fact.page, [fact.box], zoom="cell")
        x0, top, x1, bottom = fact.box
        rx, ry = crop.region[0], crop.region[1]
        px = ((x0 - rx) * crop.scale, (top - ry) * crop.scale)
        px2 = ((x1 - rx) * crop.scale, (bottom - ry) * crop.scale)
        ink = pageview.ink_ratio(crop.image, (*px, *px2))
        assert ink > 0.03, f"{fact}: no ink in its box ({ink:.3f})"


def test_highlight_dims_the_rest_and_outlines_the_box() -> None:
    fact = next(f for f in sample().facts if f.value == Decimal("182.29") and f.table == "公开03")
    assert fact.box is not None
    crop = pageview.render_crop(DATA, fact.page, [fact.box], zoom="row")
    plain = pageview.render_page(DATA, fact.page, crop.scale).crop(
        tuple(round(v * crop.scale) for v in crop.region)
    )
    assert crop.image.size == plain.size
    # a corner of the crop (page around the cell) is darker than on the plain page
    corner = (0, 0, 20, 20)
    assert _mean(crop.image, corner) < _mean(plain, corner) - 60
    # inside the box the pixels are the page's own
    x0, top, x1, bottom = fact.box
    inside = tuple(
        round(v)
        for v in (
            (x0 - crop.region[0]) * crop.scale,
            (top - crop.region[1]) * crop.scale,
            (x1 - crop.region[0]) * crop.scale,
            (bottom - crop.region[1]) * crop.scale,
        )
    )
    assert _mean(crop.image, inside) == _mean(plain, inside)
    # the outline is drawn in the highlight colour just outside the box
    rgb = crop.image.convert("RGB")
    left_edge = [
        rgb.getpixel((inside[0] - 2 * crop.scale - 2 + dx, (inside[1] + inside[3]) // 2))
        for dx in range(4)
    ]
    assert pageview.OUTLINE in left_edge
    # and it crops to the cell with a margin, not the page
    w, h = pageview.page_size(DATA, fact.page)
    assert crop.region[2] - crop.region[0] < w


def test_zoom_levels_widen_to_the_whole_page() -> None:
    fact = sample().facts[0]
    assert fact.box is not None
    size = pageview.page_size(DATA, fact.page)
    cell = pageview.crop_region([fact.box], size, "cell")
    row = pageview.crop_region([fact.box], size, "row")
    page = pageview.crop_region([fact.box], size, "page")
    area = [(b[2] - b[0]) * (b[3] - b[1]) for b in (cell, row, page)]
    assert area[0] < area[1] < area[2]
    assert page == (0.0, 0.0, *size)
    for b in (cell, row):
        assert b[0] <= fact.box[0] and b[2] >= fact.box[2]


def test_png_bytes_is_a_png() -> None:
    fact = sample().facts[0]
    crop = pageview.render_crop(DATA, fact.page, [fact.box] if fact.box else [])
    png = pageview.png_bytes(crop.image)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert Image.open(io.BytesIO(png)).size == crop.image.size


def test_rotated_page_renders_as_shown() -> None:
    # a /Rotate 90 page renders in the same coordinates as its boxes: the same ink
    data = rotated_copy(FIXTURES / "quirk-landscape.pdf")
    report = parse_report_bytes(data)
    for fact in report.facts:
        if fact.value == 0:
            continue
        assert fact.box is not None
        crop = pageview.render_crop(data, fact.page, [fact.box])
        x0, top, x1, bottom = fact.box
        s, (rx, ry) = crop.scale, crop.region[:2]
        ink = pageview.ink_ratio(
            crop.image, ((x0 - rx) * s, (top - ry) * s, (x1 - rx) * s, (bottom - ry) * s)
        )
        assert ink > 0.03, fact


def test_keep_pdf_remembers_bytes_by_hash() -> None:
    sha = pageview.keep_pdf(DATA)
    assert sha == sample().sha256
    assert pageview.pdf_bytes(sha) is DATA
    assert pageview.pdf_bytes("0" * 64) is None


def test_a_pdf_not_kept_is_found_in_the_library_folder(tmp_path: Path) -> None:
    """A report opened from the library after a restart: its PDF was never uploaded to this
    server; the source view finds it in the library's folder, and only bytes whose sha256
    is the report's own."""
    from core.library.store import Library
    from core.ui import library as library_ui

    data = (FIXTURES / "quirk-planted-error.pdf").read_bytes()
    report = parse_report_bytes(data, file_name="planted.pdf")
    lib = Library(tmp_path)
    lib.add(report, data)
    with pageview._LOCK:
        pageview._PDFS.pop(report.sha256, None)
        sources = dict(pageview._SOURCES)
        pageview._SOURCES.clear()
    assert pageview.pdf_bytes(report.sha256) is None  # not kept, no library known
    library_ui._library_at.clear()
    library_ui._library_at(str(tmp_path))  # the app's library registers its folder
    try:
        assert pageview.pdf_bytes(report.sha256) == data
        # a file under the name whose bytes are another PDF is not taken for it
        other = "f" * 64
        lib.pdf_path(other).parent.mkdir(parents=True, exist_ok=True)
        lib.pdf_path(other).write_bytes(data)
        assert pageview.pdf_bytes(other) is None
    finally:
        pageview._SOURCES.clear()
        pageview._SOURCES.update(sources)


# -- from the screen back to the facts -----------------------------------------------------------


def test_table_rows_find_their_printed_cells() -> None:
    report = sample()
    row = frames.classification_table(report, "支出").iloc[0].to_dict()
    found = trace.facts_for_row(report, row)
    assert row["科目"] == "2010350 事业运行"
    assert found, row
    assert all(f.code == "2010350" and f.page == 7 for f in found)
    assert {f.value for f in found} <= {row["金额"], row["项目支出"]}
    # a row of the long form finds exactly its one fact
    facts = frames.facts_frame(report)
    for i in (0, 17, len(facts) - 1):
        got = trace.facts_for_row(report, facts.iloc[i].to_dict())
        want = report.facts[i]
        assert want in got
        assert all(
            (f.table, f.item, f.column, f.value, f.page)
            == (want.table, want.item, want.column, want.value, want.page)
            for f in got
        )


def test_a_row_opened_by_position_keeps_to_its_page() -> None:
    """A row taken by its position (a 原文 button, a selection) reads as Python values: its
    page number counts, so only that page's cells are found. (Taken as numpy values, the
    page read as no page and the cells of every table with that name and amount opened.)"""
    from core.ui.source import row_at

    report = sample()
    frame = frames.branch_table(report, "支出", "")
    for position in range(len(frame)):
        row = row_at(frame, position)
        assert type(row["页码"]) is int
        found = trace.facts_for_row(report, row)
        assert found, row
        assert {f.page for f in found} == {row["页码"]}, row
        assert all(f.value == row["金额"] for f in found)


def test_a_computed_number_finds_nothing() -> None:
    report = sample()
    # a share is computed, never printed: no cell stands behind it
    assert (
        trace.facts_for_row(report, {"类别": "人员经费", "占比": Decimal("93.49"), "页码": (12,)})
        == []
    )
    # a name no table prints finds nothing, even where the amount is printed
    assert (
        trace.facts_for_row(
            report, {"项目": "并不存在的科目", "金额": Decimal("182.29"), "页码": 7}
        )
        == []
    )


def test_chart_points_find_their_printed_cells() -> None:
    report = sample()
    point = {
        "curve_number": 0,
        "point_index": 0,
        "y": "事业运行",
        "x": 182.29,
        "customdata": ["2010350", "第 7 页"],
    }
    found = trace.facts_for_point(report, point)
    assert found and all(f.code == "2010350" and f.value == Decimal("182.29") for f in found)
    assert {f.page for f in found} == {7}


def test_kpi_finds_its_printed_cell() -> None:
    report = sample()
    kpi = next(k for k in frames.find_kpis(report) if k.label == "本年收入")
    found = trace.facts_for_figure(report, kpi.value, kpi.pages, [kpi.label])
    assert [(f.table, f.item, f.value) for f in found] == [
        ("公开01", "本年收入合计", Decimal("243.54"))
    ]


def test_check_sides_find_both_printed_figures() -> None:
    report = sample()
    cross = [
        c
        for c in report.checks
        if c.kind == "cross" and c.found is not None and c.expected is not None
    ]
    assert cross
    for check in cross:
        # the checks name the facts they compared: the printed figure, then the terms
        found, expected = trace.facts_for_check(report, check)
        assert [f.value for f in found] == [check.found], check.rule
        assert sum(f.value for f in expected) == check.expected, check.rule
        assert set(found + expected) == set(check.facts)
        # without that list, each side is found by its value and the names in the rule
        found, expected = trace.facts_for_check(report, replace(check, facts=()))
        assert found and all(f.value == check.found for f in found), check.rule
        assert all(f.value == check.expected for f in expected)
        assert all(f.page in check.pages for f in found + expected)
    # a check that names its facts is taken at its word
    a, b = report.facts[0], report.facts[1]
    named = Check("x", False, b.value, a.value, Decimal("0.01"), (a.table,), facts=(a, b))
    assert trace.facts_for_check(report, named) == ([a], [b])


def _outlined(image: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """The highlight's outline colour is drawn somewhere in the box."""
    import numpy as np

    piece = np.asarray(image.convert("RGB").crop(box)).astype(int)
    near = (abs(piece - np.array(pageview.OUTLINE)) <= 30).all(axis=2)
    return int(near.sum()) > 20


def _mean(image: Image.Image, box: tuple) -> float:
    return float(ImageStat.Stat(image.convert("L").crop(box)).mean[0])


# -- the briefing pack ---------------------------------------------------------------------------


def test_problem_slides_carry_both_printed_figures() -> None:
    from datetime import date

    from pptx import Presentation

    from core.present import brief
    from core.present.brief.record import MAX_PROBLEM_SLIDES
    from core.present.brief.slides import _problem_slides

    data = (FIXTURES / "quirk-planted-error.pdf").read_bytes()
    pageview.keep_pdf(data)
    report = parse_report_bytes(data, file_name="planted.pdf")
    failed = [c for c in report.checks if not c.ok and c.kind != "missing"]
    slides = _problem_slides(report)
    assert len(slides) == min(len(failed), MAX_PROBLEM_SLIDES) > 0
    for slide, check in zip(slides, failed, strict=False):
        assert check.rule in slide.title
        assert slide.image[:8] == b"\x89PNG\r\n\x1a\n"
        image = Image.open(io.BytesIO(slide.image))
        half = image.width // 2
        found, expected = trace.facts_for_check(report, check)
        assert found, check.rule  # the printed side is always a cell
        # a side with a printed cell shows its crop, outlined; a computed side only says so
        assert _outlined(image, (0, 0, half, image.height)), check.rule
        assert _outlined(image, (half, 0, image.width, image.height)) == bool(expected)
    # the writers lay a problem slide out like a chart slide
    pack = brief.Brief("单位", 2024, "单位决算", "planted.pdf", date(2025, 1, 1), tuple(slides))
    deck = Presentation(io.BytesIO(brief.write_pptx(pack)))
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == len(slides)
    assert brief.write_pdf(pack)[:5] == b"%PDF-"


def test_problem_slides_say_when_the_pdf_is_not_at_hand(sample_report: Report) -> None:
    from core.present.brief.slides import _problem_slides

    fact = sample_report.facts[0]
    bad = Check(
        "公开01 x = y",
        False,
        fact.value + 1,
        fact.value,
        Decimal("0.01"),
        ("公开01",),
        (fact.page,),
    )
    slides = _problem_slides(replace(sample_report, sha256="f" * 64, checks=(bad,)))
    assert len(slides) == 1
    image = Image.open(io.BytesIO(slides[0].image))
    # no crop, only the caption and the note on white
    assert not _outlined(image, (0, 0, image.width, image.height))
    assert "应为" in slides[0].takeaway


def test_narrative_rows_find_their_figures() -> None:
    report = sample()
    stated = frames.narrative_frame(report)
    for i in range(len(stated)):
        row = stated.iloc[i].to_dict()
        got = trace.narrative_for_row(report, row)
        assert got, row
        assert all(n.sentence == row["原文"] and n.page == row["页码"] for n in got)
        assert any(n.topic == row["主题"] for n in got)


def test_chart_points_of_every_chart_kind_find_their_source() -> None:
    report = sample()
    # a waterfall draws 本年支出 as a fall: −211.09 finds the printed 211.09 of 公开01
    fall = {"x": "本年支出", "y": -211.09, "customdata": "PDF 第 5 页"}
    found = trace.facts_for_point(report, fall)
    assert found and {(f.table, f.value, f.page) for f in found} == {
        ("公开01", Decimal("211.09"), 5)
    }
    # a treemap's root is the sum of its children (211.10), printed nowhere: nothing found
    assert trace.facts_for_point(report, {"label": "本年支出合计", "value": 211.1}) == []
    # a figure stated in the text (a change on last year) finds its sentence
    stated = next(n for n in report.narrative if n.kind == "change" and n.item)
    point = {"y": stated.item, "x": float(stated.value), "customdata": [stated.code or "", ""]}
    assert stated in trace.narrative_for_point(report, point)


def test_scorecard_rows_find_their_lines() -> None:
    report = sample()
    perf = frames.main_performance(report)
    assert perf is not None
    indicators = frames.indicator_frame(perf)
    row = indicators.iloc[0].to_dict()
    got = trace.scorecard_for_row(report, row)
    assert got and all(i.level3 == row["三级指标"] for i in got)  # type: ignore[union-attr]
    funds = frames.fund_frame(perf)
    row = funds.iloc[0].to_dict()
    got = trace.scorecard_for_row(report, row)
    assert got and all(f.name == row["资金"] for f in got)  # type: ignore[union-attr]


def test_the_indicator_tables_funds_row_opens_its_funds_line() -> None:
    """绩效指标's last row is the funds block's 预算执行率 (score_frame): its 原文 button
    said "not printed" although its 得分 6.62 is printed in the funds block (PDF p. 23)."""
    from core.ui.source import row_at

    report = sample()
    perf = frames.main_performance(report)
    assert perf is not None
    table = frames.score_frame(perf)
    row = row_at(table, len(table) - 1)
    assert row["一级指标"] == "预算执行"
    got = trace.scorecard_for_row(report, row)
    assert [(type(x).__name__, x.score, x.page) for x in got] == [("FundLine", Decimal("6.62"), 23)]


def test_warm_pages_renders_in_the_background() -> None:
    pageview.CACHE.clear()
    pageview.warm_pages(DATA, [9, 10, 9])
    assert pageview._WARMER is not None
    pageview._WARMER.submit(lambda: None).result(timeout=60)  # the queue is done
    key = pageview.keep_pdf(DATA)
    assert {(key, 9, pageview.DEFAULT_SCALE), (key, 10, pageview.DEFAULT_SCALE)} <= set(
        pageview.CACHE.items
    )
    hits = pageview.CACHE.hits
    pageview.render_page(DATA, 9)
    assert pageview.CACHE.hits == hits + 1


@pytest.mark.slow
def test_ocr_boxes_cover_the_printed_digits_of_the_scan() -> None:
    """A scanned report's facts carry boxes in PDF points, top-left origin, like any other:
    the scan fixture is pages 5–7 of the sample rendered to images, so each OCR'd fact's box
    must cover the text-layer box of the same cell on the same page (whose words are the
    printed digits, see test_boxes), be no much larger, and the crop of the scan there must
    hold ink."""
    scan_pdf = FIXTURES / "scan-sample-200.pdf"
    data = scan_pdf.read_bytes()
    scanned = parse_report(scan_pdf)
    assert scanned.text_source == "ocr"
    twins: dict[tuple, Box] = {}
    for f in sample().facts:
        if f.page in (5, 6, 7) and f.box is not None:
            twins[(f.table, f.section, f.parent, f.code, f.item, f.column, f.value, f.page - 4)] = (
                f.box
            )
    compared = 0
    for f in scanned.facts:
        assert f.box is not None, f
        x0, top, x1, bottom = f.box
        width, height = pageview.page_size(data, f.page)
        assert 0 <= x0 < x1 <= width and 0 <= top < bottom <= height, f
        twin = twins.get((f.table, f.section, f.parent, f.code, f.item, f.column, f.value, f.page))
        if twin is None:
            continue
        ix = max(0.0, min(x1, twin[2]) - max(x0, twin[0]))
        iy = max(0.0, min(bottom, twin[3]) - max(top, twin[1]))
        twin_area = (twin[2] - twin[0]) * (twin[3] - twin[1])
        assert ix * iy >= 0.9 * twin_area, (f, twin)
        assert (x1 - x0) * (bottom - top) <= 4 * twin_area, (f, twin)
        compared += 1
    assert compared >= 0.9 * len(scanned.facts) and compared > 200
    # the source view's crop of a scanned cell: the scan's own pixels, ink inside the box
    for f in scanned.facts[:: max(1, len(scanned.facts) // 12)]:
        assert f.box is not None
        crop = pageview.render_crop(data, f.page, [f.box], zoom="cell")
        x0, top, x1, bottom = f.box
        rx0, rtop = crop.region[0], crop.region[1]
        inside = crop.image.convert("L").crop(
            (
                int((x0 - rx0) * crop.scale) + 3,
                int((top - rtop) * crop.scale) + 3,
                int((x1 - rx0) * crop.scale) - 3,
                int((bottom - rtop) * crop.scale) - 3,
            )
        )
        assert inside.getextrema()[0] < 110, f  # dark digits, not blank paper


def _point_value(tr: Any, i: int) -> Decimal | None:
    """The amount a chart point draws, to the cent (a bar's length, a slice, a step; a
    treemap box's amount as it says it; the 总分 spot's score)."""
    if tr.type == "treemap":
        raw: Any = str(tr.customdata[i][2]).replace(",", "")
    elif tr.type == "scatter":
        raw = str(tr.customdata[i][0]).removesuffix(" 分")
    elif tr.type == "pie":
        raw = tr.values[i]
    elif tr.type == "bar" and tr.orientation == "h":
        raw = tr.x[i]
    else:
        raw = tr.y[i]
    if raw is None or raw != raw:
        return None
    return abs(Decimal(str(raw))).quantize(Decimal("0.01"))


def _keyed_charts(report: Report) -> list[Any]:
    figs = [
        charts.build_sankey_chart(report),
        charts.build_overview_chart(report),
        charts.build_waterfall_chart(report),
        charts.build_spending_split_chart(report),
        charts.build_personnel_chart(report),
        charts.build_economic_chart(report),
        charts.build_three_public_chart(report),
        charts.build_budget_execution_chart(report),
        charts.build_item_change_chart(report),
        charts.build_treemap_chart(report, "支出"),
        charts.build_treemap_chart(report, "收入"),
    ]
    for perf in report.performance:
        figs += [
            charts.build_score_gauge_chart(report, perf),
            charts.build_indicator_chart(report, perf),
            charts.build_fund_execution_chart(report, perf),
        ]
    return [f for f in figs if f is not None]


def _mutated(key: str) -> str:
    """The key with the value of each thing it names changed by a cent (or a point)."""
    body = json.loads(key.removeprefix(trace.KEY_PREFIX))
    for part in body.values():
        if not isinstance(part, list):
            continue  # the report named ("r") and how a number is made ("d")
        for entry in part:
            for i, field in enumerate(entry):
                if isinstance(field, str) and re.fullmatch(r"-?\d+(\.\d+)?", field):
                    entry[i] = str(Decimal(field) + Decimal("0.01"))
                    break
    return trace.KEY_PREFIX + json.dumps(body, ensure_ascii=False)


def _printed_in(page: Any, box: Box | None, value: Decimal) -> bool:
    """A word inside the box is ``value`` as printed (a scorecard row's box holds the whole
    row: one of its words must be the figure)."""
    assert box is not None
    for w in words_in(page, box):
        try:
            if Decimal(w.text.replace(",", "").removesuffix("%")) == value:
                return True
        except ArithmeticError:
            continue
    return False


@pytest.mark.parametrize("which", ["sample", "putuo", "xinan"])
def test_every_chart_point_names_its_printed_cell_by_key(which: str) -> None:
    """Each point of each clickable chart carries a key (customdata) that resolves to the
    printed cells (or stated figures, or scorecard rows and 总分) it draws: the same value,
    and a box on its page whose words read as that value. A point with an empty key is a
    computed number. A key changed by a cent names nothing."""
    path = {
        "sample": SAMPLE_PDF,
        "putuo": CORPUS / "putuo-shehuigongzuobu-2024-bumen-juesuan.pdf",
        "xinan": CORPUS / "xinan-daxue-2023-bumen-juesuan.pdf",
    }[which]
    data = path.read_bytes()
    report = parse_report_bytes(data, file_name=path.name)
    pages = {p.number: p for p in extract_pages(data)}
    keyed = named = 0
    kinds: set[str] = set()
    for fig in _keyed_charts(report):
        points: list[tuple[Any, Any]] = []  # (customdata, the value drawn)
        for tr in fig.data:
            if tr.type == "sankey":
                links = [Decimal(str(v)).quantize(Decimal("0.01")) for v in tr.link.value]
                points += list(zip(tr.link.customdata, links, strict=True))
                # a node stands for a printed row only where one link ends there: its value
                points += [(c, set(links)) for c in tr.node.customdata]
            elif tr.type == "treemap":
                # a 「较小的 N 项」 box is a sum of boxes inside it, printed nowhere: not counted
                points += [
                    (c, {None} if i.endswith("/其他") else _point_value(tr, n))
                    for n, (i, c) in enumerate(zip(tr.ids, tr.customdata, strict=True))
                ]
            elif tr.customdata is not None and tr.hoverinfo != "skip":
                points += [(c, _point_value(tr, i)) for i, c in enumerate(tr.customdata)]
        for custom, value in points:
            key = trace.key_in({"customdata": list(custom)})
            assert key is not None, (fig.layout.title.text, custom)
            keyed += 1
            facts, figures = trace.resolve_key(report, key)
            lines = trace.resolve_scorecard(report, key)
            if not facts and not figures and not lines:
                # computed: the dialog says it has no printed cell (a Sankey node where
                # several links meet is a sum: not counted)
                keyed -= isinstance(value, set)
                continue
            named += 1
            kinds.add(fig.data[0].type if fig.data[0].type != "indicator" else "gauge")
            assert _mutated(key) != key
            assert trace.resolve_key(report, _mutated(key)) == ([], [])
            assert trace.resolve_scorecard(report, _mutated(key)) == []
            for f in facts:
                assert f.value == value or (isinstance(value, set) and f.value in value), (
                    fig.layout.title.text,
                    f,
                    value,
                )
                assert f.box is not None
                text = "".join(
                    w.text for w in sorted(words_in(pages[f.page], f.box), key=lambda w: w.x0)
                )
                assert reads_as(text, f.value), (f, text)
            for n in figures:
                assert abs(n.value) == value, (fig.layout.title.text, n, value)
                assert n.box is not None
                x0, top, x1, bottom = n.box
                near = "".join(
                    w.text
                    for w in pages[n.page].words
                    if w.x1 > x0 and w.x0 < x1 and w.bottom > top and w.top < bottom
                )
                assert f"{abs(n.value)}" in near.replace(",", ""), (n, near)
            for x in lines:
                assert isinstance(value, Decimal), (fig.layout.title.text, x)
                if isinstance(x, Performance):
                    assert x.total_score == value and x.total_page is not None
                    assert _printed_in(pages[x.total_page], x.total_box, value), x
                else:
                    drawn = (
                        [x.score]
                        if isinstance(x, Indicator)
                        else [x.initial_budget, x.full_year_budget, x.executed, x.score]
                    )
                    assert value in drawn, (fig.layout.title.text, x, value)
                    assert _printed_in(pages[x.page], x.box, value), (x, value)
    assert keyed and named >= keyed // 2, (keyed, named)
    if which == "sample":
        # the sample prints every figure its charts draw (its 公开01 has every balance row)
        assert named == keyed, (keyed, named)
        assert {"treemap", "gauge", "bar"} <= kinds, kinds


def test_a_computed_point_carries_the_empty_key() -> None:
    """A point no table prints (a 年末结转和结余 a report leaves out) has no cell by key,
    though a fact of the same amount may stand elsewhere."""
    report = sample()
    assert trace.resolve_key(report, trace.point_key()) == ([], [])
    closing = frames.find_fact_01(report, "支出", "年末结转和结余")
    assert closing is not None
    key = charts._balance_key(
        report, "年末结转和结余", closing.value + Decimal("0.01"), closing.page
    )
    assert trace.resolve_key(report, key) == ([], [])
    key = charts._balance_key(report, "年末结转和结余", closing.value, closing.page)
    assert trace.resolve_key(report, key) == ([closing], [])


def test_a_treemap_click_finds_its_box_key_in_the_figure() -> None:
    """Streamlit hands a treemap click over as the box's id and numbers (snake_case), no
    customdata: the server takes the key from the figure drawn. A 「较小的 N 项」 box and the
    box heading the map open or leave in the map and show no dialog."""
    from core.ui import source

    report = sample()
    fig = charts.build_treemap_chart(report, "支出")
    assert fig is not None
    tr = fig.data[0]
    ids = list(tr.ids)

    def clicked(node: str, entry: float, parent: float) -> dict[str, Any]:
        return {
            "id": node,
            "parent": "…",
            "label": tr.labels[ids.index(node)],
            "curve_number": 0,
            "point_number": ids.index(node),
            "percent_entry": entry,
            "percent_parent": parent,
        }

    point = source._with_customdata(clicked("201", 0.86, 0.86), fig)
    facts, _ = trace.resolve_key(report, trace.key_in(point) or "")
    assert [(f.table, f.code, f.value) for f in facts] == [("公开03", "201", Decimal("182.29"))]
    assert not source._opens_a_box(point, fig)  # a 类 with 款 inside: its cell shows too
    other = next(i for i in ids if i.endswith("/其他"))
    assert source._opens_a_box(source._with_customdata(clicked(other, 0.06, 0.06), fig), fig)
    heading = source._with_customdata(clicked("201", 1, 0.86), fig)
    assert source._opens_a_box(heading, fig)
    leaf = source._with_customdata(clicked("2010350", 1, 1), fig)  # an only child, no boxes
    assert not source._opens_a_box(leaf, fig)


def test_a_treemap_drawn_again_after_a_click_stays_where_the_click_took_it() -> None:
    """Once a click is read the chart is drawn anew (nothing selected): a treemap is drawn at
    the level plotly.js went to on that click. A box with boxes inside opens; the box heading
    the map goes up to its parent; a box with none and the root leave the map as it was; any
    other chart's point has no level."""
    from core.ui import source

    report = sample()
    fig = charts.build_treemap_chart(report, "支出")
    assert fig is not None
    ids = list(fig.data[0].ids)

    def clicked(node: str) -> dict[str, Any]:
        return {"id": node, "parent": "…", "curve_number": 0, "point_number": ids.index(node)}

    assert source._level_after(fig, clicked("201"), None) == "201"  # a 类: into it
    assert source._level_after(fig, clicked("20103"), "201") == "20103"  # a 款 inside
    assert source._level_after(fig, clicked("201"), "201") == "root"  # its heading: up
    assert source._level_after(fig, clicked("20103"), "20103") == "201"
    assert source._level_after(fig, clicked("root/其他"), None) == "root/其他"
    assert source._level_after(fig, clicked("208"), "root/其他") == "208"
    assert source._level_after(fig, clicked("2010350"), "20103") == "20103"  # a 项: no boxes
    assert source._level_after(fig, clicked("root"), None) is None
    bars = charts.build_economic_chart(report)
    assert bars is not None
    point = {"curve_number": 0, "point_number": 0, "x": 1.0, "y": "基本工资"}
    assert source._level_after(bars, point, None) is None
    # drawn at that level, a copy: the cached figure stays at its own
    shown = source._at_level(fig, "201")
    assert shown.data[0].level == "201" and fig.data[0].level is None
    assert source._at_level(fig, None) is fig


# -- the library's comparison charts: each point names its cells in its own report -------------


@pytest.fixture(scope="module")
def comparison_libraries(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    """Two libraries: the sample and two real reports (two of them of one year), and the
    generated reports of one unit over years with a year worked out of the next one's text."""
    import libdata

    from core.library import Library
    from core.library.importer import import_paths

    real = Library(tmp_path_factory.mktemp("real"))
    for path in (
        SAMPLE_PDF,
        CORPUS / "putuo-shehuigongzuobu-2024-bumen-juesuan.pdf",
        CORPUS / "xinan-daxue-2023-bumen-juesuan.pdf",
    ):
        data = path.read_bytes()
        real.add(parse_report_bytes(data, file_name=path.name), data)
    folder = tmp_path_factory.mktemp("generated")
    libdata.write(folder)
    generated = Library(tmp_path_factory.mktemp("lib"))
    import_paths(generated, [folder])
    return [real, generated]


def _comparison_points(lib: Any) -> list[tuple[str, str, Decimal]]:
    """(chart, key, the value drawn) of every point of every comparison chart of ``lib``."""
    from core.library import compare
    from core.present import compare_charts as cc

    out: list[tuple[str, str, Decimal]] = []

    def take(fig: Any, value_of: Any) -> None:
        assert fig is not None
        for tr in fig.data:
            for i, custom in enumerate(tr.customdata):
                key = trace.key_in({"customdata": list(custom)})
                assert key is not None, (fig.layout.title.text, custom)
                drawn = Decimal(str(value_of(tr, i))).quantize(Decimal("0.01"))
                out.append((fig.layout.title.text, key, drawn))

    def take_vega(chart: Any, field: str) -> None:
        # the small multiples (altair): each datum drawn carries its key in ``_key``
        spec = chart.to_dict()
        assert [p["name"] for p in spec["params"]] == [cc.PICK]
        for datum in spec["datasets"][next(iter(spec["datasets"]))]:
            drawn = Decimal(str(datum[field])).quantize(Decimal("0.01"))
            out.append((spec["title"], datum["_key"], drawn))

    for ukey in compare.units(lib)["单位键"]:
        frame = compare.unit_years(lib, ukey)
        if not frame.empty and frame["指标"].isin(cc.AMOUNT_METRICS).any():
            keys = compare.year_keys(lib, frame)
            take(cc.build_years_chart(frame, "u", keys), lambda tr, i: tr.y[i])
            take_vega(cc.build_years_small_multiples(frame, "u", keys), "数值")
        classes = compare.unit_classes(lib, ukey)
        if not classes.empty:
            keys = compare.class_keys(lib, classes)
            take_vega(cc.build_class_small_multiples(classes, "u", keys), "金额")
    for year in compare.years(lib):
        frame = compare.compare_units(lib, year)
        for metric in compare.METRICS:
            keys = compare.unit_keys(lib, frame, metric)
            fig = cc.build_compare_chart(frame, metric, year, keys)
            if fig is not None:
                take(fig, lambda tr, i: tr.x[i])
        shares = compare.class_shares(lib, year)
        fig = cc.build_class_share_chart(shares, year, compare.share_keys(lib, shares))
        if fig is not None:
            take(fig, lambda tr, i: tr.x[i])
    return out


def test_every_comparison_point_names_its_printed_cells_in_its_report(
    comparison_libraries: list[Any],
) -> None:
    """Each point of the library's comparison charts (跨年 lines, 单位对比 bars, 类 shares)
    carries a key naming the report it comes from and the printed cells (or stated
    figures, or 总分) it draws: the same value, and a box whose words read as it. A number
    worked out of cells (a share, a ratio, a year worked out of the next year's change) says
    how, names every cell it is made of, and is that computation of them. A key changed by a
    cent, or read against another report, names nothing."""
    named = derived = 0
    for lib in comparison_libraries:
        reports: dict[str, Report] = {}
        pages: dict[str, dict[int, Any]] = {}
        for title, key, drawn in _comparison_points(lib):
            sha = trace.key_report(key)
            assert sha is not None, (title, key)
            if sha not in reports:
                reports[sha] = lib.report(sha)
                pages[sha] = {p.number: p for p in extract_pages(lib.pdf(sha))}
            report = reports[sha]
            facts, figures = trace.resolve_key(report, key)
            totals = trace.resolve_scorecard(report, key)
            note = trace.key_note(key)
            if not (facts or figures or totals):
                assert drawn == 0 or note == "", (title, key)  # a zero 三公 of a blank table
                continue
            named += 1
            other = next(r for s, r in reports.items() if s != sha) if len(reports) > 1 else None
            if other is not None:
                assert trace.resolve_key(other, key) == ([], [])
            assert trace.resolve_key(report, _mutated(key)) == ([], [])
            for f in facts:
                assert f.box is not None
                text = "".join(
                    w.text for w in sorted(words_in(pages[sha][f.page], f.box), key=lambda w: w.x0)
                )
                assert reads_as(text, f.value), (title, f, text)
            for n in figures:
                assert n.box is not None
                x0, top, x1, bottom = n.box
                near = "".join(
                    w.text
                    for w in pages[sha][n.page].words
                    if w.x1 > x0 and w.x0 < x1 and w.bottom > top and w.top < bottom
                )
                # a change of nothing may be printed in words (与上年决算数持平)
                said = f"{abs(n.value)}" in near.replace(",", "")
                assert said or (n.value == 0 and "持平" in near), (n, near)
            for x in totals:
                assert isinstance(x, Performance) and x.total_page is not None
                assert _printed_in(pages[sha][x.total_page], x.total_box, drawn), x
            if not note:
                values = {f.value for f in facts} | {n.value for n in figures}
                values |= {x.total_score for x in totals if isinstance(x, Performance)}
                assert values == {drawn}, (title, values, drawn)
                continue
            derived += 1
            assert f"{drawn}" in note.replace(",", ""), (title, note, drawn)
            if "÷ 基本支出" in note:  # 人员经费 ÷ 基本支出
                (part,) = [f.value for f in facts if f.table == "公开06"]
                (whole,) = [f.value for f in facts if f.table == "公开05"]
                assert (100 * part / whole).quantize(Decimal("0.01")) == drawn, (facts, drawn)
            elif "比上年增减" in note:  # the next year's figure less the change its text states
                (change,) = [n for n in figures if n.kind == "change"]
                stated = [f.value for f in facts] or [
                    n.value for n in figures if n.kind != "change"
                ]
                if stated:
                    assert [v - change.value for v in stated] == [drawn], (facts, figures)
                else:  # a total whose own cell is no metric's: named in the note
                    assert f"增减 {change.value}" in note.replace(",", ""), note
            elif "占比" in note:  # one 类's share of the 类 together
                (cell,) = facts
                whole = Decimal(note.rsplit("各类合计", 1)[1].split("万元")[0].replace(",", ""))
                assert abs(100 * cell.value / whole - drawn) <= Decimal("0.005"), (note, drawn)
            elif "推算为零" in note:  # a blank 年末结转和结余: 总计 less 本年支出 is nothing left
                total, *spent = (f.value for f in facts)
                assert drawn == 0 and total - sum(spent) == 0, facts
            else:
                raise AssertionError(f"a derived number the test does not know: {note}")
    assert named > 40 and derived >= 6, (named, derived)
