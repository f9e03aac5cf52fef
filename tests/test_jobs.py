"""Parsing in a limited worker process (core.jobs): same answers as in-process, limits that
hold, progress by page, and nothing of a hostile file's cost in the caller."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, PUTUO_PDF, ROOT, SAMPLE_PDF

from bench import hostile
from core import jobs
from core.accounts.contract import report_json
from core.accounts.parse import parse_report_bytes
from core.errors import ReportError, TooLargeError

ERROR_FIXTURES = sorted(FIXTURES.glob("error-*.pdf"))


def _rss_mb() -> float:
    """This process's resident memory now (not its peak)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.mark.parametrize("path", [SAMPLE_PDF, PUTUO_PDF], ids=lambda p: p.name)
def test_the_worker_gives_the_report_the_parser_gives(path: Path) -> None:
    data = path.read_bytes()
    pages: list[tuple[int, int]] = []
    isolated = jobs.parse_isolated(data, path.name, on_page=lambda a, b: pages.append((a, b)))
    inline = parse_report_bytes(data, file_name=path.name)
    assert report_json(isolated) == report_json(inline)
    # progress: rising, ending at every page of the file
    assert pages, "no page progress came back"
    assert pages[-1] == (inline.pages, inline.pages)
    assert [a for a, _ in pages] == sorted(a for a, _ in pages)


@pytest.mark.parametrize("path", ERROR_FIXTURES, ids=lambda p: p.name)
def test_the_worker_raises_the_parsers_error(path: Path) -> None:
    data = path.read_bytes()
    with pytest.raises(ReportError) as inline:
        parse_report_bytes(data, file_name=path.name)
    with pytest.raises(ReportError) as isolated:
        jobs.parse_isolated(data, path.name)
    assert type(isolated.value) is type(inline.value)
    assert isolated.value.message_zh == inline.value.message_zh
    assert isolated.value.message_en == inline.value.message_en


def test_past_the_memory_limit_too_large_and_the_caller_keeps_its_memory(
    hostile_dir: Path,
) -> None:
    # a 1 GiB inflating font program: no cap of the text layer stops it, only the memory limit
    path = hostile.fontfile_bomb(hostile_dir / "fontfile.pdf")
    data = path.read_bytes()
    before = _rss_mb()
    limits = jobs.JobLimits(memory_bytes=400 << 20, cpu_seconds=60, wall_seconds=60)
    with pytest.raises(TooLargeError, match="400 MB") as info:
        jobs.parse_isolated(data, path.name, limits=limits)
    assert info.value.kind == "too_large"
    assert "内存" in info.value.message_zh and "memory" in info.value.message_en
    assert _rss_mb() - before < 50  # the inflated stream was the worker's, not ours


def test_past_the_time_limit_too_large(hostile_dir: Path) -> None:
    # under the page cap (1,000), so only the clock stops it. The whole read takes ~2 s on an
    # idle machine since the glyph loop is in C (it took over 3 s before), so the clock is set
    # at half of that: a busy machine only reads slower, which stops it all the more surely
    path = hostile.many_pages(hostile_dir / "pages.pdf", n=900)
    limits = jobs.JobLimits(memory_bytes=1 << 30, cpu_seconds=60, wall_seconds=1)
    with pytest.raises(TooLargeError, match="1 s time limit") as info:
        jobs.parse_isolated(path.read_bytes(), path.name, limits=limits)
    assert "1 秒" in info.value.message_zh


def test_a_bug_in_the_worker_is_a_worker_failure_not_a_hang(tmp_path: Path) -> None:
    # a sitecustomize on the worker's path plants a bug in the parser it imports
    (tmp_path / "sitecustomize.py").write_text(
        "import core.accounts.parse as p\n"
        "def broken(*a, **k):\n"
        "    raise ZeroDivisionError('planted')\n"
        "p.parse_report_bytes = broken\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(tmp_path)]))
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from core import jobs\n"
        "try:\n"
        f"    jobs.parse_isolated(open({str(SAMPLE_PDF)!r}, 'rb').read(), 'x.pdf')\n"
        "except jobs.WorkerFailed as exc:\n"
        "    print('failed:', exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert "failed:" in out.stdout and "ZeroDivisionError: planted" in out.stdout, out.stderr


def test_parse_many_answers_every_file_once(tmp_path: Path) -> None:
    missing = tmp_path / "gone.pdf"
    items: list[jobs.Item] = [
        SAMPLE_PDF,
        FIXTURES / "error-not_pdf.pdf",
        (PUTUO_PDF.read_bytes(), PUTUO_PDF.name),
        missing,
    ]
    results = {r.index: r for r in jobs.parse_many(items, workers=2)}
    assert sorted(results) == [0, 1, 2, 3]
    assert results[0].report is not None and results[0].error is None
    assert results[0].report.unit == "福建省12345政务服务便民热线中心"
    assert isinstance(results[1].error, ReportError) and results[1].error.kind == "not_pdf"
    assert results[2].report is not None and results[2].file_name == PUTUO_PDF.name
    assert isinstance(results[3].error, ReportError) and results[3].report is None


def test_the_command_line_isolated_and_not_agree() -> None:
    path = FIXTURES / "quirk-full-consistent.pdf"

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "core", "parse", str(path), "--format", "json", *extra],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    isolated, inline = run(), run("--no-isolate")
    assert isolated.returncode == inline.returncode == 0
    assert isolated.stdout == inline.stdout and isolated.stdout.startswith("{")


