"""绩效自评: the scorecard the dashboard leads with, its indicators, funds and grade."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from core.present.frames.numbers import format_percent
from core.records import (
    Performance,
    Report,
)

#: Grade bands of a 绩效自评 score (财政部 绩效评价: 优 ≥90, 良 80–90, 中 60–80, 差 <60).
DEFAULT_GRADE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("差", 0, 60),
    ("中", 60, 80),
    ("良", 80, 90),
    ("优", 90, 100),
)


# -- 绩效自评 -------------------------------------------------------------------------------------


def main_performance(report: Report) -> Performance | None:
    """The scorecard the dashboard leads with: the 整体 one, else the first."""
    if not report.performance:
        return None
    return next((p for p in report.performance if p.kind == "整体"), report.performance[0])


def _performance_pages(report: Report) -> set[int]:
    return {p for perf in report.performance for p in perf.pages}


def grade_of(score: Decimal | float | None) -> str | None:
    """The band a score falls in (优, 良, 中, 差), by :data:`DEFAULT_GRADE_BANDS`."""
    if score is None:
        return None
    value = float(score)
    for name, low, _high in reversed(DEFAULT_GRADE_BANDS):
        if value >= low:
            return name
    return DEFAULT_GRADE_BANDS[0][0]


def indicator_frame(perf: Performance) -> pd.DataFrame:
    """A scorecard's indicators in print order.

    Columns: 一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分, 扣分,
    偏差原因分析及改进措施, 页码.
    """
    rows = []
    for i in perf.indicators:
        lost = i.weight - i.score if i.weight is not None and i.score is not None else None
        rows.append(
            (
                i.level1,
                i.level2,
                i.level3,
                i.target,
                i.actual,
                i.weight,
                i.score,
                lost,
                i.note,
                i.page,
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "扣分",
            "偏差原因分析及改进措施",
            "页码",
        ],
    )


def score_frame(perf: Performance) -> pd.DataFrame:
    """Every scored row of a scorecard: its indicators, then the funds block's 预算执行率.

    The funds block carries points too (often 10): left out, the bars would add up to less
    than the 总分. Columns as :func:`indicator_frame`.
    """
    frame = indicator_frame(perf)
    rows = [
        (
            "预算执行",
            "预算执行率",
            f"预算执行率（{f.name}）",
            "100%",
            format_percent(f.execution_rate),
            f.weight,
            f.score,
            f.weight - f.score if f.score is not None else None,
            "",
            f.page,
        )
        for f in perf.funds
        if f.weight is not None
    ]
    if not rows:
        return frame
    extra = pd.DataFrame(rows, columns=frame.columns)
    return pd.concat([frame, extra], ignore_index=True) if len(frame) else extra


def fund_frame(perf: Performance) -> pd.DataFrame:
    """A scorecard's funds block: 资金, 年初预算数, 全年预算数, 全年执行数, 执行率, 分值, 得分, 页码."""
    rows = [
        (
            f.name,
            f.initial_budget,
            f.full_year_budget,
            f.executed,
            f.execution_rate,
            f.weight,
            f.score,
            f.page,
        )
        for f in perf.funds
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "资金",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "执行率",
            "分值",
            "得分",
            "页码",
        ],
    )


def _about_performance(sentence: str) -> bool:
    """A sentence about 绩效 management, not one listing 绩效工资 or a scorecard's 指标 header."""
    text = sentence.replace("绩效工资", "")
    return "绩效" in text and "指标" not in text


def performance_narrative_frame(report: Report) -> pd.DataFrame:
    """Figures the text states about 绩效 (outside any scorecard's pages), in page order.

    Columns: 主题, 数值, 单位, 页码, 原文.
    """
    skip = _performance_pages(report)
    rows = [
        (n.topic, n.value, n.unit, n.page, n.sentence)
        for n in sorted(report.narrative, key=lambda n: n.page)
        if _about_performance(n.sentence) and n.page not in skip
    ]
    return pd.DataFrame(rows, columns=["主题", "数值", "单位", "页码", "原文"])
