"""人员与公用: the 人员经费 / 公用经费 ring and the 经济分类 bars."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go

from core.present import frames
from core.present import trace as keys
from core.present.charts.base import (
    BOTTOM_LEGEND,
    COLORWAY,
    PALETTE,
    _key,
    _layout,
    _source,
)
from core.present.frames import format_amount, format_pages, format_percent, to_float
from core.records import Report

# -- 人员与公用 -----------------------------------------------------------------------------------


def build_personnel_chart(report: Report) -> go.Figure | None:
    """人员经费 against 公用经费 (公开06), as a ring with the 基本支出 total in the middle."""
    split = frames.personnel_public_frame(report)
    if split.empty or not any(split["金额"]):
        return None
    # the same whole as the shares and as 总览's card: 基本支出 as 公开05 prints it
    total = frames.basic_spending(report) or sum(split["金额"], Decimal(0))
    colours = {"人员经费": PALETTE["blue"], "公用经费": PALETTE["teal"]}
    pages = sorted({p for ps in split["页码"] for p in ps})
    trace = go.Pie(
        labels=list(split["类别"]),
        values=to_float(split["金额"]),
        hole=0.58,
        sort=False,
        # room above the ring for a small slice's three-line label, clear of the subtitle
        domain={"x": [0, 1], "y": [0.0, 0.72]},
        direction="clockwise",
        marker={
            "colors": [colours.get(k, PALETTE["gray"]) for k in split["类别"]],
            "line": {"color": "white", "width": 2},
        },
        text=[
            f"{format_amount(v)} 万元<br>{format_percent(s)}"
            for v, s in zip(split["金额"], split["占比"], strict=True)
        ],
        textinfo="label+text",
        textposition="outside",
        textfont={"size": 16},
        # outside labels may reach past the plot area: plotly makes room instead of cutting
        automargin=True,
        customdata=[
            [
                keys.point_key(
                    [
                        f
                        for f in keys.cells(report, "公开06", page=ps[0], value=v)
                        if f.code is None and f.item.startswith(k)
                    ]
                    if src != "说明"
                    else [],
                    keys.stated(report, value=v, page=ps[0], topic=k, kind="amount")
                    if src == "说明"
                    else [],
                )
            ]
            for k, v, ps, src in zip(
                split["类别"], split["金额"], split["页码"], split["来源"], strict=True
            )
        ],
        hovertemplate="%{label}<br><b>%{text}</b><extra></extra>",
        showlegend=False,
    )
    layout = _layout(
        report,
        "人员经费与公用经费",
        _source(report, "公开06", pages)
        if split["来源"].iloc[0] != "说明"
        else f"说明（PDF {format_pages(pages)}）",
        height=500,
        margin={"l": 40, "r": 40, "t": 120, "b": 40},
        annotations=[
            {
                "text": f"基本支出<br><b>{format_amount(total)}</b><br>万元",
                "x": 0.5,
                "y": 0.36,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": 18},
            }
        ],
    )
    return go.Figure(data=[trace], layout=layout)


def build_economic_chart(report: Report, *, include_zero: bool = False) -> go.Figure | None:
    """Every 经济分类 款 of 公开06 as a sorted bar, coloured by its 类; zeros hidden unless asked."""
    frame = frames.economic_frame(report, include_zero=include_zero)
    if frame.empty:
        return None
    classes = list(dict.fromkeys(sorted(frame["类编码"])))
    colour = {c: COLORWAY[i % len(COLORWAY)] for i, c in enumerate(classes)}
    traces = []
    for code in classes:
        part = frame.loc[frame["类编码"] == code]
        traces.append(
            go.Bar(
                orientation="h",
                name=f"{code} {part['类名称'].iloc[0]}",
                y=[f"{n}" for n in part["名称"]],
                x=to_float(part["金额"]),
                marker={"color": colour[code]},
                text=[format_amount(v) for v in part["金额"]],
                textposition="outside",
                textfont={"size": 15},
                cliponaxis=False,
                customdata=[
                    [c, f"第 {p} 页", _key(keys.cells(report, "公开06", page=p, value=v, code=c))]
                    for c, p, v in zip(part["编码"], part["页码"], part["金额"], strict=True)
                ],
                hovertemplate="%{y}（%{customdata[0]}）<br><b>%{text} 万元</b><br>PDF %{customdata[1]}<extra></extra>",
            )
        )
    order = list(frame["名称"])
    layout = _layout(
        report,
        "基本支出经济分类明细" + ("（含零值科目）" if include_zero else ""),
        _source(report, "公开06", sorted(set(frame["页码"]))),
        height=max(360, 190 + 30 * len(frame)),
        barmode="overlay",
        bargap=0.3,
        xaxis={"rangemode": "tozero"},
        yaxis={"categoryorder": "array", "categoryarray": order, "autorange": "reversed"},
        legend=BOTTOM_LEGEND,
        margin={"l": 24, "r": 72, "t": 110, "b": 84},
    )
    return go.Figure(data=traces, layout=layout)
