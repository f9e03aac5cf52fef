"""Streamlit glue: the only core module that imports streamlit.

- Parsing runs in a worker process with hard memory and time limits, never in the server
  (:mod:`core.ui.jobs`), and is cached by the PDF's sha256 for every session (a Report is
  frozen, so sessions share one object).
- The app opens on the report library (:mod:`core.ui.library`): at its first start the
  bundled sample goes in, every upload lands in it, and the switcher lists what it holds,
  so a refresh or a restart loses nothing. The session keeps the reports it has shown (a
  shelf keyed by sha256) and which one is shown; where the library cannot be used, the
  session works from its shelf alone, as before.
  A bad upload shows the parser's plain message and leaves the shelf as it was.
- Widgets every page shares: the page header, KPI cards, a chart with its PNG and SVG
  download buttons, money tables (two decimals, thousands separators), friendly empty states.

No traceback reaches a user: :class:`core.errors.ReportError` is shown in its own words, and
anything unexpected while parsing is logged and shown as one plain line.
"""

from __future__ import annotations

import hashlib
import html
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.errors import ReportError
from core.present import export, frames, pageview
from core.present.charts import export_config
from core.present.frames import Kpi, format_amount, format_pages, format_percent
from core.records import Report
from core.ui import library as _library_ui
from core.ui import pack as _pack
from core.ui import source, style
from core.ui.flow import EndPage, end_page

_log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
#: The report a session opens with.
DEFAULT_SAMPLE = ROOT / "sample_data" / "fujian-12345-2024-danwei-juesuan.pdf"

_SHELF = "juesuan_reports"
_CURRENT = "juesuan_current"
#: Session keys the library pages share: which report is shown, and the session's shelf.
CURRENT_KEY, SHELF_KEY = _CURRENT, _SHELF
_UPLOADS = "juesuan_uploads"
UPLOAD_KEY = "pdf"
#: Set to 0 to skip the warm-ups at a server's first session (the AppTest tests do): the
#: export browser, and a parse worker started ahead of the first upload.
WARM_EXPORT_ENV = "JUESUAN_WARM_EXPORT"
#: Seconds after a server's first page before its spare parse worker starts (its imports
#: should not slow what the browser does next).
WARM_PARSE_DELAY = 2.0

#: Number format of amount columns in st.dataframe (sprintf: thousands separators, 2 decimals).
AMOUNT_FORMAT = "%,.2f"

__all__ = [
    # number formatting, shared with the charts (core.present.frames)
    "format_amount",
    "format_pages",
    "format_percent",
    # loading and the session's reports
    "load_report",
    "loaded_reports",
    "current_report",
    "report_label",
    "sidebar",
    "settle_current",
    "sidebar_rest",
    "run_page",
    "end_page",
    "above_the_fold",
    # page widgets
    "require_report",
    "page_header",
    "empty_state",
    "kpi_cards",
    "chart",
    "show_chart",
    "lead",
    "bar_rows",
    "markdown_table",
    "money_table",
    "checks_line",
    "ocr_line",
]


# -- loading ------------------------------------------------------------------------------------


def load_report(data: bytes, file_name: str) -> Report:
    """The parsed report for these bytes, from the cache when the same PDF was seen before;
    else parsed in a limited worker process with a progress bar by page (:mod:`core.ui.jobs`).

    Raises :class:`core.errors.ReportError` for input that is not a readable 决算 report.
    """
    from core.ui import jobs

    pageview.keep_pdf(data)  # the source view renders its pages
    return jobs.load_report(data, file_name)


def ocr_line(report: Report) -> str | None:
    """For a scanned report: that it was read by OCR, with the cells the checks corrected
    and those left uncertain; None for a report read from its text layer."""
    if report.text_source == "text":
        return None
    from core.accounts.correct import ocr_counts

    n = ocr_counts(report)
    which = "扫描件" if report.text_source == "ocr" else "部分页面为扫描件"
    return (
        f"{which}，经 OCR 读取：{n['ocr']} 个数字中，{n['corrected']} 个经勾稽关系校正，"
        f"{n['uncertain']} 个存疑（所在勾稽关系不平，或识别把握不高又无勾稽关系可核对，"
        "请对照原件）"
    )


def _shelf() -> dict[str, Report]:
    shelf: dict[str, Report] = st.session_state.setdefault(_SHELF, {})
    return shelf


def _add(report: Report, sha: str) -> None:
    _shelf()[sha] = report


