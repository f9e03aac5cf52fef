"""数据核验: every accounting identity as a row, and the counts by state."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from core.present.frames.numbers import format_amount, format_pages
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
    "note": "说明",
}

_CHECK_KINDS = {
    "identity": "表内平衡",
    "cross": "表间勾稽",
    "narrative": "说明与表",
    "missing": "表是否齐全",
    "score": "绩效得分",
    "ocr": "OCR 存疑",
    "damaged": "文件损坏",
    "repaired": "文件修复",
}

#: Check kinds that are notes on how the file was read, not tests of its figures.
NOTE_KINDS = ("repaired",)


def _check_state(c: Check) -> str:
    if c.kind == "missing":
        return "missing"
    if c.kind in NOTE_KINDS:
        return "note"
    if not c.ok:
        return "failed"
    return "rounding" if c.rounding else "passed"


def ordered_checks(report: Report) -> list[Check]:
    """The checks in the order :func:`checks_frame` lists them: failed, missing, rounding, passed."""
    order = list(CHECK_STATES)
    return sorted(report.checks, key=lambda c: order.index(_check_state(c)))


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
    """Counts of the checks: passed exactly, passed within rounding, failed, missing tables
    (notes on how the file was read are no checks of its figures: not counted)."""
    counts = {"passed": 0, "rounding": 0, "failed": 0, "missing": 0}
    for c in report.checks:
        state = _check_state(c)
        if state in counts:
            counts[state] += 1
    return counts


_SUM_OF = re.compile(r"^Σ(类|款|项|其明细)(?:（(.+)）)?$")
_TABLE_ID = re.compile(r"^(公开\d\d|说明)\s+(.*)$")


def _whole_of(rhs: str) -> tuple[str, str]:
    """The right-hand side of a rule in words, and the column it names (if any)."""
    m = _SUM_OF.match(rhs)
    if m:
        level, column = m.group(1), m.group(2) or ""
        words = "其明细相加" if level == "其明细" else f"各{level}相加"
        return words, column
    if rhs == "表中数":
        return "表中的数", ""
    if re.fullmatch(r"公开\d\d", rhs):
        return f"{rhs}中的数", ""
    column = ""
    m = re.match(r"^(.*)（([^（）]+)）$", rhs)
    if m:
        rhs, column = m.group(1), m.group(2)
    rhs = rhs.replace("之和", "相加")
    if " + " in rhs:
        return "、".join(rhs.split(" + ")) + "相加", column
    return rhs, column


def check_sentence(check: Check) -> str:
    """One check in one plain sentence, for a reader who is not an accountant.

    ``公开03 的合计（基本支出）是 211.09 万元，比各类相加的 211.10 万元少 0.01 万元，属于四舍
    五入尾差。`` A missing table: ``报告中没有找到公开08 ……``.
    """
    if check.kind == "missing":
        return f"报告中没有找到{check.rule.removesuffix(' 未找到')}。"
    if check.kind in NOTE_KINDS:
        return f"{check.rule}。"
    if check.kind == "ocr" and check.facts:
        f = check.facts[0]
        score = f"{f.confidence:.2f}" if f.confidence is not None else "?"
        return (
            f"{f.table} 的{f.item}（{f.column}）经 OCR 读作 {format_amount(f.value)} 万元，"
            f"识别把握不高（置信度 {score}），又没有勾稽关系可以核对，请对照原件。"
        )
    lhs, _, rhs = check.rule.partition(" = ")
    m = _TABLE_ID.match(lhs)
    table, name = (m.group(1), m.group(2)) if m else ("", lhs)
    row, colon, col = name.partition("：")
    # "合计：合计" (the 合计 row's 合计 column) read "公开03 的合计的合计": said once
    name = row if colon and row == col else name.replace("：", "的")
    whole, column = _whole_of(rhs.strip())
    if column:
        name = f"{name}（{column}）"
    subject = f"说明中写的{name}" if table == "说明" else f"{table} 的{name}".strip()
    if check.expected is None or check.found is None:
        verdict = "通过" if check.ok else "没有通过"
        return f"{subject}与{whole}的核对{verdict}。"
    gap = check.found - check.expected
    found, expected = format_amount(check.found), format_amount(check.expected)
    if gap == 0:
        tail = "的结果" if whole.endswith("相加") else ""
        return f"{subject}是 {found} 万元，与{whole}{tail}一致。"
    direction = "多" if gap > 0 else "少"
    text = f"{subject}是 {found} 万元，比{whole}的 {expected} 万元{direction} {format_amount(abs(gap))} 万元"
    if check.ok:
        return text + "，属于四舍五入尾差。"
    return text + "，超出四舍五入的范围，需要对照原表核实。"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the checks found, said plainly, with the pages to look at."""

    state: str
    """``failed``, ``missing``, ``rounding`` or ``note`` (see :data:`CHECK_STATES`)."""
    sentence: str
    """The finding in one plain sentence (:func:`check_sentence`)."""
    pages: tuple[int, ...]
    """PDF pages of the numbers compared."""


def find_findings(report: Report) -> list[Finding]:
    """What the checks found, problems first: failed, then missing tables, then rounding
    tails, then notes on how the file was read (a repaired cross-reference table).

    Passed checks with no gap are not findings; :func:`checks_frame` lists every check.
    """
    order = ("failed", "missing", "rounding", "note")
    found = [
        Finding(_check_state(c), check_sentence(c), tuple(sorted(set(c.pages))))
        for c in report.checks
        if _check_state(c) in order
    ]
    return sorted(found, key=lambda f: order.index(f.state))
