"""溯源 widgets: one click from a number on screen to the printed cell it was read from.

- :func:`on_table_select`, :func:`on_chart_select`: a selected table row or chart point
  opens the source dialog with the crop of every printed cell behind it.
- :func:`kpi_button`: the small 原文 button of a KPI card.
- A selected row of the checks table opens both sides' crops side by side, with the two
  numbers and the gap.
- :func:`page_browser`: the 原文 page, the PDF page by page with every number read outlined.

The pictures come from :mod:`core.present.pageview`, the facts from :mod:`core.present.trace`.
"""

from __future__ import annotations

import base64
import functools
import weakref
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.present import pageview, trace
from core.present.frames import Kpi, format_amount, format_score, table_title
from core.records import Box, Check, Fact, FundLine, Indicator, NarrativeFigure, Report

#: Crops shown at most in one dialog (a row of many columns shows its first ones).
MAX_CROPS = 6
_ZOOM_LABELS = {"cell": "单元格", "row": "整行", "page": "整页"}
_PENDING = "source_changed_selection"
_ZOOM = "source_zoom"
_LAST_DIALOG = "source_last_dialog"
#: Characters that would read as Markdown in a dialog's title (a name is shown as written).
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]<>~|#$"})


def fact_label(report: Report, fact: Fact) -> str:
    """How a fact is named above its crop: table, row, column, value, page."""
    parts = [fact.table]
    if fact.section:
        parts.append(fact.section)
    row = f"{fact.code} {fact.item}" if fact.code else fact.item
    if fact.parent:
        row = f"{fact.parent} · {row}"
    parts += [row, fact.column]
    return f"{' · '.join(parts)}　**{format_amount(fact.value)} 万元**　第 {fact.page} 页"


def _pdf(report: Report) -> bytes | None:
    data = pageview.pdf_bytes(report.sha256)
    if data is None:
        st.info(
            "这份报告的 PDF 原文不在内存中（服务重启过），请在左侧重新上传后再查看原文。",
            icon=":material/info:",
        )
    return data


def crop_png(report: Report, facts: Sequence[Fact], zoom: str = "cell") -> bytes | None:
    """The PNG of the page around the facts (all on one page), highlighted."""
    data = pageview.pdf_bytes(report.sha256)
    boxes = [f.box for f in facts if f.box is not None]
    if data is None or not facts:
        return None
    return _crop_png_cached(report.sha256, facts[0].page, tuple(boxes), zoom)


@functools.lru_cache(maxsize=256)
def _crop_png_cached(sha256: str, page: int, boxes: tuple[Box, ...], zoom: str) -> bytes | None:
    data = pageview.pdf_bytes(sha256)
    if data is None:
        return None
    crop = pageview.render_crop(data, page, boxes, zoom=zoom)
    return pageview.png_bytes(crop.image)


def _data_uri(png: bytes) -> str:
    # inline: the crop arrives with the dialog, not in a second request (and st.image does
    # not decode and re-encode it)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _zoom_control(key: str) -> str:
    zoom = st.segmented_control(
        "缩放",
        list(_ZOOM_LABELS),
        default="cell",
        format_func=_ZOOM_LABELS.__getitem__,
        key=f"{_ZOOM}-{key}",
        label_visibility="collapsed",
    )
    return zoom or "cell"


def _show_facts(report: Report, facts: Sequence[Fact], zoom: str, slot: str = "") -> None:
    """Each fact's crop under its label; at 整页, the first fact's page with next and
    previous page."""
    data = _pdf(report)
    if data is None:
        return
    if zoom == "page" and facts:
        _whole_page(report, data, facts[0], slot)
        return
    for fact in list(facts)[:MAX_CROPS]:
        st.markdown(fact_label(report, fact))
        if fact.box is None:
            st.caption("这个数字没有记下在页面上的位置，请翻到上面写的页码查看。")
            continue
        png = crop_png(report, [fact], zoom)
        if png is not None:
            st.image(_data_uri(png), width="stretch" if zoom != "cell" else "content")
    if len(facts) > MAX_CROPS:
        st.caption(f"另有 {len(facts) - MAX_CROPS} 个数字未列出。")