def _library() -> Any:
    """The report library, or None when it cannot be used (logged; the session goes on)."""
    try:
        return _library_ui.library()
    except Exception:
        _log.exception("the report library cannot be used")
        return None


def _open_on_library() -> bool:
    """Start the session on the library: the sample goes in at its first start; the session
    shows the sample, or the first stored report. False when the library cannot be used."""
    lib = _library()
    if lib is None:
        return False
    try:
        _library_ui.reparse_stale(lib)
        sample = _library_ui.ensure_sample(lib, DEFAULT_SAMPLE, load_report)
        stored = _library_ui.choices(lib)
    except Exception:
        _log.exception("the report library cannot be used")
        return False
    if stored:
        st.session_state.setdefault(_CURRENT, sample if sample in stored else next(iter(stored)))
    return True


def _ensure_sample() -> None:
    """Open on the library; without one, load the bundled sample once per session."""
    if _shelf() or st.session_state.get("juesuan_sample_failed"):
        return
    if not st.session_state.get("juesuan_opened"):
        st.session_state["juesuan_opened"] = True
        if _open_on_library():
            return
    elif st.session_state.get(_CURRENT):
        return
    try:
        data = DEFAULT_SAMPLE.read_bytes()
        report = load_report(data, DEFAULT_SAMPLE.name)
    except (OSError, ReportError):
        _log.exception("the bundled sample could not be loaded")
        st.session_state["juesuan_sample_failed"] = True
        return
    sha = hashlib.sha256(data).hexdigest()
    _add(report, sha)
    st.session_state.setdefault(_CURRENT, sha)


def _take_upload(uploaded: Any) -> None:
    """Parse a newly uploaded file once; remember its error (if any) by the upload's id."""
    seen: dict[str, tuple[str, str] | None] = st.session_state.setdefault(_UPLOADS, {})
    if uploaded.file_id in seen:
        return
    data = uploaded.getvalue()
    try:
        report = load_report(data, uploaded.name)
    except ReportError as exc:
        seen[uploaded.file_id] = (plain_message(exc), exc.message_en)
        return
    except Exception:  # a parser bug must not show a traceback
        _log.exception("parsing %r failed unexpectedly", uploaded.name)
        seen[uploaded.file_id] = (
            "读取这个文件时出了意外的问题，已记录下来。请换一个文件再试。",
            "an unexpected error occurred while reading this file; it has been logged.",
        )
        return
    seen[uploaded.file_id] = None
    sha = hashlib.sha256(data).hexdigest()
    _add(report, sha)
    # kept in the library once the page is drawn (store_pending): the upload's first chart
    # does not wait for the database write
    st.session_state.setdefault(_PENDING, []).append((report, data))
    st.session_state[_CURRENT] = sha


_PENDING = "juesuan_pending_store"


def after_page() -> None:
    """What waits until the page is drawn (app.py calls it last, whatever the page did):
    keeping this session's new uploads in the library, and once per server the warm-ups
    (export browser, a spare parse worker, the briefing's font), so they never compete with
    a server's first page (and start a few seconds later: the tab's browser is still drawing
    it)."""
    _pack.server_ran()  # the run ends: background work waits for the server to be quiet
    st.session_state[_RAN] = True
    store_pending()
    if st.runtime.exists() and os.environ.get(WARM_EXPORT_ENV, "1") != "0":
        _warm_export()
        _warm_parse()
        _prepare_pack()


def _prepare_pack() -> None:
    """Draw the briefing pack's chart images in the background for the report on screen
    (:mod:`core.ui.pack`), unless its pack is made already."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    made: dict[str, Any] = st.session_state.get(_BRIEFS, {})
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    runtime, session = st.runtime.get_instance(), ctx.session_id
    try:
        _pack.prepare(
            st.session_state,
            current_report(),
            done=lambda report: report.sha256 in made,
            alive=lambda: runtime.is_active_session(session),  # a closed tab draws no more
        )
    except Exception:  # a head start only: the click itself draws what is missing
        _log.exception("starting the pack's background drawing failed")


def store_pending() -> None:
    """Keep this session's new uploads in the library (see :func:`after_page`)."""
    pending: list[tuple[Report, bytes]] = st.session_state.pop(_PENDING, [])
    if not pending:
        return
    lib = _library()
    if lib is None:
        return
    for report, data in pending:
        try:
            _library_ui.store(lib, report, data)
        except Exception:  # the session still has it; say nothing more than the log
            _log.exception("storing %r in the library failed", report.file_name)


