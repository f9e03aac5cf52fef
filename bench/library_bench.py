"""Benchmark: imports per minute into the report library, and peak memory.

Makes N copies (default 56) of every report that parses (the bundled sample, the corpus,
the reportlab fixtures), each with a different comment appended after ``%%EOF`` so its
sha256 differs while its content parses the same. Then imports the folder into a fresh library
with ``python -m core import`` three ways, each a process of its own, measured whole (python
start-up, pool or Ray start-up included):

- 1 worker process, 2 worker processes, and a local Ray (``--ray local``, 2 CPUs);
- peak memory: the whole process tree's resident memory (sampled from /proc every 0.1 s)
  and the largest single process (``ru_maxrss`` of the children).

    python bench/library_bench.py [--copies 56]

Figures are printed as a table and as ratios to the 1-worker run, and written to
bench/results/library.json. A re-import of the same folder (every file already there) is
timed too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_COPIES = 56


def _sources() -> list[Path]:
    """Every report PDF here that parses (the import benchmark wants real work, not refusals)."""
    sys.path.insert(0, str(ROOT))
    from core.accounts.parse import parse_report
    from core.errors import ReportError

    found = sorted((ROOT / "sample_data").glob("*.pdf"))
    found += sorted((ROOT.parent / "shared" / "corpus").glob("*.pdf"))
    found += sorted((ROOT / "tests" / "fixtures").glob("quirk-*.pdf"))
    good = []
    for path in found:
        try:
            parse_report(path)
        except ReportError:
            continue
        good.append(path)
    return good


def make_copies(folder: Path, copies: int) -> list[Path]:
    """``copies`` PDFs cycling over the sources, each with its own trailing comment."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = _sources()
    made = []
    for i in range(copies):
        src = sources[i % len(sources)]
        out = folder / f"{i:04d}-{src.name}"
        # a comment after %%EOF: readers ignore it, the sha256 changes
        out.write_bytes(src.read_bytes() + f"\n%juesuan-bench-copy {i}\n".encode())
        made.append(out)
    return made


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and every descendant (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm") as f:
                pages = int(f.read().split()[1])
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE")
    total = 0
    for pid in rss:
        p = pid
        while p > 1:
            if p == root:
                total += rss[pid]
                break
            p = parents.get(p, 0)
    return total


def run(args: list[str]) -> dict[str, float]:
    """One measured ``python -m core import …``: seconds, peak tree MB, peak process MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "core", "import", *args, "--quiet"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"import failed: {err[-2000:]}")
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "seconds": seconds,
        "peak_tree_mb": peak / 2**20,
        "peak_process_mb": max(largest, before) / 1024,
        "summary": out.strip().splitlines()[-1] if out.strip() else "",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=DEFAULT_COPIES)
    parser.add_argument("--no-ray", action="store_true")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="juesuan-library-bench-"))
    try:
        folder = work / "in"
        files = make_copies(folder, args.copies)
        pages = 0
        import pdfplumber

        for f in files:
            with pdfplumber.open(f) as pdf:
                pages += len(pdf.pages)
        print(f"{len(files)} reports, {pages} pages, {os.cpu_count()} CPUs")
        print(f"{'how':<22} {'seconds':>8} {'imports/min':>12} {'× 1 worker':>11} "
              f"{'peak tree MB':>13} {'peak proc MB':>13}")  # fmt: skip
        runs: list[tuple[str, list[str]]] = [
            ("1 worker", ["--workers", "1"]),
            ("2 workers", ["--workers", "2"]),
        ]
        if not args.no_ray:
            runs.append(("Ray local (2 CPUs)", ["--ray", "local"]))
        rows = []
        base = None
        for name, extra in runs:
            lib = work / f"lib-{len(rows)}"
            row = run([str(folder), "--library", str(lib), *extra])
            row["imports_per_min"] = len(files) / row["seconds"] * 60
            base = base or row["imports_per_min"]
            row["ratio"] = row["imports_per_min"] / base
            row["how"] = name
            rows.append(row)
            print(
                f"{name:<22} {row['seconds']:>8.1f} {row['imports_per_min']:>12.1f} "
                f"{row['ratio']:>11.2f} {row['peak_tree_mb']:>13.0f} {row['peak_process_mb']:>13.0f}"
            )
        again = run([str(folder), "--library", str(work / "lib-0"), "--workers", "1"])
        print(
            f"re-import, all {len(files)} already there: {again['seconds']:.1f} s ({again['summary']})"
        )
        result = {
            "reports": len(files),
            "pages": pages,
            "cpus": os.cpu_count(),
            "runs": rows,
            "reimport_seconds": again["seconds"],
        }
        out = ROOT / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / "library.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
