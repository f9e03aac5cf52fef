"""Identities that link two tables, the tables a template has and a report lacks, and
the row identities of tables under other titles."""

from __future__ import annotations

from core import regex
from core.accounts.checks.base import (
    DEFAULT_CLASS_CODES,
    ZERO,
    _check,
    _get,
    _is_breakdown_column,
    _sum,
    _total_column,
    _total_row,
    _value,
)
from core.accounts.checks.tables import check_coded
from core.records import Check, Fact, Report
from core.tables.templates import expected_tables

# -- across tables -----------------------------------------------------------------------------


def check_cross(report: Report) -> list[Check]:
    """Identities that link two tables."""
    out: list[Check] = []
    have = {t.id for t in report.tables if not t.empty}

    def pair(
        rule: str,
        a: Fact | None,
        b: Fact | None,
        tables: tuple[str, ...],
        blank_is_zero: bool = True,
    ) -> None:
        if a is None and b is None:
            return
        if (a is None or b is None) and not blank_is_zero:
            return
        # two printed totals, each rounded to the cent on its own: 0.005 for each
        out.append(_check(rule, _value(a), _value(b), 1, tables, [a, b], kind="cross"))

    if {"公开01", "公开02"} <= have:
        pair(
            "公开01 本年收入合计 = 公开02 合计",
            _total_row(
                report, "公开02", lambda c: c in ("本年收入合计", "合计") or c.endswith("收入合计")
            ),
            _get(
                report, "公开01", lambda f: f.section == "收入" and f.item.endswith("本年收入合计")
            ),
            ("公开01", "公开02"),
        )
    if {"公开01", "公开03"} <= have:
        pair(
            "公开01 本年支出合计 = 公开03 合计",
            _total_row(
                report, "公开03", lambda c: c in ("本年支出合计", "合计") or c.endswith("支出合计")
            ),
            _get(
                report, "公开01", lambda f: f.section == "支出" and f.item.endswith("本年支出合计")
            ),
            ("公开01", "公开03"),
        )
        total_col = _total_column(list(dict.fromkeys(f.column for f in report.facts_of("公开03"))))
        classes03 = {
            f.code: f
            for f in report.facts_of("公开03")
            if f.code and len(f.code) == 3 and f.column == total_col
        }
        for f in report.facts_of("公开01"):
            if f.section != "支出":
                continue
            code = DEFAULT_CLASS_CODES.get(f.item)
            if code is None:
                continue
            other = classes03.get(code)
            if other is None and f.value == 0:
                continue
            pair(f"公开01 {f.item} = 公开03 {code} 类", other, f, ("公开01", "公开03"))
    if {"公开02", "公开04"} <= have:
        pair(
            "公开02 财政拨款收入 = 公开04 本年收入合计",
            _get(
                report, "公开04", lambda f: f.section == "收入" and f.item.endswith("本年收入合计")
            ),
            _total_row(report, "公开02", lambda c: c == "财政拨款收入"),
            ("公开02", "公开04"),
        )
    if {"公开04", "公开05"} <= have:
        pair(
            "公开04 一般公共预算财政拨款支出 = 公开05 合计",
            _total_row(report, "公开05", lambda c: c in ("合计", "小计") or c.endswith("合计")),
            _get(
                report,
                "公开04",
                lambda f: (
                    f.section == "支出"
                    and f.item.endswith("本年支出合计")
                    and f.column.startswith("一般公共预算")
                ),
            ),
            ("公开04", "公开05"),
        )
    if {"公开04", "公开05"} <= have:
        total05 = _total_column(list(dict.fromkeys(f.column for f in report.facts_of("公开05"))))
        classes05 = {
            f.code: f
            for f in report.facts_of("公开05")
            if f.code and len(f.code) == 3 and f.column == total05
        }
        for f in report.facts_of("公开04"):
            if f.section != "支出" or not f.column.startswith("一般公共预算") or f.parent:
                continue
            code = DEFAULT_CLASS_CODES.get(f.item)
            if code is None:
                continue
            other = classes05.get(code)
            if other is None and f.value == 0:
                continue
            pair(
                f"公开04 {f.item}（一般公共预算财政拨款） = 公开05 {code} 类",
                other,
                f,
                ("公开04", "公开05"),
            )
    if {"公开05", "公开06"} <= have:
        base = _total_row(report, "公开05", lambda c: c == "基本支出")
        personnel = _get(
            report, "公开06", lambda f: f.code is None and f.item.startswith("人员经费")
        )
        public = _get(report, "公开06", lambda f: f.code is None and f.item.startswith("公用经费"))
        if base is not None or personnel is not None or public is not None:
            out.append(
                _check(
                    "公开05 基本支出 = 公开06 人员经费合计 + 公用经费合计",
                    _value(personnel) + _value(public),
                    _value(base),
                    2,
                    ("公开05", "公开06"),
                    [base, personnel, public],
                    kind="cross",
                )
            )
    return out


