"""From a number on screen back to the printed cells it was read from.

A table row, a chart point, a KPI card or a check shows amounts with names and pages; the
facts behind them are the report's facts that print the same amount, on those pages, under
the same name (code, item, or section and item) and, where the row names it, in the same
table and column. A number the dashboard computed (a share, a sum no table prints) finds no
fact: the source view says so rather than show a cell that merely looks alike.

Facts are named on screen by their place in ``report.facts`` (:func:`fact_key`), the same
order the contract JSON lists them in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from core.records import Check, Fact, FundLine, Indicator, NarrativeFigure, Performance, Report

#: Row keys whose numbers are derived (shares, rates, gaps), never printed cells.
DERIVED_KEYS = re.compile(r"占比|率|完成预算|容差|差额|增幅|级次|规模|数量|分值|得分|_o")
_TABLE_RE = re.compile(r"公开\d{2}")
_PAGE_RANGE_RE = re.compile(r"(\d+)\s*[–—-]\s*(\d+)|(\d+)")
_CODE_RE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
CENT = Decimal("0.01")


def fact_key(report: Report, fact: Fact) -> int:
    """The fact's place in ``report.facts`` (identity first, so equal twins keep apart)."""
    for i, f in enumerate(report.facts):
        if f is fact:
            return i
    return report.facts.index(fact)


def facts_by_keys(report: Report, keys: Iterable[int | str]) -> list[Fact]:
    """The facts at these places (keys out of range are ignored)."""
    out = []
    for k in keys:
        try:
            i = int(k)
        except (TypeError, ValueError):
            continue
        if 0 <= i < len(report.facts):
            out.append(report.facts[i])
    return out


def as_amount(value: Any) -> Decimal | None:
    """A number shown on screen as an amount to the cent, or None when it is no number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value.quantize(CENT) if value.is_finite() else None
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return Decimal(str(round(float(value), 2))).quantize(CENT)
    if isinstance(value, str):
        text = value.replace(",", "").replace("万元", "").strip()
        if re.fullmatch(r"-?\d+(?:\.\d+)?", text):
            try:
                return Decimal(text).quantize(CENT)
            except InvalidOperation:
                return None
    return None


def pages_in(value: Any) -> set[int]:
    """Page numbers a cell states: an int, a tuple of them, or text ("第 8–9 页", "PDF 第 5 页")."""
    if value is None or isinstance(value, bool):
        return set()
    if isinstance(value, int):
        return {value}
    if isinstance(value, float) and value == value and value.is_integer():
        return {int(value)}
    if isinstance(value, list | tuple | set):
        return {p for v in value for p in pages_in(v)}
    if isinstance(value, str) and "页" in value:
        out: set[int] = set()
        for a, b, one in _PAGE_RANGE_RE.findall(value):
            if one:
                out.add(int(one))
            elif int(b) - int(a) < 50:
                out.update(range(int(a), int(b) + 1))
        return out
    return set()


def _names(texts: Iterable[str]) -> set[str]:
    out = set()
    for text in texts:
        for part in re.split(r"[\s（）()，,：:、/<>]+|<br>", text):
            part = part.strip()
            if part:
                out.add(part)
        squashed = re.sub(r"\s+", "", text)
        if squashed:
            out.add(squashed)
    return out


def _name_score(fact: Fact, names: set[str]) -> int:
    """2 when a name is the fact's code, item or section+item; 1 when one holds the other."""
    own = {fact.item, f"{fact.section or ''}{fact.item}"}
    if fact.code:
        own.add(fact.code)
    if own & names:
        return 2
    for name in names:
        if _CODE_RE.match(name):
            continue
        if len(fact.item) >= 2 and len(name) >= 2 and (fact.item in name or name in fact.item):
            return 1
    return 0


def _names_column(column: str, names: set[str]) -> bool:
    """A name is the column, or the column with a word after it (一般公共预算财政拨款支出)."""
    return column in names or any(len(column) >= 4 and name.startswith(column) for name in names)


