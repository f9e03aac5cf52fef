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
