"""Accounting identities of a 决算 report, each tested into a :class:`Check`; never raises.

Rounding: every printed amount may be off by 0.005 from the true one, the printed total as
much as each of its n printed parts, so the two sides may differ by up to 0.005·(n + 1); two
printed totals of one quantity in two tables by 0.01. A gap within that is 尾差: it passes and
is shown; a larger gap fails. Real reports carry small real inconsistencies: they
are shown, never hidden. A blank cell counts as zero.

One module per kind: ``tables`` (inside one table), ``cross`` (between tables, and the tables a
template has), ``text`` (scorecard and narrative), ``reading`` (damaged pages, uncertain OCR),
on ``base`` (the rounding rule and the lookups).
"""

from __future__ import annotations

from collections.abc import Iterable

from core.accounts.checks.base import DEFAULT_CLASS_CODES
from core.accounts.checks.cross import (
    check_cross,
    check_cross_income,
    check_missing,
    check_own_roles,
)
from core.accounts.checks.reading import LOW_CONFIDENCE, check_damaged, check_unchecked_ocr
from core.accounts.checks.tables import check_01, check_04, check_06, check_07, check_coded
from core.accounts.checks.text import check_narrative, check_performance
from core.records import Check, Report


def run_checks(report: Report) -> list[Check]:
    """Every identity this report can be tested on, passed or failed, in a stable order."""
    checks: list[Check] = []
    checks += check_damaged(report)
    checks += check_missing(report)
    checks += check_01(report)
    checks += check_04(report)
    for table_id in ("公开02", "公开03", "公开05", "公开08", "公开09"):
        checks += check_coded(report, table_id)
    checks += check_06(report)
    checks += check_07(report)
    checks += check_own_roles(report)
    checks += check_cross_income(report)
    checks += check_cross(report)
    checks += check_performance(report)
    checks += check_narrative(report)
    checks += check_unchecked_ocr(report, checks)
    return checks


def summarize(checks: Iterable[Check]) -> dict[str, int]:
    """Counts: passed exactly, passed within rounding, failed, missing tables."""
    counts = {"passed": 0, "rounding": 0, "failed": 0, "missing": 0}
    for c in checks:
        if c.kind == "missing":
            counts["missing"] += 1
        elif not c.ok:
            counts["failed"] += 1
        elif c.rounding:
            counts["rounding"] += 1
        else:
            counts["passed"] += 1
    return counts


__all__ = [
    "DEFAULT_CLASS_CODES",
    "LOW_CONFIDENCE",
    "check_01",
    "check_04",
    "check_06",
    "check_07",
    "check_coded",
    "check_cross",
    "check_cross_income",
    "check_damaged",
    "check_missing",
    "check_narrative",
    "check_own_roles",
    "check_performance",
    "check_unchecked_ocr",
    "run_checks",
    "summarize",
]
