"""The report library: every parsed report kept once, by sha256, in an embedded DuckDB file.

Layout of a library folder::

    library.duckdb          reports, facts, checks, narrative, scorecards, metrics, unit_links
    library.duckdb.open-lock  held while a process opens the database (see ``_opening``)
    pdf/ab/abcdef….pdf      each PDF, content-addressed by its sha256 (for a later re-parse)

- One transaction per report: a report is in every table or in none, so a crash in the
  middle of an import leaves nothing half-read, and running the import again resumes (what
  is stored is skipped by its sha256 at once).
- No connection is held between operations: each one opens the file, does its work and
  closes it, so two processes (two importers, the app and an importer) take turns at the
  file lock; a process that finds the file locked waits and tries again.
- A file that is not a DuckDB database, or fails DuckDB's checksums, is moved aside (the
  backup is kept) and reported as :class:`LibraryCorruptError`; the PDFs beside it are
  untouched, so ``rebuild`` reads them all again into a fresh database.
- Each report row keeps the :data:`core.PARSER_VERSION` that read it; :meth:`Library.stale`
  lists those read by another version and :meth:`Library.reparse` reads them again.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd
import pyarrow as pa

from core import PARSER_VERSION
from core.errors import ReportError
from core.library.codec import report_from_json, report_to_json
from core.library.errors import LibraryBusyError, LibraryCorruptError, LibraryError
from core.records import Report

#: Environment variable naming the library folder.
LIBRARY_ENV = "JUESUAN_LIBRARY"
DB_NAME = "library.duckdb"
#: How long an operation waits for another process to release the database file.
DEFAULT_LOCK_WAIT = 120.0

_AMOUNT = pa.decimal128(38, 8)
_SQL_AMOUNT = "DECIMAL(38,8)"

SCHEMA_SQL = f"""
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS reports (
    sha256 VARCHAR PRIMARY KEY, file_name VARCHAR, unit VARCHAR, unit_key VARCHAR,
    year INTEGER, scope VARCHAR, template VARCHAR, source_unit VARCHAR, text_source VARCHAR,
    pages INTEGER, facts INTEGER, checks INTEGER, failed INTEGER, missing INTEGER,
    problems INTEGER, parser_version INTEGER, imported_at TIMESTAMP, reparse_error VARCHAR,
    record VARCHAR);
CREATE TABLE IF NOT EXISTS facts (
    sha256 VARCHAR, table_id VARCHAR, section VARCHAR, parent VARCHAR, code VARCHAR,
    item VARCHAR, col VARCHAR, value {_SQL_AMOUNT}, page INTEGER);
CREATE TABLE IF NOT EXISTS checks (
    sha256 VARCHAR, rule VARCHAR, ok BOOLEAN, kind VARCHAR, expected {_SQL_AMOUNT},
    found {_SQL_AMOUNT}, tolerance {_SQL_AMOUNT}, tables VARCHAR, pages VARCHAR);
CREATE TABLE IF NOT EXISTS narrative (
    sha256 VARCHAR, topic VARCHAR, kind VARCHAR, value {_SQL_AMOUNT}, unit VARCHAR,
    code VARCHAR, item VARCHAR, page INTEGER, sentence VARCHAR);
CREATE TABLE IF NOT EXISTS scorecards (
    sha256 VARCHAR, kind VARCHAR, title VARCHAR, project VARCHAR,
    total_score {_SQL_AMOUNT}, grade VARCHAR, pages VARCHAR, indicators INTEGER);
CREATE TABLE IF NOT EXISTS metrics (
    sha256 VARCHAR, metric VARCHAR, value {_SQL_AMOUNT}, unit VARCHAR, source VARCHAR,
    pages VARCHAR, change {_SQL_AMOUNT}, growth {_SQL_AMOUNT}, change_page INTEGER,
    note VARCHAR);
CREATE TABLE IF NOT EXISTS unit_links (alias VARCHAR PRIMARY KEY, canonical VARCHAR);
CREATE TABLE IF NOT EXISTS changes (changed_at TIMESTAMP);
"""

_LISTING_SQL = """
SELECT r.unit, r.year, r.scope, r.template, r.pages, r.problems, r.failed, r.missing, r.facts,
       r.file_name, r.sha256, r.imported_at, r.parser_version, r.reparse_error,
       coalesce(l.canonical, r.unit_key) AS unit_key