def _whole_page(report: Report, data: bytes, fact: Fact, slot: str) -> None:
    """The fact's page, highlighted, with 上一页 / 下一页 (other pages plain)."""
    key = f"source-dialog-page-{slot}-{report.sha256[:12]}-{fact.page}"
    n = pageview.page_count(data)
    page = int(st.session_state.get(key, fact.page))
    with st.container(horizontal=True, vertical_alignment="center"):
        if st.button("上一页", icon=":material/chevron_left:", disabled=page <= 1, key=f"{key}-p"):
            page -= 1
        if st.button("下一页", icon=":material/chevron_right:", disabled=page >= n, key=f"{key}-n"):
            page += 1
        st.caption(f"第 {page} 页，共 {n} 页" + ("（数字所在页）" if page == fact.page else ""))
    st.session_state[key] = page
    if page == fact.page:
        st.markdown(fact_label(report, fact))
    boxes = [fact.box] if page == fact.page and fact.box is not None else []
    png = pageview.png_bytes(pageview.render_crop(data, page, boxes, zoom="page").image)
    st.image(_data_uri(png), width="stretch")


def _open_dialog(title: str, content: Hashable, body: Callable[..., None], *args: Any) -> None:
    """Open ``body(*args)`` in the source dialog titled ``title``; ``content`` names what it
    shows (equal for the same cells).

    Streamlit's browser side keeps the children of the last dialog it showed when the next
    one has the same id, and its id is made of its title (and width): a dialog reopened for
    another number would show the last number's crop until its own arrives. So a dialog for
    other content never has the exact title of the dialog before it: when the title would be
    the same, an invisible character tells them apart."""
    last = st.session_state.get(_LAST_DIALOG)
    if last is not None and last[0] == title and last[1] != content:
        title += "\u200b"
    st.session_state[_LAST_DIALOG] = (title, content)
    st.dialog(title, width="large")(body)(*args)


def _facts_dialog(report: Report, keys: tuple[int, ...]) -> None:
    facts = trace.facts_by_keys(report, keys)
    zoom = _zoom_control("facts")
    _show_facts(report, facts, zoom)


def _nothing_printed(what: str) -> None:
    st.toast(
        f"{what}：这是看板计算出的数（合计、占比等），PDF 中没有单独印出这个数。",
        icon=":material/info:",
    )


def open_facts(report: Report, facts: Sequence[Fact], what: str = "") -> None:
    """Open the source dialog for these facts (a toast when there are none)."""
    if not facts:
        _nothing_printed(what or "所选内容")
        return
    keys = tuple(trace.fact_key(report, f) for f in facts)
    # the title names what was clicked (the labels above the crops name each cell)
    title = f"原文 · {what.translate(_MARKDOWN)}" if what else "原文"
    _open_dialog(title, ("facts", keys), _facts_dialog, report, keys)


def _check_dialog(report: Report, index: int) -> None:
    check = report.checks[index]
    found, expected = trace.facts_for_check(report, check)
    st.markdown(f"**{check.rule}**")
    gap = check.gap
    cols = st.columns(3)
    cols[0].metric("实为（表中印出）", _amount(check.found))
    cols[1].metric("应为", _amount(check.expected))
    cols[2].metric("差额", _amount(gap) if gap is not None else "—")
    zoom = _zoom_control("check")
    if _pdf(report) is None:
        return
    left, right = st.columns(2)
    for col, side, name, value in (
        (left, found, "实为", check.found),
        (right, expected, "应为", check.expected),
    ):
        with col:
            st.markdown(f"##### {name}　{_amount(value)}")
            if side:
                _show_facts(report, side, zoom, slot=name)
            elif value is None:
                st.caption("报告中没有这一项。")
            else:
                st.caption("这一侧是由多项相加得出的数，PDF 中没有单独印出；相加的各项见所在页：")
                pages = ", ".join(str(p) for p in check.pages) or "—"
                st.caption(f"涉及 {'、'.join(check.tables)}，第 {pages} 页。")


def _amount(value: Any) -> str:
    return "—" if value is None else f"{format_amount(value)} 万元"


def finding_button(report: Report, sentence: str, key: str) -> None:
    """The 原文对照 button of a finding on 数据核验: both printed figures side by side."""
    from core.present.frames import check_sentence

    check = next(
        (c for c in report.checks if c.kind != "missing" and check_sentence(c) == sentence), None
    )
    if check is None:
        return
    if st.button("原文对照", key=f"source-{key}", icon=":material/find_in_page:", type="tertiary"):
        open_check(report, check)


def open_check(report: Report, check: Check) -> None:
    """Open both sides of a check, side by side."""
    index = next(i for i, c in enumerate(report.checks) if c is check)
    _open_dialog("数据核验 · 原文对照", ("check", index), _check_dialog, report, index)


def _changed(key: str) -> Any:
    """The ``on_select`` callback of a selectable widget: note that its selection changed.

    A dialog opens on a change the user made, and only then: a rerun for another reason, or
    the widget drawn again after a visit to another page with its old selection, opens
    nothing; a selection the user makes again after that does."""

    def mark() -> None:
        st.session_state.setdefault(_PENDING, set()).add(key)

    return mark


