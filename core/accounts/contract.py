"""A :class:`core.records.Report` as the JSON shape of CONTRACT.md (``juesuan-report/1``)."""

from __future__ import annotations

from decimal import Decimal

from core.records import SCHEMA, Box, Check, Fact, NarrativeFigure, Performance, Report

TYPE_CHECKING = False  # not typing's: importing typing costs ~2 ms a process, for annotations
if TYPE_CHECKING:
    from typing import Any

# the escaper json.encoder uses (its C one): importing json itself brings its decoder and
# scanner, ~0.7 ms of a parse process's start that writing JSON has no use for
try:
    from _json import encode_basestring as _escape
except ImportError:  # a Python without the C accelerator
    from json.encoder import encode_basestring as _escape


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
    fact_index = _fact_index(r)
    return _report_dict(
        r,
        [fact_dict(f) for f in r.facts],
        narrative_dict(r.narrative),
        [check_dict(c, fact_index) for c in r.checks],
    )


def _fact_index(r: Report) -> dict[Fact, int]:
    """Each fact's index in ``r.facts`` (its first, for a fact printed twice)."""
    fact_index: dict[Fact, int] = {}
    for n, f in enumerate(r.facts):
        fact_index.setdefault(f, n)
    return fact_index


def _report_dict(r: Report, facts: Any, narrative: Any, checks: Any) -> dict[str, Any]:
    """The report's keys in contract order, its facts, narrative and checks given (as dicts,
    or as :class:`_Raw` text already written by :func:`report_json`)."""
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
        "facts": facts,
        "performance": performance_dict(r.performance[0]) if r.performance else None,
        "performances": [performance_dict(p) for p in r.performance],
        "narrative": narrative,
        "checks": checks,
        "damaged_pages": list(r.damaged_pages),
        "repairs": list(r.repairs),
    }


def report_json(r: Report, indent: int | None = 2) -> str:
    """The contract JSON text (UTF-8, Chinese kept as is): ``json.dumps(report_dict(r),
    ensure_ascii=False, indent=indent)``, character for character.

    Indented, the facts, narrative figures and checks (nine in ten of a report's values) are
    written straight from the records, one format per record, without a dictionary per record
    or a call per key: ~0.006 s less a report than building :func:`report_dict` and writing
    it (``tests/test_speed_paths.py`` holds the two to the same text)."""
    if indent is None:
        import json

        return json.dumps(report_dict(r), ensure_ascii=False)
    ind = " " * indent
    # the facts list is the report's key 2 levels deep: its items 2, their keys 3 (and so on)
    n2, n3, n4 = "\n" + ind * 2, "\n" + ind * 3, "\n" + ind * 4
    fact_index = _fact_index(r)
    # the checks' facts are mostly the very objects of r.facts: found by identity first, not
    # by a hash of every field (the index of an equal fact stands for it, as in check_dict)
    by_id = {id(f): fact_index[f] for f in r.facts}
    facts = _Raw(_list_text([_fact_text(f, n2, n3) for f in r.facts], "\n" + ind, n2))
    figures = _Raw(_list_text([_figure_text(n, n3, n4) for n in r.narrative], n2, n3))
    checks = _Raw(
        _list_text([_check_text(c, fact_index, by_id, n2, n3) for c in r.checks], "\n" + ind, n2)
    )
    return dumps_indented(_report_dict(r, facts, {"figures": figures}, checks), ind)


class _Raw(str):
    """JSON text already written, placed as is by :func:`dumps_indented`."""

    __slots__ = ()


def _list_text(items: list[str], nl: str, inner: str) -> str:
    """A JSON list of items already written, its brackets on lines indented by ``nl``."""
    if not items:
        return "[]"
    return "[" + inner + ("," + inner).join(items) + nl + "]"


def _text(v: Any) -> str:
    """The JSON text of one scalar value, as ``json.dumps`` writes it."""
    t = type(v)
    if t is str:
        return _escape(v)
    if v is None:
        return "null"
    if t is float:
        return _float_repr(v) if -_INF < v < _INF else _float(v)
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return int.__repr__(v)
    raise TypeError(f"a record holds {type(v).__name__} where the contract has a JSON scalar")


