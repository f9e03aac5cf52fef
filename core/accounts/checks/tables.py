"""Identities inside one table: 公开01 and 公开04 (each side adds up to its totals), the
coded tables (row = its columns; 合计 = Σ类, 类 = Σ款, 款 = Σ项), 公开06 and 公开07."""

from __future__ import annotations

from collections import defaultdict

from core.accounts.checks.base import (
    _check,
    _is_breakdown_column,
    _is_carry,
    _is_grand_total,
    _sum,
    _total_column,
    _value,
)
from core.records import THREE_PUBLIC_ITEMS, Check, Fact, Report

# -- 公开01 ------------------------------------------------------------------------------------


def check_01(report: Report) -> list[Check]:
    """公开01 both sides and the two 总计."""
    facts = report.facts_of("公开01")
    if not facts:
        return []
    out: list[Check] = []
    col = facts[0].column
    inc = [f for f in facts if f.section == "收入" and f.column == col]
    exp = [f for f in facts if f.section == "支出" and f.column == col]

    def pick(side: list[Fact], test) -> Fact | None:
        return next((f for f in side if test(f.item)), None)

    # each side: its 本年…合计 is the sum of its rows, its 总计 that plus the rows below it
    # (收入: 使用非财政拨款结余, 年初结转和结余; 支出: 结余分配, 年末结转和结余)
    grands: list[Fact | None] = []
    for side, name, rows_are, below, below_names in (
        (inc, "收入", "各项收入之和", "使用", "使用非财政拨款结余 + 年初结转和结余"),
        (exp, "支出", "各功能分类支出之和", "结余分配", "结余分配 + 年末结转和结余"),
    ):
        total = pick(side, lambda s, n=name: s == f"本年{n}合计" or s.endswith(f"{n}合计"))
        grand = pick(side, _is_grand_total)
        items = [
            f
            for f in side
            if f.parent is None
            and not _is_carry(f.item)
            and "合计" not in f.item
            and "总计" not in f.item
            and below not in f.item
        ]
        if total is not None:
            out.append(
                _check(
                    f"公开01 本年{name}合计 = {rows_are}",
                    _sum(items),
                    total.value,
                    len(items),
                    ("公开01",),
                    [total, *items],
                )
            )
        if grand is not None:
            extras = [f for f in side if below in f.item or _is_carry(f.item)]
            out.append(
                _check(
                    f"公开01 {name}总计 = 本年{name}合计 + {below_names}",
                    _value(total) + _sum(extras),
                    grand.value,
                    1 + len(extras),
                    ("公开01",),
                    [grand, total, *extras],
                )
            )
        grands.append(grand)
    in_grand, out_grand = grands
    if in_grand is not None and out_grand is not None:
        out.append(
            _check(
                "公开01 收入总计 = 支出总计",
                in_grand.value,
                out_grand.value,
                1,
                ("公开01",),
                [in_grand, out_grand],
            )
        )
    return out


# -- 公开04 ------------------------------------------------------------------------------------


def check_04(report: Report) -> list[Check]:
    """公开04: each side adds up, fund rows add up to their row, the two 总计 agree."""
    facts = list(report.facts_of("公开04"))
    if not facts:
        return []
    out: list[Check] = []
    inc = [f for f in facts if f.section == "收入"]
    exp = [f for f in facts if f.section == "支出"]
    t = ("公开04",)

    def find(side: list[Fact], test, column: str | None = None) -> Fact | None:
        return next(
            (f for f in side if test(f.item) and (column is None or f.column == column)), None
        )

    in_total = find(inc, lambda s: s.endswith("本年收入合计"))
    in_grand = find(inc, lambda s: s == "总计" or s.endswith("总计"))
    funds = [
        f
        for f in inc
        if f.parent is None
        and not _is_carry(f.item)
        and "合计" not in f.item
        and "总计" not in f.item
    ]
    carry_in = [f for f in inc if f.parent is None and _is_carry(f.item)]
    if in_total is not None:
        out.append(
            _check(
                "公开04 本年收入合计 = 各项财政拨款收入之和",
                _sum(funds),
                in_total.value,
                len(funds),
                t,
                [in_total, *funds],
            )
        )
    if in_grand is not None:
        out.append(
            _check(
                "公开04 收入总计 = 本年收入合计 + 年初财政拨款结转和结余",
                _value(in_total) + _sum(carry_in),
                in_grand.value,
                1 + len(carry_in),
                t,
                [in_grand, in_total, *carry_in],
            )
        )
    for parent in carry_in:
        kids = [f for f in inc if f.parent == parent.item]
        if kids:
            out.append(
                _check(
                    f"公开04 {parent.item} = 各项资金之和",
                    _sum(kids),
                    parent.value,
                    len(kids),
                    t,
                    [parent, *kids],
                )
            )
    columns = list(dict.fromkeys(f.column for f in exp))
    total_col = _total_column(columns)
    for column in columns:
        side = [f for f in exp if f.column == column and f.parent is None]
        total = find(side, lambda s: s.endswith("本年支出合计"))
        grand = find(side, lambda s: s == "总计" or s.endswith("总计"))
        classes = [
            f
            for f in side
            if not _is_carry(f.item) and "合计" not in f.item and "总计" not in f.item
        ]
        carry = [f for f in side if _is_carry(f.item)]
        if total is not None:
            out.append(
                _check(
                    f"公开04 本年支出合计 = 各功能分类支出之和（{column}）",
                    _sum(classes),
                    total.value,
                    len(classes),
                    t,
                    [total, *classes],
                )
            )
        if grand is not None:
            out.append(
                _check(
                    f"公开04 支出总计 = 本年支出合计 + 年末财政拨款结转和结余（{column}）",
                    _value(total) + _sum(carry),
                    grand.value,
                    1 + len(carry),
                    t,
                    [grand, total, *carry],
                )
            )
    if total_col is not None:
        parts = [c for c in columns if c != total_col]
        rows: dict[str, dict[str, Fact]] = defaultdict(dict)
        for f in exp:
            if f.parent is None:
                rows[f.item][f.column] = f
        for item, cells in rows.items():
            if total_col in cells and parts:
                terms = [cells[c] for c in parts if c in cells]
                out.append(
                    _check(
                        f"公开04 {item}：{total_col} = " + " + ".join(parts),
                        _sum(terms),
                        cells[total_col].value,
                        len(terms),
                        t,
                        [cells[total_col], *terms],
                    )
                )
    out_grand = find([f for f in exp if f.column == (total_col or f.column)], lambda s: s == "总计")
    if in_grand is not None and out_grand is not None:
        out.append(
            _check(
                "公开04 收入总计 = 支出总计",
                in_grand.value,
                out_grand.value,
                1,
                t,
                [in_grand, out_grand],
            )
        )
    return out


# -- coded tables: rows and the 类/款/项 tree ----------------------------------------------------


def check_coded(report: Report, table_id: str) -> list[Check]:
    """Row total = sum of its columns; 合计 = Σ类, 类 = Σ款, 款 = Σ项, per column."""
    facts = list(report.facts_of(table_id))
    if not facts:
        return []
    out: list[Check] = []
    columns = list(dict.fromkeys(f.column for f in facts))
    total_col = _total_column(columns)
    rows: dict[tuple[str | None, str], dict[str, Fact]] = defaultdict(dict)
    for f in facts:
        rows[(f.code, f.item)][f.column] = f
    # 公开08 prints 年初/本年收入/本年支出/年末: only the 本年支出 block adds up by row
    parts = [c for c in columns if c != total_col and not _is_breakdown_column(c)]
    fund_shape = (
        "年初结转和结余" in columns or "本年收入" in columns
    )  # 公开08 (and 09 in its shape)
    if fund_shape:
        parts = [c for c in columns if c in ("基本支出", "项目支出")]
        # 年末 = 年初 + 本年收入 − 本年支出, row by row
        for (code, item), cells in rows.items():
            if "年末结转和结余" not in cells or total_col not in cells:
                continue
            start = cells.get("年初结转和结余")
            income = cells.get("本年收入")
            expected = _value(start) + _value(income) - cells[total_col].value
            label = f"{code} {item}".strip() if code else item
            out.append(
                _check(
                    f"{table_id} {label}：年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出",
                    expected,
                    cells["年末结转和结余"].value,
                    3,
                    (table_id,),
                    [cells["年末结转和结余"], start, income, cells[total_col]],
                )
            )
    if total_col is not None and parts:
        for (code, item), cells in rows.items():
            if total_col not in cells:
                continue
            terms = [cells[c] for c in parts if c in cells]
            label = f"{code} {item}".strip() if code else item
            out.append(
                _check(
                    f"{table_id} {label}：{total_col} = " + " + ".join(parts),
                    _sum(terms),
                    cells[total_col].value,
                    len(terms),
                    (table_id,),
                    [cells[total_col], *terms],
                )
            )
    coded = {code: cells for (code, _), cells in rows.items() if code}
    total_row = next(
        (cells for (code, item), cells in rows.items() if code is None and item == "合计"), None
    )
    for column in columns:
        # 合计 = Σ 类
        classes = [
            cells[column] for code, cells in coded.items() if len(code) == 3 and column in cells
        ]
        if total_row is not None and column in total_row and classes:
            out.append(
                _check(
                    f"{table_id} 合计 = Σ类（{column}）",
                    _sum(classes),
                    total_row[column].value,
                    len(classes),
                    (table_id,),
                    [total_row[column], *classes],
                )
            )
        for parent, cells in coded.items():
            if column not in cells or len(parent) not in (3, 5):
                continue
            kids = [
                c[column]
                for code, c in coded.items()
                if len(code) == len(parent) + 2 and code.startswith(parent) and column in c
            ]
            if not kids:
                continue
            level = "类 = Σ款" if len(parent) == 3 else "款 = Σ项"
            out.append(
                _check(
                    f"{table_id} {parent} {level}（{column}）",
                    _sum(kids),
                    cells[column].value,
                    len(kids),
                    (table_id,),
                    [cells[column], *kids],
                )
            )
    return out


