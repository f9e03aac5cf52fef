"""Fuzz: hostile and damaged PDFs through the command line, as a user would hand them in.

Every file goes through ``python -m core parse FILE --format json`` (a worker process under
the memory and time caps below). Each run must end with status 0, or 2 with exactly one
clean ``error[KIND]: 中文 / English`` line on standard error; no traceback, no run past the
time cap and no process past the memory cap (the peak RSS of the command and its worker, read
from /proc while they run).

- every hostile kind of issue 9, built with pikepdf (:mod:`bench.hostile`), at full size;
- a few hundred seeded mutations (bytes flipped, the file cut short, junk inserted) of the
  bundled sample, the corpus reports and the fixtures.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CORPUS, FIXTURES, ROOT, SAMPLE_PDF

from bench import hostile

#: The caps the runs are held to (tighter than the app's defaults, so a hostile file meets
#: them in seconds rather than minutes).
MEMORY_CAP_MB = 768
TIME_CAP_S = 20.0
#: Start-up of the command and its worker on a busy machine, on top of the time cap.
SLACK_S = 25.0
SEED = 20261130
MUTATIONS = 240
KINDS = "not_pdf|corrupt|encrypted|scanned|not_juesuan|too_large"
ERROR_LINE = re.compile(rf"^error\[({KINDS})\]: \S.* / \S.*$")


@dataclass(frozen=True)
class Run:
    """One run of the command line on one file."""

    name: str
    status: int
    stderr: str
    stdout_head: str
    seconds: float
    peak_mb: float

    def problems(self) -> list[str]:
        """What is wrong with this run, in words (empty when it behaved)."""
        out = []
        if self.status not in (0, 2):
            out.append(f"status {self.status}")
        if "Traceback" in self.stderr or "Traceback" in self.stdout_head:
            out.append("a traceback")
        lines = self.stderr.splitlines()
        if self.status == 2 and (len(lines) != 1 or not ERROR_LINE.match(lines[0])):
            out.append(f"not one clean error line: {self.stderr[:300]!r}")
        if self.status == 0 and (self.stderr.strip() or not self.stdout_head.startswith("{")):
            out.append(f"status 0 without clean JSON: {self.stderr[:200]!r}")
        if self.seconds > TIME_CAP_S + SLACK_S:
            out.append(f"ran {self.seconds:.1f} s")
        if self.peak_mb > MEMORY_CAP_MB:
            out.append(f"peak {self.peak_mb:.0f} MB")
        return out

    @property
    def outcome(self) -> str:
        if self.status == 0:
            return "ok"
        m = re.match(r"error\[(\w+)\]", self.stderr)
        return m.group(1) if m else f"status {self.status}"


def _tree_hwm_mb(root: int) -> float:
    """The largest VmHWM (peak resident memory of the process's own address space) among
    ``root`` and its descendants now alive. wait4's ru_maxrss cannot serve: Linux records the
    memory of the process that forked the command (this test process) into the child's
    maxrss at exec, so every command would carry the test runner's size."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    stat = f.read()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(b")", 1)[1].split()[1])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    peak = 0.0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]) / 1024)
        except OSError:
            continue
    return peak


def run_cli(path: Path) -> Run:
    """``python -m core parse PATH --format json`` under the caps; its peak RSS and its
    worker's, read from /proc while they run (:func:`_tree_hwm_mb`)."""
    env = dict(
        os.environ,
        JUESUAN_PARSE_MEMORY_MB=str(MEMORY_CAP_MB),
        JUESUAN_PARSE_SECONDS=str(TIME_CAP_S),
    )
    env.pop("JUESUAN_ISOLATE", None)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "core", "parse", str(path), "--format", "json"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
        )
        status = -1
        usage = None
        peak = 0.0
        while usage is None:
            peak = max(peak, _tree_hwm_mb(proc.pid))
            pid, raw, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                status, usage = os.waitstatus_to_exitcode(raw), ru
            elif time.monotonic() - start > TIME_CAP_S + 2 * SLACK_S:  # hung: stop it
                proc.kill()
                _, raw, usage = os.wait4(proc.pid, 0)
                status = os.waitstatus_to_exitcode(raw)
            else:
                time.sleep(0.02)
        proc.returncode = status
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return Run(
            name=path.name,
            status=status,
            stderr=err.read().decode(errors="replace"),
            stdout_head=out.read(200).decode(errors="replace"),
            seconds=seconds,
            peak_mb=peak,
        )


def run_all(paths: list[Path]) -> list[Run]:
    """Two at a time (the machine has two cores)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(run_cli, paths))


def assert_all_behaved(runs: list[Run]) -> None:
    bad = [f"{r.name}: {'; '.join(r.problems())}" for r in runs if r.problems()]
    assert not bad, "\n".join(bad)


# -- hostile files --------------------------------------------------------------------------


@pytest.mark.slow
def test_hostile_files_meet_the_limits(tmp_path: Path) -> None:
    paths = hostile.build_all(tmp_path)
    runs = run_all(list(paths.values()))
    for r in runs:
        print(f"{r.name:<32} {r.outcome:<12} {r.seconds:6.1f} s {r.peak_mb:7.0f} MB")
    assert_all_behaved(runs)
    by_kind = {name: run for name, run in zip(paths, runs, strict=True)}
    # the files built to eat memory are stopped by a cap (the text layer's glyph cap, or the
    # worker's memory or time limit), and the message names the limit it hit
    for name in ("glyphs", "tounicode_bomb", "contents_bomb"):
        assert by_kind[name].outcome == "too_large", (name, by_kind[name].stderr)
        assert "上限" in by_kind[name].stderr and "limit" in by_kind[name].stderr


# -- seeded mutations -----------------------------------------------------------------------


def _sources() -> list[Path]:
    fixtures = sorted(FIXTURES.glob("quirk-*.pdf"))[:8] + sorted(FIXTURES.glob("office-*.pdf"))
    corpus = sorted(CORPUS.glob("*.pdf"))
    assert corpus, f"corpus reports not found in {CORPUS}"
    return [SAMPLE_PDF, *corpus, *fixtures]


def mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One random mutation of ``data``: what was done, and the bytes."""
    how = rng.choice(("flip", "flip", "truncate", "junk"))
    if how == "flip":
        out = bytearray(data)
        n = rng.randint(1, 10)
        for _ in range(n):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return f"flip{n}", bytes(out)
    if how == "truncate":
        cut = rng.randrange(1, len(data))
        return f"cut{cut}", data[:cut]
    at = rng.randrange(len(data))
    junk = rng.randbytes(rng.randint(1, 300))
    return f"junk{len(junk)}@{at}", data[:at] + junk + data[at:]


def test_seeded_mutations_end_cleanly(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    sources = [(p, p.read_bytes()) for p in _sources()]
    paths = []
    for i in range(MUTATIONS):
        source, data = sources[i % len(sources)]
        how, mutated = mutate(data, rng)
        path = tmp_path / f"m{i:03d}-{how}-{source.name}"
        path.write_bytes(mutated)
        paths.append(path)
    runs = run_all(paths)
    outcomes: dict[str, int] = {}
    for r in runs:
        outcomes[r.outcome] = outcomes.get(r.outcome, 0) + 1
    print(f"{len(runs)} mutations: {dict(sorted(outcomes.items()))}")
    assert_all_behaved(runs)
    assert len(runs) == MUTATIONS
