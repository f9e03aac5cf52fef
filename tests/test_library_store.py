"""The report library: exact round trip, re-import without a parse, removal, a crash in the
middle of an import, a damaged database file, two importers at once, a parser change."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import libdata
import pytest
from conftest import FIXTURES, PUTUO_PDF, ROOT, SAMPLE_PDF

import core.library.importer as importer
import core.library.store as store
from core.library import Library, LibraryCorruptError, open_library, unit_key
from core.library.importer import import_paths
from core.records import Report


def _sample(sample_report: Report) -> tuple[Report, bytes]:
    return sample_report, SAMPLE_PDF.read_bytes()


def test_a_report_comes_back_exactly(tmp_path: Path, sample_report: Report) -> None:
    lib = Library(tmp_path)
    report, data = _sample(sample_report)
    assert lib.add(report, data).added
    back = lib.report(report.sha256)
    assert back == report  # every field, every Decimal
    assert all(type(f.value) is Decimal for f in back.facts)
    assert lib.pdf(report.sha256) == data
    # the SQL rows hold the same exact amounts as the record
    with lib.connect() as con:
        rows = con.execute(
            "SELECT table_id, section, parent, code, item, col, value, page FROM facts"
        ).fetchall()
    facts = [
        (f.table, f.section, f.parent, f.code, f.item, f.column, f.value, f.page)
        for f in report.facts
    ]
    assert sorted(rows, key=repr) == sorted(facts, key=repr)
    counts = lib.query(
        "SELECT (SELECT count(*) FROM checks) c, (SELECT count(*) FROM narrative) n,"
        " (SELECT count(*) FROM scorecards) s"
    ).iloc[0]
    assert (counts["c"], counts["n"], counts["s"]) == (
        len(report.checks),
        len(report.narrative),
        len(report.performance),
    )


def test_reimport_does_not_parse_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lib = Library(tmp_path / "lib")
    first = import_paths(lib, [SAMPLE_PDF])
    assert (first.imported, first.already) == (1, 0)

    def no_parse(data: bytes, file_name: str) -> Report:
        raise AssertionError("parsed again")

    monkeypatch.setattr(importer, "parse_file", no_parse)
    again = import_paths(lib, [SAMPLE_PDF, SAMPLE_PDF])
    assert (again.imported, again.already, again.refused) == (0, 2, [])
    assert lib.count() == 1


def test_a_report_can_be_removed(tmp_path: Path, sample_report: Report) -> None:
    lib = Library(tmp_path)
    report, data = _sample(sample_report)
    lib.add(report, data)
    before = lib.generation()
    assert lib.remove(report.sha256)
    assert lib.count() == 0 and lib.generation() > before
    for table in store.ROW_TABLES:
        assert lib.query(f"SELECT count(*) AS n FROM {table}")["n"].iloc[0] == 0
    assert not lib.pdf_path(report.sha256).exists()
    assert not lib.remove(report.sha256)
    with pytest.raises(KeyError):
        lib.report(report.sha256)


def test_refused_files_never_enter_the_library(tmp_path: Path) -> None:
    lib = Library(tmp_path / "lib")
    bad = sorted(FIXTURES.glob("error-*.pdf"))
    summary = import_paths(lib, [*bad, SAMPLE_PDF])
    expected = {p.name: p.name.removeprefix("error-").removesuffix(".pdf") for p in bad}
    assert {Path(o.name).name: o.kind for o in summary.refused} == expected
    assert summary.imported == 1 and lib.count() == 1
    for table in ("facts", "checks", "narrative"):
        shas = set(lib.query(f"SELECT DISTINCT sha256 FROM {table}")["sha256"])
        assert shas == {store.sha256_of(SAMPLE_PDF.read_bytes())}


CRASH = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {root!r})
    from core.pdf import pdfminer_backend
    pdfminer_backend._workers = lambda: 1  # no page workers to outlive the crash
    import core.library.store as store
    from core.library.importer import import_paths
    real = store._insert
    def insert(con, name, table):
        real(con, name, table)
        if name == "checks":  # facts and checks written, the rest not: die here
            os._exit(9)
    store._insert = insert
    import_paths(store.Library({lib!r}), [{pdf!r}])
    """
)


def test_a_crash_in_the_middle_of_an_import_leaves_nothing_half_read(tmp_path: Path) -> None:
    lib_dir = tmp_path / "lib"
    script = CRASH.format(root=str(ROOT), lib=str(lib_dir), pdf=str(SAMPLE_PDF))
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=300)
    assert run.returncode == 9, run.stderr.decode()
    lib = Library(lib_dir)
    assert lib.count() == 0
    for table in store.ROW_TABLES:
        assert lib.query(f"SELECT count(*) AS n FROM {table}")["n"].iloc[0] == 0
    # the next run takes it in whole
    assert import_paths(lib, [SAMPLE_PDF]).imported == 1
    assert lib.report(store.sha256_of(SAMPLE_PDF.read_bytes())).facts