def test_limits_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(jobs.MEMORY_ENV, "300")
    monkeypatch.setenv(jobs.SECONDS_ENV, "7.5")
    limits = jobs.JobLimits.from_env()
    assert limits == jobs.JobLimits(memory_bytes=300 << 20, cpu_seconds=8, wall_seconds=7.5)


def test_a_worker_started_ahead_parses_once_under_its_limits(hostile_dir: Path) -> None:
    """The app's spare worker: the same report, a fresh process per file, limits that hold,
    and a spare let go ends without a trace."""
    data = SAMPLE_PDF.read_bytes()
    inline = parse_report_bytes(data, file_name=SAMPLE_PDF.name)
    limits = jobs.JobLimits.from_env()
    try:
        jobs.keep_warm(True)
        spares = []
        for _ in range(2):
            deadline = time.monotonic() + 60
            while not jobs._spare_ready() and time.monotonic() < deadline:
                time.sleep(0.05)
            spare = jobs._warm["spare"]
            assert spare is not None and jobs._spare_ready(), "no worker was started ahead"
            spares.append(spare[0])
            report = jobs.parse_isolated(data, SAMPLE_PDF.name, limits=limits)
            assert report_json(report) == report_json(inline)
            assert spare[0].returncode is not None  # it parsed one file and is gone
        assert spares[0].pid != spares[1].pid  # never reused
        # a hostile file given to a spare still meets the memory limit
        deadline = time.monotonic() + 60
        while not jobs._spare_ready() and time.monotonic() < deadline:
            time.sleep(0.05)
        bomb = hostile.fontfile_bomb(hostile_dir / "fontfile-spare.pdf")
        with pytest.raises(TooLargeError, match="memory"):
            jobs.parse_isolated(bomb.read_bytes(), bomb.name, limits=limits)
    finally:
        deadline = time.monotonic() + 60
        while jobs._warm["spare"] is None and time.monotonic() < deadline:
            time.sleep(0.05)
        last = jobs._warm["spare"]
        jobs.keep_warm(False)
    assert jobs._warm["spare"] is None
    assert last is not None and last[0].returncode is not None  # let go, reaped


def test_a_worker_whose_input_closes_without_a_file_ends_quietly() -> None:
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "core.jobs.worker", str(write_fd), str(1 << 30), "60"],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pass_fds=(write_fd,),
        cwd=ROOT,
    )
    os.close(write_fd)
    _out, err = proc.communicate(b"", timeout=60)
    with os.fdopen(read_fd, "rb") as answers:
        said = answers.read()
    assert proc.returncode == 0 and err == b"" and said == b""


def test_the_next_spare_starts_when_a_parse_is_handed_off() -> None:
    """A second upload right after a parse finds a spare: the next one is started as the
    parse is handed to its worker, not some seconds after it ends."""
    data = SAMPLE_PDF.read_bytes()
    try:
        jobs.keep_warm(True, delay=3600)  # no spare ahead of the first parse
        assert jobs._warm["spare"] is None
        jobs.parse_isolated(data, SAMPLE_PDF.name)
        spare = jobs._warm["spare"]
        assert spare is not None and spare[0].poll() is None  # there at once, waiting
        deadline = time.monotonic() + 60
        while not jobs._spare_ready() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert jobs._spare_ready()
        jobs.parse_isolated(data, SAMPLE_PDF.name)  # the second upload takes it
        assert spare[0].returncode is not None
        assert jobs._warm["spare"] is not None and jobs._warm["spare"][0].pid != spare[0].pid
    finally:
        jobs.keep_warm(False)
    assert jobs._warm["spare"] is None


def test_a_spare_still_importing_is_not_handed_a_file() -> None:
    """A spare that has not said it is ready (it imports at a lower priority) stays the
    spare; the parse starts a worker of its own."""
    limits = jobs.JobLimits.from_env()
    read_fd, write_fd = os.pipe()
    slow = subprocess.Popen(  # a spare that never finishes importing
        [sys.executable, "-c", "import time; time.sleep(120)"],
        stdin=subprocess.PIPE,
        pass_fds=(write_fd,),
        start_new_session=True,
    )
    os.close(write_fd)
    try:
        with jobs._warm_lock:
            jobs._warm["on"] = True
            jobs._warm["spare"] = (slow, read_fd, jobs._spare_key(limits))
        report = jobs.parse_isolated(SAMPLE_PDF.read_bytes(), SAMPLE_PDF.name, limits=limits)
        assert report.unit  # parsed, by a worker of its own
        assert slow.poll() is None and jobs._warm["spare"][0] is slow  # still the spare
    finally:
        jobs.keep_warm(False)
    assert slow.returncode is not None  # let go


def test_a_spares_imports_run_below_the_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """The spare's imports run in a thread at a lower priority; the thread that parses keeps
    the worker's own."""
    from core.jobs import worker

    seen: list[int] = []

    def record() -> None:
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    monkeypatch.setattr(worker, "_import_parser", record)
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    worker._import_behind(5)
    assert seen == [min(mine + 5, 19)]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine
