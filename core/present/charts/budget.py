"""Budgets against spending: the scorecard's funds and each 项 of the narrative (预算执行),
and the 项' change on last year. A budget not stated is 未列示, never a bar at 0."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go

from core.present import frames
from core.present import trace as keys
from core.present.charts.base import (
    BOTTOM_LEGEND,
    PALETTE,
    _layout,
    _perf_source,
    _wrap,
)
from core.present.frames import format_amount, format_pages, format_percent, to_float
from core.records import Performance, Report

#: What a budget bar says where the report states no such budget: never a bar of zero.
NOT_STATED = "未列示"


def _budget_bars(
    report: Report,
    labels: list[str],
    budgets: Sequence[tuple[str, Sequence[Decimal | None], Sequence[Decimal | None]]],
    actual: tuple[str, Sequence[Decimal | None]],
    *,
    title: str,
    source: str,
    customdata: list[str] | None = None,
    point_keys: Mapping[str, Sequence[str]] | None = None,
) -> go.Figure | None:
    """Budgets against what was spent, one group of bars per row.

    ``point_keys``: for a trace's name, each row's key naming its printed cell or sentence
    (see :mod:`core.present.trace`); it rides in customdata beside the row's code.

    ``budgets``: (name, amounts, 完成率) for 年初预算数 and 全年预算数; a budget no row states
    is left out, and where one row lacks it the bar says 未列示 rather than stand at zero.
    Each budget bar carries how much of it was spent; the spent bar carries its amount.
    """
    shown = [b for b in budgets if any(v is not None for v in b[1])]
    if not shown:
        return None

    def custom(name: str) -> list[Any] | None:
        wanted = (point_keys or {}).get(name)
        if wanted is None:
            return customdata
        codes = customdata or [""] * len(wanted)
        return [[c, k] for c, k in zip(codes, wanted, strict=True)]

    colours = [PALETTE["gray_light"], PALETTE["blue_light"]][-len(shown) :]
    traces: list[go.Bar] = []
    for (name, values, rates), colour in zip(shown, colours, strict=True):
        texts = [
            NOT_STATED
            if v is None
            else f"{format_amount(v)} · 完成 {format_percent(r)}"
            if r is not None
            else format_amount(v)
            for v, r in zip(values, rates, strict=True)
        ]
        traces.append(
            go.Bar(
                orientation="h",
                name=name,
                y=labels,
                x=to_float(values),
                marker={"color": colour},
                text=texts,
                textposition="outside",
                cliponaxis=False,
                customdata=custom(name),
                hovertext=[
                    f"{y}<br>{name}：本报告{NOT_STATED}"
                    if v is None
                    else f"{y}<br>{name} <b>{format_amount(v)} 万元</b>"
                    + (f"，完成 {format_percent(r)}" if r is not None else "")
                    for y, v, r in zip(labels, values, rates, strict=True)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    spent_name, spent = actual
    traces.append(
        go.Bar(
            orientation="h",
            name=spent_name,
            y=labels,
            x=to_float(spent),
            marker={"color": PALETTE["blue"]},
            text=[format_amount(v) if v is not None else NOT_STATED for v in spent],
            textposition="outside",
            cliponaxis=False,
            customdata=custom(spent_name),
            hovertext=[
                f"{y}<br>{spent_name} <b>{format_amount(v)} 万元</b>"
                if v is not None
                else f"{y}<br>{spent_name}：本报告{NOT_STATED}"
                for y, v in zip(labels, spent, strict=True)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    per_row = 30 * len(traces) + 24
    layout = _layout(
        report,
        title,
        source,
        height=max(340, 200 + per_row * len(labels)),
        barmode="group",
        bargap=0.28,
        xaxis={"rangemode": "tozero"},
        yaxis={"autorange": "reversed"},
        legend=BOTTOM_LEGEND,
        # room right of the longest bar for "1,234.56 · 完成 99.99%"
        margin={"l": 24, "r": 210, "t": 110, "b": 84},
    )
    return go.Figure(data=traces, layout=layout)


def build_fund_execution_chart(report: Report, perf: Performance) -> go.Figure | None:
    """The scorecard's funds: 年初预算数 and 全年预算数 against 全年执行数, each budget with how
    much of it was spent (the printed 执行率 for 全年预算数)."""
    funds = frames.fund_frame(perf)
    funds = funds.loc[
        funds[["年初预算数", "全年预算数", "全年执行数"]].fillna(0).astype(bool).any(axis=1)
    ]
    if funds.empty:
        return None
    lines = [perf.funds[i] for i in funds.index]
    spent = list(funds["全年执行数"])
    # every bar is a figure of its printed funds line (the line's box outlines it)
    line_keys = [keys.scorecard_key(perf, line) for line in lines]
    return _budget_bars(
        report,
        list(funds["资金"]),
        [
            (
                "年初预算数",
                list(funds["年初预算数"]),
                [frames.share(a, b) for a, b in zip(spent, funds["年初预算数"], strict=True)],
            ),
            ("全年预算数", list(funds["全年预算数"]), list(funds["执行率"])),
        ],
        ("全年执行数", spent),
        title="预算资金执行情况",
        source=_perf_source(perf),
        customdata=list(funds["资金"]),
        point_keys={name: line_keys for name in ("年初预算数", "全年预算数", "全年执行数")},
    )


# -- 预算执行 -------------------------------------------------------------------------------------


def _actual_key(report: Report, code: str, value: Decimal | None) -> str:
    """A 项's 决算数 as frames.budget_execution_frame takes it: the text's own figure, else
    公开05's cell for that code."""
    figures = keys.stated(report, value=value, code=code, kind="actual")
    if figures or value is None:
        return keys.point_key((), figures)
    return keys.point_key(keys.cells(report, "公开05", value=value, code=code))


