"""The records every text layer returns: positioned words, ruling lines, one :class:`Page`.

A backend (``core.pdf.pdfium_backend``, ``core.pdf.pdfminer_backend``) turns PDF bytes into
glyphs and rules; :func:`words_from_glyphs` makes the words, so every backend groups glyphs the
same way and the stages after it never know which one read the file. The grouping (glyphs into
words, words into lines) runs in C where the install built ``core/pdf/_glyphs.c``, with the
same results as the Python code here (``tests/test_glyphs_c.py``).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter

from core import regex

TYPE_CHECKING = False  # not typing's: importing typing costs ~2 ms a process, for annotations
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _T = TypeVar("_T")


#: What PDFium's text layer says of every page (:attr:`Page.damage`) when it had to rebuild
#: the cross-reference table; :func:`core.pdf.extract.extract_pages` takes it as
#: :data:`XREF_REPAIRED` once the damage check (:mod:`core.pdf.damage`) found every page whole.
XREF_REBUILT = "the cross-reference table is broken and was rebuilt from the objects found (xref)"
#: The repair note (:attr:`Page.repaired`) of a rebuilt table that lost nothing the pages
#: draw with.
XREF_REPAIRED = (
    "the cross-reference table is broken and was rebuilt from the objects found; every object "
    "the pages draw with was found and decodes (xref)"
)

#: A glyph as a backend hands it over: (x0, x1, top, bottom, text), PDF points, top-left origin.
Glyph = tuple[float, float, float, float, str]


@dataclass(frozen=True, slots=True)
class Word:
    """A run of characters with no gap, as placed on the page (PDF points, top-left origin)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    confidence: float | None = None
    """OCR recognition score (0–1) of the box the word came from; None from a text layer."""

    @property
    def xc(self) -> float:
        """Horizontal centre."""
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        """Vertical centre."""
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        """Glyph height, about the font size."""
        return self.bottom - self.top


@dataclass(frozen=True, slots=True)
class Rule:
    """A horizontal or vertical ruling segment (a drawn line or a thin rectangle's edge)."""

    horizontal: bool
    pos: float
    """y for a horizontal rule, x for a vertical one."""
    start: float
    """x0 (horizontal) or top (vertical)."""
    end: float
    """x1 (horizontal) or bottom (vertical)."""


@dataclass(frozen=True, slots=True)
class Page:
    """What one PDF page holds for the parser."""

    number: int
    """1-based page number."""
    width: float
    height: float
    words: tuple[Word, ...]
    rules: tuple[Rule, ...]
    images: int
    """How many images the page places (a scanned page is one big image)."""
    unmapped: int = 0
    """Glyphs whose font maps them to no character (no ToUnicode): text that cannot be read."""
    damage: str = ""
    """Why the PDF library could not read this page whole (empty when it could)."""
    ocr: bool = False
    """True when the words were read from the page's image by OCR (no text layer)."""
    repaired: str = ""
    """What the PDF library repaired in the file, or '': a rebuilt cross-reference table,
    :data:`core.pdf.damage.XREF_REPAIRED` when no page of the file is damaged (the rebuild
    lost nothing the pages draw with), :data:`core.pdf.damage.XREF_REBUILT` when one is."""
    _lines: tuple[tuple[Word, ...], ...] = field(default=(), init=False, repr=False, compare=False)
    _text: str | None = field(default=None, init=False, repr=False, compare=False)
    _line_texts: tuple[str, ...] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # every stage asks for the page's lines, many times: group them once
        lines = tuple(tuple(line) for line in group_lines(self.words))
        object.__setattr__(self, "_lines", lines)

    def lines(self) -> list[list[Word]]:
        """Words grouped into visual lines, top to bottom, each sorted left to right."""
        return [list(line) for line in self._lines]

    @property
    def text(self) -> str:
        """The page as plain text, one visual line per line, words joined as placed."""
        if self._text is None:  # asked for by several stages: joined once
            text = "\n".join(self.line_texts())
            object.__setattr__(self, "_text", text)
            return text
        return self._text

    def line_texts(self) -> tuple[str, ...]:
        """:func:`join_line` of each line of :meth:`lines`, in the same order (the page's
        text, the title search and the headings' scan each read every line: joined once)."""
        if self._line_texts is None:
            texts = tuple(join_line(list(line)) for line in self._lines)
            object.__setattr__(self, "_line_texts", texts)
            return texts
        return self._line_texts