def _num_text(value: Decimal | None) -> str:
    """:func:`_num`'s JSON text, read off the Decimal's own text where that says the exponent
    (a fifth of the time of :meth:`~decimal.Decimal.as_tuple`, and a report has ~2,500)."""
    if value is None:
        return "null"
    text = str(value)
    if "E" not in text:  # not scientific: a point is there exactly when the exponent is < 0
        if "." in text:
            return _float_repr(float(text))  # float(Decimal) is float of its text
        if text.isdigit() or (text[:1] == "-" and text[1:].isdigit()):
            return int.__repr__(int(text))  # "-0" is 0, as int(Decimal) has it
    return _text(_num(value))  # scientific, NaN or Infinity


def _box_text(box: Any, nl: str, inner: str) -> str:
    """A box (already a list of numbers, or None) as indented JSON."""
    if box is None:
        return "null"
    return _list_text(list(map(_text, box)), nl, inner)


def _fact_text(f: Fact, nl: str, i: str) -> str:
    """:func:`fact_dict`'s JSON text, its braces on lines indented by ``nl``, keys by ``i``."""
    t = _text
    return (
        f'{{{i}"table": {t(f.table)},{i}"section": {t(f.section)},{i}"parent": {t(f.parent)},'
        f'{i}"code": {t(f.code)},{i}"item": {t(f.item)},{i}"column": {t(f.column)},'
        f'{i}"value": {_num_text(f.value)},{i}"page": {t(f.page)},'
        f'{i}"box": {_box_text(f.box, i, i + i[len(nl) :])},'
        f'{i}"confidence": {t(f.confidence)},{i}"read_as": {_num_text(f.read_as)}{nl}}}'
    )


def _figure_text(n: NarrativeFigure, nl: str, i: str) -> str:
    """One figure of :func:`narrative_dict` as JSON text."""
    t = _text
    deeper = i + i[len(nl) :]
    return (
        f'{{{i}"topic": {t(n.topic)},{i}"kind": {t(n.kind)},{i}"value": {_num_text(n.value)},'
        f'{i}"unit": {t(n.unit)},{i}"code": {t(n.code)},{i}"item": {t(n.item)},'
        f'{i}"page": {t(n.page)},{i}"sentence": {t(n.sentence)},'
        f'{i}"box": {_box_text(box_list(n.box), i, deeper)},'
        f'{i}"sentence_box": {_box_text(box_list(n.sentence_box), i, deeper)}{nl}}}'
    )


def _check_text(c: Check, index: dict[Fact, int], by_id: dict[int, int], nl: str, i: str) -> str:
    """:func:`check_dict`'s JSON text; ``by_id`` is ``index`` by the ``id`` of each fact of the
    report."""
    t = _text
    step = i[len(nl) :]
    deeper = i + step
    facts = []
    for f in c.facts:
        n = by_id.get(id(f))
        if n is None:
            n = index.get(f)
        facts.append(_fact_text(f, deeper, deeper + step) if n is None else int.__repr__(n))
    return (
        f'{{{i}"rule": {t(c.rule)},{i}"ok": {t(c.ok)},{i}"expected": {_num_text(c.expected)},'
        f'{i}"found": {_num_text(c.found)},{i}"gap": {_num_text(c.gap)},'
        f'{i}"tolerance": {_num_text(c.tolerance)},{i}"rounding": {t(c.rounding)},'
        f'{i}"kind": {t(c.kind)},{i}"tables": {_list_text([t(v) for v in c.tables], i, deeper)},'
        f'{i}"pages": {_list_text([t(v) for v in c.pages], i, deeper)},'
        f'{i}"status": {t(check_status(c))},{i}"facts": {_list_text(facts, i, deeper)}{nl}}}'
    )


def dumps_indented(obj: Any, indent: str = "  ") -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=len(indent))``, character for character,
    in a fraction of its time: the standard library indents with its pure-Python encoder (its
    C one cannot indent before Python 3.13), a generator per level, ~0.01–0.02 s a report.
    Strings go through the same C escaper; numbers print as ``json`` prints them. The common
    scalars (str, None, finite float, int) are written in the loops over a container, not by a
    call per value: a report holds ~15,000 of them."""
    parts: list[str] = []
    add = parts.append
    escape = _escape
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
        if t is _Raw:
            return v
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
        if t is _Raw:
            add(o)
        elif t is dict:
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


_float_repr = float.__repr__
_INF = float("inf")


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
    if k is None or isinstance(k, int):  # bool included: true / false
        return _text(k)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")
