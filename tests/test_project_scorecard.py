"""A 项目支出绩效自评表 (made by tests/fixtures/make_project_scorecard.py) against its
hand-written expected scorecard."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache

from conftest import (
    FIXTURES,
    expected_fund_rows,
    expected_indicator_rows,
    fund_rows,
    indicator_rows,
)

from core.accounts.parse import parse_report
from core.records import Report

PDF = FIXTURES / "quirk-project-scorecard.pdf"


@cache
def parsed() -> Report:
    return parse_report(PDF)


def want() -> dict:
    path = FIXTURES / "quirk-project-scorecard.expected-performance.json"
    return json.loads(path.read_text("utf-8"))


def test_project_scorecard_is_found_once() -> None:
    e = want()
    (perf,) = parsed().performance
    assert perf.kind == e["kind"]
    assert perf.title == e["title"]
    assert perf.project == e["project"]
    assert perf.pages == tuple(e["pages"])
    assert perf.total_score == Decimal(e["total_score"])
    assert perf.grade == e["grade"]


def test_project_scorecard_funds() -> None:
    (perf,) = parsed().performance
    assert fund_rows(perf) == expected_fund_rows(want()["funds"])


def test_project_scorecard_indicators() -> None:
    (perf,) = parsed().performance
    assert indicator_rows(perf) == expected_indicator_rows(want()["indicators"])
    assert {i.page for i in perf.indicators} == {3}


def test_project_scorecard_total_check_passes() -> None:
    checks = [c for c in parsed().checks if c.kind == "score"]
    assert len(checks) == 1
    (check,) = checks
    assert check.found == Decimal("87.50")
    assert check.expected == Decimal("87.50")
    assert check.ok