#: Two boxes share a visual line when they overlap vertically by at least this share of the
#: shorter one's height: glyphs of mixed fonts and sizes sit on different baselines yet
#: overlap almost whole, while lines set tighter than their font size overlap far less, and
#: a code or amount centred between the two lines of a wrapped name overlaps each by about
#: half.
DEFAULT_LINE_OVERLAP = 0.6


def _c_part(name: str) -> Any:
    """A function of the C build (``core/pdf/_glyphs.c``: :func:`words_from_glyphs`'s and
    :func:`group_lines`'s grouping), or None where it was not built or
    ``JUESUAN_GLYPH_LOOP=python`` asks for the Python code, which gives the same lines."""
    if os.environ.get("JUESUAN_GLYPH_LOOP") == "python":
        return None
    try:
        from core.pdf import _glyphs
    except ImportError:
        return None
    return getattr(_glyphs, name)


_c_words_from_glyphs = _c_part("words")
_c_lines = _c_part("lines")


def _overlap_lines(items: list[_T], span: Callable[[_T], tuple[float, float]]) -> list[list[_T]]:
    """Items (words or glyphs) grouped into visual lines by vertical overlap of their boxes,
    lines ordered top to bottom; the order they were drawn in plays no part.

    An item joins the open line it overlaps most, when that overlap is at least
    :data:`DEFAULT_LINE_OVERLAP` of the shorter of the two heights; a line's span is that of
    its shortest item (shorter by a tenth at least: float noise must not move it), so a tall
    glyph cannot chain two lines together.
    """
    lines: list[list[_T]] = []
    spans: list[list[float]] = []  # [top, bottom] of each line
    active: list[int] = []  # lines that items further down may still overlap
    keyed = sorted(zip(map(span, items), range(len(items)), items, strict=True))
    last: tuple[float, float] | None = None
    last_line = -1
    for (t, b), _, item in keyed:
        if (t, b) == last:  # the same span as the item before: the same line, without asking
            lines[last_line].append(item)
            continue
        last = (t, b)
        if active and spans[active[0]][1] <= t:
            active = [i for i in active if spans[i][1] > t]
        best, best_share = -1, 0.0
        for i in active:
            lt, lb = spans[i]
            shorter = min(lb - lt, b - t)
            overlap = min(lb, b) - max(lt, t)
            share = overlap / shorter if shorter > 0 else float(overlap >= 0)
            if share >= DEFAULT_LINE_OVERLAP and share > best_share:
                best, best_share = i, share
        if best < 0:
            best = len(lines)
            active.append(best)
            lines.append([item])
            spans.append([t, b])
        else:
            lines[best].append(item)
            if b - t < 0.9 * (spans[best][1] - spans[best][0]):
                spans[best] = [t, b]
        last_line = best
    order = sorted(range(len(lines)), key=lambda i: spans[i][0] + spans[i][1])
    return [lines[i] for i in order]


def group_lines(words: tuple[Word, ...] | list[Word]) -> list[list[Word]]:
    """Group words into visual lines by vertical overlap of their boxes (not equal
    baselines): lines top to bottom, words left to right."""
    if _c_lines is not None:
        got = _c_lines(words, DEFAULT_LINE_OVERLAP)
        if got is not None:  # None: a box not of finite floats, which Python groups
            return got
    lines = _overlap_lines(list(words), attrgetter("top", "bottom"))
    return [sorted(line, key=attrgetter("x0")) for line in lines]


