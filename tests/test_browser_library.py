"""The library in a real browser: import several reports, refresh, restart the server,
compare. The server runs on a library folder of the test's own."""

from __future__ import annotations

from pathlib import Path

import libdata
import pytest
from conftest import ROOT

from bench.appserver import CHROMIUM, CHROMIUM_ARGS, free_port, start_app, stop_app
from core.library import Library

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
WIDTH = 1600
NOT_RUNNING = (
    "() => document.querySelector('[data-test-script-state]')"
    "?.getAttribute('data-test-script-state') !== 'running'"
)


def settle(page, timeout: float = 120_000) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(300)
    page.wait_for_function(NOT_RUNNING, timeout=timeout)
    page.wait_for_timeout(500)


def no_traceback(page) -> None:  # type: ignore[no-untyped-def]
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.inner_text("body")


def sidebar(page) -> str:  # type: ignore[no-untyped-def]
    return page.inner_text('[data-testid="stSidebar"]')


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
            page.locator('[data-testid="stMetricValue"]', has_text="319.08").wait_for()
            settle(page)
            assert "已载入的报告（1 份）" in sidebar(page)

            # -- import several reports on the 报告库 page ------------------------------------
            page.goto(f"{url}/reports")
            page.locator("h1", has_text="报告库").wait_for()
            settle(page)
            main_uploader = page.locator(
                '[data-testid="stMain"] [data-testid="stFileUploader"] input[type="file"]'
            )
            main_uploader.set_input_files([str(f) for f in files])
            page.get_by_text("导入 3 份，已在库中 0 份").wait_for()
            settle(page)
            no_traceback(page)
            assert Library(_own_library).count() == 4
            page.screenshot(path=str(ARTIFACTS / "library-imported.png"))

            # -- a refresh loses nothing -----------------------------------------------------
            page.reload()
            page.locator("h1", has_text="报告库").wait_for()
            settle(page)
            assert "共 4 份" in page.inner_text('[data-testid="stMain"]')
            assert "已载入的报告（4 份）" in sidebar(page)
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
            page.locator("h1", has_text="报告库").wait_for()
            settle(page)
            assert "共 4 份" in page.inner_text('[data-testid="stMain"]')
            assert "已载入的报告（4 份）" in sidebar(page)

            # -- compare: units side by side, and one unit across years ----------------------
            page.goto(f"{url}/side-by-side")
            page.locator("h1", has_text="单位对比").wait_for()
            settle(page)
            no_traceback(page)
            main = page.locator('[data-testid="stMain"]')
            # the library is read anew after the restart: wait for the charts, not a timer
            main.locator('[data-testid="stPlotlyChart"] .main-svg').nth(1).wait_for()
            settle(page)
            assert main.locator('[data-testid="stPlotlyChart"]').count() == 2
            chart_text = main.locator('[data-testid="stPlotlyChart"]').first.inner_text()
            assert libdata.UNIT in chart_text and libdata.OTHER in chart_text
            assert page.get_by_role("button", name="下载 Excel").count() == 1
            page.screenshot(path=str(ARTIFACTS / "library-compare.png"), full_page=True)

            page.goto(f"{url}/across-years")
            page.locator("h1", has_text="跨年对比").wait_for()
            settle(page)
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