FROM reports r LEFT JOIN unit_links l ON l.alias = r.unit_key
ORDER BY 15, r.year DESC NULLS LAST, r.imported_at
"""

#: The tables that hold one report's rows (``reports`` last: it is what a reader lists).
ROW_TABLES = ("facts", "checks", "narrative", "scorecards", "metrics", "reports")


def default_library_dir() -> Path:
    """``$JUESUAN_LIBRARY``, else ``$XDG_DATA_HOME/juesuan``, else ``~/.local/share/juesuan``."""
    named = os.environ.get(LIBRARY_ENV)
    if named:
        return Path(named).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home).expanduser() / "juesuan"


_PUNCT = re.compile(r"[\s\"'“”‘’「」『』《》〈〉·・,，.。、:：;；]")


def unit_key(name: str) -> str:
    """A unit name for matching across years: full-width forms folded, spaces, quotes and
    punctuation dropped, ``（本级）`` and a trailing ``本级`` dropped."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _PUNCT.sub("", text)
    text = text.replace("(本级)", "")
    return text.removesuffix("本级")


def sha256_of(data: bytes) -> str:
    """The hex sha256 of the bytes: a report's identity in the library."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Stored:
    """What :meth:`Library.add` did with one report."""

    sha256: str
    """The report's sha256."""
    added: bool
    """False when it was there already."""


def _pages_text(pages: Iterable[int]) -> str:
    return ",".join(str(p) for p in pages)


