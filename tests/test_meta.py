"""Unit, year and scope: the cover wins over table headings; records made by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.accounts.parse import parse_pages
from core.errors import NotJuesuanError, ScannedPdfError
from core.pdf.extract import Page, Word


def _page(number: int, lines: list[str], images: int = 0) -> Page:
    """A page whose lines stand 20 pt apart, each line one word per space-separated token."""
    words = []
    for n, line in enumerate(lines):
        x = 60.0
        for token in line.split(" "):
            words.append(Word(token, x, x + 10.0 * len(token), 60.0 + 20 * n, 70.0 + 20 * n))
            x += 10.0 * len(token) + 12
    return Page(number, 595.0, 842.0, tuple(words), (), images)


TABLE = [
    "收入支出决算总表",
    "编制单位：乙区财政局 单位：万元",
    "项目 决算数",
    "一、一般公共预算财政拨款收入 12.50",
    "总计 12.50",
]


def test_cover_wins_over_the_table_heading() -> None:
    report = parse_pages([_page(1, ["2023 年度", "甲市审计局", "部门决算"]), _page(2, TABLE)])
    assert (report.unit, report.year, report.scope) == ("甲市审计局", 2023, "部门决算")


def test_table_heading_names_the_unit_when_there_is_no_cover() -> None:
    report = parse_pages([_page(1, TABLE), _page(2, ["2024 年度单位决算说明"])])
    assert report.unit == "乙区财政局"
    assert report.scope == "单位决算"


def test_a_report_whose_tables_are_scanned_says_so() -> None:
    pages = [
        _page(1, ["2024 年度", "丙县教育局", "部门决算"]),
        _page(2, [], images=1),
        _page(3, [], images=1),
    ]
    with pytest.raises(ScannedPdfError, match="2, 3"):
        parse_pages(pages)


def test_a_budget_report_is_not_a_juesuan() -> None:
    pages = [
        _page(1, ["2024 年", "丁局", "部门预算"]),
        _page(2, ["收入支出预算总表", "单位：万元", "项目 预算数"]),
    ]
    with pytest.raises(NotJuesuanError):
        parse_pages(pages)


def test_code_and_name_in_one_word_are_split() -> None:
    xs = (60.0, 260.0, 360.0)  # left edges of the label, 本年支出合计 and 基本支出 columns
    cells = [
        ["支出决算表"],
        ["单位：万元"],
        ["项目", "本年支出合计", "基本支出"],
        ["合计", "30.00", "30.00"],
        ["2010350事业运行", "30.00", "30.00"],
    ]
    words = [
        Word(text, xs[k], xs[k] + 10.0 * len(text), 60.0 + 20 * n, 70.0 + 20 * n)
        for n, row in enumerate(cells)
        for k, text in enumerate(row)
    ]
    table = Page(2, 595.0, 842.0, tuple(words), (), 0)
    report = parse_pages([_page(1, ["2024 年度", "戊中心", "单位决算"]), table])
    coded = {(f.code, f.item, f.column): f.value for f in report.facts if f.code}
    assert coded == {
        ("2010350", "事业运行", "本年支出合计"): 30,
        ("2010350", "事业运行", "基本支出"): 30,
    }


def test_a_unit_stated_in_the_header_converts_and_leaves_the_column_name() -> None:
    xs = (60.0, 300.0)
    cells = [
        ["收入支出决算总表"],
        ["项目", "决算数（元）"],
        ["一、一般公共预算财政拨款收入", "1,234,500.00"],
        ["总计", "1,234,500.00"],
    ]
    words = [
        Word(text, xs[k], xs[k] + 10.0 * len(text), 60.0 + 20 * n, 70.0 + 20 * n)
        for n, row in enumerate(cells)
        for k, text in enumerate(row)
    ]
    report = parse_pages(
        [
            _page(1, ["2024 年度", "己区档案馆", "单位决算"]),
            Page(2, 595.0, 842.0, tuple(words), (), 0),
        ]
    )
    got = {(f.item, f.column): f.value for f in report.facts}
    assert got == {
        ("一般公共预算财政拨款收入", "决算数"): Decimal("123.45"),
        ("总计", "决算数"): Decimal("123.45"),
    }
    assert report.source_unit == "元"


# -- the cover, line by line: date lines, page numbers, years and units in any form --------

COVERS = [
    # (cover lines, unit, year, scope)
    (["临江市教育局", "2024年度部门决算", "二〇二四年八月"], "临江市教育局", 2024, "部门决算"),
    (["临江市教育局 二〇二四年八月", "2024年度部门决算"], "临江市教育局", 2024, "部门决算"),
    (["甲县财政局2024年度部门决算", "2025年8月"], "甲县财政局", 2024, "部门决算"),
    (["甲县财政局", "2024 年度单位决算", "2025年8月31日"], "甲县财政局", 2024, "单位决算"),
    (["海岚市气象服务中心 第1页", "2024年度单位决算"], "海岚市气象服务中心", 2024, "单位决算"),
    (["青禾区文化馆-1", "2024年度部门决算"], "青禾区文化馆", 2024, "部门决算"),
    (["青禾区文化馆", "2024年度部门决算", "- 1 -"], "青禾区文化馆", 2024, "部门决算"),
    (["青禾区文化馆", "2024年度部门决算", "1/25"], "青禾区文化馆", 2024, "部门决算"),
    (["青禾区文化馆", "2024年度部门决算", "第1页共25页"], "青禾区文化馆", 2024, "部门决算"),
    (["上海市普陀区财政局", "年度2024部门决算"], "上海市普陀区财政局", 2024, "部门决算"),
    (["上海市普陀区财政局", "2024年度部门决算"], "上海市普陀区财政局", 2024, "部门决算"),
    (["二〇二三年度", "乙市审计局", "部门决算"], "乙市审计局", 2023, "部门决算"),
    (
        ["2 0 2 4 年 度", "上 海 市 金 山 区 档 案 局", "部 门 决 算"],
        "上海市金山区档案局",
        2024,
        "部门决算",
    ),
    (
        ["中共上海市普陀区委", "社会工作部2024年度", "部门决算"],
        "中共上海市普陀区委社会工作部",
        2024,
        "部门决算",
    ),
    (
        ["福建省12345政务服务", "便民热线中心", "2024年度单位决算"],
        "福建省12345政务服务便民热线中心",
        2024,
        "单位决算",
    ),
    (
        [
            "2024年度",
            "丙县教育局",
            "部门决算",
            "纳入2024年度部门决算编制范围的单位包括：",
            "1. 丙县第一中学",
        ],
        "丙县教育局",
        2024,
        "部门决算",
    ),
]


@pytest.mark.parametrize(("lines", "unit", "year", "scope"), COVERS)
def test_cover_variants(lines: list[str], unit: str, year: int, scope: str) -> None:
    report = parse_pages([_page(1, lines), _page(2, TABLE)])
    assert (report.unit, report.year, report.scope) == (unit, year, scope)


def test_a_unit_named_only_in_table_headings() -> None:
    table = ["丙县水利局2024年度收入支出决算总表", "单位：万元", "项目 决算数", "总计 12.50"]
    report = parse_pages([_page(1, table)])
    assert (report.unit, report.year) == ("丙县水利局", 2024)


def test_a_publication_date_is_not_the_report_year() -> None:
    table = ["收入支出决算总表", "单位：万元", "项目 决算数", "总计 12.50"]
    report = parse_pages(
        [_page(1, ["丁区档案馆", "二〇二五年六月", "2024年度单位决算"]), _page(2, table)]
    )
    assert report.year == 2024 and report.unit == "丁区档案馆"


def test_a_cover_title_wrapped_anywhere_is_read_whole() -> None:
    cover = _page(1, ["示例市生态环境局2024年度部", "门决算", "", "", "", "", "1/30"])
    report = parse_pages([cover, _page(2, TABLE)])
    assert (report.unit, report.year, report.scope) == ("示例市生态环境局", 2024, "部门决算")


def test_a_year_set_larger_than_its_line_on_another_baseline() -> None:
    """2024 in 32 pt and 年度 in 26 pt on one visual line: their centres lie 6 pt apart."""
    words = (
        Word("2024", 240.0, 300.0, 221.0, 253.0),
        Word("年度", 300.0, 352.0, 230.0, 256.0),
        Word("丙县档案馆", 230.0, 360.0, 286.0, 312.0),
        Word("单位决算", 250.0, 354.0, 332.0, 358.0),
    )
    report = parse_pages([Page(1, 595.0, 842.0, words, (), 0), _page(2, TABLE)])
    assert (report.unit, report.year, report.scope) == ("丙县档案馆", 2024, "单位决算")
