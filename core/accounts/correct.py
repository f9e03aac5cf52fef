"""Checked reading: the accounting identities correct the digits OCR misread, or say so.

On a report read by OCR, a failed identity may be a misread cell rather than a printing
error. For each OCR'd cell of a failed identity, the readings one typical OCR slip away are
tried — 3↔8, 1↔7, 0↔6, a lost decimal point, a dropped digit — but only those that change
the cell by the identity's gap (within its rounding tolerance). A reading is taken only when

- it makes every identity that reads the cell pass, and at least two of them (one identity
  alone cannot tell which of its cells is wrong);
- it breaks no identity that passed;
- it is the only such reading of any cell of that failed identity.

The cell then carries the new value, with what OCR read kept in :attr:`Fact.read_as`.
Anything else is left as read: the failed identity stays failed and shows the problem; a
number is never guessed.

Units: a cell is stored in 万元. Printed in 万元 or 亿元 its printed digits are the value's
own (shifted), and the slips are tried on them. Printed in 元 or 千元 it is stored rounded to
the cent of 万元, so the printed digits below that cent are gone: the slips are tried on the
digits that remain (a confused or dropped digit there changes the value by exactly what it
changes the print by, give or take the cent the rounding moves), and a lost decimal point is
the print read a hundred times too large; a slip in the lost low digits moves the value by
less than the identities' rounding tolerance and needs no correcting. The slip must then
account for the gap within the identity's tolerance plus that one cent.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation

from core.accounts.checks import run_checks
from core.records import Check, Fact, Report

CENT = Decimal("0.01")

#: Units a printed amount is in, as 万元 per unit (``core.accounts.parse`` converts alike).
UNIT_SCALE = {
    "万元": Decimal(1),
    "亿元": Decimal(10000),
    "千元": Decimal("0.1"),
    "元": Decimal("0.0001"),
}

#: Digits OCR confuses with each other (both ways).
CONFUSED = {"3": "8", "8": "3", "1": "7", "7": "1", "0": "6", "6": "0"}

#: Check kinds that compare figures (the others: a missing table, damaged pages).
_COMPARING = frozenset({"identity", "cross"})

#: Rounds of correction: each round may resolve identities that two misreadings shared.
MAX_ROUNDS = 4

FactKey = tuple[str, str | None, str | None, str | None, str, str, int]


def fact_key(f: Fact) -> FactKey:
    """Which cell a fact is, whatever its value."""
    return (f.table, f.section, f.parent, f.code, f.item, f.column, f.page)


def misreadings(value: Decimal, decimals: int = 2) -> set[Decimal]:
    """The values the printed cell may have held when OCR read ``value``: one confused digit,
    a decimal point lost (``decimals`` decimals, as amounts are printed), one digit dropped."""
    text = f"{value:f}"
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    out: set[str] = set()
    for i, ch in enumerate(text):
        if ch in CONFUSED:
            out.add(text[:i] + CONFUSED[ch] + text[i + 1 :])
    if "." not in text and len(text) > decimals:
        out.add(text[:-decimals] + "." + text[-decimals:])
    for i in range(len(text) + 1):
        for d in "0123456789":
            out.add(text[:i] + d + text[i:])
    values: set[Decimal] = set()
    for s in out:
        if s.startswith("0") and len(s) > 1 and not s.startswith("0."):
            continue  # a leading zero is printed on no amount
        if s.startswith(".") or s.endswith(".") or s.count(".") > 1:
            continue
        if "." in s and len(s.split(".")[1]) > decimals:
            continue  # amounts carry two decimals at most (亿元: four)
        try:
            v = Decimal(sign + s)
        except InvalidOperation:
            continue
        if v != value:
            values.add(v)
    return values


def misreadings_in(value: Decimal, unit: str) -> set[Decimal]:
    """:func:`misreadings` of a cell stored as ``value`` 万元 and printed in ``unit`` (see
    the module's docstring), as 万元."""
    scale = UNIT_SCALE.get(unit, Decimal(1))
    if scale == 1:
        return misreadings(value)
    if scale > 1:  # the printed digits are the value's, shifted: slip them, then convert
        printed = (value / scale).quantize(Decimal("0.0001"))
        return {v * scale for v in misreadings(printed, decimals=4)} - {value}
    out = misreadings(value)
    out.add((value / 100).quantize(CENT))  # a lost point: the print read ×100
    return out - {value}


def _failed(checks: tuple[Check, ...]) -> list[Check]:
    return [c for c in checks if not c.ok and c.kind in _COMPARING and c.gap is not None]


def _touching(checks: tuple[Check, ...], key: FactKey) -> list[Check]:
    return [c for c in checks if c.kind in _COMPARING and any(fact_key(f) == key for f in c.facts)]


def correct_misreadings(report: Report) -> Report:
    """The report with the misread OCR cells the identities resolve corrected (see the
    module's docstring), checks run again; a report from a text layer comes back as it is."""
    if report.text_source == "text" or report.source_unit not in UNIT_SCALE:
        return report
    for _ in range(MAX_ROUNDS):
        found = _one_round(report)
        if not found:
            break
        facts = tuple(found.get(fact_key(f), f) for f in report.facts)
        report = replace(report, facts=facts, checks=())
        report = replace(report, checks=tuple(run_checks(report)))
    return report


def _one_round(report: Report) -> dict[FactKey, Fact]:
    """Corrections that this round's failed identities prove, by cell."""
    checks = report.checks
    ok_before = {c.rule for c in checks if c.ok}
    chosen: dict[FactKey, Fact] = {}
    unit = report.source_unit
    # cents of 万元 lost to rounding a print in 元 or 千元 (see the module's docstring)
    slack = CENT if UNIT_SCALE.get(unit, Decimal(1)) < 1 else Decimal(0)
    for check in _failed(checks):
        gap = abs(check.gap or Decimal(0))
        resolving: list[Fact] = []
        for cell in {fact_key(f): f for f in check.facts if f.confidence is not None}.values():
            for value in misreadings_in(cell.value, unit):
                # the slip must account for the gap (within the identity's rounding)
                if abs(abs(value - cell.value) - gap) > check.tolerance + slack:
                    continue
                fixed = replace(cell, value=value, read_as=cell.read_as or cell.value)
                if _proves(report, cell, fixed, ok_before):
                    resolving.append(fixed)
        if len(resolving) == 1:  # more than one way to resolve it: guess none
            key = fact_key(resolving[0])
            if key in chosen and chosen[key].value != resolving[0].value:
                chosen.pop(key)
                continue
            chosen[key] = resolving[0]
    return chosen


def _proves(report: Report, cell: Fact, fixed: Fact, ok_before: set[str]) -> bool:
    key = fact_key(cell)
    trial = replace(report, facts=tuple(fixed if f is cell else f for f in report.facts))
    after = tuple(run_checks(trial))
    touching = _touching(after, key)
    if len(touching) < 2 or not all(c.ok for c in touching):
        return False
    ok_after = {c.rule for c in after if c.ok}
    return ok_before <= ok_after


def ocr_counts(report: Report) -> dict[str, int]:
    """OCR'd cells, cells the checks corrected, and cells left uncertain (an OCR'd cell that
    a failed identity reads: it may be misread, or the print may be wrong; or one read with
    low confidence that no identity reads, a failed check of kind ``ocr``)."""
    failed = [c for c in report.checks if not c.ok and c.kind in (*_COMPARING, "ocr")]
    doubtful = {fact_key(f) for c in failed for f in c.facts if f.confidence is not None}
    return {
        "ocr": sum(f.confidence is not None for f in report.facts),
        "corrected": sum(f.read_as is not None for f in report.facts),
        "uncertain": len(doubtful),
    }


__all__ = [
    "CONFUSED",
    "UNIT_SCALE",
    "correct_misreadings",
    "fact_key",
    "misreadings",
    "misreadings_in",
    "ocr_counts",
]
