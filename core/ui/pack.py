"""The briefing pack's chart images, drawn in the background while a report is on screen.

A pack is mostly its chart images (about ten, a quarter of a second each in the export
browser), so a session starts drawing them once its report's page is drawn and the click on
生成简报 mostly finds them ready. The images derive only from the report's bytes, so they
are kept once for the whole server (:data:`DEFAULT_SHARED_REPORTS` reports) and every tab
that opens the same report (each new tab opens the bundled sample) finds them drawn. The
bounds:

- it stops when its session is gone (the tab closed);
- it draws only while the server is quiet (:data:`DEFAULT_PREPARE_DELAY` seconds without a
  script run in any session before each image, :func:`server_ran`), so it does not compete
  with a reader switching pages or a tab opening; the export browser runs at low CPU
  priority besides (:data:`core.present.export.DEFAULT_NICE`);
- one job per session, kept in its own session state, for the report on screen only: when
  the report changes, the old job is told to stop; the new one starts once the old one has
  finished its image in hand;
- the images are kept by the report's sha256 and :data:`core.PARSER_VERSION` (another
  file, or the same file read by another parser, is another report), for the last
  :data:`DEFAULT_SHARED_REPORTS` reports drawn (the least recently used is dropped); a
  session only ever gets the images of the report it has on screen (:func:`take` is asked
  with that report), so nothing of one user reaches another who does not hold the same file;
- a job whose images are all kept draws nothing (and builds no figure); an image another
  session's job has drawn is not drawn again: two sessions on one report draw it once;
- one background image at a time on the whole server (:data:`_one_at_a_time`), so a click's
  own drawing always finds a free tab in the export browser; nothing here blocks a page:
  the job is a daemon thread that never touches Streamlit;
- a click takes what is drawn (waiting at most for its own job's image in hand) and draws the
  rest itself; when its job failed it says so in plain Chinese.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from core import PARSER_VERSION
from core.present import export
from core.records import Report

_log = logging.getLogger(__name__)

#: Where a session keeps its job.
PACK_JOB = "juesuan_pack_job"
#: Seconds the session must have been quiet (no script run) before each background image:
#: a reader switching pages keeps the processor to the pages, one reading gets the images.
DEFAULT_PREPARE_DELAY = 1.0
#: Reports whose drawn images the server keeps (1–3 MB each: a dozen 2× PNGs).
DEFAULT_SHARED_REPORTS = 8
#: What a click says when the background drawing failed (it then draws the rest itself).
FAILED_NOTE = "后台预先画图没有成功，正在重新画图"

#: Background images in flight on the whole server: one, so a click's drawing never waits;
#: held while an image is looked up, drawn and kept, so no two jobs draw the same one.
_one_at_a_time = threading.Semaphore(1)

Key = tuple[str, int]

#: When a script run last began or ended on the server, in any session (monotonic seconds).
_last_run = float("-inf")


def server_ran() -> None:
    """A script run begins or ends in some session: background work waits for quiet."""
    global _last_run
    _last_run = time.monotonic()


def server_quiet_for() -> float:
    """Seconds since a script run last began or ended on the server."""
    return time.monotonic() - _last_run


def wait_server_quiet(quiet: float, limit: float) -> bool:
    """Wait until no script has run on the server for ``quiet`` seconds, at most ``limit``
    seconds; whether it got quiet."""
    deadline = time.monotonic() + limit
    while True:
        left = quiet - server_quiet_for()
        if left <= 0:
            return True
        if time.monotonic() + left > deadline:
            time.sleep(max(deadline - time.monotonic(), 0))
            return server_quiet_for() >= quiet
        time.sleep(left)


class State(Protocol):
    """A session's state: ``st.session_state``, or a dict in a test."""

    def get(self, key: str, default: Any, /) -> Any: ...

    def pop(self, key: str, default: Any, /) -> Any: ...

    def __setitem__(self, key: str, value: Any, /) -> None: ...


def pack_key(report: Report) -> Key:
    """What the images are drawn from: the report's bytes and the parser that read them."""
    return (report.sha256, PARSER_VERSION)


class SharedImages:
    """Drawn chart images by report (:func:`pack_key`), for the whole server: the last
    ``size`` reports used, the least recently used dropped first. Thread-safe."""

    def __init__(self, size: int = DEFAULT_SHARED_REPORTS) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._images: OrderedDict[Key, dict[str, bytes]] = OrderedDict()
        self._complete: set[Key] = set()

    def get(self, key: Key) -> dict[str, bytes]:
        """The images kept for the report, by chart key (a copy; empty when none)."""
        with self._lock:
            found = self._images.get(key)
            if found is None:
                return {}
            self._images.move_to_end(key)
            return dict(found)

    def has(self, key: Key, chart: str) -> bool:
        """Whether the report's image of ``chart`` is kept."""
        with self._lock:
            return chart in self._images.get(key, {})

    def complete(self, key: Key) -> bool:
        """Whether every chart image of the report is kept (see :meth:`mark_complete`)."""
        with self._lock:
            return key in self._complete and key in self._images

    def put(self, key: Key, chart: str, png: bytes) -> None:
        """Keep one image of the report; drop the least recently used reports beyond
        ``size``."""
        with self._lock:
            self._images.setdefault(key, {})[chart] = png
            self._images.move_to_end(key)
            while len(self._images) > self.size:
                old, _images = self._images.popitem(last=False)
                self._complete.discard(old)

    def mark_complete(self, key: Key, charts: Iterable[str]) -> None:
        """The report has these charts: mark it complete when every one of them is kept."""
        with self._lock:
            kept = self._images.get(key)
            if kept is not None and all(chart in kept for chart in charts):
                self._complete.add(key)

    def keys(self) -> list[Key]:
        """The reports kept, least recently used first."""
        with self._lock:
            return list(self._images)

    def clear(self) -> None:
        """Forget every image."""
        with self._lock:
            self._images.clear()
            self._complete.clear()


