"""数据核验: every accounting identity as a row, and the counts by state."""

from __future__ import annotations

import pandas as pd

from core.present.frames.numbers import (
    format_pages,
)
from core.records import (
    Check,
    Report,
)

# -- 数据核验 -------------------------------------------------------------------------------------

#: How each check state reads on screen.
CHECK_STATES: dict[str, str] = {
    "failed": "未通过",
    "missing": "缺表",
    "rounding": "尾差通过",
    "passed": "通过",
}

_CHECK_KINDS = {
    "identity": "表内平衡",
    "cross": "表间勾稽",
    "narrative": "说明与表",
    "missing": "表是否齐全",
    "score": "绩效得分",
}


def _check_state(c: Check) -> str:
    if c.kind == "missing":
        return "missing"
    if not c.ok:
        return "failed"
    return "rounding" if c.rounding else "passed"


def checks_frame(report: Report) -> pd.DataFrame:
    """Every check, failed and missing first: 状态, 规则, 类别, 应为, 实为, 差额, 容差, 涉及表, 页码."""
    order = list(CHECK_STATES)
    rows = []
    for c in report.checks:
        state = _check_state(c)
        rows.append(
            (
                order.index(state),
                CHECK_STATES[state],
                c.rule,
                _CHECK_KINDS.get(c.kind, c.kind),
                c.expected,
                c.found,
                c.gap,
                c.tolerance,
                "、".join(c.tables),
                format_pages(c.pages),
            )
        )
    frame = pd.DataFrame(
        rows,
        columns=["_o", "状态", "规则", "类别", "应为", "实为", "差额", "容差", "涉及表", "页码"],
    )
    frame = frame.sort_values("_o", kind="stable").drop(columns="_o")
    return frame.reset_index(drop=True)


def check_counts(report: Report) -> dict[str, int]:
    """Counts of the checks: passed exactly, passed within rounding, failed, missing tables."""
    counts = {"passed": 0, "rounding": 0, "failed": 0, "missing": 0}
    for c in report.checks:
        counts[_check_state(c)] += 1
    return counts
