"""三公: 公开07's six headings against their budget, and the counts the text states."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from core.present.frames.lookup import (
    find_narrative,
    table_title,
)
from core.present.frames.numbers import (
    share,
)
from core.present.frames.performance import _performance_pages
from core.records import (
    THREE_PUBLIC_ITEMS,
    Report,
)

#: 三公 counts the narrative states, by (topic, unit) -> label shown.
THREE_PUBLIC_COUNTS: dict[tuple[str, str], str] = {
    ("组织出国团组", "个"): "本单位组织出国团组",
    ("参加其他单位出国团组", "个"): "参加其他单位出国团组",
    ("出国人次", "人次"): "因公出国（境）人次",
    ("公务用车购置数", "辆"): "公务用车购置",
    ("公务用车保有量", "辆"): "公务用车保有量",
    ("公务接待批次", "批次"): "公务接待批次",
    ("公务接待批次", "人次"): "公务接待人次",
    ("公务接待人次", "人次"): "公务接待人次",
}


# -- 三公 -----------------------------------------------------------------------------------------


def three_public_frame(report: Report) -> pd.DataFrame:
    """公开07's six headings: 项目, 预算数, 决算数, 完成预算 (percent), 页码 (tuple), 来源.

    A 预算数 the table does not print is taken from the narrative's 全年预算数 where stated;
    完成预算 is the narrative's ``完成全年预算的 …%`` where stated, else 决算数 ÷ 预算数; None
    when no budget (or a zero one) is known.
    Empty when 公开07 is missing or holds no amount.
    """
    columns = ["项目", "预算数", "决算数", "完成预算", "页码", "来源"]
    facts = report.facts_of("公开07")
    if not facts:
        return pd.DataFrame([], columns=columns)
    rows = []
    for item in THREE_PUBLIC_ITEMS:
        cells = {f.column: f for f in facts if f.item == item}
        budget_fact = cells.get("预算数")
        actual_fact = cells.get("决算数")
        if budget_fact is None and actual_fact is None:
            continue
        topics = ("三公经费",) if item == THREE_PUBLIC_ITEMS[0] else (item,)
        budget = budget_fact.value if budget_fact is not None else None
        source = table_title(report, "公开07")
        pages = {f.page for f in cells.values()}
        if budget is None:
            stated = find_narrative(report, topics, "budget")
            if stated is not None:
                budget = stated.value
                pages.add(stated.page)
                source += "、说明"
        actual = actual_fact.value if actual_fact is not None else None
        # No budget, no 完成预算: "0.00%" of an unprinted budget would be an untruth, even
        # where the text writes "完成全年预算的0%".
        rate: Decimal | None = None
        if budget:
            rate_fig = find_narrative(report, topics, "rate")
            if rate_fig is not None and rate_fig.page not in _performance_pages(report):
                rate = rate_fig.value
            else:
                rate = share(actual, budget)
        rows.append((item, budget, actual, rate, tuple(sorted(pages)), source))
    return pd.DataFrame(rows, columns=columns)


def three_public_counts(report: Report) -> pd.DataFrame:
    """The 三公 counts the narrative states (出国团组, 人次, 车辆, 接待批次 …).

    Columns: 项目, 数量, 单位, 页码, 原文. One row per label, the first statement kept.
    """
    columns = ["项目", "数量", "单位", "页码", "原文"]
    seen: dict[str, tuple[str, Decimal, str, int, str]] = {}
    for fig in sorted(report.narrative, key=lambda n: n.page):
        if fig.kind != "count":
            continue
        label = THREE_PUBLIC_COUNTS.get((fig.topic, fig.unit))
        if label is None or label in seen:
            continue
        seen[label] = (label, fig.value, fig.unit, fig.page, fig.sentence)
    order = list(dict.fromkeys(THREE_PUBLIC_COUNTS.values()))
    rows = sorted(seen.values(), key=lambda r: order.index(r[0]))
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True, slots=True)
class ThreePublicState:
    """What a report says about its 三公 spending, in one word and one sentence."""

    state: str
    """``spent`` (amounts printed), ``none`` (the report says there was none: printed zeros,
    a note or a sentence), ``blank`` (公开07 is blank and nothing says why) or ``missing``."""
    words: str
    """One plain sentence for a page or a card."""
    pages: tuple[int, ...] = ()
    """Where it is said."""


def three_public_state(report: Report) -> ThreePublicState:
    """Spent, none, blank or missing: absent is never shown as zero.

    ``none`` only where the report itself says so: 公开07 prints zeros, its note says there
    was no 三公 spending, or the text states 三公经费 of 0. A blank table without such a word
    (a blank template) is ``blank``: 未列示.
    """
    year = f"{report.year} 年度" if report.year else "本年度"
    info = report.table("公开07")
    frame = three_public_frame(report)
    actual = [v for v in frame["决算数"] if v is not None]
    pages = tuple(sorted({p for ps in frame["页码"] for p in ps}))
    if any(actual):
        return ThreePublicState("spent", "", pages)
    if actual:
        return ThreePublicState(
            "none", f"{year}没有“三公”经费支出：公开07 各项决算数均为 0.00。", pages
        )
    if info is not None and info.note and any(w in info.note for w in ("没有", "无", "未发生")):
        return ThreePublicState(
            "none",
            f"{year}没有“三公”经费支出（表下说明：{info.note.removeprefix('说明：')}）",
            info.pages,
        )
    stated = find_narrative(report, ("三公经费",), "amount")
    if stated is not None and stated.value == 0:
        return ThreePublicState(
            "none", f"{year}没有“三公”经费支出（说明：“{stated.sentence}”）", (stated.page,)
        )
    if info is None:
        return ThreePublicState(
            "missing", "未列示：本报告中没有找到公开07“三公”经费支出决算表，说明中也没有写到。"
        )
    return ThreePublicState(
        "blank",
        "未列示：公开07“三公”经费支出决算表是空表，报告没有说明是否发生“三公”经费支出。",
        info.pages,
    )
