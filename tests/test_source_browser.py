"""溯源 in a real browser: click a bar, a table row and a problem; the crop shown is the
printed cell of the number clicked.

For each crop in the dialog the test finds the fact its label names, reads the PDF's own
words inside that fact's box (they must read as the number clicked), and checks the image
shown is that box's highlighted crop, pixel for pixel. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import base64
import io
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from browserkit import open_until_shown, served_tab
from conftest import FIXTURES, ROOT, SAMPLE_PDF
from PIL import Image, ImageChops
from test_boxes import reads_as, words_in

from bench.appserver import DRAWN, settle
from bench.source_bench import (
    CROP_SHOWN,
    center,
    click_row,
    click_source_button,
    close_dialog,
)
from bench.source_bench import visit as visit_page
from core.accounts.parse import parse_report, parse_report_bytes
from core.library.store import Library
from core.pdf.extract import Page, extract_pages
from core.present import pageview
from core.records import Fact, Report
from core.ui.library import ensure_sample
from core.ui.source import fact_label

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"

#: (label, image src) of every crop in the open dialog, each image with the label above it.
CROPS_JS = """() => {
    const out = [];
    let label = null;
    const nodes = document.querySelectorAll(
        '[role="dialog"] [data-testid="stMarkdownContainer"], [role="dialog"] [data-testid="stImage"] img');
    for (const n of nodes) {
        if (n.tagName === 'IMG') out.push([label, n.getAttribute('src')]);
        else if (/第 \\d+ 页/.test(n.innerText)) label = n.innerText.trim();
    }
    return out;
}"""


@cache
def _parsed(path: Path) -> tuple[Report, dict[int, Page], bytes]:
    data = path.read_bytes()
    return parse_report(path), {p.number: p for p in extract_pages(data)}, data


def _parse_bytes(data: bytes, name: str) -> Report:
    return parse_report_bytes(data, file_name=name)


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    # a library of its own: the session's shared one holds what other browser tests imported,
    # and the app opens on the library. The sample is stored there before the server starts,
    # as after any earlier start: the server opens it from the library and never reads its
    # PDF itself (the source view must find the PDF in the library's folder)
    folder = Path(tempfile.mkdtemp(prefix="juesuan-library-source-"))
    assert ensure_sample(Library(folder), SAMPLE_PDF, _parse_bytes) is not None
    with served_tab(folder, ARTIFACTS / "streamlit-source.log") as tab:
        yield tab


def visit(tab: Any, title: str) -> None:
    """Close any dialog, go to the page through the sidebar, wait for its heading and for it
    to be drawn (its charts' and grids' handlers bound)."""
    close_dialog(tab)
    visit_page(tab, title)


#: Every image of the open dialog loaded and drawn.
IMAGES_DRAWN = """() => [...document.querySelectorAll('[role="dialog"] [data-testid="stImage"] img')]
    .every(i => i.complete && i.naturalWidth > 0)"""


def dialog_drawn(tab: Any, timeout: float = 90_000) -> None:
    """The dialog a click opened, whole: a crop shown (the click's run has started, the
    dialog being for other content never shows the last one's), then the run over and every
    crop loaded. A first crop may render its page cold."""
    tab.wait_for_function(CROP_SHOWN, timeout=timeout, polling=100)
    tab.wait_for_function(DRAWN, timeout=timeout, polling=100)
    tab.wait_for_function(IMAGES_DRAWN, timeout=timeout, polling=100)


def shown_crops(tab: Any, path: Path) -> list[tuple[Fact, Image.Image]]:
    """The facts the open dialog shows, each with the image shown for it; every image is
    checked to be that fact's highlighted crop, and its box to hold the printed value."""
    dialog_drawn(tab)
    report, pages, data = _parsed(path)
    by_label = {fact_label(report, f).replace("**", ""): f for f in report.facts}
    out = []
    for label, src in tab.evaluate(CROPS_JS):
        fact = by_label.get(label)
        assert fact is not None, f"no fact is labelled {label!r}"
        assert fact.box is not None
        # the PDF's own words inside the box read as the number
        text = "".join(
            w.text for w in sorted(words_in(pages[fact.page], fact.box), key=lambda w: w.x0)
        )
        assert reads_as(text, fact.value), (label, text)
        # and the picture is that box's crop, highlighted
        assert src.startswith("data:image/png;base64,")
        image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB")
        want = pageview.render_crop(data, fact.page, [fact.box], zoom="cell").image
        assert image.size == want.size and ImageChops.difference(image, want).getbbox() is None
        out.append((fact, image))
    assert out, "the dialog shows no crop"
    return out


def test_click_a_bar(page: Any) -> None:
    visit(page, "人员与公用")
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(
        has=page.locator(".barlayer .point")
    )
    chart.first.scroll_into_view_if_needed()
    bars = chart.first.locator(".barlayer .point path")
    # the first bar's name and value, as plotly holds them
    name, value = chart.first.locator(".js-plotly-plot").evaluate(
        "gd => [gd.data[0].y[0], gd.data[0].x[0]]"
    )
    open_until_shown(page, lambda: bars.first.click(force=True))
    crops = shown_crops(page, SAMPLE_PDF)
    page.screenshot(path=str(ARTIFACTS / "source-bar.png"))
    assert any(f.item == name and f.value == Decimal(str(round(value, 2))) for f, _ in crops), (
        name,
        value,
        [(f.item, f.value) for f, _ in crops],
    )


#: From now on, count the dialogs that open and note their titles, in order.
WATCH_DIALOGS_JS = """() => {
    window.__dialogs = [];
    window.__dialogWatch?.disconnect();
    window.__dialogWatch = new MutationObserver(ms => {
        for (const m of ms) for (const n of m.addedNodes) {
            if (n.nodeType !== 1) continue;
            const d = n.matches('[role="dialog"]') ? n : n.querySelector('[role="dialog"]');
            if (d) window.__dialogs.push(d.innerText.split('\\n')[0]);
        }
    });
    window.__dialogWatch.observe(document.body, {subtree: true, childList: true});
}"""


def _bar_named(chart: Any, nth: int) -> tuple[Any, str, float]:
    """The chart's ``nth`` bar of its first trace, with its name and value as plotly holds them."""
    name, value = chart.locator(".js-plotly-plot").evaluate(
        f"gd => [gd.data[0].y[{nth}], gd.data[0].x[{nth}]]"
    )
    return chart.locator(".barlayer .trace").first.locator(".point path").nth(nth), name, value


def _opens(tab: Any, bar: Any, name: str, value: float) -> None:
    """A plain click on the bar opens the dialog titled with its name, showing its printed
    cell. Not open_until_shown: a click tried again would hide a click that opened nothing."""
    settle(tab)  # the chart drawn (anew), its click handlers bound
    bar.click(force=True)
    crops = shown_crops(tab, SAMPLE_PDF)
    assert f"原文 · {name}" in tab.locator('[role="dialog"]').inner_text()
    assert any(f.item == name and f.value == Decimal(str(round(value, 2))) for f, _ in crops), (
        name,
        value,
        [(f.item, f.value) for f, _ in crops],
    )


def test_the_same_bar_clicked_again_opens_again(page: Any) -> None:
    """plotly toggles a selected bar off when it is clicked again, and Streamlit reported
    that as an empty selection: the same bar's second click opened nothing. Click a bar,
    close, click it again, and again: its dialog opens each time, with its own cell. A
    double-click on the plot (plotly's reset of the view) opens nothing; the next bar
    clicked opens its own figure, no other."""
    visit(page, "人员与公用")
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(
        has=page.locator(".barlayer .point")
    )
    chart = chart.first
    chart.scroll_into_view_if_needed()
    # bars no earlier test clicked (a bar left selected would open on the first click only)
    bar, name, value = _bar_named(chart, 4)
    _opens(page, bar, name, value)
    close_dialog(page)
    page.set_viewport_size({"width": 1280, "height": 720})
    try:
        chart.scroll_into_view_if_needed()
        _opens(page, bar, name, value)
        page.screenshot(path=str(ARTIFACTS / "source-bar-second-click.png"))
    finally:
        page.set_viewport_size({"width": 1600, "height": 1000})
    close_dialog(page)
    _opens(page, bar, name, value)
    close_dialog(page)
    page.evaluate(WATCH_DIALOGS_JS)
    # a double-click on the plot area where no bar is (its bottom right corner: the bars are
    # drawn largest first, from the top)
    area = chart.locator(".nsewdrag").first.bounding_box()
    page.mouse.dblclick(area["x"] + area["width"] - 4, area["y"] + area["height"] - 4)
    settle(page)
    # plotly counts a click within its double-click delay of the last one as part of the
    # double-click (it selects nothing): the next click comes after that delay is over
    chart.locator(".js-plotly-plot").evaluate(
        """gd => new Promise(done => { const wait = () =>
            Date.now() - gd._mouseDownTime > gd._context.doubleClickDelay
                ? done() : requestAnimationFrame(wait); wait(); })"""
    )
    assert page.locator('[role="dialog"]').count() == 0
    other, other_name, other_value = _bar_named(chart, 5)
    assert other_name != name
    _opens(page, other, other_name, other_value)
    assert page.evaluate("window.__dialogs") == [f"原文 · {other_name}"]
    close_dialog(page)


def test_the_same_cell_of_the_source_page_clicked_again_opens_again(page: Any) -> None:
    """原文 (the PDF page with every number read outlined) is drawn as the charts are: a
    cell clicked opens its crop, and clicked again after the dialog closed, opens it again."""
    visit(page, "原文")
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    report = _parsed(SAMPLE_PDF)[0]
    # the 4th number outlined on the page: its marker (the second trace) and its label
    label = chart.locator(".js-plotly-plot").evaluate("gd => gd.data[1].customdata[3][1]")
    marker = chart.locator(".scatterlayer .trace").nth(1).locator("path.point").nth(3)
    for _ in range(2):
        settle(page)  # the chart drawn (anew), its click handlers bound
        # a plain click, not open_until_shown: a click tried again would hide the fault
        marker.click(force=True)
        crops = shown_crops(page, SAMPLE_PDF)
        assert [fact_label(report, f).replace("**", "") for f, _ in crops] == [label]
        close_dialog(page)


def test_click_a_table_row(page: Any) -> None:
    visit(page, "功能分类")
    table = page.locator('[data-testid="stDataFrame"]').first
    table.scroll_into_view_if_needed()
    center(page, table)
    open_until_shown(page, lambda: click_row(page, table, 0))
    crops = shown_crops(page, SAMPLE_PDF)
    page.screenshot(path=str(ARTIFACTS / "source-row.png"))
    # the first row is the largest branch: 201 (类) or 2010350 事业运行 (项), 182.29 on page 7
    assert any(
        f.code and "2010350".startswith(f.code) and (f.value, f.page) == (Decimal("182.29"), 7)
        for f, _ in crops
    ), [(f.code, f.value, f.page) for f, _ in crops]
    # zoom out to the whole page, then turn to the next one
    dialog = page.locator('[role="dialog"]')
    dialog.get_by_text("整页", exact=True).click()
    dialog.get_by_text("第 7 页，共 24 页（数字所在页）").wait_for(timeout=30_000)
    # a rerun keeps the old image until the new one arrives: wait for the page's own image,
    # then for the next page's to replace it
    first_img = """() => {
        const img = document.querySelector('[role="dialog"] [data-testid="stImage"] img');
        return img && img.complete && img.naturalHeight > img.naturalWidth ? img.src : null;
    }"""
    page.wait_for_function(first_img, timeout=30_000)
    seventh = page.evaluate(first_img)
    dialog.get_by_role("button", name="下一页").click()
    dialog.get_by_text("第 8 页，共 24 页").wait_for(timeout=30_000)
    page.wait_for_function(
        f"(old) => {{ const s = ({first_img})(); return !!s && s !== old; }}",
        arg=seventh,
        timeout=30_000,
    )
    src = dialog.locator('[data-testid="stImage"] img').first.get_attribute("src")
    shown = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB")
    want = pageview.render_crop(_parsed(SAMPLE_PDF)[2], 8, [], zoom="page").image
    assert ImageChops.difference(shown, want).getbbox() is None
    page.screenshot(path=str(ARTIFACTS / "source-row-next-page.png"))


#: The rows of an st.dataframe as the grid shows them (its accessible table), cell texts.
SHOWN_ROWS_JS = """e => [...e.querySelectorAll('table tr')].filter(r => !r.querySelector('th'))
    .map(r => [...r.children].map(c => c.textContent))"""


def _button_opens(tab: Any, table: Any, position: int) -> None:
    """The 原文 button of the row shown at ``position`` opens that row: the dialog is titled
    with its name and shows the crop of its printed amount."""
    shown = table.evaluate(SHOWN_ROWS_JS)[position]
    name, amount = shown[1], Decimal(shown[3])
    center(tab, table)
    open_until_shown(tab, lambda: click_source_button(tab, table, position))
    crops = shown_crops(tab, SAMPLE_PDF)
    assert f"原文 · {name}" in tab.locator('[role="dialog"]').inner_text()
    code, item = name.split(maxsplit=1)
    assert any(f.value == amount and item in f.item and f.code in (code, None) for f, _ in crops), (
        name,
        [(f.code, f.item, f.value) for f, _ in crops],
    )
    close_dialog(tab)


def test_a_rows_source_button_opens_that_row_also_when_sorted(page: Any) -> None:
    """Each row's 原文 button opens that row's printed cells; after the user sorts the
    table, the button of the row shown first opens the row shown first."""
    visit(page, "功能分类")
    table = page.locator('[data-testid="stDataFrame"]').first
    table.scroll_into_view_if_needed()
    center(page, table)
    # the grid writes its rows for screen readers after it draws: wait for them
    page.wait_for_function(
        f"e => ({SHOWN_ROWS_JS})(e).length > 2", arg=table.element_handle(), timeout=60_000
    )
    before = table.evaluate(SHOWN_ROWS_JS)
    assert len(before) > 2
    _button_opens(page, table, 1)
    # sort by 金额 (or 占比, the same order) with a click on its heading: smallest first
    box = table.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.72, box["y"] + 17)
    page.wait_for_function(
        f"e => ({SHOWN_ROWS_JS})(e)[0][1] !== {before[0][1]!r}",
        arg=table.element_handle(),
        timeout=30_000,
    )
    after = table.evaluate(SHOWN_ROWS_JS)
    assert [Decimal(r[3]) for r in after] == sorted(Decimal(r[3]) for r in before), after
    _button_opens(page, table, 0)


