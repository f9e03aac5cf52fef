"""The scorecard's 总分 against its parts, and the figures the narrative states against
the tables' cells."""

from __future__ import annotations

from decimal import Decimal

from core.accounts.checks.base import (
    HALF_CENT,
    ZERO,
    _get,
    _tol,
    _total_row,
)
from core.records import THREE_PUBLIC_ITEMS, Check, Fact, Report

# -- missing tables, scorecard, narrative ------------------------------------------------------


def check_performance(report: Report) -> list[Check]:
    """Scorecard 总分 = Σ indicator scores + the funds block's 得分 (预算执行率), where the
    funds block prints one and no indicator row already scores 预算执行."""
    out = []
    for perf in report.performance:
        if perf.total_score is None:
            continue
        scores = [i.score for i in perf.indicators if i.score is not None]
        in_rows = any("预算执行" in f"{i.level1}{i.level2}{i.level3}" for i in perf.indicators)
        fund_scores = [] if in_rows else [f.score for f in perf.funds if f.score is not None][:1]
        expected = sum(scores, ZERO) + sum(fund_scores, ZERO)
        n = len(scores) + len(fund_scores)
        tol = _tol(n)
        out.append(
            Check(
                rule=f"绩效自评 总分 = 各指标得分之和{' + 资金执行得分' if fund_scores else ''}",
                ok=abs(perf.total_score - expected) <= tol,
                expected=expected,
                found=perf.total_score,
                tolerance=tol,
                tables=("绩效自评表",),
                pages=perf.pages,
                kind="score",
            )
        )
    return out


def _fact_for_topic(report: Report, topic: str) -> Fact | None:
    """The table cell a narrative topic restates, if any."""
    f01 = report.facts_of("公开01")
    if topic in ("收入总计", "收入支出总计"):
        return next((f for f in f01 if f.section == "收入" and f.item == "总计"), None)
    if topic == "支出总计":
        return next((f for f in f01 if f.section == "支出" and f.item == "总计"), None)
    if topic == "本年收入":
        return next(
            (f for f in f01 if f.section == "收入" and f.item.endswith("本年收入合计")), None
        )
    if topic == "本年支出":
        return next(
            (f for f in f01 if f.section == "支出" and f.item.endswith("本年支出合计")), None
        )
    if topic == "财政拨款收入支出总计":
        return next(
            (f for f in report.facts_of("公开04") if f.section == "收入" and f.item == "总计"), None
        )
    if topic == "基本支出":
        return _total_row(report, "公开03", lambda c: c == "基本支出")
    if topic == "项目支出":
        return _total_row(report, "公开03", lambda c: c == "项目支出")
    if topic == "一般公共预算财政拨款支出":
        return _total_row(report, "公开05", lambda c: c in ("合计", "小计"))
    if topic == "一般公共预算财政拨款基本支出":
        return _total_row(report, "公开05", lambda c: c == "基本支出")
    if topic == "人员经费":
        return _get(report, "公开06", lambda f: f.code is None and f.item.startswith("人员经费"))
    if topic == "公用经费":
        return _get(report, "公开06", lambda f: f.code is None and f.item.startswith("公用经费"))
    if topic.startswith("三公经费"):
        item = THREE_PUBLIC_ITEMS[0]
        return next(
            (f for f in report.facts_of("公开07") if f.item == item and f.column == "决算数"), None
        )
    return None


def check_narrative(report: Report) -> list[Check]:
    """Figures the text states against the tables they restate."""
    out = []
    seen: set[tuple[str, str | None]] = set()
    key: tuple[str, str | None]
    for fig in report.narrative:
        if fig.kind == "amount":
            fact = _fact_for_topic(report, fig.topic)
            key = (fig.topic, None)
            rule = f"说明 {fig.topic} = 表中数"
            # texts call the year's own total by the grand total's name (西南大学's 收入总计
            # is its 本年收入合计): a figure equal to that printed total is no disagreement
            loose = _loose_total(report, fig.topic, fig.value)
            if fact is not None and loose is not None and fig.value != fact.value:
                fact, rule = loose, f"说明 {fig.topic}（即表中{loose.item}）= 表中数"
        elif fig.kind == "actual" and fig.code:
            fact = _total_row_code(report, "公开05", fig.code)
            key = (fig.topic, fig.code)
            rule = f"说明 {fig.code} {fig.item or ''} 决算数 = 公开05"
        else:
            continue
        if fact is None or key in seen:
            continue
        seen.add(key)
        out.append(
            Check(
                rule=rule,
                ok=abs(fig.value - fact.value) <= HALF_CENT * 2,
                expected=fact.value,
                found=fig.value,
                tolerance=HALF_CENT * 2,
                tables=(fact.table, "说明"),
                pages=tuple(sorted({fact.page, fig.page})),
                kind="narrative",
                facts=(fact,),
            )
        )
    return out


#: The year's own totals a text may call by a grand total's name: topic → (table, sections).
_LOOSE_TOTALS: dict[str, tuple[str, tuple[str, ...]]] = {
    "收入总计": ("公开01", ("收入",)),
    "收入支出总计": ("公开01", ("收入", "支出")),
    "支出总计": ("公开01", ("支出",)),
    "财政拨款收入支出总计": ("公开04", ("收入", "支出")),
}


def _loose_total(report: Report, topic: str, value: Decimal) -> Fact | None:
    """The 本年收入合计 / 本年支出合计 cell equal to ``value`` that a text names ``topic``."""
    table, sections = _LOOSE_TOTALS.get(topic, ("", ()))
    return next(
        (
            f
            for f in report.facts_of(table)
            if f.section in sections
            and f.parent is None
            and f.item.endswith(("本年收入合计", "本年支出合计"))
            and f.value == value
        ),
        None,
    )


def _total_row_code(report: Report, table: str, code: str) -> Fact | None:
    facts = [f for f in report.facts_of(table) if f.code == code]
    if not facts:
        return None
    for name in ("合计", "小计", "本年支出合计"):
        for f in facts:
            if f.column == name:
                return f
    return facts[0]
