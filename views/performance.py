"""绩效自评: the score on a gauge with its grade bands, the indicators, and budget execution."""

import streamlit as st

from core import ui
from core.present import charts, frames

#: The indicator table's column widths (px): with the 原文 buttons (56) and the row selector
#: (36), under the 1280-px page's 818 px of content. 一级 and 二级 share one column (指标类别)
#: and the two target columns have short headers: as nine columns it was 872 px wide.
INDICATOR_WIDTHS = {
    "指标类别": 112,
    "三级指标": 180,
    "年度指标值": 84,
    "实际完成值": 84,
    # a score such as "19.50" whole on one line
    "分值": 58,
    "得分": 58,
    "扣分": 58,
}
#: Short headers for the narrow columns (the full name is the header's tooltip).
INDICATOR_LABELS = {"年度指标值": "指标值", "实际完成值": "完成值"}
INDICATOR_LINES = 3


def _category(level1: object, level2: object) -> str:
    """一级 and 二级 指标 in one cell ("产出指标 · 数量指标"), a name said once when both
    levels print the same one."""
    names = [str(n) for n in (level1, level2) if isinstance(n, str) and n]
    return " · ".join(dict.fromkeys(names))


report = ui.require_report()
ui.page_header(report, "绩效自评", "单位整体或项目支出绩效自评表")

if not report.performance:
    # -- no scorecard: what the narrative says about 绩效 ----------------------------------------
    ui.empty_state("本报告没有附绩效自评表，下面列出说明部分中与绩效有关的内容。")
    stated = frames.performance_narrative_frame(report)
    scores = stated.loc[stated["单位"] == "分"].drop_duplicates("主题")
    for _, row in scores.iterrows():
        with st.container(border=True):
            st.metric(
                f"说明中的{row['主题']}", f"{frames.format_score(row['数值'])} 分", help=row["原文"]
            )
            st.caption(f"见 PDF 第 {row['页码']} 页")
    if stated.empty:
        st.caption("说明部分也没有写到绩效自评的数字。")
    else:
        for sentence, group in stated.groupby("原文", sort=False):
            with st.container(border=True):
                figures = "　".join(
                    f"**{row['主题']}** {frames.format_amount(row['数值']) if row['单位'] == '万元' else frames.format_score(row['数值'])} {row['单位']}"
                    for _, row in group.iterrows()
                )
                st.markdown(figures)
                st.caption(f"“{sentence}”　见 PDF 第 {group['页码'].iloc[0]} 页")
    ui.end_page()

# -- which scorecard ----------------------------------------------------------------------------
cards = list(report.performance)
perf = frames.main_performance(report) or cards[0]
if len(cards) > 1:
    perf = st.selectbox(
        "自评表",
        cards,
        index=cards.index(perf),
        format_func=lambda p: (
            f"{p.title}{'：' + p.project if p.project else ''}（第 {frames.format_pages(p.pages)}）"
        ),
        key="performance-card",
    )

# -- score and budget execution -----------------------------------------------------------------
gauge_col, funds_col = st.columns(2)
with gauge_col:
    fig = ui.chart(charts.build_score_gauge_chart, report, perf)
    if fig is None:
        ui.empty_state("自评表中没有读到总分。")
    else:
        ui.show_chart(report, fig, "绩效自评得分", key="gauge")
with funds_col:
    total = next((f for f in perf.funds if f.execution_rate is not None), None)
    if total is not None:
        st.metric(
            f"预算执行率（{total.name}）",
            frames.format_percent(total.execution_rate),
            help=f"全年执行数 ÷ 全年预算数，见 PDF 第 {total.page} 页",
        )
        st.caption(
            f"全年执行数 {frames.format_amount(total.executed)} 万元 ÷ 全年预算数 "
            f"{frames.format_amount(total.full_year_budget)} 万元　见 PDF 第 {total.page} 页"
        )
    fig = ui.chart(charts.build_fund_execution_chart, report, perf)
    if fig is None:
        ui.empty_state("自评表中没有资金执行数。")
    else:
        ui.show_chart(report, fig, "预算资金执行", key="funds")

# -- indicators ---------------------------------------------------------------------------------
st.subheader("绩效指标")
indicators = frames.score_frame(perf)
if indicators.empty:
    ui.empty_state("自评表中没有读到绩效指标。")
else:
    total = perf.total_score
    got = sum((s for s in indicators["得分"] if s is not None), start=type(total or 0)(0))
    st.caption(
        f"各项得分合计 {frames.format_score(got)} 分"
        + (f"，自评表总分 {frames.format_score(total)} 分。" if total is not None else "。")
    )
    table = indicators.drop(columns=["偏差原因分析及改进措施"])
    table.insert(
        0,
        "指标类别",
        [_category(a, b) for a, b in zip(table["一级指标"], table["二级指标"], strict=True)],
    )
    ui.money_table(
        table,
        # kept in the frame: a row's printed cells are found by its columns
        hide=("一级指标", "二级指标"),
        # every column inside 1280 px, the 原文 buttons and the page column included; the
        # names and targets wrap onto up to three lines (the grid cuts one-line text off
        # with "…")
        widths=INDICATOR_WIDTHS,
        labels=INDICATOR_LABELS,
        row_height=ui.wrap_row_height(INDICATOR_LINES),
        # every row in view: the grid's own height showed five and scrolled the rest
        height=ui.table_height(len(indicators), ui.wrap_row_height(INDICATOR_LINES)),
        key="indicators",
    )
    notes = indicators.loc[indicators["偏差原因分析及改进措施"].fillna("") != ""]
    if not notes.empty:
        with st.expander(f"偏差原因分析及改进措施（{len(notes)} 条）"):
            for _, row in notes.iterrows():
                st.markdown(f"**{row['三级指标']}**：{row['偏差原因分析及改进措施']}")
    fig = ui.chart(charts.build_indicator_chart, report, perf)
    if fig is not None:
        ui.show_chart(report, fig, "各指标得分与分值", key="indicator-bars")
