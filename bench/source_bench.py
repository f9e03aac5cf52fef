"""Source-view benchmark: click → highlighted crop on screen, in the real browser.

``streamlit run app.py`` and Chromium through Playwright. Each measurement is the time from
the click (a table row, a chart bar, a problem on 数据核验, a KPI card's 原文 button) until
the crop of the number clicked is loaded and drawn in the dialog (not the crop the dialog
showed before, which a reopened dialog could show for a moment): the script run on the
server, the page render or its cache, the crop and its PNG, the websocket and the browser. *cold* is the first click
on a page of the PDF (the page is rendered); *warm* the median of the clicks after it (the
page render cached). Goal: warm ≤ 0.3 s. For scale, in the same run: the app's own round
trip for a toggle (a full rerun of 数据核验, no crop), and the source view's own server work
for one table-row click measured in-process (facts found, crops, PNGs, data URIs).

    python bench/source_bench.py     # prints the rows; bench/run.py calls run_source_bench()
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.appserver import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    NOT_RUNNING,
    free_port,
    settle,
    start_app,
    stop_app,
)

GOAL_WARM = 0.3
DEBUG = "--debug" in sys.argv
CLICKS = 6
ARTIFACTS = ROOT / "bench" / "results"

#: The crop image of the open dialog, loaded and drawn.
CROP_SHOWN = """() => {
    const img = document.querySelector('[role="dialog"] [data-testid="stImage"] img');
    return !!img && img.complete && img.naturalWidth > 0;
}"""
#: The open dialog's crop images (their src), noted when it closes.
NOTE_CROPS = """() => { window.__lastCrops = [...document.querySelectorAll(
    '[role="dialog"] [data-testid="stImage"] img')].map(i => i.getAttribute('src')); }"""
#: The crop of the number just clicked, loaded and drawn: not one the dialog before showed
#: (a dialog reopened could show the last crop for a moment; that is not the answer).
NEW_CROP_SHOWN = """() => {
    const img = document.querySelector('[role="dialog"] [data-testid="stImage"] img');
    return !!img && img.complete && img.naturalWidth > 0
        && !(window.__lastCrops || []).includes(img.getAttribute('src'));
}"""
#: The heading of the sidebar page titled ``t`` is shown: the page's own title (跨年's reads
#: 跨年对比), or for 总览 the unit's name, a heading that begins with no other page's title.
HEADING_OF = """(t) => {
    const h = document.querySelector('[data-testid="stMain"] h1');
    if (!h) return false;
    const s = h.innerText.trim();
    if (t !== '总览') return s.startsWith(t);
    // a link reads its icon's name, then the title on a line of its own
    const titles = [...document.querySelectorAll('[data-testid="stSidebarNav"] a')]
        .map(a => a.innerText.trim().split('\\n').pop().trim()).filter(x => x && x !== '总览');
    if (!titles.length) return false;
    return !titles.some(x => s.startsWith(x));
}"""


def close_dialog(page: Any) -> None:
    """Close the open dialog and wait until the page is drawn (a run its closing may start)."""
    if page.locator('[role="dialog"]').count():
        page.evaluate(NOTE_CROPS)
        page.keyboard.press("Escape")
        page.locator('[role="dialog"]').wait_for(state="detached", timeout=10_000)
    settle(page)


def timed(page: Any, click: Any) -> float:
    """Seconds from the click to the crop drawn in the dialog."""
    start = time.perf_counter()
    click()
    try:
        if DEBUG:
            page.wait_for_selector('[role="dialog"]', timeout=30_000)
            print(f"  dialog at {time.perf_counter() - start:.3f}", end="")
        page.wait_for_function(NEW_CROP_SHOWN, timeout=30_000, polling=10)
        if DEBUG:
            print(f"  crop at {time.perf_counter() - start:.3f}")
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "source_bench_failed.png"))
        raise
    return time.perf_counter() - start


def center(page: Any, table: Any) -> None:
    """Scroll a table to the middle of the window: at its edge, the app's header bar lies over
    its first rows. Done before the timer starts: the user's wait begins at the click."""
    table.evaluate(
        """e => new Promise(done => {
            e.scrollIntoView({block: 'center', inline: 'nearest'});
            let last = null, same = 0;  // still for three frames: the scroll is over
            const tick = () => {
                const top = e.getBoundingClientRect().top;
                same = top === last ? same + 1 : 0;
                last = top;
                if (same >= 3) done(); else requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
        })"""
    )