#: What a reader is told for each kind of unreadable file: plain words, no bytes, no exception
#: names (the parser's own message keeps those for the command line and the log).
PLAIN_ERRORS: dict[str, str] = {
    "not_pdf": "这个文件不是 PDF。请上传单位或部门决算的 PDF 文件。",
    "corrupt": "这个 PDF 文件已损坏，无法完整读取。请重新下载或重新导出 PDF 后再试。",
    "scanned": "这个 PDF 里没有可以读取的文字（可能是扫描件），无法读出其中的数字。",
}
_TECHNICAL = re.compile(r"[（(][^（）()]*(?:b'|b\"|Error|Exception|EOF|0x)[^（）()]*[）)]")
_QUOTED = re.compile(r"'([^']*)'")


def plain_message(exc: ReportError) -> str:
    """The parser's message for a reader: Chinese only, without bytes or exception names."""
    if exc.kind in PLAIN_ERRORS:
        return PLAIN_ERRORS[exc.kind]
    text = _TECHNICAL.sub("", exc.message_zh)
    return _QUOTED.sub(lambda m: f"“{m.group(1)}”", text)


def report_label(report: Report) -> str:
    """How a loaded report is named in the switcher."""
    # year and scope first: a narrow sidebar cuts the end of a long unit name, not them
    year = f"{report.year} 年" if report.year else ""
    return f"{year}{report.scope} · {report.unit}"


def loaded_reports() -> list[Report]:
    """Every report loaded in this session, in loading order."""
    return list(_shelf().values())


def _stored() -> dict[str, str]:
    """sha256 → label of every report in the library (empty without one)."""
    lib = _library()
    if lib is None:
        return {}
    try:
        return _library_ui.choices(lib)
    except Exception:
        _log.exception("listing the library failed")
        return {}


def _switcher_order(stored: dict[str, str], shelf: dict[str, Report]) -> list[str]:
    """The switcher's reports in the library's order; one not stored yet (an upload is
    stored once its page is drawn) stands where the library will list it, so the list does
    not change its order at the next rerun."""
    extra = [s for s in shelf if s not in stored]
    order = list(stored)
    if not extra or not order:
        return order + extra
    lib = _library()
    keys = _library_ui.sort_keys(lib) if lib is not None else {}
    for sha in extra:
        key = _library_ui.sort_key(shelf[sha].unit, shelf[sha].year)
        at = next((i for i, s in enumerate(order) if s in keys and keys[s] > key), len(order))
        order.insert(at, sha)
    return order


def current_report() -> Report | None:
    """The report the pages show, or None when none could be loaded."""
    shelf = _shelf()
    sha = st.session_state.get(_CURRENT, "")
    if sha in shelf:
        return shelf[sha]
    lib = _library()
    if lib is not None and sha:
        try:
            report = _library_ui.load(lib, sha)
        except Exception:
            _log.exception("loading %s from the library failed", sha)
            report = None
        if report is not None:
            shelf[sha] = report
            return report
    if not shelf:
        return None
    return next(iter(shelf.values()))


#: Seconds after a server's first page before the export browser starts in the background:
#: the tab's own browser is still drawing that page (its KPI cards) on the same few cores, and
#: starting a Chromium costs two or three seconds of CPU (a tab loading plotly.js in each of
#: its two tabs). It then waits until no script has run on the server for
#: :data:`WARM_EXPORT_QUIET` seconds (tabs opening one after another keep it waiting), at
#: most :data:`WARM_EXPORT_LATEST` seconds (a server in steady use gets it all the same, at
#: its low priority).
WARM_EXPORT_DELAY = 3.0
WARM_EXPORT_QUIET = 1.0
WARM_EXPORT_LATEST = 30.0


def _warm_brief() -> None:
    """The briefing pack's font and libraries, loaded ahead of the first click (about a
    second of CPU the first pack would otherwise wait for)."""
    try:
        import openpyxl  # noqa: F401
        import pptx  # noqa: F401

        from core.present.brief import pdf as brief_pdf

        brief_pdf.warm_up()
    except Exception:  # a warm-up only: the click itself says what is wrong
        _log.exception("warming up the briefing pack failed")


def _warm_both() -> None:
    if not export.is_started():  # serve.py starts it before the server listens
        _pack.wait_server_quiet(WARM_EXPORT_QUIET, WARM_EXPORT_LATEST - WARM_EXPORT_DELAY)
    warm_export_now()