def _selected(state: Any, what: str) -> list[Any]:
    """The rows or points a selectable widget's state (the event it returned, or its value in
    session state before it is drawn in this run) holds as selected."""
    selection = getattr(state, "selection", None)
    if selection is None and isinstance(state, dict):
        selection = state.get("selection")
    found = getattr(selection, what, None)
    if found is None and isinstance(selection, dict):
        found = selection.get(what)
    return list(found or [])


def _fresh(key: str, selection: Any) -> bool:
    """True the one run after the user changed this widget's selection to a non-empty one."""
    pending: set[str] = st.session_state.setdefault(_PENDING, set())
    if key not in pending:
        return False
    pending.discard(key)
    return bool(selection)


def on_table_select(report: Report, frame: pd.DataFrame, event: Any, key: str) -> None:
    """Open the source of the row just selected in a dashboard table."""
    rows = list(_selected(event, "rows"))
    if not _fresh(f"table-{key}", rows) or rows[0] >= len(frame):
        return
    open_row(report, frame, rows[0])


def row_at(frame: pd.DataFrame, position: int) -> dict[str, Any]:
    """The frame's row at ``position`` (0 = its first row) as Python values: a page number
    read as numpy's int64 would not count as a page for :mod:`core.present.trace`."""
    return {str(k): v for k, v in frame.iloc[position].to_dict().items()}


def open_row(report: Report, frame: pd.DataFrame, position: int) -> None:
    """Open the source of the table row at ``position`` (0 = the frame's first row)."""
    row = row_at(frame, position)
    if "规则" in row:
        check = next((c for c in report.checks if c.rule == row["规则"]), None)
        if check is not None:
            open_check(report, check)
            return
    if "原文" in row:
        figures = trace.narrative_for_row(report, row)
        if figures:
            open_narrative(report, figures)
            return
    if "三级指标" in row or "资金" in row:
        lines = trace.scorecard_for_row(report, row)
        if lines:
            _open_printed(report, tuple(_scorecard_entry(x) for x in lines))
            return
    name = next((str(v) for v in row.values() if isinstance(v, str) and v), "所选行")
    facts = trace.facts_for_row(report, row)
    if not facts:
        figures = trace.narrative_named_in_row(report, row)
        if figures:
            open_narrative(report, figures)
            return
    open_facts(report, facts, name)


#: What a printed-but-not-table number shows: (label, quote, page, box of the number, box
#: around it), the boxes None where the parser did not record them.
_Entry = tuple[str, str, int, Box | None, Box | None]


def _scorecard_entry(line: Indicator | FundLine) -> _Entry:
    if isinstance(line, Indicator):
        label = f"绩效自评表 · {line.level3}　实际完成值 **{line.actual}**　第 {line.page} 页"
    else:
        label = f"绩效自评表 · {line.name}　第 {line.page} 页"
    return (label, "", line.page, line.box, None)


def _narrative_entries(figures: Sequence[NarrativeFigure]) -> list[_Entry]:
    entries: list[_Entry] = []
    for fig in figures:
        value = format_amount(fig.value) if fig.unit == "万元" else f"{fig.value}"
        label = f"说明 · {fig.topic}　**{value} {fig.unit}**　第 {fig.page} 页"
        entries.append((label, fig.sentence, fig.page, fig.box, fig.sentence_box))
    return entries


def open_narrative(report: Report, figures: Sequence[NarrativeFigure]) -> None:
    """Open figures stated in the text: each number outlined in its sentence."""
    _open_printed(report, tuple(_narrative_entries(figures)))


def _open_printed(report: Report, entries: tuple[_Entry, ...]) -> None:
    """Open numbers printed outside the 公开 tables (sentences, scorecard rows)."""
    _open_dialog("原文", ("printed", entries), _printed_dialog, report, entries)


def _printed_dialog(report: Report, entries: tuple[_Entry, ...]) -> None:
    """Numbers printed outside the 公开 tables: the number outlined where its place is
    known, else its whole page."""
    _show_entries(report, entries)


def _show_entries(report: Report, entries: Sequence[_Entry]) -> None:
    data = _pdf(report)
    for label, quote, page, box, around in list(entries)[:MAX_CROPS]:
        st.markdown(label)
        if quote:
            st.caption(f"“{quote}”")
        if data is None:
            continue
        if box is not None:
            crop = pageview.render_crop(data, page, [box], zoom="row")
        else:
            st.caption("这个数字在页面上的位置没有记下，下面是它所在的整页。")
            crop = pageview.render_crop(data, page, [around] if around else [], zoom="page")
        st.image(_data_uri(pageview.png_bytes(crop.image)), width="stretch")