def join_line(words: list[Word]) -> str:
    """Join one line's words, with a space where the gap is wider than a third of a glyph."""
    out = ""
    prev: Word | None = None
    for word in words:
        # word.height inlined: this runs for every line of every page, several times
        if prev is not None and word.x0 - prev.x1 > 0.35 * max(word.bottom - word.top, 1.0):
            out += " "
        out += word.text
        prev = word
    return out


#: Code points :func:`normalize_text` folds: Kangxi and CJK radicals, full-width digits and
#: letters, CJK compatibility ideographs, and the ideographic and no-break spaces.
_FOLD_RE = regex.compile("[\u2e80-\u2fdf\uff10-\uff19\uff21-\uff5a\uf900-\ufaff\u3000\u00a0]")


def _fold(m: re.Match[str]) -> str:
    ch = m.group()
    return " " if ch in "\u3000\u00a0" else unicodedata.normalize("NFKC", ch)


def normalize_text(text: str) -> str:
    """Fold the look-alike code points real PDFs carry into the plain CJK and ASCII ones.

    WPS and Word exports often set 支 as the Kangxi radical ⽀ (U+2F40), digits as full-width
    ２０２４, and so on; full-width punctuation （）：“” is kept, as the reports print it.
    """
    return _FOLD_RE.sub(_fold, text) if _FOLD_RE.search(text) else text


_X0 = itemgetter(0)


def words_from_glyphs(glyphs: list[Glyph]) -> tuple[Word, ...]:
    """Glyphs to words: glyphs of one visual line (by vertical overlap) that touch, with no
    more than a hair's gap (1.5 pt) between them, are one word."""
    if _c_words_from_glyphs is not None:
        # None back: glyphs the C code leaves to Python (not finite, not one character each)
        got = _c_words_from_glyphs(glyphs, Word, normalize_text, DEFAULT_LINE_OVERLAP)
        if got is not None:
            return got
    lines = _overlap_lines(glyphs, itemgetter(2, 3))
    words: list[Word] = []
    for line in lines:
        line.sort(key=_X0)
        run = [line[0]]
        for c in line[1:]:
            prev = run[-1]
            if c[0] - prev[1] > 1.5 or c[0] < prev[0]:
                words.append(_word(run))
                run = [c]
            else:
                run.append(c)
        words.append(_word(run))
    return tuple(words)


def _word(run: list[Glyph]) -> Word:
    x0s, x1s, tops, bottoms, chars = zip(*run, strict=True)
    return Word(normalize_text("".join(chars)), min(x0s), max(x1s), min(tops), max(bottoms))


def edge_rules(rules: list[Rule], x0: float, top: float, x1: float, bottom: float) -> None:
    """Append the rule a thin box draws (a line, or a rectangle 1.5 pt thin or less)."""
    if bottom - top <= 1.5 and x1 - x0 >= 4:
        rules.append(Rule(True, (top + bottom) / 2, x0, x1))
    elif x1 - x0 <= 1.5 and bottom - top >= 4:
        rules.append(Rule(False, (x0 + x1) / 2, top, bottom))


def shape_rules(rules: list[Rule], pts: list[tuple[float, float]]) -> None:
    """Append the rules of one painted shape, given by its points (x, top): a thin shape is one
    rule; a four-point shape (a box: a filled cell, a frame) gives its bounding box's sides; a
    polyline its straight segments."""
    if not pts:
        return
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
    if bottom - top <= 1.5 or x1 - x0 <= 1.5:
        edge_rules(rules, x0, top, x1, bottom)
    elif len(pts) == 4:
        edge_rules(rules, x0, top, x1, top)
        edge_rules(rules, x0, bottom, x1, bottom)
        edge_rules(rules, x0, top, x0, bottom)
        edge_rules(rules, x1, top, x1, bottom)
    else:
        for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):
            edge_rules(rules, min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
