"""Benchmark: parse time and peak memory per report, against a plain pdfplumber pass.

For the bundled sample and every corpus report it prints pages, then for our parser and for a
plain pdfplumber pass (extract_text and extract_tables on every page): the median of 5 runs
of the whole process (python start-up and imports included) and of the work in-process, and
the peak resident memory of one process. Goals: parse ≤ 0.5× the plain pass, peak RSS < 300 MB.

    python bench/run.py            # everything, table on stdout
    python bench/run.py --worker parse FILE    # one measured run (used by the above)
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def _worker(mode: str, path: str) -> None:
    """One run in this process: time the work, report peak RSS, print JSON."""
    sys.path.insert(0, str(ROOT))
    start = time.perf_counter()
    if mode == "parse":
        from core.accounts.contract import report_json
        from core.accounts.parse import parse_report

        report_json(parse_report(path))
    else:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                page.close()
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


def _measure(mode: str, path: Path) -> dict[str, float]:
    whole, inproc, peaks = [], [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, __file__, "--worker", mode, str(path)],
            check=True,
            capture_output=True,
            text=True,
        )
        whole.append(time.perf_counter() - start)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        inproc.append(row["seconds"])
        peaks.append(row["peak_mb"])
    return {
        "whole": statistics.median(whole),
        "inproc": statistics.median(inproc),
        "peak_mb": max(peaks),
    }


def _reports() -> list[Path]:
    paths = sorted((ROOT / "sample_data").glob("*.pdf"))
    corpus = ROOT.parent / "shared" / "corpus"
    paths += sorted(corpus.glob("*.pdf"))
    return paths


def main() -> int:
    import pdfplumber

    rows = []
    print(
        f"{'report':<46} {'pages':>5}  {'parse s (proc/in)':>18}  {'plain s (proc/in)':>18}  "
        f"{'ratio in':>8}  {'peak MB parse/plain':>20}"
    )
    for path in _reports():
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        ours = _measure("parse", path)
        plain = _measure("plain", path)
        ratio = ours["inproc"] / plain["inproc"]
        rows.append(
            {"report": path.name, "pages": pages, "parse": ours, "plain": plain, "ratio": ratio}
        )
        print(
            f"{path.name[:46]:<46} {pages:>5}  {ours['whole']:>8.2f} / {ours['inproc']:>6.2f}  "
            f"{plain['whole']:>8.2f} / {plain['inproc']:>6.2f}  {ratio:>8.2f}  "
            f"{ours['peak_mb']:>9.0f} / {plain['peak_mb']:<9.0f}"
        )
    try:
        sys.path.insert(0, str(ROOT))
        from bench.app_bench import run_app_bench  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        run_app_bench = None
    if run_app_bench is not None:
        print()
        for row in run_app_bench():
            print(f"{row['what']:<60} {row['seconds']:.3f} s")
    from bench.source_bench import run_source_bench

    print()
    for row in run_source_bench():
        print(f"{row['what']:<60} {row['seconds']:.3f} s")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "parse.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        _worker(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
