"""收支平衡: the Sankey's links, the waterfall's steps and 基本/项目支出, from 公开01/03/05."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from core.present.frames.lookup import (
    _first,
    find_fact_01,
    table_title,
    total_column,
)
from core.present.frames.numbers import (
    CENT,
    ZERO,
    part_share,
)
from core.records import (
    Fact,
    Report,
)

# -- 收支平衡 -------------------------------------------------------------------------------------

#: 上年结转和结余 is 年初结转和结余 in the 高等学校 and central-department templates.
_01_CARRY_IN = ("使用非财政拨款结余", "年初结转和结余", "上年结转和结余")
_01_CARRY_OUT = ("结余分配", "年末结转和结余")


def _rows_before(facts: list[Fact], stop_suffix: str) -> list[Fact] | None:
    """Rows printed before the ``…合计`` row, or None when the 合计 row is missing."""
    for i, f in enumerate(facts):
        if f.item.endswith(stop_suffix):
            return facts[:i]
    return None


def flow_frame(report: Report) -> pd.DataFrame:
    """Links of the 收支 Sankey from 公开01: source, target, amount, page, kind.

    Income sources (and 年初结转和结余) flow into the middle node ``收支总计``; from it flow
    the 功能分类 类 of 本年支出 (and 结余分配, 年末结转和结余). Zero rows are left out.
    Where a side's rows do not add up to its printed 合计 (a layout the parser read
    differently), that side is drawn as its one 合计 row instead.
    """
    columns = ["来源", "去向", "金额", "页码", "类别"]
    rows: list[tuple[str, str, Decimal, int, str]] = []
    facts = [f for f in report.facts_of("公开01") if f.parent is None]
    income = [f for f in facts if f.section == "收入"]
    spend = [f for f in facts if f.section == "支出"]
    middle = "收支总计"
    for side, side_facts, total_name, carries in (
        ("收入", income, "本年收入合计", _01_CARRY_IN),
        ("支出", spend, "本年支出合计", _01_CARRY_OUT),
    ):
        total = find_fact_01(report, side, total_name)
        parts = _rows_before(side_facts, total_name) or []
        parts = [f for f in parts if f.value != 0 and not f.item.endswith("合计")]
        if total is not None and abs(sum((f.value for f in parts), ZERO) - total.value) > CENT:
            parts = [total] if total.value != 0 else []
        extra = [
            f
            for f in side_facts
            if any(f.item.startswith(c) for c in carries) and f.value != 0 and f not in parts
        ]
        for kind, group in ((side, parts), ("结转结余", extra)):
            for f in group:
                ends = (f.item, middle) if side == "收入" else (middle, f.item)
                rows.append((*ends, f.value, f.page, kind))
    return pd.DataFrame(rows, columns=columns)


#: What 公开01 calls the balance brought forward: 年初结转和结余, or 上年结转和结余 in the
#: 高等学校 and central-department templates (the same row under another name).
OPENING_NAMES = ("年初结转和结余", "上年结转和结余")


def find_opening(report: Report) -> Fact | None:
    """公开01's balance brought forward (年初结转和结余, else 上年结转和结余), or None."""
    for name in OPENING_NAMES:
        fact = find_fact_01(report, "收入", name)
        if fact is not None:
            return fact
    return None


def opening_known(report: Report) -> bool:
    """Whether the balance brought forward is known: printed, or left blank (zero) in a
    公开01 whose 收入 总计 is exactly 本年收入合计 plus 使用非财政拨款结余 without it."""
    if find_opening(report) is not None:
        return True
    # the side's grand total by its exact name: find_fact_01 takes "合计" for any "…合计",
    # and 本年收入合计 would then stand for the total it is compared with
    total = _first(
        f
        for f in report.facts_of("公开01")
        if f.section == "收入" and f.parent is None and f.item in ("总计", "合计")
    )
    income = find_fact_01(report, "收入", "本年收入合计")
    if total is None or income is None:
        return False
    reserve = _first(
        f
        for f in report.facts_of("公开01")
        if f.section == "收入" and f.item.startswith("使用非财政拨款结余")
    )
    return total.value == income.value + (reserve.value if reserve is not None else ZERO)


def balance_frame(report: Report) -> pd.DataFrame:
    """The steps 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余, from 公开01.

    Columns: 步骤, 金额 (signed: spending negative), 类型 (``absolute`` for the first and the
    last step, ``relative`` between), 页码. The last row is the 年末结转和结余 as printed.
    Empty when 公开01 lacks 本年收入合计 or 本年支出合计.
    """
    columns = ["步骤", "金额", "类型", "页码"]
    opening = find_opening(report)
    income = find_fact_01(report, "收入", "本年收入合计")
    reserve = find_fact_01(report, "收入", "使用非财政拨款结余")
    if reserve is None:
        reserve = _first(
            f
            for f in report.facts_of("公开01")
            if f.section == "收入" and f.item.startswith("使用非财政拨款结余")
        )
    spend = find_fact_01(report, "支出", "本年支出合计")
    allocation = find_fact_01(report, "支出", "结余分配")
    closing = find_fact_01(report, "支出", "年末结转和结余")
    if income is None or spend is None:
        return pd.DataFrame([], columns=columns)
    rows: list[tuple[str, Decimal, str, int]] = [
        (
            "年初结转和结余",
            opening.value if opening else ZERO,
            "absolute",
            opening.page if opening else income.page,
        ),
        ("本年收入", income.value, "relative", income.page),
    ]
    if reserve is not None and reserve.value != 0:
        rows.append(("使用非财政拨款结余", reserve.value, "relative", reserve.page))
    rows.append(("本年支出", -spend.value, "relative", spend.page))
    if allocation is not None and allocation.value != 0:
        rows.append(("结余分配", -allocation.value, "relative", allocation.page))
    computed = sum((r[1] for r in rows), ZERO)
    rows.append(
        (
            "年末结转和结余",
            closing.value if closing else computed,
            "absolute",
            closing.page if closing else spend.page,
        )
    )
    return pd.DataFrame(rows, columns=columns)


def spending_split_frame(report: Report) -> pd.DataFrame:
    """本年支出 by kind (基本支出, 项目支出, and any other printed) from the 合计 row of 公开03.

    Falls back on 公开05 (一般公共预算财政拨款) when 公开03 is missing. Columns: 类别, 金额,
    占比 (percent of the sum), 页码, 来源.
    """
    columns = ["类别", "金额", "占比", "页码", "来源"]
    for table_id in ("公开03", "公开05"):
        total_col = total_column(report, table_id)
        totals = [
            f
            for f in report.facts_of(table_id)
            if f.code is None and f.item == "合计" and f.column != total_col
        ]
        if not totals:
            continue
        whole = sum((f.value for f in totals), ZERO)
        rows = [
            (f.column, f.value, part_share(f.value, whole), f.page, table_title(report, table_id))
            for f in totals
            if f.value != 0 or f.column in ("基本支出", "项目支出")
        ]
        return pd.DataFrame(rows, columns=columns)
    return pd.DataFrame([], columns=columns)
