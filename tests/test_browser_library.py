"""The library in a real browser: import several reports, refresh, restart the server,
compare. The server runs on a library folder of the test's own."""

from __future__ import annotations

from pathlib import Path

import libdata
import pytest
from conftest import ROOT
from playwright.sync_api import expect

from bench.appserver import CHROMIUM, CHROMIUM_ARGS, free_port, settle, start_app, stop_app
from core.library import Library

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
WIDTH = 1600


def no_traceback(page) -> None:  # type: ignore[no-untyped-def]
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.inner_text("body")


def sidebar(page):  # type: ignore[no-untyped-def]
    """The sidebar, for ``expect``: Streamlit draws it after the page, so what it says is
    awaited, not read once."""
    return expect(page.locator('[data-testid="stSidebar"]'))


def main_says(page, text: str) -> None:  # type: ignore[no-untyped-def]
    expect(page.locator('[data-testid="stMain"]')).to_contain_text(text, timeout=60_000)


def test_import_refresh_restart_compare(_own_library: Path, tmp_path: Path) -> None:
    assert CHROMIUM.exists()
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    files = libdata.write(tmp_path / "in")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_app(port, ARTIFACTS / "streamlit-library.log")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": WIDTH, "height": 1100})
            page.set_default_timeout(120_000)

            # -- the app opens on the library: the sample is in it --------------------------
            page.goto(url)
            settle(page, page.locator('[data-testid="stMetricValue"]', has_text="319.08"))
            sidebar(page).to_contain_text("已载入的报告（1 份）", timeout=60_000)

            # -- import several reports on the 报告库 page ------------------------------------
            page.goto(f"{url}/reports")
            settle(page, page.locator("h1", has_text="报告库"))
            main_uploader = page.locator(
                '[data-testid="stMain"] [data-testid="stFileUploader"] input[type="file"]'
            )
            main_uploader.set_input_files([str(f) for f in files])
            settle(page, page.get_by_text("导入 3 份，已在库中 0 份"))
            no_traceback(page)
            assert Library(_own_library).count() == 4
            page.screenshot(path=str(ARTIFACTS / "library-imported.png"))

            # -- a refresh loses nothing -----------------------------------------------------
            page.reload()
            settle(page, page.locator("h1", has_text="报告库"))
            main_says(page, "共 4 份")
            sidebar(page).to_contain_text("已载入的报告（4 份）", timeout=60_000)
            browser.close()
    finally:
        stop_app(proc)

    # -- a restart loses nothing either ----------------------------------------------------------
    proc = start_app(port, ARTIFACTS / "streamlit-library-restarted.log")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": WIDTH, "height": 1100})
            page.set_default_timeout(120_000)
            page.goto(f"{url}/reports")
            settle(page, page.locator("h1", has_text="报告库"))
            main_says(page, "共 4 份")
            sidebar(page).to_contain_text("已载入的报告（4 份）", timeout=60_000)

            # -- compare: units side by side, and one unit across years ----------------------
            page.goto(f"{url}/side-by-side")
            settle(page, page.locator("h1", has_text="单位对比"))
            no_traceback(page)
            main = page.locator('[data-testid="stMain"]')
            # the library is read anew after the restart, and the charts' code loads after
            # the run: wait for the charts, not a timer
            main.locator('[data-testid="stPlotlyChart"] .main-svg').nth(1).wait_for()
            settle(page)
            charts = main.locator('[data-testid="stPlotlyChart"]')
            expect(charts).to_have_count(2, timeout=60_000)
            expect(charts.first).to_contain_text(libdata.UNIT, timeout=60_000)
            expect(charts.first).to_contain_text(libdata.OTHER, timeout=60_000)
            expect(page.get_by_role("button", name="下载 Excel")).to_have_count(1, timeout=60_000)
            page.screenshot(path=str(ARTIFACTS / "library-compare.png"), full_page=True)

            page.goto(f"{url}/across-years")
            settle(page, page.locator("h1", has_text="跨年对比"))
            no_traceback(page)
            main.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
            main.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
            settle(page)
            assert main.locator('[data-testid="stPlotlyChart"]').count() >= 1
            assert main.locator('[data-testid="stVegaLiteChart"]').count() >= 1
            page.screenshot(path=str(ARTIFACTS / "library-years.png"), full_page=True)
            browser.close()
    finally:
        stop_app(proc)
