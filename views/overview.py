"""总览: 收支 in one sentence and one chart, the headline figures, and what the checks found."""

import streamlit as st

from core import ui
from core.present import frames

report = ui.require_report()
ui.page_header(report, "总览", f"文件 {report.file_name}，共 {report.pages} 页", unit_as_title=True)

# -- the answer in one sentence -----------------------------------------------------------------
if frames.is_blank_template(report):
    st.warning(frames.balance_sentence(report), icon=":material/draft:")
else:
    ui.lead(frames.balance_sentence(report))

# -- headline figures ---------------------------------------------------------------------------
ui.kpi_cards(frames.find_kpis(report))
ui.above_the_fold()  # a new tab's first run pauses here: the browser draws the cards first

# -- income, spending, carry-over ---------------------------------------------------------------
bars = frames.overview_bars(report)
if bars:
    pages = frames.format_pages(sorted({p for _n, _v, p in bars}))
    ui.bar_rows(bars, f"收入、支出与结转（万元，公开01，PDF {pages}）")

# -- what the checks found ----------------------------------------------------------------------
with st.container(border=True, horizontal=True, vertical_alignment="center"):
    counts = frames.check_counts(report)
    clear = sum(counts.values()) > 0 and not (counts["failed"] or counts["missing"])
    icon = ":material/verified:" if clear else ":material/warning:"
    st.markdown(f"{icon} {ui.checks_line(report)}")
    st.page_link("views/checks.py", label="查看数据核验", icon=":material/arrow_forward:")
# how the file was read (a repaired cross-reference table): a note, not a problem
for note in (c for c in report.checks if c.kind in frames.NOTE_KINDS):
    st.caption(frames.check_sentence(note))

# -- the tables found ---------------------------------------------------------------------------
with st.expander("本报告中的公开表"):
    # nine rows as a markdown table: the notes wrap instead of being cut at 1280 px, and a
    # new tab does not load the Arrow code of st.table / st.dataframe for a folded table
    st.markdown(ui.markdown_table(frames.tables_frame(report)))