#: From now on, note the src of every image the dialog shows, in the order shown.
WATCH_IMAGES_JS = """() => {
    window.__shown = [];
    const note = () => {
        for (const img of document.querySelectorAll('[role="dialog"] [data-testid="stImage"] img')) {
            const src = img.getAttribute('src');
            if (src && window.__shown[window.__shown.length - 1] !== src) window.__shown.push(src);
        }
    };
    window.__watch?.disconnect();
    window.__watch = new MutationObserver(note);
    window.__watch.observe(document.body,
        {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
}"""


def _reopened_shows_only_the_new(tab: Any, open_a: Any, open_b: Any) -> None:
    """Open A, close, open B: the first picture the dialog shows is one of B's, never A's."""
    open_until_shown(tab, open_a)
    dialog_drawn(tab)
    a_srcs = {src for _, src in tab.evaluate(CROPS_JS)}
    close_dialog(tab)
    tab.evaluate(WATCH_IMAGES_JS)
    open_until_shown(tab, open_b)
    dialog_drawn(tab)
    b_srcs = {src for _, src in tab.evaluate(CROPS_JS)}
    shown = tab.evaluate("window.__shown")
    assert b_srcs and not (a_srcs & b_srcs), "A and B must show different crops"
    assert shown and shown[0] in b_srcs, "the dialog first showed a picture that is not B's"
    assert not a_srcs & set(shown), "the dialog showed A's picture again"
    close_dialog(tab)


