"""Comparisons in SQL on the library: one unit across years (with last year's figures from a
report's text filling a year without its report), units side by side, class shares, links.

Expected values come from the report generator (what it printed), never from the parser.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import libdata
import pytest
from libdata import OTHER, UNIT
from pdfgen import expected_facts

from core.library import Library, compare, unit_key
from core.library.importer import import_paths

R2022, R2024, OTHER2024 = libdata.REPORTS


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("in")
    libdata.write(folder)
    library = Library(tmp_path_factory.mktemp("lib"))
    assert import_paths(library, [folder]).imported == 3
    return library


def t01(report: tuple[int, str, int], item: str) -> Decimal:
    return libdata.fact(*report, "公开01", item, "决算数")


def value(frame, year: int, metric: str):  # type: ignore[no-untyped-def]
    rows = frame.loc[(frame["年度"] == year) & (frame["指标"] == metric)]
    assert len(rows) == 1, (year, metric, rows)
    return rows.iloc[0]


def test_one_unit_across_years_with_the_stated_last_year(lib: Library) -> None:
    frame = compare.unit_years(lib, unit_key(UNIT))
    for report in (R2022, R2024):
        year = report[2]
        for metric, item in (("本年收入", "本年收入合计"), ("本年支出", "本年支出合计")):
            row = value(frame, year, metric)
            assert row["数值"] == t01(report, item) and row["依据"] == "报告"
        assert value(frame, year, "年末结转和结余")["数值"] == t01(report, "年末结转和结余")
    # 2023 has no report: the 2024 text's comparison with last year fills it, marked
    stated = libdata.spec(*R2024).narrative
    assert stated is not None
    row = value(frame, 2023, "本年收入")
    assert row["数值"] == stated.prev_income and row["依据"] == "推算"
    assert "2024 年报告说明" in row["说明"]
    assert value(frame, 2023, "本年支出")["数值"] == stated.prev_expense
    assert value(frame, 2021, "本年收入")["数值"] == libdata.spec(*R2022).narrative.prev_income
    # a year with its own report is never overwritten by the next year's text
    assert set(frame.loc[frame["依据"] == "推算", "年度"]) == {2021, 2023}
    # a figure the text does not compare with last year is not made up
    assert frame.loc[(frame["年度"] == 2023) & (frame["指标"] == "年末结转和结余")].empty


def test_functional_classes_across_years(lib: Library) -> None:
    classes = compare.unit_classes(lib, unit_key(UNIT))
    for report in (R2022, R2024):
        printed = {
            f["code"]: Decimal(f["value"])
            for f in expected_facts(libdata.spec(*report))
            if f["table"] == "公开03"
            and f["code"]
            and len(f["code"]) == 3
            and f["column"] == "本年支出合计"
            and Decimal(f["value"]) != 0
        }
        mine = classes.loc[classes["年度"] == report[2]]
        got = {c: v for c, v in zip(mine["类编码"], mine["金额"], strict=True) if v != 0}
        assert got == printed
        assert abs(sum(mine["占比"]) - 100) <= Decimal("0.05")


def test_units_side_by_side(lib: Library) -> None:
    frame = compare.compare_units(lib, 2024)
    assert set(frame["单位"]) == {UNIT, OTHER}
    for report in (R2024, OTHER2024):
        row = frame.loc[frame["单位"] == report[1]].iloc[0]
        assert row["本年收入"] == t01(report, "本年收入合计")
        assert row["本年支出"] == t01(report, "本年支出合计")
        stored = lib.report(row["sha256"])
        failed = sum(1 for c in stored.checks if not c.ok)
        assert row["问题"] == failed
    only = compare.compare_units(lib, 2024, [unit_key(OTHER)])
    assert list(only["单位"]) == [OTHER]
    assert compare.compare_units(lib, 2019).empty
    assert compare.years(lib) == [2024, 2022]


def test_class_shares_of_one_year(lib: Library) -> None:
    shares = compare.class_shares(lib, 2024)
    for unit, report in ((UNIT, R2024), (OTHER, OTHER2024)):
        mine = shares.loc[shares["单位"] == unit]
        total = t01(report, "本年支出合计")
        for code, amount, pct in zip(mine["类编码"], mine["金额"], mine["占比"], strict=True):
            assert amount == libdata.fact(*report, "公开03", _name(report, code), "本年支出合计")
            assert abs(pct - round(100 * amount / total, 2)) <= Decimal("0.01")


def _name(report: tuple[int, str, int], code: str) -> str:
    return next(f["item"] for f in expected_facts(libdata.spec(*report)) if f["code"] == code)


def test_a_rename_linked_by_hand_joins_the_years(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    libdata.write(folder, (R2022, (14, OTHER, 2023)))
    lib = Library(tmp_path / "lib")
    import_paths(lib, [folder])
    assert len(compare.units(lib)) == 2
    lib.link_unit(OTHER, UNIT)  # OTHER is what the unit was called in 2023
    units = compare.units(lib)
    assert len(units) == 1 and list(units["年度"].iloc[0]) == [2022, 2023]
    frame = compare.unit_years(lib, unit_key(UNIT))
    assert value(frame, 2023, "本年收入")["依据"] == "报告"  # its own report, not the text
    lib.unlink_unit(OTHER)
    assert len(compare.units(lib)) == 2
