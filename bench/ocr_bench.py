"""Benchmark: scanned reports read by OCR — accuracy, seconds per page and peak memory.

Scans are made here (tests/fixtures/make_scan_fixtures.py's functions): table pages of the
bundled sample and of the Putuo corpus report rendered at 150, 200 and 300 dpi, and at
200 dpi with noise, a 1° skew and hard JPEG compression, rebuilt as image-only PDFs. Each is
parsed in a fresh process; its facts are compared with the text-layer parse of the same pages
(hand-checked in tests/golden/):

- read: share of the text layer's cells read to the cent (goal: all at 200 dpi and above,
  ≥ 99 % with noise and skew);
- wrong: cells read with another value, and of those how many no failed check flags
  (unflag; goal: none); named: cells under a row or column name the text layer lacks (a
  name misread; such a cell is also missing from "read"); corr: cells the checks put right;
- s/page: wall and CPU seconds per OCR'd page, and the ratio of the whole parse to the
  text-layer parse of the original pages in the same run; peak RSS of the process (the
  18-page scan shows it does not grow with the pages: OCR holds one page image at a time);
- conf: the lowest recognition score of a cell read right, and the highest of one read
  wrong (the threshold below which a cell no identity reads is flagged lies between).

``--threads`` measures how OCR should use the two cores: four pages OCR'd with ONNX Runtime's
intra-op threads at 1 and at 2, and split over two page processes of one thread each; wall
and CPU seconds per page, peak RSS, load average before and after.

    python bench/ocr_bench.py [--quick]        # --quick: the sample at 200 dpi only
    python bench/ocr_bench.py --only "300 dpi"  # the scans whose name holds this
    python bench/ocr_bench.py --threads         # threads vs page processes
    python bench/ocr_bench.py --worker FILE     # one measured parse (used by the above)
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

SAMPLE = ROOT / "sample_data" / "fujian-12345-2024-danwei-juesuan.pdf"
PUTUO = ROOT.parent / "shared" / "corpus" / "putuo-shehuigongzuobu-2024-bumen-juesuan.pdf"
if not PUTUO.exists():  # a worktree beside the repository, or CI's clone beside shared/
    PUTUO = Path("/work/shared/corpus") / PUTUO.name

#: (name, source, pages, dpi, noise σ, skew °, JPEG quality)
SCENARIOS = [
    ("sample 200 dpi", SAMPLE, (5, 6, 7), 200, 0.0, 0.0, 80),
    ("sample 150 dpi", SAMPLE, (5, 6, 7), 150, 0.0, 0.0, 80),
    ("sample 300 dpi", SAMPLE, (5, 6, 7), 300, 0.0, 0.0, 80),
    ("sample 200 noise+skew+jpeg", SAMPLE, (5, 6, 7), 200, 12.0, 1.0, 40),
    ("putuo 200 dpi", PUTUO, (5, 6, 8, 12, 13), 200, 0.0, 0.0, 80),
    ("putuo 200 noise+skew+jpeg", PUTUO, (5, 6, 8, 12, 13), 200, 12.0, 1.0, 40),
    ("sample 18 pages 200 dpi", SAMPLE, tuple(range(1, 19)), 200, 0.0, 0.0, 80),
]


def _worker(path: str) -> None:
    """Parse one file in this process; print its facts, checks, timings and peak RSS."""
    from core.accounts.contract import report_dict
    from core.accounts.parse import parse_report

    start, cpu = time.perf_counter(), time.process_time()
    d = report_dict(parse_report(path))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"report": d, "seconds": seconds, "cpu": cpu, "peak_mb": peak}))


def _run(path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(out.stdout)


def _key(f: dict, page: int) -> tuple:
    return (f["table"], f["section"], f["parent"], f["code"], f["item"], f["column"], page)


def _score(base: dict, pages: tuple[int, ...], scan: dict) -> dict[str, float]:
    order = {p: i + 1 for i, p in enumerate(pages)}
    want = {_key(f, order[f["page"]]): f["value"] for f in base["facts"] if f["page"] in order}
    got: Counter = Counter()
    values: dict[tuple, float] = {}
    for f in scan["facts"]:
        k = _key(f, f["page"])
        got[k] += 1
        values[k] = f["value"]
    read = sum(1 for k, v in want.items() if values.get(k) == v)
    facts = scan["facts"]
    failed_cells = {
        _key(f, f["page"])
        for c in scan["checks"]
        if not c["ok"] and c.get("kind") in ("identity", "cross", "ocr")
        # a check's facts are indexes into the report's facts (CONTRACT.md)
        for f in (facts[i] if isinstance(i, int) else i for i in c.get("facts", []))
    }
    corrected = sum(f.get("read_as") is not None for f in scan["facts"])
    wrong = [k for k, v in values.items() if k in want and want[k] != v]
    unflagged = [k for k in wrong if k not in failed_cells]
    # cells the scan has under a name the text layer lacks (a row or column name misread)
    extra = [k for k in values if k not in want]
    score = {_key(f, f["page"]): f.get("confidence") or 1.0 for f in scan["facts"]}
    right = [score[k] for k, v in want.items() if values.get(k) == v]
    return {
        "conf_right": min(right, default=1.0),
        "conf_wrong": max((score[k] for k in wrong), default=0.0),
        "cells": len(want),
        "read": read / len(want) if want else 0.0,
        "wrong": len(wrong),
        "unflagged": len(unflagged),
        "misnamed": len(extra),
        "corrected": corrected,
    }


def main(quick: bool = False, only: str = "") -> int:
    from make_scan_fixtures import scan_pdf

    scenarios = SCENARIOS[:1] if quick else SCENARIOS
    scenarios = [s for s in scenarios if only in s[0]]
    print(
        f"{'scan':32} {'pages':>5} {'read':>7} {'wrong':>5} {'unflag':>6} {'named':>5} {'corr':>4} "
        f"{'s/page':>7} {'cpu/pg':>7} {'×text':>6} {'peak MB':>8} {'conf ok≥':>8} {'bad≤':>5}"
    )
    bases: dict[tuple[Path, tuple[int, ...]], dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, source, pages, dpi, noise, skew, quality in scenarios:
            if not source.exists():
                print(f"{name:32} (missing: {source})")
                continue
            if (source, pages) not in bases:
                import pikepdf

                cut = Path(tmp) / f"text-{source.stem}.pdf"
                with pikepdf.open(source) as pdf:
                    out = pikepdf.new()
                    for p in pages:
                        out.pages.append(pdf.pages[p - 1])
                    out.save(cut)
                bases[(source, pages)] = {"cut": _run(cut), "whole": _run(source)}
            base = bases[(source, pages)]
            path = Path(tmp) / "scan.pdf"
            path.write_bytes(scan_pdf(source.read_bytes(), pages, dpi, noise, skew, quality))
            scan = _run(path)
            s = _score(base["whole"]["report"], pages, scan["report"])
            n = len(pages)
            print(
                f"{name:32} {n:>5} {s['read']:>7.2%} {s['wrong']:>5} {s['unflagged']:>6} "
                f"{s['misnamed']:>5} "
                f"{s['corrected']:>4} {scan['seconds'] / n:>7.2f} {scan['cpu'] / n:>7.2f} "
                f"{scan['seconds'] / base['cut']['seconds']:>6.0f} {scan['peak_mb']:>8.0f} "
                f"{s['conf_right']:>8.3f} {s['conf_wrong']:>5.2f}"
            )
    print(f"(2 cores; load average {os.getloadavg()[0]:.1f}: wall times grow with it, CPU less)")
    return 0


def _ocr_pages(threads: int, images: list) -> None:
    """OCR the page images with ``threads`` ONNX Runtime threads per model."""
    from rapidocr_onnxruntime import RapidOCR

    from core.pdf import ocr_backend

    engine = RapidOCR(
        params={
            "Global.max_side_len": 5000,
            "Global.use_cls": False,
            "Global.text_score": ocr_backend.MIN_SCORE,
            "Global.intra_op_num_threads": threads,
            "Global.inter_op_num_threads": 1,
        }
    )
    ocr_backend._engine = lambda: engine  # type: ignore[assignment]
    for gray in images:
        h, w = gray.shape
        ocr_backend.ocr_image(gray, 1, w * 72 / 200, h * 72 / 200, 200)


def _threads_worker(mode: str) -> None:
    """One --threads measurement in this process: mode 1, 2 (threads) or procs."""
    from make_scan_fixtures import render_pages

    images = render_pages(SAMPLE.read_bytes(), (5, 6, 7, 8), 200)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    if mode == "procs":
        pids = []
        for half in (images[0::2], images[1::2]):
            pid = os.fork()
            if pid == 0:
                _ocr_pages(1, half)
                os._exit(0)
            pids.append(pid)
        for pid in pids:
            os.waitpid(pid, 0)
    else:
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        _ocr_pages(int(mode), images)
    wall = time.perf_counter() - start
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    if mode == "procs":
        cpu = kids.ru_utime + kids.ru_stime
        peak = 2 * kids.ru_maxrss / 1024  # two processes at once, each this size at most
    else:
        cpu = me.ru_utime + me.ru_stime - cpu0.ru_utime - cpu0.ru_stime
        peak = me.ru_maxrss / 1024
    n = len(images)
    print(
        f"{mode:>8} {wall / n:>7.2f} {cpu / n:>7.2f} {peak:>8.0f} "
        f"{load:>6.1f} {os.getloadavg()[0]:>6.1f}",
        flush=True,
    )


def threads_main(rounds: int = 1) -> int:
    """Intra-op threads 1 and 2 against two page processes, each in a fresh process."""
    print(f"{'mode':>8} {'s/page':>7} {'cpu/pg':>7} {'peak MB':>8} {'load0':>6} {'load1':>6}")
    for _ in range(rounds):
        for mode in ("1", "2", "procs"):
            subprocess.run(
                [sys.executable, __file__, "--threads-worker", mode],
                check=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
    print(f"({os.cpu_count()} cores; loads are 1-minute averages before and after)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        _worker(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "--threads-worker":
        _threads_worker(sys.argv[2])
    elif "--threads" in sys.argv:
        sys.exit(threads_main())
    else:
        only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
        sys.exit(main(quick="--quick" in sys.argv, only=only))
