"""Parsing out of the server's way: every parse in a worker process with hard limits.

A hostile PDF can make the reader eat gigabytes or minutes (2 million glyphs on a page, a
stream that inflates to 1 GiB). Run inside the Streamlit server, that memory and time would be
every user's; run here, it is one child process's, which the operating system stops at its
limits:

- **memory**: the child's address space (``RLIMIT_AS``), set by the child itself first thing —
  ``preexec_fn`` is not safe in a threaded parent such as the Streamlit server;
- **time**: CPU seconds (``RLIMIT_CPU``) in the child, and wall-clock seconds watched here;
  past either the child's whole process group is killed. A scan takes seconds of CPU a page
  to read by OCR: once the text layer's pass has found how many pages need OCR, the child
  says so and both budgets grow by :attr:`JobLimits.ocr_page_seconds` a page, up to the
  ceiling :attr:`JobLimits.max_seconds` (and the reader refuses more than
  ``core.pdf.limits.Limits.max_ocr_pages`` such pages).

Either way the caller gets :class:`core.errors.TooLargeError` naming the limit. The child is
``python -m core.jobs.worker`` started with :mod:`subprocess` (never ``fork`` of the server and
never ``multiprocessing`` spawn, which would import — and so run — the app's script). The
request goes in on its standard input; page progress, then the report or the
:class:`core.errors.ReportError`, come back pickled over a pipe of their own.

    parse_isolated(data, name, on_page=...)   one file, in one limited process
    parse_many(items, workers=...)            many files, each its own process, as they finish
    parse(data, name, isolate=None)           what the app and the command line call: isolated
                                              unless JUESUAN_ISOLATE=0 (tests, benchmarks)
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import select
import selectors
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from core.errors import CorruptPdfError, TooLargeError
from core.pdf.extract import OnProgress, Progress
from core.records import Report

_log = logging.getLogger(__name__)

#: Set to 0 to parse in this process (tests and benchmarks of the parser itself).
ISOLATE_ENV = "JUESUAN_ISOLATE"
#: Override the default limits, e.g. for a test that wants a hostile file to hit them sooner.
MEMORY_ENV = "JUESUAN_PARSE_MEMORY_MB"
SECONDS_ENV = "JUESUAN_PARSE_SECONDS"
#: Seconds added to the budgets per page read by OCR (a slow or busy server wants more).
OCR_PAGE_SECONDS_ENV = "JUESUAN_OCR_PAGE_SECONDS"

_FRAME = struct.Struct(">I")
_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, slots=True)
class JobLimits:
    """The hard limits of one parse worker."""

    memory_bytes: int = 2 << 30
    """Address space of the worker (RLIMIT_AS); a page-reading child of it gets as much."""
    cpu_seconds: int = 120
    """CPU time of the worker (RLIMIT_CPU)."""
    wall_seconds: float = 120.0
    """Wall-clock time from start to answer, watched by the parent."""
    ocr_page_seconds: float = 40.0
    """Added to both budgets (CPU and wall) for each page to read by OCR: a page takes 8–10
    CPU seconds (bench/ocr_bench.py); in wall time about 36 s a page for 18 pages on the 2-core
    machine at a load average of 20, where the worker had given way to others (nice 19)."""
    max_seconds: float = 1800.0
    """Ceiling of both budgets however many pages need OCR."""

    def budget(self, ocr_pages: int = 0) -> float:
        """Wall-clock seconds allowed when ``ocr_pages`` pages are to be read by OCR."""
        ceiling = max(self.max_seconds, self.wall_seconds)
        return min(ceiling, self.wall_seconds + ocr_pages * self.ocr_page_seconds)

    def cpu_budget(self, ocr_pages: int = 0) -> int:
        """CPU seconds allowed when ``ocr_pages`` pages are to be read by OCR."""
        ceiling = max(self.max_seconds, self.cpu_seconds)
        return int(min(ceiling, self.cpu_seconds + ocr_pages * self.ocr_page_seconds))

    @classmethod
    def from_env(cls, base: JobLimits | None = None) -> JobLimits:
        """``base`` (the defaults) with ``JUESUAN_PARSE_MEMORY_MB`` / ``_SECONDS`` and
        ``JUESUAN_OCR_PAGE_SECONDS`` applied."""
        limits = base or cls()
        memory = os.environ.get(MEMORY_ENV)
        seconds = os.environ.get(SECONDS_ENV)
        per_page = os.environ.get(OCR_PAGE_SECONDS_ENV)
        if per_page:
            limits = replace(limits, ocr_page_seconds=float(per_page))
        if memory:
            limits = replace(limits, memory_bytes=int(memory) << 20)
        if seconds:
            s = float(seconds)
            limits = replace(limits, cpu_seconds=max(1, int(s + 0.999)), wall_seconds=s)
        return limits


DEFAULT_JOB_LIMITS = JobLimits()

OnPage = Callable[[int, int], None]


def _memory_error(limits: JobLimits) -> TooLargeError:
    mb = limits.memory_bytes >> 20
    return TooLargeError(
        f"读取这份 PDF 需要的内存超过了 {mb} MB 的上限，已停止读取",
        f"reading this PDF needs more memory than the {mb} MB limit; reading was stopped",
    )


def _time_error(limits: JobLimits, ocr_pages: int = 0) -> TooLargeError:
    s = f"{limits.budget(ocr_pages):g}"
    if not ocr_pages:
        return TooLargeError(
            f"读取这份 PDF 超过了 {s} 秒的时间上限，已停止读取",
            f"reading this PDF took longer than the {s} s time limit; reading was stopped",
        )
    if limits.budget(ocr_pages) < limits.wall_seconds + ocr_pages * limits.ocr_page_seconds:
        return TooLargeError(
            f"这份扫描件有 {ocr_pages} 页需要 OCR 识别，读取超过了 {s} 秒的总时间上限，"
            "已停止读取；请拆分成较小的文件后再上传",
            f"{ocr_pages} pages of this scan are to be read by OCR, and reading took longer "
            f"than the {s} s ceiling; reading was stopped (split the file and upload the parts)",
        )
    p = f"{limits.ocr_page_seconds:g}"
    return TooLargeError(
        f"这份扫描件有 {ocr_pages} 页需要 OCR 识别，读取超过了 {s} 秒的时间上限"
        f"（每页 {p} 秒），已停止读取；服务器繁忙时可稍后再试",
        f"{ocr_pages} pages of this scan are to be read by OCR, and reading took longer than "
        f"the {s} s time limit ({p} s a page); reading was stopped (try again when the "
        "server is less busy)",
    )


class WorkerFailed(RuntimeError):
    """The worker met a bug of ours (not a bad file): the app logs it and says so plainly."""


def _feed(proc: subprocess.Popen[bytes], request: bytes) -> None:
    """Write the request to the worker's standard input (from a thread: the worker may die
    before reading it all, and the parent must keep watching the clock meanwhile)."""
    assert proc.stdin is not None
    try:
        proc.stdin.write(request)
        proc.stdin.close()
    except (BrokenPipeError, OSError):
        pass


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the worker and any page-reading child it forked (one process group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _reap(proc: subprocess.Popen[bytes]) -> tuple[int, int]:
    """Wait for the worker; (exit status as Popen gives it, peak RSS in bytes)."""
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    except ChildProcessError:  # reaped already
        return (proc.returncode if proc.returncode is not None else -1), 0
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    return code, int(usage.ru_maxrss) * 1024


def parse_isolated(
    data: bytes,
    file_name: str,
    *,
    limits: JobLimits = DEFAULT_JOB_LIMITS,
    on_page: OnPage | None = None,
    on_progress: OnProgress | None = None,
) -> Report:
    """Parse PDF bytes in a worker process under ``limits``; the report, as the parser gives it.

    Raises what the parser raises (:class:`core.errors.ReportError`), and
    :class:`core.errors.TooLargeError` when the worker hits the memory or time limit.
    ``on_page(done, total)`` and ``on_progress`` (a :class:`core.pdf.extract.Progress`) are
    called here, in the caller's thread, as the worker reads pages.
    """
    request = pickle.dumps((data, file_name), protocol=pickle.HIGHEST_PROTOCOL)
    for attempt in (1, 2):
        run = _run_worker(request, limits, on_page, on_progress)
        answer, code, peak, timed_out, note, ocr_pages = run
        # a worker that ended cleanly without a word never met the file: once in some
        # hundreds of runs on a loaded machine; a second worker is asked
        if answer is None and code == 0 and not timed_out and attempt == 1:
            _log.warning("parse worker for %r ended without an answer (%s); again", file_name, note)
            continue
        break
    if timed_out:
        raise _time_error(limits, ocr_pages)
    if answer is None:
        return _died(code, peak, limits, f"{file_name} ({note})", ocr_pages)
    kind = answer[0]
    if kind == "ok":
        report = answer[1]
        assert isinstance(report, Report)
        return report
    if kind == "error":
        raise answer[1]
    if kind == "memory":
        raise _memory_error(limits)
    _log.error("parse worker failed on %r:\n%s", file_name, answer[2])
    raise WorkerFailed(f"the parse worker failed on {file_name!r}: {answer[1]}")


# -- a worker started ahead (the app's) --------------------------------------------------------

_warm: dict[str, Any] = {"on": False, "spare": None}
_warm_lock = threading.Lock()
#: Spares (by process id) that said their imports are done.
_ready: set[int] = set()


def keep_warm(on: bool = True, *, delay: float = 0.0) -> None:
    """Keep one parse worker started ahead of the next parse, its Python and the parser
    already imported, so an upload does not wait for them (the app server turns this on; a
    one-off command does not). Each worker still parses one file only, under the limits it
    set itself at its start, and its wall-clock limit runs from the moment it is given the
    file; it is never reused. ``on=False`` lets the spare go. ``delay``: seconds before the
    spare starts (in the background).

    The next spare starts as soon as a parse is handed to a worker, so an upload right after
    another finds one too; it imports at a lower priority (:mod:`core.jobs.worker`), giving
    the CPU to the parse beside it, and is handed a file only once it says its imports are
    done (before then a parse starts a worker of its own, as without a spare)."""
    with _warm_lock:
        _warm["on"] = on
        spare = None if on else _warm["spare"]
        if not on:
            _warm["spare"] = None
    if spare is not None:
        _let_go(spare)
    if on:
        _refill_later(delay)


def _spare_key(limits: JobLimits) -> tuple[Any, ...]:
    # a spare started under other limits or another environment (a test's) is not used
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("JUESUAN_")))
    return (limits, env, os.environ.get("PYTHONPATH"))


def _refill_later(delay: float) -> None:
    limits = JobLimits.from_env()
    timer = threading.Timer(delay, _refill, args=(limits,))
    timer.daemon = True
    timer.start()


def _refill(limits: JobLimits) -> None:
    with _warm_lock:
        if not _warm["on"] or _warm["spare"] is not None:
            return
        # started under the lock: two refills never leave two spares
        try:
            proc, read_fd = _spawn(limits, ahead=True)
        except OSError:
            _log.exception("starting a spare parse worker failed")
            return
        _warm["spare"] = (proc, read_fd, _spare_key(limits))


def _let_go(spare: tuple[subprocess.Popen[bytes], int, Any]) -> None:
    proc, read_fd, _key = spare
    _ready.discard(proc.pid)
    if proc.stdin is not None:
        with contextlib.suppress(OSError):
            proc.stdin.close()
    _kill_group(proc)
    _reap(proc)
    os.close(read_fd)


def _said_ready(proc: subprocess.Popen[bytes], read_fd: int) -> bool:
    """Whether a spare has said its imports are done (its one ``("ready",)`` frame, read
    here without waiting; it writes nothing else before it is given a file)."""
    if proc.pid in _ready:
        return True
    if not select.select([read_fd], [], [], 0)[0]:
        return False
    head = os.read(read_fd, _FRAME.size)  # one frame, written whole (shorter than a pipe's
    if len(head) < _FRAME.size:  # atomic write), or the end of a spare that died
        return False
    (size,) = _FRAME.unpack(head)
    if pickle.loads(os.read(read_fd, size)) != ("ready",):
        return False
    _ready.add(proc.pid)
    return True


def _spare_ready() -> bool:
    """Whether there is a spare worker and it has said its imports are done."""
    with _warm_lock:
        spare = _warm["spare"]
        return spare is not None and _said_ready(spare[0], spare[1])


def _take_spare(limits: JobLimits) -> tuple[subprocess.Popen[bytes], int] | None:
    """The spare worker, when there is one started under these limits, still alive, and done
    with its imports (a spare still importing stays the spare: it imports at a lower
    priority, and a parse should not wait for that)."""
    with _warm_lock:
        spare, _warm["spare"] = _warm["spare"], None
        if spare is None:
            return None
        proc, read_fd, key = spare
        usable = key == _spare_key(limits) and proc.poll() is None
        if usable and not _said_ready(proc, read_fd):
            if proc.poll() is None:
                _warm["spare"] = spare  # kept for the next parse
                return None
            usable = False
    if not usable:
        _let_go(spare)
        return None
    _ready.discard(proc.pid)
    return proc, read_fd


def _spawn(limits: JobLimits, *, ahead: bool = False) -> tuple[subprocess.Popen[bytes], int]:
    """Start a worker under ``limits``; (the process, the read end of its answer pipe).
    ``ahead``: a spare, which imports at a lower priority and says when it is ready."""
    read_fd, write_fd = os.pipe()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    try:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "core.jobs.worker",
                str(write_fd),
                str(limits.memory_bytes),
                str(limits.cpu_seconds),
                str(int(max(limits.max_seconds, limits.cpu_seconds))),
                f"{limits.ocr_page_seconds:g}",
                "ahead" if ahead else "now",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(write_fd,),
            cwd=_ROOT,
            env=env,
            start_new_session=True,  # its own process group: one kill stops its children too
        )
    except BaseException:
        os.close(read_fd)
        raise
    finally:
        os.close(write_fd)
    return proc, read_fd


def _run_worker(
    request: bytes, limits: JobLimits, on_page: OnPage | None, on_progress: OnProgress | None
) -> tuple[tuple[Any, ...] | None, int, int, bool, str, int]:
    """One worker run: (its answer or None, exit status, peak RSS, timed out, a note, pages
    it said need OCR)."""
    taken = _take_spare(limits)
    proc, read_fd = taken if taken is not None else _spawn(limits)
    started = time.monotonic()  # the wall-clock limit runs from here, for a spare too
    feeder = threading.Thread(target=_feed, args=(proc, request), daemon=True)
    feeder.start()
    if _warm["on"]:  # the next spare now, importing beside this parse at a lower priority
        _refill(JobLimits.from_env())
    answer: tuple[Any, ...] | None = None
    timed_out = False
    buffer = bytearray()
    deadline = started + limits.wall_seconds
    ocr_pages = 0
    with selectors.DefaultSelector() as sel:
        sel.register(read_fd, selectors.EVENT_READ)
        try:
            while answer is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    timed_out = True
                    break
                if not sel.select(timeout=min(left, 1.0)):
                    continue
                chunk = os.read(read_fd, 1 << 20)
                if not chunk:  # the worker is gone
                    break
                buffer += chunk
                while len(buffer) >= _FRAME.size:
                    (size,) = _FRAME.unpack_from(buffer)
                    if len(buffer) < _FRAME.size + size:
                        break
                    message = pickle.loads(bytes(buffer[_FRAME.size : _FRAME.size + size]))
                    del buffer[: _FRAME.size + size]
                    if message[0] == "ready":  # a spare's, read already when it was taken
                        continue
                    if message[0] == "page":
                        if on_page is not None:
                            on_page(message[1], message[2])
                        if len(message) > 3:
                            stage, step, steps = message[3:6]
                            progress = Progress(stage, message[1], message[2], step, steps)
                            if progress.stage == "ocr" and progress.steps != ocr_pages:
                                # the text layer's pass is over: the budget grows by page
                                ocr_pages = progress.steps
                                deadline = started + limits.budget(ocr_pages)
                            if on_progress is not None:
                                on_progress(progress)
                    else:
                        answer = message
                        break
        finally:
            os.close(read_fd)
            _kill_group(proc)  # gone already when it answered; its forked readers too
            code, peak = _reap(proc)
            feeder.join(timeout=5)
    note = f"status {code}, peak {peak >> 20} MB, {len(buffer)} bytes unread, "
    note += f"{time.monotonic() - started:.2f} s" + (", started ahead" if taken else "")
    if _warm["on"]:  # a spare that could not start beside the parse (it says why)
        _refill_later(0.0)
    return answer, code, peak, timed_out, note, ocr_pages


def _died(code: int, peak: int, limits: JobLimits, file_name: str, ocr_pages: int = 0) -> Report:
    """The worker ended without an answer: say which limit stopped it, if one did."""
    if code == -signal.SIGXCPU:  # past RLIMIT_CPU
        raise _time_error(limits, ocr_pages)
    # killed by the kernel's out-of-memory killer, or near the cap when it stopped; a C
    # library that cannot allocate aborts or faults, often well below the cap in resident
    # memory (the cap counts address space reserved, not touched)
    crashed = code in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS)
    if (
        code == -signal.SIGKILL
        or peak >= 0.8 * limits.memory_bytes
        or (crashed and peak >= 0.4 * limits.memory_bytes)
    ):
        raise _memory_error(limits)
    _log.error("parse worker for %s died", file_name)
    raise CorruptPdfError(
        f"读取这份 PDF 时读取进程意外退出（状态 {code}），文件可能已损坏",
        f"the reading process stopped unexpectedly on this PDF (status {code}); "
        "the file may be damaged",
    )


def isolation_on() -> bool:
    """Whether parses run in a worker (``JUESUAN_ISOLATE`` is not ``0``)."""
    return os.environ.get(ISOLATE_ENV, "1") != "0"


def parse(
    data: bytes,
    file_name: str,
    *,
    isolate: bool | None = None,
    limits: JobLimits | None = None,
    on_page: OnPage | None = None,
    on_progress: OnProgress | None = None,
) -> Report:
    """A parse on behalf of a user: in a limited worker unless ``isolate`` is False (or, when
    None, ``JUESUAN_ISOLATE=0``). Limits default to :data:`DEFAULT_JOB_LIMITS` with the
    environment's overrides (:meth:`JobLimits.from_env`)."""
    if isolate is None:
        isolate = isolation_on()
    if not isolate:
        from core.accounts.parse import parse_report_bytes

        return parse_report_bytes(
            data, file_name=file_name, on_page=on_page, on_progress=on_progress
        )
    chosen = limits or JobLimits.from_env()
    return parse_isolated(data, file_name, limits=chosen, on_page=on_page, on_progress=on_progress)