#: The server's drawn images.
shared = SharedImages()


class PackJob:
    """One session's background drawing of one report's chart images (into :data:`shared`)."""

    def __init__(
        self,
        report: Report,
        delay: float,
        after: PackJob | None = None,
        alive: Callable[[], bool] = lambda: True,
    ) -> None:
        self.key = pack_key(report)
        self._alive = alive
        self.failed: str | None = None
        self.drawn = 0
        """Images this job drew itself (the others were kept already)."""
        self._stop = threading.Event()
        self._touched = time.monotonic()
        self._thread = threading.Thread(
            target=self._run, args=(report, delay, after), name="pack-images", daemon=True
        )

    def start(self) -> None:
        """Start drawing in a daemon thread."""
        self._thread.start()

    def touch(self) -> None:
        """The session ran its script now: the next image waits for a quiet spell again."""
        self._touched = time.monotonic()

    def _quiet(self, delay: float) -> bool:
        """Wait until the session and the server have been quiet for ``delay`` seconds; False
        if the job was stopped or its session is gone (a closed tab draws nothing more)."""
        while True:
            if not self._alive():
                self._stop.set()
            left = delay - min(time.monotonic() - self._touched, server_quiet_for())
            if left <= 0:
                return not self._stop.is_set()
            if self._stop.wait(left):
                return False

    def stop(self) -> None:
        """Stop after the image in hand (its report is no longer on screen, or a click came)."""
        self._stop.set()

    @property
    def stopped(self) -> bool:
        """Whether the job was told to stop."""
        return self._stop.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the thread to end; whether it did."""
        if self._thread.ident is not None:
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def images(self) -> dict[str, bytes]:
        """The report's images drawn so far (by this job or another), by chart key."""
        return shared.get(self.key)

    def _run(self, report: Report, delay: float, after: PackJob | None) -> None:
        from core.present.brief import pictures

        try:
            if after is not None:
                after.wait(export.DEFAULT_TIMEOUT)  # its image in hand, then ours
                after = None
            if shared.complete(self.key) or not self._quiet(delay):
                return
            charts = pictures._charts(report)
            for chart, fig, _say in charts:
                if shared.has(self.key, chart):
                    continue  # drawn by another session's job, or before
                if not self._quiet(delay):
                    return
                with _one_at_a_time:
                    if self._stop.is_set():
                        return
                    if shared.has(self.key, chart):
                        continue  # another session's job drew it while this one waited
                    png = export.figure_images([pictures._chart_request(fig)])[0]
                    shared.put(self.key, chart, png)
                    self.drawn += 1
            shared.mark_complete(self.key, [chart for chart, _fig, _say in charts])
        except export.ExportUnavailable as exc:
            self.failed = exc.message_zh
        except Exception as exc:  # a background job must not die silently
            _log.exception("drawing the pack's images in the background failed")
            self.failed = f"{type(exc).__name__}"


def prepare(
    state: State,
    report: Report | None,
    *,
    delay: float = DEFAULT_PREPARE_DELAY,
    done: Callable[[Report], bool] = lambda _r: False,
    alive: Callable[[], bool] = lambda: True,
) -> PackJob | None:
    """Make sure this session is drawing the pack's images for ``report`` (the one on
    screen): start a job unless one for it runs or ran, or every image of it is kept
    already; stop one for another report.

    ``done``: whether this report's pack is already made (then nothing is drawn); ``alive``:
    whether the session is still connected (asked before each image).
    Returns the session's job, if any.
    """
    job: PackJob | None = state.get(PACK_JOB, None)
    if report is None or export.export_status() is not None:
        return job
    if job is not None and job.key == pack_key(report) and not job.stopped:
        job.touch()
        return job
    if job is not None:
        job.stop()  # its report is no longer on screen
    if done(report) or shared.complete(pack_key(report)):
        return job
    new = PackJob(report, delay, after=job, alive=alive)
    state[PACK_JOB] = new
    new.start()
    return new


def keeper(report: Report) -> Callable[[str, bytes], None]:
    """What a click on 生成简报 hands each image it draws itself: kept in :data:`shared`
    for this report, so no other session's job or click draws it again."""
    key = pack_key(report)
    return lambda chart, png: shared.put(key, chart, png)


def touch(state: State) -> None:
    """A script run of this session begins: the background job waits for quiet again."""
    server_ran()
    job: PackJob | None = state.get(PACK_JOB, None)
    if job is not None:
        job.touch()


def take(state: State, report: Report) -> tuple[dict[str, bytes], str]:
    """For a click on 生成简报: the images kept for this very report (drawn by this
    session's job or another's), and what to say.

    The session's job is stopped and waited for (its image in hand, no more); images of
    another report are never returned. The note is empty unless this session's background
    drawing of this report failed.
    """
    job: PackJob | None = state.pop(PACK_JOB, None)
    note = ""
    if job is not None:
        job.stop()
        job.wait(export.DEFAULT_TIMEOUT)
        if job.key == pack_key(report) and job.failed is not None:
            note = FAILED_NOTE
    return shared.get(pack_key(report)), note