def click_row(page: Any, table: Any, row: int) -> None:
    """Click the selection box of a row of an st.dataframe (glide grid rows are 35 px)."""
    box = table.bounding_box()
    page.mouse.click(box["x"] + 14, box["y"] + 35 * (row + 1) + 17)


def click_source_button(page: Any, table: Any, row: int, row_height: int = 35) -> None:
    """Click the 原文 button of a row of a dashboard table: the first column after the
    selection boxes (33 px), its button drawn at the cell's left."""
    box = table.bounding_box()
    page.mouse.click(box["x"] + 33 + 30, box["y"] + 35 + row_height * row + row_height // 2)


def _go(page: Any, title: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    try:
        page.wait_for_function(HEADING_OF, arg=title, timeout=120_000, polling=100)
    except PlaywrightTimeout as timeout:
        seen = page.evaluate(
            """() => [document.querySelector('[data-test-script-state]')
                ?.getAttribute('data-test-script-state'), location.href,
                [...document.querySelectorAll('h1')].map(h => h.innerText)]"""
        )
        raise AssertionError(f"{title}: not shown (state, url, headings): {seen}") from timeout
    settle(page)


def visit(page: Any, title: str) -> None:
    """Go to a page through the sidebar, as a user does (a typed address is a new session):
    wait for its heading, then for it to be drawn. On that page already, through another
    page: a click on its own link reruns it with its heading shown all along, and that run's
    start cannot be awaited for sure (a quick run's "running" may never be drawn); the detour
    also drops what the last dialog left in its widgets, as the rerun did."""
    if page.evaluate(HEADING_OF, title):
        _go(page, "功能分类" if title == "总览" else "总览")
    _go(page, title)


def bench_rows(page: Any, title: str, nth: int = 0, *, button: bool = False) -> list[float]:
    """Click ``CLICKS`` rows of the page's ``nth`` table in turn: their selection boxes, or
    with ``button`` their 原文 buttons."""
    visit(page, title)
    table = page.locator('[data-testid="stDataFrame"]').nth(nth)
    table.scroll_into_view_if_needed()
    rows = int((table.bounding_box()["height"] - 35) // 35)  # the rows shown
    click = click_source_button if button else click_row
    times = []
    for i in range(CLICKS if rows > 1 else 1):  # round the rows (each one not the last)
        center(page, table)
        times.append(timed(page, lambda r=i % rows: click(page, table, r)))
        close_dialog(page)
    return times


def bench_bars(page: Any, title: str, nth: int = 0) -> list[float]:
    """Click ``CLICKS`` bars of the page's ``nth`` bar chart in turn."""
    visit(page, title)
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(
        has=page.locator(".barlayer .point")
    )
    bars = chart.nth(nth).locator(".barlayer .point path")
    chart.nth(nth).scroll_into_view_if_needed()
    times = []
    for i in range(min(CLICKS, bars.count())):
        times.append(timed(page, lambda i=i: bars.nth(i).click(force=True)))
        close_dialog(page)
    return times


def bench_kpis(page: Any) -> list[float]:
    """Click each KPI card's 原文 button in turn."""
    visit(page, "总览")
    page.get_by_role("button", name="原文").first.wait_for(timeout=60_000)
    page.wait_for_function(NOT_RUNNING, timeout=60_000)
    buttons = page.get_by_role("button", name="原文")
    times = []
    for i in range(buttons.count()):
        times.append(timed(page, lambda i=i: buttons.nth(i).click()))
        close_dialog(page)
    return times


def bench_problems(page: Any) -> list[float]:
    """Click each problem's 原文对照 button on 数据核验 in turn (both sides' crops)."""
    visit(page, "数据核验")
    buttons = page.get_by_role("button", name="原文对照")
    buttons.first.wait_for(timeout=60_000)  # the sample's problems: there are some
    page.wait_for_function(NOT_RUNNING, timeout=60_000)
    times = []
    for i in range(min(CLICKS, buttons.count())):
        buttons.nth(i).scroll_into_view_if_needed()
        times.append(timed(page, lambda i=i: buttons.nth(i).click()))
        close_dialog(page)
    return times


def bench_baseline(page: Any) -> list[float]:
    """The app's own round trip, for scale: a toggle on 数据核验 clicked, until its rerun
    has drawn the page again (no crop, no dialog)."""
    visit(page, "数据核验")
    toggle = page.get_by_text("显示全部", exact=False).first
    times = []
    for _ in range(CLICKS):
        start = time.perf_counter()
        toggle.click()
        page.wait_for_timeout(5)
        page.wait_for_function(NOT_RUNNING, timeout=30_000, polling=10)
        times.append(time.perf_counter() - start)
    return times


def _rows(what: str, times: list[float]) -> list[dict[str, Any]]:
    return [
        {"what": f"click → crop, cold, {what}", "seconds": round(times[0], 3)},
        {
            "what": f"click → crop, warm (median of {len(times) - 1}), {what}",
            "seconds": round(statistics.median(times[1:]), 3),
        },
        {"what": f"click → crop, warm (slowest), {what}", "seconds": round(max(times[1:]), 3)},
    ]


def bench_server_work() -> list[dict[str, Any]]:
    """The source view's own work for one click, in this process with the page render
    cached: a table row back to its facts, each fact's crop, PNG and data URI."""
    import base64

    from core.accounts.parse import parse_report
    from core.present import frames, pageview, trace

    sample = ROOT / "sample_data" / "fujian-12345-2024-danwei-juesuan.pdf"
    data = sample.read_bytes()
    report = parse_report(sample)
    rows = frames.classification_table(report, "支出").to_dict("records")
    for f in report.facts:  # warm: every page rendered once
        pageview.render_page(data, f.page)
    times = []
    for row in rows * 3:
        start = time.perf_counter()
        for f in trace.facts_for_row(report, row):
            assert f.box is not None
            png = pageview.png_bytes(pageview.render_crop(data, f.page, [f.box]).image)
            base64.b64encode(png)
        times.append(time.perf_counter() - start)
    return [
        {
            "what": f"server work per table-row click, warm (median of {len(times)})",
            "seconds": round(statistics.median(times), 3),
        }
    ]


def start_app_on_stored_sample(port: int, log: Path) -> Any:
    """The app on a library of its own that holds the sample already, as after any earlier
    start: the report opens from the library, its PDF never uploaded in the server's life."""
    import os
    import tempfile

    from core.accounts.parse import parse_report_bytes
    from core.library.store import Library
    from core.ui.library import ensure_sample

    folder = tempfile.mkdtemp(prefix="juesuan-library-bench-")
    sample = ROOT / "sample_data" / "fujian-12345-2024-danwei-juesuan.pdf"
    ensure_sample(Library(Path(folder)), sample, lambda d, n: parse_report_bytes(d, file_name=n))
    before = os.environ.get("JUESUAN_LIBRARY")
    os.environ["JUESUAN_LIBRARY"] = folder
    try:
        return start_app(port, log)
    finally:
        if before is None:
            os.environ.pop("JUESUAN_LIBRARY", None)
        else:
            os.environ["JUESUAN_LIBRARY"] = before


def run_source_bench() -> list[dict[str, Any]]:
    """Every click → crop measurement, as rows {"what": ..., "seconds": ...}."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        return bench_server_work()
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    proc = start_app_on_stored_sample(port, ARTIFACTS / "source_bench_streamlit.log")
    base = f"http://127.0.0.1:{port}"
    rows: list[dict[str, Any]] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(base)
            settle(page, page.locator("h1"))
            rows += _rows("table row selected (功能分类)", bench_rows(page, "功能分类"))
            rows += _rows(
                "table row 原文 button (功能分类)", bench_rows(page, "功能分类", button=True)
            )
            rows += _rows("bar (人员与公用, 经济分类)", bench_bars(page, "人员与公用", 0))
            rows += _rows("problem (数据核验)", bench_problems(page))
            rows += _rows("KPI card (总览)", bench_kpis(page))
            base_times = bench_baseline(page)
            rows.append(
                {
                    "what": f"baseline: toggle → rerun drawn (median of {len(base_times) - 1})",
                    "seconds": round(statistics.median(base_times[1:]), 3),
                }
            )
            browser.close()
    finally:
        stop_app(proc)
    return rows + bench_server_work()


def main() -> int:
    rows = run_source_bench()
    width = max(len(r["what"]) for r in rows)
    for r in rows:
        print(f"{r['what']:<{width}}  {r['seconds']:7.3f} s")
    warm = [r["seconds"] for r in rows if "median" in r["what"] and "crop" in r["what"]]
    base = next(r["seconds"] for r in rows if r["what"].startswith("baseline"))
    print(
        f"\nslowest warm click → crop (median) {max(warm) * 1000:.0f} ms "
        f"(goal ≤ {GOAL_WARM * 1000:.0f} ms), {max(warm) / base:.2f}× the app's own toggle round trip"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
