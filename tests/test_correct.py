"""Checked reading (core/accounts/correct.py): misreadings planted in an OCR'd report are put
right only where the identities prove the one reading, and shown as failed checks otherwise.

The report here is the sample's text-layer parse (hand-checked in tests/golden/) marked as
read by OCR: every fact given a confidence, so the correction treats it as a scan's.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from core.accounts.checks import run_checks
from core.accounts.contract import report_dict
from core.accounts.correct import correct_misreadings, fact_key, misreadings, ocr_counts
from core.accounts.parse import parse_report
from core.records import Fact, Report

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
SAMPLE_PDF = next(SAMPLE.glob("*.pdf"))


@cache
def as_ocr() -> Report:
    r = parse_report(SAMPLE_PDF)
    return replace(r, text_source="ocr", facts=tuple(replace(f, confidence=0.99) for f in r.facts))


def plant(report: Report, cell: Fact, read: Decimal) -> Report:
    facts = tuple(replace(f, value=read) if f is cell else f for f in report.facts)
    planted = replace(report, facts=facts, checks=())
    return replace(planted, checks=tuple(run_checks(planted)))


def find(report: Report, **want: object) -> Fact:
    hits = [f for f in report.facts if all(getattr(f, k) == v for k, v in want.items())]
    assert len(hits) == 1, hits
    return hits[0]


def failed(report: Report) -> list[str]:
    return [c.rule for c in report.checks if not c.ok and c.kind in ("identity", "cross")]


def test_misreadings_are_the_named_slips() -> None:
    got = misreadings(Decimal("243.54"))
    assert Decimal("248.54") in got  # 3 → 8
    assert Decimal("2435.4") not in got  # a decimal point moved is no slip named
    assert Decimal("1243.54") in got and Decimal("243.541") not in got  # dropped digit
    assert misreadings(Decimal("24354")) >= {Decimal("243.54")}  # lost decimal point
    assert Decimal("743.54") not in got  # 2 ↔ 7 is not a confusion
    assert Decimal("17.60") in misreadings(Decimal("11.60")) | misreadings(Decimal("17.00"))


def test_text_layer_report_is_never_touched() -> None:
    r = parse_report(SAMPLE_PDF)
    cell = find(r, table="公开01", item="一般公共预算财政拨款收入", column="决算数")
    planted = plant(r, cell, Decimal("248.54"))
    assert correct_misreadings(planted) is planted


def test_consistent_ocr_report_is_left_as_read() -> None:
    r = as_ocr()
    assert failed(r) == []
    assert correct_misreadings(r).facts == r.facts


def test_a_planted_3_for_8_is_corrected_and_the_reading_kept() -> None:
    r = as_ocr()
    # 公开03's 事业运行 基本支出: read by its row total, its 款 and 类, and 公开01's side
    cell = find(r, table="公开03", code="2010350", column="基本支出")
    assert "3" in f"{cell.value:f}" or "8" in f"{cell.value:f}"
    text = f"{cell.value:f}"
    i = next(k for k, ch in enumerate(text) if ch in "38")
    read = Decimal(text[:i] + {"3": "8", "8": "3"}[text[i]] + text[i + 1 :])
    planted = plant(r, cell, read)
    assert failed(planted), "the planted misreading must break an identity"
    fixed = correct_misreadings(planted)
    got = next(f for f in fixed.facts if fact_key(f) == fact_key(cell))
    assert got.value == cell.value and got.read_as == read
    assert failed(fixed) == []
    assert ocr_counts(fixed)["corrected"] == 1 and ocr_counts(fixed)["uncertain"] == 0
    row = next(
        f
        for f in report_dict(fixed)["facts"]
        if f["code"] == "2010350" and f["table"] == "公开03" and f["column"] == "基本支出"
    )
    assert row["read_as"] == float(read) and row["confidence"] == 0.99


def test_a_slip_outside_the_named_ones_is_flagged_not_guessed() -> None:
    r = as_ocr()
    cell = find(r, table="公开03", code="2010350", column="基本支出")
    read = cell.value + Decimal("0.02")  # no confusion, no lost point, no dropped digit
    planted = plant(r, cell, read)
    fixed = correct_misreadings(planted)
    assert failed(fixed) == failed(planted) != []
    assert all(f.read_as is None for f in fixed.facts)
    assert ocr_counts(fixed)["uncertain"] >= 2  # the cells of each failed identity


def test_a_cell_only_one_identity_reads_is_not_corrected() -> None:
    r = as_ocr()
    # a misread of a cell no second identity reads could as well be a misread of another
    # term of that identity: leave it flagged
    counts = {}
    for c in r.checks:
        for f in c.facts:
            if c.kind in ("identity", "cross"):
                counts[fact_key(f)] = counts.get(fact_key(f), 0) + 1
    lonely = [
        f
        for f in r.facts
        if counts.get(fact_key(f), 0) == 1
        and f.value >= 1
        and any(ch in "380167" for ch in f"{f.value:f}".split(".")[0])
    ]
    assert lonely, "the sample has cells that one identity alone reads"
    cell = lonely[0]
    text = f"{cell.value:f}"
    i = next(k for k, ch in enumerate(text) if ch in "380167")
    conf = {"3": "8", "8": "3", "1": "7", "7": "1", "0": "6", "6": "0"}
    read = Decimal(text[:i] + conf[text[i]] + text[i + 1 :])
    planted = plant(r, cell, read)
    assert failed(planted)  # a whole unit or more off: past any tolerance
    fixed = correct_misreadings(planted)
    assert all(f.read_as is None for f in fixed.facts)
    assert failed(fixed) == failed(planted)


def test_the_app_marks_a_scanned_report_with_its_counts() -> None:
    from core.ui import ocr_line

    r = as_ocr()
    cell = find(r, table="公开03", code="2010350", column="基本支出")
    text = f"{cell.value:f}"
    i = next(k for k, ch in enumerate(text) if ch in "38")
    fixed = correct_misreadings(
        plant(r, cell, Decimal(text[:i] + {"3": "8", "8": "3"}[text[i]] + text[i + 1 :]))
    )
    line = ocr_line(fixed)
    assert line is not None and line.startswith("扫描件，经 OCR 读取")
    assert f"{len(r.facts)} 个数字中，1 个经勾稽关系校正，0 个存疑" in line
    assert ocr_line(parse_report(SAMPLE_PDF)) is None


@pytest.mark.parametrize(
    "how",
    ["lost decimal point", "dropped digit", "1 for 7"],
)
def test_other_planted_slips_are_corrected(how: str) -> None:
    r = as_ocr()
    cell = find(r, table="公开03", code="2010350", column="基本支出")
    text = f"{cell.value:f}"
    if how == "lost decimal point":
        read = Decimal(text.replace(".", ""))
    elif how == "dropped digit":
        read = Decimal(text[1:])
    else:  # a 1 or 7 in a cell that carries one
        cell = next(
            f
            for f in r.facts
            if f.table == "公开03" and f.value >= 1 and any(ch in "17" for ch in f"{f.value:f}")
        )
        text = f"{cell.value:f}"
        i = next(k for k, ch in enumerate(text) if ch in "17")
        read = Decimal(text[:i] + {"1": "7", "7": "1"}[text[i]] + text[i + 1 :])
    assert cell.value in misreadings(read)
    planted = plant(r, cell, read)
    assert failed(planted)
    fixed = correct_misreadings(planted)
    got = next(f for f in fixed.facts if fact_key(f) == fact_key(cell))
    assert (got.value, got.read_as) == (cell.value, read)
    assert failed(fixed) == []
