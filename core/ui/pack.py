"""The briefing pack's chart images, drawn in the background while a report is on screen.

A pack is mostly its chart images (about ten, a quarter of a second each in the export
browser), so a session starts drawing them once its report's page is drawn and the click on
生成简报 mostly finds them ready. The bounds:

- it stops when its session is gone (the tab closed);
- it draws only while the session is quiet (:data:`DEFAULT_PREPARE_DELAY` seconds without a
  script run before each image), so it does not compete with a reader switching pages;
- one job per session, kept in its own session state (never shown to another user), for the
  report on screen only: when the report changes, the old job is told to stop and its images
  are dropped; the new one starts once the old one has finished its image in hand;
- the images are keyed by the report's sha256 and :data:`core.PARSER_VERSION`, so they are
  used only for the very report they were drawn from;
- one background image at a time on the whole server (:data:`_one_at_a_time`), so a click's
  own drawing always finds a free tab in the export browser; nothing here blocks a page:
  the job is a daemon thread that never touches Streamlit;
- a click takes what is drawn (waiting at most for the image in hand) and draws the rest
  itself; when the job failed it says so in plain Chinese and draws everything.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
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
#: What a click says when the background drawing failed (it then draws every image itself).
FAILED_NOTE = "后台预先画图没有成功，正在重新画图"

#: Background images in flight on the whole server: one, so a click's drawing never waits.
_one_at_a_time = threading.Semaphore(1)

Key = tuple[str, int]


class State(Protocol):
    """A session's state: ``st.session_state``, or a dict in a test."""

    def get(self, key: str, default: Any, /) -> Any: ...

    def pop(self, key: str, default: Any, /) -> Any: ...

    def __setitem__(self, key: str, value: Any, /) -> None: ...


def pack_key(report: Report) -> Key:
    """What the images are drawn from: the report's bytes and the parser that read them."""
    return (report.sha256, PARSER_VERSION)


class PackJob:
    """One session's background drawing of one report's chart images."""

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
        self._images: dict[str, bytes] = {}
        self._lock = threading.Lock()
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
        """Wait until the session has been quiet for ``delay`` seconds; False if the job was
        stopped or its session is gone (a closed tab draws nothing more)."""
        while True:
            if not self._alive():
                self._stop.set()
            left = delay - (time.monotonic() - self._touched)
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
        """The images drawn so far, by chart key."""
        with self._lock:
            return dict(self._images)

    def _run(self, report: Report, delay: float, after: PackJob | None) -> None:
        from core.present.brief import pictures

        try:
            if after is not None:
                after.wait(export.DEFAULT_TIMEOUT)  # its image in hand, then ours
                after = None  # its images are dropped with it
            if not self._quiet(delay):
                return
            for key, fig, _say in pictures._charts(report):
                if not self._quiet(delay):
                    return
                with _one_at_a_time:
                    if self._stop.is_set():
                        return
                    png = export.figure_images([pictures._chart_request(fig)])[0]
                with self._lock:
                    self._images[key] = png
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
    screen): start a job unless one for it runs or ran; stop one for another report.

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
    if done(report):
        return job
    if job is not None:
        job.stop()
    new = PackJob(report, delay, after=job, alive=alive)
    state[PACK_JOB] = new
    new.start()
    return new


def touch(state: State) -> None:
    """A script run of this session begins: the background job waits for quiet again."""
    job: PackJob | None = state.get(PACK_JOB, None)
    if job is not None:
        job.touch()


def take(state: State, report: Report) -> tuple[dict[str, bytes], str]:
    """For a click on 生成简报: the images drawn for this very report, and what to say.

    The job is stopped and waited for (its image in hand, no more); images drawn for
    another report, or by another session, are never returned. The note is empty unless
    the background drawing failed.
    """
    job: PackJob | None = state.pop(PACK_JOB, None)
    if job is None:
        return {}, ""
    job.stop()
    job.wait(export.DEFAULT_TIMEOUT)
    if job.key != pack_key(report):
        return {}, ""
    if job.failed is not None:
        return {}, FAILED_NOTE
    return job.images(), ""
