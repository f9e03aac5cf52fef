"""Cells to facts on hand-made Page/Word records: 公开07 columns by header, codes split any
way. Each page is set as a report would be, word by word, with no PDF in between."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.accounts.parse import parse_pages
from core.pdf.extract import Page, Word
from core.records import THREE_PUBLIC_ITEMS

COVER = Page(
    1,
    595.0,
    842.0,
    (
        Word("2024年度", 250.0, 330.0, 200.0, 220.0),
        Word("甲区财政局", 240.0, 340.0, 260.0, 280.0),
        Word("部门决算", 250.0, 330.0, 320.0, 340.0),
    ),
    (),
    0,
)


def _w(text: str, x: float, top: float, align: str = "centre") -> Word:
    """A word of ``text`` centred on (or ending at, for ``right``) x; CJK 10 pt, digits 5 pt."""
    width = sum(5.0 if ch.isascii() else 10.0 for ch in text)
    x0 = x - width / 2 if align == "centre" else x - width
    return Word(text, x0, x0 + width, top, top + 10.0)


def _g07_page(
    headings: list[str],
    kinds: list[str | None],
    values: list[str],
    header_rows: int = 2,
    pitch: float = 60.0,
) -> Page:
    """A 公开07 with headings across the top, ``len(kinds)`` columns under each heading (a
    None kind prints no kind word), one row of amounts; no rules."""
    per = len(kinds)
    words = [_w("财政拨款“三公”经费支出决算表", 420.0, 40.0), _w("单位：万元", 760.0, 70.0)]
    for h, heading in enumerate(headings):
        left = 40.0 + h * per * pitch
        if header_rows == 2:
            words.append(_w(heading, left + per * pitch / 2, 100.0))
        for k, kind in enumerate(kinds):
            x = left + k * pitch + pitch / 2
            if header_rows == 1 and kind:
                words.append(_w(heading + kind, x, 115.0))
            elif kind:
                words.append(_w(kind, x, 115.0))
    for j, value in enumerate(values):
        words.append(_w(value, 40.0 + (j + 1) * pitch - 4, 140.0, "right"))
    words.append(_w("注：本表反映财政拨款“三公”经费支出。", 200.0, 170.0))
    return Page(2, 80.0 + len(values) * pitch, 595.0, tuple(words), (), 0)


def _g07(report) -> dict[tuple[str, str], Decimal]:  # type: ignore[no-untyped-def]
    return {(f.item, f.column): f.value for f in report.facts if f.table == "公开07"}


SIX = list(THREE_PUBLIC_ITEMS)


@pytest.mark.parametrize("actual_first", [False, True])
def test_g07_budget_and_actual_in_either_order(actual_first: bool) -> None:
    kinds = ["决算数", "预算数"] if actual_first else ["预算数", "决算数"]
    budget = ["9.00", "1.00", "5.00", "2.00", "3.00", "3.00"]
    actual = ["6.05", "0.00", "5.10", "1.20", "3.90", "0.95"]
    values = [
        v for b, a in zip(budget, actual, strict=True) for v in ((a, b) if actual_first else (b, a))
    ]
    report = parse_pages([COVER, _g07_page(SIX, kinds, values)])  # type: ignore[arg-type]
    want = {(h, "预算数"): Decimal(b) for h, b in zip(SIX, budget, strict=True)}
    want |= {(h, "决算数"): Decimal(a) for h, a in zip(SIX, actual, strict=True)}
    assert _g07(report) == want


def test_g07_headings_in_another_order_and_one_header_row() -> None:
    order = [SIX[5], SIX[0], SIX[3], SIX[1], SIX[4], SIX[2]]
    values = ["0.95", "1.00", "6.05", "9.00", "1.20", "2.00", "0.00", "1.00", "3.90", "3.00"]
    values += ["5.10", "5.00"]
    report = parse_pages(
        [COVER, _g07_page(order, ["决算数", "预算数"], values, header_rows=1, pitch=160.0)]  # type: ignore[arg-type]
    )
    got = _g07(report)
    assert got[(SIX[5], "决算数")] == Decimal("0.95") and got[(SIX[5], "预算数")] == Decimal("1.00")
    assert got[(SIX[2], "决算数")] == Decimal("5.10") and got[(SIX[2], "预算数")] == Decimal("5.00")
    assert len(got) == 12


def test_g07_a_column_of_unknown_kind_is_left_out_not_read_as_spent() -> None:
    """0.95 stands under a heading whose kind words are missing, in a table that prints 预算数:
    it could be the budget, so it is not a 决算数 (the ONLYOFFICE report's 公务接待费)."""
    page = _g07_page(SIX, ["预算数", "决算数"], ["1.00", "0.00"] * 6)
    words = [w for w in page.words if not (w.text in ("预算数", "决算数") and w.x0 > 640)]
    words = [w for w in words if w.text != "0.00" or w.x0 < 700]
    values = [w for w in words if w.text == "1.00"]
    words.remove(values[-1])
    words.append(_w("0.95", values[-1].x1, values[-1].top, "right"))
    report = parse_pages([COVER, Page(2, 842.0, 595.0, tuple(words), (), 0)])  # type: ignore[arg-type]
    got = _g07(report)
    assert (SIX[5], "决算数") not in got and (SIX[5], "预算数") not in got
    assert got[(SIX[0], "预算数")] == Decimal("1.00")


def test_g07_one_set_with_no_budget_in_the_header_is_the_actual() -> None:
    report = parse_pages(
        [COVER, _g07_page(SIX, [None], ["6.05", "0.00", "5.10", "1.20", "3.90", "0.95"])]  # type: ignore[arg-type]
    )
    got = _g07(report)
    assert {c for _, c in got} == {"决算数"} and got[(SIX[5], "决算数")] == Decimal("0.95")


# -- codes split any way: the code is always joined whole ----------------------------------


def _coded_page(title: str, header: list[tuple[str, float]], rows: list[list[tuple]]) -> Page:
    """A coded table: each row a list of (text, x, line) where line is the text line inside
    the row (0 top, 1 next …); rows stand 30 pt apart; amounts are right-aligned at x."""
    words = [_w(title, 300.0, 40.0), _w("单位：万元", 520.0, 70.0)]
    words += [_w(text, x, 95.0) for text, x in header]
    for r, row in enumerate(rows):
        for text, x, line in row:
            top = 120.0 + 30 * r + 12 * line
            if text[0].isdigit() and "." in text:
                words.append(_w(text, x, top, "right"))
            else:
                words.append(
                    Word(text, x, x + sum(5 if c.isascii() else 10 for c in text), top, top + 10)
                )
    return Page(2, 595.0, 842.0, tuple(words), (), 0)


def _coded(report, table: str) -> dict[tuple[str | None, str], Decimal]:  # type: ignore[no-untyped-def]
    return {(f.code, f.item): f.value for f in report.facts if f.table == table}


def test_economic_codes_split_between_the_code_and_the_name_cell() -> None:
    header = [("科目编码", 70.0), ("科目名称", 200.0), ("金额", 400.0)]
    rows = [
        [("302", 50.0, 0), ("商品和服务支出", 120.0, 0), ("25.11", 420.0, 0)],
        [("302", 50.0, 0), ("01办公费", 120.0, 0), ("10.00", 420.0, 0)],  # the ONLYOFFICE split
        [("30202", 50.0, 0), ("印刷费", 120.0, 0), ("5.11", 420.0, 0)],
        [("30205水费", 50.0, 0), ("2.00", 420.0, 0)],  # code and name in one word
        [("302", 50.0, 1), ("07邮电", 120.0, 0), ("费", 120.0, 1), ("8.00", 420.0, 1)],
        [("310", 50.0, 0), ("资本性支出", 120.0, 0), ("0.00", 420.0, 0)],
    ]
    page = _coded_page("一般公共预算财政拨款基本支出决算表", header, rows)
    got = _coded(parse_pages([COVER, page]), "公开06")
    assert got == {
        ("302", "商品和服务支出"): Decimal("25.11"),
        ("30201", "办公费"): Decimal("10.00"),
        ("30202", "印刷费"): Decimal("5.11"),
        ("30205", "水费"): Decimal("2.00"),
        ("30207", "邮电费"): Decimal("8.00"),
        ("310", "资本性支出"): Decimal("0"),
    }


def test_function_codes_whole_split_glued_or_on_another_line() -> None:
    header = [("科目编码", 70.0), ("科目名称", 200.0), ("本年支出合计", 420.0)]
    rows = [
        [("合计", 120.0, 0), ("30.00", 440.0, 0)],
        [("201", 50.0, 0), ("一般公共服务支出", 120.0, 0), ("30.00", 440.0, 0)],
        [("201", 40.0, 0), ("06", 66.0, 0), ("财政事务", 120.0, 0), ("30.00", 440.0, 0)],
        [("2010601行政运行", 50.0, 0), ("10.00", 440.0, 0)],
        [("201", 40.0, 0), ("06", 66.0, 0), ("02", 84.0, 0), ("一般行政管理事务", 120.0, 0)]
        + [("15.00", 440.0, 0)],
        [("2010650", 50.0, 1), ("事业运", 120.0, 0), ("行", 120.0, 1), ("5.00", 440.0, 1)],
    ]
    page = _coded_page("支出决算表", header, rows)
    got = _coded(parse_pages([COVER, page]), "公开03")
    assert got == {
        (None, "合计"): Decimal("30.00"),
        ("201", "一般公共服务支出"): Decimal("30.00"),
        ("20106", "财政事务"): Decimal("30.00"),
        ("2010601", "行政运行"): Decimal("10.00"),
        ("2010602", "一般行政管理事务"): Decimal("15.00"),
        ("2010650", "事业运行"): Decimal("5.00"),
    }


def test_digits_that_make_no_code_stay_in_the_name() -> None:
    header = [("科目编码", 70.0), ("科目名称", 200.0), ("本年支出合计", 420.0)]
    rows = [
        [("2010350", 50.0, 0), ("12345热线运行", 120.0, 0), ("3.00", 440.0, 0)],
    ]
    got = _coded(parse_pages([COVER, _coded_page("支出决算表", header, rows)]), "公开03")
    assert got == {("2010350", "12345热线运行"): Decimal("3.00")}
