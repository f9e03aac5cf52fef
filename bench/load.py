"""Load: many browser sessions at once against the app, each uploading a report.

Starts ``streamlit run app.py`` on a loopback port and opens ``sessions`` sessions (one
headless Chromium, a context each: no shared cookies or storage). Each opens the app, waits
for the bundled sample, uploads its own copy of a report (its own file name, so every session
is a parse of its own) and waits until the app shows that file. Reported: per-session seconds
from the upload to its report on screen, the server's CPU seconds and resident memory (before,
peak, after) and the CPU of the parse workers it started. Optionally one session uploads a
hostile file instead (:mod:`bench.hostile`): the others' times show what it costs them.

Bounded: at most :data:`MAX_SESSIONS` sessions and :data:`SESSION_TIMEOUT_S` a session.

    python bench/load.py                  # 20 sessions, quiet, then with one hostile upload
    python bench/load.py --sessions 5
    python bench/load.py --hostile tounicode_bomb   # another kind of bench/hostile.py
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.appserver import CHROMIUM, CHROMIUM_ARGS, free_port, start_app, stop_app  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLE = ROOT / "sample_data" / "fujian-12345-2024-danwei-juesuan.pdf"
MAX_SESSIONS = 20
SESSION_TIMEOUT_S = 300.0
_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")

NOT_RUNNING = (
    "document.querySelector('[data-test-script-state]')"
    "?.getAttribute('data-test-script-state') !== 'running'"
)


@dataclass
class Session:
    """What one session saw."""

    index: int
    file_name: str
    hostile: bool
    open_s: float = 0.0
    """From opening the app to the sample's figures on screen."""
    upload_s: float = 0.0
    """From handing the file to the uploader to its report (or its refusal) on screen."""
    shown: str = ""
    """The file name the app's overview shows afterwards (its own, if sessions are isolated)."""
    error: str = ""
    """The refusal shown in the sidebar, if any."""


@dataclass
class LoadRun:
    """One run: the sessions, and what the server spent."""

    sessions: list[Session]
    wall_s: float
    server_cpu_s: float
    workers_cpu_s: float
    server_rss_mb_before: float
    server_rss_mb_peak: float
    server_rss_mb_after: float
    notes: list[str] = field(default_factory=list)

    def times(self, hostile: bool = False) -> list[float]:
        """Upload times of the ordinary (or the hostile) sessions."""
        return [s.upload_s for s in self.sessions if s.hostile == hostile]

    def summary(self) -> dict[str, object]:
        """The figures, as one JSON-able dict."""
        times = self.times()
        return {
            "sessions": len(self.sessions),
            "hostile_sessions": sum(s.hostile for s in self.sessions),
            "upload_s_min": round(min(times), 2),
            "upload_s_median": round(statistics.median(times), 2),
            "upload_s_max": round(max(times), 2),
            "hostile_upload_s": [round(t, 2) for t in self.times(True)],
            # ordinary sessions that saw a refusal or ran past their bound
            "errors": [s.error for s in self.sessions if s.error and not s.hostile],
            "wall_s": round(self.wall_s, 1),
            "server_cpu_s": round(self.server_cpu_s, 1),
            "workers_cpu_s": round(self.workers_cpu_s, 1),
            "server_rss_mb": [
                round(self.server_rss_mb_before),
                round(self.server_rss_mb_peak),
                round(self.server_rss_mb_after),
            ],
        }


def _cpu(pid: int) -> tuple[float, float]:
    """(own CPU seconds, CPU seconds of reaped children) of a process, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return (utime + stime) / _TICK, (cutime + cstime) / _TICK


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * _PAGE / 2**20


class _Watch:
    """Samples a process's resident memory every 0.1 s in a thread; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = _rss_mb(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            try:
                self.peak = max(self.peak, _rss_mb(self.pid))
            except OSError:
                return

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


async def _session(browser, url: str, s: Session, path: Path) -> None:  # type: ignore[no-untyped-def]
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = await context.new_page()
        page.set_default_timeout(SESSION_TIMEOUT_S * 1000)
        start = time.monotonic()
        await page.goto(f"{url}/home")
        await page.locator('[data-testid="stMetricValue"]').first.wait_for()
        s.open_s = time.monotonic() - start
        uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
        start = time.monotonic()
        await uploader.set_input_files(str(path))
        sidebar = page.locator('[data-testid="stSidebar"]')
        alert = sidebar.locator('[data-testid="stAlertContentError"]')
        shown = page.locator('[data-testid="stCaptionContainer"]', has_text=path.name).first
        await alert.or_(shown).first.wait_for()
        if await alert.count():
            s.error = (await alert.first.inner_text()).strip()
        await page.wait_for_function(f"() => {NOT_RUNNING}")
        s.upload_s = time.monotonic() - start
        main = await page.inner_text('[data-testid="stMain"]')
        s.shown = next((w for w in main.replace("，", " ").split() if w.startswith("session-")), "")
    finally:
        await context.close()


