"""预算执行: each 项's 全年预算数 against its 决算数, and its change on last year."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from core.present.frames.lookup import (
    _first,
    code_names,
    find_narrative,
    total_column,
)
from core.present.frames.numbers import (
    share,
)
from core.records import (
    NarrativeFigure,
    Report,
)

# -- 预算执行 -------------------------------------------------------------------------------------


def budget_execution_frame(report: Report) -> pd.DataFrame:
    """Each 项 whose 全年预算数 or 年初预算数 the narrative states, against its 决算数.

    决算数 is the narrative's own figure, else 公开05's total for that code. Columns: 编码,
    项目, 全年预算数, 年初预算数 (each None where not stated), 决算数, 执行率 (决算数 ÷
    全年预算数, percent; None without a 全年预算数), 说明执行率 (as the text states it, else
    None), 页码 (tuple), 年初完成率 (决算数 ÷ 年初预算数; None without a 年初预算数 or where
    it is zero).
    """
    columns = [
        "编码",
        "项目",
        "全年预算数",
        "年初预算数",
        "决算数",
        "执行率",
        "说明执行率",
        "页码",
        "年初完成率",
    ]
    names = code_names(report)
    col05 = total_column(report, "公开05")
    rows = []
    stated: dict[str, dict[str, NarrativeFigure]] = {}
    for fig in report.narrative:
        if fig.code and fig.kind in ("budget", "initial_budget"):
            stated.setdefault(fig.code, {}).setdefault(fig.kind, fig)
    for code in sorted(stated):
        budget = stated[code].get("budget")
        initial = stated[code].get("initial_budget")
        first = budget or initial
        if first is None:
            continue
        actual_fig = find_narrative(report, (first.topic,), "actual", code=code)
        pages = {f.page for f in (budget, initial) if f is not None}
        actual: Decimal | None = None
        if actual_fig is not None:
            actual = actual_fig.value
            pages.add(actual_fig.page)
        else:
            fact = _first(
                f for f in report.facts_of("公开05") if f.code == code and f.column == col05
            )
            if fact is not None:
                actual = fact.value
                pages.add(fact.page)
        rate = find_narrative(report, (first.topic,), "rate", code=code)
        rows.append(
            (
                code,
                first.item or names.get(code, ""),
                budget.value if budget is not None else None,
                initial.value if initial is not None else None,
                actual,
                share(actual, budget.value) if budget is not None else None,
                rate.value if rate is not None else None,
                tuple(sorted(pages)),
                share(actual, initial.value) if initial is not None else None,
            )
        )
    return pd.DataFrame(rows, columns=columns)


def budget_overall(report: Report) -> dict[str, NarrativeFigure]:
    """The narrative's whole-budget figures for 一般公共预算财政拨款支出, by kind.

    Keys among ``initial_budget``, ``budget``, ``actual``, ``rate`` — only those stated.
    """
    out: dict[str, NarrativeFigure] = {}
    for kind in ("initial_budget", "budget", "actual", "rate"):
        fig = find_narrative(report, ("一般公共预算财政拨款支出",), kind)
        if fig is not None and fig.code is None:
            out[kind] = fig
    return out


def item_change_frame(report: Report) -> pd.DataFrame:
    """Each 项 whose 决算数 the narrative states, with its change on last year where stated.

    Columns: 编码, 项目, 决算数, 较上年, 增幅, 页码.
    """
    columns = ["编码", "项目", "决算数", "较上年", "增幅", "页码"]
    names = code_names(report)
    rows = []
    actuals = [n for n in report.narrative if n.kind == "actual" and n.code]
    for fig in sorted(actuals, key=lambda n: n.code or ""):
        code = fig.code or ""
        change = find_narrative(report, (fig.topic,), "change", code=code)
        growth = find_narrative(report, (fig.topic,), "growth", code=code)
        rows.append(
            (
                code,
                fig.item or names.get(code, ""),
                fig.value,
                change.value if change is not None else None,
                growth.value if growth is not None else None,
                fig.page,
            )
        )
    return pd.DataFrame(rows, columns=columns)