def test_a_dialog_reopened_never_shows_the_last_crop(page: Any) -> None:
    """Another row, another bar, another problem: their dialog never shows the crop of the
    number opened before it, not even for a moment."""
    visit(page, "功能分类")
    table = page.locator('[data-testid="stDataFrame"]').first
    table.scroll_into_view_if_needed()
    center(page, table)
    _reopened_shows_only_the_new(
        page, lambda: click_row(page, table, 0), lambda: click_row(page, table, 1)
    )
    visit(page, "人员与公用")
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(
        has=page.locator(".barlayer .point")
    )
    chart.first.scroll_into_view_if_needed()
    bars = chart.first.locator(".barlayer .point path")
    # not the first bar: test_click_a_bar selected it, and a second click on a selected bar
    # deselects it (no dialog)
    _reopened_shows_only_the_new(
        page, lambda: bars.nth(1).click(force=True), lambda: bars.nth(2).click(force=True)
    )
    visit(page, "总览")
    buttons = page.get_by_role("button", name="原文")
    buttons.first.wait_for(timeout=60_000)
    _reopened_shows_only_the_new(
        page, lambda: buttons.nth(0).click(), lambda: buttons.nth(1).click()
    )


#: The treemap shows ``arg`` in its first box and no plotly chart on the page is moving.
MAP_AT_REST_JS = """(first) => {
    const plots = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')];
    const top = [...document.querySelectorAll('g.slice')][0];
    return plots.length > 0 && plots.every((g) => !g._transitioning)
        && !!top && top.textContent.startsWith(first);
}"""


