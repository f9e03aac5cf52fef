"""Real wording from published reports (tests/fixtures/real_wording/): the narrative grammar
and the cover reader against figures and covers read by hand.

A figure the parser reads that the hand reading does not list is a wrong reading: there must
be none. A figure it leaves out is acceptable, but the count read must not fall below what it
reads today. Run this file as a script to print the counts.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from conftest import FIXTURES

from core.accounts.meta import find_meta
from core.accounts.narrative import parse_narrative
from core.pdf.extract import Page, Word

REAL = FIXTURES / "real_wording"
NARRATIVE = json.loads((REAL / "narrative.json").read_text("utf-8"))["entries"]
COVERS = json.loads((REAL / "covers.json").read_text("utf-8"))["entries"]

#: Figures read right over both punctuation forms of every entry: 556 before the grammar of
#: this change (34 wrong), 600 after it (0 wrong), of 720 read by hand.
READ_AT_LEAST = 616

Row = tuple[str, str, Decimal, str, str | None]


def page_of(text: str, number: int = 1) -> Page:
    """A text page laid out as printed: one line per line of ``text``, a word per token."""
    words = []
    for n, line in enumerate(text.split("\n")):
        x = 60.0
        for token in line.split(" "):
            if not token:
                continue
            words.append(Word(token, x, x + 10.0 * len(token), 60.0 + 20 * n, 70.0 + 20 * n))
            x += 10.0 * len(token) + 4
    height = 60.0 + 20 * (text.count("\n") + 2)
    return Page(number, 595.0, max(842.0, height), tuple(words), (), 0)


def full_width(text: str) -> str:
    """The text with the punctuation a Chinese typist sets full width (the web copies show
    ASCII); a comma between digits stays, it may be a thousands separator."""
    text = re.sub(r"(?<!\d),|,(?!\d)", "，", text)
    return text.translate(str.maketrans({":": "：", ";": "；", "(": "（", ")": "）"}))


def _kind(kind: str) -> str:
    return "actual" if kind == "amount" else kind  # a stated amount is the year's actual


def rows(text: str) -> set[Row]:
    figures = parse_narrative([page_of(text)], [])
    return {(f.topic, _kind(f.kind), f.value, f.unit, f.item) for f in figures}


def truth(entry: dict) -> set[Row]:
    return {(t, _kind(k), Decimal(v), u, i) for t, k, v, u, i in entry["truth"]}


def tally() -> tuple[int, int, list[tuple[str, Row]]]:
    """(read right, left out, wrong readings with their source) over both forms."""
    right = left = 0
    wrong: list[tuple[str, Row]] = []
    for entry in NARRATIVE:
        want = truth(entry)
        for text in (entry["text"], full_width(entry["text"])):
            got = rows(text)
            right += len(got & want)
            left += len(want - got)
            wrong += [(entry["source"], r) for r in sorted(got - want, key=str)]
    return right, left, wrong


@pytest.mark.parametrize("form", ["stored", "full_width"])
@pytest.mark.parametrize("index", range(len(NARRATIVE)))
def test_no_wrong_reading(index: int, form: str) -> None:
    entry = NARRATIVE[index]
    text = entry["text"] if form == "stored" else full_width(entry["text"])
    assert rows(text) - truth(entry) == set()


def test_read_right_does_not_fall() -> None:
    right, _, _ = tally()
    assert right >= READ_AT_LEAST


@pytest.mark.parametrize("index", range(len(COVERS)))
def test_cover(index: int) -> None:
    entry = COVERS[index]
    unit, year, scope = find_meta([page_of("\n".join(entry["lines"]))])
    assert year in (entry["year"], None)  # a year read is the report year
    assert unit in (*entry["units"], "")  # a unit read is the unit
    assert scope in (entry["scope"], None)


def cover_tally() -> tuple[int, int, int]:
    """(fields read right, left out, wrong) over unit, year and scope of every cover."""
    right = left = wrong = 0
    for entry in COVERS:
        unit, year, scope = find_meta([page_of("\n".join(entry["lines"]))])
        for got, ok in (
            (unit, unit in entry["units"]),
            (year, year == entry["year"]),
            (scope, scope == entry["scope"]),
        ):
            if ok:
                right += 1
            elif got in ("", None):
                left += 1
            else:
                wrong += 1
    return right, left, wrong


if __name__ == "__main__":
    r, lo, w = tally()
    print(f"narrative: {r} read right, {lo} left out, {len(w)} read wrong")
    for src, row in w:
        print("  WRONG", row, src[:70])
    print("covers (right, left out, wrong):", cover_tally())
    for entry in COVERS:
        got = find_meta([page_of("\n".join(entry["lines"]))])
        print("  ", entry["lines"], "->", got)