async def _bounded(browser, url: str, s: Session, path: Path) -> None:  # type: ignore[no-untyped-def]
    """One session, bounded on its own: a session past the bound is recorded as such (its
    time so far, and why), and the others' figures are kept."""
    start = time.monotonic()
    try:
        await asyncio.wait_for(_session(browser, url, s, path), timeout=SESSION_TIMEOUT_S + 60)
    except Exception as exc:  # a timeout, or the page gone: said, not raised
        s.error = s.error or f"{type(exc).__name__} after {time.monotonic() - start:.0f} s"
        s.upload_s = s.upload_s or time.monotonic() - start


async def _drive(url: str, sessions: list[Session], files: list[Path]) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            await asyncio.gather(
                *(_bounded(browser, url, s, f) for s, f in zip(sessions, files, strict=True))
            )
        finally:
            await browser.close()


def reports() -> list[Path]:
    """The reports sessions upload in turn: the corpus's 部门决算 and the bundled sample."""
    found = sorted(CORPUS.glob("putuo-*.pdf"))
    return [*found, SAMPLE]


def run_load(
    sessions: int = MAX_SESSIONS,
    *,
    hostile_file: Path | None = None,
    port: int | None = None,
    log: Path | None = None,
) -> LoadRun:
    """Start the app, drive ``sessions`` sessions at once, stop it; what each saw and what the
    server spent. With ``hostile_file``, the last session uploads it instead of a report."""
    sessions = max(1, min(sessions, MAX_SESSIONS))
    work = Path(tempfile.mkdtemp(prefix="juesuan-load-"))
    sources = reports()
    plan: list[Session] = []
    files: list[Path] = []
    for i in range(sessions):
        hostile = hostile_file is not None and i == sessions - 1
        source = hostile_file if hostile and hostile_file else sources[i % len(sources)]
        path = work / f"session-{i:02d}-{source.name}"
        shutil.copyfile(source, path)
        plan.append(Session(i, path.name, hostile))
        files.append(path)
    port = port or free_port()
    proc = start_app(port, log)
    try:
        url = f"http://127.0.0.1:{port}"
        # one session first, so the sample is parsed and the imports are warm: what follows
        # measures concurrent uploads, not the server's start
        asyncio.run(_drive(url, [Session(-1, SAMPLE.name, False)], [_sample_copy(work)]))
        cpu0, kids0 = _cpu(proc.pid)
        before = _rss_mb(proc.pid)
        watch = _Watch(proc.pid)
        start = time.monotonic()
        asyncio.run(_drive(url, plan, files))
        wall = time.monotonic() - start
        peak = watch.stop()
        cpu1, kids1 = _cpu(proc.pid)
        after = _rss_mb(proc.pid)
    finally:
        stop_app(proc)
        shutil.rmtree(work, ignore_errors=True)
    return LoadRun(plan, wall, cpu1 - cpu0, kids1 - kids0, before, peak, after)


def _sample_copy(work: Path) -> Path:
    path = work / "session-warm-sample.pdf"
    shutil.copyfile(SAMPLE, path)
    return path


def main(argv: list[str]) -> int:
    """Quiet, then with one hostile upload; prints JSON lines."""
    from bench import hostile

    sessions = int(argv[argv.index("--sessions") + 1]) if "--sessions" in argv else MAX_SESSIONS
    # the hostile file (a kind of bench/hostile.py): glyphs by default
    kind = argv[argv.index("--hostile") + 1] if "--hostile" in argv else "glyphs"
    if not CHROMIUM.exists():
        print("load: no Chromium at /usr/bin/chromium; skipped")
        return 0
    quiet = run_load(sessions)
    print(json.dumps({"run": "quiet", **quiet.summary()}, ensure_ascii=False), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        bad = hostile.KINDS[kind](Path(tmp) / f"{kind}.pdf")
        loud = run_load(sessions, hostile_file=bad)
    print(json.dumps({"run": "one hostile", **loud.summary()}, ensure_ascii=False), flush=True)
    ratio = statistics.median(loud.times()) / statistics.median(quiet.times())
    print(f"median upload with one hostile upload / quiet: {ratio:.2f}×")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "load.json").write_text(
        json.dumps(
            {
                "quiet": [asdict(s) for s in quiet.sessions],
                "hostile": [asdict(s) for s in loud.sessions],
                "summary": {"quiet": quiet.summary(), "hostile": loud.summary()},
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
