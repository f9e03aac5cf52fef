"""绩效自评: the score gauge and the indicator bars."""

from __future__ import annotations

import plotly.graph_objects as go

from core.present import frames
from core.present import trace as keys
from core.present.charts.base import (
    BOTTOM_LEGEND,
    GRADE_COLORS,
    PALETTE,
    _layout,
    _perf_source,
    _wrap,
)
from core.present.frames import format_pages, format_score, to_float
from core.records import FundLine, Indicator, Performance, Report

# -- 绩效自评 -------------------------------------------------------------------------------------


def build_score_gauge_chart(report: Report, perf: Performance) -> go.Figure | None:
    """The scorecard's 总分 on a 0–100 gauge with the grade bands (优 ≥90, 良, 中, 差 <60)."""
    if perf.total_score is None:
        return None
    score = float(perf.total_score)
    grade = perf.grade or frames.grade_of(perf.total_score) or ""
    steps = [
        {"range": [low, high], "color": GRADE_COLORS[name]}
        for name, low, high in frames.DEFAULT_GRADE_BANDS
    ]
    trace = go.Indicator(
        mode="gauge+number",
        value=score,
        number={
            "suffix": " 分",
            "valueformat": ".2f",
            "font": {"size": 56, "color": PALETTE["ink"]},
        },
        gauge={
            "shape": "angular",
            "axis": {
                "range": [0, 100],
                "tickvals": [0, 60, 80, 90, 100],
                "tickfont": {"size": 15},
            },
            "bar": {"color": PALETTE["blue"], "thickness": 0.28},
            "bgcolor": "white",
            "borderwidth": 0,
            "steps": steps,
            "threshold": {
                "line": {"color": PALETTE["ink"], "width": 3},
                "thickness": 0.9,
                "value": score,
            },
        },
        domain={"x": [0, 1], "y": [0.2, 0.95]},
    )
    # A gauge takes no clicks (plotly's indicator has no points): a clear spot over its number
    # does, carrying the key of the printed 总分, so the gauge opens its cell like a bar.
    page = f"第 {perf.total_page} 页" if perf.total_page else format_pages(perf.pages)
    spot = go.Scatter(
        x=[0.5],
        y=[0.36],
        mode="markers",
        marker={"size": 120, "color": "rgba(0,0,0,0)"},
        customdata=[[f"{format_score(perf.total_score)} 分", page, keys.scorecard_key(perf)]],
        hovertemplate="总分 <b>%{customdata[0]}</b><br>PDF %{customdata[1]}<extra></extra>",
        showlegend=False,
    )
    bands = []
    for name, low, high in reversed(frames.DEFAULT_GRADE_BANDS):
        bands.append(
            f"{name} ≥{low}"
            if high == 100
            else f"{name} <{high}"
            if low == 0
            else f"{name} {low}–{high}"
        )
    layout = _layout(
        report,
        "绩效自评得分",
        _perf_source(perf),
        height=480,
        unit="分",
        margin={"l": 40, "r": 40, "t": 110, "b": 40},
        annotations=[
            {
                "text": f"评价等级　<b>{grade}</b>",
                "x": 0.5,
                "y": 0.1,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": 22, "color": PALETTE["ink"]},
            },
            {
                "text": "等级区间：" + "　".join(bands),
                "x": 0.5,
                "y": -0.02,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": 14, "color": PALETTE["muted"]},
            },
        ],
    )
    hidden = {"visible": False, "range": [0, 1], "fixedrange": True}
    layout.update(xaxis=hidden, yaxis=hidden, dragmode=False)
    return go.Figure(data=[trace, spot], layout=layout)


def build_indicator_chart(report: Report, perf: Performance) -> go.Figure | None:
    """Each indicator's 得分 against its 分值, in print order, and the 预算执行率 item."""
    frame = frames.score_frame(perf)
    # score_frame's rows, in its order: the indicators, then the funds lines that carry points
    lines: list[Indicator | FundLine] = [
        *perf.indicators,
        *(f for f in perf.funds if f.weight is not None),
    ]
    frame = frame.loc[frame["分值"].notna()]
    rows = [lines[i] for i in frame.index]
    if frame.empty:
        return None
    labels = [_wrap(n or f"指标 {i + 1}", 16) for i, n in enumerate(frame["三级指标"])]
    # Two indicators may share a name: keep the rows apart.
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label}（{seen[label]}）")
    full = go.Bar(
        orientation="h",
        name="分值",
        y=unique,
        x=to_float(frame["分值"]),
        marker={"color": PALETTE["gray_light"]},
        width=0.72,
        hoverinfo="skip",
    )
    lost = [
        s is not None and w is not None and s < w
        for s, w in zip(frame["得分"], frame["分值"], strict=True)
    ]
    got = go.Bar(
        orientation="h",
        name="得分",
        y=unique,
        x=to_float(frame["得分"]),
        marker={"color": [PALETTE["amber"] if x else PALETTE["blue"] for x in lost]},
        width=0.42,
        text=[
            f"{format_score(s)} / {format_score(w)}"
            for s, w in zip(frame["得分"], frame["分值"], strict=True)
        ],
        textposition="outside",
        cliponaxis=False,
        customdata=[
            [t or "—", a or "—", f"第 {p} 页", keys.scorecard_key(perf, line)]
            for t, a, p, line in zip(
                frame["年度指标值"], frame["实际完成值"], frame["页码"], rows, strict=True
            )
        ],
        hovertemplate="%{y}<br>得分/分值 <b>%{text}</b><br>年度指标值 %{customdata[0]}　"
        "实际完成值 %{customdata[1]}<br>PDF %{customdata[2]}<extra></extra>",
    )
    layout = _layout(
        report,
        "各指标得分与分值",
        _perf_source(perf),
        unit="分",
        height=max(380, 190 + 46 * len(frame)),
        barmode="overlay",
        xaxis={"rangemode": "tozero"},
        yaxis={"autorange": "reversed"},
        legend=BOTTOM_LEGEND,
        margin={"l": 24, "r": 96, "t": 110, "b": 84},
    )
    return go.Figure(data=[full, got], layout=layout)
