"""人员与公用: 人员经费 against 公用经费, and every 经济分类 款 of 公开06 as sorted bars."""

import streamlit as st

from core import ui
from core.present import charts, frames

report = ui.require_report()
ui.page_header(report, "人员与公用", "一般公共预算财政拨款基本支出的构成")

# -- 人员经费与公用经费 ----------------------------------------------------------------------------
fig = ui.chart(charts.build_personnel_chart, report)
if fig is None:
    ui.empty_state("本报告没有可读的公开06 基本支出决算表，也没有在说明中列出人员经费和公用经费。")
else:
    chart_col, table_col = st.columns([3, 2], vertical_alignment="center")
    with chart_col:
        ui.show_chart(report, fig, "人员经费与公用经费", key="personnel")
    with table_col:
        ui.money_table(
            frames.personnel_public_frame(report),
            amounts=("金额",),
            percents=("占比",),
            key="personnel-table",
        )

# -- 经济分类明细 ---------------------------------------------------------------------------------
# without a 公开06 (or with a blank one, a template's) there is nothing to toggle, and a second
# "公开06 中没有…金额" under "没有可读的公开06" says the same thing twice
if report.table("公开06") is None or not report.facts_of("公开06"):
    if fig is not None:  # the split above came from the narrative: say what is missing
        ui.empty_state("本报告没有可读的公开06 基本支出决算表，列不出经济分类明细。")
    ui.end_page()
include_zero = st.toggle("显示金额为零的科目", value=False, key="economic-zero")
fig = ui.chart(charts.build_economic_chart, report, include_zero=include_zero)
if fig is None:
    ui.empty_state("公开06 中没有经济分类科目的金额。")
else:
    ui.show_chart(report, fig, "经济分类明细", key="economic")
    with st.expander("经济分类明细表"):
        ui.money_table(
            frames.economic_frame(report, include_zero=include_zero),
            amounts=("金额",),
            key="economic-table",
        )
