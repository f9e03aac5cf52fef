"""Reports for the library tests: one unit over several years, and its neighbours.

Drawn by the random-report generator (tests/pdfgen), so what a correct parser reads from
each is known without the parser: its facts, and last year's totals its text states.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path

from pdfgen import ReportSpec, consistent_report, expected_facts, render_pdf

UNIT = "福建省示例档案服务中心"
OTHER = "示例市生态环境局"
#: (seed, unit, year): one unit in 2022 and 2024 (no 2023 report), a neighbour in 2024.
REPORTS: tuple[tuple[int, str, int], ...] = ((11, UNIT, 2022), (12, UNIT, 2024), (13, OTHER, 2024))


@functools.cache
def spec(seed: int, unit: str, year: int) -> ReportSpec:
    """The report drawn for this seed, unit and year (with its narrative page)."""
    return consistent_report(seed, unit=unit, year=year, narrative=True, scope="单位决算")


@functools.cache
def pdf(seed: int, unit: str, year: int) -> bytes:
    """The report as PDF bytes."""
    return render_pdf(spec(seed, unit, year))


def fact(seed: int, unit: str, year: int, table: str, item: str, column: str) -> Decimal:
    """One printed cell of the drawn report, as the generator wrote it."""
    for f in expected_facts(spec(seed, unit, year)):
        if f["table"] == table and f["item"] == item and f["column"] == column:
            return Decimal(f["value"])
    raise KeyError((table, item, column))


def write(folder: Path, reports: tuple[tuple[int, str, int], ...] = REPORTS) -> list[Path]:
    """Write the reports as PDFs into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for seed, unit, year in reports:
        path = folder / f"{year}-{seed}.pdf"
        path.write_bytes(pdf(seed, unit, year))
        paths.append(path)
    return paths
