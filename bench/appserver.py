"""Start and stop the app (``streamlit run app.py``) on a free loopback port.

Shared by the real-browser test and the app benchmark, so both start it the same way.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent

#: Debian's Chromium and the flags it needs here (no sandbox as root, no network).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def command(script: Path | str = "app.py") -> list[str]:
    """How a script is served: the app as ``make run`` serves it (``serve.py``: ``streamlit
    run app.py`` with the app's modules imported before the server listens), another script
    (the benchmark's minimal baseline) through ``streamlit run`` itself."""
    if Path(script) in (Path("app.py"), ROOT / "app.py"):
        return [sys.executable, str(ROOT / "serve.py")]
    return [sys.executable, "-m", "streamlit", "run", str(script)]


def start_app(
    port: int,
    log: Path | None = None,
    timeout: float = 60,
    *,
    script: Path | str = "app.py",
    env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """``streamlit run app.py`` on the port, as ``make run`` starts it (serve.py);
    returns once /_stcore/health answers.

    ``log``: where the server's output goes (else it is dropped). ``script``: another app
    (the benchmark's minimal baseline); ``env``: variables set for the server.
    """
    out: IO[bytes] | int = log.open("wb") if log is not None else subprocess.DEVNULL
    proc = subprocess.Popen(
        [
            *command(script),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env={**os.environ, "JUESUAN_WARM_EXPORT": "1", **(env or {})},
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    if log is not None:
        out.close()  # type: ignore[union-attr]  # the child holds its own copy
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            said = log.read_text(errors="replace")[-2000:] if log is not None else ""
            raise RuntimeError(f"streamlit exited: {said}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    stop_app(proc)
    raise RuntimeError(f"streamlit did not come up within {timeout:.0f} s")


def stop_app(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server, killing it if it does not stop within 15 s."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


# -- waiting for the page in the browser (Playwright pages; shared by the tests and benches) ----

#: True when no script run is under way. Streamlit's own marker; it also holds *before* a run
#: that an action asks for has started, so wait first for something only that run draws.
NOT_RUNNING = (
    "() => document.querySelector('[data-test-script-state]')"
    "?.getAttribute('data-test-script-state') === 'notRunning'"
)

#: True when the run is over and the page is drawn: no run under way, no element of an earlier
#: run left (``data-stale``), no element still loading its code (Streamlit draws metrics,
#: buttons and charts lazily: a skeleton for seconds after the run on a cold page, so "no
#: chart without its svg" alone holds while no chart is there yet), every plotly chart drawn
#: with its click handlers bound (a click before that is lost), every vega chart drawn, every
#: table's grid drawn. Only what is shown counts: a folded expander's table is drawn when the
#: expander opens.
DRAWN = """() => {
    const app = document.querySelector('[data-test-script-state]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')) return false;
    const shown = (testid) => [...document.querySelectorAll(`[data-testid="${testid}"]`)]
        .filter(e => e.checkVisibility());
    for (const c of shown('stPlotlyChart')) {
        const gd = c.querySelector('.js-plotly-plot');
        if (!gd || !gd.querySelector('.main-svg') || !gd._ev?._events?.plotly_click) return false;
    }
    for (const c of shown('stVegaLiteChart'))
        if (!c.querySelector('svg.marks, canvas')) return false;
    for (const t of shown('stDataFrame')) if (!t.querySelector('canvas')) return false;
    return true;
}"""


def settle(page: Any, ready: Any = None, timeout: float = 120_000) -> None:
    """Wait until the page is drawn (:data:`DRAWN`). ``ready``: a locator for something only
    the awaited run draws (a heading, a message), waited for first — without it, "drawn" may
    still describe the page before the action, whose run has not started yet."""
    if ready is not None:
        ready.first.wait_for(timeout=timeout)
    page.wait_for_function(DRAWN, timeout=timeout, polling=100)
