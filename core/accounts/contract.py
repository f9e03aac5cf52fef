"""A :class:`core.records.Report` as the JSON shape of CONTRACT.md (``juesuan-report/1``)."""

from __future__ import annotations

import json
from decimal import Decimal

from core.records import SCHEMA, Box, Check, Fact, NarrativeFigure, Performance, Report

TYPE_CHECKING = False  # not typing's: importing typing costs ~2 ms a process, for annotations
if TYPE_CHECKING:
    from typing import Any


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
        # where the 总分 is printed (keys added to the contract: docs/facts.md)
        "total_page": p.total_page,
        "total_box": box_list(p.total_box),
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
    if indent is None:
        return json.dumps(report_dict(r), ensure_ascii=False)
    return dumps_indented(report_dict(r), " " * indent)


def dumps_indented(obj: Any, indent: str = "  ") -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=len(indent))``, character for character,
    in a fraction of its time: the standard library indents with its pure-Python encoder (its
    C one cannot indent before Python 3.13), a generator per level, ~0.01–0.02 s a report.
    Strings go through the same C escaper; numbers print as ``json`` prints them. The common
    scalars (str, None, finite float, int) are written in the loops over a container, not by a
    call per value: a report holds ~15,000 of them."""
    parts: list[str] = []
    add = parts.append
    escape = json.encoder.encode_basestring
    float_repr = float.__repr__
    int_repr = int.__repr__
    inf = float("inf")

    def scalar(v: Any) -> str | None:
        """The text of a str, None, finite float or plain int; None for anything else."""
        t = type(v)
        if t is str:
            return escape(v)
        if v is None:
            return "null"
        if t is float:
            return float_repr(v) if -inf < v < inf else _float(v)
        if t is int:
            return int_repr(v)
        return None

    def mapping(o: dict[Any, Any], nl: str) -> None:
        if not o:
            add("{}")
            return
        inner = nl + indent
        sep = "{" + inner
        for k, v in o.items():
            head = sep + escape(k if isinstance(k, str) else _key(k)) + ": "
            sep = "," + inner
            text = scalar(v)
            if text is not None:
                add(head + text)
            else:
                add(head)
                value(v, inner)
        add(nl + "}")

    def value(o: Any, nl: str) -> None:
        t = type(o)
        if t is dict:
            mapping(o, nl)
        elif t is list or t is tuple:
            sequence(o, nl)
        elif (text := scalar(o)) is not None:
            add(text)
        elif isinstance(o, str):
            add(escape(o))
        elif o is True:
            add("true")
        elif o is False:
            add("false")
        elif isinstance(o, int):
            add(int.__repr__(o))
        elif isinstance(o, float):
            add(_float(o))
        elif isinstance(o, list | tuple):
            sequence(o, nl)
        elif isinstance(o, dict):  # a subclass of dict
            mapping(o, nl)
        else:
            raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")

    def sequence(o: list[Any] | tuple[Any, ...], nl: str) -> None:
        if not o:
            add("[]")
            return
        inner = nl + indent
        sep = "[" + inner
        for v in o:
            text = scalar(v)
            if text is not None:
                add(sep + text)
            else:
                add(sep)
                value(v, inner)
            sep = "," + inner
        add(nl + "]")

    value(obj, "\n")
    return "".join(parts)


def _float(o: float) -> str:
    if o != o:
        return "NaN"
    if o == float("inf"):
        return "Infinity"
    if o == -float("inf"):
        return "-Infinity"
    return float.__repr__(o)


def _key(k: Any) -> str:
    """A dictionary key that is not a string, as ``json`` writes it."""
    if isinstance(k, float):
        return _float(k)
    if k is True:
        return "true"
    if k is False:
        return "false"
    if k is None:
        return "null"
    if isinstance(k, int):
        return int.__repr__(k)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")
