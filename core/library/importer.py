"""Import many reports at once: folders, files and ZIPs, parsed in worker processes.

The parent reads each file, hashes it and skips what the library already holds (no parse:
re-importing is instant); the rest are parsed in a pool of processes, and each result is
stored as it comes back, in a transaction of its own, so an interrupted run keeps what it
finished and the next run resumes. A file the parser refuses is counted by its error kind and
the others go on; nothing of a refused file enters the library.
"""

from __future__ import annotations

import multiprocessing
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import NotPdfError, ReportError
from core.library.store import Library, sha256_of
from core.records import Report

#: Files read and looked up in the library together.
DEFAULT_CHUNK = 64
#: A file bigger than this is not read into memory for an import (a 决算 report is a few MB).
MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Source:
    """One file to import: a PDF on disk, or a member of a ZIP."""

    name: str
    """How it is named to the user: the path, or ``archive.zip:member.pdf``."""
    path: Path
    """The file on disk (the ZIP for a member)."""
    member: str | None = None
    """The member's name inside the ZIP, or None."""

    def read(self) -> bytes:
        """The file's bytes; a file that cannot be read is refused as not a PDF."""
        try:
            if self.member is None:
                if self.path.stat().st_size > MAX_FILE_BYTES:
                    raise _too_big(self.name)
                return self.path.read_bytes()
            with zipfile.ZipFile(self.path) as archive:
                if archive.getinfo(self.member).file_size > MAX_FILE_BYTES:
                    raise _too_big(self.name)
                return archive.read(self.member)
        except (OSError, zipfile.BadZipFile, KeyError) as exc:
            raise NotPdfError(
                f"无法读取文件 {self.name!r}（{exc}）", f"cannot read file {self.name!r} ({exc})"
            ) from None


def _too_big(name: str) -> ReportError:
    from core.errors import TooLargeError

    limit = MAX_FILE_BYTES // (1024 * 1024)
    return TooLargeError(
        f"文件 {name!r} 超过 {limit} MB，不予导入", f"file {name!r} is over {limit} MB"
    )


def _zip_members(path: Path) -> Iterator[Source]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
    except (OSError, zipfile.BadZipFile):
        yield Source(str(path), path)  # refused when read, with its kind
        return
    for name in sorted(names):
        if name.lower().endswith(".pdf") and not Path(name).name.startswith("."):
            yield Source(f"{path}:{name}", path, name)


def find_sources(paths: Iterable[str | Path]) -> list[Source]:
    """Every file to import under these paths: a folder's PDFs and ZIPs (searched through),
    a ZIP's PDF members, and any other file named directly (the parser judges it)."""
    found: list[Source] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if not child.is_file() or child.name.startswith("."):
                    continue
                suffix = child.suffix.lower()
                if suffix == ".pdf":
                    found.append(Source(str(child), child))
                elif suffix == ".zip":
                    found.extend(_zip_members(child))
        elif path.suffix.lower() == ".zip" and zipfile.is_zipfile(path):
            found.extend(_zip_members(path))
        else:
            found.append(Source(str(path), path))
    return found


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one file."""

    name: str
    """The file, as named to the user."""
    status: str
    """``imported``, ``already`` (stored before) or ``refused``."""
    sha256: str = ""
    """The PDF's sha256 (empty when it could not be read)."""
    kind: str = ""
    """The error kind of a refused file (``not_pdf``, ``scanned`` …)."""
    message: str = ""
    """The plain message of a refused file."""


@dataclass(slots=True)
class ImportSummary:
    """The run's result: imported, already there, refused by kind."""

    outcomes: list[Outcome] = field(default_factory=list)
    """One per file, in the order they finished."""

    def count(self, status: str) -> int:
        """How many files ended with this status."""
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def imported(self) -> int:
        """Files parsed and stored in this run."""
        return self.count("imported")

    @property
    def already(self) -> int:
        """Files the library held already (by sha256)."""
        return self.count("already")

    @property
    def refused(self) -> list[Outcome]:
        """Files the parser refused, with their kinds."""
        return [o for o in self.outcomes if o.status == "refused"]

    def refused_by_kind(self) -> dict[str, int]:
        """Refused files counted by error kind."""
        return dict(Counter(o.kind for o in self.refused))

    def line(self) -> str:
        """The summary in one line, Chinese then English."""
        kinds = "，".join(f"{k} {n}" for k, n in sorted(self.refused_by_kind().items()))
        refused = len(self.refused)
        tail = f"（{kinds}）" if kinds else ""
        return (
            f"导入 {self.imported} 份，已在库中 {self.already} 份，未能读取 {refused} 份{tail} / "
            f"imported {self.imported}, already there {self.already}, refused {refused}"
        )


#: Progress callback: (files done, files in all, the file just finished or started).
Progress = Callable[[int, int, str], None]


# -- the parse seam: one function, so another engine (core.jobs) is a one-line change ---------


def parse_file(data: bytes, file_name: str) -> Report:
    """Parse one PDF for the library (runs in a pool process): through :func:`core.jobs.parse`,
    so every file of a batch has the same memory and time limits as an upload."""
    from core.jobs import parse

    return parse(data, file_name)


def _worker_init() -> None:
    # each worker reads one file at a time on one core: no page-level pool inside it
    from core.pdf import pdfminer_backend

    pdfminer_backend._workers = lambda: 1


