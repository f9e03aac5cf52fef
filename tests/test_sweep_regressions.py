"""Layouts the random sweep (tests/pdfgen/sweep.py) read wrongly, each drawn on purpose.

Each case is the layout of one table that failed in a sweep, on a report of its own; the
report must read back fact for fact and pass every identity, as in tests/test_properties.py.
"""

from __future__ import annotations

import pytest
from conftest import fact_counts
from pdfgen.render import render
from pdfgen.spec import TEMPLATE_NAMES, Layout, as_template, consistent_report

from core.accounts.parse import parse_report_bytes

UNRULED = {"ruled": False, "org_line": False}

#: name → (consistent_report arguments, the table, its layout, seeds whose amounts and rows
#: made the parser fail before its fix)
CASES: dict[str, tuple[dict, str, dict, tuple[int, ...]]] = {
    # 公开01 unruled, continued with its header repeated: the first row's name (使用非财 /
    # 政拨款结 / 余（含专 / 用结余）) starts above its amounts and reads like 公开08's column
    # head 使用非财政拨款结余; in a two-sided table it is the row's
    "two-sided-row-name-under-repeated-header": (
        {"amount_unit": "亿元", "tables": ("公开01",)},
        "公开01",
        {**UNRULED, "zero_style": "-", "wrap_names": True, "continue_after": 11, "font_size": 9.0},
        (1,),
    ),
    # 公开06 ruled, continued with no header, codes glued to names (30308助学金), blank zeros:
    # the next page opens with code-and-name cells and no amount, and still carries the table
    "06-continued-by-code-name-cells": (
        {"amount_unit": "亿元", "tables": ("公开01", "公开06"), "econ_detail": "full"},
        "公开06",
        {
            "titled_number": False,
            "zero_style": "blank",
            "thousands": True,
            "wrap_names": True,
            "repeat_header": False,
            "blocks": 2,
            "org_line": False,
            "code_style": "joined",
            "font_size": 7.5,
        },
        (1,),
    ),
    # 公开04 unruled, letter-spaced, landscape, amounts on another line, continued without a
    # header: a row of blank amounts (三、国有资本经营预算财政拨款) above 总计 is a row of its
    # own, though one of its spaced glyphs stands flush with 总计
    "04-letter-spaced-blank-row-over-total": (
        {"tables": ("公开01", "公开04")},
        "公开04",
        {
            **UNRULED,
            "zero_style": "blank",
            "thousands": True,
            "letter_spaced": True,
            "amounts_other_line": True,
            "continue_after": 11,
            "repeat_header": False,
            "landscape": True,
            "font_size": 9.0,
        },
        (3, 4),
    ),
    # 公开01 unruled, letter-spaced, blank zeros, amounts on another line: rows with nothing
    # printed (结余分配, 年末结转和结余) are rows, not lines of one wrapped name
    "01-blank-rows-are-not-one-name": (
        {"amount_unit": "亿元", "tables": ("公开01",)},
        "公开01",
        {
            **UNRULED,
            "titled_number": False,
            "zero_style": "blank",
            "thousands": True,
            "letter_spaced": True,
            "amounts_other_line": True,
            "repeat_header": False,
        },
        (3, 13),
    ),
    # 公开02 unruled in 元, amounts on another line, a 栏次 row, continued with its wrapped
    # header repeated (本年收入合 / 计): the header and 栏次 stay header, each row keeps its
    # own amounts (read as the next row's, they were wrong numbers)
    "02-wrapped-repeated-header-with-column-numbers": (
        {"amount_unit": "元", "tables": ("公开01", "公开02")},
        "公开02",
        {
            **UNRULED,
            "titled_number": False,
            "zero_style": "-",
            "amounts_other_line": True,
            "continue_after": 12,
            "total_position": "bottom",
            "column_numbers": True,
            "font_size": 9.0,
        },
        (3, 9),
    ),
    # 公开06 unruled, letter-spaced, landscape, zeros printed 0 on a line of their own: the
    # page's last line 0 | 0 | 0 is a row's amounts, not a page number under the table
    "06-last-row-of-zeros-is-no-page-number": (
        {"tables": ("公开01", "公开05", "公开06")},
        "公开06",
        {
            "ruled": False,
            "zero_style": "0",
            "letter_spaced": True,
            "amounts_other_line": True,
            "landscape": True,
        },
        (1, 2),
    ),
    # 公开07 unruled, letter-spaced, zeros printed 0 under each label, continued after its
    # first row with no header: the next page opens with 1.因公出国（境）费 over a line of 0
    "07-continued-by-ordinal-rows-of-zeros": (
        {"tables": ("公开01", "公开07"), "three_public_zero": True},
        "公开07",
        {
            **UNRULED,
            "title_variant": "noquote",
            "zero_style": "0",
            "letter_spaced": True,
            "amounts_other_line": True,
            "continue_after": 0,
            "repeat_header": False,
            "landscape": True,
            "font_size": 9.0,
        },
        (1, 2),
    ),
}


def _reads_back(spec) -> None:  # type: ignore[no-untyped-def]
    rendered = render(spec)
    report = parse_report_bytes(rendered.pdf)
    got = fact_counts(report.facts)
    want = fact_counts(rendered.facts)
    assert not (want - got) and not (got - want), (
        f"missing {sorted(want - got, key=repr)[:5]} extra {sorted(got - want, key=repr)[:5]}"
    )
    assert [c.rule for c in report.checks if not c.ok and c.kind != "missing"] == []
    assert report.template == TEMPLATE_NAMES[spec.template]


@pytest.mark.parametrize(
    ("name", "seed"), [(name, seed) for name in sorted(CASES) for seed in CASES[name][3]]
)
def test_sweep_layout_reads_back(name: str, seed: int) -> None:
    kw, tid, layout, _ = CASES[name]
    spec = consistent_report(seed, layouts={tid: Layout(**layout)}, **kw)  # type: ignore[arg-type]
    _reads_back(spec)


@pytest.mark.parametrize("prefixed", [True, False])
def test_university_set_numbered_table_1_unruled(prefixed: bool) -> None:
    """表1 under the title of an unruled table is the table's number, not a column head."""
    lay = Layout(ruled=False, zero_style="-", letter_spaced=True, font_size=8.0)
    spec = consistent_report(4, tables=("公开01", "公开02", "公开03", "公开05"), layout=lay)
    _reads_back(as_template(spec, "university", prefixed=prefixed))


def test_central_set_reads_its_project_table() -> None:
    spec = consistent_report(5, tables=("公开01", "公开05", "公开06", "公开07"))
    central = as_template(spec, "central")
    assert "项目支出" in central.table_ids
    _reads_back(central)


def test_eight_table_set_of_2017() -> None:
    spec = as_template(consistent_report(6, layout=Layout(ruled=False)), "eight")
    assert spec.year == 2017 and "公开09" not in spec.table_ids
    _reads_back(spec)
