"""The one-line takeaway of each chart slide, every number taken from the report."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pandas as pd

from core.present import frames
from core.present.frames import format_amount, format_percent, format_score
from core.records import Performance, Report


def _growth_words(growth: Decimal | None, change: Decimal | None) -> str:
    if growth is not None:
        if growth == 0:
            return "与上年持平"
        verb = "增长" if growth > 0 else "下降"
        return f"较上年{verb} {format_percent(abs(growth))}"
    if change is not None:
        if change == 0:
            return "与上年持平"
        verb = "增加" if change > 0 else "减少"
        return f"较上年{verb} {format_amount(abs(change))} 万元"
    return ""


def _extreme(
    frame: pd.DataFrame,
    column: str,
    *,
    lowest: bool = False,
    size: Callable[[Any], float] = float,
) -> pd.Series:
    """The row with the largest (or smallest) value in column; the first such row on a tie."""
    values = [size(v) for v in frame[column]]
    best = min(values) if lowest else max(values)
    return frame.iloc[values.index(best)]


def _amount(value: Decimal | None) -> str:
    return f"{format_amount(value)} 万元"


def _say_flows(report: Report) -> str:
    flows = frames.flow_frame(report)
    middle = "收支总计"
    inflow = flows.loc[flows["去向"] == middle]
    spend = flows.loc[(flows["来源"] == middle) & (flows["类别"] == "支出")]
    parts = []
    if not inflow.empty:
        printed = frames.find_fact_01(report, "收入", "总计")
        whole = printed.value if printed is not None else sum(inflow["金额"], Decimal(0))
        top = _extreme(inflow, "金额")
        if len(inflow) == 1:
            parts.append(f"资金全部来自{top['来源']}（{_amount(top['金额'])}）")
        else:
            ratio = frames.share(top["金额"], whole)
            lead = "资金来源以{}为主" if (ratio or 0) >= 50 else "最大来源是{}"
            parts.append(
                lead.format(top["来源"]) + f"（{_amount(top['金额'])}，占 {format_percent(ratio)}）"
            )
    if not spend.empty:
        printed = frames.find_fact_01(report, "支出", "本年支出合计")
        whole = printed.value if printed is not None else sum(spend["金额"], Decimal(0))
        top = _extreme(spend, "金额")
        ratio = frames.share(top["金额"], whole)
        lead = "支出主要用于{}" if (ratio or 0) >= 50 else "支出最多的是{}"
        parts.append(
            lead.format(top["去向"])
            + f"（{_amount(top['金额'])}，占本年支出 {format_percent(ratio)}）"
        )
    return "；".join(parts)


def _say_balance(report: Report) -> str:
    steps = frames.balance_frame(report)
    amounts = dict(zip(steps["步骤"], steps["金额"], strict=True))
    opening = amounts["年初结转和结余"]
    closing = amounts["年末结转和结余"]
    text = f"本年收入 {_amount(amounts['本年收入'])}、支出 {_amount(-amounts['本年支出'])}，"
    known = frames.opening_known(report)
    printed = frames.find_fact_01(report, "支出", "年末结转和结余") is not None
    # a blank 年初 or 年末 is said as blank, never as a printed 0.00 (the chart says the same)
    if printed:
        text += f"年末结转和结余 {_amount(closing)}"
    elif known:
        text += f"年末结转和结余表中空白，由收支推算为 {_amount(closing)}"
    else:
        return text + "年末结转和结余表中未列示"
    if not known:
        return text  # no 年初 printed: nothing to compare the year's end with
    if frames.find_opening(report) is None:
        return text + "；年初结转和结余表中空白"
    gap = closing - opening
    if gap == 0:
        return text + "，与年初持平"
    return text + f"，比年初{'增加' if gap > 0 else '减少'} {_amount(abs(gap))}"


def _say_split(report: Report) -> str:
    split = frames.spending_split_frame(report)
    table_id = str(split["来源"].iloc[0]).split(" ")[0]
    column = frames.total_column(report, table_id)
    total = frames.find_total(report, table_id, column) if column else None
    whole = total.value if total is not None else sum(split["金额"], Decimal(0))
    name = "本年支出" if table_id == "公开03" else "一般公共预算财政拨款支出"
    shares = dict(zip(split["类别"], split["占比"], strict=True))
    amounts = dict(zip(split["类别"], split["金额"], strict=True))
    text = f"{name} {_amount(whole)}"
    if "基本支出" in shares:
        text += f"，基本支出占 {format_percent(shares['基本支出'])}"
    if amounts.get("项目支出"):
        text += f"，项目支出占 {format_percent(shares['项目支出'])}"
    return text


def _say_classes(report: Report) -> str:
    frame = frames.classification_frame(report, "支出")
    classes = frame.loc[frame["级次"] == "类"]
    top = _extreme(classes, "金额")
    text = f"{top['名称'] or top['编码']} {_amount(top['金额'])}，占本年支出 {format_percent(top['占比'])}"
    leaves = frames.classification_table(report, "支出")
    if not leaves.empty:
        leaf = leaves.iloc[0]
        name = str(leaf["科目"]).split(" ", 1)[-1]
        text += f"；最大的项级科目是{name}（{_amount(leaf['金额'])}）"
    return text


def _say_personnel(report: Report) -> str:
    split = frames.personnel_public_frame(report)
    amounts = dict(zip(split["类别"], split["金额"], strict=True))
    ratio = next(k for k in frames.find_kpis(report) if k.label == "人员经费占基本支出")
    parts = [f"{label} {_amount(value)}" for label, value in amounts.items()]
    if ratio.value is not None:
        return f"人员经费占基本支出 {ratio.text}（" + "，".join(parts) + "）"
    return "，".join(parts)


def _say_economic(report: Report) -> str:
    frame = frames.economic_frame(report)
    top = frame.head(3)
    base = frames.find_total(report, "公开05", "基本支出")
    whole = base.value if base is not None else sum(frame["金额"], Decimal(0))
    named = "、".join(
        f"{n} {format_amount(v)}" for n, v in zip(top["名称"], top["金额"], strict=True)
    )
    ratio = frames.share(sum(top["金额"], Decimal(0)), whole)
    count = {1: "", 2: "两个", 3: "三个"}[len(top)]
    lead = f"金额最大的{count}科目"
    return f"{lead}：{named} 万元，合计占基本支出 {format_percent(ratio)}"


def _say_three(report: Report) -> str:
    frame = frames.three_public_frame(report)
    total = frame.loc[frame["项目"] == "合计"]
    if total.empty:
        total = frame.head(1)
    row = total.iloc[0]
    text = f"“三公”经费决算 {_amount(row['决算数'])}"
    if row["预算数"] is not None and row["完成预算"] is not None:
        text += f"，为预算的 {format_percent(row['完成预算'])}"
    change = frames.find_narrative(report, ("三公经费",), "change")
    growth = frames.find_narrative(report, ("三公经费",), "growth")
    words = _growth_words(
        growth.value if growth is not None else None, change.value if change else None
    )
    return text + (f"，{words}" if words else "")


def _say_score(perf: Performance) -> str:
    grade = perf.grade or frames.grade_of(perf.total_score) or ""
    text = f"绩效自评得分 {format_amount(perf.total_score)} 分"
    return text + (f"，评价等级为“{grade}”" if grade else "")


def _say_funds(perf: Performance) -> str:
    funds = frames.fund_frame(perf)
    funds = funds.loc[funds["全年预算数"].notna() | funds["全年执行数"].notna()]
    row = funds.iloc[0]
    text = f"{row['资金']}全年预算 {_amount(row['全年预算数'])}，执行 {_amount(row['全年执行数'])}"
    if row["执行率"] is not None and not pd.isna(row["执行率"]):
        text += f"，执行率 {format_percent(row['执行率'])}"
    return text


def _say_indicators(perf: Performance) -> str:
    # the rows the chart draws: the indicators and the funds' 预算执行率 item (it carries
    # points too); counting the indicators alone said "9 项中 9 项得满分" under 10 bars
    frame = frames.score_frame(perf)
    frame = frame.loc[frame["分值"].notna()]
    scored = frame.loc[frame["得分"].notna()]
    full = int(sum(1 for s, w in zip(scored["得分"], scored["分值"], strict=True) if s >= w))
    text = f"{len(frame)} 项指标中 {full} 项得满分"
    lost = scored.loc[[s < w for s, w in zip(scored["得分"], scored["分值"], strict=True)]]
    if lost.empty:
        return text
    worst = _extreme(lost, "扣分")
    name = worst["三级指标"] or worst["二级指标"]
    return (
        text + f"；扣分最多的是“{name}”（{format_score(worst['得分'])} / "
        f"{format_score(worst['分值'])} 分）"
    )


def _say_budget(report: Report) -> str:
    frame = frames.budget_execution_frame(report)
    overall = frames.budget_overall(report)
    parts = []
    if "budget" in overall and "actual" in overall:
        text = (
            f"一般公共预算财政拨款支出全年预算 {_amount(overall['budget'].value)}，"
            f"决算 {_amount(overall['actual'].value)}"
        )
        rate = overall.get("rate")
        if rate is not None:
            text += f"，完成 {format_percent(rate.value)}"
        parts.append(text)
    rated = frame.loc[frame["执行率"].notna()]
    if not rated.empty:
        low = _extreme(rated, "执行率", lowest=True)
        parts.append(
            f"执行率最低的是{low['项目'] or low['编码']}（{format_percent(low['执行率'])}）"
        )
    return "；".join(parts) or f"说明列出 {len(frame)} 个项目的全年预算数"


def _say_change(report: Report) -> str:
    frame = frames.item_change_frame(report)
    frame = frame.loc[frame["较上年"].notna()]
    up = sum(1 for v in frame["较上年"] if v > 0)
    down = sum(1 for v in frame["较上年"] if v < 0)
    text = f"{len(frame)} 个项目中 {up} 个增加、{down} 个减少"
    top = _extreme(frame, "较上年", size=lambda v: abs(float(v)))
    growth = f"，{format_percent(top['增幅'], sign=True)}" if top["增幅"] is not None else ""
    return (
        text + f"；变化最大的是{top['项目'] or top['编码']}"
        f"（{format_amount(top['较上年'], sign=True)} 万元{growth}）"
    )
