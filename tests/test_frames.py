"""Frames: records -> DataFrames, checked against the sample's and the corpus report's numbers."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from core.present import export, frames
from core.records import Check, Fact, Report

D = Decimal


def empty(report: Report) -> Report:
    """The report with nothing read from it: no table, figure, scorecard or check."""
    return replace(report, tables=(), facts=(), narrative=(), performance=(), checks=())


# -- formatting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "sign", "text"),
    [
        (D("1234.5"), False, "1,234.50"),
        (D("1234567.891"), False, "1,234,567.89"),
        (D("0.005"), False, "0.01"),
        (D("-32.59"), True, "-32.59"),
        (D("42.94"), True, "+42.94"),
        (D("0"), True, "0.00"),
        (None, False, "—"),
        (3.0, False, "3.00"),
    ],
)
def test_format_amount(value: Decimal | float | None, sign: bool, text: str) -> None:
    assert frames.format_amount(value, sign=sign) == text


def test_format_pages_and_scores() -> None:
    assert frames.format_pages([5]) == "第 5 页"
    assert frames.format_pages([9, 8]) == "第 8–9 页"
    assert frames.format_pages([5, 7]) == "第 5、7 页"
    assert frames.format_pages([]) == ""
    assert frames.format_percent(D("15.55"), sign=True) == "+15.55%"
    assert frames.format_score(D("20")) == "20"
    assert frames.format_score(D("6.62")) == "6.62"
    assert frames.format_score(D("96.60")) == "96.6"


def test_grade_bands() -> None:
    assert [frames.grade_of(s) for s in (D("96.62"), 90, D("85"), 60, D("59.9"), 0)] == [
        "优",
        "优",
        "良",
        "中",
        "差",
        "差",
    ]
    assert frames.grade_of(None) is None


# -- 总览 ---------------------------------------------------------------------------------------


def test_kpis_of_the_sample(sample_report: Report) -> None:
    kpis = {k.label: k for k in frames.find_kpis(sample_report)}
    assert kpis["收入总计"].value == D("319.08")
    assert kpis["收入总计"].pages == (5,)
    assert (kpis["收入总计"].change, kpis["收入总计"].growth) == (D("42.94"), D("15.55"))
    assert kpis["收入总计"].change_page == 17
    assert kpis["收入总计"].delta == "+42.94 万元（+15.55%）"
    assert kpis["本年收入"].value == D("243.54")
    assert kpis["本年收入"].delta == "-32.59 万元（-11.80%）"
    assert kpis["本年支出"].value == D("211.09")
    assert kpis["本年支出"].change == D("10.24")
    assert kpis["年末结转和结余"].value == D("107.98")
    assert kpis["年末结转和结余"].delta is None
    # 197.34 ÷ 211.09 = 93.49%
    assert kpis["人员经费占基本支出"].value == D("93.49")
    assert kpis["人员经费占基本支出"].text == "93.49%"
    assert kpis["三公经费"].value == D("0.00")
    assert kpis["三公经费"].pages == (13,)
    # what a card shows: the unit in the label, a short figure and a short change
    assert kpis["收入总计"].headline == "319.08 万元"
    assert kpis["收入总计"].delta_short == "+15.55%"
    assert kpis["收入总计"].change_words == "比上年增加 42.94 万元，增长 15.55%"
    assert kpis["本年收入"].change_words == "比上年减少 32.59 万元，下降 11.80%"
    assert kpis["人员经费占基本支出"].headline == "93.49%"


def test_score_kpi_of_the_sample(sample_report: Report) -> None:
    assert sample_report.performance
    score = {k.label: k for k in frames.find_kpis(sample_report)}["绩效自评得分"]
    assert score.value == D("96.62")
    assert score.text == "96.62 分（优）"
    assert score.headline == "96.62 分 · 优"
    assert 23 in score.pages


def test_kpis_of_putuo(putuo_report: Report) -> None:
    kpis = {k.label: k for k in frames.find_kpis(putuo_report)}
    assert kpis["收入总计"].value == D("307.82")
    assert kpis["收入总计"].change == D("307.82")  # a new department: all of it is new
    assert kpis["本年支出"].value == D("307.82")
    # 公开01 leaves the row blank: a printed zero
    assert kpis["年末结转和结余"].value == 0
    assert "推算为零" in kpis["年末结转和结余"].note  # blank row: zero only as the totals show
    # the lead sentence says it too: a bare "0.00 万元" there would read as printed
    said = frames.balance_sentence(putuo_report)
    assert "年末结转和结余 0.00 万元（表中此行空白；支出总计等于本年支出，推算为零）" in said
    assert kpis["人员经费占基本支出"].value == D("90.32")  # 95.36 ÷ 105.58
    assert kpis["三公经费"].value == 0
    assert kpis["三公经费"].pages == (14,)
    # no scorecard: the narrative's average score of the projects it evaluated
    assert kpis["绩效自评得分"].value == D("100.00")
    assert kpis["绩效自评得分"].source == "说明"
    assert "未附自评表" in kpis["绩效自评得分"].note


def test_kpis_of_an_empty_report(sample_report: Report) -> None:
    kpis = frames.find_kpis(empty(sample_report))
    assert [k.value for k in kpis] == [None] * len(kpis)
    assert all(k.text in ("未列示", "未附自评表", "未核验") for k in kpis)


def test_check_counts(sample_report: Report) -> None:
    counts = frames.check_counts(sample_report)
    assert sum(counts.values()) == len(sample_report.checks)
    assert counts["failed"] == 0 and counts["missing"] == 0
    assert counts["rounding"] >= 1  # 211.10 summed against 211.09 printed


# -- 收支平衡 -------------------------------------------------------------------------------------


def test_flows_of_the_sample(sample_report: Report) -> None:
    flows = frames.flow_frame(sample_report)
    into = flows.loc[flows["去向"] == "收支总计"]
    out = flows.loc[flows["来源"] == "收支总计"]
    assert dict(zip(into["来源"], into["金额"], strict=True)) == {
        "一般公共预算财政拨款收入": D("243.54"),
        "年初结转和结余": D("75.54"),
    }
    assert dict(zip(out["去向"], out["金额"], strict=True)) == {
        "一般公共服务支出": D("182.29"),
        "社会保障和就业支出": D("8.91"),
        "卫生健康支出": D("4.65"),
        "住房保障支出": D("15.25"),
        "年末结转和结余": D("107.98"),
    }
    assert set(flows["页码"]) == {5}
    assert all(isinstance(v, Decimal) for v in flows["金额"])


def test_flows_fall_back_on_the_total_when_a_side_does_not_add_up(sample_report: Report) -> None:
    facts = tuple(
        replace(f, value=D("1.00"))
        if f.table == "公开01" and f.item == "一般公共预算财政拨款收入"
        else f
        for f in sample_report.facts
    )
    flows = frames.flow_frame(replace(sample_report, facts=facts))
    assert "本年收入合计" in set(flows["来源"])
    assert "一般公共预算财政拨款收入" not in set(flows["来源"])


def test_balance_of_the_sample(sample_report: Report) -> None:
    steps = frames.balance_frame(sample_report)
    assert list(steps["步骤"]) == ["年初结转和结余", "本年收入", "本年支出", "年末结转和结余"]
    assert list(steps["金额"]) == [D("75.54"), D("243.54"), D("-211.09"), D("107.98")]
    assert list(steps["类型"]) == ["absolute", "relative", "relative", "absolute"]
    # the printed closing differs from the computed one by a cent of rounding
    assert sum(list(steps["金额"])[:-1]) == D("107.99")


def test_spending_split(sample_report: Report, putuo_report: Report) -> None:
    split = frames.spending_split_frame(sample_report)
    assert dict(zip(split["类别"], split["金额"], strict=True)) == {
        "基本支出": D("211.09"),
        "项目支出": D("0.00"),
    }
    split = frames.spending_split_frame(putuo_report)
    assert dict(zip(split["类别"], split["占比"], strict=True)) == {
        "基本支出": D("34.30"),
        "项目支出": D("65.70"),
    }


# -- 功能分类 -------------------------------------------------------------------------------------


def test_classification_of_the_sample(sample_report: Report) -> None:
    tree = frames.classification_frame(sample_report).set_index("编码")
    assert tree.loc["2010350", "金额"] == D("182.29")
    assert tree.loc["2010350", "名称"] == "事业运行"
    assert tree.loc["2010350", "级次"] == "项"
    assert tree.loc["2010350", "上级"] == "20103"
    assert tree.loc["20103", "上级"] == "201"
    assert tree.loc["201", "上级"] == ""
    assert tree.loc["221", "规模"] == D("15.25")  # 12.87 + 2.38
    assert tree.loc["2210201", "占比"] == D("6.10")  # of 211.09
    assert tree.loc["201", "着色占比"] == 0.0  # no 项目支出 at all


def test_classification_of_putuo_is_coloured_by_project_share(putuo_report: Report) -> None:
    tree = frames.classification_frame(putuo_report).set_index("编码")
    assert tree.loc["2013999", "着色占比"] == 1.0
    assert tree.loc["2013901", "着色占比"] == 0.0
    assert tree.loc["201", "着色占比"] == pytest.approx(202.24 / 264.87)
    assert tree.loc["2101101", "页码"] == 9  # 公开03 runs on to page 9


def test_classification_income_side_names_come_from_other_tables(sample_report: Report) -> None:
    # the sample's 公开02 prints codes without names: they are taken from 公开03
    tree = frames.classification_frame(sample_report, "收入").set_index("编码")
    assert tree.loc["2010350", "名称"] == "事业运行"
    assert tree.loc["2010350", "金额"] == D("215.21")
    assert tree.loc["2010350", "着色占比"] == 1.0


def test_classification_table_is_sorted_leaves(putuo_report: Report) -> None:
    table = frames.classification_table(putuo_report)
    assert list(table.columns) == ["科目", "金额", "占比", "项目支出", "页码"]
    assert table["科目"].iloc[0] == "2013999 其他社会工作事务支出"
    assert table["金额"].iloc[0] == D("202.24")
    amounts = list(table["金额"])
    assert amounts == sorted(amounts, reverse=True)
    assert table["科目"].iloc[-1] == "2101102 事业单位医疗"


def test_classification_builds_missing_parents() -> None:
    facts = (
        Fact("公开03", None, None, "2010350", "事业运行", "本年支出合计", D("10.00"), 7),
        Fact("公开03", None, None, "2010301", "行政运行", "本年支出合计", D("5.00"), 7),
        Fact("公开03", None, None, None, "合计", "本年支出合计", D("15.00"), 7),
    )
    report = Report("单位", 2024, "单位决算", "万元", 10, (), facts, (), ())
    tree = frames.classification_frame(report).set_index("编码")
    assert tree.loc["20103", "规模"] == D("15.00")
    assert tree.loc["201", "金额"] == D("15.00")
    assert tree.loc["2010350", "上级"] == "20103"


# -- 人员与公用 -----------------------------------------------------------------------------------


def test_personnel_and_public(sample_report: Report, putuo_report: Report) -> None:
    split = frames.personnel_public_frame(sample_report)
    assert dict(zip(split["类别"], split["金额"], strict=True)) == {
        "人员经费": D("197.34"),
        "公用经费": D("13.75"),
    }
    assert split["页码"].iloc[0] == (12,)
    split = frames.personnel_public_frame(putuo_report)
    assert list(split["金额"]) == [D("95.36"), D("10.23")]


def test_economic_items(sample_report: Report) -> None:
    items = frames.economic_frame(sample_report)
    assert items["编码"].iloc[0] == "30103"  # 奖金 43.33 is the largest
    assert items["金额"].iloc[0] == D("43.33")
    assert (items["金额"] != 0).all()
    assert set(items["类编码"]) == {"301", "302"}
    assert items.set_index("编码").loc["30228", "页码"] == 12
    with_zero = frames.economic_frame(sample_report, include_zero=True)
    assert len(with_zero) > len(items)
    assert "30106" in set(with_zero["编码"])  # 伙食补助费 0.00
    assert with_zero.set_index("编码").loc["31001", "类名称"] == "资本性支出"


# -- 三公 -----------------------------------------------------------------------------------------


def test_three_public_of_the_sample(sample_report: Report) -> None:
    table = frames.three_public_frame(sample_report)
    assert list(table["项目"])[0] == "合计"
    assert len(table) == 6
    assert set(table["决算数"]) == {D("0.00")}
    assert table["预算数"].isna().all()  # Fujian prints no budget
    counts = frames.three_public_counts(sample_report)
    assert "公务用车保有量" in set(counts["项目"])
    assert set(counts["页码"]) == {19}
    assert "公务接待人次" in set(counts["项目"])


def test_three_public_of_putuo_is_empty(putuo_report: Report) -> None:
    assert frames.three_public_frame(putuo_report).empty
    info = putuo_report.table("公开07")
    assert info is not None and info.empty


def test_three_public_budget_and_rate() -> None:
    facts = tuple(
        Fact("公开07", None, None, None, item, column, value, 13)
        for item, column, value in [
            ("合计", "预算数", D("10.00")),
            ("合计", "决算数", D("8.00")),
            ("公务接待费", "预算数", D("10.00")),
            ("公务接待费", "决算数", D("8.00")),
        ]
    )
    report = Report("单位", 2024, "单位决算", "万元", 20, (), facts, (), ())
    table = frames.three_public_frame(report).set_index("项目")
    assert table.loc["合计", "预算数"] == D("10.00")
    assert table.loc["合计", "完成预算"] == D("80.00")


# -- 绩效自评 -------------------------------------------------------------------------------------


def test_scorecard_frames(sample_report: Report) -> None:
    perf = frames.main_performance(sample_report)
    assert perf is not None
    indicators = frames.indicator_frame(perf)
    assert "受理群众诉求量" in set(indicators["三级指标"])
    row = indicators.set_index("三级指标").loc["受理群众诉求量"]
    assert (row["分值"], row["得分"], row["扣分"]) == (D("20"), D("20"), D("0"))
    funds = frames.fund_frame(perf).set_index("资金")
    assert funds.loc["资金总额", "执行率"] == D("66.16")
    assert funds.loc["资金总额", "全年预算数"] == D("319.08")


def test_performance_narrative(putuo_report: Report, sample_report: Report) -> None:
    stated = frames.performance_narrative_frame(putuo_report)
    assert D("175.52") in set(stated["数值"])
    assert set(stated["页码"]) == {21}
    assert all("绩效" in s for s in stated["原文"])
    # a sentence that only lists 绩效工资 is not about 绩效
    assert not any(
        "人员经费" == t for t in frames.performance_narrative_frame(sample_report)["主题"]
    )


# -- 预算执行 -------------------------------------------------------------------------------------


def test_budget_execution_of_putuo(putuo_report: Report) -> None:
    table = frames.budget_execution_frame(putuo_report).set_index("编码")
    assert table.loc["2013901", "全年预算数"] == D("52.00")
    assert table.loc["2013901", "决算数"] == D("51.32")
    assert table.loc["2013901", "执行率"] == D("98.69")
    assert table.loc["2013901", "说明执行率"] == D("98.69")
    assert table.loc["2101102", "执行率"] == D("21.40")  # 0.49 ÷ 2.29
    assert table.loc["2210201", "页码"] == (20,)
    overall = frames.budget_overall(putuo_report)
    assert overall["budget"].value == D("321.02")
    assert overall["actual"].value == D("307.82")


def test_budget_execution_of_the_sample_is_empty(sample_report: Report) -> None:
    assert frames.budget_execution_frame(sample_report).empty
    changes = frames.item_change_frame(sample_report).set_index("编码")
    assert changes.loc["2210202", "较上年"] == D("-0.17")
    assert changes.loc["2210202", "增幅"] == D("-6.62")
    assert changes.loc["2080505", "决算数"] == D("8.91")


# -- 数据核验 and 原始数据 -------------------------------------------------------------------------


def test_checks_frame_puts_problems_first(sample_report: Report) -> None:
    failed = Check(
        "公开01 收入总计 = 支出总计", False, D("1.00"), D("2.00"), D("0.005"), ("公开01",), (5,)
    )
    missing = Check("公开09 未找到", False, None, None, D(0), ("公开09",), (), "missing")
    report = replace(sample_report, checks=(*sample_report.checks, failed, missing))
    table = frames.checks_frame(report)
    assert list(table["状态"])[:2] == ["未通过", "缺表"]
    assert table["差额"].iloc[0] == D("1.00")
    assert table["页码"].iloc[0] == "第 5 页"
    assert len(table) == len(report.checks)
    assert frames.check_counts(report)["failed"] == 1


def test_table_frame_keeps_print_order_and_exact_amounts(sample_report: Report) -> None:
    table = frames.table_frame(sample_report, "公开01")
    assert list(table.columns) == ["分区", "项目", "决算数", "页码"]
    assert table["项目"].iloc[0] == "一般公共预算财政拨款收入"
    assert table["决算数"].iloc[0] == D("243.54")
    assert isinstance(table["决算数"].iloc[0], Decimal)
    two_sided = frames.table_frame(sample_report, "公开04")
    assert "上级" in two_sided.columns
    coded = frames.table_frame(sample_report, "公开05")
    assert "编码" in coded.columns and "分区" not in coded.columns


def test_facts_and_tables_frames(sample_report: Report) -> None:
    facts = frames.facts_frame(sample_report)
    assert len(facts) == len(sample_report.facts)
    assert facts["金额"].map(type).eq(Decimal).all()
    tables = frames.tables_frame(sample_report).set_index("表")
    assert tables.loc["公开06", "页码"] == "第 11–12 页"
    assert "没有使用" in tables.loc["公开07", "说明"]


def test_tables_frame_lists_what_the_template_has(sample_report: Report) -> None:
    """A 高等学校四表 report lacks no 公开04 (its set has none): only the template's own
    tables can be 未找到; a found table the template does not name is listed after them."""
    four = ("公开01", "公开02", "公开03", "公开05")
    university = replace(
        sample_report,
        template="高等学校四表",
        tables=tuple(t for t in sample_report.tables if t.id in four),
    )
    listed = frames.tables_frame(university).set_index("表")
    assert list(listed.index) == list(four)
    assert not (listed["页码"] == "未找到").any()
    lacking = replace(university, tables=tuple(t for t in university.tables if t.id != "公开03"))
    listed = frames.tables_frame(lacking).set_index("表")
    assert list(listed.index) == list(four)
    assert listed.loc["公开03", "页码"] == "未找到"
    extra = replace(university, tables=sample_report.tables)  # 公开04 etc. found all the same
    assert list(frames.tables_frame(extra)["表"])[:4] == list(four)
    assert "公开07" in set(frames.tables_frame(extra)["表"])


def test_empty_report_gives_empty_frames(sample_report: Report) -> None:
    nothing = empty(sample_report)
    for build in (
        frames.flow_frame,
        frames.balance_frame,
        frames.spending_split_frame,
        frames.classification_frame,
        frames.classification_table,
        frames.personnel_public_frame,
        frames.economic_frame,
        frames.three_public_frame,
        frames.three_public_counts,
        frames.budget_execution_frame,
        frames.item_change_frame,
        frames.checks_frame,
        frames.facts_frame,
        frames.narrative_frame,
    ):
        assert build(nothing).empty, build.__name__
    assert frames.table_frame(nothing, "公开01").empty
    assert (frames.tables_frame(nothing)["页码"] == "未找到").all()


# -- files --------------------------------------------------------------------------------------


def test_csv_opens_in_excel(sample_report: Report) -> None:
    data = export.frame_csv(frames.table_frame(sample_report, "公开01"))
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Chinese
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "分区,项目,决算数,页码"
    assert "收入,一般公共预算财政拨款收入,243.54,5" in text


def test_file_stem(sample_report: Report) -> None:
    assert (
        export.file_stem(sample_report, "收支流向")
        == "福建省12345政务服务便民热线中心_2024_收支流向"
    )
    assert export.file_stem(replace(sample_report, unit="a/b c", year=None), "图") == "abc_图"


# -- 看板 II: what the overview says, absent is not zero, plain checks -------------------------


def test_overview_sentence_of_the_sample(sample_report: Report) -> None:
    said = frames.balance_sentence(sample_report)
    assert said.startswith(
        "本年收入 243.54 万元，本年支出 211.09 万元，收入比支出多 32.45 万元，"
        "年末结转和结余 107.98 万元。"
    )
    assert "本年收入减少 32.59 万元，下降 11.80%" in said
    assert "本年支出增加 10.24 万元，增长 5.10%" in said


def test_flat_is_said_as_flat(sample_report: Report) -> None:
    three = {k.label: k for k in frames.find_kpis(sample_report)}["三公经费"]
    assert three.flat
    assert three.delta_short == "持平"  # not "+0.00" (drawn as "↑ 0.00")
    income = {k.label: k for k in frames.find_kpis(sample_report)}["本年收入"]
    assert not income.flat and income.delta_short == "-11.80%"


def test_the_blank_template_is_recognised(
    template_report: Report, sample_report: Report, putuo_report: Report
) -> None:
    assert frames.is_blank_template(template_report)
    assert not frames.is_blank_template(sample_report)
    assert not frames.is_blank_template(putuo_report)
    assert "空白模板" in frames.balance_sentence(template_report)
    kpis = frames.find_kpis(template_report)
    # absent is never zero and never "all clear"
    assert all(k.value is None for k in kpis)
    assert {k.label: k.text for k in kpis}["核验发现的问题"] == "未核验"


def test_three_public_absent_is_not_zero(
    template_report: Report, sample_report: Report, putuo_report: Report
) -> None:
    blank = frames.three_public_state(template_report)
    assert blank.state == "blank" and blank.words.startswith("未列示")
    assert "均为零" not in blank.words and "没有“三公”经费支出" not in blank.words
    missing = frames.three_public_state(replace(putuo_report, tables=(), facts=(), narrative=()))
    assert missing.state == "missing" and missing.words.startswith("未列示")
    # putuo: a blank 公开07 whose own note says there was none
    none = frames.three_public_state(putuo_report)
    assert none.state == "none" and "本表无数据" in none.words and none.pages == (14,)
    # the sample prints zeros
    assert frames.three_public_state(sample_report).state == "none"
    kpi = {k.label: k for k in frames.find_kpis(template_report)}["三公经费"]
    assert kpi.value is None and kpi.text == "未列示"


def test_three_public_rate_needs_a_budget(sample_report: Report) -> None:
    # the text says "完成全年预算的0%", but no 预算数 is printed: no 完成预算 is shown
    frame = frames.three_public_frame(sample_report)
    assert frame["预算数"].isna().all()
    assert frame["完成预算"].isna().all()


def test_personnel_share_is_one_figure(putuo_report: Report, sample_report: Report) -> None:
    # 95.36 ÷ 105.58 (公开05 基本支出) = 90.32%; ÷ (95.36 + 10.23) would be 90.31%
    for report in (putuo_report, sample_report):
        kpi = {k.label: k for k in frames.find_kpis(report)}["人员经费占基本支出"]
        split = frames.personnel_public_frame(report).set_index("类别")
        assert kpi.value == split.loc["人员经费", "占比"]
    assert {k.label: k for k in frames.find_kpis(putuo_report)}["人员经费占基本支出"].value == D(
        "90.32"
    )


def test_score_rows_add_up_to_the_total(sample_report: Report) -> None:
    perf = frames.main_performance(sample_report)
    assert perf is not None and perf.total_score == D("96.62")
    rows = frames.score_frame(perf)
    assert sum(rows["得分"], D(0)) == perf.total_score
    assert rows["三级指标"].iloc[-1] == "预算执行率（资金总额）"


def test_findings_speak_plainly(putuo_report: Report, sample_report: Report) -> None:
    said = [f.sentence for f in frames.find_findings(putuo_report)]
    assert (
        "公开05 的基本支出是 105.58 万元，比公开06 人员经费合计、公用经费合计相加的 105.59 万元"
        "少 0.01 万元，属于四舍五入尾差。"
    ) in said
    assert all("Σ" not in s and " + " not in s for s in said)
    # problems come first
    failed = Check(
        "公开01 收入总计 = 支出总计", False, D("1.00"), D("2.00"), D("0.005"), ("公开01",), (5,)
    )
    report = replace(sample_report, checks=(*sample_report.checks, failed))
    first = frames.find_findings(report)[0]
    assert first.state == "failed" and first.pages == (5,)
    assert first.sentence == (
        "公开01 的收入总计是 2.00 万元，比支出总计的 1.00 万元多 1.00 万元，"
        "超出四舍五入的范围，需要对照原表核实。"
    )
    counts = {k.label: k for k in frames.find_kpis(report)}["核验发现的问题"]
    assert counts.text == "1 个"


def test_classification_falls_back_to_公开05(putuo_report: Report) -> None:
    without_03 = replace(
        putuo_report,
        tables=tuple(t for t in putuo_report.tables if t.id != "公开03"),
        facts=tuple(f for f in putuo_report.facts if f.table != "公开03"),
    )
    assert frames.classification_source(without_03) == ("公开05", "项目支出")
    tree = frames.classification_frame(without_03).set_index("编码")
    assert not tree.empty
    printed = {
        f.code: f.value for f in putuo_report.facts_of("公开05") if f.code and f.column == "合计"
    }
    assert all(
        tree.loc[code, "金额"] == value for code, value in printed.items() if code in tree.index
    )


def test_branch_list_is_sorted(putuo_report: Report) -> None:
    top = frames.branch_table(putuo_report)
    assert list(top["级次"].unique()) == ["类"]
    amounts = list(top["金额"])
    assert amounts == sorted(amounts, reverse=True)
    kids = frames.branch_table(putuo_report, code=str(top["科目"].iloc[0]).split(" ")[0])
    assert set(kids["级次"]) == {"款"}
    assert sum(kids["占比"], D(0)) == pytest.approx(D(100), abs=D("0.05"))


def test_a_grand_total_printed_as_a_bare_heji_is_the_income_total_and_keeps_no_foreign_change() -> (
    None
):
    # 西南大学 (高等学校 表1) prints its grand total as 合计 569,496.54; its text calls
    # 本年收入 430,725.03 "收入总计" and gives that a change on last year: the card shows the
    # table's grand total, and the text's change (which belongs to another amount) is left out
    from conftest import CORPUS

    from core.accounts.parse import parse_report

    report = parse_report(CORPUS / "xinan-daxue-2023-bumen-juesuan.pdf")
    total = next(k for k in frames.find_kpis(report) if k.label == "收入总计")
    assert total.value == Decimal("569496.54") and total.pages == (9,)
    assert total.change is None and total.growth is None


def test_every_amount_card_names_the_printed_cell_it_was_taken_from() -> None:
    # the source view opens a card's own cell: 西南大学's 收入总计 is the bare 合计 row, which
    # no search by the card's name finds (its 原文 button was missing)
    from conftest import CORPUS, PUTUO_PDF, SAMPLE_PDF

    from core.accounts.parse import parse_report

    for path in (CORPUS / "xinan-daxue-2023-bumen-juesuan.pdf", SAMPLE_PDF, PUTUO_PDF):
        report = parse_report(path)
        balance = ("本年收入", "本年支出", "年末结转和结余", "收入总计")
        cards = [k for k in frames.find_kpis(report) if k.label in balance]
        assert len(cards) == 4
        for kpi in cards:
            if kpi.value is None or kpi.note:  # 未列示, or worked out from other rows
                continue
            assert [f.value for f in kpi.facts] == [kpi.value], kpi.label
            assert all(f.page in kpi.pages and f.box is not None for f in kpi.facts), kpi.label


def test_the_balance_brought_forward_under_its_other_name() -> None:
    # 西南大学 (高等学校 表1, page 9) prints 上年结转和结余 93,660.54 where the nine-table set
    # has 年初结转和结余: the waterfall drew it as 0.00 and claimed a gap of 93,660.54
    from conftest import CORPUS

    from core.accounts.parse import parse_report
    from core.present import charts

    report = parse_report(CORPUS / "xinan-daxue-2023-bumen-juesuan.pdf")
    steps = frames.balance_frame(report)
    assert steps["金额"].iloc[0] == Decimal("93660.54")
    assert sum(steps["金额"].iloc[:-1]) == steps["金额"].iloc[-1] == Decimal("106848.91")
    fig = charts.build_waterfall_chart(report)
    assert fig is not None and not fig.layout.annotations  # no gap to speak of
    assert frames.overview_bars(report)[0] == ("年初结转和结余", Decimal("93660.54"), 9)
    # the Sankey's sources add up to its middle node, 收支总计 569,496.54 (page 9)
    flows = frames.flow_frame(report)
    into = flows.loc[flows["去向"] == "收支总计", "金额"]
    assert sum(into) == Decimal("569496.54")
    assert Decimal("93660.54") in set(into)


def test_a_balance_without_an_opening_is_not_drawn_as_zero(sample_report: Report) -> None:
    """A 公开01 that prints no 年初结转和结余: its bar says 未列示 and no gap is claimed (the
    computed closing lacks the opening, so any gap would be ours)."""
    from core.present import charts
    from core.present.brief import takeaways

    facts = tuple(
        f for f in sample_report.facts if not (f.table == "公开01" and f.item == "年初结转和结余")
    )
    report = replace(sample_report, facts=facts)
    fig = charts.build_waterfall_chart(report)
    assert fig is not None
    assert fig.to_dict()["data"][0]["text"][0] == "未列示"
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "尾差" not in notes and "年初结转和结余：表中未列示" in notes  # says why, claims no gap
    assert "比年初" not in takeaways._say_balance(report)


def test_a_repair_is_a_note_not_a_check(sample_report: Report) -> None:
    from core.accounts.checks import check_damaged
    from core.pdf.damage import XREF_REPAIRED

    repaired = replace(sample_report, repairs=(XREF_REPAIRED,))
    (note,) = check_damaged(repaired)
    assert note.ok and note.kind == "repaired" and note.pages == ()
    report = replace(repaired, checks=(*sample_report.checks, note))
    # counted among no checks: the same counts as the report without it
    assert frames.check_counts(report) == frames.check_counts(sample_report)
    findings = frames.find_findings(report)
    assert findings[-1].state == "note" and "交叉引用表" in findings[-1].sentence
    table = frames.checks_frame(report)
    assert list(table[table["类别"] == "文件修复"]["状态"]) == ["说明"]
    # a rebuild that lost objects is no repair: the pages are named, the rebuild said
    lost = replace(repaired, damaged_pages=(3,), damage_reasons=("its font program is missing",))
    (check,) = check_damaged(lost)
    assert not check.ok and check.kind == "damaged" and "重建" in check.rule


def test_a_check_sentence_names_a_total_once() -> None:
    """西南大学's 数据核验 said "公开03 的合计的合计是 457,676.75 万元" for the 合计 row's 合计
    column; a row and column of one name are named once, others as before."""
    from core.present.frames.checks import check_sentence
    from core.records import Check

    def sentence(rule: str) -> str:
        return check_sentence(
            Check(rule, True, D("457676.74"), D("457676.75"), D("0.03"), ("公开03",), (13,))
        )

    said = sentence("公开03 合计：合计 = 基本支出 + 项目支出")
    assert said.startswith("公开03 的合计是 457,676.75 万元，比基本支出、项目支出相加的")
    assert "合计的合计" not in said
    assert sentence("公开03 205：项目支出 = Σ款（项目支出）").startswith("公开03 的205的项目支出")
