"""Deep links: /home and a direct link to every page open that page, cold (the first visit
after the server starts) and warm, with no "Page not found" dialog (issue 9)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

import pytest
from conftest import ROOT

from bench.appserver import CHROMIUM, CHROMIUM_ARGS, free_port, settle, start_app, stop_app

pytestmark = pytest.mark.browser

#: url path → the page's heading (None: 总览, whose heading is the report's unit).
PATHS = {
    "overview": None,
    "home": None,
    "flows": "收支平衡",
    "functions": "功能分类",
    "staff": "人员与公用",
    "sangong": "三公经费",
    "scorecard": "绩效自评",
    "execution": "预算执行",
    "verify": "数据核验",
    "data": "原始数据",
    "pdf": "原文",
    "reports": "报告库",
    "across-years": "跨年",
    "side-by-side": "单位对比",
}
#: Every page under the title the navigation shows it by (/总览 …) → its heading.
TITLES = {
    "总览": None,
    "收支平衡": "收支平衡",
    "功能分类": "功能分类",
    "人员与公用": "人员与公用",
    "三公经费": "三公经费",
    "绩效自评": "绩效自评",
    "预算执行": "预算执行",
    "数据核验": "数据核验",
    "原始数据": "原始数据",
    "原文": "原文",
    "报告库": "报告库",
    "跨年": "跨年",
    "单位对比": "单位对比",
}
LINKS = PATHS | TITLES
SAMPLE_UNIT = "福建省12345政务服务便民热线中心"
#: Links opened cold, each on a freshly started server (a start costs a few seconds).
COLD = ["home", "overview", "flows", "verify", "data", "总览", "数据核验"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert CHROMIUM.exists(), "make test installs Debian's chromium at /usr/bin/chromium"
    (ROOT / "tests" / "artifacts").mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_link(browser, base: str, slug: str) -> None:  # type: ignore[no-untyped-def]
    """Open ``base/slug`` in a new session; assert its page shows and no dialog does."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(90_000)
    try:
        page.goto(f"{base}/{slug}")
        title = LINKS[slug]
        h1 = page.locator("h1", has_text=title if title is not None else SAMPLE_UNIT)
        # the heading, then the run over and the page drawn ("no run under way" alone holds
        # before the first run has started)
        settle(page, h1)
        # a dialog is drawn after the run's messages: what must NOT come has no element to
        # wait for, so it is given this long to show
        page.wait_for_timeout(500)
        body = page.inner_text("body")
        assert "Page not found" not in body, f"/{slug}: Page not found"
        assert page.locator('[role="dialog"]').count() == 0, f"/{slug}: a dialog is open"
        assert unquote(page.url).rstrip("/").endswith(f"/{slug}"), f"/{slug} became {page.url}"
        assert "Traceback" not in body
    finally:
        page.close()


@pytest.mark.parametrize("slug", COLD)
def test_a_deep_link_works_cold(browser, slug: str) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    proc = start_app(port, ROOT / "tests" / "artifacts" / f"streamlit-cold-{slug}.log")
    try:
        open_link(browser, f"http://127.0.0.1:{port}", slug)
    finally:
        stop_app(proc)


def test_every_deep_link_works_warm(browser) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    proc = start_app(port, ROOT / "tests" / "artifacts" / "streamlit-warm.log")
    try:
        base = f"http://127.0.0.1:{port}"
        open_link(browser, base, "flows")  # the first visit after the start
        for slug in LINKS:
            open_link(browser, base, slug)
    finally:
        stop_app(proc)