INTERRUPT = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {root!r})
    from core.pdf import pdfminer_backend
    pdfminer_backend._workers = lambda: 1  # no page workers to outlive the crash
    import core.library.importer as importer
    from core.library.store import Library
    real = importer.parse_file
    seen = []
    def parse(data, name):
        seen.append(name)
        if len(seen) == 3:
            os._exit(9)  # killed while reading the third file
        return real(data, name)
    importer.parse_file = parse
    importer.import_paths(Library({lib!r}), [{folder!r}], workers=1)
    """
)


def test_an_interrupted_import_resumes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    libdata.write(folder)
    lib_dir = tmp_path / "lib"
    script = INTERRUPT.format(root=str(ROOT), lib=str(lib_dir), folder=str(folder))
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=300)
    assert run.returncode == 9, run.stderr.decode()
    lib = Library(lib_dir)
    assert lib.count() == 2
    again = import_paths(lib, [folder])
    assert (again.imported, again.already) == (1, 2)
    assert lib.count() == 3


def test_a_damaged_database_is_reported_and_kept(tmp_path: Path, sample_report: Report) -> None:
    lib = Library(tmp_path)
    report, data = _sample(sample_report)
    lib.add(report, data)
    garbage = b"this is not a database " * 500
    lib.db_path.write_bytes(garbage)
    with pytest.raises(LibraryCorruptError) as caught:
        open_library(tmp_path)
    err = caught.value
    assert "已损坏" in err.message_zh and str(err.backup) in err.message_zh
    assert err.backup.read_bytes() == garbage  # the damaged file is kept as it was
    # the PDFs survived: a fresh database is rebuilt from them
    fresh = open_library(tmp_path)
    assert fresh.count() == 0
    assert fresh.rebuild() == {}
    assert fresh.report(report.sha256) == report


def test_a_damaged_block_is_found(tmp_path: Path, sample_report: Report) -> None:
    lib = Library(tmp_path)
    report, data = _sample(sample_report)
    lib.add(report, data)
    raw = bytearray(lib.db_path.read_bytes())
    raw[4096 * 3 : 4096 * 3 + 2048] = b"\xff" * 2048  # inside the data blocks
    lib.db_path.write_bytes(bytes(raw))
    with pytest.raises(LibraryCorruptError):
        Library(tmp_path).listing()


def test_two_importers_at_once_both_land(tmp_path: Path) -> None:
    folder_a, folder_b = tmp_path / "a", tmp_path / "b"
    libdata.write(folder_a, libdata.REPORTS[:2])
    libdata.write(folder_b, libdata.REPORTS[2:])
    (folder_b / "sample.pdf").write_bytes(SAMPLE_PDF.read_bytes())
    (folder_b / "shared.pdf").write_bytes((folder_a / "2022-11.pdf").read_bytes())
    lib_dir = tmp_path / "lib"
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "core",
                "import",
                str(folder),
                "--library",
                str(lib_dir),
                "--workers",
                "1",
                "--quiet",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for folder in (folder_a, folder_b)
    ]
    outs = [r.communicate(timeout=600) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], [o[1].decode() for o in outs]
    lib = Library(lib_dir)
    assert lib.count() == 4  # three drawn reports and the sample, the shared one once
    assert lib.query("SELECT count(DISTINCT sha256) AS n FROM facts")["n"].iloc[0] == 4


def test_a_parser_change_reads_stored_reports_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_report: Report
) -> None:
    lib = Library(tmp_path)
    report, data = _sample(sample_report)
    lib.add(report, data)
    assert lib.stale() == []
    monkeypatch.setattr(store, "PARSER_VERSION", store.PARSER_VERSION + 1)
    assert lib.stale() == [report.sha256]
    seen: list[tuple[int, int]] = []
    assert lib.reparse(progress=lambda i, n, name: seen.append((i, n))) == {}
    assert seen[0] == (0, 1) and seen[-1] == (1, 1)
    assert lib.stale() == []
    assert lib.report(report.sha256) == report
    assert lib.listing()["parser_version"].iloc[0] == store.PARSER_VERSION


def test_a_report_the_new_parser_refuses_keeps_its_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_report: Report
) -> None:
    from core.errors import NotJuesuanError

    lib = Library(tmp_path)
    report, data = _sample(sample_report)
    lib.add(report, data)
    monkeypatch.setattr(store, "PARSER_VERSION", store.PARSER_VERSION + 1)

    def refuse(data: bytes, name: str) -> Report:
        raise NotJuesuanError("不是", "not")

    assert lib.reparse(parse=refuse) == {report.sha256: "not_juesuan"}
    assert lib.stale() == []  # not tried again at every start
    assert lib.report(report.sha256) == report
    assert lib.listing()["reparse_error"].iloc[0] == "not_juesuan"


def test_unit_names_match_after_normalisation_and_by_link(tmp_path: Path) -> None:
    assert unit_key("福建省 示例档案服务中心（本级）") == unit_key("福建省示例档案服务中心")
    assert unit_key("“三公”单位") == unit_key("三公单位")
    assert unit_key("甲单位") != unit_key("乙单位")
    lib = Library(tmp_path)
    lib.link_unit("旧名称中心", "新名称中心")
    lib.link_unit("更旧名称中心", "旧名称中心")  # a chain ends at the newest name
    links = dict(lib.query("SELECT alias, canonical FROM unit_links").itertuples(index=False))
    assert links == {"旧名称中心": "新名称中心", "更旧名称中心": "新名称中心"}


def test_the_default_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUESUAN_LIBRARY", "/srv/lib")
    assert store.default_library_dir() == Path("/srv/lib")
    monkeypatch.delenv("JUESUAN_LIBRARY")
    monkeypatch.setenv("XDG_DATA_HOME", "/data/home")
    assert store.default_library_dir() == Path("/data/home/juesuan")
    monkeypatch.delenv("XDG_DATA_HOME")
    assert store.default_library_dir() == Path.home() / ".local" / "share" / "juesuan"


def test_parallel_import_stores_what_one_process_does(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    libdata.write(folder)
    (folder / "putuo.pdf").write_bytes(PUTUO_PDF.read_bytes())
    one, two = Library(tmp_path / "one"), Library(tmp_path / "two")
    import_paths(one, [folder], workers=1)
    summary = import_paths(two, [folder], workers=2)
    assert summary.imported == 4
    for sha in one.listing()["sha256"]:
        assert two.report(sha) == one.report(sha)


def test_two_sessions_of_one_server_importing_at_once_both_land(tmp_path: Path) -> None:
    """Two app sessions are two threads of one process, each with its own Library object."""
    import threading

    pairs = [(f"{y}-{s}.pdf", libdata.pdf(s, u, y)) for s, u, y in libdata.REPORTS]
    pairs.append((SAMPLE_PDF.name, SAMPLE_PDF.read_bytes()))
    results: list[object] = []

    def session(items: list[tuple[str, bytes]]) -> None:
        try:
            results.append(importer.import_sources(Library(tmp_path), list(items)))
        except Exception as exc:  # the assertion below shows it
            results.append(exc)

    threads = [
        threading.Thread(target=session, args=(pairs[:3],)),
        threading.Thread(target=session, args=(pairs[1:],)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert all(isinstance(r, importer.ImportSummary) for r in results), results
    assert Library(tmp_path).count() == 4
    for table in ("facts", "checks"):
        n = Library(tmp_path).query(f"SELECT count(DISTINCT sha256) AS n FROM {table}")["n"]
        assert n.iloc[0] == 4


def test_reads_remembered_while_the_files_are_unchanged(
    tmp_path: Path, sample_report: Report
) -> None:
    """What the app shows of the library is read again after any write, by this process or
    another (here: another Library on the same folder), and not before."""
    lib, other = Library(tmp_path), Library(tmp_path)
    lib.check()
    reads: list[int] = []

    def count() -> int:
        reads.append(1)
        return lib.count()

    _settle(lib)
    assert lib.while_unchanged("count", count) == 0
    assert lib.while_unchanged("count", count) == 0
    assert len(reads) == 1  # the second came from memory
    other.add(*_sample(sample_report))
    assert lib.while_unchanged("count", count) == 1  # written: read again
    _settle(lib)
    n = len(reads)
    assert lib.while_unchanged("count", count) == 1
    assert lib.while_unchanged("count", count) == 1
    assert len(reads) == n + 1


def _settle(lib: Library) -> None:
    """Wait until the database files have been left alone long enough to be told by stamp."""
    deadline = time.monotonic() + 10
    while lib.stamp() is None:
        assert time.monotonic() < deadline, "the library's files never settled"
        time.sleep(0.1)


def test_an_open_waits_while_another_process_opens_the_file(tmp_path: Path) -> None:
    """DuckDB creates a new file, then locks it, then writes its header; a process opening
    the file in between would read it as damaged and move a sound library aside. Opens take
    turns through a lock beside the file: while another process holds it, an open waits."""
    import fcntl
    import threading

    lib = Library(tmp_path)
    lib.check()  # the file and its open-lock exist
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            "fd = os.open(sys.argv[1], os.O_RDWR)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "sys.stdin.readline()\n",
            str(tmp_path / "library.duckdb.open-lock"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        done = threading.Event()
        opener = threading.Thread(target=lambda: (Library(tmp_path).check(), done.set()))
        opener.start()
        assert not done.wait(1.0)  # held elsewhere: the open waits
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert done.wait(60)  # released: it goes on
        opener.join()
    finally:
        holder.kill()
        holder.communicate()  # closes its pipes
    # the lock was taken with flock, which the holder's exit released: nothing left held
    fd = os.open(tmp_path / "library.duckdb.open-lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(fd)