def test_click_a_treemap_box(page: Any) -> None:
    """A 类 box opens its own 公开03 cell (Streamlit reports a treemap click by the box's id:
    the server takes the box's key from the figure) and the map goes into the 类; the
    「较小的 N 项」 box, a sum printed nowhere, only opens in the map."""
    visit(page, "功能分类")
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.scroll_into_view_if_needed()
    report = _parsed(SAMPLE_PDF)[0]
    box = chart.locator("g.slice").filter(has_text="一般公共服务支出")
    open_until_shown(page, lambda: box.first.click(force=True))
    crops = shown_crops(page, SAMPLE_PDF)
    page.screenshot(path=str(ARTIFACTS / "source-treemap.png"))
    # exactly the box's printed cell: 201's row of 公开03 in its total column
    want = [
        f
        for f in report.facts_of("公开03")
        if f.code == "201" and f.column == "本年支出合计" and f.value == Decimal("182.29")
    ]
    assert want and [f for f, _ in crops] == want, [(f.table, f.code, f.column) for f, _ in crops]
    close_dialog(page)
    # the map zooms into the 类 with plotly's transition: on a loaded machine it ends later
    # than the dialog closes, so wait for it (as for the 较小的 box below) before reading
    page.wait_for_function(
        "() => [...document.querySelectorAll('g.slice')][0]?.textContent"
        ".startsWith('一般公共服务支出')",
        timeout=30_000,
    )
    # drawn anew after the click (nothing selected), the map stays in the 类. Its heading
    # takes it up and opens nothing; the 类's box clicked again opens its cell again
    page.evaluate(WATCH_DIALOGS_JS)
    settle(page)
    chart.locator("g.slice").first.click(position={"x": 24, "y": 8}, force=True)
    page.wait_for_function(MAP_AT_REST_JS, arg="本年支出", timeout=30_000)
    settle(page)
    # plotly ignores a click on a treemap while it moves (its ``_transitioning``): wait until
    # the map, drawn anew or still moving up, is at rest at the top
    page.wait_for_function(MAP_AT_REST_JS, arg="本年支出", timeout=30_000)
    box.first.click(force=True)  # a plain click: a click tried again would hide the fault
    crops = shown_crops(page, SAMPLE_PDF)
    assert [f for f, _ in crops] == want
    assert len(page.evaluate("window.__dialogs")) == 1, page.evaluate("window.__dialogs")
    close_dialog(page)
    visit(page, "总览")  # the map drawn anew, at its top
    visit(page, "功能分类")
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.scroll_into_view_if_needed()
    open_until_shown(
        page,
        lambda: chart.locator("g.slice").filter(has_text="较小的").first.click(force=True),
        "() => [...document.querySelectorAll('g.slice')][0]?.textContent.startsWith('较小的')",
        timeout=30_000,
    )
    settle(page)
    assert page.locator('[role="dialog"]').count() == 0