def _parse_in_worker(data: bytes, file_name: str) -> Report | tuple[str, str, str]:
    """A report, or (kind, 中文, English) for a refused file; never raises a ReportError
    (exceptions cross the process boundary poorly)."""
    try:
        return parse_file(data, file_name)
    except ReportError as exc:
        return (exc.kind, exc.message_zh, exc.message_en)
    except Exception as exc:  # a parser bug: refused as unreadable, the run goes on
        return (
            "internal",
            f"读取时出现意外错误（{type(exc).__name__}: {str(exc)[:80]}）",
            f"unexpected error while reading ({type(exc).__name__})",
        )


def make_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes forked from a clean server process (safe from a
    threaded parent such as the app), with the parser imported once."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["core.accounts.parse", "core.jobs", "core.library.importer"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init)


def import_sources(
    library: Library,
    sources: Iterable[Source | tuple[str, bytes]],
    *,
    workers: int = 1,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import these files (sources on disk, or ``(name, bytes)`` pairs from an upload).

    ``workers`` processes parse; 1 parses in this process. Each report is stored as soon as
    it is parsed, in a transaction of its own.
    """
    items: list[Source | tuple[str, bytes]] = list(sources)
    total = len(items)
    summary = ImportSummary()
    done = 0

    def finish(outcome: Outcome) -> None:
        nonlocal done
        summary.outcomes.append(outcome)
        done += 1
        if progress is not None:
            progress(done, total, outcome.name)

    def read(item: Source | tuple[str, bytes]) -> tuple[str, bytes]:
        if isinstance(item, Source):
            return item.name, item.read()
        return item

    def store(name: str, data: bytes, sha: str, result: Report | tuple[str, str, str]) -> None:
        if isinstance(result, tuple):
            kind, zh, en = result
            finish(Outcome(name, "refused", sha, kind, f"{zh} / {en}"))
            return
        stored = library.add(result, data)
        finish(Outcome(name, "imported" if stored.added else "already", sha))

    if progress is not None:
        progress(0, total, "")
    parallel = workers > 1 and total > 1
    pool: ProcessPoolExecutor | None = None  # started at the first file to parse
    pending: dict[Future[Report | tuple[str, str, str]], tuple[str, bytes, str]] = {}
    in_flight: set[str] = set()

    def _submit_or_parse(
        pool: ProcessPoolExecutor | None, name: str, data: bytes, sha: str
    ) -> ProcessPoolExecutor | None:
        if not parallel:
            if progress is not None:
                progress(done, total, name)
            store(name, data, sha, _parse_in_worker(data, _base_name(name)))
            return None
        if pool is None:
            pool = make_pool(workers)
        try:
            future = pool.submit(_parse_in_worker, data, _base_name(name))
        except BrokenProcessPool:
            # a worker died earlier (memory, a signal): a fresh pool takes over
            pool.shutdown(wait=False, cancel_futures=True)
            pool = make_pool(workers)
            future = pool.submit(_parse_in_worker, data, _base_name(name))
        pending[future] = (name, data, sha)
        # keep a bounded number of files in memory
        while len(pending) >= 2 * workers:
            _drain(pending, store, block=True)
        return pool

    from core.pdf import pdfminer_backend

    page_workers = pdfminer_backend._workers
    if not parallel:
        pdfminer_backend._workers = lambda: 1  # one file at a time on one core, as a worker
    try:
        for start in range(0, len(items), DEFAULT_CHUNK):
            read_in: list[tuple[str, bytes, str]] = []
            for item in items[start : start + DEFAULT_CHUNK]:
                name = item.name if isinstance(item, Source) else item[0]
                try:
                    name, data = read(item)
                except ReportError as exc:
                    message = f"{exc.message_zh} / {exc.message_en}"
                    finish(Outcome(name, "refused", "", exc.kind, message))
                    continue
                read_in.append((name, data, sha256_of(data)))
            # one look at the library per chunk: a re-import of thousands is a few queries
            stored = library.known(sha for _, _, sha in read_in)
            for name, data, sha in read_in:
                if sha in in_flight or sha in stored:
                    finish(Outcome(name, "already", sha))
                    continue
                in_flight.add(sha)
                pool = _submit_or_parse(pool, name, data, sha)

        while pending:
            _drain(pending, store, block=True)
    finally:
        pdfminer_backend._workers = page_workers
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return summary


def _base_name(name: str) -> str:
    return Path(name.rsplit(":", 1)[-1]).name


def _drain(
    pending: dict[Future[Report | tuple[str, str, str]], tuple[str, bytes, str]],
    store: Callable[[str, bytes, str, Report | tuple[str, str, str]], None],
    *,
    block: bool,
) -> None:
    finished, _ = wait(list(pending), return_when=FIRST_COMPLETED, timeout=None if block else 0)
    for future in finished:
        name, data, sha = pending.pop(future)
        try:
            result = future.result()
        except BrokenProcessPool:
            # the worker died (out of memory, killed): this file is refused, the run goes on
            result = (
                "internal",
                "读取进程意外退出（可能内存不足）",
                "the reading process died (out of memory?)",
            )
        store(name, data, sha, result)


def import_paths(
    library: Library,
    paths: Iterable[str | Path],
    *,
    workers: int = 1,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import every file under these paths (folders, PDFs, ZIPs); see :func:`import_sources`."""
    sources: list[Source | tuple[str, bytes]] = list(find_sources(paths))
    return import_sources(library, sources, workers=workers, progress=progress)
