"""Other table sets than the nine 公开 tables (docs/templates.md); checks a leader can trust.

Fixtures by tests/fixtures/make_template_fixtures.py; the 高等学校 set is the corpus report
(tests/test_golden.py compares it whole).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from functools import cache

import pytest
from conftest import FIXTURES, fact_counts
from fixtures.make_template_fixtures import Drawer, HeaderCell, Table, central

from core.accounts.checks import check_cross, check_cross_income, check_missing, run_checks
from core.accounts.contract import report_dict
from core.accounts.parse import parse_report, parse_report_bytes
from core.errors import NotJuesuanError
from core.records import Fact, Report, TableInfo
from core.tables.templates import (
    CENTRAL,
    EIGHT,
    STANDARD,
    UNIVERSITY,
    UNKNOWN,
    choose_template,
    expected_tables,
    shown_tables,
)

TEMPLATE_FIXTURES = ("template-eight-2017", "template-central", "template-university-yuan")


@cache
def parsed(name: str) -> Report:
    return parse_report(FIXTURES / f"{name}.pdf")


def expected(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", TEMPLATE_FIXTURES)
def test_template_fixture_facts_equal_expected(name: str) -> None:
    want = fact_counts(expected(name)["facts"])
    got = fact_counts(parsed(name).facts)
    assert not (want - got) and not (got - want), (
        f"missing {sorted(want - got, key=repr)[:5]} extra {sorted(got - want, key=repr)[:5]}"
    )


@pytest.mark.parametrize("name", TEMPLATE_FIXTURES)
def test_template_fixture_tables_and_template(name: str) -> None:
    r, e = parsed(name), expected(name)
    assert r.template == e["template"]
    got = {t.id: {"pages": list(t.pages), "empty": t.empty, "title": t.title} for t in r.tables}
    assert got == e["tables"]
    assert (r.unit, r.year, r.scope) == (e["unit"], e["year"], e["scope"])


@pytest.mark.parametrize("name", TEMPLATE_FIXTURES)
def test_template_fixture_checks_pass_and_missing_only_what_the_template_has(name: str) -> None:
    r, e = parsed(name), expected(name)
    failed = [c.rule for c in r.checks if not c.ok and c.kind != "missing"]
    assert failed == []
    missing = sorted(c.tables[0] for c in r.checks if c.kind == "missing")
    assert missing == e["missing"]
    assert set(missing) <= set(expected_tables(r.template))
    # the checks tested the tables it has, across tables too
    kinds = Counter(c.kind for c in r.checks)
    assert kinds["identity"] > 10 and kinds["cross"] >= 2


def test_central_role_of_its_own_is_read_and_shown() -> None:
    r = parsed("template-central")
    own = r.table("项目支出")
    assert own is not None and own.title == "一般公共预算财政拨款项目支出决算表"
    assert {f.column for f in r.facts_of("项目支出")} == {"金额"}
    # its rows add up like any coded table's
    assert any("项目支出" in c.tables and c.ok for c in r.checks)


def test_central_sub_column_is_a_breakdown_not_a_summand() -> None:
    r = parsed("template-central")
    row_rules = [c.rule for c in r.checks if c.rule.startswith("公开02 合计：")]
    assert row_rules == ["公开02 合计：本年收入合计 = 财政拨款收入 + 事业收入 + 其他收入"]
    assert any(f.column == "其中：教育收费" for f in r.facts_of("公开02"))


def test_budget_report_is_refused_saying_it_looks_like_one() -> None:
    e = expected("template-budget")
    with pytest.raises(NotJuesuanError, match=e["message_contains"]) as info:
        parse_report(FIXTURES / "template-budget.pdf")
    assert info.value.kind == e["error"]


def test_budget_report_whose_titles_do_not_say_budget_is_refused_as_one() -> None:
    """Budget tables are often titled 部门收支总表, 财政拨款收支总表: the cover and the 预算数
    columns, with 决算 nowhere, still tell a budget report."""
    d = Drawer("示例局2025年部门预算")
    d.cover(["示例局", "2025年部门预算"])
    head = [
        HeaderCell("项目", 0, 0),
        HeaderCell("预算数", 0, 1),
        HeaderCell("项目", 0, 2),
        HeaderCell("预算数", 0, 3),
    ]
    rows = [["一、一般公共预算拨款收入", "1,286.40", "一、一般公共服务支出", "1,286.40"]]
    d.table(Table("", "部门收支总表", [150, 80, 150, 80], head, 1, rows), "表1")
    with pytest.raises(NotJuesuanError, match="预算报告"):
        parse_report_bytes(d.finish())


def test_unknown_titles_are_placed_by_their_header_vocabulary() -> None:
    """Titles no pattern knows: a coded table with 基本/项目/经营支出 columns plays 公开03; a
    coded table of other columns keeps an id of its own and is still read."""
    d = Drawer("示例单位2024年度单位决算")
    d.cover(["示例单位", "2024年度单位决算"])
    head = [
        HeaderCell("科目编码", 0, 0),
        HeaderCell("科目名称", 0, 1),
        HeaderCell("合计", 0, 2),
        HeaderCell("基本支出", 0, 3),
        HeaderCell("项目支出", 0, 4),
        HeaderCell("经营支出", 0, 5),
    ]
    rows = [
        ["201", "一般公共服务支出", "30.00", "20.00", "10.00", ""],
        ["20101", "人大事务", "30.00", "20.00", "10.00", ""],
        ["", "合计", "30.00", "20.00", "10.00", ""],
    ]
    d.table(Table("", "单位支出决算明细表", [60, 150, 70, 70, 70, 70], head, 1, rows), "表1")
    own = [HeaderCell("科目编码", 0, 0), HeaderCell("科目名称", 0, 1), HeaderCell("金额", 0, 2)]
    d.table(
        Table(
            "",
            "机关运行经费决算明细表",
            [60, 150, 80],
            own,
            1,
            [["30201", "办公费", "1.20"], ["", "合计", "1.20"]],
        ),
        "表2",
    )
    r = parse_report_bytes(d.finish())
    assert {t.id: t.title for t in r.tables} == {
        "公开03": "单位支出决算明细表",
        "机关运行经费决算明细表": "机关运行经费决算明细表",
    }
    assert r.template == STANDARD
    assert {(f.code, f.column, f.value) for f in r.facts_of("机关运行经费决算明细表")} == {
        ("30201", "金额", Decimal("1.20")),
        (None, "金额", Decimal("1.20")),
    }
    assert [c.rule for c in r.checks if not c.ok and c.kind != "missing"] == []


def test_a_table_placed_by_structure_never_joins_a_titled_table_of_its_role() -> None:
    """A titled 支出决算表 and a 明细表 that looks like one: two tables, not one; a table of
    columns of unknown meaning is tested only on its 类/款/项 tree."""
    d = Drawer("示例单位2024年度单位决算")
    d.cover(["示例单位", "2024年度单位决算"])
    head = [
        HeaderCell("科目编码", 0, 0),
        HeaderCell("科目名称", 0, 1),
        HeaderCell("合计", 0, 2),
        HeaderCell("基本支出", 0, 3),
        HeaderCell("项目支出", 0, 4),
        HeaderCell("经营支出", 0, 5),
    ]
    rows = [
        ["201", "一般公共服务支出", "30.00", "20.00", "10.00", ""],
        ["20101", "人大事务", "30.00", "20.00", "10.00", ""],
        ["", "合计", "30.00", "20.00", "10.00", ""],
    ]
    widths = [60, 150, 70, 70, 70, 70]
    d.table(Table("", "支出决算表", widths, head, 1, rows), "表1")
    d.table(Table("", "单位支出决算明细表", widths, head, 1, rows), "表2")
    odd = [
        HeaderCell("科目编码", 0, 0),
        HeaderCell("科目名称", 0, 1),
        HeaderCell("合计", 0, 2),
        HeaderCell("年初预算", 0, 3),
    ]
    d.table(
        Table(
            "",
            "专项资金决算明细表",
            [60, 150, 70, 70],
            odd,
            1,
            [
                ["201", "一般公共服务支出", "30.00", "25.00"],
                ["20101", "人大事务", "30.00", "25.00"],
            ],
        ),
        "表3",
    )
    r = parse_report_bytes(d.finish())
    assert {t.id: t.pages for t in r.tables} == {
        "公开03": (2,),
        "单位支出决算明细表": (3,),
        "专项资金决算明细表": (4,),
    }
    assert len(r.facts_of("公开03")) == len(r.facts_of("单位支出决算明细表")) == 9
    odd_checks = [c.rule for c in r.checks if "专项资金决算明细表" in c.tables]
    assert odd_checks and all("：" not in rule for rule in odd_checks)
    assert all(c.ok for c in r.checks if c.kind != "missing")


@pytest.mark.parametrize(
    ("titles", "year", "template"),
    [
        (
            {"公开01": "收入支出决算总表", "公开09": "国有资本经营预算财政拨款支出决算表"},
            2024,
            STANDARD,
        ),
        (
            {"公开01": "收入支出决算总表", "公开08": "政府性基金预算财政拨款收入支出决算表"},
            2017,
            EIGHT,
        ),
        ({"公开01": "收入支出决算总表"}, 2024, STANDARD),
        (
            {"公开01": "高等学校收支决算总表", "公开05": "高等学校财政拨款支出决算表"},
            2023,
            UNIVERSITY,
        ),
        (
            {"公开01": "收入支出决算总表", "项目支出": "一般公共预算财政拨款项目支出决算表"},
            2023,
            CENTRAL,
        ),
        ({"机关运行经费决算明细表": "机关运行经费决算明细表"}, 2024, UNKNOWN),
        ({"公开01": "收支决算总表", "公开05": "财政拨款支出决算表"}, 2023, UNIVERSITY),
        ({"公开05": "一般公共预算财政拨款支出决算表"}, 2023, STANDARD),
    ],
)
def test_choose_template(titles: dict[str, str], year: int, template: str) -> None:
    assert choose_template(titles, year) == template


def _report(facts: list[Fact], template: str = STANDARD) -> Report:
    ids = sorted({f.table for f in facts})
    return Report(
        unit="u",
        year=2024,
        scope="部门决算",
        source_unit="万元",
        pages=3,
        tables=tuple(TableInfo(i, i, (1,)) for i in ids),
        facts=tuple(facts),
        performance=(),
        narrative=(),
        template=template,
    )


def _f(table: str, item: str, column: str, value: str, code: str | None = None, section=None):  # type: ignore[no-untyped-def]
    return Fact(table, section, None, code, item, column, Decimal(value), 1)


def test_missing_only_for_tables_of_the_template() -> None:
    facts = [_f("公开01", "总计", "决算数", "1.00", section="收入")]
    assert {c.tables[0] for c in check_missing(_report(facts, UNIVERSITY))} == {
        "公开02",
        "公开03",
        "公开05",
    }
    assert check_missing(_report(facts, UNKNOWN)) == []
    assert "公开09" not in {c.tables[0] for c in check_missing(_report(facts, EIGHT))}


def test_rounding_gap_is_weicha_and_a_larger_gap_fails() -> None:
    def row(total: str) -> list[Fact]:
        return [
            _f("公开03", "合计", "本年支出合计", total),
            _f("公开03", "合计", "基本支出", "10.00"),
            _f("公开03", "合计", "项目支出", "5.00"),
        ]

    ok = [c for c in run_checks(_report(row("15.01"))) if c.rule.startswith("公开03 合计：")]
    assert len(ok) == 1 and ok[0].ok and ok[0].rounding
    r = _report(row("15.01"))
    d = report_dict(replace(r, checks=tuple(run_checks(r))))
    status = {c["rule"]: c["status"] for c in d["checks"]}
    assert status[ok[0].rule] == "尾差"
    bad = [c for c in run_checks(_report(row("15.03"))) if c.rule.startswith("公开03 合计：")]
    assert len(bad) == 1 and not bad[0].ok


def test_cross_table_equality_allows_the_rounding_of_each_total() -> None:
    def facts(total03: str) -> list[Fact]:
        return [
            _f("公开01", "本年支出合计", "决算数", "100.00", section="支出"),
            _f("公开03", "合计", "合计", total03),
        ]

    rule = "公开01 本年支出合计 = 公开03 合计"
    near = next(c for c in check_cross(_report(facts("100.01"))) if c.rule == rule)
    assert near.ok and near.rounding and near.tolerance == Decimal("0.010")
    far = next(c for c in check_cross(_report(facts("100.02"))) if c.rule == rule)
    assert not far.ok


def test_each_check_lists_the_facts_it_compared_and_the_contract_points_at_them() -> None:
    r = parsed("template-central")
    d = report_dict(r)
    assert d["template"] == CENTRAL
    for check, out in zip(r.checks, d["checks"], strict=True):
        if check.kind == "missing":
            assert out["facts"] == []
            continue
        assert check.facts, check.rule
        assert [d["facts"][i] for i in out["facts"]] == [
            d["facts"][r.facts.index(f)] for f in check.facts
        ]
        assert set(check.pages) == {f.page for f in check.facts}
    # a sum check compares its total and every summand
    total = next(c for c in r.checks if c.rule == "公开03 合计 = Σ类（合计）")
    assert {f.code for f in total.facts} == {None, "205", "206", "208", "221"}


@pytest.mark.parametrize(
    ("plant", "should_fail"),
    [
        (
            ("公开03", "2050205", "基本支出"),
            {
                "公开03 2050205 高等教育：合计 = 基本支出 + 项目支出",
                "公开03 20502 款 = Σ项（基本支出）",
            },
        ),
        (
            ("公开05", "205", "项目支出"),
            {
                "公开05 205 教育支出：小计 = 基本支出 + 项目支出",
                "公开05 合计 = Σ类（项目支出）",
                "公开05 205 类 = Σ款（项目支出）",
            },
        ),
        (
            ("公开03", "221", "合计"),
            {
                "公开03 221 住房保障支出：合计 = 基本支出 + 项目支出",
                "公开03 合计 = Σ类（合计）",
                "公开03 221 类 = Σ款（合计）",
                "公开01 住房保障支出 = 公开03 221 类",
            },
        ),
        (
            ("公开02", "2050205", "其中：教育收费"),
            {"公开02 20502 款 = Σ项（其中：教育收费）"},
        ),
    ],
)
def test_planted_error_in_a_template_fails_exactly_the_checks_that_read_it(
    plant: tuple[str, str, str], should_fail: set[str]
) -> None:
    pdf, _ = central((*plant, Decimal("10.00")))
    r = parse_report_bytes(pdf)
    failed = {c.rule for c in r.checks if not c.ok and c.kind != "missing"}
    assert failed == should_fail
    for c in r.checks:
        if c.rule in should_fail:
            assert any((f.table, f.code, f.column) == plant for f in c.facts), c.rule


def test_shown_tables_lists_the_template_then_roles_of_their_own() -> None:
    found = {"公开01": "高等学校收支决算总表", "公开05": "高等学校财政拨款支出决算表"}
    assert shown_tables(UNIVERSITY, found) == {
        "公开01": "高等学校收支决算总表",
        "公开02": "高等学校收入决算表",
        "公开03": "高等学校支出决算表",
        "公开05": "高等学校财政拨款支出决算表",
    }
    assert list(shown_tables(UNKNOWN, {"机关运行经费决算明细表": "机关运行经费决算明细表"})) == [
        "机关运行经费决算明细表"
    ]
    assert list(shown_tables(CENTRAL, {}))[6] == "项目支出"


def test_income_rows_of_the_summary_table_against_their_sources() -> None:
    """公开01's 财政拨款 rows add up to 公开02's 财政拨款收入 total, each other source equals its
    column; a source 公开02 does not print is not tested (absent is no zero)."""

    def facts(fiscal02: str) -> list[Fact]:
        return [
            _f("公开01", "一般公共预算财政拨款收入", "决算数", "80.00", section="收入"),
            _f("公开01", "政府性基金预算财政拨款收入", "决算数", "5.00", section="收入"),
            _f("公开01", "使用非财政拨款结余", "决算数", "7.00", section="收入"),
            _f("公开01", "事业收入", "决算数", "15.00", section="收入"),
            _f("公开01", "经营收入", "决算数", "2.00", section="收入"),
            _f("公开02", "合计", "财政拨款收入", fiscal02),
            _f("公开02", "合计", "事业收入", "15.00"),
        ]

    good = check_cross_income(_report(facts("85.00")))
    assert [(c.rule, c.ok) for c in good] == [
        (
            "公开01 一般公共预算财政拨款收入、政府性基金预算财政拨款收入 = 公开02 合计 财政拨款收入",
            True,
        ),
        ("公开01 事业收入 = 公开02 合计 事业收入", True),
    ]
    bad = check_cross_income(_report(facts("95.00")))
    assert [c.ok for c in bad] == [False, True]
    assert {f.item for f in bad[0].facts} == {
        "合计",
        "一般公共预算财政拨款收入",
        "政府性基金预算财政拨款收入",
    }