@dataclass(frozen=True, slots=True)
class ParseResult:
    """One file's outcome in :func:`parse_many`: a report, or the error that stopped it."""

    index: int
    """Position of the item in the input."""
    file_name: str
    report: Report | None
    error: Exception | None
    """A :class:`core.errors.ReportError` for a bad file; anything else is a bug of ours."""


Item = Path | str | tuple[bytes, str]


def _load(item: Item) -> tuple[bytes, str]:
    if isinstance(item, tuple):
        return item
    path = Path(item)
    return path.read_bytes(), path.name


def parse_many(
    items: Iterable[Item],
    workers: int | None = None,
    *,
    limits: JobLimits | None = None,
) -> Iterator[ParseResult]:
    """Parse many files, each in its own limited worker, ``workers`` at a time (all cores by
    default); yields a :class:`ParseResult` per file as each finishes, in no fixed order.

    Items are paths or ``(bytes, file name)``; a path is read only when its turn comes, so
    memory holds at most ``2 × workers`` files at once. One file's failure never stops the rest.
    """
    workers = max(1, workers or os.cpu_count() or 1)
    chosen = limits or JobLimits.from_env()

    def one(index: int, item: Item) -> ParseResult:
        name = item[1] if isinstance(item, tuple) else Path(item).name
        try:
            data, name = _load(item)
            return ParseResult(index, name, parse_isolated(data, name, limits=chosen), None)
        except OSError as exc:
            from core.errors import NotPdfError

            error: Exception = NotPdfError(
                f"无法读取文件 {name!r}（{exc.strerror}）",
                f"cannot read file {name!r} ({exc.strerror})",
            )
            return ParseResult(index, name, None, error)
        except Exception as exc:  # a ReportError, or a bug: reported, the rest go on
            return ParseResult(index, name, None, exc)

    pending: set[Future[ParseResult]] = set()
    source = iter(enumerate(items))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="parse-many") as pool:
        for index, item in source:
            pending.add(pool.submit(one, index, item))
            if len(pending) >= 2 * workers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield from (f.result() for f in done)


__all__ = [
    "DEFAULT_JOB_LIMITS",
    "JobLimits",
    "ParseResult",
    "WorkerFailed",
    "isolation_on",
    "keep_warm",
    "parse",
    "parse_isolated",
    "parse_many",
]
