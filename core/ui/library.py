"""Streamlit glue for the report library: the library the app opens on, imports with a
progress bar, the re-read after a parser change, and the three library pages.

The library lives in one folder (``$JUESUAN_LIBRARY`` or the user's data folder); every
session of the server shares it, and nothing is held open between reruns, so a command-line
import can run beside the app. What a page lists is cached by the library's generation
number, which every write raises, so a session sees another session's import at its next
rerun.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from core.errors import ReportError
from core.library import compare
from core.library.errors import LibraryCorruptError, LibraryError
from core.library.importer import ImportSummary, import_sources
from core.library.store import Library, default_library_dir, unit_key
from core.present import pageview
from core.records import Report
from core.ui import source, style
from core.ui.flow import end_page

_log = logging.getLogger(__name__)

_SEEN = "juesuan_library_seen"
_CORRUPT = "juesuan_library_corrupt"
#: Parse processes an import from the app uses (the server keeps one core for itself).
APP_IMPORT_WORKERS = 2


# -- the library --------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _library_at(folder: str) -> Library:
    lib = Library(Path(folder))
    # a report opened from the library was not uploaded in this server's life: the source
    # view finds its PDF in the library's folder
    pageview.add_pdf_source(f"library:{lib.folder}", functools.partial(_stored_pdf, lib))
    return lib


def _stored_pdf(lib: Library, sha: str) -> bytes | None:
    path = lib.pdf_path(sha)
    return path.read_bytes() if path.is_file() else None


def library() -> Library | None:
    """The app's library, or None when it cannot be used (the reason is shown)."""
    lib = _library_at(str(default_library_dir()))
    checked = f"juesuan_library_checked:{lib.folder}"
    if st.session_state.get(checked):
        return lib  # opened once this session; a later fault shows on the page that meets it
    try:
        # a damaged file met before the server listened (warm_up): this session tells it
        st.session_state[_CORRUPT] = _MET_AT_START.pop()
    except IndexError:
        pass
    try:
        # once per process while the file is unchanged: a new session opens no connection
        lib.while_unchanged("check", lib.check)
    except LibraryCorruptError as exc:
        # moved aside; the next open starts a fresh file, the PDFs stay for a rebuild
        st.session_state[_CORRUPT] = (exc.message_zh, exc.message_en)
        try:
            lib.check()
        except LibraryError:
            return None
    except LibraryError as exc:
        st.error(f"{exc.message_zh}\n\n{exc.message_en}", icon=":material/error:")
        return None
    st.session_state[checked] = True
    return lib


#: A damaged library file that :func:`warm_up` met (and the opening moved aside), for the
#: first session to tell, as it would have met it itself.
_MET_AT_START: list[tuple[str, str]] = []


def warm_up() -> str | None:
    """Read what a server's first tab reads from the library, before any tab opens
    (``serve.py`` calls it as the server starts): the file opened, the parser versions,
    the sample's mark and the listing looked up, and the report the tab opens on decoded,
    each kept for every session as the tab's own reads keep them (while the file is
    unchanged; the listing by the library's generation), so the first tab opens no
    connection. Returns that report's sha256, or None.

    Nothing is written: at a first start the first tab still puts the sample in, with its
    progress bar, and reports read by an older parser are still read again by the first tab.
    """
    lib = _library_at(str(default_library_dir()))
    try:
        lib.while_unchanged("check", lib.check)
    except LibraryCorruptError as exc:
        _MET_AT_START.append((exc.message_zh, exc.message_en))
        return None
    lib.while_unchanged("stale", lib.stale)
    sample = _sample_added(lib)
    # through the cache the tab reads (keyed on the generation, itself remembered while the
    # file is unchanged): the first tab lists the library without a connection of its own
    rows = listing(lib)
    if rows.empty:
        return None
    shas = [str(s) for s in rows["sha256"]]
    # the report a session opens on (core.ui): the sample while it is stored, else the first
    sha = str(sample[0]) if sample is not None and str(sample[0]) in shas else shas[0]
    version = int(rows.loc[rows["sha256"] == sha, "parser_version"].iloc[0])
    _report(str(lib.folder), sha, version)
    return sha


