"""预算执行: each 项's 全年预算数 against its 决算数, as the narrative states them."""

import streamlit as st

from core import ui
from core.present import charts, frames

report = ui.require_report()
ui.page_header(report, "预算执行", "全年预算数与决算（执行）数")

# -- the whole budget ---------------------------------------------------------------------------
overall = frames.budget_overall(report)
if overall:
    labels = {
        "initial_budget": "年初预算数",
        "budget": "全年预算数",
        "actual": "支出决算数",
        "rate": "说明中的完成率",
    }
    st.subheader("一般公共预算财政拨款支出")
    columns = st.columns(len(overall))
    for col, (kind, fig_) in zip(columns, overall.items(), strict=True):
        with col, st.container(border=True):
            text = (
                frames.format_percent(fig_.value)
                if kind == "rate"
                else f"{frames.format_amount(fig_.value)} 万元"
            )
            st.metric(labels[kind], text, help=fig_.sentence)
            st.caption(f"见 PDF 第 {fig_.page} 页")

# -- each 项 ------------------------------------------------------------------------------------
fig = ui.chart(charts.build_budget_execution_chart, report)
if overall and fig is not None:
    st.subheader("各项目")
if fig is not None:
    ui.show_chart(report, fig, "预算执行", key="budget")
    table = frames.budget_execution_frame(report)
    # a budget the text never states is said to be absent, not shown as an empty column
    absent = [c for c in ("年初预算数", "全年预算数") if table[c].isna().all()]
    rates = {"年初预算数": "年初完成率", "全年预算数": "执行率"}
    ui.money_table(
        table.drop(columns=[*absent, *(rates[c] for c in absent)]),
        amounts=("年初预算数", "全年预算数", "决算数"),
        percents=("执行率", "年初完成率", "说明执行率"),
        key="budget-table",
    )
    notes = [
        "执行率 = 决算数 ÷ 全年预算数" if "全年预算数" not in absent else "",
        "年初完成率 = 决算数 ÷ 年初预算数" if "年初预算数" not in absent else "",
        "“说明执行率”是说明原文写出的完成比例",
    ]
    said = "；".join(n for n in notes if n)
    if absent:
        said += f"。本报告说明部分没有列出各项目的{'、'.join(absent)}，表中不列"
    st.caption(said + "；“—”为说明未写出的数。")
else:
    perf = frames.main_performance(report)
    funds = ui.chart(charts.build_fund_execution_chart, report, perf) if perf else None
    if funds is not None and perf is not None:
        # the scorecard's funds block is the report's own budget execution
        st.subheader("预算资金执行（绩效自评表）")
        ui.show_chart(report, funds, "预算资金执行", key="budget-funds")
        ui.money_table(
            frames.fund_frame(perf),
            amounts=("年初预算数", "全年预算数", "全年执行数"),
            percents=("执行率",),
            key="budget-funds-table",
        )
    ui.empty_state(
        "本报告的说明部分没有列出各项目的年初预算数或全年预算数，无法逐项对比预算与决算。"
    )
    fig = ui.chart(charts.build_item_change_chart, report)
    if fig is not None:
        # not budget execution: each 项's 决算数 against last year's, said as such
        st.subheader("另：各项目决算数与上年相比")
        st.caption("这不是预算执行：说明部分只写出了各项目比上年增减多少。")
        ui.show_chart(report, fig, "各项目较上年增减", key="item-change")
        ui.money_table(
            frames.item_change_frame(report),
            amounts=("决算数", "较上年"),
            percents=("增幅",),
            key="item-change-table",
        )
