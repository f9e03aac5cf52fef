"""“三公”经费: 决算数 against 预算数 for the six headings of 公开07."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go

from core.present import frames
from core.present import trace as keys
from core.present.charts.base import (
    BOTTOM_LEGEND,
    PALETTE,
    _layout,
    _source,
)
from core.present.frames import format_amount, format_percent, to_float
from core.records import Report

# -- 三公 -----------------------------------------------------------------------------------------

_THREE_PUBLIC_LABELS = {
    "合计": "“三公”经费合计",
    "因公出国（境）费": "因公出国（境）费",
    "公务用车购置及运行维护费": "公务用车购置及运行维护费",
    "公务用车购置费": "　其中：公务用车购置费",
    "公务用车运行维护费": "　　　　公务用车运行维护费",
    "公务接待费": "公务接待费",
}


def _three_public_key(report: Report, item: str, column: str, value: Decimal | None) -> str:
    """公开07's cell of this heading and column; a 预算数 the table leaves out is the text's
    全年预算数 (as frames.three_public_frame takes it)."""
    if value is None:
        return keys.point_key()
    facts = keys.cells(report, "公开07", value=value, item=item, column=column)
    if facts or column != "预算数":
        return keys.point_key(facts)
    topic = "三公经费" if item == "合计" else item
    return keys.point_key((), keys.stated(report, value=value, topic=topic, kind="budget"))


def build_three_public_chart(report: Report) -> go.Figure | None:
    """公开07's six headings, 决算数 against 预算数 where printed; None when all are zero."""
    frame = frames.three_public_frame(report)
    if frame.empty:
        return None
    has_budget = any(v is not None for v in frame["预算数"])
    if not any(frame["决算数"].fillna(0)) and not any(frame["预算数"].fillna(0)):
        return None
    labels = [_THREE_PUBLIC_LABELS.get(i, i) for i in frame["项目"]]
    pages = sorted({p for ps in frame["页码"] for p in ps})
    traces = []
    if has_budget:
        traces.append(
            go.Bar(
                orientation="h",
                name="预算数",
                y=labels,
                x=to_float(frame["预算数"]),
                marker={"color": PALETTE["blue_light"]},
                text=[format_amount(v) for v in frame["预算数"]],
                textposition="outside",
                cliponaxis=False,
                customdata=[
                    [_three_public_key(report, i, "预算数", v)]
                    for i, v in zip(frame["项目"], frame["预算数"], strict=True)
                ],
                hovertemplate="%{y}<br>预算数 <b>%{text} 万元</b><extra></extra>",
            )
        )
    rates = [
        f"（{format_percent(r)}）" if r is not None and has_budget else ""
        for r in frame["完成预算"]
    ]
    traces.append(
        go.Bar(
            orientation="h",
            name="决算数",
            y=labels,
            x=to_float(frame["决算数"]),
            marker={"color": PALETTE["blue"]},
            text=[f"{format_amount(v)}{r}" for v, r in zip(frame["决算数"], rates, strict=True)],
            textposition="outside",
            cliponaxis=False,
            customdata=[
                [_three_public_key(report, i, "决算数", v)]
                for i, v in zip(frame["项目"], frame["决算数"], strict=True)
            ],
            hovertemplate="%{y}<br>决算数 <b>%{text} 万元</b><extra></extra>",
        )
    )
    layout = _layout(
        report,
        "“三公”经费" + ("决算与预算" if has_budget else "决算"),
        _source(report, "公开07", pages),
        height=max(380, 200 + (70 if has_budget else 44) * len(frame)),
        barmode="group",
        bargap=0.3,
        xaxis={"rangemode": "tozero"},
        yaxis={"autorange": "reversed"},
        legend=BOTTOM_LEGEND,
        margin={"l": 24, "r": 120, "t": 110, "b": 84},
    )
    return go.Figure(data=traces, layout=layout)
