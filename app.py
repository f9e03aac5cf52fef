"""决算看板: the Streamlit entry — page list, sidebar upload and report switcher."""

from __future__ import annotations

import streamlit as st

from core import ui


def main() -> None:
    """The page list, the sidebar, then the page chosen."""
    st.set_page_config(
        page_title="决算看板",
        page_icon=":material/account_balance:",
        layout="wide",
        initial_sidebar_state="expanded",
    )

    # url_path differs from each file's stem on purpose: where the two match, AppTest (1.67) runs
    # the file in pages/ alone on a rerun, without app.py's sidebar (streamlit/streamlit#9446 kin).
    PAGES = {
        "概况": [
            st.Page(
                "pages/overview.py",
                url_path="home",
                title="总览",
                icon=":material/dashboard:",
                default=True,
            ),
            st.Page(
                "pages/balance.py", url_path="flows", title="收支平衡", icon=":material/balance:"
            ),
        ],
        "支出结构": [
            st.Page(
                "pages/classification.py",
                url_path="functions",
                title="功能分类",
                icon=":material/account_tree:",
            ),
            st.Page(
                "pages/personnel.py", url_path="staff", title="人员与公用", icon=":material/groups:"
            ),
            st.Page(
                "pages/three_public.py",
                url_path="sangong",
                title="三公经费",
                icon=":material/directions_car:",
            ),
        ],
        "绩效与预算": [
            st.Page(
                "pages/performance.py",
                url_path="scorecard",
                title="绩效自评",
                icon=":material/speed:",
            ),
            st.Page(
                "pages/budget.py",
                url_path="execution",
                title="预算执行",
                icon=":material/fact_check:",
            ),
        ],
        "数据": [
            st.Page("pages/checks.py", url_path="verify", title="数据核验", icon=":material/rule:"),
            st.Page(
                "pages/raw.py", url_path="data", title="原始数据", icon=":material/table_view:"
            ),
            st.Page(
                "pages/source.py", url_path="pdf", title="原文", icon=":material/find_in_page:"
            ),
        ],
    }

    page = st.navigation(PAGES)
    ui.sidebar()
    ui.run_page(page)


# Streamlit runs this script as __main__; importing it (a test, a tool) draws nothing.
if __name__ == "__main__":
    main()
