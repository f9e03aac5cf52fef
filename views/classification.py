"""功能分类: 类→款→项 as a treemap, and under it the sorted list of the branch in view."""

import streamlit as st

from core import ui
from core.present import charts, frames
from core.present.charts.classification import SCREEN_HINT

report = ui.require_report()
ui.page_header(report, "功能分类", "按支出功能分类科目看钱花在哪里")

side = st.segmented_control(
    "看哪一侧",
    ["支出", "收入"],
    default="支出",
    required=True,
    key="classification-side",
    format_func=lambda s: (
        f"支出（{frames.table_title(report, frames.classification_source(report, '支出')[0])}）"
        if s == "支出"
        else "收入（公开02 收入决算表）"
    ),
)
side = side or "支出"
table_id, colour_col = frames.classification_source(report, side)
if side == "支出" and table_id != frames.CLASSIFICATION_SIDES["支出"][0]:
    st.caption(
        "本报告没有可读的公开03 支出决算表，这里改用公开05 一般公共预算财政拨款支出决算表"
        "（只含一般公共预算财政拨款）。"
    )

# -- which branch -------------------------------------------------------------------------------
tree = frames.classification_frame(report, side)
if tree.empty or not any(tree["规模"]):
    ui.empty_state(f"本报告没有可读的{frames.table_title(report, table_id)}，或表中没有金额。")
    ui.end_page()
classes = tree.loc[tree["级次"] == "类"]
names = {"": "全部类"} | {
    c: f"{c} {n}　{frames.format_amount(v)} 万元"
    for c, n, v in zip(classes["编码"], classes["名称"], classes["金额"], strict=True)
}
branch = st.selectbox(
    "看哪一类（也可以在图中点击方块进入下一级，同时打开它的原文）",
    list(names),
    format_func=names.__getitem__,
    key=f"classification-branch-{side}",
)

# -- treemap ------------------------------------------------------------------------------------
fig = ui.chart(charts.build_treemap_chart, report, side, branch or "")
if fig is not None:
    st.caption(SCREEN_HINT)  # not in the figure: its PNG goes on a slide, where nothing clicks
    ui.show_chart(report, fig, f"功能分类{side}", key=f"treemap-{side}")

# -- the branch as a sorted list (OpenSpending style) -------------------------------------------
label = "各类" if not branch else names[branch].split("　")[0] + " 之下"
st.markdown(f"**{label}，从大到小**")
ui.money_table(
    frames.branch_table(report, side, branch or ""),
    amounts=("金额",),
    percents=("占比",),
    widths={"科目": 360, "级次": 60},
    key=f"classification-branch-table-{side}",
)
with st.expander("全部项级科目，从大到小"):
    ui.money_table(
        frames.classification_table(report, side),
        amounts=("金额", colour_col),
        percents=("占比",),
        widths={"科目": 360},
        key=f"classification-table-{side}",
    )
