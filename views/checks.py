"""数据核验: every accounting identity tested, passed or failed, with the gap and the pages."""

import streamlit as st

from core import ui
from core.present import frames

report = ui.require_report()
ui.page_header(report, "数据核验", "表内平衡、表间勾稽、说明与表的一致性")

# -- summary ------------------------------------------------------------------------------------
counts = frames.check_counts(report)
for col, (state, label) in zip(st.columns(4), frames.CHECK_STATES.items(), strict=True):
    with col, st.container(border=True):
        st.metric(label, f"{counts[state]} 项")
st.markdown(ui.checks_line(report))

# -- every check --------------------------------------------------------------------------------
table = frames.checks_frame(report)
if table.empty:
    ui.empty_state("本报告没有可核对的勾稽关系。")
else:
    only_problems = st.toggle("只看未通过和缺表", value=False, key="checks-problems")
    if only_problems:
        table = table.loc[table["状态"].isin(["未通过", "缺表"])]
    if table.empty:
        ui.empty_state("没有未通过的核验，也不缺标准表。", kind="success")
    else:
        ui.money_table(table, amounts=("应为", "实为", "差额"), key="checks-table")
        st.caption("差额 = 实为 − 应为；在容差以内（每个相加的数 ±0.005 万元的舍入）算作尾差通过。")
