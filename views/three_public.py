"""三公: 公开07's six headings, 决算数 against 预算数, and the counts the narrative states."""

import streamlit as st

from core import ui
from core.present import charts, frames

report = ui.require_report()
ui.page_header(report, "三公经费", "因公出国（境）费、公务用车购置及运行维护费、公务接待费")

info = report.table("公开07")
spending = frames.three_public_frame(report)
state = frames.three_public_state(report)

# -- 决算与预算 -----------------------------------------------------------------------------------
fig = ui.chart(charts.build_three_public_chart, report)
if fig is not None:
    ui.show_chart(report, fig, "三公经费", key="three-public")
    ui.money_table(
        spending, amounts=("预算数", "决算数"), percents=("完成预算",), key="three-public-table"
    )
    if spending["预算数"].isna().all():
        st.caption("报告没有列示“三公”经费的预算数，因此不计算完成预算的比例。")
elif state.state == "none":
    # the report itself says there was none: a note, printed zeros or a sentence
    where = f"（见 PDF {frames.format_pages(state.pages)}）" if state.pages else ""
    ui.empty_state(f"**{state.words}**{where}", kind="success")
    if not spending.empty:
        ui.money_table(
            spending, amounts=("预算数", "决算数"), percents=("完成预算",), key="three-public-table"
        )
else:
    # absent is not zero: say what was not found
    ui.empty_state(state.words, kind="warning")

# -- 说明中的数量 ---------------------------------------------------------------------------------
st.subheader("出国、用车与接待的数量")
counts = frames.three_public_counts(report)
if counts.empty:
    ui.empty_state("说明部分没有列出出国团组、公务用车和公务接待的数量。")
else:
    columns = st.columns(min(len(counts), 4))
    for i, row in counts.reset_index(drop=True).iterrows():
        with columns[int(i) % len(columns)], st.container(border=True):
            st.metric(
                row["项目"], f"{frames.format_score(row['数量'])} {row['单位']}", help=row["原文"]
            )
            st.caption(f"见 PDF 第 {row['页码']} 页")
