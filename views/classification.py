"""功能分类: 类→款→项 as a treemap beside a sorted table; spending (公开03) or income (公开02)."""

import streamlit as st

from core import ui
from core.present import charts, frames

report = ui.require_report()
ui.page_header(report, "功能分类", "按支出功能分类科目看钱花在哪里")

side = st.segmented_control(
    "看哪一侧",
    ["支出", "收入"],
    default="支出",
    required=True,
    key="classification-side",
    format_func=lambda s: (
        "支出（公开03 支出决算表）" if s == "支出" else "收入（公开02 收入决算表）"
    ),
)
side = side or "支出"
table_id, colour_col = frames.CLASSIFICATION_SIDES[side]

# -- treemap and table --------------------------------------------------------------------------
fig = ui.chart(charts.build_treemap_chart, report, side)
if fig is None:
    ui.empty_state(f"本报告没有可读的{frames.table_title(report, table_id)}，或表中没有金额。")
else:
    chart_col, table_col = st.columns([4, 3])
    with chart_col:
        ui.show_chart(report, fig, f"功能分类{side}", key=f"treemap-{side}")
        st.caption(
            f"方块大小为金额，颜色为{colour_col}所占比例。点击方块进入下一级，点击顶部路径返回上一级。"
        )
    with table_col:
        st.markdown("**各项（项级科目）金额，从大到小**")
        ui.money_table(
            frames.classification_table(report, side),
            amounts=("金额", colour_col),
            percents=("占比",),
            widths={"科目": 210},
            key=f"classification-table-{side}",
        )
