"""The running app in a real browser (Playwright driving Debian's Chromium).

Starts ``streamlit run app.py`` on a free port, sees the sample, uploads the corpus report,
visits every page, downloads a PNG, uploads a broken file and sees the message with the
earlier reports kept. Screenshots of every page go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PUTUO_PDF, ROOT
from playwright.sync_api import expect
from pptx import Presentation

from bench.appserver import CHROMIUM, CHROMIUM_ARGS, free_port, settle, start_app, stop_app
from bench.source_bench import HEADING_OF

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
#: (url path, page title) in the order of the sidebar.
PAGES = [
    ("home", None),
    ("flows", "收支平衡"),
    ("functions", "功能分类"),
    ("staff", "人员与公用"),
    ("sangong", "三公经费"),
    ("scorecard", "绩效自评"),
    ("execution", "预算执行"),
    ("verify", "数据核验"),
    ("data", "原始数据"),
    ("pdf", "原文"),
]
WIDTH = 1600


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc = start_app(port, ARTIFACTS / "streamlit.log")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_app(proc)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert CHROMIUM.exists(), "make test installs Debian's chromium at /usr/bin/chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def no_traceback(page) -> None:  # type: ignore[no-untyped-def]
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.inner_text("body")


def shot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """A screenshot of the whole page (the main block scrolls, so grow the window to it)."""
    height = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMainBlockContainer\"]').scrollHeight"
    )
    page.set_viewport_size({"width": WIDTH, "height": max(1000, int(height) + 120)})
    page.wait_for_timeout(800)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": WIDTH, "height": 1000})
    return path


def goto(page, slug: str, title: str | None) -> None:  # type: ignore[no-untyped-def]
    """Go to the page by its sidebar link; wait for its heading (总览's: the unit), then for
    the page to be drawn: "no run under way" alone holds before the click's run starts."""
    link = page.locator('[data-testid="stSidebarNav"] a').nth([s for s, _ in PAGES].index(slug))
    link.click()
    page.wait_for_function(HEADING_OF, arg=title or "总览", timeout=60_000)
    settle(page, timeout=60_000)
    no_traceback(page)


def upload(page, path: Path, shown) -> None:  # type: ignore[no-untyped-def]
    """Upload a file; wait for ``shown`` (a locator for what its run draws), then the page."""
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    settle(page, shown, timeout=120_000)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_app_in_a_browser(app_url: str, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert PUTUO_PDF.is_file(), f"corpus report not found: {PUTUO_PDF}"
    page = browser.new_page(viewport={"width": WIDTH, "height": 1000}, accept_downloads=True)
    page.set_default_timeout(60_000)
    # Nothing the app shows may need the internet: every request not to the app's own address
    # fails, and is noted (a finance office intranet has no internet). The route's handler
    # runs in this Python process: wait with Playwright (wait_for, wait_for_timeout), never
    # time.sleep, which holds every request of the page (plotly's code too) until the next
    # Playwright call, and shows grey placeholders a real browser never shows.
    outside: list[str] = []

    def only_the_app(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith(app_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_app)

    # -- the sample is there at start --------------------------------------------------------
    page.goto(app_url)
    settle(page, page.locator('[data-testid="stMetricValue"]', has_text="319.08"))
    no_traceback(page)
    assert "福建省12345政务服务便民热线中心" in page.inner_text("h1")
    # the tab icon is the app's own file
    icon = page.evaluate("document.querySelector('link[rel*=icon]').href")
    assert icon.startswith(app_url), icon
    # the uploader speaks Chinese (Streamlit has no API for it: CSS writes it over the English)
    after = page.evaluate(
        """() => {
          const b = document.querySelector('[data-testid="stFileUploaderDropzone"] button p');
          const i = document.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span');
          return [getComputedStyle(b, '::after').content, getComputedStyle(b).fontSize,
                  getComputedStyle(i, '::after').content, getComputedStyle(i).fontSize];
        }"""
    )
    assert after == ['"选择文件"', "0px", '"PDF，每个不超过 50MB"', "0px"], after
    # every page is listed in the sidebar: no folded list ending in English "View 3 more"
    nav = page.inner_text('[data-testid="stSidebarNav"]')
    assert "View" not in nav and "跨年" in nav and "单位对比" in nav, nav
    for slug, title in PAGES:
        if slug != "home":
            goto(page, slug, title)
        shot(page, f"sample-{slug}")
        if slug == "flows":
            # the chart toolbar speaks Chinese, offline
            page.locator('[data-testid="stPlotlyChart"]').first.hover()
            camera = page.locator('[data-testid="stPlotlyChart"] .modebar-btn[data-title]').first
            assert camera.get_attribute("data-title") == "下载图表（PNG 图片）"

    # -- upload the corpus report; every page shows it -----------------------------------------
    goto(page, "home", None)
    upload(page, PUTUO_PDF, page.locator('[data-testid="stMetricValue"]', has_text="307.82"))
    expect(page.locator("h1").first).to_contain_text("中共上海市普陀区委社会工作部", timeout=60_000)
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(
        "已载入的报告（2 份）", timeout=60_000
    )
    for slug, title in PAGES:
        if slug != "home":
            goto(page, slug, title)
        body = page.inner_text('[data-testid="stMain"]')
        assert "中共上海市普陀区委社会工作部" in body
        shot(page, f"putuo-{slug}")
        if slug == "flows":
            expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(3, timeout=60_000)
        if slug == "execution":
            assert "321.02 万元" in body
        if slug == "verify":
            # each finding's PDF pages are links to that page's numbers
            link = page.locator('[data-testid="stMain"] a[href*="page=12"]').first
            link.click()
            settle(page, page.locator("text=PDF 第 12 页上读到的数字"))
            no_traceback(page)
            goto(page, "verify", "数据核验")

    # -- download a chart as PNG ---------------------------------------------------------------
    goto(page, "flows", "收支平衡")
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="下载 PNG").first.click()
    download = info.value
    assert download.suggested_filename == "中共上海市普陀区委社会工作部_2024_收支流向.png"
    saved = ARTIFACTS / "download-收支流向.png"
    download.save_as(str(saved))
    data = saved.read_bytes()
    assert png_size(data) == (2560, 1120)  # 2 × 1280 wide, 2 × 560 high
    assert len(data) > 50_000

    # -- the briefing pack: one click, then a real PPTX ------------------------------------------
    sidebar_box = page.locator('[data-testid="stSidebar"]')
    sidebar_box.get_by_role("button", name="生成简报").click()
    pptx_button = sidebar_box.get_by_role("button", name="下载 PPT 简报")
    pptx_button.wait_for(timeout=180_000)
    with page.expect_download(timeout=120_000) as info:
        pptx_button.click()
    pack = info.value
    assert pack.suggested_filename == "中共上海市普陀区委社会工作部_2024_简报.pptx"
    saved_pack = ARTIFACTS / "download-简报.pptx"
    pack.save_as(str(saved_pack))
    deck = Presentation(str(saved_pack))
    assert len(deck.slides) >= 6
    texts = " ".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    assert "中共上海市普陀区委社会工作部" in texts and "307.82" in texts
    shot(page, "brief-ready")

    # -- a broken upload: the message, and the reports loaded before are kept -------------------
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"this is a text file, not a PDF\n" * 20)
    error = page.locator('[data-testid="stSidebar"] [data-testid="stAlertContentError"]')
    upload(page, broken, error)
    message = error.inner_text()
    assert "无法读取 broken.pdf" in message
    assert "不是 PDF" in message
    # Chinese only, no bytes, no exception names
    assert "not a PDF" not in message and "b'" not in message and "this is a" not in message
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(
        "已载入的报告（2 份）", timeout=60_000
    )
    expect(page.locator('[data-testid="stMain"]')).to_contain_text(
        "中共上海市普陀区委社会工作部", timeout=60_000
    )
    charts = page.locator('[data-testid="stPlotlyChart"]')
    expect(charts).to_have_count(3, timeout=60_000)  # the charts stay
    no_traceback(page)
    shot(page, "broken-upload")
    # a text file: the same plain Chinese, not Streamlit's "text/plain files are not allowed"
    text_file = tmp_path / "notes.txt"
    text_file.write_text("这是一个文本文件\n", encoding="utf-8")
    upload(
        page,
        text_file,
        page.locator(
            '[data-testid="stSidebar"] [data-testid="stAlertContentError"]', has_text="notes.txt"
        ),
    )
    sidebar = page.inner_text('[data-testid="stSidebar"]')
    assert "这个文件不是 PDF" in sidebar and "not allowed" not in sidebar

    # -- 一页纸: one A4 page as a PNG -------------------------------------------------------------
    sidebar_box.get_by_role("button", name="生成一页纸").click()
    one_png = sidebar_box.get_by_role("button", name="下载一页纸（PNG）")
    one_png.wait_for(timeout=120_000)
    with page.expect_download(timeout=120_000) as info:
        one_png.click()
    saved_one = ARTIFACTS / "download-一页纸.png"
    info.value.save_as(str(saved_one))
    width, height = png_size(saved_one.read_bytes())
    assert height / width == pytest.approx(297 / 210, rel=0.01)
    page.close()
    assert outside == [], f"requests left the machine: {outside}"
