"""收支平衡: where the money came from and went, the carry-over, 基本支出 against 项目支出."""

import streamlit as st

from core import ui
from core.present import charts

report = ui.require_report()
ui.page_header(report, "收支平衡", "收入从哪里来、支出到哪里去")

# -- 收支流向 ------------------------------------------------------------------------------------
fig = ui.chart(charts.build_sankey_chart, report)
if fig is None:
    ui.empty_state("本报告没有可读的公开01 收入支出决算总表，无法画出收支流向。")
else:
    ui.show_chart(report, fig, "收支流向", key="sankey")
    st.caption(charts.sankey_caption(report))

# -- 结转结余 ------------------------------------------------------------------------------------
waterfall = ui.chart(charts.build_waterfall_chart, report)
# beside the next chart when its steps fit half the page at 1280 px, else across the page
# (a 高等学校 has six steps in six-figure 万元)
wide = waterfall is not None and not charts.category_slot_fits(waterfall, charts.HALF_WIDTH_1280)
left, right = (st.container(), st.columns(2)[0]) if wide else st.columns(2)
with left:
    if waterfall is None:
        ui.empty_state("公开01 中缺少本年收入合计或本年支出合计，无法画出结转结余的变化。")
    else:
        ui.show_chart(report, waterfall, "结转结余", key="waterfall")

# -- 基本支出与项目支出 ----------------------------------------------------------------------------
with right:
    fig = ui.chart(charts.build_spending_split_chart, report)
    if fig is None:
        ui.empty_state(
            "本报告没有可读的支出决算表（公开03 或公开05），无法区分基本支出和项目支出。"
        )
    else:
        ui.show_chart(report, fig, "基本支出与项目支出", key="split")
