"""A new tab in Chromium at 1280×720: its first run pauses after 总览's KPI cards (the browser
draws them first, ui.above_the_fold), and the page still ends complete and the same as a
later run draws it; a link straight to another page is drawn whole too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import ROOT

from bench.appserver import CHROMIUM, CHROMIUM_ARGS, free_port, settle, start_app, stop_app
from bench.source_bench import HEADING_OF

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
SIDEBAR = "[data-testid='stSidebar']"
#: What 总览 holds once drawn: the sidebar's parts and the page's parts below the KPI cards.
COMPLETE = {
    "upload box": f"{SIDEBAR} [data-testid='stFileUploader']",
    "switcher": f"{SIDEBAR} [data-testid='stSelectbox']",
    "briefing button": f"{SIDEBAR} button:has-text('生成简报')",
    "page list": "[data-testid='stSidebarNav'] a",
    "bars": ".juesuan-bars .juesuan-bar",
    "checks box": "[data-testid='stMain'] a:has-text('查看数据核验')",
    "tables list": "[data-testid='stMain'] [data-testid='stExpander']",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """The app on an empty library of its own (the sample goes in at the first start), and
    a browser."""
    assert CHROMIUM.exists(), "make test installs Debian's chromium at /usr/bin/chromium"
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    folder = tmp_path_factory.mktemp("library")
    port = free_port()
    proc = start_app(port, ARTIFACTS / "first-tab.log", env={"JUESUAN_LIBRARY": str(folder)})
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield f"http://127.0.0.1:{port}", chromium
            finally:
                chromium.close()
    finally:
        stop_app(proc)


def drawn(tab: Any) -> dict[str, Any]:
    """How many of each part of 总览 are on screen, and the page's and sidebar's text."""
    tab.mouse.move(900, 300)  # off the sidebar, whose collapse button shows under the mouse
    tab.wait_for_timeout(300)
    counts = {name: tab.locator(selector).count() for name, selector in COMPLETE.items()}
    return {
        **counts,
        "KPI cards": tab.locator("[data-testid='stMetricValue']").count(),
        "page text": tab.inner_text("[data-testid='stMain']"),
        "sidebar text": tab.inner_text(SIDEBAR),
    }


def new_tab(browser: Any, url: str) -> Any:
    tab = browser.new_page(viewport={"width": 1280, "height": 720})
    tab.set_default_timeout(120_000)
    tab.goto(url)
    return tab


def test_a_new_tab_ends_complete_and_as_later_runs_draw_it(served: tuple[str, Any]) -> None:
    url, browser = served
    for which in ("cold server", "warm server"):
        tab = new_tab(browser, url + "/")
        tab.locator("[data-testid='stMetricValue']").first.wait_for()
        settle(tab, tab.locator(COMPLETE["upload box"]))
        first = drawn(tab)
        assert all(first[name] for name in COMPLETE), (which, first)
        assert first["KPI cards"] >= 8, (which, first)
        assert "Traceback" not in first["page text"]
        # the same session's later run of 总览 (no pause): the same page, the same sidebar
        tab.locator("[data-testid='stSidebarNav'] a", has_text="收支平衡").first.click()
        tab.wait_for_function(HEADING_OF, arg="收支平衡")
        settle(tab)
        tab.locator("[data-testid='stSidebarNav'] a", has_text="总览").first.click()
        settle(tab, tab.locator("[data-testid='stCaptionContainer']", has_text="· 总览"))
        assert drawn(tab) == first, which
        tab.close()


def test_a_link_to_another_page_is_drawn_whole(served: tuple[str, Any]) -> None:
    url, browser = served
    tab = new_tab(browser, url + "/flows")
    tab.wait_for_function(HEADING_OF, arg="收支平衡")
    settle(tab, tab.locator(COMPLETE["upload box"]))
    for name in ("upload box", "switcher", "briefing button", "page list"):
        assert tab.locator(COMPLETE[name]).count(), name
    assert tab.locator("[data-testid='stPlotlyChart'] .main-svg").count()
    tab.close()
