"""Chart slides: the dashboard's charts in page order, drawn as PNGs sized for a room."""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable, Mapping, Sequence

import plotly.graph_objects as go

from core.present import charts, export, frames
from core.present.brief.layout import (
    CHART_TOP_MARGIN,
    DEFAULT_BAR_TEXT,
    DEFAULT_CHART_HEIGHT,
    DEFAULT_CHART_SCALE,
    DEFAULT_CHART_SQUEEZE,
    DEFAULT_CHART_WIDTH,
    DEFAULT_MAX_CHART_HEIGHT,
    DEFAULT_ROW_PITCH,
)
from core.present.brief.record import CHART, Slide
from core.present.brief.takeaways import (
    _say_balance,
    _say_budget,
    _say_change,
    _say_classes,
    _say_economic,
    _say_flows,
    _say_funds,
    _say_indicators,
    _say_personnel,
    _say_score,
    _say_split,
    _say_three,
)
from core.records import Report

# -- charts and their takeaways -----------------------------------------------------------------

_Said = Callable[[], str]


def _charts(report: Report) -> list[tuple[str, go.Figure, _Said]]:
    """The dashboard's charts in page order, each with how its takeaway is written."""
    found: list[tuple[str, go.Figure | None, _Said]] = [
        ("sankey", charts.build_sankey_chart(report), lambda: _say_flows(report)),
        ("waterfall", charts.build_waterfall_chart(report), lambda: _say_balance(report)),
        ("split", charts.build_spending_split_chart(report), lambda: _say_split(report)),
        (
            "treemap",
            charts.build_treemap_chart(report, "支出"),
            lambda: _say_classes(report),
        ),
        ("personnel", charts.build_personnel_chart(report), lambda: _say_personnel(report)),
        ("economic", charts.build_economic_chart(report), lambda: _say_economic(report)),
        ("three_public", charts.build_three_public_chart(report), lambda: _say_three(report)),
    ]
    perf = frames.main_performance(report)
    if perf is not None:
        found += [
            ("score", charts.build_score_gauge_chart(report, perf), lambda: _say_score(perf)),
            ("funds", charts.build_fund_execution_chart(report, perf), lambda: _say_funds(perf)),
            (
                "indicators",
                charts.build_indicator_chart(report, perf),
                lambda: _say_indicators(perf),
            ),
        ]
    # As the 预算执行 page: the 项 changes on last year only when no budget figures are stated.
    budget = charts.build_budget_execution_chart(report)
    if budget is not None:
        found.append(("budget", budget, lambda: _say_budget(report)))
    else:
        found.append(
            ("change", charts.build_item_change_chart(report), lambda: _say_change(report))
        )
    return [part for key, fig, say in found if fig is not None for part in _split(key, fig, say)]