def corrupt_notice(lib: Library | None) -> None:
    """Say once that a damaged library file was set aside, and offer the rebuild."""
    problem = st.session_state.get(_CORRUPT)
    if problem is None:
        return
    zh, en = problem
    st.error(f"{zh}\n\n{en}", icon=":material/error:")
    if lib is not None and st.button("从已存 PDF 重建报告库", key="library_rebuild"):
        bar = st.progress(0.0, text="正在重建…")

        def step(i: int, n: int, name: str) -> None:
            bar.progress(i / max(n, 1), text=f"{name}（{i}/{n}）")

        lib.rebuild(progress=step)
        bar.empty()
        st.session_state.pop(_CORRUPT, None)
        st.rerun()


@st.cache_data(show_spinner=False, max_entries=8)
def _listing(folder: str, generation: int) -> pd.DataFrame:
    return Library(Path(folder)).listing()


def listing(lib: Library) -> pd.DataFrame:
    """Every stored report (cached until the library changes)."""
    return _listing(str(lib.folder), lib.while_unchanged("generation", lib.generation))


@st.cache_resource(show_spinner=False, max_entries=64)
def _report(folder: str, sha: str, version: int) -> Report:
    return Library(Path(folder)).report(sha)


def load(lib: Library, sha: str) -> Report | None:
    """A stored report (shared by every session), or None when it is gone."""
    rows = listing(lib)
    hit = rows.loc[rows["sha256"] == sha]
    if hit.empty:
        return None
    try:
        return _report(str(lib.folder), sha, int(hit["parser_version"].iloc[0]))
    except KeyError:
        return None


def _loader(lib: Library) -> Any:
    """:func:`load` for this library, as the comparison keys and the source view read it."""
    return functools.partial(load, lib)


def label(row: Any) -> str:
    """How a stored report is named in lists: year scope · unit (the year first, so a narrow
    switcher never cuts it off), as the session's own reports are named."""
    year = f"{int(row.year)} 年" if pd.notna(row.year) else ""
    return f"{year}{row.scope} · {row.unit}"


def sort_key(unit: str, year: Any) -> tuple[str, bool, int]:
    """Where a report stands in the library's listing (by unit, the latest year first)."""
    missing = year is None or pd.isna(year)
    return (unit_key(str(unit)), missing, 0 if missing else -int(year))


def sort_keys(lib: Library) -> dict[str, tuple[str, bool, int]]:
    """sha256 → :func:`sort_key` of every stored report."""
    rows = listing(lib)
    return {
        str(sha): (str(key), pd.isna(year), 0 if pd.isna(year) else -int(year))
        for sha, key, year in zip(rows["sha256"], rows["unit_key"], rows["year"], strict=True)
    }


def choices(lib: Library) -> dict[str, str]:
    """sha256 → label of every stored report, for the switcher."""
    return {str(r.sha256): label(r) for r in listing(lib).itertuples()}


def _sample_added(lib: Library) -> Any:
    """The sample's sha256 (a one-field row) once it was put in, else None."""

    def added() -> Any:
        with lib.connect() as con:
            return con.execute("SELECT value FROM meta WHERE key = 'sample_added'").fetchone()

    return lib.while_unchanged("sample_added", added)


def ensure_sample(lib: Library, path: Path, parse: Any) -> str | None:
    """Put the bundled sample in the library at its first start (once: a user may remove
    it later). Returns its sha256, or None when it could not be read."""
    done = _sample_added(lib)
    if done is not None:
        return str(done[0])
    try:
        data = path.read_bytes()
        report = parse(data, path.name)
    except (OSError, ReportError):
        _log.exception("the bundled sample could not be loaded")
        return None
    stored = lib.add(report, data)
    with lib.connect() as con:
        con.execute(
            "INSERT INTO meta VALUES ('sample_added', ?) ON CONFLICT (key) DO NOTHING",
            [stored.sha256],
        )
    return stored.sha256


def store(lib: Library, report: Report, data: bytes) -> None:
    """Keep an uploaded report in the library (a report already there is left as it is)."""
    lib.add(report, data)


# -- imports ------------------------------------------------------------------------------------


