"""What every check shares: the rounding rule, one way to build a :class:`Check`, and
the lookups of totals and columns.

Rounding: every printed amount may be off by 0.005 from the true one, the printed total as
much as each of its n printed parts, so the two sides may differ by up to 0.005·(n + 1); two
printed totals of one quantity in two tables by 0.01. A gap within that is 尾差: it passes and
is shown; a larger gap fails. A blank cell counts as zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from core.records import Check, Fact, Report

HALF_CENT = Decimal("0.005")
ZERO = Decimal(0)

#: 功能分类 类 codes by the names 公开01 and 公开04 print (2024 科目).
DEFAULT_CLASS_CODES: dict[str, str] = {
    "一般公共服务支出": "201",
    "外交支出": "202",
    "国防支出": "203",
    "公共安全支出": "204",
    "教育支出": "205",
    "科学技术支出": "206",
    "文化旅游体育与传媒支出": "207",
    "文化体育与传媒支出": "207",
    "社会保障和就业支出": "208",
    "社会保险基金支出": "209",
    "卫生健康支出": "210",
    "医疗卫生与计划生育支出": "210",
    "节能环保支出": "211",
    "城乡社区支出": "212",
    "农林水支出": "213",
    "交通运输支出": "214",
    "资源勘探工业信息等支出": "215",
    "资源勘探信息等支出": "215",
    "商业服务业等支出": "216",
    "金融支出": "217",
    "援助其他地区支出": "219",
    "自然资源海洋气象等支出": "220",
    "国土海洋气象等支出": "220",
    "住房保障支出": "221",
    "粮油物资储备支出": "222",
    "国有资本经营预算支出": "223",
    "灾害防治及应急管理支出": "224",
    "预备费": "227",
    "其他支出": "229",
    "转移性支出": "230",
    "债务还本支出": "231",
    "债务付息支出": "232",
    "债务发行费用支出": "233",
    "抗疫特别国债安排的支出": "234",
}


def _sum(facts: list[Fact]) -> Decimal:
    return sum((f.value for f in facts), ZERO)


def _tol(n_terms: int) -> Decimal:
    """Half a cent for each printed amount summed and for the printed total."""
    return HALF_CENT * (max(n_terms, 1) + 1)


def _check(
    rule: str,
    expected: Decimal,
    found: Decimal,
    n_terms: int,
    tables: tuple[str, ...],
    facts: Iterable[Fact | None],
    kind: str = "identity",
) -> Check:
    tol = _tol(n_terms)
    compared = tuple(f for f in facts if f is not None)
    pages = tuple(sorted({f.page for f in compared}))
    return Check(
        rule=rule,
        ok=abs(found - expected) <= tol,
        expected=expected,
        found=found,
        tolerance=tol,
        tables=tables,
        pages=pages,
        kind=kind,
        facts=compared,
    )


def _value(f: Fact | None) -> Decimal:
    return f.value if f is not None else ZERO


def _is_carry(item: str) -> bool:
    return "结转" in item or "结余" in item


def _is_grand_total(item: str) -> bool:
    """总计, or 合计 where a template (高等学校 表1) prints that for the grand total."""
    return item in ("总计", "合计") or item.endswith("总计")


_TOTAL_COLUMNS = ("本年收入合计", "本年支出合计", "合计", "小计")


def _total_column(columns: list[str]) -> str | None:
    for name in columns:
        if name in _TOTAL_COLUMNS or name.endswith("合计"):
            return name
    return None


def _is_breakdown_column(name: str) -> bool:
    """A ``其中：…`` column (教育收费 under 事业收入) is part of the column before it."""
    return name.startswith("其中")


def _get(report: Report, table: str, pred) -> Fact | None:
    return next((f for f in report.facts_of(table) if pred(f)), None)


def _total_row(report: Report, table: str, column_test) -> Fact | None:
    return _get(
        report, table, lambda f: f.code is None and f.item == "合计" and column_test(f.column)
    )
