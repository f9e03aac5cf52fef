"""The accounting identities a consistent report satisfies, over fact keys, and
:func:`plant_error`, which breaks exactly the identities that read one printed cell.

Identity names are plain words: ``<tables> <rule>: <where>``, e.g.
``公开03 row total: 2010350 本年支出合计 = Σ支出列`` or ``公开03 款 = Σ项: 20103 基本支出``.
The parser team maps them onto its own rule names.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .spec import (
    CLASS_NAMES,
    INCOME_01,
    PERSONNEL_GROUPS,
    FactKey,
    ReportSpec,
    TableSpec,
    cell_values,
    norm_name,
    printed_columns,
    set_value,
)

CODED = ("公开02", "公开03", "公开05", "公开08", "公开09")
FUND_COLS = ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")


@dataclass(frozen=True)
class Identity:
    name: str
    tables: tuple[str, ...]
    lhs: FactKey
    rhs: tuple[tuple[int, FactKey], ...]

    def keys(self) -> set[FactKey]:
        return {self.lhs} | {k for _, k in self.rhs}

    def gap(self, vals: dict[FactKey, Decimal]) -> Decimal:
        return vals[self.lhs] - sum((c * vals[k] for c, k in self.rhs), Decimal(0))

    def holds(self, vals: dict[FactKey, Decimal]) -> bool:
        return self.gap(vals) == 0


def K(
    t: str,
    item: str,
    col: str,
    code: str | None = None,
    section: str | None = None,
    parent: str | None = None,
) -> FactKey:
    return (t, section, parent, code, item, col)


def identities(spec: ReportSpec) -> list[Identity]:
    """Every identity whose cells are all printed in ``spec`` (missing/empty tables skip)."""
    vals = cell_values(spec)
    out: list[Identity] = []

    def add(name: str, lhs: FactKey, rhs: list[FactKey] | list[tuple[int, FactKey]]) -> None:
        terms = tuple(k if len(k) == 2 else (1, k) for k in rhs)  # a key, or (coef, key)
        if lhs in vals and all(k in vals for _, k in terms):
            tabs = tuple(sorted({lhs[0]} | {k[0] for _, k in terms}))
            out.append(Identity(name, tabs, lhs, terms))  # type: ignore[arg-type]

    tabs = {t.id: t for t in spec.tables if not t.empty}

    # ---- coded tables: row totals and hierarchy -----------------------------------------
    for tid in CODED:
        t = tabs.get(tid)
        if t is None:
            continue
        cols = [c for c, _ in printed_columns(t)]
        for r in t.rows:
            where = r.code or "合计"

            def rk(col: str, r=r, tid=tid) -> FactKey:
                return K(tid, r.item, col, r.code)

            if tid in ("公开02", "公开03"):
                side = "收入" if tid == "公开02" else "支出"
                add(
                    f"{tid} row total: {where} {cols[0]} = Σ{side}列",
                    rk(cols[0]),
                    [rk(c) for c in cols[1:]],
                )
            elif len(cols) == 3:  # 公开05, expense-only 公开09
                add(
                    f"{tid} row total: {where} {cols[0]} = 基本支出 + 项目支出",
                    rk(cols[0]),
                    [rk(cols[1]), rk(cols[2])],
                )
            else:  # 公开08, 公开09 in 公开08's shape
                sub = cols[2]
                add(
                    f"{tid} row total: {where} {sub} = 基本支出 + 项目支出",
                    rk(sub),
                    [rk(cols[3]), rk(cols[4])],
                )
                add(
                    f"{tid} row balance: {where} 年末结转和结余 = 年初结转和结余 + 本年收入 − {sub}",
                    rk(cols[5]),
                    [rk(cols[0]), rk(cols[1]), (-1, rk(sub))],
                )
        total = [r for r in t.rows if r.level == "total"]
        classes = [r for r in t.rows if r.level == "class"]
        kuans = [r for r in t.rows if r.level == "kuan"]
        xiangs = [r for r in t.rows if r.level == "xiang"]
        for col in cols:
            if total:
                add(
                    f"{tid} 合计 = Σ类: {col}",
                    K(tid, total[0].item, col),
                    [K(tid, r.item, col, r.code) for r in classes],
                )
            for c in classes:
                add(
                    f"{tid} 类 = Σ款: {c.code} {col}",
                    K(tid, c.item, col, c.code),
                    [K(tid, r.item, col, r.code) for r in kuans if r.code[:3] == c.code],
                )
            for k in kuans:
                add(
                    f"{tid} 款 = Σ项: {k.code} {col}",
                    K(tid, k.item, col, k.code),
                    [K(tid, r.item, col, r.code) for r in xiangs if r.code[:5] == k.code],
                )

    # ---- 公开01 -----------------------------------------------------------------------
    t01 = tabs.get("公开01")
    if t01:

        def k1(item: str, section: str) -> FactKey:
            return K("公开01", item, "决算数", section=section)

        use = next(r.item for r in t01.rows if r.item.startswith("使用非财政拨款结余"))
        incomes = [norm_name(x) for x in INCOME_01]
        outs = [r.item for r in t01.rows if r.section == "支出" and r.level == "head"]
        add(
            "公开01 本年收入合计 = Σ收入",
            k1("本年收入合计", "收入"),
            [k1(i, "收入") for i in incomes],
        )
        add(
            f"公开01 收入总计 = 本年收入合计 + {use} + 年初结转和结余",
            k1("总计", "收入"),
            [k1("本年收入合计", "收入"), k1(use, "收入"), k1("年初结转和结余", "收入")],
        )
        add(
            "公开01 本年支出合计 = Σ支出功能分类",
            k1("本年支出合计", "支出"),
            [k1(i, "支出") for i in outs],
        )
        add(
            "公开01 支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
            k1("总计", "支出"),
            [k1("本年支出合计", "支出"), k1("结余分配", "支出"), k1("年末结转和结余", "支出")],
        )
        add("公开01 收入总计 = 支出总计", k1("总计", "收入"), [k1("总计", "支出")])
        t02 = tabs.get("公开02")
        if t02:
            add(
                "公开01/02 本年收入合计 = 公开02 合计 本年收入合计",
                k1("本年收入合计", "收入"),
                [K("公开02", "合计", "本年收入合计")],
            )
            add(
                "公开01/02 三项财政拨款收入 = 公开02 合计 财政拨款收入",
                K("公开02", "合计", "财政拨款收入"),
                [k1(i, "收入") for i in incomes[:3]],
            )
            for i in incomes[3:]:
                add(f"公开01/02 {i} = 公开02 合计 {i}", k1(i, "收入"), [K("公开02", "合计", i)])
        t03 = tabs.get("公开03")
        if t03:
            add(
                "公开01/03 本年支出合计 = 公开03 合计 本年支出合计",
                k1("本年支出合计", "支出"),
                [K("公开03", "合计", "本年支出合计")],
            )
            for r in t03.rows:
                if r.level == "class":
                    add(
                        f"公开01/03 {r.item} = 公开03 {r.code} 本年支出合计",
                        k1(CLASS_NAMES[r.code], "支出"),
                        [K("公开03", r.item, "本年支出合计", r.code)],
                    )

    # ---- 公开04 -----------------------------------------------------------------------
    t04 = tabs.get("公开04")
    if t04:
        incol = t04.cols("收入")[0]

        def ki(item: str, parent: str | None = None) -> FactKey:
            return K("公开04", item, incol, section="收入", parent=parent)

        def ko(item: str, col: str) -> FactKey:
            return K("公开04", item, col, section="支出")

        funds = [
            norm_name(x)
            for x in (
                "一、一般公共预算财政拨款",
                "二、政府性基金预算财政拨款",
                "三、国有资本经营预算财政拨款",
            )
        ]
        init = "年初财政拨款结转和结余"
        add("公开04 本年收入合计 = Σ三项财政拨款", ki("本年收入合计"), [ki(f) for f in funds])
        add(f"公开04 {init} = Σ三项财政拨款", ki(init), [ki(f, init) for f in funds])
        add(f"公开04 收入总计 = 本年收入合计 + {init}", ki("总计"), [ki("本年收入合计"), ki(init)])
        outs04 = [r for r in t04.rows if r.section == "支出"]
        for r in outs04:
            add(
                f"公开04 row total: {r.item} 合计 = Σ三项财政拨款",
                ko(r.item, "合计"),
                [ko(r.item, c) for c in FUND_COLS],
            )
        classes = [r.item for r in outs04 if r.level == "head"]
        for col in ("合计",) + FUND_COLS:
            add(
                f"公开04 本年支出合计 = Σ支出功能分类: {col}",
                ko("本年支出合计", col),
                [ko(i, col) for i in classes],
            )
            add(
                f"公开04 支出总计 = 本年支出合计 + 年末财政拨款结转和结余: {col}",
                ko("总计", col),
                [ko("本年支出合计", col), ko("年末财政拨款结转和结余", col)],
            )
        add("公开04 收入总计 = 支出总计", ki("总计"), [ko("总计", "合计")])
        for f, col in zip(funds, FUND_COLS, strict=True):
            add(f"公开04 {f} 收入 + 年初 = 支出总计 {col}", ko("总计", col), [ki(f), ki(f, init)])
        if t01:
            for f, lbl in zip(funds, [norm_name(x) for x in INCOME_01[:3]], strict=True):
                add(
                    f"公开01/04 {lbl} = 公开04 {f}",
                    K("公开01", lbl, "决算数", section="收入"),
                    [ki(f)],
                )
        if tabs.get("公开02"):
            add(
                "公开02/04 财政拨款收入 = 公开04 本年收入合计",
                K("公开02", "合计", "财政拨款收入"),
                [ki("本年收入合计")],
            )
        for tid, col in (
            ("公开05", FUND_COLS[0]),
            ("公开08", FUND_COLS[1]),
            ("公开09", FUND_COLS[2]),
        ):
            t = tabs.get(tid)
            if not t:
                continue
            pcols = [c for c, _ in printed_columns(t)]
            sub = pcols[0] if len(pcols) == 3 else pcols[2]
            add(
                f"公开04/{tid[-2:]} 本年支出合计 {col} = {tid} 合计 {sub}",
                ko("本年支出合计", col),
                [K(tid, "合计", sub)],
            )
            for r in t.rows:
                if r.level == "class":
                    add(
                        f"公开04/{tid[-2:]} {r.item} {col} = {tid} {r.code} {sub}",
                        ko(r.item, col),
                        [K(tid, r.item, sub, r.code)],
                    )
            if len(pcols) == 6:
                f = funds[FUND_COLS.index(col)]
                add(
                    f"公开04/{tid[-2:]} {f} 收入 = {tid} 合计 本年收入",
                    ki(f),
                    [K(tid, "合计", "本年收入")],
                )
                add(
                    f"公开04/{tid[-2:]} {init} {f} = {tid} 合计 年初结转和结余",
                    ki(f, init),
                    [K(tid, "合计", "年初结转和结余")],
                )
                add(
                    f"公开04/{tid[-2:]} 年末财政拨款结转和结余 {col} = {tid} 合计 年末结转和结余",
                    ko("年末财政拨款结转和结余", col),
                    [K(tid, "合计", "年末结转和结余")],
                )

    # ---- 公开05 / 公开06 ----------------------------------------------------------------
    t06 = tabs.get("公开06")
    if t06:

        def k6(r_item: str, code: str | None) -> FactKey:
            return K("公开06", r_item, "金额", code)

        groups = [r for r in t06.rows if r.level == "group"]
        econ = [r for r in t06.rows if r.level == "econ"]
        for g in groups:
            add(
                f"公开06 类 = Σ款: {g.code}",
                k6(g.item, g.code),
                [k6(r.item, r.code) for r in econ if r.code[:3] == g.code],
            )
        add(
            "公开06 人员经费合计 = "
            + " + ".join(g.code for g in groups if g.code in PERSONNEL_GROUPS),
            k6("人员经费合计", None),
            [k6(g.item, g.code) for g in groups if g.code in PERSONNEL_GROUPS],
        )
        add(
            "公开06 公用经费合计 = "
            + " + ".join(g.code for g in groups if g.code not in PERSONNEL_GROUPS),
            k6("公用经费合计", None),
            [k6(g.item, g.code) for g in groups if g.code not in PERSONNEL_GROUPS],
        )
        if tabs.get("公开05"):
            add(
                "公开05/06 公开05 合计 基本支出 = 人员经费合计 + 公用经费合计",
                K("公开05", "合计", "基本支出"),
                [k6("人员经费合计", None), k6("公用经费合计", None)],
            )

    # ---- 公开07 -----------------------------------------------------------------------
    t07 = tabs.get("公开07")
    if t07:
        for col, _ in printed_columns(t07):
            add(
                f"公开07 合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费: {col}",
                K("公开07", "合计", col),
                [
                    K("公开07", i, col)
                    for i in ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")
                ],
            )
            add(
                f"公开07 公务用车购置及运行维护费 = 公务用车购置费 + 公务用车运行维护费: {col}",
                K("公开07", "公务用车购置及运行维护费", col),
                [K("公开07", i, col) for i in ("公务用车购置费", "公务用车运行维护费")],
            )
    return out


def failing(spec: ReportSpec) -> list[str]:
    """Names of the identities ``spec`` breaks (empty for a consistent report)."""
    vals = cell_values(spec)
    return [i.name for i in identities(spec) if not i.holds(vals)]


# --------------------------------------------------------------------------------------
# Planting an error
# --------------------------------------------------------------------------------------

PLANT_SITES = (
    "03-item-basic",
    "05-item-basic",
    "02-item-fiscal",
    "01-income-total",
    "01-class",
    "04-class-gpb",
    "06-item",
    "06-personnel-total",
    "07-car-purchase",
    "08-item-end",
)


def _first(t: TableSpec | None, pred) -> object:
    if t is None or t.empty:
        raise KeyError("table missing or empty")
    for r in t.rows:
        if pred(r):
            return r
    raise KeyError("no such row")


def planted_key(spec: ReportSpec, where: str | FactKey = "03-item-basic") -> FactKey:
    """The fact key of a named plant site (or ``where`` itself when it is a key)."""
    if isinstance(where, tuple):
        return where
    site, _, _ = where.partition("-")
    tid = f"公开{site}"
    t = spec.table(tid)

    def xiang_key(col: str) -> FactKey:
        r = _first(t, lambda r: r.level == "xiang")
        return K(tid, r.item, col, r.code)  # type: ignore[attr-defined]

    if where == "03-item-basic":
        return xiang_key("基本支出")
    if where == "05-item-basic":
        return xiang_key("基本支出")
    if where == "02-item-fiscal":
        return xiang_key("财政拨款收入")
    if where == "08-item-end":
        return xiang_key("年末结转和结余")
    if where == "01-income-total":
        return K(tid, "本年收入合计", "决算数", section="收入")
    if where == "01-class":
        r = _first(t, lambda r: r.section == "支出" and r.level == "head" and r.values[0] != 0)
        return K(tid, r.item, "决算数", section="支出")  # type: ignore[attr-defined]
    if where == "04-class-gpb":
        r = _first(t, lambda r: r.section == "支出" and r.level == "head" and r.values[1] != 0)
        return K(tid, r.item, "一般公共预算财政拨款", section="支出")  # type: ignore[attr-defined]
    if where == "06-item":
        r = _first(t, lambda r: r.level == "econ")
        return K(tid, r.item, "金额", r.code)  # type: ignore[attr-defined]
    if where == "06-personnel-total":
        return K(tid, "人员经费合计", "金额")
    if where == "07-car-purchase":
        return K(tid, "公务用车购置费", "决算数")
    raise ValueError(f"unknown plant site {where!r}; one of {PLANT_SITES}")


def plant_error(
    spec: ReportSpec, where: str | FactKey = "03-item-basic", delta: Decimal = Decimal("10.00")
) -> tuple[ReportSpec, list[str]]:
    """Change one printed amount by ``delta`` 万元.

    Returns the changed spec and the plain-words names of exactly the identities that now
    fail (those that read the changed cell).  ``where`` is one of :data:`PLANT_SITES` or a
    fact key ``(table, section, parent, code, item, column)``.
    """
    if failing(spec):
        raise ValueError("plant_error needs a consistent report")
    key = planted_key(spec, where)
    vals = cell_values(spec)
    if key not in vals:
        raise KeyError(f"{key} is not a printed cell")
    new = set_value(spec, key, vals[key] + delta)
    broken = failing(new)
    reading = sorted(i.name for i in identities(spec) if key in i.keys())
    assert sorted(broken) == reading, (broken, reading)
    return new, broken
