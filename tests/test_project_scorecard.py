"""A 项目支出绩效自评表 (made by tests/fixtures/make_project_scorecard.py) against its
hand-written expected scorecard."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from conftest import (
    FIXTURES,
    ROOT,
    SAMPLE_PDF,
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


def test_merged_fund_score_counts_in_the_total() -> None:
    """分值 and 得分 printed once, merged over the 年度资金总额 and 财政拨款 rows (made by
    tests/fixtures/make_narrative_fixtures.py): the score belongs to the whole, and 总分 =
    Σ indicator scores + that 得分 is no failed check."""
    from core.accounts.checks import check_performance
    from core.accounts.performance import parse_performance
    from core.pdf.extract import extract_pages

    path = FIXTURES / "scorecard-merged-fund-score.pdf"
    (perf,) = parse_performance(extract_pages(path.read_bytes()))
    head = perf.funds[0]
    assert (head.name, head.weight, head.score) == ("年度资金总额", Decimal("10"), Decimal("8.80"))
    assert [f.score for f in perf.funds[1:]] == [None, None]
    assert [i.score for i in perf.indicators] == [Decimal(v) for v in ("30", "18", "30", "10")]
    report = Report("", None, "", "万元", 1, (), (), (perf,), ())
    (check,) = check_performance(report)
    assert check.ok and check.found == check.expected == Decimal("96.80")


def test_scorecard_boxes_hold_their_rows() -> None:
    """Each indicator row's box holds its 分值 and 得分 words; each fund line's its amounts."""
    from core.pdf.extract import extract_pages

    (page,) = [p for p in extract_pages(PDF.read_bytes()) if p.number == 3]
    (perf,) = parsed().performance

    def inside(box, w) -> bool:
        return box[0] <= w.xc <= box[2] and box[1] <= w.yc <= box[3]

    for ind in perf.indicators:
        assert ind.box is not None
        texts = [w.text for w in page.words if inside(ind.box, w)]
        assert str(ind.weight) in texts and str(ind.score) in texts
    for fund in perf.funds:
        assert fund.box is not None
        texts = [w.text for w in page.words if inside(fund.box, w)]
        assert str(fund.executed) in texts and fund.name in "".join(texts)


def test_score_identity_counts_the_execution_score_once() -> None:
    """The 预算执行率 得分 stands in the funds block (added to the indicators) or as an
    indicator row of its own (then the funds block's copy is not added again)."""
    from core.accounts.checks import check_performance
    from core.records import FundLine, Indicator, Performance

    def ind(name: str, weight: str, score: str) -> Indicator:
        return Indicator(
            "产出指标", "数量指标", name, "", "", Decimal(weight), Decimal(score), "", 1
        )

    fund = FundLine("年度资金总额", None, None, None, Decimal(10), Decimal(88), Decimal("8.80"), 1)
    rows = (ind("培训人次", "50", "50"), ind("合格率", "40", "38"))
    as_row = (*rows, Indicator("预算执行率", "预算执行率", "预算执行率", "100%", "88%",
                               Decimal(10), Decimal("8.80"), "", 1))  # fmt: skip
    for indicators, total, ok in (
        (rows, "96.80", True),  # 88 + 8.80 from the funds block
        (as_row, "96.80", True),  # the row already holds the 8.80
        (rows, "88.00", False),  # a 总分 that leaves the funds block's score out
    ):
        perf = Performance(
            "项目", "项目支出绩效自评表", (fund,), indicators, Decimal(total), "优", (1,)
        )
        (check,) = check_performance(Report("", None, "", "万元", 1, (), (), (perf,), ()))
        assert check.ok is ok and check.expected == Decimal("96.80")


@pytest.mark.parametrize(
    "path",
    [SAMPLE_PDF, PDF],
    ids=lambda p: p.stem,
)
def test_contract_total_box_covers_the_printed_total(path: Path) -> None:
    """The contract JSON names where each scorecard's 总分 is printed: ``total_page`` and
    ``total_box``, whose words on that page are the 总分 digits, read from the PDF itself."""
    from core.accounts.contract import report_json
    from core.pdf.extract import extract_pages

    if path == SAMPLE_PDF:  # the command line's own JSON, as a user gets it
        out = subprocess.run(
            [sys.executable, "-m", "core", "parse", str(path), "--format", "json"],
            capture_output=True,
            check=True,
            cwd=ROOT,
        )
        contract = json.loads(out.stdout)
    else:
        contract = json.loads(report_json(parse_report(path)))
    pages = {p.number: p for p in extract_pages(path.read_bytes())}
    cards = contract["performances"]
    assert cards and contract["performance"]["total_box"] == cards[0]["total_box"]
    for card in cards:
        assert card["total_score"] is not None
        x0, top, x1, bottom = card["total_box"]
        words = [
            w.text
            for w in pages[card["total_page"]].words
            if x0 - 0.5 <= w.xc <= x1 + 0.5 and top - 0.5 <= w.yc <= bottom + 0.5
        ]
        assert len(words) == 1, words  # the 总分 alone, no neighbour
        assert Decimal(words[0]) == Decimal(str(card["total_score"])), (words, card)
        assert card["total_page"] in card["pages"]
