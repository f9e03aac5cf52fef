"""Shares of a whole are taken within one table and never exceed what their parts allow; the
预算执行 frame lists every 项 the narrative states a 年初 or 全年 budget for."""

from __future__ import annotations

from decimal import Decimal

from conftest import FIXTURES

from core.accounts.narrative import parse_narrative
from core.pdf.extract import extract_pages
from core.present import frames
from core.records import Fact, Report

D = Decimal


def test_part_share_is_a_share_of_a_whole_or_nothing() -> None:
    assert frames.part_share(D("105.58"), D("307.82")) == D("34.30")
    assert frames.part_share(D("307.82"), D("307.82")) == D("100.00")
    assert frames.part_share(D("0"), D("10")) == D("0.00")
    # a part beyond its whole, a negative part, a zero or unknown whole: no share at all
    assert frames.part_share(D("3053.79"), D("307.82")) is None
    assert frames.part_share(D("-1.00"), D("307.82")) is None
    assert frames.part_share(D("1.00"), D("0")) is None
    assert frames.part_share(None, D("1")) is None
    assert frames.part_share(D("1"), None) is None


def _report(facts: list[Fact], narrative=()) -> Report:
    return Report("某单位", 2024, "部门决算", "万元", 20, (), tuple(facts), (), tuple(narrative))


def test_classification_shares_never_exceed_the_whole() -> None:
    """A 公开03 whose printed 合计 was misread far below its 类 rows (a 992 % share before):
    no share goes above 100 %."""
    facts = [
        Fact("公开03", None, None, None, "合计", "本年支出合计", D("30.78"), 8),
        Fact("公开03", None, None, "201", "一般公共服务支出", "本年支出合计", D("264.87"), 8),
        Fact("公开03", None, None, "221", "住房保障支出", "本年支出合计", D("29.42"), 8),
    ]
    frame = frames.classification_frame(_report(facts)).set_index("编码")
    # the printed 合计 falls short of its own 类 rows: their sum is the whole
    assert frame.loc["201", "占比"] == D("90.00")
    assert frame.loc["221", "占比"] == D("10.00")


def test_share_whole_keeps_a_printed_total_within_rounding() -> None:
    parts = [D("182.29"), D("8.91"), D("4.65"), D("15.25")]  # the sample's 类: 211.10
    assert frames.share_whole(D("211.09"), parts) == D("211.09")  # 尾差: printed kept
    assert frames.share_whole(D("21.11"), parts) == D("211.10")  # misread: the parts' sum
    assert frames.share_whole(None, parts) == D("211.10")
    assert frames.share_whole(D("300.00"), parts) == D("300.00")  # parts not all printed


def test_personnel_shares_only_within_one_source() -> None:
    """人员经费 from 公开06 and 公用经费 only from the text: no share mixes the two."""
    from core.records import NarrativeFigure

    facts = [Fact("公开06", None, None, None, "人员经费合计", "金额", D("95.36"), 13)]
    stated = NarrativeFigure("公用经费", "amount", D("10.23"), 20, "公用经费10.23万元。")
    frame = frames.personnel_public_frame(_report(facts, [stated]))
    assert list(frame["金额"]) == [D("95.36"), D("10.23")]
    assert list(frame["占比"]) == [None, None]
    both = [*facts, Fact("公开06", None, None, None, "公用经费合计", "金额", D("10.23"), 13)]
    frame = frames.personnel_public_frame(_report(both))
    assert list(frame["占比"]) == [D("90.31"), D("9.69")]


def test_budget_execution_lists_items_with_initial_budgets() -> None:
    """A report that states each 项's 年初预算 and 决算 (no 全年预算): every 项 is listed,
    its 年初预算数 in its own column, no 执行率 against a 全年预算 it does not state."""
    facts = [
        Fact("公开05", None, None, "2010601", "行政运行", "合计", D("1511.89"), 9),
        Fact("公开05", None, None, "2010608", "财政委托业务支出", "合计", D("398.10"), 9),
        Fact(
            "公开05",
            None,
            None,
            "2080505",
            "机关事业单位基本养老保险缴费支出",
            "合计",
            D("118.75"),
            9,
        ),  # fmt: skip
        Fact("公开05", None, None, "2210201", "住房公积金", "合计", D("197.68"), 9),
    ]
    pages = extract_pages((FIXTURES / "narrative-items.pdf").read_bytes())
    narrative = parse_narrative(pages, [], facts)
    frame = frames.budget_execution_frame(_report(facts, narrative)).set_index("编码")
    assert list(frame.index) == ["2010601", "2010608", "2080505", "2210201"]
    assert list(frame["年初预算数"]) == [D("1517.04"), D("450.52"), D("120.00"), D("225.05")]
    assert list(frame["决算数"]) == [D("1511.89"), D("398.10"), D("118.75"), D("197.68")]
    assert list(frame["全年预算数"]) == [None] * 4
    assert list(frame["执行率"]) == [None] * 4
    assert frame.loc["2010601", "说明执行率"] == D("99.66")
