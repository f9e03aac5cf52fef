"""Finding one fact or stated figure in a report: a 公开01 row, a table's 合计, the narrative."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from core.records import (
    STANDARD_TABLES,
    Fact,
    NarrativeFigure,
    Report,
)


def table_title(report: Report, table_id: str) -> str:
    """``公开01 收入支出决算总表`` (the title as printed when the report has the table)."""
    info = report.table(table_id)
    title = info.title if info is not None else STANDARD_TABLES.get(table_id, "")
    return f"{table_id} {title}".strip()


# -- look-ups -----------------------------------------------------------------------------------


def _first(facts: Iterable[Fact]) -> Fact | None:
    return next(iter(facts), None)


def find_fact_01(report: Report, section: str, item: str) -> Fact | None:
    """A 公开01 row by side and name (``本年收入合计`` also matches ``本年收入合计`` with a prefix)."""
    facts = [f for f in report.facts_of("公开01") if f.section == section and f.parent is None]
    exact = _first(f for f in facts if f.item == item)
    if exact is not None or not item.endswith("合计"):
        return exact
    return _first(f for f in facts if f.item.endswith(item))


def find_total(report: Report, table_id: str, column: str | Sequence[str]) -> Fact | None:
    """The 合计 row of a coded table in one column (the first of several names that exists)."""
    names = (column,) if isinstance(column, str) else tuple(column)
    totals = [f for f in report.facts_of(table_id) if f.code is None and f.item == "合计"]
    for name in names:
        hit = _first(f for f in totals if f.column == name)
        if hit is not None:
            return hit
    return None


def total_column(report: Report, table_id: str) -> str | None:
    """The column of a coded table that holds each row's total (本年支出合计, 合计, 小计 …)."""
    columns = list(dict.fromkeys(f.column for f in report.facts_of(table_id)))
    for name in ("本年支出合计", "本年收入合计", "合计", "小计", "支出合计", "收入合计"):
        if name in columns:
            return name
    return next((c for c in columns if c.endswith("合计")), None)


def find_narrative(
    report: Report,
    topics: str | Sequence[str],
    kind: str,
    *,
    code: str | None = None,
    unit: str | None = None,
) -> NarrativeFigure | None:
    """The first narrative figure (in page order) on one of these topics, of this kind."""
    wanted = (topics,) if isinstance(topics, str) else tuple(topics)
    for topic in wanted:
        for fig in sorted(report.narrative, key=lambda n: n.page):
            if fig.topic != topic or fig.kind != kind:
                continue
            if code is not None and fig.code != code:
                continue
            if unit is not None and fig.unit != unit:
                continue
            return fig
    return None


def code_names(report: Report) -> dict[str, str]:
    """Every 功能分类 code's name, from whichever coded table prints it (公开03 first)."""
    names: dict[str, str] = {}
    for table_id in ("公开03", "公开05", "公开02", "公开08", "公开09"):
        for f in report.facts_of(table_id):
            if f.code and f.item and f.code not in names:
                names[f.code] = f.item
    return names
