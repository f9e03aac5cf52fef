"""The 绩效自评表 of the sample against the hand-transcribed golden scorecard."""

from __future__ import annotations

import json
from decimal import Decimal

from conftest import (
    CORPUS,
    GOLDEN,
    SAMPLE_PDF,
    expected_fund_rows,
    expected_indicator_rows,
    fund_rows,
    indicator_rows,
)

from core.accounts.parse import parse_report


def test_sample_scorecard_equals_golden() -> None:
    want = json.loads((GOLDEN / "fujian-12345-2024-danwei-juesuan.json").read_text("utf-8"))[
        "performance"
    ]
    (perf,) = parse_report(SAMPLE_PDF).performance
    assert perf.kind == want["kind"]
    assert perf.total_score == Decimal(want["total_score"])
    assert perf.grade == want["grade"]
    assert perf.pages == (23, 24)
    assert fund_rows(perf) == expected_fund_rows(want["funds"])
    assert indicator_rows(perf) == expected_indicator_rows(want["indicators"])


def test_scorecard_total_check_passes_on_sample() -> None:
    checks = [c for c in parse_report(SAMPLE_PDF).checks if c.kind == "score"]
    assert len(checks) == 1 and checks[0].ok and checks[0].found == Decimal("96.62")


def test_report_without_scorecard_has_none() -> None:
    assert parse_report(CORPUS / "putuo-shehuigongzuobu-2024-bumen-juesuan.pdf").performance == ()


def test_sample_scorecard_boxes_and_contract() -> None:
    """The indicator rows' and fund lines' boxes hold their printed scores; the contract
    carries them as [x0, top, x1, bottom]."""
    from core.accounts.contract import performance_dict
    from core.pdf.extract import extract_pages

    (perf,) = parse_report(SAMPLE_PDF).performance
    pages = {p.number: p for p in extract_pages(SAMPLE_PDF.read_bytes())}
    for row in (*perf.indicators, *perf.funds):
        assert row.box is not None
        x0, top, x1, bottom = row.box
        words = [
            w.text for w in pages[row.page].words if x0 <= w.xc <= x1 and top <= w.yc <= bottom
        ]
        assert str(row.score) in words or row.score is None
    data = performance_dict(perf)
    assert all(len(i["box"]) == 4 for i in data["indicators"])
    assert all(len(f["box"]) == 4 for f in data["funds"])