# -- 公开06 ------------------------------------------------------------------------------------


def check_06(report: Report) -> list[Check]:
    """人员经费合计 = 301 + 303; 公用经费合计 = the other 3xx groups; each group = Σ its items."""
    facts = list(report.facts_of("公开06"))
    if not facts:
        return []
    out: list[Check] = []
    groups = {f.code: f for f in facts if f.code and len(f.code) == 3}
    items = [f for f in facts if f.code and len(f.code) == 5]
    personnel = next((f for f in facts if f.code is None and f.item.startswith("人员经费")), None)
    public = next((f for f in facts if f.code is None and f.item.startswith("公用经费")), None)
    if personnel is not None:
        terms = [groups[c] for c in ("301", "303") if c in groups]
        out.append(
            _check(
                "公开06 人员经费合计 = 301 + 303",
                _sum(terms),
                personnel.value,
                len(terms),
                ("公开06",),
                [personnel, *terms],
            )
        )
    if public is not None:
        terms = [g for c, g in sorted(groups.items()) if c not in ("301", "303")]
        names = " + ".join(sorted(c for c in groups if c not in ("301", "303"))) or "302 + 310"
        out.append(
            _check(
                f"公开06 公用经费合计 = {names}",
                _sum(terms),
                public.value,
                len(terms),
                ("公开06",),
                [public, *terms],
            )
        )
    for code, group in sorted(groups.items()):
        kids = [f for f in items if f.code and f.code.startswith(code)]
        if kids:
            out.append(
                _check(
                    f"公开06 {code} {group.item} = Σ其明细",
                    _sum(kids),
                    group.value,
                    len(kids),
                    ("公开06",),
                    [group, *kids],
                )
            )
    return out


# -- 公开07 ------------------------------------------------------------------------------------


def check_07(report: Report) -> list[Check]:
    """合计 = 出国 + 车 + 接待; 车 = 购置 + 运行; for 预算数 and 决算数."""
    facts = list(report.facts_of("公开07"))
    out: list[Check] = []
    total, abroad, cars, buy, run, host = THREE_PUBLIC_ITEMS
    for column in dict.fromkeys(f.column for f in facts):
        cells = {f.item: f for f in facts if f.column == column}
        if total in cells:
            terms = [cells[i] for i in (abroad, cars, host) if i in cells]
            out.append(
                _check(
                    f"公开07 合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费（{column}）",
                    _sum(terms),
                    cells[total].value,
                    len(terms),
                    ("公开07",),
                    [cells[total], *terms],
                )
            )
        if cars in cells:
            terms = [cells[i] for i in (buy, run) if i in cells]
            out.append(
                _check(
                    f"公开07 公务用车购置及运行维护费 = 购置费 + 运行维护费（{column}）",
                    _sum(terms),
                    cells[cars].value,
                    len(terms),
                    ("公开07",),
                    [cells[cars], *terms],
                )
            )
    return out
