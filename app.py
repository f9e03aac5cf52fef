"""决算看板: the Streamlit entry — page list, sidebar upload, the page, the report switcher."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core import ui
from core.ui import style

#: The default page's own path: served at "/", it answers no direct link, so it is one no
#: link uses (/overview and /home are entries of their own).
ROOT_PATH = "start-page"

#: The tab icon, served by the app itself: an emoji or material icon is fetched from outside.
ICON = Path(__file__).resolve().parent / "assets" / "icon.png"


def main() -> None:
    """The page list, the sidebar, then the page chosen."""
    st.set_page_config(
        page_title="决算看板",
        page_icon=str(ICON),
        layout="wide",
        initial_sidebar_state="expanded",
    )

    # The views live in views/, not pages/: a folder named pages/ beside app.py makes Streamlit
    # (1.67) run its first session after a start as an old-style multipage app, where a direct
    # link such as /flows is unknown and shows "Page not found". The default page is served at
    # "/" whatever its url_path, and the path it reserves answers no link ("Page not found"):
    # /overview and /home are hidden entries for the same view, the default's own path is one
    # nobody links to.
    PAGES = {
        "概况": [
            st.Page(
                "views/overview.py",
                url_path=ROOT_PATH,
                title="总览",
                icon=":material/dashboard:",
                default=True,
            ),
            st.Page(
                "views/overview.py",
                url_path="overview",
                title="总览",
                icon=":material/dashboard:",
                visibility="hidden",
            ),
            st.Page(
                "views/overview.py",
                url_path="home",
                title="总览",
                icon=":material/dashboard:",
                visibility="hidden",
            ),
            st.Page(
                "views/balance.py", url_path="flows", title="收支平衡", icon=":material/balance:"
            ),
        ],
        "支出结构": [
            st.Page(
                "views/classification.py",
                url_path="functions",
                title="功能分类",
                icon=":material/account_tree:",
            ),
            st.Page(
                "views/personnel.py", url_path="staff", title="人员与公用", icon=":material/groups:"
            ),
            st.Page(
                "views/three_public.py",
                url_path="sangong",
                title="三公经费",
                icon=":material/directions_car:",
            ),
        ],
        "绩效与预算": [
            st.Page(
                "views/performance.py",
                url_path="scorecard",
                title="绩效自评",
                icon=":material/speed:",
            ),
            st.Page(
                "views/budget.py",
                url_path="execution",
                title="预算执行",
                icon=":material/fact_check:",
            ),
        ],
        "数据": [
            st.Page("views/checks.py", url_path="verify", title="数据核验", icon=":material/rule:"),
            st.Page(
                "views/raw.py", url_path="data", title="原始数据", icon=":material/table_view:"
            ),
            st.Page(
                "views/source.py", url_path="pdf", title="原文", icon=":material/find_in_page:"
            ),
        ],
        "报告库": [
            st.Page(
                "views/library.py",
                url_path="reports",
                title="报告库",
                icon=":material/folder_open:",
            ),
            st.Page(
                "views/years.py", url_path="across-years", title="跨年", icon=":material/timeline:"
            ),
            st.Page(
                "views/compare.py",
                url_path="side-by-side",
                title="单位对比",
                icon=":material/compare_arrows:",
            ),
        ],
    }

    # each page also under its title (/总览, /数据核验 …), the name the user sees: hidden
    # entries, listed last (in the last section: a section of hidden pages only would still
    # show its header), so a link to a view's file finds the view's own entry first.
    # Streamlit gives a page's source no public name: it is ``_page``.
    shown = [p for section in PAGES.values() for p in section if p.visibility == "visible"]
    list(PAGES.values())[-1].extend(
        st.Page(p._page, url_path=p.title, title=p.title, icon=p.icon, visibility="hidden")
        for p in shown
    )
    # every page listed: the folded list ends in Streamlit's English "View 3 more"
    page = st.navigation(PAGES, expanded=True)
    style.apply()
    try:
        # the upload taken in, then the page, then the sidebar (the upload box in its place at
        # the top, the switcher, the briefing buttons): a new tab receives the page's figures
        # first, and loads the sidebar's code after them; the report an upload or the
        # switcher chose is settled before the page
        top = ui.sidebar()
        ui.run_page(page)
        ui.sidebar_rest(top)
    finally:  # after the page is drawn (also past st.stop, st.rerun or a page switch)
        ui.after_page()


# Streamlit runs this script as __main__; importing it (a test, a tool) draws nothing.
if __name__ == "__main__":
    main()
