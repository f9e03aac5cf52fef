"""Many random reports, outside pytest: how many read back wrong, and how.

    nice python tests/pdfgen/sweep.py N [OUT_DIR]

Draws ``N`` reports from :func:`pdfgen.strategies.report_specs`, renders, parses and compares
each as tests/test_properties.py does; prints one line per failure (the tables whose facts
differ, or the checks that failed) and a tally by kind, and pickles each failing spec into
``OUT_DIR`` (default /tmp/pdfgen-sweep) so it can be rendered again and looked at.
"""

from __future__ import annotations

import pickle
import sys
import time
import traceback
import warnings
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent.parent)]

from core.accounts.parse import parse_report_bytes  # noqa: E402
from pdfgen.render import render  # noqa: E402
from pdfgen.strategies import report_specs  # noqa: E402


def _key(f) -> tuple:  # type: ignore[no-untyped-def]
    return (f.table, f.section, f.parent, f.code, f.item, f.column, f.value, f.page)


def _want(d: dict) -> tuple:
    return (
        d["table"],
        d["section"],
        d["parent"],
        d["code"],
        d["item"],
        d["column"],
        Decimal(d["value"]),
        d["page"],
    )


def check_one(spec) -> list[str]:  # type: ignore[no-untyped-def]
    """Failure kinds of one spec (empty when it reads back exactly and passes every check)."""
    rendered = render(spec)
    report = parse_report_bytes(rendered.pdf)
    got = Counter(_key(f) for f in report.facts)
    want = Counter(_want(f) for f in rendered.facts)
    kinds = []
    for t in sorted({k[0] for k in (want - got)} | {k[0] for k in (got - want)}):
        kinds.append(f"facts {t}")
    if (report.unit, report.year, report.scope) != (spec.unit, spec.year, spec.scope):
        kinds.append("meta")
    if not kinds:
        for c in report.checks:
            if not c.ok and c.kind != "missing":
                kinds.append(f"check {c.kind} {','.join(c.tables)}")
    return kinds


def main(n: int, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    warnings.simplefilter("ignore")
    tally: Counter[str] = Counter()
    failed = 0
    start = time.time()
    # as tests/test_properties.py: no report letter-spaces a name long enough to wrap
    strategy = report_specs().filter(
        lambda spec: not any(t.layout.letter_spaced and t.layout.wrap_names for t in spec.tables)
    )
    for k in range(n):
        spec = strategy.example()
        if k % 50 == 0:
            print(f"-- {k} drawn, {failed} failed, {time.time() - start:.0f} s", flush=True)
        try:
            kinds = check_one(spec)
        except Exception as exc:  # noqa: BLE001 - a crash is one more kind of failure
            kinds = [f"crash {type(exc).__name__}"]
            traceback.print_exc()
        if kinds and (spec.shuffled or spec.mixed_baselines):
            # does it read back once the content stream is in order and baselines agree?
            plain = replace(spec, shuffled=False, mixed_baselines=False)
            try:
                if not check_one(plain):
                    kinds = [f"{k} (stream order / baselines only)" for k in kinds]
            except Exception:  # noqa: BLE001
                pass
        if kinds:
            failed += 1
            tally.update(set(kinds))
            (out / f"fail-{k:05d}.pkl").write_bytes(pickle.dumps(spec))
            flags = f"cover={spec.cover} shuffled={spec.shuffled} mixed={spec.mixed_baselines}"
            print(f"{k}: {sorted(set(kinds))} {flags}", flush=True)
    print(f"{n} reports, {failed} failed, {time.time() - start:.0f} s")
    for kind, count in tally.most_common():
        print(f"  {count:5d}  {kind}")


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/tmp/pdfgen-sweep"))