def warm_export_now() -> None:
    """Start the export browser and load the briefing pack's font and libraries, now (serve.py
    calls it before the server listens: a tab then never competes with that start)."""
    export.warm_up()
    _warm_brief()  # after the export browser's start, not beside it


@st.cache_resource(show_spinner=False)
def _warm_export() -> threading.Thread:
    """Start the export browser in the background once per server, a little after its first
    page once the server is quiet (:data:`WARM_EXPORT_DELAY`), so the first PNG is quick;
    then the briefing pack's font and libraries."""
    thread = threading.Timer(WARM_EXPORT_DELAY, _warm_both)
    thread.name, thread.daemon = "export-warm-up", True
    thread.start()
    return thread


@st.cache_resource(show_spinner=False)
def _warm_parse() -> bool:
    """Keep a parse worker started ahead of the next upload, once per server."""
    from core import jobs

    if jobs.isolation_on():
        jobs.keep_warm(True, delay=WARM_PARSE_DELAY)
    return True


def sidebar() -> Any:
    """The sidebar's top: the place of the upload box, and an upload taken in (the session
    opens on the library first); returns that place, for :func:`sidebar_rest`.

    The upload is read before the page, which shows the report an upload or the switcher
    chose (:func:`settle_current`); the box itself is drawn after the page, at the top of
    the sidebar all the same (:func:`sidebar_rest`), so a new tab's browser receives the
    page's figures first and loads the uploader's, the switcher's and the briefing buttons'
    code after them.
    """
    _ensure_sample()
    _pack.touch(st.session_state)  # the pack's background drawing waits while pages run
    top = st.sidebar.container()  # an empty block: no code for the browser to load
    # the box's file, as the browser sent it with this run (the widget is drawn later in the
    # run, which keeps it; a run that ends early keeps it too)
    uploaded = st.session_state.get(UPLOAD_KEY)
    if uploaded is not None:
        _take_upload(uploaded)
    settle_current()
    return top


def _uploader(top: Any) -> None:
    """The upload box in its place at the sidebar's top, with what became of its file."""
    with top:
        _library_ui.corrupt_notice(_library())  # a damaged library file, said once, with a fix
        st.markdown("#### 决算报告")
        uploaded = st.file_uploader(
            "上传单位或部门决算 PDF",
            # no type filter: Streamlit would refuse another file in English ("text/plain
            # files are not allowed"); the parser says in Chinese that it is not a PDF
            key=UPLOAD_KEY,
            help="读取 PDF 中的公开01–09 表、说明中的数字和绩效自评表；同一文件只解析一次。",
        )
        if uploaded is not None:
            _take_upload(uploaded)  # read already before the page: a no-op then
            problem = st.session_state.get(_UPLOADS, {}).get(uploaded.file_id)
            if problem is not None:
                zh, _en = problem  # the app speaks Chinese; the command line keeps both
                st.error(f"**无法读取 {uploaded.name}**\n\n{zh}", icon=":material/error:")
                if _shelf():
                    st.caption("已载入的报告不受影响，仍可在下方切换。")


def _switcher() -> tuple[list[str], dict[str, str]]:
    """The switcher's reports (sha256s in order) and the library's labels for them."""
    stored = _stored()
    return _switcher_order(stored, _shelf()), stored


def settle_current() -> None:
    """Make the report shown one the switcher lists (the first, when it lists another or
    none) before the page reads it; the switcher itself is drawn after the page."""
    shas, _stored_labels = _switcher()
    if shas and st.session_state.get(_CURRENT) not in shas:
        st.session_state[_CURRENT] = shas[0]


def sidebar_rest(top: Any = None) -> None:
    """The sidebar drawn after the page: the upload box in ``top`` (what :func:`sidebar`
    returned; at the sidebar's top), then the library link, the report switcher, the
    current file and the briefing buttons."""
    _uploader(top if top is not None else st.sidebar)
    with st.sidebar:
        shelf = _shelf()
        shas, stored = _switcher()
        if _library() is not None:
            st.page_link(
                "views/library.py",
                label="报告库：批量导入 PDF 或 ZIP",
                icon=":material/folder_open:",
            )
        if not shas:
            return
        if st.session_state.get(_CURRENT) not in shas:  # the page changed the library
            st.session_state[_CURRENT] = shas[0]
        st.selectbox(
            f"已载入的报告（{len(shas)} 份）",
            shas,
            key=_CURRENT,
            format_func=lambda sha: stored.get(sha) or report_label(shelf[sha]),
        )
        report = current_report()
        if report is None:
            return
        # the switcher is one line and cuts a long unit name: the report named in full
        st.caption(
            f"**{report_label(report)}**　"
            f"文件：{report.file_name or '—'}　共 {report.pages} 页　原表单位：{report.source_unit}"
        )
        _brief_section(report)


