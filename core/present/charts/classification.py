"""功能分类: the treemap, one level at a time, small boxes folded into one named box."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import plotly.graph_objects as go

from core.present import frames
from core.present import trace as keys
from core.present.charts.base import (
    COLORWAY,
    PALETTE,
    SHARE_SCALES,
    SUBTITLE_LINE,
    _layout,
    _rgba,
    _source,
    _wrap,
)
from core.present.frames import format_amount, format_pages, format_percent
from core.records import Report

# -- 功能分类 -------------------------------------------------------------------------------------


#: A box under this share of the box it sits in is too small for its name at 1280 px: two or
#: more such boxes are shown together as one 「其他 N 项」 box (a click opens it), never hidden.
SMALL_BOX = 0.04
#: A box with at least this share of the box it sits in is wide enough for its amount too.
WIDE_BOX = 0.15
#: The size (px) of a box's text where it fits: plotly shrinks the text of a box too small for
#: it, each box on its own, so a big box is read from across a room and a thin one still fits.
#: (With ``uniformtext`` every box took the narrowest box's size: 教育支出, 93 % of a 高等学校's
#: map, came out at 12 px; an array ``textfont.size`` draws no treemap text in this plotly.js.)
LABEL_SIZE = 22
#: What the 功能分类 page says above the map, outside the figure (an image has no list under
#: it); the branch box above says a click opens a box.
SCREEN_HINT = "名称放不下的小方块，见图下的列表。"


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
    bar sits under the map, clear of the title block. The figure asks for no click and names
    no list under it (its PNG goes on a slide): the page says that, :data:`SCREEN_HINT`.
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
    total_col = frames.total_column(report, table_id)

    def key_of(node: str) -> str:
        """The printed cell the box's amount is: a code's row in the table, the table's total
        row for the root; an 其他 box (a sum) and a row made up from its children have none."""
        if node == root:
            ok = grand is not None and grand.value == grand_value
            return keys.point_key([grand] if ok and grand is not None else [])
        if node in others or total_col is None:
            return keys.point_key()
        return keys.point_key(
            keys.cells(report, table_id, code=node, column=total_col, value=amount_of(node))
        )

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
                key_of(node),
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
        # white on the 类 colours; the root's header (light grey) in ink: white was unreadable
        textfont={
            "size": LABEL_SIZE,
            "color": None if by_share else [PALETTE["ink"] if n == root else "white" for n in ids],
        },
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
    # what is not drawn as it is printed is said under the source, on a line of its own; what
    # to click and the list under the map are the page's to say (:data:`SCREEN_HINT`): the
    # toolbar's PNG and a slide show this figure as it is, where nothing can be clicked
    note = "较小的科目合在“较小的 N 项”方块里" if others else ""
    layout = _layout(
        report,
        f"功能分类{name}结构（类→款→项）",
        f"{source}<br>{note}" if note else source,
        height=620,
        margin={
            "l": 8,
            "r": 8,
            "t": 104 + (SUBTITLE_LINE if note else 0),
            "b": 40,
        },  # room for the path bar
    )
    return go.Figure(data=[trace], layout=layout)
