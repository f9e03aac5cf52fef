"""Records and frames -> plotly figures (``build_*_chart``); nothing here renders.

Every figure is built with :data:`DEFAULT_TEMPLATE` passed when it is made: inside a
Streamlit process ``pio.templates.default`` is Streamlit's own template, whose placeholder
colours come out near-black in an exported PNG. Every trace also names its colours from
:data:`PALETTE`, one calm set used the same way on every page (收入 blue, 支出 teal,
结转结余 grey, 项目支出 amber, 预算数 light blue).

Figures carry their own title, the unit and year, and the tables and PDF pages their numbers
come from, so an exported image stands alone in a briefing. Hover texts show amounts as
printed (two decimals, thousands separators); floats are used only for sizes and positions.

A builder returns None when the report holds nothing to draw; the page says so in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go

from core.present import frames
from core.present.frames import format_amount, format_pages, format_percent, format_score, to_float
from core.records import Performance, Report

FONT_FAMILY = "Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif"

#: The one palette: calm, distinct on a projector, and the same meaning on every page.
PALETTE: dict[str, str] = {
    "blue": "#1f5fa8",
    "blue_light": "#a9c4e6",
    "teal": "#2a9d8f",
    "teal_light": "#a8d8d1",
    "amber": "#e09a3b",
    "purple": "#7867b0",
    "red": "#c4554d",
    "green": "#3b8d5f",
    "gray": "#8a94a6",
    "gray_light": "#d8dde6",
    "ink": "#1f2a37",
    "muted": "#5b6675",
    "grid": "#e6eaf0",
}

#: Colours for categories with no fixed meaning (经济分类 类, several series).
COLORWAY: tuple[str, ...] = (
    PALETTE["blue"],
    PALETTE["teal"],
    PALETTE["amber"],
    PALETTE["purple"],
    PALETTE["red"],
    "#5b8fd1",
    PALETTE["gray"],
    "#b07aa1",
)

#: Treemap colours by side. 支出: 0 = all 基本支出 (blue), 1 = all 项目支出 (amber), a mix
#: is pale. 收入: the share of 财政拨款收入, grey (none) to the income blue (all).
SHARE_SCALES: dict[str, list[list[Any]]] = {
    "支出": [[0.0, "#3f77b8"], [0.5, "#ece6da"], [1.0, "#d98a2b"]],
    "收入": [[0.0, "#c3c9d3"], [1.0, "#3f77b8"]],
}

#: Grade band fills of the score gauge, low to high (差, 中, 良, 优).
GRADE_COLORS: dict[str, str] = {
    "差": "#f2c9c5",
    "中": "#f7e0b5",
    "良": "#cfe0f4",
    "优": "#cfe9d8",
}

#: A legend under the plot, in container coordinates: clear of the title block however narrow.
BOTTOM_LEGEND: dict[str, Any] = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "y": 0,
    "yref": "container",
    "yanchor": "bottom",
    "traceorder": "normal",
}

DEFAULT_HEIGHT = 520
#: Top margin of a chart (title and two subtitle lines), and the room one more line takes.
DEFAULT_TOP = 104
SUBTITLE_LINE = 20
DEFAULT_EXPORT_WIDTH = 1280
MAX_LABEL = 14


def _build_template() -> go.layout.Template:
    """The dashboard's own small template: white, its font, sizes and colours.

    Small on purpose: plotly validates a figure's template each time one is built, and
    plotly_white's many trace defaults cost a tenth of a second per figure. Every trace names
    its own colours, so nothing here depends on a trace type's defaults.
    """
    axis = {
        "gridcolor": PALETTE["grid"],
        "linecolor": PALETTE["grid"],
        "zerolinecolor": PALETTE["grid"],
        "zerolinewidth": 2,
        "ticks": "",
        "automargin": True,
        "tickfont": {"size": 15},
        "title": {"standoff": 15},
        # 600,000 rather than plotly's English SI "600k" (a 高等学校 reports 十万 of 万元)
        "exponentformat": "none",
        "separatethousands": True,
    }
    return go.layout.Template(
        layout={
            "font": {"family": FONT_FAMILY, "size": 16, "color": PALETTE["ink"]},
            "colorway": list(COLORWAY),
            "title": {"font": {"size": 22, "color": PALETTE["ink"]}, "x": 0.01, "xanchor": "left"},
            "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 15}, "bgcolor": "white"},
            "hovermode": "closest",
            "legend": {"font": {"size": 15}, "orientation": "h", "y": -0.08, "x": 0},
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "separators": ".,",
            "margin": {"l": 24, "r": 32, "t": 104, "b": 48},
            "xaxis": axis,
            "yaxis": axis,
        }
    )


#: The template every figure is built with (never the process default).
DEFAULT_TEMPLATE = _build_template()


def _year(report: Report) -> str:
    return f"{report.year} 年度" if report.year else ""


def _layout(
    report: Report,
    name: str,
    source: str,
    *,
    height: int = DEFAULT_HEIGHT,
    unit: str = "万元",
    **extra: Any,
) -> go.Layout:
    """The common layout: title, subtitle with unit, year, 万元 and source, fixed height."""
    # The unit's name on a line of its own: beside the year and 单位 it ran past the edge of a
    # half-width chart at 1280 px (plotly does not wrap).
    rest = " · ".join(p for p in (_year(report) + report.scope, f"单位：{unit}") if p)
    head = f"{report.unit}<br>{rest}" if report.unit else rest
    subtitle = f"{head}<br>数据来源：{source}" if source else head
    margin = extra.pop("margin", None) or {}
    margin = {**margin, "t": int(margin.get("t", DEFAULT_TOP)) + SUBTITLE_LINE}
    return go.Layout(
        margin=margin,
        template=DEFAULT_TEMPLATE,
        title={
            "text": f"<b>{name}</b>",
            "subtitle": {"text": subtitle, "font": {"size": 14, "color": PALETTE["muted"]}},
        },
        height=height,
        **extra,
    )


def _source(report: Report, table_id: str, pages: Sequence[int]) -> str:
    where = format_pages(pages)
    return f"{frames.table_title(report, table_id)}（PDF {where}）" if where else ""


def _wrap(text: str, width: int = MAX_LABEL) -> str:
    """Break a long Chinese label over lines (plotly does not wrap)."""
    if len(text) <= width:
        return text
    return "<br>".join(text[i : i + width] for i in range(0, len(text), width))


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


# -- 收支平衡 -------------------------------------------------------------------------------------


def build_sankey_chart(report: Report) -> go.Figure | None:
    """Income sources (and 年初结转和结余) → 收支总计 → 功能分类 类 (and 年末结转和结余)."""
    flows = frames.flow_frame(report)
    if flows.empty:
        return None
    middle = "收支总计"
    sources = [s for s in flows["来源"] if s != middle]
    targets = [t for t in flows["去向"] if t != middle]
    nodes = list(dict.fromkeys([*sources, middle, *targets]))
    inflow: dict[str, Decimal] = {}
    for _, row in flows.iterrows():
        for end in (row["来源"], row["去向"]):
            inflow[end] = inflow.get(end, Decimal(0)) + row["金额"]
    incoming = sum(
        (v for v, s in zip(flows["金额"], flows["来源"], strict=True) if s != middle), Decimal(0)
    )
    outgoing = sum(
        (v for v, s in zip(flows["金额"], flows["来源"], strict=True) if s == middle), Decimal(0)
    )
    node_value = {n: inflow[n] for n in nodes}
    node_value[middle] = max(incoming, outgoing)
    kinds = {}
    for _, row in flows.iterrows():
        end = row["去向"] if row["来源"] == middle else row["来源"]
        kinds[end] = row["类别"]
    colour_of = {"收入": PALETTE["blue"], "支出": PALETTE["teal"], "结转结余": PALETTE["gray"]}
    node_colors = [PALETTE["ink"] if n == middle else colour_of[kinds[n]] for n in nodes]
    labels = [f"{n}  <b>{format_amount(node_value[n])}</b>" for n in nodes]
    index = {n: i for i, n in enumerate(nodes)}
    link_colors = []
    for _, row in flows.iterrows():
        end = row["去向"] if row["来源"] == middle else row["来源"]
        link_colors.append(_rgba(colour_of[kinds[end]], 0.45))
    trace = go.Sankey(
        arrangement="snap",
        valueformat=",.2f",
        node={
            "label": labels,
            "color": node_colors,
            "pad": 28,
            "thickness": 20,
            "line": {"width": 0},
            "customdata": [format_amount(node_value[n]) for n in nodes],
            "hovertemplate": "%{label}<extra></extra>",
        },
        link={
            "source": [index[s] for s in flows["来源"]],
            "target": [index[t] for t in flows["去向"]],
            "value": to_float(flows["金额"]),
            "color": link_colors,
            "customdata": [
                [s, t, format_amount(v), f"PDF 第 {p} 页"]
                for s, t, v, p in zip(
                    flows["来源"], flows["去向"], flows["金额"], flows["页码"], strict=True
                )
            ],
            "hovertemplate": "%{customdata[0]} → %{customdata[1]}<br>"
            "<b>%{customdata[2]} 万元</b><br>%{customdata[3]}<extra></extra>",
        },
        textfont={"family": FONT_FAMILY, "size": 15, "color": PALETTE["ink"]},
    )
    pages = sorted(set(flows["页码"]))
    layout = _layout(report, "收支流向", _source(report, "公开01", pages), height=560)
    return go.Figure(data=[trace], layout=layout)


def build_waterfall_chart(report: Report) -> go.Figure | None:
    """年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余, the last bar as printed."""
    steps = frames.balance_frame(report)
    if steps.empty:
        return None
    amounts = list(steps["金额"])
    computed = sum(amounts[:-1], Decimal(0))
    printed = amounts[-1]
    texts = [
        format_amount(v, sign=m == "relative") for v, m in zip(amounts, steps["类型"], strict=True)
    ]
    opened = frames.opening_known(report)
    if not opened:
        texts[0] = "未列示"  # the report prints no 年初结转和结余: its bar is no 0.00
    tallest = max((abs(v) for v in amounts), default=Decimal(1)) or Decimal(1)
    # A decrease written below its bar would sit on the axis labels: write it inside when the
    # bar has room, above the bar's top otherwise.
    positions = ["inside" if v < 0 and abs(v) >= tallest / 6 else "outside" for v in amounts]
    # the running level after each step: the axis must reach above the highest bar's label,
    # which would otherwise run into the subtitle
    level, levels = 0.0, []
    for v, m in zip(to_float(amounts), steps["类型"], strict=True):
        level = level + v if m == "relative" else v
        levels.append(level)
    high, low = max([*levels, 0.0]), min([*levels, 0.0])
    span = (high - low) or 1.0
    trace = go.Waterfall(
        measure=list(steps["类型"]),
        x=list(steps["步骤"]),
        y=to_float(amounts),
        text=texts,
        textposition=positions,
        textfont={"size": 16},
        insidetextfont={"size": 16, "color": "white"},
        outsidetextfont={"size": 16, "color": PALETTE["ink"]},
        cliponaxis=False,
        customdata=[f"PDF 第 {p} 页" for p in steps["页码"]],
        hovertemplate="%{x}<br><b>%{text} 万元</b><br>%{customdata}<extra></extra>",
        increasing={"marker": {"color": PALETTE["blue"]}},
        decreasing={"marker": {"color": PALETTE["teal"]}},
        totals={"marker": {"color": PALETTE["gray"]}},
        connector={"line": {"color": PALETTE["gray_light"], "width": 2}},
        showlegend=False,
    )
    layout = _layout(
        report,
        "结转结余的来龙去脉",
        _source(report, "公开01", sorted(set(steps["页码"]))),
        height=480,
        yaxis={"range": [low - 0.02 * span if low < 0 else 0, high + 0.16 * span]},
        # names on two short lines: a half-width chart tilted them over the note under it
        xaxis={
            "tickvals": list(steps["步骤"]),
            "ticktext": [_wrap(str(n), 4) for n in steps["步骤"]],
            "tickangle": 0,
        },
        margin={"l": 24, "r": 32, "t": 124, "b": 64},
    )
    fig = go.Figure(data=[trace], layout=layout)
    gap = printed - computed
    if gap != 0 and opened:  # without a printed 年初 any gap is ours, not the report's
        fig.add_annotation(
            text=f"按表中数推算 {format_amount(computed)}，表中列 {format_amount(printed)}，"
            f"差 {format_amount(gap, sign=True)}（尾差）",
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-60,
            xanchor="left",
            yanchor="top",
            showarrow=False,
            font={"size": 13, "color": PALETTE["muted"]},
        )
        fig.update_layout(margin={"b": 100})
    return fig


def build_overview_chart(report: Report) -> go.Figure | None:
    """总览's one chart: 年初结转和结余, 本年收入, 本年支出, 年末结转和结余 side by side (公开01).

    Bars, not a waterfall: a leader reads four lengths in a second; the 收支平衡 page has the
    waterfall. Rows the table does not print are left out, never drawn as zero.
    """
    rows = frames.overview_bars(report)
    if not rows:
        return None
    colour = {"本年收入": PALETTE["blue"], "本年支出": PALETTE["teal"]}
    trace = go.Bar(
        orientation="h",
        y=[r[0] for r in rows],
        x=to_float(r[1] for r in rows),
        marker={"color": [colour.get(r[0], PALETTE["gray"]) for r in rows]},
        text=[f"{format_amount(r[1])} 万元" for r in rows],
        textposition="outside",
        textfont={"size": 16},
        cliponaxis=False,
        customdata=[f"PDF 第 {r[2]} 页" for r in rows],
        hovertemplate="%{y}<br><b>%{text}</b><br>%{customdata}<extra></extra>",
        showlegend=False,
    )
    layout = _layout(
        report,
        "收入、支出与结转",
        _source(report, "公开01", sorted({r[2] for r in rows})),
        height=max(300, 150 + 48 * len(rows)),
        bargap=0.35,
        xaxis={"rangemode": "tozero", "showticklabels": False, "showgrid": False},
        yaxis={"autorange": "reversed"},
        margin={"l": 24, "r": 150, "t": 96, "b": 16},
    )
    return go.Figure(data=[trace], layout=layout)


def build_spending_split_chart(report: Report) -> go.Figure | None:
    """本年支出: 基本支出 against 项目支出 (and any other kind printed)."""
    split = frames.spending_split_frame(report)
    if split.empty:
        return None
    colours = {"基本支出": PALETTE["blue"], "项目支出": PALETTE["amber"]}
    trace = go.Bar(
        orientation="h",
        y=list(split["类别"]),
        x=to_float(split["金额"]),
        marker={"color": [colours.get(k, PALETTE["gray"]) for k in split["类别"]]},
        text=[
            f"{format_amount(v)} 万元 · {format_percent(s)}"
            for v, s in zip(split["金额"], split["占比"], strict=True)
        ],
        textposition=["inside" if (s or 0) >= 30 else "outside" for s in split["占比"]],
        insidetextanchor="start",
        textfont={"size": 16},
        cliponaxis=False,
        customdata=[f"PDF 第 {p} 页" for p in split["页码"]],
        hovertemplate="%{y}<br><b>%{text}</b><br>%{customdata}<extra></extra>",
        showlegend=False,
    )
    table_id = str(split["来源"].iloc[0]).split(" ")[0]
    layout = _layout(
        report,
        "基本支出与项目支出",
        _source(report, table_id, sorted(set(split["页码"]))),
        height=max(480, 240 + 70 * len(split)),
        xaxis={"rangemode": "tozero"},
        yaxis={"autorange": "reversed"},
        bargap=0.45,
    )
    return go.Figure(data=[trace], layout=layout)


# -- 功能分类 -------------------------------------------------------------------------------------


#: A box under this share of the box it sits in is too small for its name at 1280 px: two or
#: more such boxes are shown together as one 「其他 N 项」 box (a click opens it), never hidden.
SMALL_BOX = 0.04
#: A box with at least this share of the box it sits in is wide enough for its amount too.
WIDE_BOX = 0.15


def _group_small(kids: dict[str, list[str]], size: dict[str, float], parent: str) -> list[str]:
    """Under ``parent``, the children to fold into one 其他 box (empty: none), smallest last.

    Folded only where two or more are small and at least one other box stays beside them; a
    lone small box takes the next smallest with it, so the 其他 box is worth its name.
    """
    children = sorted(kids.get(parent, []), key=lambda c: (-size[c], c))
    whole = sum(size[c] for c in children)
    if len(children) < 3 or whole <= 0:
        return []
    small = [c for c in children if size[c] < SMALL_BOX * whole]
    if len(small) == 1:
        small = children[-2:]
    return small if 2 <= len(small) < len(children) else []


def build_treemap_chart(report: Report, side: str = "支出", branch: str = "") -> go.Figure | None:
    """功能分类 类→款→项 sized by amount, one level at a time, ``branch`` (a code) as its root.

    Colour means something or nothing is claimed: where the table splits 基本/项目支出 (收入:
    财政拨款收入) and the split varies, by its share; where everything is one kind, each 类 has
    its own colour. Every box says its name, amount and share: boxes too small for that are
    shown together as 「其他 N 项」 (a click opens them), and the subtitle says so. The path
    bar sits under the map, clear of the title block.
    """
    frame = frames.classification_frame(report, side)
    if frame.empty or not any(frame["规模"]):
        return None
    table_id, colour_col = frames.classification_source(report, side)
    total_name = "本年支出合计" if side == "支出" else "本年收入合计"
    if table_id == "公开05":
        total_name = "一般公共预算财政拨款支出"
    whole = sum(
        (v for v, p in zip(frame["规模"], frame["上级"], strict=True) if p == ""), Decimal(0)
    )
    grand = frames.find_total(report, table_id, frames.total_column(report, table_id) or "合计")
    grand_value = grand.value if grand is not None else whole
    root = "root"
    rows = {str(r["编码"]): r for _, r in frame.iterrows()}
    parent_of = {c: (str(r["上级"]) or root) for c, r in rows.items()}
    size = {c: float(r["规模"]) for c, r in rows.items()} | {root: float(whole)}
    kids: dict[str, list[str]] = {}
    for code, up in parent_of.items():
        kids.setdefault(up, []).append(code)
    # 其他 boxes: under every parent (and inside an 其他 box again), small boxes go together
    others: dict[str, list[str]] = {}
    todo = [root, *rows]
    while todo:
        node = todo.pop(0)
        small = _group_small(kids, size, node)
        if not small:
            continue
        other = f"{node}/其他"
        others[other] = small
        kids[node] = [c for c in kids[node] if c not in small] + [other]
        kids[other] = small
        size[other] = sum(size[c] for c in small)
        for c in small:
            parent_of[c] = other
        parent_of[other] = node
        todo.append(other)

    def amount_of(node: str) -> Decimal:
        if node == root:
            return grand_value
        if node in others:
            return sum((amount_of(c) for c in others[node]), Decimal(0))
        return Decimal(rows[node]["金额"])

    def share_of(node: str) -> Decimal | None:
        if node in others:
            parts = [share_of(c) for c in others[node]]
            known = all(p is not None for p in parts)
            return frames.part_share(amount_of(node), grand_value) if known else None
        return None if node == root else rows[node]["占比"]

    def colour_amount(node: str) -> Decimal:
        if node == root:
            return sum(frame.loc[frame["上级"] == "", "着色列"], Decimal(0))
        if node in others:
            return sum((colour_amount(c) for c in others[node]), Decimal(0))
        return Decimal(rows[node]["着色列"])

    ids = [root, *rows, *others]
    parents = ["", *(parent_of[c] for c in ids[1:])]

    def name_of(node: str) -> str:
        if node == root:
            return total_name
        if node in others:
            return f"较小的 {len(others[node])} 项"
        return str(rows[node]["名称"] or node)

    names = [name_of(n) for n in ids]
    amounts = [amount_of(n) for n in ids]
    # the label is what the path bar and a branch's header show: name and total on one line
    labels = [
        f"{name}　{format_amount(amount)} 万元" if node in kids else name
        for node, name, amount in zip(ids, names, amounts, strict=True)
    ]
    values = [size[n] for n in ids]
    colour_shares = {c: float(r["着色占比"]) for c, r in rows.items()}
    shares = list(colour_shares.values())
    by_share = any(s > 0.001 for s in shares) and max(shares) - min(shares) > 0.001
    if by_share:
        marker: dict[str, Any] = {
            "colors": [
                colour_shares[n]
                if n in colour_shares
                else (float(colour_amount(n) / amount_of(n)) if amount_of(n) else 0.0)
                for n in ids
            ],
            "colorscale": SHARE_SCALES[side],
            "cmin": 0,
            "cmax": 1,
            "colorbar": {
                "title": {"text": f"{colour_col}<br>占比", "font": {"size": 14}},
                "tickformat": ".0%",
                "thickness": 14,
                "len": 0.7,
            },
            "showscale": True,
        }
    else:
        classes = [c for c in rows if len(c) == 3]
        hue = {c: COLORWAY[i % len(COLORWAY)] for i, c in enumerate(classes)}
        depth_alpha = {3: 1.0, 5: 0.78, 7: 0.6}
        marker = {
            "colors": [
                PALETTE["gray_light"]
                if n == root
                else PALETTE["gray"]
                if n in others and parent_of[n] == root
                else _rgba(hue.get(n[:3], PALETTE["gray"]), depth_alpha.get(len(n), 0.6))
                for n in ids
            ],
        }
    marker["line"] = {"color": "white", "width": 2}
    custom = []
    for node in ids:
        if node == root:
            level, page = "合计", format_pages([grand.page]) if grand is not None else ""
        elif node in others:
            level = "、".join(sorted({str(rows[c]["级次"]) for c in others[node] if c in rows}))
            level = f"合并较小的{level or '科目'}"
            inner = [c for c in others[node] if c in rows]
            page = format_pages(sorted({int(rows[c]["页码"]) for c in inner}))
        else:
            level, page = str(rows[node]["级次"]), f"第 {rows[node]['页码']} 页"
        custom.append(
            [
                "" if node == root or node in others else node,
                level,
                format_amount(amount_of(node)),
                format_percent(share_of(node)) if node != root else "100.00%",
                format_amount(colour_amount(node)),
                page,
            ]
        )
    hover = (
        "<b>%{label}</b>　%{customdata[0]}（%{customdata[1]}）<br>"
        "金额 %{customdata[2]} 万元，占" + total_name + " %{customdata[3]}<br>"
    )
    if by_share:
        hover += "其中" + colour_col + " %{customdata[4]} 万元<br>"

    # One level at a time: each box is drawn whole, its name wrapped to fit, then its amount
    # and share; the box in view heads the map on one line (name and total in its label). A
    # narrow box (beside one that fills most of the map it is a thin strip) says its name in
    # short lines and its share only: its amount is in the list under the map and on hover.
    def text_of(node: str, name: str) -> str:
        if node == root:
            return "<b>%{label}</b>"
        if size[node] >= WIDE_BOX * size[parent_of[node]]:
            return f"<b>{_wrap(name, 8)}</b><br>%{{customdata[2]}} 万元<br>%{{customdata[3]}}"
        return f"<b>{_wrap(name, 4)}</b><br>%{{customdata[3]}}"

    texts = [text_of(node, name) for node, name in zip(ids, names, strict=True)]
    trace = go.Treemap(
        ids=ids,
        parents=parents,
        labels=labels,
        values=values,
        branchvalues="total",
        customdata=custom,
        texttemplate=texts,
        textfont={"size": 15, "color": "white" if not by_share else None},
        textposition="top left",
        hovertemplate=hover + "PDF %{customdata[5]}<extra></extra>",
        marker=marker,
        maxdepth=2,
        level=branch if branch in rows else None,
        pathbar={"visible": True, "side": "bottom", "thickness": 28, "textfont": {"size": 15}},
        root={"color": PALETTE["gray_light"]},
        tiling={"pad": 4},
    )
    pages = sorted(set(frame["页码"]))
    name = "支出" if side == "支出" else "收入"
    source = _source(report, table_id, pages)
    # what is not drawn as it is printed is said under the source, on a line of its own
    note = "放不下名称的小方块见图下列表"
    if others:  # how many at each level differs: the box itself says its count
        note = "较小的科目合在“较小的 N 项”方块里，点击展开；" + note
    layout = _layout(
        report,
        f"功能分类{name}结构（类→款→项，点击方块进入下一级）",
        f"{source}<br>{note}",
        height=620,
        margin={"l": 8, "r": 8, "t": 110 + 2 * SUBTITLE_LINE, "b": 40},  # room for the path bar
        uniformtext={"minsize": 12, "mode": "hide"},
    )
    return go.Figure(data=[trace], layout=layout)


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
                    [c, f"第 {p} 页"] for c, p in zip(part["编码"], part["页码"], strict=True)
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


# -- 三公 -----------------------------------------------------------------------------------------

_THREE_PUBLIC_LABELS = {
    "合计": "“三公”经费合计",
    "因公出国（境）费": "因公出国（境）费",
    "公务用车购置及运行维护费": "公务用车购置及运行维护费",
    "公务用车购置费": "　其中：公务用车购置费",
    "公务用车运行维护费": "　　　　公务用车运行维护费",
    "公务接待费": "公务接待费",
}


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


# -- 绩效自评 -------------------------------------------------------------------------------------


def _perf_source(perf: Performance) -> str:
    return f"{perf.title or '绩效自评表'}（PDF {format_pages(perf.pages)}）"


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
    return go.Figure(data=[trace], layout=layout)


def build_indicator_chart(report: Report, perf: Performance) -> go.Figure | None:
    """Each indicator's 得分 against its 分值, in print order, and the 预算执行率 item."""
    frame = frames.score_frame(perf)
    frame = frame.loc[frame["分值"].notna()]
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
            [t or "—", a or "—", f"第 {p} 页"]
            for t, a, p in zip(frame["年度指标值"], frame["实际完成值"], frame["页码"], strict=True)
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
) -> go.Figure | None:
    """Budgets against what was spent, one group of bars per row.

    ``budgets``: (name, amounts, 完成率) for 年初预算数 and 全年预算数; a budget no row states
    is left out, and where one row lacks it the bar says 未列示 rather than stand at zero.
    Each budget bar carries how much of it was spent; the spent bar carries its amount.
    """
    shown = [b for b in budgets if any(v is not None for v in b[1])]
    if not shown:
        return None
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
                customdata=customdata,
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
            customdata=customdata,
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
    spent = list(funds["全年执行数"])
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
    )