_BRIEFS = "juesuan_briefs"


@st.fragment
def _brief_section(report: Report) -> None:
    """简报: one click from the current report to a PPTX, a PDF and a workbook.

    A fragment: a click reruns this section alone, not the page beside it (whose charts the
    browser would draw again while the reader waits for the files)."""
    st.markdown("#### 简报")
    problem = export.export_status()
    if problem is not None:
        st.caption(f"无法生成简报：{problem.message_zh}")
        return
    packs: dict[str, list[tuple[str, bytes, str]]] = st.session_state.setdefault(_BRIEFS, {})
    one_page = packs.get(f"{report.sha256}|one-page")
    if one_page is None and st.button(
        "生成一页纸（PDF、PNG）",
        key="make_one_page",
        icon=":material/description:",
        help="一页 A4：主要数字、资金流向、三公、预算执行和核验结果，放在领导案头。",
        width="stretch",
    ):
        from core.present import brief

        try:
            with st.spinner("正在生成一页纸…"):
                one_page = brief.one_page_files(report)
        except export.ExportUnavailable as exc:
            st.error(exc.message_zh, icon=":material/error:")
        else:
            packs[f"{report.sha256}|one-page"] = one_page
    if one_page is not None:
        _file_buttons(one_page, {".pdf": "下载一页纸（PDF）", ".png": "下载一页纸（PNG）"}, "one")
    files = packs.get(report.sha256)
    if files is None:
        if st.button(
            "生成简报（PPT、PDF、Excel）",
            key="make_brief",
            icon=":material/slideshow:",
            help="每张图表一页幻灯片，附一句由数据写成的要点；数字与各页图表一致。",
            width="stretch",
        ):
            from core.present import brief

            # the chart images drawn in the background for this report, if any; the bar
            # counts them as steps done
            images, note = _pack.take(st.session_state, report)
            notice = st.caption(note) if note else None
            bar = st.progress(0.0, text="正在准备简报…")

            def step(done: int, total: int, what: str) -> None:
                bar.progress(min(done / total, 1.0), text=what)

            try:
                files = brief.brief_files(
                    report, progress=step, images=images, keep=_pack.keeper(report)
                )
            except export.ExportUnavailable as exc:
                bar.empty()
                st.error(exc.message_zh, icon=":material/error:")
                return
            finally:
                if notice is not None:
                    notice.empty()
            bar.empty()
            packs[report.sha256] = files
    if files is None:
        return
    labels = {".pptx": "下载 PPT 简报", ".pdf": "下载 PDF 简报", ".xlsx": "下载 Excel 数据"}
    _file_buttons(files, labels, "brief")


def _file_buttons(files: list[tuple[str, bytes, str]], labels: dict[str, str], key: str) -> None:
    for name, data, mime in files:
        suffix = name[name.rfind(".") :]
        st.download_button(
            labels.get(suffix, name),
            data=data,
            file_name=name,
            mime=mime,
            key=f"{key}{suffix}",
            icon=":material/download:",
            width="stretch",
        )


def run_page(page: Any) -> None:
    """Run the chosen page; a bug shows one plain line instead of a traceback (and is logged).

    A page that ends early (:func:`end_page`) ends here; the run goes on (the sidebar's rest).
    """
    try:
        page.run()
    except EndPage:
        pass
    except Exception:  # st.stop and st.rerun are BaseExceptions and pass through
        _log.exception("page %r failed", getattr(page, "title", page))
        st.error(
            "这一页没能显示出来，已记录下来；其他页面不受影响，请先查看其他页面。",
            icon=":material/error:",
        )


#: Session key: a run of this session has ended (:func:`after_page`).
_RAN = "juesuan_ran"
#: Seconds a new tab's first run waits after 总览's KPI cards (:func:`above_the_fold`).
REST_PAUSE = 0.3
#: Set it to other seconds (the AppTest tests: 0, there is no browser).
REST_PAUSE_ENV = "JUESUAN_REST_PAUSE"


