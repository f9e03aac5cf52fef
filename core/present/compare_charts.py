"""Comparison frames (:mod:`core.library.compare`) -> figures: plotly lines and bars, and
altair small multiples (one small panel per figure or per 类, on a shared year axis).

A year filled from the next year's text (依据 推算) is drawn hollow and dashed and named as
such in the hover and the legend, never as a year with its own report. Nothing renders here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import altair as alt
import pandas as pd
import plotly.graph_objects as go

from core.present.charts import COLORWAY, DEFAULT_TEMPLATE, FONT_FAMILY, PALETTE, note_under
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


def reckoned_notes(reckoned: pd.DataFrame | None, metric: str) -> dict[str, str]:
    """sha256 → why the report's ``metric`` is reckoned, not printed (the 说明 of
    :func:`core.library.compare.reckoned`: a blank 年末结转和结余 row worked out from the
    totals), for the reports with such a figure."""
    if reckoned is None or reckoned.empty or "sha256" not in reckoned.columns:
        return {}
    rows = reckoned.loc[reckoned["指标"] == metric]
    return {str(k): str(n) for k, n in zip(rows["sha256"], rows["说明"], strict=True)}


#: CJK characters in one line of a chart's note (it must fit beside the longest unit name).
_NOTE_LINE = 30


def _wrapped(text: str, width: int = _NOTE_LINE) -> str:
    """``text`` in lines of about ``width`` CJK characters (a Latin letter or digit half of
    one), broken between CJK characters or at a space, never inside a number nor between a
    number and its unit and the punctuation after it ("0.00 万元：")."""
    lines: list[str] = []
    line, room = "", 0.0
    for piece in re.findall(r"[\x21-\x7e]+(?: ?(?:万元|%|分))?[，：；。]?|.", text):
        size = sum(0.55 if c.isascii() else 1.0 for c in piece)
        if line and room + size > width:
            lines.append(line.rstrip())
            line, room = piece.lstrip(), size
        else:
            line, room = line + piece, room + size
    return "<br>".join([*lines, line.rstrip()])


def build_compare_chart(
    frame: pd.DataFrame,
    metric: str,
    year: int,
    keys: Sequence[str] | None = None,
    reckoned: pd.DataFrame | None = None,
) -> go.Figure | None:
    """One figure of several units in one year, as sorted horizontal bars; a unit whose
    report does not state the figure is listed as 未列示, not drawn as zero. ``keys`` (one
    per row, :func:`core.library.compare.unit_keys`) name each bar's printed cells.
    ``reckoned`` (:func:`core.library.compare.reckoned`): a figure no report prints as such
    is labelled （推算） on its bar and said why under the chart, as the page says it under
    its table (the note is drawn in the figure, so an exported image or a slide keeps it)."""
    if frame.empty or metric not in frame.columns:
        return None
    unit = METRIC_UNITS.get(metric, "")
    given = list(keys) if keys is not None else [""] * len(frame)
    notes = reckoned_notes(reckoned, metric)
    shas = list(frame["sha256"]) if "sha256" in frame.columns else [""] * len(frame)
    rows = [
        (u, v, k, notes.get(str(h)))
        for u, v, k, h in zip(frame["单位"], frame[metric], given, shas, strict=True)
    ]
    shown = sorted((r for r in rows if _f(r[1]) is not None), key=lambda r: float(r[1]))
    absent = [u for u, v, _, _ in rows if _f(v) is None]
    if not shown:
        return None
    note = f"未列示：{'、'.join(absent)}" if absent else ""
    said = [
        _wrapped(f"（推算）{u}的{metric} {_text(v, unit)}：") + "<br>" + _wrapped(f"{why}。")
        for u, v, _, why in shown
        if why
    ]
    # the note's lines below the axis title, and the room they take
    lines = sum(len(s.split("<br>")) for s in said)
    fig = go.Figure(
        go.Bar(
            x=[float(v) for _, v, _, _ in shown],
            y=[u for u, _, _, _ in shown],
            orientation="h",
            marker={"color": PALETTE["blue"]},
            text=[_text(v, unit) + ("（推算）" if why else "") for _, v, _, why in shown],
            customdata=[[k] for _, _, k, _ in shown],
            # a bar of 0 has no inside: its text (a reckoned 0.00 says so) stands beside it
            textposition=["outside" if float(v) == 0 else "auto" for _, v, _, _ in shown],
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
            height=max(320, 120 + 38 * len(shown)) + 20 * lines,
            xaxis={"title": unit, "separatethousands": True},
            yaxis={"automargin": True},
            font={"family": FONT_FAMILY},
        ),
    )
    if said:
        fig.update_layout(margin_b=64 + 20 * lines)
        note_under(fig, "<br>".join(said), yshift=-52)  # under the axis title
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


def compare_workbook(
    frame: pd.DataFrame, shares: pd.DataFrame, year: int, reckoned: pd.DataFrame | None = None
) -> bytes:
    """The comparison as an Excel workbook: 单位对比 (one row per unit) and 类占比.

    ``reckoned`` (:func:`core.library.compare.reckoned`): a figure no report prints as such
    (a blank row's 0.00 worked out from the totals) carries a cell comment saying so, and
    its row says it in the last column, 说明, as the page says it under its table."""
    import io

    from openpyxl.comments import Comment

    main = frame.drop(columns=[c for c in ("单位键",) if c in frame.columns]).reset_index(drop=True)
    marks: list[tuple[int, str, str]] = []  # (row, column, what to say)
    if reckoned is not None and not reckoned.empty and "sha256" in main.columns:
        for metric in dict.fromkeys(reckoned["指标"]):
            if metric not in main.columns:
                continue
            for sha, why in reckoned_notes(reckoned, metric).items():
                for i in main.index[main["sha256"] == sha]:
                    value: Any = main.at[i, metric]
                    shown = _text(value, METRIC_UNITS.get(metric, ""))
                    said = f"{metric} {shown}为推算，报告中未印出：{why}。"
                    marks.append((int(i), metric, said))
    if marks:
        notes = [""] * len(main)
        for i, _metric, said in marks:
            notes[i] = "；".join(n for n in (notes[i], said) if n)
        main["说明"] = notes
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        sheet = f"{year}单位对比"
        main.to_excel(writer, sheet_name=sheet, index=False)
        cells = writer.sheets[sheet]
        for i, metric, said in marks:
            cell = cells.cell(row=i + 2, column=list(main.columns).index(metric) + 1)
            cell.comment = Comment(said, "决算看板", width=320, height=120)
        shares.drop(columns=["单位键", "sha256"], errors="ignore").to_excel(
            writer, sheet_name="类占比", index=False
        )
    return out.getvalue()
