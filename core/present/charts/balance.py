"""收支平衡: the flow (sankey), the balance steps (waterfall), the overview bars and the
spending split."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go

from core.present import frames
from core.present import trace as keys
from core.present.charts.base import (
    FONT_FAMILY,
    PALETTE,
    _key,
    _layout,
    _rgba,
    _source,
    _wrap,
    note_under,
)
from core.present.frames import format_amount, format_percent, to_float
from core.present.frames.lookup import find_fact_01
from core.records import Report

# -- 收支平衡 -------------------------------------------------------------------------------------


#: 公开01's rows behind each step of the balance (section, item), as frames.balance_frame reads
#: them.
_BALANCE_ROWS = {
    "年初结转和结余": ("收入", "年初结转和结余"),
    "本年收入": ("收入", "本年收入合计"),
    "使用非财政拨款结余": ("收入", "使用非财政拨款结余"),
    "本年支出": ("支出", "本年支出合计"),
    "结余分配": ("支出", "结余分配"),
    "年末结转和结余": ("支出", "年末结转和结余"),
}


def _balance_key(report: Report, step: str, value: Decimal, page: int) -> str:
    """The key of a balance step's bar: its 公开01 cell, when that cell prints the amount
    drawn (a 年末结转和结余 the table leaves out is computed: no cell)."""
    section, item = _BALANCE_ROWS.get(step, ("", ""))
    fact = find_fact_01(report, section, item) if section else None
    if fact is None and step == "使用非财政拨款结余":
        fact = next(
            (
                f
                for f in report.facts_of("公开01")
                if f.section == "收入" and f.item.startswith("使用非财政拨款结余")
            ),
            None,
        )
    ok = fact is not None and fact.value == abs(value) and fact.page == page
    return keys.point_key([fact] if ok and fact is not None else [])


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
    # each link is one 公开01 row; a node is that row when one link ends there, else a sum
    link_keys = []
    for src, dst, value, page in zip(
        flows["来源"], flows["去向"], flows["金额"], flows["页码"], strict=True
    ):
        side, end = ("收入", src) if dst == middle else ("支出", dst)
        cells = keys.cells(report, "公开01", page=page, value=value, item=end, section=side)
        link_keys.append([f for f in cells if f.parent is None])
    node_keys = []
    for n in nodes:
        touching = [
            k
            for k, s, t in zip(link_keys, flows["来源"], flows["去向"], strict=True)
            if n in (s, t)
        ]
        node_keys.append(keys.point_key(touching[0] if len(touching) == 1 else []))
    trace = go.Sankey(
        arrangement="snap",
        valueformat=",.2f",
        node={
            "label": labels,
            "color": node_colors,
            "pad": 28,
            "thickness": 20,
            "line": {"width": 0},
            "customdata": [
                [format_amount(node_value[n]), k] for n, k in zip(nodes, node_keys, strict=True)
            ],
            "hovertemplate": "%{label}<extra></extra>",
        },
        link={
            "source": [index[s] for s in flows["来源"]],
            "target": [index[t] for t in flows["去向"]],
            "value": to_float(flows["金额"]),
            "color": link_colors,
            "customdata": [
                [s, t, format_amount(v), f"PDF 第 {p} 页", keys.point_key(k)]
                for s, t, v, p, k in zip(
                    flows["来源"],
                    flows["去向"],
                    flows["金额"],
                    flows["页码"],
                    link_keys,
                    strict=True,
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


def sankey_caption(report: Report) -> str:
    """What the flow chart's two sides hold, naming only the carry-over nodes it draws: a report
    with no 年初结转和结余 is not told it has one (高等学校 say 上年结转和结余)."""
    flows = frames.flow_frame(report)
    middle = "收支总计"
    sources = dict.fromkeys(s for s in flows["来源"] if s != middle)
    targets = dict.fromkeys(t for t in flows["去向"] if t != middle)
    carried_in = [s for s in sources if "结转" in s or "结余" in s]
    carried_out = [t for t in targets if "结转" in t or "结余" in t]
    left = "左侧为收入来源" + (f"和{'、'.join(carried_in)}" if carried_in else "")
    right = "右侧为按功能分类（类）的本年支出" + (
        f"和{'、'.join(carried_out)}" if carried_out else ""
    )
    return f"{left}，{right}；悬停可看金额和页码。"


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
    notes = waterfall_notes(report)
    # a step the table leaves blank is never labelled as a printed 0.00: the bar says so and
    # the note under the chart (also in the exported image) says why it stands where it does
    if frames.find_opening(report) is None:
        texts[0] = "空白" if opened else "未列示"
    if find_fact_01(report, "支出", "年末结转和结余") is None:
        texts[-1] = f"推算<br>{format_amount(printed)}" if opened else "未列示"
        if not opened:  # reckoned from an unknown 年初: no height to draw
            amounts[-1] = printed = computed = Decimal(0)
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
        customdata=[
            [f"PDF 第 {p} 页", _balance_key(report, s, v, p), _hover_amount(t)]
            for s, v, p, t in zip(steps["步骤"], amounts, steps["页码"], texts, strict=True)
        ],
        hovertemplate="%{x}<br><b>%{customdata[2]}</b><br>%{customdata[0]}<extra></extra>",
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
        notes += [  # two short lines: the chart may stand in half the page
            f"年末结转和结余按表中数推算为 {format_amount(computed)} 万元，",
            f"表中列 {format_amount(printed)} 万元，差 {format_amount(gap, sign=True)} 万元（尾差）",
        ]
    if notes:
        note_under(fig, "<br>".join(notes), yshift=-60)
        fig.update_layout(  # room under the chart for each line; taller past two of them
            margin={"b": 80 + 20 * len(notes)}, height=480 + 20 * max(len(notes) - 2, 0)
        )
    return fig


def _hover_amount(text: str) -> str:
    """A bar's label as hover says it: an amount with its unit, a blank as the table's."""
    if text in ("空白", "未列示"):
        return f"表中{text}"
    return f"{text.replace('<br>', ' ')} 万元"


def waterfall_notes(report: Report) -> list[str]:
    """Under the 结转结余 chart, one short line for each end of the balance the table leaves
    blank: what the bar stands for and why (a line fits a half-width chart at 1280 px)."""
    notes = []
    if frames.find_opening(report) is None:
        if frames.opening_known(report):
            notes.append("年初结转和结余：表中空白，由总计可知为无")
        else:
            notes.append("年初结转和结余：表中未列示，图中不画")
    if find_fact_01(report, "支出", "年末结转和结余") is None:
        if frames.opening_known(report):
            notes.append("年末结转和结余：表中空白，由收支推算")
        else:
            notes.append("年末结转和结余：表中未列示，无从推算")
    return notes


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
        customdata=[[f"PDF 第 {r[2]} 页", _balance_key(report, r[0], r[1], r[2])] for r in rows],
        hovertemplate="%{y}<br><b>%{text}</b><br>%{customdata[0]}<extra></extra>",
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
        customdata=[
            [
                f"PDF 第 {p} 页",
                _key(
                    keys.cells(report, str(t).split(" ")[0], page=p, value=v, item="合计", column=k)
                ),
            ]
            for k, v, p, t in zip(
                split["类别"], split["金额"], split["页码"], split["来源"], strict=True
            )
        ],
        hovertemplate="%{y}<br><b>%{text}</b><br>%{customdata[0]}<extra></extra>",
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
