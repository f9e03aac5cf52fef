"""Benchmark: parse time and peak memory per report, against a plain pdfplumber pass.

For the bundled sample and every corpus report it prints pages, then for our parser on each
text layer (PDFium, the default, and pdfminer) and for a plain pdfplumber pass (extract_text
and extract_tables on every page): the median of the runs of the whole process (python
start-up and imports included) and of the work in-process, wall clock and CPU, as ratios to
the plain pass in the same run, and the peak resident memory of one process. Goals (issue 9):
the whole parse process ≤ 0.2× the plain pass, in-process ≤ 0.15×; peak RSS < 300 MB. CPU
ratios are the steadier ones on a busy machine. Then each hostile file parsed in-process
against through the worker (bench/hostile.py), and 20 concurrent browser sessions, quiet and
with one hostile upload (bench/load.py).

    python bench/run.py [--runs N]         # everything, table on stdout
    python bench/run.py --runs 3 --parse-only --layers pdfium   # the parse table only
    python bench/run.py --worker MODE FILE  # one measured run (used by the above)
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time

TYPE_CHECKING = False  # not typing's: the measured worker must not import typing before its clock
if TYPE_CHECKING:
    from pathlib import Path

# statistics, subprocess and pathlib are the parent's: imported where used, so a measured
# worker process does not pay for them (the parse itself does not import pathlib, a plain
# pdfplumber pass does)

ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
RUNS = 5
#: mode → text layer (None: the plain pdfplumber pass)
MODES = {"pdfium": "pdfium", "pdfminer": "pdfminer", "plain": None}


def _worker(mode: str, path: str) -> None:
    """One run in this process: time the work, report peak RSS, print JSON."""
    sys.path.insert(0, ROOT)
    start, cpu = time.perf_counter(), time.process_time()
    if MODES[mode] is not None:
        from core.accounts.contract import report_json
        from core.accounts.parse import parse_report
        from core.errors import ReportError

        try:
            report_json(parse_report(path))
        except ReportError:  # a report refused (a template not read yet) is timed all the same
            pass
    else:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                page.close()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    # pages read by forked workers (pdfminer) count too
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"seconds": seconds, "cpu": cpu + kids.ru_utime + kids.ru_stime, "peak_mb": peak_mb}
        )
    )


def _env(mode: str) -> dict[str, str]:
    """The measured process's environment: as an installed app runs, with its modules'
    bytecode compiled once (kept under bench/results/, not beside the sources), and the
    parse's regular expressions likewise (core/regex.py keeps their compiled programs beside
    the bytecode); a ``PYTHONDONTWRITEBYTECODE`` set here would make every run compile the
    project's sources again, ~0.03 s of CPU that no user pays, and its ~240 patterns, ~0.03 s
    more."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = os.path.join(ROOT, "bench", "results", "pycache")
    if MODES[mode] is not None:
        env["JUESUAN_TEXT_LAYER"] = MODES[mode]  # type: ignore[assignment]
    return env


def _measure(mode: str, path: Path, runs: int) -> dict[str, float]:
    import statistics
    import subprocess

    whole, inproc, whole_cpu, inproc_cpu, peaks = [], [], [], [], []
    env = _env(mode)
    # one run unmeasured: bytecode compiled, files in the page cache
    subprocess.run(
        [sys.executable, __file__, "--worker", mode, str(path)],
        env=env,
        check=True,
        capture_output=True,
    )
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, __file__, "--worker", mode, str(path)],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
        whole.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        whole_cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        inproc.append(row["seconds"])
        inproc_cpu.append(row["cpu"])
        peaks.append(row["peak_mb"])
    return {
        "whole": statistics.median(whole),
        "inproc": statistics.median(inproc),
        "whole_cpu": statistics.median(whole_cpu),
        "inproc_cpu": statistics.median(inproc_cpu),
        "peak_mb": max(peaks),
    }


def _reports() -> list[Path]:
    from pathlib import Path

    paths = sorted((Path(ROOT) / "sample_data").glob("*.pdf"))
    corpus = Path(ROOT).parent / "shared" / "corpus"
    paths += sorted(corpus.glob("*.pdf"))
    return paths


def main(
    runs: int = RUNS, parse_only: bool = False, layers: tuple[str, ...] = ("pdfium", "pdfminer")
) -> int:
    """The benchmark; ``parse_only`` stops after the per-report parse table (for iterating),
    ``layers`` are the text layers measured against the plain pass."""
    import pdfplumber

    rows = []
    print(
        f"{'report':<40} {'pages':>5}  {'layer':<8} {'proc s':>7} {'in s':>6}  "
        f"{'× plain: proc':>13} {'in':>5} {'cpu proc':>8} {'cpu in':>6}  {'peak MB':>7}"
    )
    for path in _reports():
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        got = {mode: _measure(mode, path, runs) for mode in (*layers, "plain")}
        plain = got["plain"]
        row: dict = {"report": path.name, "pages": pages, **got}
        for mode in layers:
            ours = got[mode]
            ratios = {
                "whole": ours["whole"] / plain["whole"],
                "inproc": ours["inproc"] / plain["inproc"],
                "whole_cpu": ours["whole_cpu"] / plain["whole_cpu"],
                "inproc_cpu": ours["inproc_cpu"] / plain["inproc_cpu"],
            }
            row[f"{mode}_ratio"] = ratios
            print(
                f"{path.name[:40]:<40} {pages:>5}  {mode:<8} {ours['whole']:>7.2f} "
                f"{ours['inproc']:>6.2f}  {ratios['whole']:>13.2f} {ratios['inproc']:>5.2f} "
                f"{ratios['whole_cpu']:>8.2f} {ratios['inproc_cpu']:>6.2f}  {ours['peak_mb']:>7.0f}"
            )
        print(
            f"{'':<40} {'':>5}  {'plain':<8} {plain['whole']:>7.2f} {plain['inproc']:>6.2f}  "
            f"{'':>13} {'':>5} {'':>8} {'':>6}  {plain['peak_mb']:>7.0f}"
        )
        rows.append(row)
    if parse_only:
        return 0
    try:
        sys.path.insert(0, ROOT)
        from bench.app_bench import run_app_bench  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        run_app_bench = None
    if run_app_bench is not None and os.environ.get("JUESUAN_BENCH_APP", "1") != "0":
        print()
        for r in run_app_bench():
            print(f"{r['what']:<60} {r['seconds']:.3f} s")
        from bench.source_bench import run_source_bench

        print()
        for r in run_source_bench():
            print(f"{r['what']:<60} {r['seconds']:.3f} s")
    from pathlib import Path

    out = Path(ROOT) / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "parse.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False))

    # hostile files: what each costs parsed in the server's process, and through the worker
    import tempfile

    from bench import hostile, load

    print("\nhostile files: in-process (as the server used to) against the worker")
    costs = hostile.measure(Path(tempfile.mkdtemp(prefix="hostile-")))
    (out / "hostile.json").write_text(json.dumps(costs, indent=2, ensure_ascii=False))

    # load: concurrent browser sessions, quiet and with one hostile upload
    print("\nload: concurrent sessions against the app")
    load.main([])
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        _worker(sys.argv[2], sys.argv[3])
    else:
        import argparse

        ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
        ap.add_argument("--runs", type=int, default=RUNS)
        ap.add_argument("--parse-only", action="store_true", help="only the per-report table")
        ap.add_argument("--layers", default="pdfium,pdfminer", help="text layers to measure")
        args = ap.parse_args()
        sys.exit(main(args.runs, args.parse_only, tuple(args.layers.split(","))))
