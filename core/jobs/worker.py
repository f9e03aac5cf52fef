"""The parse worker: ``python -m core.jobs.worker FD MEMORY_BYTES CPU_SECONDS [CPU_CEILING
OCR_PAGE_SECONDS [ahead|now]]``.

Sets its own hard limits first (address space, CPU time), imports the parser, reads
``(pdf bytes, file name)`` pickled on standard input (a worker started ahead waits here with
everything imported, having said ``("ready",)`` on its pipe, its imports run at a lower
priority; standard input closed without a request: it ends quietly), parses, and writes
length-prefixed pickles to the pipe ``FD``: ``("page", done, total, stage, step, steps)`` as pages are read (the fields of
:class:`core.pdf.extract.Progress` after the first three), then one answer — ``("ok", report)``,
``("error", report_error)``, ``("memory",)`` or ``("bug", type name, traceback)``.
Imports nothing of the app: only the parser.

The CPU limit's soft value is ``CPU_SECONDS`` and its hard one ``CPU_CEILING``: when the text
layer's pass finds pages to read by OCR, the worker itself raises the soft value by
``OCR_PAGE_SECONDS`` a page, up to the ceiling (the parent's wall clock grows alike); only
this code, between the text layer and OCR, ever raises it.
"""

from __future__ import annotations

import os
import pickle
import resource
import signal
import struct
import sys
import threading
import traceback

_FRAME = struct.Struct(">I")

#: CPU seconds after which a parse gives way to others (nice 19, the worker and any page
#: reader it forked): an honest report parses in a second or two, a hostile file runs on to
#: its time limit and should not slow every other upload meanwhile.
YIELD_AFTER_CPU_S = 3.0


def _yield_when_long(seconds: float) -> None:
    def lower(signum: int, frame: object) -> None:
        try:
            os.setpriority(os.PRIO_PGRP, 0, 19)
        except OSError:
            pass

    signal.signal(signal.SIGPROF, lower)
    signal.setitimer(signal.ITIMER_PROF, seconds)


def _limit(memory_bytes: int, cpu_seconds: int, ceiling: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # the soft limit sends SIGXCPU (the parent reports the time limit); the hard one kills
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, max(ceiling, cpu_seconds) + 5))


def _grow_cpu(cpu_seconds: int, ceiling: int, per_page: float, pages: int) -> None:
    """Raise the soft CPU limit for ``pages`` pages to OCR (never past the ceiling)."""
    soft = int(min(max(ceiling, cpu_seconds), cpu_seconds + pages * per_page))
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (min(soft, hard), hard))


def _out_of_memory(exc: BaseException) -> bool:
    """A MemoryError anywhere in the chain (the reader wraps what it meets as ``corrupt``)."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, MemoryError):
            return True
        stack += [e.__cause__, e.__context__, *(a for a in e.args if isinstance(a, BaseException))]
    return False


#: How much lower the priority (nice value) of a spare's imports is: it starts beside a parse.
IMPORT_NICE = 10


def _import_parser() -> None:
    """The parser, and what a parse imports on its way."""
    import core.accounts.parse  # noqa: F401
    import core.pdf.extract  # noqa: F401

    _import_the_rest()


def _import_behind(nice: int = IMPORT_NICE) -> None:
    """The parser's imports in a thread of lower priority, waited for.

    A spare worker starts beside the parse it will follow, and should give that parse the
    CPU. On Linux a thread's nice value is its own, and an unprivileged process cannot lower
    it again: so the imports run in a thread of their own at ``+nice``, and the main thread,
    which parses (and forks any page reader), keeps the priority the worker started with.
    Elsewhere the imports run at the worker's priority.
    """
    failed: list[BaseException] = []

    def run() -> None:
        if sys.platform.startswith("linux"):
            tid = threading.get_native_id()
            try:
                os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + nice)
            except OSError:
                pass
        try:
            _import_parser()
        except BaseException as exc:  # raised again in the main thread, which answers
            failed.append(exc)

    thread = threading.Thread(target=run, name="imports")
    thread.start()
    thread.join()
    if failed:
        raise failed[0]


def _import_the_rest() -> None:
    """What a parse imports on its way (the PDF readers, the checks): ahead of the file."""
    import core.accounts.checks
    import core.accounts.narrative
    import core.accounts.performance
    import core.pdf.damage
    import core.pdf.pdfium_backend  # noqa: F401


def main(argv: list[str]) -> int:
    """Run one parse; the answer goes to the pipe, the exit status is 0 whatever it says."""
    fd, memory_bytes, cpu_seconds = int(argv[1]), int(argv[2]), int(argv[3])
    ceiling = int(argv[4]) if len(argv) > 4 else cpu_seconds
    per_page = float(argv[5]) if len(argv) > 5 else 0.0
    ahead = len(argv) > 6 and argv[6] == "ahead"
    _limit(memory_bytes, cpu_seconds, ceiling)
    pid = os.getpid()

    def send(message: tuple[object, ...]) -> None:
        if os.getpid() != pid:  # a page-reading child forked by the reader: not ours to say
            return
        payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(_FRAME.pack(len(payload)) + payload)
        while view:
            view = view[os.write(fd, view) :]

    from core.errors import ReportError

    reserve: bytearray | None = None
    try:
        # the parser first, then the request: a worker started ahead of an upload (the
        # app keeps one, core.jobs.keep_warm) waits with all of it imported, and says so
        if ahead:
            _import_behind()
            send(("ready",))
        from core.accounts.parse import parse_report_bytes
        from core.pdf.extract import Progress

        def progress(p: Progress) -> None:
            if p.stage == "ocr" and p.step == 0:  # the text layer's pass is over
                _grow_cpu(cpu_seconds, ceiling, per_page, p.steps)
            send(("page", p.done, p.total, p.stage, p.step, p.steps))

        _import_the_rest()
        try:
            request = pickle.load(sys.stdin.buffer)
        except EOFError:  # let go without a file (the app stopped, or swapped its spare)
            return 0
        _yield_when_long(YIELD_AFTER_CPU_S)
        # kept back so that, out of memory, there is room to say so
        reserve = bytearray(4 << 20)
        data, file_name = request
        report = parse_report_bytes(data, file_name=file_name, on_progress=progress)
        del data
        answer: tuple[object, ...] = ("ok", report)
    except ReportError as exc:
        answer = ("memory",) if _out_of_memory(exc) else ("error", exc)
    except MemoryError:
        reserve = None
        answer = ("memory",)
    except Exception as exc:
        reserve = None
        answer = (
            ("memory",)
            if _out_of_memory(exc)
            else (
                "bug",
                f"{type(exc).__name__}: {str(exc)[:200]}",
                traceback.format_exc(limit=20),
            )
        )
    del reserve
    # the regular expressions this parse compiled for the first time, kept for the next
    # process (core/regex.py) before the answer: the parent ends this process once answered
    from core import regex

    regex.save()
    try:
        send(answer)
    except MemoryError:
        send(("memory",))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
