"""总览: the unit, year and scope; headline figures with last year's change; the checks in a line."""

import streamlit as st

from core import ui
from core.present import frames

report = ui.require_report()
ui.page_header(report, "总览", f"文件 {report.file_name}，共 {report.pages} 页", unit_as_title=True)

# -- headline figures ---------------------------------------------------------------------------
ui.kpi_cards(frames.find_kpis(report))

# -- what the checks found ----------------------------------------------------------------------
with st.container(border=True, horizontal=True, vertical_alignment="center"):
    counts = frames.check_counts(report)
    icon = (
        ":material/verified:"
        if not (counts["failed"] or counts["missing"])
        else ":material/warning:"
    )
    st.markdown(f"{icon} {ui.checks_line(report)}")
    st.page_link("views/checks.py", label="查看数据核验", icon=":material/arrow_forward:")

# -- the tables found ---------------------------------------------------------------------------
with st.expander("本报告中的公开表"):
    ui.money_table(frames.tables_frame(report), key="overview-tables")
