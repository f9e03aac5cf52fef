"""The 绩效自评表 of the sample against the hand-transcribed golden scorecard."""

from __future__ import annotations

import json
from decimal import Decimal

from conftest import CORPUS, GOLDEN, SAMPLE_PDF

from core.parse import parse_report


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def test_sample_scorecard_equals_golden() -> None:
    want = json.loads((GOLDEN / "fujian-12345-2024-danwei-juesuan.json").read_text("utf-8"))[
        "performance"
    ]
    (perf,) = parse_report(SAMPLE_PDF).performance
    assert perf.kind == want["kind"]
    assert perf.total_score == Decimal(want["total_score"])
    assert perf.grade == want["grade"]
    assert perf.pages == (23, 24)
    got_funds = [
        {
            "name": f.name,
            "initial_budget": f.initial_budget,
            "full_year_budget": f.full_year_budget,
            "executed": f.executed,
            "weight": f.weight,
            "execution_rate": f.execution_rate,
            "score": f.score,
        }
        for f in perf.funds
    ]
    want_funds = [
        {k: (v if k == "name" else _dec(v)) for k, v in f.items() if k in got_funds[0]}
        for f in want["funds"]
    ]
    assert got_funds == want_funds
    got = [
        (i.level1, i.level2, i.level3, i.target, i.actual, i.weight, i.score, i.note)
        for i in perf.indicators
    ]
    expect = [
        (
            i["level1"],
            i["level2"],
            i["level3"],
            i["target"],
            i["actual"],
            _dec(i["weight"]),
            _dec(i["score"]),
            i["note"],
        )
        for i in want["indicators"]
    ]
    assert got == expect


def test_scorecard_total_check_passes_on_sample() -> None:
    checks = [c for c in parse_report(SAMPLE_PDF).checks if c.kind == "score"]
    assert len(checks) == 1 and checks[0].ok and checks[0].found == Decimal("96.62")


def test_report_without_scorecard_has_none() -> None:
    assert parse_report(CORPUS / "putuo-shehuigongzuobu-2024-bumen-juesuan.pdf").performance == ()
