"""Hypothesis strategies: consistent report specs with random layout options.

from hypothesis import given
from pdfgen.strategies import report_specs

@given(report_specs())
def test_parser_reads_every_fact(spec): ...
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from hypothesis import strategies as st

from .spec import (
    AMOUNT_UNITS,
    COVERS,
    SCOPES,
    TABLE_IDS,
    TEMPLATES,
    ZERO_STYLES,
    Layout,
    ReportSpec,
    as_template,
    consistent_report,
)


@st.composite
def layouts(draw: st.DrawFn, table_id: str | None = None, ruled: bool | None = None) -> Layout:
    """Random print options for one table (only the ones that table uses vary)."""
    kw: dict[str, object] = {
        "titled_number": draw(st.booleans()),
        "ruled": draw(st.booleans()) if ruled is None else ruled,
        "zero_style": draw(st.sampled_from(ZERO_STYLES)),
        "thousands": draw(st.booleans()),
        "wrap_names": draw(st.booleans()),
        "letter_spaced": draw(st.booleans()),
        "amounts_other_line": draw(st.booleans()),
        "continue_after": draw(st.none() | st.integers(0, 12)),
        "repeat_header": draw(st.booleans()),
        "landscape": draw(st.booleans()),
        "org_line": draw(st.booleans()),
        "font_size": draw(st.sampled_from((7.5, 8.0, 9.0))),
    }
    if table_id in (None, "公开02", "公开03", "公开05", "公开08", "公开09"):
        kw["split_codes"] = draw(st.booleans())
        kw["code_style"] = draw(st.sampled_from(("column", "joined", "class_in_code")))
        kw["total_position"] = draw(st.sampled_from(("top", "bottom")))
        kw["column_numbers"] = draw(st.booleans())
    if table_id in (None, "公开06"):
        kw["blocks"] = draw(st.sampled_from((2, 3)))
        kw["amount_header_06"] = draw(st.sampled_from(("金额", "决算数")))
        kw["code_style"] = draw(st.sampled_from(("column", "joined", "class_in_code")))
    if table_id in (None, "公开07"):
        kw["with_budget"] = draw(st.booleans())
        kw["style07"] = draw(st.sampled_from(("rows", "grid")))
        kw["actual_first07"] = draw(st.booleans())
        kw["header07"] = draw(st.sampled_from(("nested", "flat", "combined")))
        kw["order07"] = draw(st.permutations("0123").map("".join))
        kw["title_variant"] = draw(st.sampled_from(("gpb", "fiscal", "noquote", "gpb_noquote")))
        kw["column_numbers"] = draw(st.booleans())
    return Layout(**kw)  # type: ignore[arg-type]


@st.composite
def report_specs(
    draw: st.DrawFn,
    tables: Sequence[str] | None = None,
    amount_units: Sequence[str] = AMOUNT_UNITS,
    ruled: bool | None = None,
    shuffled: bool | None = None,
    mixed_baselines: bool | None = None,
    templates: Sequence[str] = TEMPLATES,
) -> ReportSpec:
    """A consistent report (every identity holds) with random content and layout.

    ``tables``: which tables (default: a random non-empty subset, 公开01 always in).
    ``shuffled``, ``mixed_baselines``: fix the content-stream order and the baselines of
    digits (default: drawn). ``templates``: the table sets to draw from (see
    :func:`pdfgen.spec.as_template`; a set whose tables the draw lacks falls back to the
    standard one).
    """
    template = draw(st.sampled_from(tuple(templates)))
    if tables is None:
        rest = draw(st.sets(st.sampled_from(TABLE_IDS[1:])))
        if template == "central":
            rest.add("公开05")  # its 项目支出 table is drawn from 公开05's rows
        tables = ("公开01",) + tuple(sorted(rest))
    if template == "central" and "公开05" not in tables:
        template = "standard"
    empty = draw(st.sets(st.sampled_from(("公开08", "公开09"))))
    per_table = {t: draw(layouts(t, ruled=ruled)) for t in tables}
    if "公开09" in per_table:  # its title variant also picks its shape
        per_table["公开09"] = replace(
            per_table["公开09"], title_variant=draw(st.sampled_from(("expense", "income")))
        )
    spec = consistent_report(
        draw(st.integers(0, 2**31 - 1)),
        amount_unit=draw(st.sampled_from(tuple(amount_units))),
        scope=draw(st.sampled_from(SCOPES)),
        tables=tables,
        empty=empty,
        econ_detail=draw(st.sampled_from(("compact", "standard", "full"))),
        narrative=draw(st.booleans()),
        layouts=per_table,
    )
    if template != "standard":
        spec = as_template(spec, template, prefixed=draw(st.booleans()))
    return replace(
        spec,
        cover=draw(st.sampled_from(COVERS)),
        shuffled=draw(st.booleans()) if shuffled is None else shuffled,
        mixed_baselines=draw(st.booleans()) if mixed_baselines is None else mixed_baselines,
    )