def _field(point: dict[str, Any], name: str) -> Any:
    """A point's field by its snake_case name (as Streamlit hands it over) or plotly's own."""
    if name in point:
        return point[name]
    head, *rest = name.split("_")
    return point.get(head + "".join(r.title() for r in rest))


def _with_customdata(point: dict[str, Any], fig: go.Figure | None) -> dict[str, Any]:
    """The point with its trace's customdata: Streamlit reports a treemap (or sunburst) click
    by the box's id and number only, so the figure drawn says what the box carries."""
    if "customdata" in point or fig is None:
        return point
    curve, number = _field(point, "curve_number"), _field(point, "point_number")
    if not isinstance(curve, int) or not isinstance(number, int) or curve >= len(fig.data):
        return point
    custom = getattr(fig.data[curve], "customdata", None)
    if custom is None or number >= len(custom):
        return point
    return {**point, "customdata": custom[number]}


def _opens_a_box(point: dict[str, Any], fig: go.Figure | None) -> bool:
    """A click on a treemap box that has boxes inside it and no cell of its own (a 「较小的
    N 项」 box), or on the box heading the map (a click there goes up a level): plotly opens
    or leaves the box; there is no printed cell to show."""
    if fig is None or "id" not in point or "parent" not in point:
        return False
    curve = _field(point, "curve_number")
    if not isinstance(curve, int) or curve >= len(fig.data):
        return False
    parents = getattr(fig.data[curve], "parents", None) or ()
    has_boxes = point["id"] in set(parents)
    if not has_boxes:
        return False
    named = trace.key_in(point)
    if named is None or named == trace.point_key():
        return True
    # the box heading the map is all of the map in view but only part of its own parent (a
    # box that is its parent's only child is both: it opens its cell like any other box)
    return _field(point, "percent_entry") == 1 and _field(point, "percent_parent") != 1


def _scorecard_entries(report: Report, named: str) -> list[_Entry]:
    entries = []
    for x in trace.resolve_scorecard(report, named):
        if isinstance(x, Indicator | FundLine):
            entries.append(_scorecard_entry(x))
        elif x.total_page is not None:
            score = format_score(x.total_score)
            label = f"{x.title or '绩效自评表'} · 总分　**{score} 分**　第 {x.total_page} 页"
            entries.append((label, "", x.total_page, x.total_box, None))
    return entries


def on_chart_select(
    report: Report, event: Any, key: str, fig: go.Figure | None = None
) -> dict[str, Any] | None:
    """Open the source of the chart point (bar, box, slice) just clicked; the point read (None
    when no point was just picked)."""
    points = list(_selected(event, "points"))
    if not _fresh(f"chart-{key}", points):
        return None
    point = _with_customdata(dict(points[0]), fig)
    if _opens_a_box(point, fig):
        return point
    what = str(point.get("label") or point.get("y") or point.get("x") or "所选图形")
    what = what.replace("<br>", "")
    named = trace.key_in(point)
    if named is not None:
        _open_key(report, named, what)
        return point
    # a chart that carries no key: found by amount, page and name
    facts = trace.facts_for_point(report, point)
    figures = [] if facts else trace.narrative_for_point(report, point)
    if figures:
        open_narrative(report, figures)
        return point
    open_facts(report, facts, what)
    return point


def _open_key(report: Report, named: str, what: str) -> None:
    """Open what a point key names (core.present.charts): exactly those cells, figures or
    scorecard rows; an empty key is a computed number."""
    facts, figures = trace.resolve_key(report, named)
    entries = _scorecard_entries(report, named)
    if entries:
        _open_printed(report, tuple(entries))
    elif figures:
        open_narrative(report, figures)
    else:
        open_facts(report, facts, what)


# -- the library's comparison charts: each point opens the cells of its own report -------------


def _other_report_dialog(report: Report, named: str, what: str) -> None:
    """Everything a comparison point's key names in its report, and how the number drawn
    was worked out of them where it is no printed cell (a share, a year worked out)."""
    facts, figures = trace.resolve_key(report, named)
    entries = _scorecard_entries(report, named) + _narrative_entries(figures)
    year = f"{report.year} 年度 · " if report.year else ""
    unit = report.unit or report.file_name
    st.caption(f"{year}{unit}" + (f"　{what}" if what and what != unit else ""))
    note = trace.key_note(named)
    if note:
        st.markdown(f"**计算方法**：{note}" + ("；下面是参与计算的原文数字。" if facts else ""))
    if not facts and not entries:
        st.caption("报告中没有单独印出这个数。")
        return
    if facts:
        _show_facts(report, facts, _zoom_control("other"), slot="other")
    if entries:
        _show_entries(report, entries)


def _open_other(report: Report, named: str, what: str) -> None:
    """Open what a comparison point's key names in its own report."""
    _open_dialog(
        "原文", ("other", report.sha256, named, what), _other_report_dialog, report, named, what
    )