def find_facts(
    report: Report,
    value: Decimal,
    *,
    pages: set[int] | None = None,
    names: set[str] | None = None,
    tables: set[str] | None = None,
    column: str | None = None,
) -> list[Fact]:
    """The printed facts that read ``value`` and fit what else is known (see the module).

    Among facts of that value (on ``pages``, in ``tables`` when given), those named best
    are kept: by row name first, then by column (``column``, or a name that is the fact's
    column), then a table's total row over its other rows. When names are given and none
    names any fact's row or column, nothing is returned.
    """
    found = [
        f
        for f in report.facts
        if f.value == value and (not pages or f.page in pages) and (not tables or f.table in tables)
    ]
    if not found:
        return []
    scored = []
    for f in found:
        by_name = _name_score(f, names) if names else 0
        if column:
            by_column = 1 if f.column == column else 0
        else:
            by_column = 1 if names and _names_column(f.column, names) else 0
        total = 1 if f.code is None and f.item in ("合计", "总计") else 0
        scored.append(((by_name, by_column, total), f))
    if names and max(s[0][0] + s[0][1] for s in scored) == 0:
        return []
    best = max(s[0] for s in scored)
    return [f for score, f in scored if score == best]


def facts_for_row(report: Report, row: Mapping[str, Any]) -> list[Fact]:
    """The printed facts behind one row of a dashboard table, amount by amount."""
    pages: set[int] = set()
    texts: list[str] = []
    tables: set[str] = set()
    amounts: list[tuple[str, Decimal]] = []
    for key, value in row.items():
        key = str(key)
        if "页" in key:
            pages |= pages_in(value)
            continue
        if isinstance(value, str):
            if key in ("表", "涉及表", "来源"):
                tables.update(_TABLE_RE.findall(value))
            if key not in ("原文", "来源", "规则", "状态", "类别", "类型", "单位", "说明"):
                texts.append(value)
            continue
        if DERIVED_KEYS.search(key) or isinstance(value, int):
            continue  # amounts are Decimals (or floats); an int counts things
        amount = as_amount(value)
        if amount is not None:
            amounts.append((key, amount))
    column = str(row.get("栏目") or "") or None
    names = _names(texts)
    out: list[Fact] = []
    for key, amount in amounts:
        for f in find_facts(
            report,
            amount,
            pages=pages or None,
            names=names or None,
            tables=tables or None,
            column=column or key,
        ):
            if f not in out:
                out.append(f)
    return out


def narrative_for_row(report: Report, row: Mapping[str, Any]) -> list[NarrativeFigure]:
    """The narrative figures a row of a narrative table shows: same sentence and page, and
    the same number where the row has one."""
    sentence = row.get("原文")
    pages = set().union(*(pages_in(v) for k, v in row.items() if "页" in str(k)))
    numbers = {
        a
        for k, v in row.items()
        if k in ("数值", "数量", "金额") and (a := as_amount(v)) is not None
    }
    return [
        n
        for n in report.narrative
        if n.sentence == sentence
        and (not row.get("主题") or n.topic == row["主题"])
        and (not pages or n.page in pages)
        and (not numbers or as_amount(n.value) in numbers)
    ]


def narrative_named_in_row(report: Report, row: Mapping[str, Any]) -> list[NarrativeFigure]:
    """The narrative figures a row shows that quotes no sentence (a 项's 决算数 and its change
    on last year, read from the text): same page, same number, and the row names the
    figure's code or item."""
    pages = set().union(*(pages_in(v) for k, v in row.items() if "页" in str(k)))
    amounts = {
        a
        for k, v in row.items()
        if "页" not in str(k)
        and not DERIVED_KEYS.search(str(k))
        and not isinstance(v, int | str)
        and (a := as_amount(v)) is not None
    }
    names = _names([v for v in row.values() if isinstance(v, str)])
    out = []
    for n in report.narrative:
        if as_amount(n.value) not in amounts or (pages and n.page not in pages):
            continue
        if n.unit != "万元":
            continue  # a rate printed beside the amount is not the row's amount
        if {x for x in (n.code, n.item) if x} & names:
            out.append(n)
    return out