# -- 预算执行 -------------------------------------------------------------------------------------


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
            [c, format_amount(v), f"第 {p} 页", t]
            for c, v, p, t in zip(frame["编码"], frame["决算数"], frame["页码"], texts, strict=True)
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


#: plotly.js's zh-CN locale, passed with each chart (config ``locales``): the bundled plotly
#: registers only English, and loading plotly's locale script would need the internet.
#: Keys are the English texts of the plotly.js that Streamlit bundles.
PLOTLY_ZH_CN: dict[str, Any] = {
    "dictionary": {
        "Autoscale": "自动缩放",
        "Box Select": "矩形框选",
        "Cancel": "取消",
        "Compare data on hover": "悬停时比较数据",
        "Double-click to zoom back out": "双击还原",
        "Download plot": "下载图表",
        "Download plot as JSON": "下载图表（JSON）",
        "Download plot as a PNG": "下载图表（PNG 图片）",
        "Draw circle": "画圆",
        "Draw closed freeform": "画封闭图形",
        "Draw line": "画线",
        "Draw open freeform": "画开放图形",
        "Draw rectangle": "画矩形",
        "Erase active shape": "删除选中图形",
        "Image download succeeded": "图片已下载",
        "JSON download succeeded": "JSON 已下载",
        "Lasso Select": "套索选择",
        "Orbital rotation": "轨道旋转",
        "Pan": "平移",
        "Preparing image - this may take a few seconds": "正在生成图片，请稍候",
        "Reset": "重置",
        "Reset axes": "重置坐标轴",
        "Reset camera to default": "重置视角",
        "Reset camera to last save": "恢复上次保存的视角",
        "Reset view": "重置视图",
        "Reset views": "重置视图",
        "Share": "分享",
        "Share chart": "分享图表",
        "Share chart...": "分享图表…",
        "Show closest data on hover": "悬停时显示最近的数据",
        "Sorry, there was a problem downloading your JSON file!": "抱歉，JSON 下载失败。",
        "Sorry, there was a problem downloading your image!": "抱歉，图片下载失败。",
        "Toggle Spike Lines": "显示或隐藏辅助线",
        "Toggle show closest data on hover": "切换悬停显示最近的数据",
        "Turntable rotation": "转台旋转",
        "Zoom": "缩放",
        "Zoom in": "放大",
        "Zoom out": "缩小",
    },
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": [f"{m}月" for m in range(1, 13)],
        "shortMonths": [f"{m}月" for m in range(1, 13)],
        "date": "%Y-%m-%d",
        "decimal": ".",
        "thousands": ",",
    },
}


def export_config(file_stem: str) -> dict[str, Any]:
    """plotly.js config for st.plotly_chart: Chinese toolbar; the camera saves a 3× PNG named file_stem."""
    return {
        "locale": "zh-CN",
        "locales": {"zh-CN": PLOTLY_ZH_CN},
        "displaylogo": False,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
        "toImageButtonOptions": {
            "format": "png",
            "filename": file_stem,
            "scale": 3,
        },
    }