class Library:
    """A library folder: the DuckDB file and the PDFs beside it."""

    def __init__(self, folder: Path, *, lock_wait: float = DEFAULT_LOCK_WAIT) -> None:
        self.folder = Path(folder)
        self.db_path = self.folder / DB_NAME
        self.pdf_dir = self.folder / "pdf"
        self.lock_wait = lock_wait
        self._ready = False

    # -- connections ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one operation, closed after it (waits while another process
        holds the file; a damaged file is moved aside and reported)."""
        # one operation at a time per file in this process: DuckDB shares one database
        # object between a process's connections, and its Python scans of Arrow tables are
        # not safe from two threads at once (two app sessions importing together)
        with _file_lock(self.db_path):
            con = self._open()
            try:
                if not self._ready:
                    _create_schema(con)
                    self._ready = True
                yield con
            except duckdb.Error as exc:
                if not _damaged(exc):
                    raise
                con.close()
                raise self._corrupt() from None
            finally:
                con.close()

    def _open(self) -> duckdb.DuckDBPyConnection:
        self.folder.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.lock_wait
        delay = 0.02
        while True:
            try:
                with _opening(self.db_path):
                    return duckdb.connect(str(self.db_path))
            except duckdb.Error as exc:
                if _locked(exc):
                    if time.monotonic() > deadline:
                        raise LibraryBusyError(
                            f"报告库 {str(self.db_path)!r} 正被另一个程序占用，等待超时。",
                            f"the library {str(self.db_path)!r} is held by another process; "
                            "gave up waiting.",
                        ) from None
                    time.sleep(delay)
                    delay = min(delay * 1.5, 0.5)
                    continue
                if _damaged(exc):
                    raise self._corrupt() from None
                raise LibraryError(
                    f"无法打开报告库 {str(self.db_path)!r}（{exc}）",
                    f"cannot open the library {str(self.db_path)!r} ({exc})",
                ) from None

    def _corrupt(self) -> LibraryCorruptError:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        backup = self.db_path.with_name(f"{DB_NAME}.corrupt-{stamp}")
        os.replace(self.db_path, backup)
        wal = self.db_path.with_name(DB_NAME + ".wal")
        if wal.exists():
            os.replace(wal, backup.with_name(backup.name + ".wal"))
        self._ready = False
        return LibraryCorruptError(self.db_path, backup)

    def check(self) -> None:
        """Open the database once, so a damaged file is found (and moved aside) now."""
        with self.connect() as con:
            con.execute("SELECT count(*) FROM reports").fetchone()

    # -- PDFs ----------------------------------------------------------------------------------

    def pdf_path(self, sha: str) -> Path:
        """Where the PDF with this sha256 is kept."""
        return self.pdf_dir / sha[:2] / f"{sha}.pdf"

    def _keep_pdf(self, sha: str, data: bytes, file_name: str = "") -> None:
        path = self.pdf_path(sha)
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        if file_name:
            # the name it came under, for a rebuild after the database was lost
            path.with_suffix(".name").write_text(file_name, encoding="utf-8")
        # written whole under a temporary name, then renamed: never a half PDF under its sha
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)

    def pdf(self, sha: str) -> bytes:
        """The stored PDF's bytes."""
        return self.pdf_path(sha).read_bytes()

    # -- writing -------------------------------------------------------------------------------

    def known(self, shas: Iterable[str]) -> set[str]:
        """Those of these sha256 that are stored."""
        wanted = list(dict.fromkeys(shas))
        if not wanted:
            return set()
        with self.connect() as con:
            rows = con.execute(
                "SELECT sha256 FROM reports WHERE sha256 IN (SELECT unnest(?))", [wanted]
            ).fetchall()
        return {r[0] for r in rows}

    def has(self, sha: str) -> bool:
        """True when the report with this sha256 is stored."""
        return bool(self.known([sha]))

    def add(self, report: Report, data: bytes) -> Stored:
        """Store a parsed report and its PDF, all in one transaction; a report already there
        (by sha256) is left as it is."""
        sha = sha256_of(data)
        if report.sha256 != sha:
            from dataclasses import replace

            report = replace(report, sha256=sha)
        self._keep_pdf(sha, data, report.file_name)
        rows = report_rows(report)
        for attempt in range(_RETRIES):
            with self.connect() as con:
                if con.execute("SELECT 1 FROM reports WHERE sha256 = ?", [sha]).fetchone():
                    return Stored(sha, False)
                try:
                    self._write(con, sha, rows, replace_old=False)
                except duckdb.ConstraintException:
                    # another writer stored the same PDF between our look and our write
                    return Stored(sha, False)
                except duckdb.TransactionException:
                    if attempt == _RETRIES - 1:
                        raise
                    time.sleep(0.05 * (attempt + 1))  # another writer's transaction: again
                    continue
            return Stored(sha, True)
        raise AssertionError("unreachable")

    def _write(
        self,
        con: duckdb.DuckDBPyConnection,
        sha: str,
        rows: dict[str, pa.Table],
        *,
        replace_old: bool,
    ) -> None:
        con.begin()
        try:
            if replace_old:
                for name in ROW_TABLES:
                    con.execute(f"DELETE FROM {name} WHERE sha256 = ?", [sha])
            for name in ROW_TABLES:
                if rows[name].num_rows:
                    _insert(con, name, rows[name])
            self._bump(con)
            con.commit()
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.rollback()
            raise

    def remove(self, sha: str) -> bool:
        """Take a report out of the library (its rows and its PDF); False when it was not there."""
        with self.connect() as con:
            if not con.execute("SELECT 1 FROM reports WHERE sha256 = ?", [sha]).fetchone():
                return False
            con.begin()
            for name in ROW_TABLES:
                con.execute(f"DELETE FROM {name} WHERE sha256 = ?", [sha])
            self._bump(con)
            con.commit()
        for path in (self.pdf_path(sha), self.pdf_path(sha).with_suffix(".name")):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        return True

    @staticmethod
    def _bump(con: duckdb.DuckDBPyConnection) -> None:
        # an appended row, not a counter updated in place: two writers never conflict on it
        con.execute("INSERT INTO changes VALUES (current_timestamp)")

    def generation(self) -> int:
        """A number that changes with every write (for readers' caches)."""
        with self.connect() as con:
            row = con.execute("SELECT count(*) FROM changes").fetchone()
        return int(row[0]) if row else 0

    def stamp(self) -> Stamp | None:
        """A fingerprint of the database files, taken without opening them (a few
        microseconds, where a connection costs tens of milliseconds): any write, by this
        process or another, changes it. None while the files changed too recently to tell a
        next write by its time stamp (:data:`SETTLED_SECONDS`), so a caller asks the
        database then."""
        now = time.time_ns()
        parts: list[tuple[int, int, int, int] | None] = []
        for path in (self.db_path, self.db_path.with_name(DB_NAME + ".wal")):
            try:
                st = path.stat()
            except FileNotFoundError:
                parts.append(None)
                continue
            # a write within the same clock tick as the last one could leave mtime and size
            # as they were: only a file left alone for a while is known by its stamp
            if now - max(st.st_mtime_ns, st.st_ctime_ns) < SETTLED_SECONDS * 1e9:
                return None
            parts.append((st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size))
        if parts[0] is None:
            return None
        return (str(self.db_path), *parts)

    def while_unchanged(self, name: str, read: Callable[[], _T]) -> _T:
        """``read()``, remembered in this process for as long as the database files are
        unchanged (:meth:`stamp`): what every page shows of the library (the listing, its
        generation) costs no connection while nobody writes. ``name`` tells reads apart."""
        before = self.stamp()
        key = (str(self.db_path), name)
        if before is not None:
            with _MEMO_GUARD:
                hit = _MEMO.get(key)
            if hit is not None and hit[0] == before:
                return hit[1]
        value = read()
        # the stamp taken before the read: a write meanwhile changes it, so the next call
        # reads again rather than keep a value older than the files
        if before is not None:
            with _MEMO_GUARD:
                _MEMO[key] = (before, value)
        return value

    # -- parser versions -----------------------------------------------------------------------

    def stale(self) -> list[str]:
        """Reports read by another parser version than this one (and not yet tried again)."""
        with self.connect() as con:
            rows = con.execute(
                "SELECT sha256 FROM reports WHERE parser_version <> ? ORDER BY imported_at",
                [PARSER_VERSION],
            ).fetchall()
        return [r[0] for r in rows]

    def reparse(
        self,
        shas: Sequence[str] | None = None,
        *,
        parse: Callable[[bytes, str], Report] | None = None,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> dict[str, str]:
        """Read stored reports again from their PDFs (default: the stale ones), each replaced
        in one transaction. A report the new parser refuses keeps its old reading, marked
        with the refusal. Returns ``{sha256: error kind}`` for those refused."""
        from core.accounts.parse import parse_report_bytes

        read = parse or (lambda data, name: parse_report_bytes(data, file_name=name))
        todo = list(self.stale() if shas is None else shas)
        refused: dict[str, str] = {}
        for i, sha in enumerate(todo):
            with self.connect() as con:
                row = con.execute(
                    "SELECT file_name, imported_at FROM reports WHERE sha256 = ?", [sha]
                ).fetchone()
            if row is None:
                continue
            name, imported_at = row
            if progress is not None:
                progress(i, len(todo), name)
            try:
                report = read(self.pdf(sha), name)
            except (ReportError, OSError) as exc:
                kind = getattr(exc, "kind", "missing_pdf")
                refused[sha] = kind
                with self.connect() as con:
                    con.execute(
                        "UPDATE reports SET parser_version = ?, reparse_error = ? WHERE sha256 = ?",
                        [PARSER_VERSION, kind, sha],
                    )
                continue
            rows = report_rows(report, imported_at=imported_at)
            with self.connect() as con:
                self._write(con, sha, rows, replace_old=True)
        if progress is not None:
            progress(len(todo), len(todo), "")
        return refused

    def rebuild(self, progress: Callable[[int, int, str], None] | None = None) -> dict[str, str]:
        """Read every stored PDF into the database again (after a damaged file was set
        aside). Returns ``{file: error kind}`` for PDFs the parser refuses."""
        from core.accounts.parse import parse_report_bytes

        files = sorted(self.pdf_dir.glob("*/*.pdf")) if self.pdf_dir.exists() else []
        have = self.known(p.stem for p in files)
        refused: dict[str, str] = {}
        for i, path in enumerate(files):
            if progress is not None:
                progress(i, len(files), path.name)
            if path.stem in have:
                continue
            data = path.read_bytes()
            named = path.with_suffix(".name")
            name = named.read_text(encoding="utf-8") if named.exists() else path.name
            try:
                report = parse_report_bytes(data, file_name=name)
            except ReportError as exc:
                refused[path.name] = exc.kind
                continue
            self.add(report, data)
        return refused

    # -- reading -------------------------------------------------------------------------------

    def report(self, sha: str) -> Report:
        """The stored report, exactly as it was parsed. KeyError when it is not stored."""
        with self.connect() as con:
            row = con.execute("SELECT record FROM reports WHERE sha256 = ?", [sha]).fetchone()
        if row is None:
            raise KeyError(sha)
        return report_from_json(row[0])

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """Run SQL on the library and return a DataFrame; DECIMAL columns come back as exact
        Decimal values (None where NULL), never as floats."""
        with self.connect() as con:
            table = con.sql(sql, params=list(params or [])).to_arrow_table()
        return table.to_pandas()

    def listing(self) -> pd.DataFrame:
        """Every stored report: unit, year, scope, template, pages, problems, file, sha256."""
        return self.query(_LISTING_SQL)

    def listing_rows(self) -> list[dict[str, Any]]:
        """:meth:`listing` as plain dicts (for JSON)."""
        with self.connect() as con:
            cur = con.execute(_LISTING_SQL)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def count(self) -> int:
        """How many reports are stored."""
        with self.connect() as con:
            row = con.execute("SELECT count(*) FROM reports").fetchone()
        return int(row[0]) if row else 0

    # -- unit names ----------------------------------------------------------------------------

    def link_unit(self, alias: str, canonical: str) -> None:
        """Treat unit ``alias`` (a former name) as ``canonical`` when matching across years."""
        a, c = unit_key(alias), unit_key(canonical)
        if a == c:
            return
        with self.connect() as con:
            con.begin()
            # a name that is itself an alias stands for what it was linked to
            row = con.execute("SELECT canonical FROM unit_links WHERE alias = ?", [c]).fetchone()
            if row is not None:
                c = row[0]
            if a == c:
                con.rollback()
                return
            con.execute(
                "INSERT INTO unit_links VALUES (?, ?) ON CONFLICT (alias) DO UPDATE "
                "SET canonical = excluded.canonical",
                [a, c],
            )
            # whatever pointed at the alias now points at the canonical name
            con.execute("UPDATE unit_links SET canonical = ? WHERE canonical = ?", [c, a])
            self._bump(con)
            con.commit()

    def unlink_unit(self, alias: str) -> None:
        """Forget a link made by :meth:`link_unit`."""
        with self.connect() as con:
            con.execute("DELETE FROM unit_links WHERE alias = ?", [unit_key(alias)])
            self._bump(con)


_RETRIES = 8
#: Seconds a database file must have been left alone before its stamp stands for its contents.
SETTLED_SECONDS = 1.0
_T = TypeVar("_T")
Stamp = tuple[Any, ...]
_MEMO: dict[tuple[str, str], tuple[Stamp, Any]] = {}
_MEMO_GUARD = threading.Lock()
_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


def _file_lock(path: Path) -> threading.RLock:
    """The process-wide lock of one database file (re-entrant: an operation may nest)."""
    key = str(path.resolve())
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.RLock())