def _point_amounts(point: Mapping[str, Any]) -> list[Decimal]:
    """The numbers a point shows; a waterfall's outflow is drawn negative, printed positive."""
    out: list[Decimal] = []
    for key in ("value", "x", "y"):
        amount = as_amount(point.get(key))
        if amount is not None and not isinstance(point.get(key), str):
            out += [amount] if amount >= 0 else [amount, -amount]
    return out


def _point_texts(point: Mapping[str, Any]) -> tuple[list[str], set[int]]:
    texts: list[str] = []
    pages: set[int] = set()
    custom = point.get("customdata")
    extras: list[Any] = list(custom) if isinstance(custom, list | tuple) else [custom]
    for key in ("label", "x", "y", "id", "hovertext", "text"):
        extras.append(point.get(key))
    for value in extras:
        if isinstance(value, str):
            pages |= pages_in(value)
            texts.append(value)
    return texts, pages


def narrative_for_point(report: Report, point: Mapping[str, Any]) -> list[NarrativeFigure]:
    """The narrative figures behind a chart point that shows a figure stated in the text
    (a 项's 全年预算数, a change on last year): same number, named alike."""
    texts, pages = _point_texts(point)
    names = _names(texts)
    amounts = set(_point_amounts(point))
    out = []
    for n in report.narrative:
        if as_amount(n.value) not in amounts or (pages and n.page not in pages):
            continue
        own = {x for x in (n.code, n.item, n.topic) if x}
        if own & names or any(len(o) >= 2 and any(o in t for t in names) for o in own):
            out.append(n)
    return out


def scorecard_for_row(report: Report, row: Mapping[str, Any]) -> list[Indicator | FundLine]:
    """The 绩效自评表 rows a dashboard row shows: an indicator by its 三级指标 and page, a
    funds line by its name and page."""
    pages = set().union(*(pages_in(v) for k, v in row.items() if "页" in str(k)))
    out: list[Indicator | FundLine] = []
    for perf in report.performance:
        if "三级指标" in row:
            out += [
                i
                for i in perf.indicators
                if i.level3 == row["三级指标"] and (not pages or i.page in pages)
            ]
            # the funds block's 预算执行率 row of score_frame, named after its funds line
            out += [
                f
                for f in perf.funds
                if f"预算执行率（{f.name}）" == row["三级指标"] and (not pages or f.page in pages)
            ]
        elif "资金" in row:
            out += [
                f for f in perf.funds if f.name == row["资金"] and (not pages or f.page in pages)
            ]
    return out


def facts_for_point(report: Report, point: Mapping[str, Any]) -> list[Fact]:
    """The printed facts behind one selected chart point (bar, box, slice)."""
    texts, pages = _point_texts(point)
    amounts = _point_amounts(point)
    names = _names(texts)
    out: list[Fact] = []
    for amount in amounts:
        for f in find_facts(report, amount, pages=pages or None, names=names or None):
            if f not in out:
                out.append(f)
    return out


def facts_for_figure(
    report: Report, value: Decimal | None, pages: Sequence[int], names: Sequence[str]
) -> list[Fact]:
    """The printed facts behind a figure shown with its pages and the names it goes by
    (a KPI card: 收入总计 on page 5)."""
    if value is None:
        return []
    amount = as_amount(value)
    if amount is None:
        return []
    return find_facts(report, amount, pages=set(pages) or None, names=_names(names) or None)


