"""Comparison frames (:mod:`core.library.compare`) -> figures: plotly lines and bars, and
altair small multiples (one small panel per figure or per 类, on a shared year axis).

A year filled from the next year's text (依据 推算) is drawn hollow and dashed and named as
such in the hover and the legend, never as a year with its own report. Nothing renders here.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import altair as alt
import pandas as pd
import plotly.graph_objects as go

from core.present.charts import COLORWAY, DEFAULT_TEMPLATE, FONT_FAMILY, PALETTE
from core.present.frames import format_amount

#: Figures in 万元 drawn on one axis in the across-years line chart.
AMOUNT_METRICS: tuple[str, ...] = (
    "本年收入",
    "本年支出",
    "年末结转和结余",
    "三公经费",
    "三公经费预算",
)
#: What each figure is measured in.
METRIC_UNITS: dict[str, str] = {
    "本年收入": "万元",
    "本年支出": "万元",
    "年末结转和结余": "万元",
    "人员经费占基本支出": "%",
    "三公经费": "万元",
    "三公经费预算": "万元",
    "绩效自评得分": "分",
}
CJK_FONT = "Noto Sans CJK SC"


def _f(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return float(value)


def _keyed(frame: pd.DataFrame, keys: Sequence[str] | None) -> pd.DataFrame:
    """The frame with each row's point key (``core.present.trace.point_key``) in ``_key``;
    "" where none was given (a chart drawn for a file, not for the screen)."""
    out = frame.copy()
    out["_key"] = list(keys) if keys is not None else [""] * len(frame)
    return out


def build_years_chart(
    frame: pd.DataFrame, unit: str, keys: Sequence[str] | None = None
) -> go.Figure | None:
    """收入, 支出, 结转结余 and 三公 of one unit across years, in 万元 (lines with markers);
    years filled from the text are hollow markers on a dashed stretch. ``keys`` (one per row
    of ``frame``, :func:`core.library.compare.year_keys`) lets a click open each point's
    printed cells in its own report."""
    frame = _keyed(frame, keys)
    data = frame.loc[frame["指标"].isin(AMOUNT_METRICS)]
    if data.empty:
        return None
    fig = go.Figure(
        layout=go.Layout(
            template=DEFAULT_TEMPLATE,
            title={
                "text": "<b>历年收支</b>",
                "subtitle": {
                    "text": f"{unit} · 单位：万元 · 空心点为据次年报告说明推算的上年数",
                    "font": {"size": 14, "color": PALETTE["muted"]},
                },
            },
            height=460,
            xaxis={"title": "年度", "dtick": 1, "tickformat": "d"},
            yaxis={"title": "万元", "separatethousands": True},
        )
    )
    for i, metric in enumerate(m for m in AMOUNT_METRICS if m in set(data["指标"])):
        rows = data.loc[data["指标"] == metric].sort_values("年度")
        colour = COLORWAY[i % len(COLORWAY)]
        inferred = [b == "推算" for b in rows["依据"]]
        fig.add_trace(
            go.Scatter(
                x=[int(y) for y in rows["年度"]],
                y=[_f(v) for v in rows["数值"]],
                name=metric,
                mode="lines+markers",
                line={"color": colour, "width": 3, "dash": "dash" if any(inferred) else "solid"},
                marker={
                    "size": 11,
                    "color": ["white" if x else colour for x in inferred],
                    "line": {"color": colour, "width": 2},
                },
                customdata=[
                    [format_amount(v), "据次年报告说明推算" if x else "本年报告", k]
                    for v, x, k in zip(rows["数值"], inferred, rows["_key"], strict=True)
                ],
                hovertemplate="%{x} 年 " + metric + "：%{customdata[0]} 万元（%{customdata[1]}）"
                "<extra></extra>",
            )
        )
    return fig


#: The name of the point selection a keyed small-multiples chart carries: a click selects
#: the point's key (its ``_key`` field), which Streamlit hands back under this name.
PICK = "pick"


def _pick() -> Any:
    return alt.selection_point(name=PICK, fields=["_key"], on="click", clear="dblclick")


def build_years_small_multiples(
    frame: pd.DataFrame, unit: str, keys: Sequence[str] | None = None
) -> alt.FacetChart | None:
    """Every figure of one unit across years, one small panel each with its own scale;
    a hollow point marks a year filled from the next year's text. With ``keys`` (as for
    :func:`build_years_chart`) a click on a point selects its key (:data:`PICK`)."""
    if frame.empty:
        return None
    frame = _keyed(frame, keys)
    data = pd.DataFrame(
        {
            "年度": [int(y) for y in frame["年度"]],
            "指标": [
                f"{m}（{METRIC_UNITS.get(m, u)}）"
                for m, u in zip(frame["指标"], frame["单位"], strict=True)
            ],
            "数值": [_f(v) for v in frame["数值"]],
            "依据": ["据次年说明推算" if b == "推算" else "本年报告" for b in frame["依据"]],
            "_key": list(frame["_key"]),
        }
    )
    base = alt.Chart(data).encode(
        x=alt.X("年度:O", title=None),
        y=alt.Y("数值:Q", title=None, scale=alt.Scale(zero=False), axis=alt.Axis(format=",.2f")),
        tooltip=["年度", "指标", alt.Tooltip("数值:Q", format=",.2f"), "依据"],
    )
    line = base.mark_line(color=PALETTE["blue"])
    points = base.mark_point(size=70, color=PALETTE["blue"], strokeWidth=2).encode(
        fill=alt.Fill(
            "依据:N",
            scale=alt.Scale(
                domain=["本年报告", "据次年说明推算"], range=[PALETTE["blue"], "white"]
            ),
            legend=alt.Legend(title=None, orient="bottom"),
        )
    )
    if keys is not None:
        points = points.add_params(_pick())
    return (
        alt.layer(line, points, data=data)
        .properties(width=200, height=140)
        .facet(facet=alt.Facet("指标:N", title=None), columns=3)
        .resolve_scale(y="independent")
        .properties(title=f"{unit} · 历年主要指标")
        .configure(font=CJK_FONT)
    )


def build_class_small_multiples(
    classes: pd.DataFrame, unit: str, keys: Sequence[str] | None = None
) -> alt.FacetChart | None:
    """One unit's functional classes (类) across years: one small panel per 类, in 万元. With
    ``keys`` (:func:`core.library.compare.class_keys`) a click on a bar selects its key."""
    if classes.empty:
        return None
    classes = _keyed(classes, keys)
    data = pd.DataFrame(
        {
            "年度": [int(y) for y in classes["年度"]],
            "类": [f"{c} {n}" for c, n in zip(classes["类编码"], classes["类名称"], strict=True)],
            "金额": [_f(v) for v in classes["金额"]],
            "占比": [_f(v) for v in classes["占比"]],
            "_key": list(classes["_key"]),
        }
    )
    bars = alt.Chart(data)
    if keys is not None:
        bars = bars.add_params(_pick())
    return (
        bars.mark_bar(color=PALETTE["teal"])
        .encode(
            x=alt.X("年度:O", title=None),
            y=alt.Y("金额:Q", title="万元"),
            tooltip=[
                "年度",
                "类",
                alt.Tooltip("金额:Q", format=",.2f"),
                alt.Tooltip("占比:Q", format=".2f"),
            ],
        )
        .properties(width=170, height=120)
        .facet(facet=alt.Facet("类:N", title=None), columns=4)
        .properties(title=f"{unit} · 功能分类（类）历年支出")
        .configure(font=CJK_FONT)
    )


def build_compare_chart(
    frame: pd.DataFrame, metric: str, year: int, keys: Sequence[str] | None = None
) -> go.Figure | None:
    """One figure of several units in one year, as sorted horizontal bars; a unit whose
    report does not state the figure is listed as 未列示, not drawn as zero. ``keys`` (one
    per row, :func:`core.library.compare.unit_keys`) name each bar's printed cells."""
    if frame.empty or metric not in frame.columns:
        return None
    unit = METRIC_UNITS.get(metric, "")
    given = list(keys) if keys is not None else [""] * len(frame)
    rows = [(u, v, k) for u, v, k in zip(frame["单位"], frame[metric], given, strict=True)]
    shown = sorted(((u, v, k) for u, v, k in rows if _f(v) is not None), key=lambda r: float(r[1]))
    absent = [u for u, v, _ in rows if _f(v) is None]
    if not shown:
        return None
    note = f"未列示：{'、'.join(absent)}" if absent else ""
    fig = go.Figure(
        go.Bar(
            x=[float(v) for _, v, _ in shown],
            y=[u for u, _, _ in shown],
            orientation="h",
            marker={"color": PALETTE["blue"]},
            text=[_text(v, unit) for _, v, _ in shown],
            customdata=[[k] for _, _, k in shown],
            textposition="auto",
            hovertemplate="%{y}：%{text}<extra></extra>",
        ),
        layout=go.Layout(
            template=DEFAULT_TEMPLATE,
            title={
                "text": f"<b>{metric}</b>",
                "subtitle": {
                    "text": f"{year} 年度 · 单位：{unit}" + (f" · {note}" if note else ""),
                    "font": {"size": 14, "color": PALETTE["muted"]},
                },
            },
            height=max(320, 120 + 38 * len(shown)),
            xaxis={"title": unit, "separatethousands": True},
            yaxis={"automargin": True},
            font={"family": FONT_FAMILY},
        ),
    )
    return fig


