"""What the browser tests share: the app served on a library of its own with a tab open on
it, and a click that may be lost (a chart or grid drawn before its handlers are bound)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.appserver import CHROMIUM, CHROMIUM_ARGS, DRAWN, free_port, settle, start_app, stop_app
from bench.source_bench import CROP_SHOWN


@contextmanager
def served_tab(folder: Path, log: Path) -> Iterator[Any]:
    """The app served on the library in ``folder`` (its output to ``log``), and a Chromium tab
    open on it, drawn. The session's shared library (``JUESUAN_LIBRARY``) is set back once the
    server has started: it holds what other browser tests imported."""
    assert CHROMIUM.exists(), "make test installs Debian's chromium at /usr/bin/chromium"
    from playwright.sync_api import sync_playwright

    log.parent.mkdir(parents=True, exist_ok=True)
    port = free_port()
    shared_library = os.environ.get("JUESUAN_LIBRARY")
    os.environ["JUESUAN_LIBRARY"] = str(folder)
    try:
        proc = start_app(port, log)
    finally:
        if shared_library is None:
            os.environ.pop("JUESUAN_LIBRARY", None)
        else:
            os.environ["JUESUAN_LIBRARY"] = shared_library
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                tab = browser.new_page(viewport={"width": 1600, "height": 1000})
                tab.set_default_timeout(120_000)
                tab.goto(f"http://127.0.0.1:{port}/")
                settle(tab, tab.locator('[data-testid="stMain"] h1'))
                yield tab
            finally:
                browser.close()
    finally:
        stop_app(proc)


def open_until_shown(
    tab: Any, click: Callable[[], None], shown: str = CROP_SHOWN, timeout: float = 90_000
) -> None:
    """Click, and wait until ``shown`` (a JS predicate; by default the dialog's crop drawn).
    A click is tried once more only when it was lost: after 20 s no dialog is open and the
    page is drawn with no run under way (a chart or grid drawn, its handlers not yet bound,
    on a loaded machine). A click that did arrive is never repeated: a second click on a
    selected bar or row would deselect it. Then ``shown`` must come within ``timeout``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    click()
    try:
        tab.wait_for_function(shown, timeout=20_000, polling=100)
        return
    except PlaywrightTimeout:
        lost = tab.locator('[role="dialog"]').count() == 0 and tab.evaluate(DRAWN)
    if lost:
        click()
    tab.wait_for_function(shown, timeout=timeout, polling=100)


#: True once the boxes of the elements a selector finds (at least one) have not moved for
#: three frames in a row (polled every frame): an opening list or a chart laid out again
#: has ended before it is measured.
_STILL = """(selector) => {
    const now = JSON.stringify([...document.querySelectorAll(selector)].map(e => {
        const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; }));
    const seen = (window.__still ||= {});
    if (now !== '[]' && seen[selector]?.last === now) seen[selector].same += 1;
    else seen[selector] = {last: now, same: 0};
    return seen[selector].same >= 3;
}"""


def still(tab: Any, selector: str, timeout: float = 60_000) -> None:
    """Wait until what ``selector`` finds is there and no longer moves (within ``timeout``)."""
    tab.evaluate("(s) => { delete (window.__still || {})[s]; }", selector)
    tab.wait_for_function(_STILL, arg=selector, polling="raf", timeout=timeout)