def check_missing(report: Report) -> list[Check]:
    """One failed check per table the report's template has and the report lacks."""
    have = {t.id for t in report.tables}
    return [
        Check(
            rule=f"{tid} {title} 未找到",
            ok=False,
            expected=None,
            found=None,
            tolerance=ZERO,
            tables=(tid,),
            kind="missing",
        )
        for tid, title in expected_tables(report.template).items()
        if tid not in have
    ]


def check_cross_income(report: Report) -> list[Check]:
    """公开01's income rows against the sources they come from: each 公开02 合计 column (财政拨款
    收入 = the 财政拨款 rows of 公开01) and each fund of 公开04. Tested only where both sides
    print the figure (a column a template leaves out is no zero)."""
    out: list[Check] = []
    have = {t.id for t in report.tables if not t.empty}
    if "公开01" not in have:
        return out
    income = [f for f in report.facts_of("公开01") if f.section == "收入" and f.parent is None]
    if "公开02" in have:
        totals = [
            f
            for f in report.facts_of("公开02")
            if f.code is None
            and f.item == "合计"
            and not _is_breakdown_column(f.column)
            and not f.column.endswith("合计")  # 本年收入合计: check_cross tests it
        ]
        for total in totals:
            if total.column == "财政拨款收入":
                rows = [f for f in income if regex.fullmatch(r"\w*财政拨款(?:收入)?", f.item)]
                rows = [f for f in rows if "非财政" not in f.item]
            else:
                rows = [f for f in income if f.item == total.column]
            if not rows:
                continue
            out.append(
                _check(
                    f"公开01 {'、'.join(f.item for f in rows)} = 公开02 合计 {total.column}",
                    _sum(rows),
                    total.value,
                    len(rows),
                    ("公开01", "公开02"),
                    [total, *rows],
                    kind="cross",
                )
            )
    if "公开04" in have:
        for fund in report.facts_of("公开04"):
            if fund.section != "收入" or fund.parent is not None:
                continue
            if not regex.fullmatch(
                r"(一般公共预算|政府性基金预算|国有资本经营预算)财政拨款", fund.item
            ):
                continue
            row = next((f for f in income if f.item == f"{fund.item}收入"), None)
            if row is None:
                continue
            out.append(
                _check(
                    f"公开01 {row.item} = 公开04 {fund.item}",
                    fund.value,
                    row.value,
                    1,
                    ("公开01", "公开04"),
                    [row, fund],
                    kind="cross",
                )
            )
    return out


def check_own_roles(report: Report) -> list[Check]:
    """Tables of a role of their own (中央 项目支出表, a table placed by structure only): their
    rows and 类/款/项 tree, as any coded table's; they take part in no cross-table identity."""
    out: list[Check] = []
    for table in report.tables:
        if table.id.startswith("公开"):
            continue
        columns = {f.column for f in report.facts_of(table.id)}
        known = columns <= _KNOWN_ROW_COLUMNS
        # a row total over columns of unknown meaning (年初预算 | 决算 …) is no identity: only
        # the 类/款/项 tree is tested there
        out += [c for c in check_coded(report, table.id) if known or "：" not in c.rule]
    return out


#: Columns whose row identity (合计 = the others) is known.
_KNOWN_ROW_COLUMNS = frozenset(
    {
        "合计",
        "小计",
        "本年支出合计",
        "基本支出",
        "项目支出",
        "上缴上级支出",
        "经营支出",
        "对附属单位补助支出",
        "金额",
    }
)