def facts_for_check(report: Report, check: Check) -> tuple[list[Fact], list[Fact]]:
    """(the facts printing what was found, the facts printing what was expected).

    The check's own list of compared facts wins when it has one (the printed figure, then
    the terms of the expected value); else the facts of its tables and pages that print each
    value under a name the rule states, where a side that is a sum no table prints finds
    nothing.
    """
    tables = set(check.tables) or None
    pages = set(check.pages) or None
    if check.facts:
        # the checks list the printed figure first, then the terms of what it should be
        first = next(
            (f for f in check.facts if check.found is not None and f.value == check.found), None
        )
        return ([first] if first else []), [f for f in check.facts if f is not first]
    names = _names([check.rule])

    def side(value: Decimal | None, text: str) -> list[Fact]:
        amount = as_amount(value)
        if amount is None:
            return []
        named = set(_TABLE_RE.findall(text)) or tables
        return find_facts(report, amount, pages=pages, names=_names([text]) or names, tables=named)

    lhs, _, rhs = check.rule.partition("=")
    found = side(check.found, lhs)
    expected = [f for f in side(check.expected, rhs) if f not in found]
    return found, expected


# -- keys a chart point carries (customdata) -----------------------------------------------------

#: A chart point's key starts with this: the rest is JSON naming its facts and figures.
KEY_PREFIX = "溯源:"


def _fact_id(f: Fact) -> list[str | int]:
    return [
        f.table,
        f.section or "",
        f.parent or "",
        f.code or "",
        f.item,
        f.column,
        f.page,
        str(f.value),
    ]


def _figure_id(n: NarrativeFigure) -> list[str | int]:
    return [n.page, n.topic, n.kind, n.code or "", n.item or "", str(n.value), n.sentence]


def _line_id(line: Indicator | FundLine) -> list[str | int]:
    if isinstance(line, Indicator):
        return [
            "指标",
            line.page,
            line.level1,
            line.level2,
            line.level3,
            line.actual,
            str(line.score),
        ]
    return ["资金", line.page, line.name, str(line.initial_budget), str(line.executed)]


def _total_id(perf: Performance) -> list[str | int]:
    return ["总分", perf.total_page or 0, perf.title, str(perf.total_score)]


def point_key(
    facts: Iterable[Fact] = (),
    figures: Iterable[NarrativeFigure] = (),
    lines: Iterable[Indicator | FundLine] = (),
    totals: Iterable[Performance] = (),
    *,
    report: str | None = None,
    note: str = "",
) -> str:
    """The key a chart point carries in its customdata: the printed cells (and figures
    stated in the text, and 绩效自评表 rows and 总分) it shows, by what they are (table, row,
    column, page, value), so a click finds exactly them. A point with none (a sum, a share)
    carries the empty key: it has no printed cell.

    A chart of several reports (the library's comparisons) names the ``report`` (its
    sha256) each point comes from; a point that draws a number worked out of the cells it
    names (a share, a difference) says how in ``note``."""
    body: dict[str, Any] = {
        "f": [_fact_id(f) for f in facts],
        "n": [_figure_id(n) for n in figures],
    }
    # scorecard parts, report and note only when named: keys of the other charts stay as
    # they were
    if s := [_line_id(x) for x in lines]:
        body["s"] = s
    if t := [_total_id(p) for p in totals]:
        body["t"] = t
    if report:
        body["r"] = report
    if note:
        body["d"] = note
    return KEY_PREFIX + json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def merge_keys(keys: Iterable[str], *, report: str | None = None, note: str = "") -> str:
    """One key naming everything the given keys name (a number made of several cells),
    for ``report`` and with ``note`` where given (else theirs)."""
    body: dict[str, Any] = {"f": [], "n": []}
    for key in keys:
        for part, entries in _body(key).items():
            if part in ("r", "d"):
                body.setdefault(part, entries)
                continue
            if isinstance(entries, list):
                held = body.setdefault(part, [])
                held += [e for e in entries if e not in held]
    if report:
        body["r"] = report
    if note:
        body["d"] = note
    return KEY_PREFIX + json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def key_report(key: str) -> str | None:
    """The sha256 of the report a key names its cells in, None when it names none (a chart of
    one report: the report on screen)."""
    found = _body(key).get("r")
    return found if isinstance(found, str) and found else None


