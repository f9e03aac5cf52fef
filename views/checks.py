"""数据核验: how many problems, each in one plain sentence with its pages; every check folded below."""

import streamlit as st

from core import ui
from core.present import frames
from core.ui import source

report = ui.require_report()
ui.page_header(report, "数据核验", "表内平衡、表间勾稽、说明与表的一致性")

# -- the answer ---------------------------------------------------------------------------------
counts = frames.check_counts(report)
total = sum(counts.values())
findings = frames.find_findings(report)
problems = [f for f in findings if f.state in ("failed", "missing")]
tails = [f for f in findings if f.state == "rounding"]
if total == 0:
    ui.empty_state(
        "没有可核对的数字：报告中没有读到金额，所以没有做任何核对（这不等于没有问题）。",
        kind="warning",
    )
    ui.end_page()
if problems:
    ui.lead(f"核对了 {total} 项，发现 {len(problems)} 个问题，需要对照原表核实。")
else:
    ui.lead(
        f"核对了 {total} 项，没有发现问题。"
        + (f"有 {len(tails)} 处几分钱的四舍五入尾差，属正常。" if tails else "")
    )


def _finding(f: frames.Finding, number: int) -> None:
    with st.container(border=True):
        st.markdown(f"**{number}.** {f.sentence}")
        if f.pages:
            with st.container(horizontal=True, gap="small"):
                for p in f.pages:
                    st.page_link(
                        "views/raw.py",
                        label=f"PDF 第 {p} 页",
                        query_params={"page": str(p)},
                        icon=":material/description:",
                    )
                source.finding_button(report, f.sentence, key=f"finding-{number}")


# -- problems first -----------------------------------------------------------------------------
if problems:
    st.subheader(f"问题（{len(problems)} 个）")
    for i, f in enumerate(problems, start=1):
        _finding(f, i)

# -- rounding tails -----------------------------------------------------------------------------
if tails:
    st.subheader(f"四舍五入尾差（{len(tails)} 处，不算问题）")
    st.caption("表中每个数都四舍五入到分，几个数相加时会差一两分钱，在允许范围之内。")
    for i, f in enumerate(tails, start=1):
        _finding(f, i)

# -- every check, folded ------------------------------------------------------------------------
# A toggle, not an expander: an expander's table is drawn even while folded, and a few
# hundred wrapped rows cost the page switch a second in the browser.
if st.toggle(f"显示全部 {total} 项核对明细", value=False, key="checks-all"):
    table = frames.checks_frame(report)
    table.insert(1, "说明", [frames.check_sentence(c) for c in frames.ordered_checks(report)])
    # A static table: its text wraps, so no column is cut at 1280 px (the sentence carries the
    # amounts; the exact 应为/实为/差额 are in the Excel download of 原始数据).
    st.table(table[["状态", "类别", "说明", "页码"]].set_index("状态"))
    st.caption("每个相加的数允许 ±0.005 万元的舍入；各项的应为、实为和差额见“原始数据”页的 Excel。")
