"""Nothing cut or overlapping at 1280×720, seen in Chromium (issue 8, "check by looking").

A library with the sample, 普陀 (a long unit name) and 西南大学 (a six-step waterfall in
six-figure 万元) is imported first; the app is served on it, every request that is not to the
app's own address is refused and counted as a failure.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browserkit import still
from conftest import CORPUS, PUTUO_PDF, ROOT, SAMPLE_PDF
from playwright.sync_api import expect

from bench.appserver import CHROMIUM, CHROMIUM_ARGS, free_port, settle, start_app, stop_app
from bench.source_bench import HEADING_OF

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
XINAN_PDF = CORPUS / "xinan-daxue-2023-bumen-juesuan.pdf"
PUTUO_UNIT = "中共上海市普陀区委社会工作部"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from core.library import Library
    from core.library.importer import import_sources

    folder = tmp_path_factory.mktemp("library")
    pdfs = [SAMPLE_PDF, PUTUO_PDF, XINAN_PDF]
    summary = import_sources(Library(folder), [(p.name, p.read_bytes()) for p in pdfs])
    assert summary.imported == 3, summary
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc = start_app(port, ARTIFACTS / "layout.log", env={"JUESUAN_LIBRARY": str(folder)})
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_app(proc)


@pytest.fixture(scope="module")
def page(app_url: str) -> Iterator[object]:
    assert CHROMIUM.exists(), "make test installs Debian's chromium at /usr/bin/chromium"
    from playwright.sync_api import sync_playwright

    outside: list[str] = []

    def route(r) -> None:  # type: ignore[no-untyped-def]
        url = r.request.url
        if url.startswith((app_url, "data:", "blob:")):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            tab = chromium.new_page(viewport={"width": 1280, "height": 720})
            tab.set_default_timeout(120_000)
            tab.route("**/*", route)
            tab.goto(app_url + "/")
            settle(tab, tab.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']"))
            yield tab
        finally:
            chromium.close()
    assert not outside, f"requests that left the machine: {outside}"


#: The caption under the switcher: it names the report shown in full.
CAPTION = "[data-testid='stSidebar'] [data-testid='stCaptionContainer']"


def switch_to(tab, unit: str) -> None:  # type: ignore[no-untyped-def]
    """Pick the report in the sidebar's switcher; wait until the caption names it and the
    page is drawn (the switch's run may start after "no run under way" was first true)."""
    tab.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    tab.keyboard.type(unit)
    tab.keyboard.press("Enter")
    settle(tab, tab.locator(CAPTION, has_text=unit))


def go(tab, title: str) -> None:  # type: ignore[no-untyped-def]
    """Open a page from the sidebar; wait for its heading, then for it to be drawn."""
    tab.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click()
    tab.wait_for_function(HEADING_OF, arg=title, timeout=120_000)
    settle(tab)


def test_switcher_shows_every_report_whole(page) -> None:  # type: ignore[no-untyped-def]
    """The switcher's choices wrap (none cut, none over another), and the sidebar names the
    report shown in full under the one-line box."""
    switch_to(page, PUTUO_UNIT)
    expect(page.locator(CAPTION).filter(has_text=PUTUO_UNIT)).not_to_have_count(0)
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    # the list opens with a motion: every choice there, and still, before it is measured
    expect(page.locator("[role='option']")).to_have_count(3, timeout=60_000)
    still(page, "[role='option']")
    boxes = page.locator("[role='option']").evaluate_all(
        """els => els.map(e => { const t = e.firstElementChild, r = e.getBoundingClientRect();
             return {text: t.innerText, top: r.top, bottom: r.bottom,
                     cut: t.scrollWidth > t.clientWidth + 1 || t.scrollHeight > r.height + 1}; })"""
    )
    page.screenshot(path=str(ARTIFACTS / "layout-switcher-1280.png"))
    page.keyboard.press("Escape")
    assert len(boxes) == 3 and any(PUTUO_UNIT in b["text"] for b in boxes)
    assert not [b["text"] for b in boxes if b["cut"]]
    for above, below in zip(boxes, boxes[1:], strict=False):
        assert above["bottom"] <= below["top"] + 1, (above, below)


def test_waterfall_names_do_not_run_into_each_other(page) -> None:  # type: ignore[no-untyped-def]
    """收支平衡 for 西南大学: the six steps' names under the waterfall stand apart."""
    switch_to(page, "西南大学")
    go(page, "收支平衡")
    title = page.locator(".js-plotly-plot .gtitle", has_text="结转结余的来龙去脉").first
    title.wait_for()
    plot = title.locator("xpath=ancestor::*[contains(@class,'js-plotly-plot')]")
    # plotly lays a chart out again when its box's width settles: measure the last layout
    expect(plot.locator(".xtick text")).to_have_count(6, timeout=60_000)
    still(page, ".js-plotly-plot .xtick text")
    ticks = plot.locator(".xtick text").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [r.left, r.right, e.textContent]; })"
    )
    page.screenshot(path=str(ARTIFACTS / "layout-waterfall-1280.png"), full_page=True)
    assert len(ticks) == 6, ticks
    ticks.sort()
    for (_l1, r1, n1), (l2, _r2, n2) in zip(ticks, ticks[1:], strict=False):
        assert r1 <= l2, f"{n1!r} runs into {n2!r}"