def import_uploads(lib: Library, files: Sequence[Any], *, key: str) -> ImportSummary | None:
    """Import uploaded PDFs and ZIPs once each, with a progress bar naming the file in hand
    and the count; returns the summary of this run (None when nothing was new)."""
    seen: set[str] = st.session_state.setdefault(f"{_SEEN}-{key}", set())
    fresh = [f for f in files if f.file_id not in seen]
    if not fresh:
        return None
    items: list[tuple[str, bytes]] = []
    for f in fresh:
        data = f.getvalue()
        if f.name.lower().endswith(".zip"):
            items.extend(_zip_items(f.name, data))
        else:
            items.append((f.name, data))
    bar = st.progress(0.0, text=f"准备导入 {len(items)} 个文件…")

    def step(done: int, total: int, name: str) -> None:
        short = name.rsplit(":", 1)[-1]
        text = f"正在导入 {short}（{done}/{total}）" if name else f"已完成 {done}/{total}"
        bar.progress(done / max(total, 1), text=text)

    try:
        summary = import_sources(
            lib, items, workers=min(APP_IMPORT_WORKERS, len(items)), progress=step
        )
    finally:
        bar.empty()
    seen.update(f.file_id for f in fresh)
    st.session_state[f"{_SEEN}-{key}-summary"] = summary
    return summary


def _zip_items(name: str, data: bytes) -> list[tuple[str, bytes]]:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [
                (f"{name}:{m.filename}", archive.read(m))
                for m in archive.infolist()
                if m.filename.lower().endswith(".pdf")
                and not m.is_dir()
                and not Path(m.filename).name.startswith(".")
            ]
    except zipfile.BadZipFile:
        return [(name, data)]  # refused as not a PDF, with the others going on


def summary_box(key: str) -> None:
    """The last import's summary: imported, already there, refused by kind with messages."""
    summary: ImportSummary | None = st.session_state.get(f"{_SEEN}-{key}-summary")
    if summary is None:
        return
    refused = summary.refused
    text = f"导入 {summary.imported} 份，已在库中 {summary.already} 份"
    if refused:
        kinds = "，".join(
            f"{_KIND_WORDS.get(k, k)} {n}" for k, n in summary.refused_by_kind().items()
        )
        st.warning(f"{text}，未能读取 {len(refused)} 份（{kinds}）。", icon=":material/warning:")
        with st.expander("未能读取的文件"):
            for o in refused:
                st.markdown(f"- **{o.name.rsplit(':', 1)[-1]}**：{o.message.split(' / ')[0]}")
    else:
        st.success(text + "。", icon=":material/check_circle:")


_KIND_WORDS = {
    "not_pdf": "不是 PDF",
    "corrupt": "文件损坏",
    "encrypted": "加密",
    "scanned": "扫描件",
    "not_juesuan": "不是决算报告",
    "too_large": "超出限制",
    "internal": "意外错误",
}


def import_widget(lib: Library, *, key: str, where: Any = None) -> None:
    """A multi-file uploader (PDFs and ZIPs) that imports into the library at once."""
    box = where if where is not None else st.container()
    with box:
        files = st.file_uploader(
            "批量导入（可多选 PDF 或 ZIP）",
            type=["pdf", "zip"],
            accept_multiple_files=True,
            key=key,
            help="同一文件（按内容）只导入一次；无法读取的文件会列出原因，其余照常导入。",
        )
        if files:
            import_uploads(lib, files, key=key)
        summary_box(key)


def reparse_stale(lib: Library) -> None:
    """Reports read by an older parser are read again from their PDFs, once, with a bar."""
    stale = lib.while_unchanged("stale", lib.stale)
    if not stale:
        return
    bar = st.progress(0.0, text=f"解析器已更新：正在重新读取 {len(stale)} 份报告…")

    def step(done: int, total: int, name: str) -> None:
        bar.progress(done / max(total, 1), text=f"正在重新读取 {name}（{done}/{total}）")

    try:
        lib.reparse(stale, progress=step)
    finally:
        bar.empty()


# -- pages --------------------------------------------------------------------------------------


def require_library() -> Library:
    """The library, or a plain message and the page stops."""
    lib = library()  # a damaged file is said in the sidebar (core.ui.sidebar)
    if lib is None:
        end_page()
    assert lib is not None
    return lib