def test_click_a_scorecard_indicator_and_the_score(page: Any) -> None:
    """An indicator's bar opens its row of the 绩效自评表, whose printed words hold the score
    drawn; the gauge's number opens the printed 总分."""
    visit(page, "绩效自评")
    report, pages, data = _parsed(SAMPLE_PDF)
    perf = report.performance[0]
    bars = page.locator('[data-testid="stPlotlyChart"]').last
    bars.scroll_into_view_if_needed()
    name, score = bars.locator(".js-plotly-plot").evaluate(
        "gd => [gd.data[1].y[3], gd.data[1].x[3]]"
    )
    open_until_shown(
        page,
        lambda: (
            bars.locator(".barlayer .trace").nth(1).locator(".point path").nth(3).click(force=True)
        ),
    )
    dialog_drawn(page)
    page.screenshot(path=str(ARTIFACTS / "source-indicator.png"))
    [(label, src)] = page.evaluate(CROPS_JS)
    line = next(i for i in perf.indicators if f"绩效自评表 · {i.level3}" in label)
    assert line.level3 == name.replace("<br>", "") and line.box is not None
    assert any(w.text == f"{score:g}" for w in words_in(pages[line.page], line.box)), score
    image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB")
    want = pageview.render_crop(data, line.page, [line.box], zoom="row").image
    assert ImageChops.difference(image, want).getbbox() is None
    close_dialog(page)
    gauge = page.locator('[data-testid="stPlotlyChart"]').first
    gauge.scroll_into_view_if_needed()
    # the dialog comes back with the last picture until the new one arrives
    new_picture = (
        '() => { const i = document.querySelector(\'[role="dialog"] [data-testid="stImage"] img\');'
        f" return !!i && i.complete && i.naturalWidth > 0 && i.getAttribute('src') !== {src!r}; }}"
    )
    open_until_shown(
        page, lambda: gauge.locator(".scatterlayer .point").first.click(force=True), new_picture
    )
    dialog_drawn(page)
    page.screenshot(path=str(ARTIFACTS / "source-score.png"))
    [(label, src)] = page.evaluate(CROPS_JS)
    assert f"总分　{perf.total_score} 分" in label and perf.total_box is not None
    assert perf.total_page is not None
    printed = [w.text for w in words_in(pages[perf.total_page], perf.total_box)]
    assert printed == [str(perf.total_score)], printed
    image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB")
    want = pageview.render_crop(data, perf.total_page, [perf.total_box], zoom="row").image
    assert ImageChops.difference(image, want).getbbox() is None
    close_dialog(page)


