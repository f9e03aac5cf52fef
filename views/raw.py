"""原始数据: each table as parsed and every fact with its page; CSV and Excel downloads."""

import streamlit as st

from core import ui
from core.present import brief, export, frames
from core.tables.templates import expected_tables

#: 说明中的数字's columns at 1280 px (the row selector and all eight inside 818 px); 主题 and
#: 项目 wrap onto two lines.
NARRATIVE_WIDTHS = {
    "主题": 140,
    "类型": 70,
    "数值": 100,
    "单位": 50,
    "编码": 80,
    "项目": 136,
    "句": 72,
}


def _plain(text: str) -> str:
    """A sentence as plain text in Markdown: its * _ ` $ [ ] # ~ | < > shown as printed."""
    return "".join(f"\\{c}" if c in "\\*_`$[]#~|<>" else c for c in text)


report = ui.require_report()
ui.page_header(report, "原始数据", "解析出的每张表、每个数字及其页码")

facts = frames.facts_frame(report)

# -- one PDF page, when a link asked for it (数据核验 links its pages here) ----------------------
asked = str(st.query_params.get("page", ""))
if asked.isdigit():
    number = int(asked)
    on_page = facts.loc[facts["页码"] == number]
    with st.container(border=True):
        st.markdown(f"**PDF 第 {number} 页上读到的数字（{len(on_page)} 项）**")
        if on_page.empty:
            st.caption("这一页上没有读到表中的数字。")
        else:
            ui.money_table(on_page, amounts=("金额",), height=320, key="page-facts")

# -- downloads ----------------------------------------------------------------------------------
with st.container(horizontal=True):
    st.download_button(
        "下载全部数据（Excel）",
        data=lambda: brief.write_workbook(report),  # the same workbook as the briefing pack
        file_name=f"{brief.file_stem(report, '数据')}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/table:",
        key="xlsx",
    )
    st.download_button(
        "下载全部数据（CSV）",
        data=lambda: export.frame_csv(facts),
        file_name=f"{export.file_stem(report, '全部数据')}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key="facts-csv",
    )

# -- one table ----------------------------------------------------------------------------------
found = [t.id for t in report.tables]
if not found:
    ui.empty_state("本报告中没有找到公开表。")
else:
    titles = {
        t.id: f"{frames.table_title(report, t.id)}（{frames.format_pages(t.pages)}）"
        for t in report.tables
    }
    table_id = st.selectbox("选择一张表", found, format_func=titles.__getitem__, key="raw-table")
    info = report.table(table_id)
    table = frames.table_frame(report, table_id)
    if info is not None and info.note:
        st.caption(f"表下说明：{info.note}")
    if table.empty or len(table.columns) <= 2:
        ui.empty_state("这张表没有数据（本表无数据）。")
    else:
        amounts = [c for c in table.columns if c not in ("分区", "上级", "编码", "项目", "页码")]
        ui.money_table(table, amounts=amounts, key="raw-table-view")
        st.download_button(
            f"下载 {table_id}（CSV）",
            data=lambda: export.frame_csv(table),
            file_name=f"{export.file_stem(report, table_id)}.csv",
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
            key="table-csv",
        )
# only the tables the report's template has can be missing (高等学校四表 has no 公开04)
missing = [t for t in expected_tables(report.template) if report.table(t) is None]
if missing:
    st.caption("未找到的公开表：" + "、".join(frames.table_title(report, t) for t in missing))

# -- the narrative's figures --------------------------------------------------------------------
st.subheader("说明中的数字")
stated = frames.narrative_frame(report)
if stated.empty:
    ui.empty_state("说明部分没有读到数字。")
else:
    # The grid cannot show a sentence whole (one line, cut with "…"; a 288-character one
    # would need 13 lines in every row): each row names its sentence by number, and the
    # sentences stand in full under the grid. A row still opens its printed sentence.
    sentences = list(dict.fromkeys(zip(stated["原文"], stated["页码"], strict=True)))
    sentence_no = {said: i for i, said in enumerate(sentences, start=1)}
    stated = stated.assign(
        句=[f"第 {sentence_no[s]} 句" for s in zip(stated["原文"], stated["页码"], strict=True)]
    )
    ui.money_table(
        stated,
        hide=("原文",),  # kept in the frame: the row's source is found by it
        widths=NARRATIVE_WIDTHS,
        row_height=ui.wrap_row_height(2),
        key="narrative-table",
    )
    st.markdown(f"**说明原文（{len(sentences)} 句，全文）**")
    with st.container(height=320, border=True):
        st.markdown(
            "\n\n".join(
                f"**第 {sentence_no[(text, page)]} 句**（PDF 第 {page} 页）　{_plain(text)}"
                for text, page in sentences
            )
        )

# -- every fact ---------------------------------------------------------------------------------
with st.expander(f"全部数据（{len(facts)} 项，长表）"):
    ui.money_table(facts, amounts=("金额",), key="facts-table")