@contextlib.contextmanager
def _opening(db_path: Path) -> Iterator[None]:
    """Across processes, one ``duckdb.connect`` of a file at a time. DuckDB creates a new
    file, then locks it, then writes its header: another process opening the file between
    the first two steps locks an empty file and reads it as damaged, and would move a sound
    new library aside. The lock (``flock`` on a file beside the database) is held only for
    the connect, not for the operation."""
    fd = os.open(db_path.with_name(db_path.name + ".open-lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the file releases its lock


def _create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The tables, if missing; two first writers at once may both try, one wins."""
    for attempt in range(_RETRIES):
        try:
            con.execute(SCHEMA_SQL)
            return
        except duckdb.TransactionException:
            if attempt == _RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def _locked(exc: Exception) -> bool:
    """Another process holds the file (DuckDB: "Could not set lock on file …")."""
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text


def _damaged(exc: Exception) -> bool:
    """DuckDB says the file is not a database, or a block fails its checksum."""
    text = str(exc)
    return "not a valid DuckDB database" in text or "Corrupt database file" in text


def _insert(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    con.register("_rows", table)
    try:
        con.execute(f"INSERT INTO {name} SELECT * FROM _rows")
    finally:
        con.unregister("_rows")


# -- a report as rows ---------------------------------------------------------------------------


def _table(columns: dict[str, pa.DataType], rows: list[tuple[Any, ...]]) -> pa.Table:
    names = list(columns)
    arrays = [pa.array([r[i] for r in rows], type=columns[n]) for i, n in enumerate(names)]
    return pa.Table.from_arrays(arrays, names=names)


def report_rows(report: Report, *, imported_at: datetime | None = None) -> dict[str, pa.Table]:
    """One report as the rows of each library table (Arrow tables, amounts exact)."""
    from core.present import frames

    sha = report.sha256
    s, i, d = pa.string(), pa.int32(), _AMOUNT
    failed = sum(1 for c in report.checks if not c.ok and c.kind != "missing")
    missing = sum(1 for c in report.checks if not c.ok and c.kind == "missing")
    rows: dict[str, pa.Table] = {}
    rows["reports"] = _table(
        {
            "sha256": s, "file_name": s, "unit": s, "unit_key": s, "year": i, "scope": s,
            "template": s, "source_unit": s, "text_source": s, "pages": i, "facts": i,
            "checks": i, "failed": i, "missing": i, "problems": i, "parser_version": i,
            "imported_at": pa.timestamp("us"), "reparse_error": s, "record": s,
        },
        [
            (
                sha, report.file_name, report.unit, unit_key(report.unit), report.year,
                report.scope, report.template, report.source_unit, report.text_source,
                report.pages, len(report.facts), len(report.checks), failed, missing,
                failed + missing, PARSER_VERSION,
                imported_at or datetime.now(UTC).replace(tzinfo=None), None,
                report_to_json(report),
            )
        ],
    )  # fmt: skip
    rows["facts"] = _table(
        {"sha256": s, "table_id": s, "section": s, "parent": s, "code": s, "item": s,
         "col": s, "value": d, "page": i},
        [(sha, f.table, f.section, f.parent, f.code, f.item, f.column, f.value, f.page)
         for f in report.facts],
    )  # fmt: skip
    rows["checks"] = _table(
        {"sha256": s, "rule": s, "ok": pa.bool_(), "kind": s, "expected": d, "found": d,
         "tolerance": d, "tables": s, "pages": s},
        [(sha, c.rule, c.ok, c.kind, c.expected, c.found, c.tolerance, ",".join(c.tables),
          _pages_text(c.pages)) for c in report.checks],
    )  # fmt: skip
    rows["narrative"] = _table(
        {"sha256": s, "topic": s, "kind": s, "value": d, "unit": s, "code": s, "item": s,
         "page": i, "sentence": s},
        [(sha, n.topic, n.kind, n.value, n.unit, n.code, n.item, n.page, n.sentence)
         for n in report.narrative],
    )  # fmt: skip
    rows["scorecards"] = _table(
        {"sha256": s, "kind": s, "title": s, "project": s, "total_score": d, "grade": s,
         "pages": s, "indicators": i},
        [(sha, p.kind, p.title, p.project, p.total_score, p.grade, _pages_text(p.pages),
          len(p.indicators)) for p in report.performance],
    )  # fmt: skip
    metric_rows = []
    for k in frames.find_kpis(report):
        metric_rows.append(
            (sha, k.label, k.value, k.unit, k.source, _pages_text(k.pages), k.change,
             k.growth, k.change_page, k.note)
        )  # fmt: skip
    budget = three_public_budget(report)
    if budget is not None:
        metric_rows.append((sha, "三公经费预算", budget[0], "万元", budget[1],
                            _pages_text(budget[2]), None, None, None, ""))  # fmt: skip
    rows["metrics"] = _table(
        {"sha256": s, "metric": s, "value": d, "unit": s, "source": s, "pages": s,
         "change": d, "growth": d, "change_page": i, "note": s},
        metric_rows,
    )  # fmt: skip
    return rows


def three_public_budget(report: Report) -> tuple[Decimal, str, tuple[int, ...]] | None:
    """三公 预算数 of the 合计 heading: from 公开07 where printed, else the text's budget."""
    from core.present import frames

    frame = frames.three_public_frame(report)
    total = frame.loc[frame["项目"] == "合计"]
    if not total.empty and "预算数" in frame.columns and total["预算数"].iloc[0] is not None:
        value = total["预算数"].iloc[0]
        if value == value:  # not NaN
            return (
                Decimal(value),
                frames.table_title(report, "公开07"),
                tuple(total["页码"].iloc[0]),
            )
    stated = frames.find_narrative(report, ("三公经费",), "budget")
    if stated is not None:
        return stated.value, "说明", (stated.page,)
    return None


def open_library(folder: Path | str | None = None) -> Library:
    """The library at ``folder`` (default :func:`default_library_dir`), checked readable."""
    lib = Library(Path(folder) if folder is not None else default_library_dir())
    lib.check()
    return lib