def on_library_select(
    event: Any, key: str, fig: go.Figure | None, load: Callable[[str], Report | None]
) -> dict[str, Any] | None:
    """Open the source of the comparison point just clicked, in the report it comes from; the
    point read (None when no point was just picked)."""
    points = list(_selected(event, "points"))
    if not _fresh(f"chart-{key}", points):
        return None
    point = _with_customdata(dict(points[0]), fig)
    _open_library_point(point, load)
    return point


def _open_library_point(point: dict[str, Any], load: Callable[[str], Report | None]) -> None:
    y, x = point.get("y"), point.get("x")
    # a bar names its unit (y); a point of the years chart its year (x), which is not
    # always the year of the report that states it (a year worked out of the next one's)
    what = y if isinstance(y, str) else f"图中所点：{int(x)} 年" if isinstance(x, int) else ""
    named = trace.key_in(point)
    sha = trace.key_report(named) if named else None
    report = load(sha) if sha else None
    if named is None or report is None:
        _nothing_printed(what or "所选图形")
        return
    facts, figures = trace.resolve_key(report, named)
    if not (facts or figures or trace.resolve_scorecard(report, named) or trace.key_note(named)):
        _nothing_printed(what or "所选图形")
        return
    _open_other(report, named, what)


@st.fragment
def library_chart(
    fig: go.Figure,
    *,
    key: str,
    load: Callable[[str], Report | None],
    config: dict[str, Any] | None = None,
) -> None:
    """A comparison chart of the library whose points (bars, line markers) open their
    printed cells in the report each comes from (its key names it)."""
    pick_chart(
        fig,
        name=f"chart-{key}",
        config=config or {},
        read=lambda state: on_library_select(state, key, fig, load),
    )


def _picked_key(event: Any, key: str) -> tuple[bool, str | None]:
    """Whether the user just picked a point of a keyed altair chart (a selection made, the
    one run after the click), and the key (:data:`compare_charts.PICK`) it holds."""
    from core.present.compare_charts import PICK

    points = _selected(event, PICK)
    if not _fresh(f"vega-{key}", points):
        return False, None
    first = points[0]
    found = first.get("_key") if isinstance(first, dict) else None
    named = found if isinstance(found, str) and found.startswith(trace.KEY_PREFIX) else None
    return True, named


#: selectable chart (its name) → how many picks of it were read (its widget's key carries it).
_ROUND = "source_pick_round"
#: selectable chart (its name) → (the widget drawn, the treemap level it was drawn at, a weak
#: reference to the figure drawn).
_LEVEL = "source_pick_level"


def _widget(name: str, ahead: int = 0) -> str:
    """The widget key the chart ``name`` is drawn under now (``ahead=1``: the next one, a
    chart drawn under it has nothing selected)."""
    rounds: dict[str, int] = st.session_state.get(_ROUND, {})
    return f"{name}-{rounds.get(name, 0) + ahead}"


def _advance(name: str) -> None:
    """Note the chart ``name`` drawn under its next widget key. Only once it is drawn: a run
    stopped before that (the user clicked again while the dialog was being built) leaves the
    old key, whose chart is the one the user clicked."""
    rounds: dict[str, int] = st.session_state.setdefault(_ROUND, {})
    rounds[name] = rounds.get(name, 0) + 1


@st.fragment
def library_vega(chart: Any, *, key: str, load: Callable[[str], Report | None]) -> None:
    """A keyed small-multiples chart of the library (altair): a click on a point or bar
    opens its printed cells in the report it comes from.

    Streamlit reports a vega selection only when it changes: the same mark clicked again
    would open nothing. So once a pick is read, the chart is drawn under a new widget key,
    as a chart with nothing selected, and the next click on any mark, the same one too, is a
    change. Nothing else is lost: the chart holds no state but its selection (no zoom, no
    pan), and the new key asks for no rerun (a new widget with no selection reports none)."""
    from core.present.compare_charts import PICK

    widget = _widget(f"vega-{key}")
    state = st.session_state.get(widget)
    picked, named = _picked_key(state, key)
    # (a pick read in a run stopped before the chart was drawn anew: drawn anew now)
    picked = picked or bool(_selected(state, PICK))
    if picked:
        widget = _widget(f"vega-{key}", ahead=1)
    if named is not None:
        sha = trace.key_report(named)
        report = load(sha) if sha else None
        facts, figures = trace.resolve_key(report, named) if report else ([], [])
        if report is None or not (facts or figures or trace.key_note(named)):
            _nothing_printed("所选图形")
        else:
            _open_other(report, named, "")
    st.altair_chart(
        chart,
        key=widget,
        on_select=_changed(f"vega-{key}"),
        selection_mode=PICK,
    )
    if picked:
        _advance(f"vega-{key}")