def above_the_fold() -> None:
    """On a session's first run, wait :data:`REST_PAUSE` seconds here (总览 calls it after
    its KPI cards), then go on with the page and the sidebar.

    A new tab's browser fetches the code of each kind of element when the page first shows
    one, from this server. What the run drew so far (the page list, the header, the
    sentence, the KPI cards) reaches the browser first, and with the server quiet meanwhile
    the browser fetches the cards' code and draws them before the rest of the page and the
    sidebar's upload box, switcher and buttons (below the fold at 1280×720) arrive and ask
    for theirs. Measured: without the pause the first KPI came with everything else; a
    second run in place of the pause (the top first, then the whole page) drew the rest
    later and let the browser see a finished run in between; 0.45 s gained nothing on 0.3 s.
    """
    if st.session_state.get(_RAN):
        return
    pause = float(os.environ.get(REST_PAUSE_ENV, REST_PAUSE))
    if pause > 0:
        time.sleep(pause)


# -- page widgets -------------------------------------------------------------------------------


def require_report() -> Report:
    """The current report; when there is none, a friendly note and the page stops."""
    report = current_report()
    if report is None:
        st.info(
            "还没有载入报告：请在左侧上传一份单位或部门决算 PDF。", icon=":material/upload_file:"
        )
        end_page()
    assert report is not None
    return report


def page_header(
    report: Report, title: str, intro: str = "", *, unit_as_title: bool = False
) -> None:
    """The page title, and which report, year and scope it shows.

    On 总览 the unit's name is the title (``unit_as_title``): it is what a room reads first.
    """
    year = f"{report.year} 年度" if report.year else "年度未识别"
    tail = f"　｜　{intro}" if intro else ""
    scanned = ocr_line(report)
    if unit_as_title:
        st.title(report.unit or "决算报告")
        st.caption(f"**{year}{report.scope}　·　{title}**　金额单位：万元{tail}")
        if scanned:  # on 总览 in full; on every other page in the caption
            st.warning(scanned, icon=":material/document_scanner:")
        return
    st.title(title)
    mark = "　｜　扫描件，经 OCR 读取" if scanned else ""
    st.caption(f"**{report.unit}**　{year}{report.scope}　金额单位：万元{tail}{mark}")


def empty_state(message: str, *, kind: str = "info") -> None:
    """A friendly note where the report lacks something (never an error)."""
    if kind == "success":
        st.success(message, icon=":material/check_circle:")
    elif kind == "warning":
        st.warning(message, icon=":material/help:")
    else:
        st.info(message, icon=":material/info:")


def kpi_cards(kpis: Sequence[Kpi], per_row: int = 4) -> None:
    """KPI cards, ``per_row`` to a row: figure, change on last year, and the page it is on.

    Amounts are in 万元 as the page header says; the change on last year is a short chip, so
    nothing is cut off on a 1280-pixel projector, and in words in the caption, which wraps.
    """
    for start in range(0, len(kpis), per_row):
        columns = st.columns(per_row)
        row = kpis[start : start + per_row]
        # the row's values at one size, the widest whole in its card (style.kpi_fit_key)
        fit = style.kpi_fit_key([k.headline for k in row])
        for i, (col, kpi) in enumerate(zip(columns, row, strict=False)):
            with col, st.container(border=True, key=f"{fit}{start + i}"):
                st.metric(
                    kpi.label,
                    kpi.headline,
                    delta=kpi.delta_short,
                    delta_color="off",
                    # 持平 is no rise: no arrow (Streamlit would draw ↑ for any text)
                    delta_arrow="off" if kpi.flat else "auto",
                    help=f"来源：{kpi.source}"
                    + (f"，PDF {format_pages(kpi.pages)}" if kpi.pages else ""),
                )
                lines = []
                if kpi.change_words:
                    lines.append(f"{kpi.change_words}（第 {kpi.change_page} 页）")
                if kpi.pages:
                    lines.append(f"见 PDF {format_pages(kpi.pages)}")
                if kpi.note:
                    lines.append(kpi.note)
                st.caption("；".join(lines) if lines else "报告中未列示")
                if report := current_report():
                    source.kpi_button(report, kpi, key=f"kpi-{start}-{kpi.label}")


def _download_buttons(fig: go.Figure, stem: str, key: str) -> None:
    problem = export.export_status()
    with st.container(horizontal=True, gap="small"):
        if problem is not None:
            st.button("PNG 无法生成", key=f"png-{key}", disabled=True, help=problem.message_zh)
            st.button("SVG 无法生成", key=f"svg-{key}", disabled=True, help=problem.message_zh)
            st.caption(problem.message_zh)
            return
        st.download_button(
            "下载 PNG",
            data=_later(export.figure_png, fig),
            file_name=f"{stem}.png",
            mime="image/png",
            key=f"png-{key}",
            on_click="ignore",
            icon=":material/image:",
            help="高清图片（2 倍清晰度，宽 2560 像素），适合放入简报",
        )
        st.download_button(
            "下载 SVG",
            data=_later(export.figure_svg, fig),
            file_name=f"{stem}.svg",
            mime="image/svg+xml",
            key=f"svg-{key}",
            on_click="ignore",
            icon=":material/draw:",
            help="矢量图，可无损缩放（打开的电脑需装有中文字体）",
        )


