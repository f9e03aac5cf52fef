"""Many random reports, outside pytest: how many read back wrong, and how.

    nice python tests/pdfgen/sweep.py N [OUT_DIR] [SEED]

Draws ``N`` reports from :func:`pdfgen.strategies.report_specs`, each from its own seed
(SEED × 1,000,000 onwards, default SEED 0; a seed the realism filter rejects is skipped, so
the same SEED always runs the same reports), renders, parses and compares each as
tests/test_properties.py does; prints one line per failure (its seed, the tables whose facts
differ, or the checks that failed) and a tally by kind, and pickles each failing spec into
``OUT_DIR`` (default /tmp/pdfgen-sweep) as ``fail-<seed>.pkl``; ``draw_spec(seed)`` draws it
again.
"""

from __future__ import annotations

import pickle
import random
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

from hypothesis.control import BuildContext  # noqa: E402
from hypothesis.errors import StopTest  # noqa: E402
from hypothesis.internal.conjecture.data import ConjectureData  # noqa: E402

from core.accounts.parse import parse_report_bytes  # noqa: E402
from pdfgen.render import render  # noqa: E402
from pdfgen.spec import TEMPLATE_NAMES  # noqa: E402
from pdfgen.strategies import report_specs  # noqa: E402

# as tests/test_properties.py: no report letter-spaces a name long enough to wrap
STRATEGY = report_specs().filter(
    lambda spec: not any(t.layout.letter_spaced and t.layout.wrap_names for t in spec.tables)
)


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
    if report.template != TEMPLATE_NAMES[spec.template]:
        kinds.append(f"template {spec.template}")
    if not kinds:
        for c in report.checks:
            if not c.ok and c.kind != "missing":
                kinds.append(f"check {c.kind} {','.join(c.tables)}")
    return kinds


def draw_spec(seed_value: int):  # type: ignore[no-untyped-def]
    """One spec drawn as the property test draws them, from choices made by
    ``random.Random(seed_value)`` (uniform, not hypothesis' small-first order), or None when
    the draw is rejected (the realism filter): the same seed always gives the same report."""
    data = ConjectureData(random=random.Random(seed_value))
    try:
        with BuildContext(data, is_final=False, wrapped_test=None):  # type: ignore[arg-type]
            return data.draw(STRATEGY)
    except StopTest:
        return None


def main(n: int, out: Path, seed_value: int = 0) -> None:
    out.mkdir(parents=True, exist_ok=True)
    warnings.simplefilter("ignore")
    tally: Counter[str] = Counter()
    failed = 0
    start = time.time()
    specs: list[tuple[int, object]] = []
    k = seed_value * 1_000_000
    while len(specs) < n:
        spec = draw_spec(k)
        if spec is not None:
            specs.append((k, spec))
        k += 1
    print(f"-- seeds {specs[0][0]}..{specs[-1][0]}: {n} reports drawn", flush=True)
    for i, (k, spec) in enumerate(specs):  # type: ignore[assignment]
        if i % 50 == 0:
            print(f"-- {i} done, {failed} failed, {time.time() - start:.0f} s", flush=True)
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
            (out / f"fail-{k}.pkl").write_bytes(pickle.dumps(spec))
            flags = f"template={spec.template} cover={spec.cover} shuffled={spec.shuffled} mixed={spec.mixed_baselines}"
            print(f"{k}: {sorted(set(kinds))} {flags}", flush=True)
    print(f"seed {seed_value}: {len(specs)} reports, {failed} failed, {time.time() - start:.0f} s")
    for kind, count in tally.most_common():
        print(f"  {count:5d}  {kind}")


if __name__ == "__main__":
    main(
        int(sys.argv[1]),
        Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/tmp/pdfgen-sweep"),
        int(sys.argv[3]) if len(sys.argv) > 3 else 0,
    )