def pick_chart(
    fig: go.Figure,
    *,
    name: str,
    config: dict[str, Any],
    read: Callable[[Any], dict[str, Any] | None],
) -> None:
    """A plotly chart whose points open their source: ``read`` takes the chart's state (the
    event it last reported), opens the dialog of the point just picked and returns that point
    (None when nothing was just picked). Every selectable plotly chart of the app is drawn here.

    plotly toggles a selected point off when it is clicked again, and a double-click (its reset
    of the view) empties the selection too: Streamlit reports both as an empty selection, so
    the same bar clicked a second time could open nothing, and nothing on the server tells it
    from a double-click. So once a pick is read, the chart is drawn under a new widget key, as
    a chart with nothing selected: the next click on any point, the same one too, is a new
    selection, and a double-click finds nothing to empty (no event, nothing opens). The new
    key asks for no rerun (a chart with no selection reports none). What the browser held for
    the old chart is dropped with it: a view the user zoomed or panned comes back whole once a
    source has opened; a treemap stays at the level the click took it to (drawn at that level,
    as plotly would show it)."""
    widget = _widget(name)
    levels: dict[str, tuple[str, str | None, Any]] = st.session_state.setdefault(_LEVEL, {})
    held = levels.get(name)
    # a level holds while its chart is drawn: the same figure, and its widget kept by
    # Streamlit (a visit to another page drops the widget, and the map is drawn whole)
    level = (
        held[1]
        if held is not None
        and held[0] == widget
        and held[2]() is fig
        and widget in st.session_state
        else None
    )
    state = st.session_state.get(widget)
    point = read(state)
    selected = _selected(state, "points")
    if point is None and selected:
        # a pick read in a run stopped before the chart was drawn anew: drawn anew now
        point = dict(selected[0])
    if point is not None:
        widget = _widget(name, ahead=1)
        level = _level_after(fig, point, level)
    st.plotly_chart(
        _at_level(_unfaded(fig), level),
        theme=None,
        key=widget,
        config=config,
        on_select=_changed(name),
        selection_mode="points",
    )
    if point is not None:
        _advance(name)
        levels[name] = (widget, level, weakref.ref(fig))


_HIERARCHIES = {"treemap", "sunburst", "icicle"}


def _level_after(fig: go.Figure, point: dict[str, Any], level: str | None) -> str | None:
    """The level a click on ``point`` takes a treemap to, as plotly.js does it: a box with
    boxes inside opens (the box heading the map goes up to its parent); a box with none, and
    the root, leave the map as it is. ``level``: the level it was drawn at (None: the
    figure's own). None for a point of any other chart."""
    curve = _field(point, "curve_number")
    clicked = point.get("id")
    if not isinstance(curve, int) or curve >= len(fig.data) or not isinstance(clicked, str):
        return level
    shown = fig.data[curve]
    if shown.type not in _HIERARCHIES or shown.ids is None or shown.parents is None:
        return level
    ids, parents = list(shown.ids), list(shown.parents)
    if clicked not in ids:
        return level
    root = next((i for i, p in zip(ids, parents, strict=False) if not p), None)
    entry = level or shown.level or root
    if clicked == root or clicked not in set(parents):
        return level
    if clicked == entry:
        return parents[ids.index(clicked)] or root
    return clicked


def _at_level(fig: go.Figure, level: str | None) -> go.Figure:
    """The figure with its treemap drawn at ``level`` (a copy; the figure itself when None)."""
    if level is None:
        return fig
    shown = go.Figure(fig)
    for trace_ in shown.data:
        if trace_.type in _HIERARCHIES:
            trace_.level = level
    return shown


def _slice_buttons(report: Report, fig: go.Figure, key: str) -> None:
    """A 原文 button under a ring for each slice that names a printed figure: Streamlit
    reports no click on a pie slice (plotly's pie takes no selection), so the slice's key
    is one click away here instead."""
    slices = [
        (str(label), named)
        for tr in fig.data
        if tr.type == "pie" and tr.customdata is not None
        for label, custom in zip(tr.labels, tr.customdata, strict=False)
        if (named := trace.key_in({"customdata": list(custom)})) and named != trace.point_key()
    ]
    if not slices:
        return
    with st.container(horizontal=True, horizontal_alignment="center"):
        for i, (label, named) in enumerate(slices):
            if st.button(
                f"{label} 原文",
                key=f"source-slice-{key}-{i}",
                icon=":material/find_in_page:",
                type="tertiary",
            ):
                _open_key(report, named, label)


# Each selectable widget runs in a fragment: a click reruns the widget and opens its dialog,
# not the whole page with every chart on it.