def test_an_indicator_rows_source_button_opens_its_row(page: Any) -> None:
    """绩效指标 has 原文 buttons like every other table: the 4th row's button opens that
    indicator's row of the 绩效自评表, whose printed words hold its score."""
    from core.ui import wrap_row_height

    visit(page, "绩效自评")
    report, pages, data = _parsed(SAMPLE_PDF)
    table = page.locator('[data-testid="stDataFrame"]').filter(has_text="三级指标").first
    table.scroll_into_view_if_needed()
    center(page, table)
    shown = table.evaluate(SHOWN_ROWS_JS)[3]
    assert shown[0] == "原文", shown
    click_source_button(page, table, 3, row_height=wrap_row_height(3))  # its rows: 3 lines
    page.wait_for_function(CROP_SHOWN, timeout=90_000)
    page.screenshot(path=str(ARTIFACTS / "source-indicator-button.png"))
    [(label, src)] = page.evaluate(CROPS_JS)
    line = next(i for i in report.performance[0].indicators if i.level3 == shown[2])
    assert f"绩效自评表 · {line.level3}" in label and line.box is not None
    assert any(w.text == f"{line.score}" for w in words_in(pages[line.page], line.box))
    image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB")
    want = pageview.render_crop(data, line.page, [line.box], zoom="row").image
    assert ImageChops.difference(image, want).getbbox() is None
    close_dialog(page)


