"""The app's parses: in a limited worker process (:mod:`core.jobs`), a progress bar by page,
and a cache shared by every session.

Not ``st.cache_resource``: a cached function that draws (the progress bar) has its drawing
replayed on every cache hit, and a bar made outside it cannot be drawn from inside. So the
cache is this module's: reports by (sha256, file name), at most :data:`MAX_ENTRIES`, one parse
at a time per file however many sessions upload it. A bad file's :class:`ReportError` is kept
too, so the same hostile upload from many sessions costs one worker, not one each; a
``too_large`` refusal is not kept (a busy machine may have slowed an honest file). At most
:data:`MAX_WORKERS` workers run at once; further uploads wait their turn with the bar saying so.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict

import streamlit as st

from core import jobs
from core.errors import ReportError, TooLargeError
from core.pdf.extract import Progress
from core.records import Report

#: Reports (and refusals) kept for every session.
MAX_ENTRIES = 32
#: Parse workers running at once; more uploads wait their turn. Two a core keeps every core
#: busy while one long (hostile) parse runs, and bounds memory at this many worker limits.
MAX_WORKERS = 2 * (os.cpu_count() or 1)

_slots = threading.BoundedSemaphore(MAX_WORKERS)

_lock = threading.Lock()
_done: OrderedDict[tuple[str, str], Report | ReportError] = OrderedDict()
_running: dict[tuple[str, str], threading.Lock] = {}


def clear_cache() -> None:
    """Forget every parse (benchmarks time a first upload)."""
    with _lock:
        _done.clear()


def _cached(key: tuple[str, str]) -> Report | ReportError | None:
    with _lock:
        hit = _done.get(key)
        if hit is not None:
            _done.move_to_end(key)
        return hit


def _keep(key: tuple[str, str], value: Report | ReportError) -> None:
    with _lock:
        _done[key] = value
        while len(_done) > MAX_ENTRIES:
            _done.popitem(last=False)


def _answer(hit: Report | ReportError) -> Report:
    if isinstance(hit, ReportError):
        raise hit
    return hit


def load_report(data: bytes, file_name: str) -> Report:
    """The parsed report for these bytes: from the cache, or parsed now in a worker with a
    progress bar by page. Raises :class:`core.errors.ReportError` for a bad file (including
    :class:`core.errors.TooLargeError` past the worker's memory or time limit)."""
    key = (hashlib.sha256(data).hexdigest(), file_name)
    hit = _cached(key)
    if hit is not None:
        return _answer(hit)
    with _lock:
        running = _running.setdefault(key, threading.Lock())
    with running:  # another session parsing the same file: wait for its answer
        hit = _cached(key)
        if hit is not None:
            return _answer(hit)
        bar = st.progress(0.0, text=f"等待读取 {file_name} …")

        def on_progress(p: Progress) -> None:
            # one bar by page: a scanned page fills it when OCR has read it
            bar.progress(
                min(1.0, p.done / max(p.total, 1)), text=f"正在读取 {file_name}：{p.label_zh()}"
            )

        try:
            with _slots:
                bar.progress(0.0, text=f"正在读取 {file_name} …")
                report = jobs.parse(data, file_name, on_progress=on_progress)
            _keep(key, report)
        except TooLargeError:
            raise
        except ReportError as exc:
            _keep(key, exc)
            raise
        finally:
            bar.empty()
            with _lock:
                _running.pop(key, None)
        return report