def key_note(key: str) -> str:
    """How the point's number was worked out of the cells its key names ("" for a number
    printed as it is)."""
    found = _body(key).get("d")
    return found if isinstance(found, str) else ""


def _other_report(report: Report, body: Mapping[str, Any]) -> bool:
    named = body.get("r")
    return isinstance(named, str) and bool(named) and named != report.sha256


def key_in(point: Mapping[str, Any]) -> str | None:
    """The key of a selected chart point (its customdata), or None when it carries none."""
    custom = point.get("customdata")
    values: list[Any] = list(custom) if isinstance(custom, list | tuple) else [custom]
    return next((v for v in values if isinstance(v, str) and v.startswith(KEY_PREFIX)), None)


def _body(key: str) -> dict[str, Any]:
    try:
        body = json.loads(key.removeprefix(KEY_PREFIX))
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def resolve_key(report: Report, key: str) -> tuple[list[Fact], list[NarrativeFigure]]:
    """The facts and narrative figures a point key names (see :func:`point_key`)."""
    body = _body(key)
    if _other_report(report, body):
        return [], []  # another report's cells: never a look-alike of this one's
    wanted_f = [list(x) for x in body.get("f", [])]
    wanted_n = [list(x) for x in body.get("n", [])]
    facts = [f for f in report.facts if _fact_id(f) in wanted_f]
    figures = [n for n in report.narrative if _figure_id(n) in wanted_n]
    return facts, figures


def resolve_scorecard(report: Report, key: str) -> list[Indicator | FundLine | Performance]:
    """The 绩效自评表 rows and 总分 (as its Performance) a point key names."""
    body = _body(key)
    if _other_report(report, body):
        return []
    wanted_s = [list(x) for x in body.get("s", [])]
    wanted_t = [list(x) for x in body.get("t", [])]
    out: list[Indicator | FundLine | Performance] = []
    for perf in report.performance:
        lines: list[Indicator | FundLine] = [*perf.funds, *perf.indicators]
        out += [x for x in lines if _line_id(x) in wanted_s and x not in out]
        if perf.total_score is not None and _total_id(perf) in wanted_t and perf not in out:
            out.append(perf)
    return out


def scorecard_key(perf: Performance, line: Indicator | FundLine | None = None) -> str:
    """The key of a scorecard chart's point: one row (an indicator, a funds line), or the
    card's 总分 when no row is given (empty when no 总分 was read where it is printed)."""
    if line is not None:
        return point_key(lines=[line])
    if perf.total_score is None or perf.total_page is None:
        return point_key()
    return point_key(totals=[perf])


def cells(
    report: Report,
    table: str,
    *,
    page: int | None = None,
    value: Decimal | None = None,
    code: str | None = None,
    item: str | None = None,
    section: str | None = None,
    column: str | None = None,
) -> list[Fact]:
    """The facts of ``table`` that are exactly this cell: each field given must be equal
    (no near names, no other tables); the chart builders name their points' cells with it."""
    return [
        f
        for f in report.facts
        if f.table == table
        and (page is None or f.page == page)
        and (value is None or f.value == value)
        and (code is None or f.code == code)
        and (item is None or f.item == item)
        and (section is None or f.section == section)
        and (column is None or f.column == column)
    ]


def stated(
    report: Report,
    *,
    value: Decimal | None,
    page: int | None = None,
    code: str | None = None,
    topic: str | None = None,
    kind: str | None = None,
) -> list[NarrativeFigure]:
    """The narrative figures that are exactly this: each field given must be equal."""
    if value is None:
        return []
    return [
        n
        for n in report.narrative
        if n.value == value
        and (page is None or n.page == page)
        and (code is None or n.code == code)
        and (topic is None or n.topic == topic)
        and (kind is None or n.kind == kind)
    ]