#: Every page with a table whose rows open their source, with the expanders to open first
#: (a folded table is not on screen to click).
TABLE_PAGES = {
    "功能分类": ["全部项级科目，从大到小"],
    "人员与公用": ["经济分类明细表"],
    "三公经费": [],
    "绩效自评": [],
    "预算执行": [],
    "原始数据": ["全部数据"],
}


def _check_any_crops(tab: Any, path: Path) -> int:
    """The open dialog's crops: a fact's crop is checked as in :func:`shown_crops`; a
    number printed outside the tables (a sentence, a scorecard row) must show a picture."""
    dialog_drawn(tab)
    # a dialog drawn again (its run not over) may hold no image for a moment
    tab.wait_for_function(f"() => ({CROPS_JS})().length > 0", timeout=30_000)
    text = tab.locator('[role="dialog"]').inner_text()
    assert "不在内存中" not in text, text
    report, pages, data = _parsed(path)
    by_label = {fact_label(report, f).replace("**", ""): f for f in report.facts}
    n = 0
    for label, src in tab.evaluate(CROPS_JS):
        image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
        assert image.width > 20 and image.height > 10
        fact = by_label.get(label)
        if fact is not None and fact.box is not None:
            words = sorted(words_in(pages[fact.page], fact.box), key=lambda w: w.x0)
            assert reads_as("".join(w.text for w in words), fact.value), label
        n += 1
    return n


@pytest.mark.parametrize("title", list(TABLE_PAGES))
def test_a_row_of_every_table_opens_its_crop(page: Any, title: str) -> None:
    """Each table on each page: its first row opens the dialog with the crop of its printed
    cell (the sample's first rows are all printed numbers, none computed)."""
    visit(page, "总览")  # from another page: a table drawn anew has no row selected
    visit(page, title)
    for name in TABLE_PAGES[title]:
        expander = page.locator('[data-testid="stExpander"]').filter(has_text=name)
        expander.get_by_text(name).click()
        # the expander's table, drawn (an expander opens in the browser, no run)
        settle(page, expander.locator('[data-testid="stDataFrame"] canvas'))
    tables = page.locator('[data-testid="stDataFrame"]')
    count = tables.count()
    assert count, f"{title}: no table"
    for i in range(count):
        table = tables.nth(i)
        table.scroll_into_view_if_needed()
        center(page, table)
        open_until_shown(page, lambda t=table: click_row(page, t, 0))
        try:
            shown = _check_any_crops(page, SAMPLE_PDF)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / f"source-rows-{title}-{i}.png"))
            raise
        assert shown, f"{title}: table {i} shows no crop"
        close_dialog(page)


# last: it uploads another report, which the session then shows
def test_click_a_problem(page: Any) -> None:
    planted = FIXTURES / "quirk-planted-error.pdf"
    close_dialog(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(planted))
    settle(page, page.locator('[data-testid="stSidebar"]').get_by_text(planted.name))
    visit(page, "数据核验")
    problem = page.get_by_role("button", name="原文对照").first  # problems come first
    open_until_shown(page, problem.click)
    crops = shown_crops(page, planted)
    page.screenshot(path=str(ARTIFACTS / "source-problem.png"))
    dialog = page.locator('[role="dialog"]').inner_text()
    report = _parsed(planted)[0]
    check = next(c for c in report.checks if not c.ok and c.kind != "missing" and c.rule in dialog)
    # the side printed in the table is shown, with the two numbers and the gap
    assert check.found in {f.value for f, _ in crops}
    assert "差额" in dialog and f"{abs(check.gap or 0):.2f}" in dialog