def build_budget_execution_chart(report: Report) -> go.Figure | None:
    """Each 项's 年初预算数 and 全年预算数 (where the narrative states them) against its 决算数."""
    frame = frames.budget_execution_frame(report)
    if frame.empty:
        return None
    labels = [_wrap(f"{n or c}", 16) for n, c in zip(frame["项目"], frame["编码"], strict=True)]
    pages = sorted({p for ps in frame["页码"] for p in ps})
    stated = [c for c in ("年初预算数", "全年预算数") if frame[c].notna().any()]
    return _budget_bars(
        report,
        labels,
        [
            ("年初预算数", list(frame["年初预算数"]), list(frame["年初完成率"])),
            ("全年预算数", list(frame["全年预算数"]), list(frame["执行率"])),
        ],
        ("决算数", list(frame["决算数"])),
        title=f"各项目{'、'.join(stated)}与决算数",
        source=f"说明（PDF {format_pages(pages)}）",
        customdata=list(frame["编码"]),
        point_keys={
            "年初预算数": [
                keys.point_key((), keys.stated(report, value=v, code=c, kind="initial_budget"))
                for c, v in zip(frame["编码"], frame["年初预算数"], strict=True)
            ],
            "全年预算数": [
                keys.point_key((), keys.stated(report, value=v, code=c, kind="budget"))
                for c, v in zip(frame["编码"], frame["全年预算数"], strict=True)
            ],
            "决算数": [
                _actual_key(report, c, v)
                for c, v in zip(frame["编码"], frame["决算数"], strict=True)
            ],
        },
    )


def build_item_change_chart(report: Report) -> go.Figure | None:
    """Each 项's change on last year as the narrative states it (increase blue, decrease amber).

    Labels stand right of each bar's end, or of the zero line for a decrease, so they never
    run into the item names.
    """
    frame = frames.item_change_frame(report)
    frame = frame.loc[frame["较上年"].notna()]
    if frame.empty:
        return None
    labels = [_wrap(f"{n or c}", 16) for n, c in zip(frame["项目"], frame["编码"], strict=True)]
    changes = to_float(frame["较上年"])
    texts = [
        f"{format_amount(c, sign=True)}（{format_percent(g, sign=True)}）"
        if g is not None
        else format_amount(c, sign=True)
        for c, g in zip(frame["较上年"], frame["增幅"], strict=True)
    ]
    bars = go.Bar(
        orientation="h",
        y=labels,
        x=changes,
        marker={"color": [PALETTE["blue"] if v >= 0 else PALETTE["amber"] for v in changes]},
        customdata=[
            [
                c,
                format_amount(v),
                f"第 {p} 页",
                t,
                keys.point_key((), keys.stated(report, value=d, code=c, kind="change")),
            ]
            for c, v, p, t, d in zip(
                frame["编码"], frame["决算数"], frame["页码"], texts, frame["较上年"], strict=True
            )
        ],
        hovertemplate="%{y}（%{customdata[0]}）<br>本年 %{customdata[1]} 万元，较上年 "
        "<b>%{customdata[3]}</b><br>PDF %{customdata[2]}<extra></extra>",
        showlegend=False,
    )
    notes = go.Scatter(
        y=labels,
        x=[max(v, 0.0) for v in changes],
        mode="text",
        text=["  " + t for t in texts],
        textposition="middle right",
        textfont={"size": 15, "color": PALETTE["ink"]},
        hoverinfo="skip",
        showlegend=False,
        cliponaxis=False,
    )
    low = min(min(changes), 0.0)
    high = max(max(changes), 0.0)
    span = (high - low) or 1.0
    pages = sorted(set(frame["页码"]))
    layout = _layout(
        report,
        "各项目支出较上年增减",
        f"说明（PDF {format_pages(pages)}）",
        height=max(340, 190 + 56 * len(frame)),
        xaxis={
            "range": [low - 0.05 * span, high + 0.45 * span],
            "zeroline": True,
            "zerolinecolor": PALETTE["gray"],
            "zerolinewidth": 2,
        },
        yaxis={"autorange": "reversed"},
        margin={"l": 24, "r": 32, "t": 110, "b": 48},
    )
    return go.Figure(data=[bars, notes], layout=layout)
