"""功能分类: 类→款→项 of 公开03 (支出) or 公开02 (收入), for the treemap and its list."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from core.present.frames.lookup import (
    code_names,
    find_total,
    total_column,
)
from core.present.frames.numbers import (
    ZERO,
    part_share,
    share,
    share_whole,
)
from core.records import (
    Report,
)

#: 功能分类 levels by code length.
LEVEL_BY_LENGTH: dict[int, str] = {3: "类", 5: "款", 7: "项"}


# -- 功能分类 -------------------------------------------------------------------------------------

#: The two sides of the classification view: table, the column each row is sized by, and the
#: column whose share colours it.
CLASSIFICATION_SIDES: dict[str, tuple[str, str]] = {
    "支出": ("公开03", "项目支出"),
    "收入": ("公开02", "财政拨款收入"),
}


#: Where a side's 类/款/项 may also be read when its own table is missing: 公开05 prints the
#: same codes for 一般公共预算财政拨款 spending (the 收支平衡 page falls back the same way).
FALLBACK_SIDES: dict[str, tuple[str, str]] = {"支出": ("公开05", "项目支出")}


def classification_source(report: Report, side: str = "支出") -> tuple[str, str]:
    """The table a side is read from and its colouring column: 公开03, else 公开05 (支出)."""
    table_id, colour_col = CLASSIFICATION_SIDES[side]
    if total_column(report, table_id) is None and side in FALLBACK_SIDES:
        fallback = FALLBACK_SIDES[side]
        if total_column(report, fallback[0]) is not None:
            return fallback
    return table_id, colour_col


def classification_frame(report: Report, side: str = "支出") -> pd.DataFrame:
    """功能分类 类→款→项 of 公开03 (支出; 公开05 when 公开03 is missing) or 公开02 (收入).

    One row per printed code.
    Columns: 编码, 名称, 级次 (类/款/项), 上级 (parent code, ``""`` for a 类), 金额 (the row's
    printed total), 规模 (the sum of its printed leaves, what a treemap is sized by), 占比
    (percent of the table's total), 着色列 (the colouring column's amount: 项目支出 on the
    spending side, 财政拨款收入 on the income side), 着色占比 (its share of 金额, 0–1 float),
    页码. A code whose 款 or 类 row is not printed gets its parent made up from its children.
    """
    columns = ["编码", "名称", "级次", "上级", "金额", "规模", "占比", "着色列", "着色占比", "页码"]
    table_id, colour_col = classification_source(report, side)
    total_col = total_column(report, table_id)
    if total_col is None:
        return pd.DataFrame([], columns=columns)
    names = code_names(report)
    amounts: dict[str, Decimal] = {}
    colour: dict[str, Decimal] = {}
    pages: dict[str, int] = {}
    for f in report.facts_of(table_id):
        if not f.code or len(f.code) not in LEVEL_BY_LENGTH:
            continue
        if f.column == total_col:
            amounts[f.code] = f.value
            pages[f.code] = f.page
        elif f.column == colour_col:
            colour[f.code] = f.value
    if not amounts:
        return pd.DataFrame([], columns=columns)
    # Make up missing parents so every 项 hangs under its 款 and 类.
    for code in list(amounts):
        for length in (3, 5):
            if len(code) > length and code[:length] not in amounts:
                amounts[code[:length]] = ZERO
                pages.setdefault(code[:length], pages[code])
    codes = sorted(amounts)

    def parent(code: str) -> str:
        for length in (5, 3):
            if len(code) > length and code[:length] in amounts:
                return code[:length]
        return ""

    children: dict[str, list[str]] = {}
    for code in codes:
        children.setdefault(parent(code), []).append(code)

    size: dict[str, Decimal] = {}

    def leaf_sum(code: str) -> Decimal:
        kids = children.get(code)
        if not kids:
            size[code] = max(amounts[code], ZERO)
        else:
            size[code] = sum((leaf_sum(k) for k in kids), ZERO)
            if amounts[code] == 0:
                amounts[code] = size[code]
        return size[code]

    for top in children.get("", []):
        leaf_sum(top)
    grand = find_total(report, table_id, total_col)
    tops = [max(amounts[c], size[c]) for c in children.get("", [])]
    whole = share_whole(grand.value if grand is not None else None, tops)
    rows = []
    for code in codes:
        amount = amounts[code]
        col_share = float(colour.get(code, ZERO) / amount) if amount else 0.0
        rows.append(
            (
                code,
                names.get(code, ""),
                LEVEL_BY_LENGTH[len(code)],
                parent(code),
                amount,
                size[code],
                part_share(amount, whole),
                colour.get(code, ZERO),
                min(max(col_share, 0.0), 1.0),
                pages[code],
            )
        )
    return pd.DataFrame(rows, columns=columns)


def classification_table(report: Report, side: str = "支出") -> pd.DataFrame:
    """The 项 (leaf) rows of :func:`classification_frame`, largest first, for reading small items.

    Columns: 科目 (code and name), 金额, 占比, 着色列 renamed to 项目支出 or 财政拨款收入, 页码.
    """
    frame = classification_frame(report, side)
    colour_name = CLASSIFICATION_SIDES[side][1]
    columns = ["科目", "金额", "占比", colour_name, "页码"]
    if frame.empty:
        return pd.DataFrame([], columns=columns)
    parents = set(frame["上级"])
    leaves = frame.loc[~frame["编码"].isin(parents) & (frame["金额"] != 0)].copy()
    leaves["科目"] = [
        f"{c} {n}".strip() for c, n in zip(leaves["编码"], leaves["名称"], strict=True)
    ]
    leaves[colour_name] = leaves["着色列"]
    leaves = leaves.sort_values("规模", ascending=False, kind="stable")
    return leaves[columns].reset_index(drop=True)


def branch_table(report: Report, side: str = "支出", code: str = "") -> pd.DataFrame:
    """The children of one branch (``""``: the 类), largest first: what a click on the map shows.

    Columns: 科目 (code and name), 级次, 金额, 占比 (percent of the branch; for the 类, of
    the table's total, as on the treemap), 页码. Zero rows are left out.
    """
    frame = classification_frame(report, side)
    columns = ["科目", "级次", "金额", "占比", "页码"]
    if frame.empty:
        return pd.DataFrame([], columns=columns)
    kids = frame.loc[(frame["上级"] == code) & (frame["金额"] != 0)].copy()
    whole = sum(kids["金额"], ZERO)
    kids["科目"] = [f"{c} {n}".strip() for c, n in zip(kids["编码"], kids["名称"], strict=True)]
    if code:
        kids["占比"] = pd.Series(
            [share(v, whole) for v in kids["金额"]], index=kids.index, dtype=object
        )
    # the 类 keep their share of the table's total: the same figure the treemap shows (their
    # own sum can differ from the printed 合计 by rounding: 86.35 % beside 86.36 % before)
    kids["_v"] = [float(v) for v in kids["规模"]]
    kids = kids.sort_values(["_v", "编码"], ascending=[False, True], kind="stable")
    return kids[columns].reset_index(drop=True)