def _split(key: str, fig: go.Figure, say: _Said) -> list[tuple[str, go.Figure, _Said]]:
    """The chart as one slide's, or a horizontal bar chart too tall for one slide (its
    labels would shrink under 13 pt: :data:`DEFAULT_MAX_CHART_HEIGHT`) as parts of its rows,
    top to bottom, each titled （1/2）… and keyed ``key``, ``key-2``…; each part keeps the
    whole chart's takeaway."""
    room = _row_room(fig)
    if room is None:
        return [(key, fig, say)]
    fixed, pitch, rows = room
    if fixed + pitch * len(rows) <= DEFAULT_MAX_CHART_HEIGHT or len(rows) < 2:
        return [(key, fig, say)]
    if any(str(a.yref or "").startswith("y") for a in fig.layout.annotations) or (
        fig.layout.shapes
    ):
        return [(key, fig, say)]  # drawn against rows: not cut apart
    fits = max(1, int((DEFAULT_MAX_CHART_HEIGHT - fixed) // pitch))
    chunks = _by_trace(fig, rows, fits)
    if chunks is None:
        count = math.ceil(len(rows) / fits)
        size = math.ceil(len(rows) / count)  # parts of about equal size
        chunks = [rows[i : i + size] for i in range(0, len(rows), size)]
    title = fig.layout.title.text or ""
    span = _shared_range(fig, rows)
    parts = []
    for number, chunk in enumerate(chunks, start=1):
        part = _rows_of(fig, chunk)
        part.update_layout(title_text=f"{title}（{number}/{len(chunks)}）")
        if span is not None:
            # one scale on every part: a bar on the next slide as long as one on this
            # slide stands for the same amount
            part.update_xaxes(range=span, autorange=False)
        parts.append((key if number == 1 else f"{key}-{number}", part, say))
    return parts


def _shared_range(fig: go.Figure, rows: Sequence[object]) -> list[float] | None:
    """The x range every part of a split bar chart is drawn on: the whole chart's values,
    and room right of the longest bar for its label (as wide as the slide draws it); None
    when the chart sets its own range or its bars run both ways."""
    if fig.layout.xaxis.range is not None:
        return None
    values: list[tuple[float, str]] = []
    for trace in fig.data:
        if trace.type != "bar":
            continue
        xs = list(trace.x or ())
        texts = trace.text
        shown = list(texts) if isinstance(texts, list | tuple) else [texts] * len(xs)
        values += [
            (float(x), "" if t is None else str(t))
            for x, t in zip(xs, shown, strict=True)
            if x is not None
        ]
    if not values or min(v for v, _ in values) < 0:
        return None
    top = max(v for v, _ in values)
    if top <= 0:
        return None
    tick = float(fig.layout.yaxis.tickfont.size or 15)
    names = max(charts.text_px(str(r), tick) for r in rows)
    label = max(charts.text_px(t, 16) for v, t in values if v == top) + 12
    plot = DEFAULT_CHART_WIDTH - names - 60  # the row names left, the margins
    if plot <= label * 1.5:
        return None
    return [0.0, top * plot / (plot - label)]


def _by_trace(fig: go.Figure, rows: list[object], fits: int) -> list[list[object]] | None:
    """The rows in parts that keep each trace's rows together (a chart in sections, one
    trace each: 人员经费's items, then 公用经费's), as few parts as that allows, each at most
    ``fits`` rows; None when the traces share rows or a section alone is too tall."""
    owner: dict[object, int] = {}
    for number, trace in enumerate(fig.data):
        for y in trace.y or ():
            if owner.setdefault(y, number) != number:
                return None
    sections: list[list[object]] = []
    for row in rows:
        if sections and owner[row] == owner[sections[-1][0]]:
            sections[-1].append(row)
        else:
            sections.append([row])
    # each trace one block of rows (not interleaved by size), each block within one slide
    if len(sections) < 2 or len(sections) != len(set(owner.values())):
        return None
    if any(len(s) > fits for s in sections):
        return None
    parts: list[list[object]] = [[]]
    for section in sections:
        if parts[-1] and len(parts[-1]) + len(section) > fits:
            parts.append([])
        parts[-1].extend(section)
    return parts


def _rows_of(fig: go.Figure, rows: Sequence[object]) -> go.Figure:
    """The horizontal bar chart with only these rows (each trace's points on them), its
    height cut in proportion (never below the rows' least height)."""
    keep = set(rows)
    data = []
    for trace in fig.data:
        ys = list(trace.y or ())
        picked = [i for i, y in enumerate(ys) if y in keep]
        if picked:
            data.append(_points(trace.to_plotly_json(), picked, len(ys)))
    part = go.Figure(data=data, layout=fig.layout)
    if fig.layout.yaxis.categoryarray is not None:
        part.update_yaxes(categoryarray=[c for c in fig.layout.yaxis.categoryarray if c in keep])
    room = _row_room(fig)
    assert room is not None
    fixed, pitch, all_rows = room
    height = fig.layout.height or charts.DEFAULT_HEIGHT
    top = fig.layout.margin.t
    if top is None:
        top = charts.DEFAULT_TEMPLATE.layout.margin.t
    least = fixed + pitch * len(rows) + int(top) - CHART_TOP_MARGIN
    part.update_layout(height=max(round(height * len(rows) / len(all_rows)), math.ceil(least)))
    return part


def _points(spec: dict[str, object], picked: list[int], n: int) -> dict[str, object]:
    """A trace's JSON with only the ``picked`` points: every per-point array (length
    ``n``: x, y, text, customdata, marker colours …) cut down, the rest as it is."""
    out: dict[str, object] = {}
    for name, value in spec.items():
        if isinstance(value, dict):
            out[name] = _points(value, picked, n)
        elif isinstance(value, list | tuple) and len(value) == n:
            out[name] = [value[i] for i in picked]
        elif hasattr(value, "shape") and getattr(value, "shape", ())[:1] == (n,):
            out[name] = [value[i] for i in picked]  # type: ignore[index]
        else:
            out[name] = value
    return out


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text).strip()


def pages_in(text: str) -> tuple[int, ...]:
    """The PDF pages a source text names (the inverse of :func:`core.present.frames.format_pages`)."""
    pages: set[int] = set()
    for span in re.findall(r"第 ([0-9、–]+) 页", text):
        for piece in span.split("、"):
            low, _, high = piece.partition("–")
            if low.isdigit():
                pages.update(range(int(low), int(high or low) + 1))
    return tuple(sorted(pages))


#: Told how far the drawing has come: (images drawn, images in all).
Drawing = Callable[[int, int], None]


def chart_images(
    report: Report,
    *,
    ready: Mapping[str, bytes] | None = None,
    progress: Drawing | None = None,
    stop: Callable[[], bool] | None = None,
) -> dict[str, bytes]:
    """Each chart of the pack drawn as its slide's PNG, by chart key (``sankey``, ...).

    Images in ``ready`` (drawn before for this same report) are taken as they are; the rest
    are drawn together, side by side in the export browser's tabs, each once. ``stop``:
    asked before drawing; when it says yes, only the images in ``ready`` come back (a
    background job whose report is no longer on screen).
    Raises :class:`core.present.export.ExportUnavailable` when they cannot be drawn.
    """
    return draw_charts(_charts(report), ready=ready, progress=progress, stop=stop)


def draw_charts(
    found: Sequence[tuple[str, go.Figure, _Said]],
    *,
    ready: Mapping[str, bytes] | None = None,
    progress: Drawing | None = None,
    stop: Callable[[], bool] | None = None,
    keep: Callable[[str, bytes], None] | None = None,
) -> dict[str, bytes]:
    """:func:`chart_images` for charts already built (:func:`_charts`). ``keep`` is handed
    each image drawn here (not those in ``ready``), by chart key, as it is drawn."""
    ready = ready or {}
    images = {key: ready[key] for key, _fig, _say in found if key in ready}
    todo = [(key, fig) for key, fig, _say in found if key not in images]
    if progress is not None:
        progress(len(images), len(found))
    if not todo or (stop is not None and stop()):
        return images

    def drawn(i: int, data: bytes) -> None:
        images[todo[i][0]] = data
        if keep is not None:
            keep(todo[i][0], data)
        if progress is not None:
            progress(len(images), len(found))

    export.figure_images([_chart_request(fig) for _key, fig in todo], drawn)
    return images


def _chart_slide(key: str, fig: go.Figure, say: _Said, png: bytes) -> Slide:
    """One chart slide: the figure's title becomes the heading, its source line the footer."""
    title = _plain(fig.layout.title.text or "")
    subtitle = _plain((fig.layout.title.subtitle.text or "").replace("<br>", "\n"))
    unit = next((p.strip() for p in subtitle.split("·") if "单位：" in p), "单位：万元")
    unit = unit.split("\n")[0].replace("单位：", "金额单位：" if "万元" in unit else "单位：")
    source = next((line for line in subtitle.split("\n") if line.startswith("数据来源")), "")
    return Slide(
        kind=CHART,
        title=title,
        takeaway=say(),
        image=png,
        image_size=png_size(png),
        source=f"{source}　{unit}".strip(),
        pages=pages_in(source),
        chart=key,
    )


def _chart_png(built: go.Figure) -> bytes:
    """The figure drawn as a slide's PNG (see :func:`_chart_request`)."""
    return export.figure_images([_chart_request(built)])[0]


def _chart_request(built: go.Figure) -> export.ImageRequest:
    """The figure as a PNG for a slide: its title block left to the slide, sized for the room.

    Only how it is drawn changes (title, size, label room); its data stay the builder's.
    """
    fig = go.Figure(built)
    top = fig.layout.margin.t
    if top is None:
        top = charts.DEFAULT_TEMPLATE.layout.margin.t
    natural = (fig.layout.height or charts.DEFAULT_HEIGHT) - int(top) + CHART_TOP_MARGIN
    squeezed = round(natural * DEFAULT_CHART_SQUEEZE)
    height = min(natural, max(DEFAULT_CHART_HEIGHT, squeezed, _least_height(fig)))
    fig.update_layout(title_text="", title_subtitle_text="", margin_t=CHART_TOP_MARGIN)
    # A ring's outside labels may reach past the plot area: let plotly make room for them.
    fig.update_traces(automargin=True, selector={"type": "pie"})
    # plotly shrinks a bar's text to the bar's thickness less padding; on a slide the amount
    # is the point, so it keeps the chart's own size (the rows are spaced for it above).
    fig.update_traces(constraintext="none", selector={"type": "bar"})
    return export.ImageRequest(
        fig, "png", width=DEFAULT_CHART_WIDTH, height=height, scale=DEFAULT_CHART_SCALE
    )


def _least_height(fig: go.Figure) -> int:
    """Height (px) a horizontal bar chart needs so its labels keep their size.

    plotly drops tick labels that would touch, and shrinks a bar's text to the bar's
    thickness: each row keeps :data:`DEFAULT_ROW_PITCH`, and each labelled bar
    :data:`DEFAULT_BAR_TEXT` pixels of thickness.
    """
    room = _row_room(fig)
    if room is None:
        return 0
    fixed, pitch, rows = room
    return fixed + round(pitch * len(rows))


def _row_room(fig: go.Figure) -> tuple[int, float, list[object]] | None:
    """A horizontal bar chart's rows top to bottom, the height each needs (px) and the
    height around them (top margin on a slide, bottom margin); None for another chart."""
    bars = [t for t in fig.data if t.type == "bar" and t.orientation == "h"]
    rows = list(dict.fromkeys(y for t in bars for y in (t.y or ())))
    if not rows:
        return None
    if fig.layout.yaxis.categoryarray is not None:
        order = [c for c in fig.layout.yaxis.categoryarray if c in set(rows)]
        rows = order + [r for r in rows if r not in set(order)]
    # plotly draws the first category at the bottom unless the axis is reversed
    if fig.layout.yaxis.autorange != "reversed":
        rows.reverse()
    gap = fig.layout.bargap if fig.layout.bargap is not None else 0.2
    group = len(bars) if fig.layout.barmode == "group" else 1
    pitch = float(DEFAULT_ROW_PITCH)
    for trace in bars:
        if trace.text is None:
            continue
        width = trace.width if isinstance(trace.width, int | float) else (1 - gap) / group
        pitch = max(pitch, DEFAULT_BAR_TEXT / width)
    bottom = fig.layout.margin.b if fig.layout.margin.b is not None else 48
    return CHART_TOP_MARGIN + int(bottom), pitch, rows


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, read from its header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)
