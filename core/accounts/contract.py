"""A :class:`core.records.Report` as the JSON shape of CONTRACT.md (``juesuan-report/1``)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from core.records import SCHEMA, Box, Check, Fact, NarrativeFigure, Performance, Report


def _num(value: Decimal | None) -> float | int | None:
    """A Decimal as the JSON number it prints as (integers stay integers)."""
    if value is None:
        return None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= 0:
        return int(value)
    return float(value)


def box_list(box: Box | None) -> list[float] | None:
    """A box as the contract's ``[x0, top, x1, bottom]`` list (PDF points, origin top-left)."""
    return None if box is None else [round(float(v), 2) for v in box]


def fact_dict(f: Fact) -> dict[str, Any]:
    """One fact in contract form."""
    return {
        "table": f.table,
        "section": f.section,
        "parent": f.parent,
        "code": f.code,
        "item": f.item,
        "column": f.column,
        "value": _num(f.value),
        "page": f.page,
        "box": list(f.box) if f.box is not None else None,
        # OCR'd cells: the recognition score, and what was read where the checks corrected it
        "confidence": f.confidence,
        "read_as": _num(f.read_as) if f.read_as is not None else None,
    }


def performance_dict(p: Performance) -> dict[str, Any]:
    """One scorecard in contract form."""
    return {
        "kind": p.kind,
        "title": p.title,
        "project": p.project,
        "total_score": _num(p.total_score),
        "grade": p.grade,
        "pages": list(p.pages),
        "funds": [
            {
                "name": f.name,
                "initial_budget": _num(f.initial_budget),
                "full_year_budget": _num(f.full_year_budget),
                "executed": _num(f.executed),
                "weight": _num(f.weight),
                "execution_rate": _num(f.execution_rate),
                "score": _num(f.score),
                "page": f.page,
                "box": box_list(f.box),
            }
            for f in p.funds
        ],
        "indicators": [
            {
                "level1": i.level1,
                "level2": i.level2,
                "level3": i.level3,
                "target": i.target,
                "actual": i.actual,
                "weight": _num(i.weight),
                "score": _num(i.score),
                "note": i.note,
                "page": i.page,
                "box": box_list(i.box),
            }
            for i in p.indicators
        ],
    }


def narrative_dict(figures: tuple[NarrativeFigure, ...]) -> dict[str, Any]:
    """The narrative block: every figure, in page order, with its sentence."""
    return {
        "figures": [
            {
                "topic": n.topic,
                "kind": n.kind,
                "value": _num(n.value),
                "unit": n.unit,
                "code": n.code,
                "item": n.item,
                "page": n.page,
                "sentence": n.sentence,
                "box": box_list(n.box),
                "sentence_box": box_list(n.sentence_box),
            }
            for n in figures
        ]
    }


def check_status(c: Check) -> str:
    """``missing`` (a table the template has is not there), ``failed``, ``尾差`` (passed with a
    gap that the rounding of the printed figures explains) or ``passed`` (no gap)."""
    if c.kind == "missing":
        return "missing"
    if not c.ok:
        return "failed"
    return "尾差" if c.rounding else "passed"


def check_dict(c: Check, fact_index: dict[Fact, int] | None = None) -> dict[str, Any]:
    """One check in contract form, with its gap, whether it passed only by rounding, and the
    facts it compared: indexes into the report's ``facts`` list (a fact not in that list, as
    when a check is given alone, is written out whole)."""
    index = fact_index or {}
    return {
        "rule": c.rule,
        "ok": c.ok,
        "expected": _num(c.expected),
        "found": _num(c.found),
        "gap": _num(c.gap),
        "tolerance": _num(c.tolerance),
        "rounding": c.rounding,
        "kind": c.kind,
        "tables": list(c.tables),
        "pages": list(c.pages),
        "status": check_status(c),
        "facts": [index[f] if f in index else fact_dict(f) for f in c.facts],
    }


def report_dict(r: Report) -> dict[str, Any]:
    """The whole report in contract form."""
    fact_index: dict[Fact, int] = {}
    for n, f in enumerate(r.facts):
        fact_index.setdefault(f, n)
    return {
        "schema": SCHEMA,
        "unit": r.unit,
        "year": r.year,
        "scope": r.scope,
        "amount_unit": r.amount_unit,
        "source_unit": r.source_unit,
        "pages": r.pages,
        "template": r.template,
        "text_source": r.text_source,
        "file": r.file_name,
        "sha256": r.sha256,
        "tables": [
            {"id": t.id, "title": t.title, "pages": list(t.pages), "empty": t.empty, "note": t.note}
            for t in r.tables
        ],
        "facts": [fact_dict(f) for f in r.facts],
        "performance": performance_dict(r.performance[0]) if r.performance else None,
        "performances": [performance_dict(p) for p in r.performance],
        "narrative": narrative_dict(r.narrative),
        "checks": [check_dict(c, fact_index) for c in r.checks],
        "damaged_pages": list(r.damaged_pages),
        "repairs": list(r.repairs),
    }


def report_json(r: Report, indent: int | None = 2) -> str:
    """The contract JSON text (UTF-8, Chinese kept as is)."""
    return json.dumps(report_dict(r), ensure_ascii=False, indent=indent)