def _text(value: Decimal | float, unit: str) -> str:
    if unit == "%":
        return f"{float(value):.2f}%"
    if unit == "分":
        return f"{float(value):.2f} 分"
    return f"{format_amount(value)} 万元"


def build_class_share_chart(
    shares: pd.DataFrame, year: int, keys: Sequence[str] | None = None
) -> go.Figure | None:
    """Each unit's spending by functional class (类) as 100% stacked bars; ``keys`` (one per
    row, :func:`core.library.compare.share_keys`) name each box's printed cell."""
    if shares.empty:
        return None
    shares = _keyed(shares, keys)
    fig = go.Figure(
        layout=go.Layout(
            template=DEFAULT_TEMPLATE,
            barmode="stack",
            title={
                "text": "<b>支出结构（功能分类 类）</b>",
                "subtitle": {
                    "text": f"{year} 年度 · 各类占本单位公开03 支出的百分比",
                    "font": {"size": 14, "color": PALETTE["muted"]},
                },
            },
            height=max(360, 160 + 38 * shares["单位"].nunique()),
            # the unit on the ticks: an axis title "%" sat in the middle of the legend's row
            xaxis={"range": [0, 100], "ticksuffix": "%"},
            legend={"orientation": "h", "y": -0.12, "yanchor": "top"},
        )
    )
    classes = shares.drop_duplicates("类编码").sort_values("类编码")
    for i, (code, name) in enumerate(zip(classes["类编码"], classes["类名称"], strict=True)):
        part = shares.loc[shares["类编码"] == code]
        fig.add_trace(
            go.Bar(
                x=[_f(v) for v in part["占比"]],
                y=list(part["单位"]),
                orientation="h",
                name=f"{code} {name}",
                marker={"color": COLORWAY[i % len(COLORWAY)]},
                customdata=[
                    [format_amount(v), k] for v, k in zip(part["金额"], part["_key"], strict=True)
                ],
                hovertemplate="%{y}："
                + name
                + " %{x:.2f}%（%{customdata[0]} 万元）<extra></extra>",
            )
        )
    return fig


def compare_workbook(frame: pd.DataFrame, shares: pd.DataFrame, year: int) -> bytes:
    """The comparison as an Excel workbook: 单位对比 (one row per unit) and 类占比."""
    import io

    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        main = frame.drop(columns=[c for c in ("单位键",) if c in frame.columns])
        main.to_excel(writer, sheet_name=f"{year}单位对比", index=False)
        shares.drop(columns=["单位键", "sha256"], errors="ignore").to_excel(
            writer, sheet_name="类占比", index=False
        )
    return out.getvalue()