#: The column of 原文 buttons a dashboard table shows first (a name no table has).
SOURCE_COLUMN = "\u200b原文"
#: The label of each row's button there.
SOURCE_BUTTON = "原文"
_CLICKED = "source_clicked_row"


def _button_clicked(key: str) -> Any:
    """The ``on_click`` callback of a table's 原文 buttons: note the row clicked (its
    position in the frame as given, whatever order the user sorted the table in)."""

    def mark() -> None:
        click = st.session_state.get(f"{key}-source")
        if click is not None:
            st.session_state[_CLICKED] = (key, int(click["row"]))

    return mark


@st.fragment
def selectable_table(
    report: Report,
    frame: pd.DataFrame,
    shown: pd.DataFrame,
    *,
    key: str,
    column_config: dict[str, Any],
    height: Any,
    row_height: int | None = None,
    button: bool = True,
) -> None:
    """``shown`` (``frame`` as displayed) as a table whose rows open their printed cells: a
    row's 原文 button (unless ``button`` is false: a table with no room for it), or a row
    selected.

    Both reach the same dialog. The button is the quick way: Streamlit's grid sends a row
    selection 150 ms after the click (it waits for more selecting), a button click at once."""
    # The row just clicked opens its dialog before the table is drawn again: the crop goes
    # out first and the browser shows it without waiting for the grid's redraw.
    clicked = st.session_state.pop(_CLICKED, None)
    if clicked is not None and clicked[0] == key and 0 <= clicked[1] < len(frame):
        open_row(report, frame, clicked[1])
    on_table_select(report, frame, st.session_state.get(key), key)
    data = pageview.pdf_bytes(report.sha256)
    if data is not None:
        pages = sorted(
            {
                p
                for col in frame.columns
                if "页" in str(col)
                for v in frame[col]
                for p in trace.pages_in(v)
            }
        )
        pageview.warm_pages(data, pages)
    config = dict(column_config)
    if button:
        buttons = pd.DataFrame({SOURCE_COLUMN: [SOURCE_BUTTON] * len(shown)}, index=shown.index)
        shown = pd.concat([buttons, shown], axis=1)
        config[SOURCE_COLUMN] = st.column_config.ButtonColumn(
            "",
            width=56,
            alignment="left",
            type="tertiary",
            help="打开这一行数字在 PDF 上印出的地方",
            on_click=_button_clicked(key),
            key=f"{key}-source",
        )
    st.dataframe(
        shown,
        hide_index=True,
        column_config=config,
        height=height,
        row_height=row_height,
        key=key,
        placeholder="—",
        on_select=_changed(f"table-{key}"),
        selection_mode="single-row",
    )


#: id(figure) → (a weak reference to it, its unfaded copy); figures are kept by ui.chart.
_UNFADED: dict[int, tuple[weakref.ref[go.Figure], go.Figure]] = {}


def _unfaded(fig: go.Figure) -> go.Figure:
    """The figure with unselected points drawn as before: a click opens the source, it does
    not grey out the rest of the chart (a copy, made once per figure)."""
    held = _UNFADED.get(id(fig))
    if held is not None and held[0]() is fig:
        return held[1]
    shown = go.Figure(fig)
    for trace_ in shown.data:
        if "unselected" in trace_:
            trace_.unselected = {"marker": {"opacity": 1}}
    _UNFADED[id(fig)] = (weakref.ref(fig), shown)
    weakref.finalize(fig, _UNFADED.pop, id(fig), None)
    return shown


@st.fragment
def selectable_chart(report: Report, fig: go.Figure, *, key: str, config: dict[str, Any]) -> None:
    """A plotly chart whose bars, boxes and slices open their printed cells."""
    pick_chart(
        fig,
        name=f"chart-{key}",
        config=config,
        read=lambda state: on_chart_select(report, state, key, fig),
    )
    _slice_buttons(report, fig, key)


@st.fragment
def kpi_button(report: Report, kpi: Kpi, key: str) -> None:
    """The 原文 button of a KPI card (only when a printed cell stands behind the figure)."""
    names = [kpi.label, *kpi.source.split("、")]
    facts = list(kpi.facts) or trace.facts_for_figure(
        report, kpi.value if kpi.unit == "万元" else None, kpi.pages, names
    )
    if not facts:
        return
    if st.button("原文", key=f"source-{key}", icon=":material/find_in_page:", type="tertiary"):
        open_facts(report, facts, kpi.label)


# -- the 原文 page -------------------------------------------------------------------------------