def library_page(current_key: str, shelf_key: str) -> None:
    """报告库: every report with unit, year, scope, template, pages and problems; search,
    filter, open one, remove one, import more."""
    if st.session_state.pop(_GO_OVERVIEW, False):
        st.switch_page("views/overview.py")
    lib = require_library()
    reparse_stale(lib)
    st.title("报告库")
    st.caption(f"所有导入过的报告都保存在 `{lib.folder}`，刷新或重启后仍在。")
    import_widget(lib, key="library_page_import")
    rows = listing(lib)
    if rows.empty:
        st.info("报告库还是空的：请在上方导入 PDF 或 ZIP。", icon=":material/info:")
        return
    with st.container(horizontal=True):
        query = st.text_input("搜索单位或文件名", key="library_search")
        years = sorted({int(y) for y in rows["year"].dropna()}, reverse=True)
        # a placeholder of our own: Streamlit's says "Choose options"
        picked_years = st.multiselect("年度", years, key="library_years", placeholder="全部年度")
        scopes = st.multiselect(
            "类型", sorted(set(rows["scope"])), key="library_scopes", placeholder="全部类型"
        )
        only_problems = st.checkbox("只看有问题的", key="library_problems")
    shown = rows
    if query:
        q = query.strip()
        shown = shown.loc[
            shown["unit"].str.contains(q, regex=False)
            | shown["file_name"].str.contains(q, regex=False)
        ]
    if picked_years:
        shown = shown.loc[shown["year"].isin(picked_years)]
    if scopes:
        shown = shown.loc[shown["scope"].isin(scopes)]
    if only_problems:
        shown = shown.loc[(shown["problems"] > 0) & (shown["facts"] > 0)]
    table = pd.DataFrame(
        {
            "单位": shown["unit"],
            "年度": shown["year"],  # a report whose year was not read shows —
            "类型": shown["scope"],
            "模板": shown["template"],
            "页数": shown["pages"],
            # a report with no amounts read (a blank template) was not checked: not "0 问题"
            "问题": [
                None if f == 0 else int(n)
                for n, f in zip(shown["problems"], shown["facts"], strict=True)
            ],
            "文件": shown["file_name"],
        }
    )
    st.caption(
        f"共 {len(rows)} 份，显示 {len(shown)} 份；问题 = 未通过的核验 + 缺少的标准表；"
        "“—”= 报告中没有读到金额（如空白模板），未作核验。"
    )
    event = st.dataframe(
        table,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="library_table",
        # every column inside the 1280-px page; a long unit name wraps onto a second line
        column_config={
            "单位": st.column_config.TextColumn(width=300),
            "年度": st.column_config.NumberColumn(format="%d", width=72),
            "类型": st.column_config.TextColumn(width=110),
            "模板": st.column_config.TextColumn(width=130),
            "页数": st.column_config.NumberColumn(width=72),
            "问题": st.column_config.NumberColumn(width=72),
        },
        # the file name stays in the data (and in the search, and in full in the choice
        # below) but off the grid: a name with no space cannot wrap, and was cut at the edge
        column_order=["单位", "年度", "类型", "模板", "页数", "问题"],
        row_height=style.wrap_row_height(2),
        placeholder="—",
    )
    picked = list(event.selection.rows) if event is not None else []
    options = {r.sha256: label(r) + f"（{r.file_name}）" for r in shown.itertuples()}
    default = shown["sha256"].iloc[picked[0]] if picked else None
    sha = st.selectbox(
        "选择一份报告",
        list(options),
        index=list(options).index(default) if default in options else 0,
        format_func=lambda s: options[s],
        key="library_pick",
    )
    if sha is None:
        return
    with st.container(horizontal=True):
        st.button(
            "打开",
            icon=":material/open_in_new:",
            key="library_open",
            type="primary",
            on_click=_open,
            args=(current_key, str(sha)),
        )
        confirm = st.checkbox("确认移除", key="library_confirm_remove")
        if st.button("移除", icon=":material/delete:", key="library_remove", disabled=not confirm):
            lib.remove(str(sha))
            st.session_state.pop("library_confirm_remove", None)
            st.session_state.get(shelf_key, {}).pop(sha, None)
            if st.session_state.get(current_key) == sha:
                st.session_state.pop(current_key, None)
            st.rerun()


_GO_OVERVIEW = "juesuan_library_open"


def _open(current_key: str, sha: str) -> None:
    # a callback runs before the switcher is drawn, so it may set the switcher's value
    st.session_state[current_key] = sha
    st.session_state[_GO_OVERVIEW] = True