def _later(draw: Callable[[go.Figure], bytes], fig: go.Figure) -> Callable[[], bytes]:
    """Draw the image only when the button is clicked (a PNG costs a few tenths of a second)."""

    def run() -> bytes:
        try:
            return draw(fig)
        except export.ExportUnavailable as exc:
            # Streamlit shows the message of a failed download; make it the plain one.
            raise RuntimeError(exc.message_zh) from exc

    return run


@st.cache_resource(max_entries=512, show_spinner=False)
def _chart_cached(
    key: str,
    _build: Callable[..., go.Figure | None],
    _report: Report,
    _args: tuple[Any, ...],
    _kwargs: dict[str, Any],
) -> go.Figure | None:
    return _build(_report, *_args, **_kwargs)


def chart(
    build: Callable[..., go.Figure | None], report: Report, *args: Any, **kwargs: Any
) -> go.Figure | None:
    """``build(report, …)``, built once per report and arguments (figures are only read).

    Cached by the report's sha256, so a page switch does not rebuild its figures.
    """
    key = (
        f"{build.__module__}.{build.__qualname__}|{report.sha256}|{report.file_name}"
        f"|{args!r}|{sorted(kwargs.items())!r}"
    )
    return _chart_cached(key, build, report, args, kwargs)


def show_chart(
    report: Report, fig: go.Figure, name: str, *, key: str, downloads: bool = True
) -> None:
    """A chart with its PNG and SVG download buttons, named ``unit_year_name``.

    ``downloads=False`` leaves the buttons out (the chart's camera still saves a PNG).
    """
    stem = export.file_stem(report, name)
    source.selectable_chart(report, fig, key=key, config=export_config(stem))
    if downloads:
        _download_buttons(fig, stem, key)


#: Colours of 总览's bars, as the charts use them (收入 blue, 支出 teal, 结转结余 grey).
_BAR_COLOURS = {"本年收入": "#1f5fa8", "本年支出": "#2a9d8f"}


def bar_rows(rows: Sequence[tuple[str, Any, int]], title: str) -> None:
    """A few horizontal bars in plain HTML: what 总览 needs in the first second.

    Not plotly on purpose: the first page of a new tab would wait for plotly.js (a few MB)
    before it shows anything. Each bar says its amount in 万元 and its PDF page.
    """
    top = max((float(v) for _n, v, _p in rows), default=0.0) or 1.0
    lines = [
        f'<div class="juesuan-bars"><div class="juesuan-bars-title">{html.escape(title)}</div>'
    ]
    for name, value, page in rows:
        width = max(float(value) / top * 100, 0.5)
        colour = _BAR_COLOURS.get(name, "#8a94a6")
        lines.append(
            f'<div class="juesuan-bar" title="PDF 第 {page} 页">'
            f'<span class="juesuan-bar-name">{html.escape(name)}</span>'
            f'<span class="juesuan-bar-track"><span style="width:{width:.1f}%;background:{colour}">'
            f"</span></span>"
            f'<span class="juesuan-bar-value">{format_amount(value)} 万元</span></div>'
        )
    lines.append("</div>")
    # st.html, not st.markdown(unsafe_allow_html=True): the browser has st.html's code already
    # (the style rules), while raw HTML in markdown loads another 190 KB chunk (rehype-raw)
    # that a new tab's first KPI would wait behind
    st.html("".join(lines))


def lead(text: str) -> None:
    """The page's answer in one plain sentence, large enough to read from across a room."""
    st.html(f'<div class="juesuan-lead">{html.escape(text)}</div>')  # st.html: see bar_rows


