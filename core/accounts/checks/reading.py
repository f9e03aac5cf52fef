"""How the pages were read: pages the PDF library could not read whole (``damaged``), a
repair that lost nothing (``repaired``, a note), and OCR'd cells read with low confidence that
no identity compares (``ocr``)."""

from __future__ import annotations

from core.accounts.checks.base import (
    ZERO,
)
from core.pdf.page import XREF_REBUILT, XREF_REPAIRED
from core.records import Check, Fact, Report

#: The note of a rebuilt cross-reference table that lost nothing (kind ``repaired``).
REPAIRED_RULE = (
    "PDF 的交叉引用表有误，读取时已按文件中的对象重建；各页用到的内容和字体都已找到并完整解码，"
    "没有发现缺失"
)


def check_damaged(report: Report) -> list[Check]:
    """One failed check naming the pages the PDF library could not read whole: figures on
    them may be missing or wrong, and no identity can vouch for what is not there. A repair
    that lost nothing (a rebuilt cross-reference table whose pages all read whole) is one
    passed check of kind ``repaired``: said, never a false alarm."""
    out: list[Check] = []
    if not report.damaged_pages and XREF_REPAIRED in report.repairs:
        out.append(
            Check(
                rule=REPAIRED_RULE,
                ok=True,
                expected=None,
                found=None,
                tolerance=ZERO,
                tables=(),
                kind="repaired",
            )
        )
    if not report.damaged_pages:
        return out
    shown = ", ".join(map(str, report.damaged_pages))
    # a rebuilt table, where what it lost names these pages
    rebuilt = report.repairs or any(XREF_REBUILT in why for why in report.damage_reasons)
    repaired = "（文件的交叉引用表已损坏，读取时由扫描文件重建）" if rebuilt else ""
    return [
        Check(
            rule=f"PDF 第 {shown} 页已损坏{repaired}，未能完整读取，这些页上的数字可能缺失或有误",
            ok=False,
            expected=None,
            found=None,
            tolerance=ZERO,
            tables=tuple(t.id for t in report.tables if set(t.pages) & set(report.damaged_pages)),
            pages=report.damaged_pages,
            kind="damaged",
            # the figures read from those pages, so the views can mark them
            facts=tuple(f for f in report.facts if f.page in report.damaged_pages),
        )
    ]


#: An OCR'd cell read with less confidence than this that no identity reads is flagged:
#: nothing else would catch a misreading there. The correct readings of the committed scan
#: (224 cells) score 0.89 at the lowest and 0.998 or more but for that one; bench/ocr_bench.py
#: prints the lowest of every variant.
LOW_CONFIDENCE = 0.85

_COMPARING_KINDS = ("identity", "cross")


def _cell(f: Fact) -> tuple[object, ...]:
    return (f.table, f.section, f.parent, f.code, f.item, f.column, f.page)


def check_unchecked_ocr(report: Report, checks: list[Check]) -> list[Check]:
    """One failed check of kind ``ocr`` for each OCR'd cell read with low confidence that no
    identity compares: it may be misread and nothing can tell, so it is never taken on trust
    (the app counts it uncertain and shows its crop)."""
    read = {_cell(f) for c in checks if c.kind in _COMPARING_KINDS for f in c.facts}
    out = []
    for f in report.facts:
        if f.confidence is None or f.confidence >= LOW_CONFIDENCE or _cell(f) in read:
            continue
        out.append(
            Check(
                rule=f"{f.table} {f.item}（{f.column}） OCR 识别存疑",
                ok=False,
                expected=None,
                found=f.value,
                tolerance=ZERO,
                tables=(f.table,),
                pages=(f.page,),
                kind="ocr",
                facts=(f,),
            )
        )
    return out