def years_page(current: Report | None = None) -> None:
    """跨年: one unit across years (lines and small multiples), renames linked by hand.

    Opens on ``current``'s unit (the report the sidebar shows), else on the first unit.
    """
    from core.present import compare_charts as cc

    lib = require_library()
    st.title("跨年对比")
    units = compare.units(lib)
    if units.empty:
        st.info("报告库中还没有注明年度的报告。", icon=":material/info:")
        return
    names = {
        k: f"{n}（{'、'.join(str(y) for y in ys)}）"
        for k, n, ys in zip(units["单位键"], units["单位"], units["年度"], strict=True)
    }
    keys = list(names)
    mine = unit_key(current.unit) if current is not None and current.unit else ""
    ukey = st.selectbox(
        "单位",
        keys,
        index=keys.index(mine) if mine in keys else 0,
        format_func=lambda k: names[k],
        key="years_unit",
    )
    if ukey is None:
        return
    frame = compare.unit_years(lib, ukey)
    unit = str(units.loc[units["单位键"] == ukey, "单位"].iloc[0])
    if frame.empty:
        st.info("这个单位的报告中没有可比的数字。", icon=":material/info:")
    else:
        inferred = frame.loc[frame["依据"] == "推算"]
        if not inferred.empty:
            yrs = "、".join(str(int(y)) for y in sorted(set(inferred["年度"])))
            st.caption(
                f"{yrs} 年没有本年报告，图中空心点为据次年报告说明所列“比上年增减”推算的上年数。"
            )
        fig = cc.build_years_chart(frame, unit, compare.year_keys(lib, frame, _loader(lib)))
        if fig is not None:
            # a point opens its printed cells in the report it comes from
            source.library_chart(fig, key="years_lines", load=_loader(lib))
        multiples = cc.build_years_small_multiples(
            frame, unit, compare.year_keys(lib, frame, _loader(lib))
        )
        if multiples is not None:
            source.library_vega(multiples, key="years_multiples", load=_loader(lib))
        wide = frame.pivot_table(index="指标", columns="年度", values="数值", aggfunc="first")
        st.dataframe(wide, key="years_table", placeholder="—")
        with st.expander("每个数字的来源"):
            st.dataframe(frame.drop(columns=["sha256"]), hide_index=True, key="years_sources")
    classes = compare.unit_classes(lib, ukey)
    st.subheader("功能分类（类）")
    chart = cc.build_class_small_multiples(
        classes, unit, compare.class_keys(lib, classes, _loader(lib))
    )
    if chart is None:
        st.info("这个单位的报告中没有读到功能分类支出（公开03）。", icon=":material/info:")
    else:
        source.library_vega(chart, key="years_classes", load=_loader(lib))
    with st.expander("单位改名：把旧名称并入新名称"):
        others = [k for k in names if k != ukey]
        if not others:
            st.caption("库中没有其他单位。")
        else:
            old = st.selectbox("旧名称", others, format_func=lambda k: names[k], key="years_alias")
            if st.button("并入当前单位", key="years_link") and old:
                lib.link_unit(old, ukey)
                st.rerun()


#: 单位对比's table inside the 1280-px page: short headers (the full name on hover), widths
#: for six-figure 万元, long unit names on two lines.
COMPARE_HEADERS = {
    "年末结转和结余": "年末结转结余",
    "人员经费占基本支出": "人员经费%",
    "三公经费预算": "三公预算",
    "绩效自评得分": "自评得分",
}
COMPARE_WIDTHS = {
    "单位": 150,
    "本年收入": 98,
    "本年支出": 98,
    "年末结转和结余": 104,
    "人员经费占基本支出": 84,
    "三公经费": 80,
    "三公经费预算": 80,
    "绩效自评得分": 76,
    "问题": 48,
}