def test_kpi_labels_are_whole(page) -> None:  # type: ignore[no-untyped-def]
    """三公经费 for the sample at 1280: the count cards' labels ("参加其他单位出国团组") ended
    in "…"; every card's label is shown whole, wrapped if need be."""
    switch_to(page, "福建省12345")
    go(page, "三公经费")
    page.locator("[data-testid='stMetricLabel']", has_text="参加其他单位出国").first.wait_for()
    still(page, "[data-testid='stMetricLabel']")
    labels = page.locator("[data-testid='stMetricLabel']").evaluate_all(
        # the grid's label box ends its text in "…" when it is even 1 px too narrow: the
        # text's own drawn width against the box it sits in
        """els => els.map(e => { const p = e.querySelector('p'), box = p.parentElement;
             const r = document.createRange(); r.selectNodeContents(p);
             const cut = getComputedStyle(box).textOverflow === 'ellipsis'
               && getComputedStyle(box).whiteSpace === 'nowrap' && box.scrollWidth > box.clientWidth;
             return {text: e.innerText, cut: cut
               || r.getBoundingClientRect().width > box.getBoundingClientRect().width + 0.5}; })"""
    )
    page.screenshot(path=str(ARTIFACTS / "layout-sangong-1280.png"), full_page=True)
    assert any("参加其他单位出国" in b["text"] for b in labels), labels
    assert not [b["text"] for b in labels if b["cut"]]


def test_indicator_table_fits_with_its_source_buttons(page) -> None:  # type: ignore[no-untyped-def]
    """绩效指标 at 1280 with the 原文 buttons: the grid scrolls sideways nowhere (it was
    872 px wide with them against the 818-px column) and ends inside the main column."""
    switch_to(page, "福建省12345")
    page.locator("[data-testid='stSidebarNav'] a", has_text="绩效自评").first.click()
    settle(page)
    table = page.locator("[data-testid='stDataFrame']").filter(has_text="三级指标").first
    table.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "layout-indicators-1280.png"))
    measure = table.evaluate(
        """e => { const s = e.querySelector('.dvn-scroller');
                  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
                  const m = main.getBoundingClientRect(), pad = parseFloat(getComputedStyle(main).paddingRight);
                  return {scroll: s.scrollWidth, client: s.clientWidth,
                          right: e.getBoundingClientRect().right, room: m.right - pad}; }"""
    )
    assert measure["scroll"] <= measure["client"], measure
    assert measure["right"] <= measure["room"] + 0.5, measure
    # the buttons are there (the grid draws on a canvas; its accessible table names each
    # row's button)
    cells = table.evaluate("e => [...e.querySelectorAll('table tr td')].map(c => c.textContent)")
    assert cells.count("原文") >= 9, cells[:20]


#: Each KPI card's value: its text, and whether it is cut (ellipsised, or wider than its box).
KPI_VALUES_JS = """els => els.map(e => {
    const box = e.querySelector('div') || e;
    const r = document.createRange(); r.selectNodeContents(e);
    return {text: e.innerText, scroll: box.scrollWidth, client: box.clientWidth,
            drawn: r.getBoundingClientRect().width, room: e.getBoundingClientRect().width,
            ellipsis: getComputedStyle(box).textOverflow === 'ellipsis'
              && box.scrollWidth > box.clientWidth}; })"""


@pytest.mark.parametrize("unit", ["西南大学", PUTUO_UNIT, "福建省12345"])
def test_kpi_values_are_whole(page, unit: str) -> None:  # type: ignore[no-untyped-def]
    """总览 at 1280: 西南大学's six-figure amounts nearly filled the cards; no card's value is
    cut or ellipsised, for any report (its text as wide as it is drawn, inside its box)."""
    switch_to(page, unit)
    page.locator("[data-testid='stSidebarNav'] a", has_text="总览").first.click()
    settle(page)
    page.locator("[data-testid='stMetricValue']").first.wait_for()
    values = page.locator("[data-testid='stMetricValue']").evaluate_all(KPI_VALUES_JS)
    page.screenshot(path=str(ARTIFACTS / f"layout-kpis-{unit[:4]}-1280.png"), full_page=True)
    assert len(values) >= 4, values
    cut = [
        v
        for v in values
        if v["ellipsis"] or v["scroll"] > v["client"] or v["drawn"] > v["room"] + 0.5
    ]
    assert not cut, cut