#: ASCII punctuation: backslash-escaped in a markdown table's cells, so a cell's text shows as
#: it is (no emphasis, link, math or emoji shortcode, no cell split at "|").
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_table(frame: pd.DataFrame) -> str:
    """A small frame as a markdown table (its columns, not its index): cells as text, a
    missing one as "—".

    For a short static table on a page's first screen: st.dataframe and st.table make the
    browser load Streamlit's Arrow code (about 1 MB of script) before the page settles,
    a markdown table only what every page loads anyway.
    """

    def cell(value: Any) -> str:
        text = "—" if value is None or (isinstance(value, float) and pd.isna(value)) else value
        text = " ".join(str(text).split())  # one line per row
        return _MARKDOWN_SPECIAL.sub(r"\\\1", text) or " "

    lines = [
        "| " + " | ".join(cell(c) for c in frame.columns) + " |",
        "|" + "---|" * len(frame.columns),
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(False)]
    return "\n".join(lines)


WRAP_ROW_HEIGHT = style.WRAP_ROW_HEIGHT
WRAP_LINE_HEIGHT = style.WRAP_LINE_HEIGHT
wrap_row_height = style.wrap_row_height
table_height = style.table_height


def money_table(
    frame: pd.DataFrame,
    amounts: Sequence[str] = (),
    *,
    percents: Sequence[str] = (),
    pages: Sequence[str] = ("页码",),
    hide: Sequence[str] = ("来源",),
    widths: dict[str, int] | None = None,
    labels: dict[str, str] | None = None,
    height: int | str = "auto",
    row_height: int | None = None,
    key: str | None = None,
    source_button: bool = True,
) -> None:
    """A table with amounts shown to the cent with thousands separators (values stay exact).

    Page columns read ``第 5 页``; a missing value shows as ``—``; ``hide`` columns are left out
    (the source table is named in the chart above). ``row_height`` above
    :data:`WRAP_ROW_HEIGHT` lets long text wrap inside its cell (Streamlit's grid cuts it off
    with "…" otherwise). With ``key``, its rows open their printed cells (a row selected, and
    unless ``source_button`` is false a 原文 button first in each row). ``labels`` gives a
    column of ``widths`` a shorter header, its full name then the header's tooltip.
    """
    config: dict[str, Any] = {}
    for col in amounts:
        if col in frame.columns:
            config[col] = st.column_config.NumberColumn(col, format=AMOUNT_FORMAT)
    for col in percents:
        if col in frame.columns:
            config[col] = st.column_config.NumberColumn(col, format="%.2f%%")
    for col in pages:
        if col in frame.columns:
            config[col] = st.column_config.TextColumn(col, width=72)
    for col, width in (widths or {}).items():
        if col in frame.columns and col not in config:
            label = (labels or {}).get(col)
            config[col] = st.column_config.TextColumn(
                label or col, width=width, help=col if label else None
            )
    shown = frame.drop(columns=[c for c in hide if c in frame.columns])
    # A percent column of Decimals keeps each one's own exponent (-11.8 beside 99.94); as
    # floats they all take the column's two-decimal format. Amounts stay exact.
    for col in percents:
        if col in shown.columns:
            shown[col] = pd.to_numeric(
                pd.Series([None if v is None else float(v) for v in shown[col]], index=shown.index),
                errors="coerce",
            )
    for col in pages:
        if col in shown.columns:
            shown[col] = [_page_text(v) for v in shown[col]]
    report = current_report() if key else None
    if report is not None and key is not None:  # a row → its printed cells
        source.selectable_table(
            report,
            frame,
            shown,
            key=key,
            column_config=config,
            height=height,
            row_height=row_height,
            button=source_button,
        )
        return
    st.dataframe(
        shown,
        hide_index=True,
        column_config=config,
        height=height,  # type: ignore[arg-type]
        row_height=row_height,
        key=key,
        placeholder="—",
    )


def _page_text(value: Any) -> str:
    if isinstance(value, tuple | list | set):
        return format_pages(value)
    if isinstance(value, int):
        return format_pages([value])
    return str(value) if value is not None else ""


def checks_line(report: Report) -> str:
    """What the checks found, in one line."""
    counts = frames.check_counts(report)
    total = sum(counts.values())
    if total == 0:
        return "数据核验：本报告没有可核对的勾稽关系。"
    passed = counts["passed"] + counts["rounding"]
    parts = [f"数据核验：{total} 项勾稽关系中 {passed} 项通过"]
    if counts["rounding"]:
        parts.append(f"（其中 {counts['rounding']} 项为 ±0.01 级尾差）")
    problems = []
    if counts["failed"]:
        problems.append(f"{counts['failed']} 项未通过")
    if counts["missing"]:
        problems.append(f"缺 {counts['missing']} 张标准表")
    parts.append("，" + "，".join(problems) + "。" if problems else "，没有发现问题。")
    return "".join(parts)