def compare_page() -> None:
    """单位对比: several units of one year side by side; sortable, PNG and Excel, and a
    comparison slide for the briefing pack."""
    from core.library.compare import METRICS
    from core.present import compare_charts as cc
    from core.present import export

    lib = require_library()
    st.title("单位对比")
    years = compare.years(lib)
    if not years:
        st.info("报告库中还没有注明年度的报告。", icon=":material/info:")
        return
    year = st.selectbox("年度", years, key="compare_year")
    everyone = compare.compare_units(lib, int(year))
    names = dict(zip(everyone["单位键"], everyone["单位"], strict=True))
    picked = st.multiselect(
        "单位",
        list(names),
        default=list(names)[:12],
        format_func=lambda k: names[k],
        key="compare_units",
    )
    if not picked:
        st.info("请至少选择一个单位。", icon=":material/info:")
        return
    frame = compare.compare_units(lib, int(year), picked)
    shares = compare.class_shares(lib, int(year), picked)
    metric = st.selectbox("排序与作图的指标", list(METRICS), key="compare_metric")
    descending = st.toggle("从大到小", value=True, key="compare_desc")
    present = frame[metric].map(lambda v: v is not None)
    ordered = pd.concat(
        [
            frame.loc[present].sort_values(
                metric, ascending=not descending, key=lambda s: s.map(float)
            ),
            frame.loc[~present],
        ]
    )
    # 未通过 and 缺表 add up to 问题 (the caption says so), and stay in the workbook: on screen
    # they pushed the table past the page's right edge, and read 0 for an unchecked template
    table = ordered.drop(columns=["单位键", "sha256", "未通过", "缺表"])
    config: dict[str, Any] = {
        m: st.column_config.NumberColumn(
            COMPARE_HEADERS.get(m, m), format="%,.2f", width=COMPARE_WIDTHS[m], help=m
        )
        for m in METRICS
    }
    config["单位"] = st.column_config.TextColumn(width=COMPARE_WIDTHS["单位"])
    config["问题"] = st.column_config.NumberColumn(format="%d", width=COMPARE_WIDTHS["问题"])
    st.dataframe(
        table,
        hide_index=True,
        column_config=config,
        row_height=style.wrap_row_height(2),
        key="compare_table",
        placeholder="—",
    )
    st.caption(
        "空白 = 该单位报告中未列示（不按零计）；问题 = 未通过的核验 + 缺少的标准表，"
        "问题为空 = 报告中没有读到金额（如空白模板），未作核验。"
    )
    # a figure reckoned from a blank row (putuo's 年末结转和结余 0.00) is said to be one
    reckoned = compare.reckoned(lib, int(year), picked)
    for _, row in reckoned.iterrows():
        st.caption(
            f"{row['单位']}的{row['指标']} {float(row['数值']):,.2f}（推算）：{row['说明']}。"
        )
    loader = _loader(lib)
    fig = cc.build_compare_chart(
        ordered, metric, int(year), compare.unit_keys(lib, ordered, metric, loader), reckoned
    )
    downloads: list[tuple[str, bytes, str]] = [
        (
            f"{year}_单位对比.xlsx",
            cc.compare_workbook(ordered, shares, int(year), reckoned),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    ]
    if fig is not None:
        source.library_chart(fig, key="compare_chart", load=loader)
    share_fig = cc.build_class_share_chart(
        shares, int(year), compare.share_keys(lib, shares, loader)
    )
    if share_fig is not None:
        source.library_chart(share_fig, key="compare_shares", load=loader)
    with st.container(horizontal=True):
        name, data, mime = downloads[0]
        st.download_button(
            "下载 Excel",
            data=data,
            file_name=name,
            mime=mime,
            key="compare_xlsx",
            icon=":material/table:",
        )
        problem = export.export_status()
        if fig is not None and problem is None:
            st.download_button(
                "下载 PNG",
                data=lambda: export.figure_png(fig),
                file_name=f"{year}_单位对比_{metric}.png",
                mime="image/png",
                key="compare_png",
                on_click="ignore",
                icon=":material/image:",
            )
            st.download_button(
                "下载对比简报（PPT）",
                data=lambda: _comparison_pptx(ordered, metric, int(year), fig, reckoned),
                file_name=f"{year}_单位对比_简报.pptx",
                mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                key="compare_pptx",
                on_click="ignore",
                icon=":material/slideshow:",
            )
        elif problem is not None:
            st.caption(problem.message_zh)


def _comparison_pptx(
    frame: pd.DataFrame, metric: str, year: int, fig: Any, reckoned: pd.DataFrame
) -> bytes:
    from core.present import brief

    return brief.write_pptx(
        brief.build_comparison_brief(frame, metric, year, fig, reckoned=reckoned)
    )