def build_page_chart(
    report: Report, data: bytes, page: int, scale: float = pageview.PAGE_SCALE
) -> go.Figure:
    """The page as a picture with every fact on it outlined; hover tells how it was read."""
    image = pageview.render_page(data, page, scale)
    width, height = image.width / scale, image.height / scale
    facts = [(i, f) for i, f in enumerate(report.facts) if f.page == page and f.box is not None]
    fig = go.Figure()
    fig.add_layout_image(
        source=image,
        xref="x",
        yref="y",
        x=0,
        y=0,
        sizex=width,
        sizey=height,
        sizing="stretch",
        layer="below",
    )
    xs: list[float | None] = []
    ys: list[float | None] = []
    for _, f in facts:
        assert f.box is not None
        x0, top, x1, bottom = f.box
        xs += [x0 - 1, x1 + 1, x1 + 1, x0 - 1, x0 - 1, None]
        ys += [top - 1, top - 1, bottom + 1, bottom + 1, top - 1, None]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": "rgb(230,81,0)", "width": 1},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    # one marker per fact at its centre carries the hover and the click
    fig.add_trace(
        go.Scatter(
            x=[(f.box[0] + f.box[2]) / 2 for _, f in facts if f.box],
            y=[(f.box[1] + f.box[3]) / 2 for _, f in facts if f.box],
            mode="markers",
            marker={
                "symbol": "square",
                "size": [max(8.0, (f.box[2] - f.box[0]) * 1.1) for _, f in facts if f.box],
                "color": "rgba(230,81,0,0.08)",
            },
            customdata=[[i, fact_label(report, f).replace("**", "")] for i, f in facts],
            hovertemplate="%{customdata[1]}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_xaxes(range=[0, width], visible=False, constrain="domain")
    fig.update_yaxes(range=[height, 0], visible=False, scaleanchor="x")
    fig.update_layout(
        template="plotly_white",
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=int(900 * height / max(width, height)) + 40,
        dragmode="pan",
        hoverlabel={"font_size": 13},
    )
    return fig


_PAGE_CHARTS: dict[tuple[str, int], go.Figure] = {}


def _page_chart(report: Report, data: bytes, page: int) -> go.Figure:
    """:func:`build_page_chart`, kept for the last few pages shown (its picture is encoded
    once, not on every rerun)."""
    key = (report.sha256, page)
    fig = _PAGE_CHARTS.pop(key, None) or build_page_chart(report, data, page)
    _PAGE_CHARTS[key] = fig
    while len(_PAGE_CHARTS) > 8:
        _PAGE_CHARTS.pop(next(iter(_PAGE_CHARTS)))
    return fig


def page_browser(report: Report) -> None:
    """The 原文 page: the PDF page by page, every number read outlined."""
    data = _pdf(report)
    if data is None:
        return
    n = pageview.page_count(data)
    key = f"source-page-{report.sha256[:12]}"
    read = sorted({f.page for f in report.facts})
    if key not in st.session_state:
        st.session_state[key] = read[0] if read else 1

    def step(delta: int) -> None:
        st.session_state[key] = min(n, max(1, st.session_state[key] + delta))

    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.button(
            "上一页", on_click=step, args=(-1,), icon=":material/chevron_left:", key="src-prev"
        )
        st.number_input("页码", min_value=1, max_value=n, step=1, key=key, width=140)
        st.button(
            "下一页", on_click=step, args=(1,), icon=":material/chevron_right:", key="src-next"
        )
        st.caption(f"共 {n} 页；读出数字的页：{_ranges(read)}")
    page = int(st.session_state[key])
    on_page = [f for f in report.facts if f.page == page]
    tables = sorted({f.table for f in on_page})
    if on_page:
        st.caption(
            f"本页读出 {len(on_page)} 个数字（{'、'.join(table_title(report, t) for t in tables)}），"
            "悬停看读法，点击看放大的单元格。"
        )
    else:
        st.caption("本页没有读出表格中的数字。")
    fig = _page_chart(report, data, page)
    name = f"source-page-chart-{page}"

    def picked(state: Any) -> dict[str, Any] | None:
        points = _selected(state, "points")
        if not _fresh(name, points):
            return None
        custom = points[0].get("customdata") or []
        if custom:
            open_facts(report, trace.facts_by_keys(report, [custom[0]]), "")
        return dict(points[0])

    pick_chart(fig, name=name, config={"displaylogo": False, "scrollZoom": True}, read=picked)


def _ranges(pages: Sequence[int]) -> str:
    if not pages:
        return "无"
    out: list[str] = []
    start = prev = pages[0]
    rest: list[int | None] = [*pages[1:], None]
    for p in rest:
        if p is not None and p == prev + 1:
            prev = p
            continue
        out.append(f"{start}" if start == prev else f"{start}–{prev}")
        if p is not None:
            start = prev = p
    return "、".join(out)
