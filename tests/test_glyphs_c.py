"""The C glyph loop (core/pdf/_glyphs.c) gives the Python loop's glyphs, bit for bit, and
its grouping of glyphs into words the Python grouping's words.

The PDFium text layer runs its per-glyph loop in C where the install could build it, and in
Python where it could not; both must give the very same glyphs (every float equal to the
last bit), words, rules and unmapped counts, on every fixture and report, and on pages drawn
to stress the loop: rotated and mirrored text, a text object a glyph, many fonts and sizes.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import os
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import CORPUS, FIXTURES, ROOT, SAMPLE_PDF

from core.pdf import _pdfium_c as pdfium_c
from core.pdf import page, pdfium_backend
from core.pdf.limits import DEFAULT_LIMITS

_WORDS_FROM_GLYPHS = pdfium_backend.words_from_glyphs
PDFS = [SAMPLE_PDF, *sorted(CORPUS.glob("*.pdf")), *sorted(FIXTURES.rglob("*.pdf"))]


@functools.cache
def _c_module():
    """The C build: the installed one (``make install`` builds it in place), else built here
    into a temporary folder, so the two loops are compared wherever a C compiler is."""
    try:
        from core.pdf import _glyphs

        return _glyphs
    except ImportError:
        pass
    out = Path(tempfile.mkdtemp(prefix="glyphs-c-"))
    built = subprocess.run(
        [
            sys.executable,
            "setup.py",
            "-q",
            "build_ext",
            "--build-lib",
            str(out / "lib"),
            "--build-temp",
            str(out / "tmp"),
        ],  # fmt: skip
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    found = sorted((out / "lib").rglob("_glyphs*"))
    assert found, f"the C glyph loop does not build on this machine:\n{built.stderr[-2000:]}"
    spec = importlib.util.spec_from_file_location("core.pdf._glyphs", found[0])
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _c_loop():
    module = _c_module()
    module.bind(pdfium_c.glyph_loop_addresses())
    return module


def _c_words():
    return _c_module().words


def _c_lines():
    return _c_module().lines


def _read(data: bytes, loop, monkeypatch: pytest.MonkeyPatch) -> object:
    """Each page's glyphs (as bytes: floats compared to the last bit) and what the page
    holds, read with the given loop (None: the Python loop); an error by its repr."""
    glyphs: list[list[tuple[bytes, str]]] = []

    def keep(got):
        glyphs.append([(struct.pack("<4d", *g[:4]), g[4]) for g in got])
        return _WORDS_FROM_GLYPHS(got)

    monkeypatch.setattr(pdfium_backend, "_c_glyphs", loop)
    # the words too: made in C where the loop is, in Python where it is not
    words = None if loop is None else _c_words()
    monkeypatch.setattr(page, "_c_words_from_glyphs", words)
    monkeypatch.setattr(page, "_c_lines", None if loop is None else _c_lines())
    monkeypatch.setattr(pdfium_backend, "words_from_glyphs", keep)
    try:
        pages = pdfium_backend.read_pages(data, DEFAULT_LIMITS)
    except Exception as exc:  # the same refusal from both loops
        return repr(exc)
    return glyphs, [(p.words, p.lines(), p.rules, p.unmapped, p.damage, p.images) for p in pages]


def _same(data: bytes, monkeypatch: pytest.MonkeyPatch) -> object:
    c = _read(data, _c_loop(), monkeypatch)
    python = _read(data, None, monkeypatch)
    assert c == python
    return c


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_the_c_loop_reads_every_file_as_the_python_loop(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _same(path.read_bytes(), monkeypatch)


def test_the_c_loop_reads_stressed_pages_as_the_python_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(600, 800))
    # a text object a glyph, each at its own size and font: styles by the thousand
    fonts = ("Helvetica", "Times-Roman", "Courier")
    for k in range(1500):
        t = c.beginText(20 + (k % 50) * 11, 780 - (k // 50) * 20)
        t.setFont(fonts[k % 3], 6 + (k % 7))
        t.textOut("ab-1."[k % 5])
        c.drawText(t)
    c.showPage()
    # rotated, mirrored and skewed text: upright or not as pdfminer counts it
    for angle in (0, 30, 90, 180, 270, -45):
        c.saveState()
        c.translate(300, 400)
        c.rotate(angle)
        c.setFont("Helvetica", 12)
        c.drawString(10, 0, f"angle {angle} 123.45")
        c.restoreState()
    c.saveState()
    c.transform(-1, 0, 0, 1, 500, 100)  # mirrored
    c.drawString(0, 0, "mirrored 6.78")
    c.restoreState()
    c.saveState()
    c.transform(1, 0.3, 0.2, 1, 50, 50)  # skewed
    c.drawString(0, 0, "skewed 9.01")
    c.restoreState()
    c.showPage()
    c.setPageRotation(90)
    c.drawString(50, 700, "a rotated page 12,345.67")
    c.showPage()
    c.save()
    glyphs, pages = _same(buf.getvalue(), monkeypatch)  # type: ignore[misc]
    assert sum(map(len, glyphs)) > 1500  # the loops read the pages, not an error


def test_without_the_c_loop_the_python_loop_reads() -> None:
    # where no compiler built it (or JUESUAN_GLYPH_LOOP=python), the text layer still reads
    code = (
        "from core.pdf import pdfium_backend as b, extract;"
        "import pathlib;"
        f"p = extract.extract_pages(pathlib.Path({str(SAMPLE_PDF)!r}).read_bytes());"
        "print(b._c_glyphs is None, sum(len(x.words) for x in p))"
    )
    env = {**os.environ, "JUESUAN_GLYPH_LOOP": "python"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0] == "True" and int(out[1]) > 1000


def _python_lines(words: list, monkeypatch: pytest.MonkeyPatch) -> list:
    monkeypatch.setattr(page, "_c_lines", None)
    try:
        return page.group_lines(words)
    finally:
        monkeypatch.undo()


def _python_words(glyphs: list, monkeypatch: pytest.MonkeyPatch) -> tuple:
    monkeypatch.setattr(page, "_c_words_from_glyphs", None)
    try:
        return page.words_from_glyphs(glyphs)
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("seed", range(40))
def test_the_c_grouping_makes_the_python_words_of_any_glyphs(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # drawn to hit the grouping's edges: equal spans, tall glyphs over two lines, glyphs
    # that touch or overlap or run backwards, signed zeros, characters normalize_text folds
    import random

    rng = random.Random(seed)
    chars = "0123456789.,-年度支出合计\u2f40\uff12\u3000\xa0\uf900abc"
    glyphs = []
    for _ in range(rng.choice((0, 1, 5, 60, 400))):
        top = rng.choice((0.0, -0.0, 10.0, 10.5, 20.0)) + rng.choice((0.0, rng.random() * 30))
        height = rng.choice((0.0, 1.0, 8.0, 9.0, 12.0, 30.0, rng.random() * 20))
        x0 = rng.choice((0.0, -0.0, 5.0, 5.5, rng.random() * 200))
        width = rng.choice((0.0, 1.5, 6.0, -2.0, rng.random() * 10))
        glyphs.append((x0, x0 + width, top, top + height, rng.choice(chars)))
    got = _c_words()(list(glyphs), page.Word, page.normalize_text, page.DEFAULT_LINE_OVERLAP)
    want = _python_words(glyphs, monkeypatch)
    assert got is not None
    # and the words (in a drawn order) into lines, as Page and the table stages group them
    shuffled = list(want)
    rng.shuffle(shuffled)
    lines = _c_lines()(shuffled, page.DEFAULT_LINE_OVERLAP)
    assert lines is not None
    assert [[id(w) for w in ln] for ln in lines] == [
        [id(w) for w in ln] for ln in _python_lines(shuffled, monkeypatch)
    ]
    assert [
        (w.text, *map(struct.Struct("<d").pack, (w.x0, w.x1, w.top, w.bottom))) for w in got
    ] == [(w.text, *map(struct.Struct("<d").pack, (w.x0, w.x1, w.top, w.bottom))) for w in want]


def test_the_c_grouping_leaves_glyphs_it_does_not_take_to_python() -> None:
    words = _c_words()
    for odd in (
        [(0.0, 1.0, float("nan"), 2.0, "a")],  # NaN orders otherwise in Python's sort
        [(0.0, 1.0, 0.0, float("inf"), "a")],
        [(0, 1, 0, 2, "a")],  # ints, not floats
        [(0.0, 1.0, 0.0, 2.0, "(cid:3)")],  # pdfminer's text for an unmapped glyph
    ):
        assert words(odd, page.Word, page.normalize_text, page.DEFAULT_LINE_OVERLAP) is None
        assert page.words_from_glyphs(odd)  # which Python groups
    lines = _c_lines()
    for box in ((0, 1.0, 0.0, 2.0), (0.0, 1.0, float("nan"), 2.0), (0.0, 1.0, 0.0, 1e308)):
        odd_word = page.Word("a", *box)
        assert lines([odd_word], page.DEFAULT_LINE_OVERLAP) is None
        assert page.group_lines([odd_word]) == [[odd_word]]


def _drawn_pdf() -> bytes:
    """Pages of paths for the page-object walk: lines, boxes, curves and circles, forms
    nested in forms under their own matrices, on a plain and a rotated page."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(600, 800))
    c.beginForm("inner")
    c.line(0, 0, 40, 0)
    c.rect(0, 5, 30, 0.5, fill=1)
    c.bezier(0, 10, 10, 30, 20, -10, 30, 10)
    c.endForm()
    c.beginForm("outer")
    c.rect(0, 0, 60, 20)
    c.saveState()
    c.transform(0.8, 0.3, -0.2, 1.1, 5, 7)
    c.doForm("inner")
    c.restoreState()
    c.circle(30, 30, 8)
    c.endForm()
    for number in range(2):
        if number:
            c.setPageRotation(90)
        for k in range(40):
            c.saveState()
            c.translate(20 + (k % 8) * 70, 40 + (k // 8) * 150)
            c.rotate(k * 9)
            c.doForm("outer" if k % 2 else "inner")
            c.restoreState()
            c.line(10, 700 - k * 3, 590, 700 - k * 3)
            c.grid([300 + k, 320 + k, 340 + k], [100, 110.5, 121])
        path = c.beginPath()
        path.moveTo(100, 100)
        path.curveTo(120, 150, 160, 50, 200, 100)
        path.lineTo(200, 300)
        path.moveTo(250, 250)
        path.lineTo(251, 250)
        path.close()
        c.drawPath(path, stroke=1, fill=0)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_the_c_walk_finds_the_python_walks_rules_through_nested_forms(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    glyphs, pages = _same(_drawn_pdf(), monkeypatch)  # type: ignore[misc]
    rules = [p[2] for p in pages]
    assert len(rules) == 2 and all(len(r) > 200 for r in rules)


def test_the_c_walk_stops_at_the_object_cap_as_the_python_walk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import re
    from dataclasses import replace

    from core.pdf.limits import DEFAULT_LIMITS as limits

    data = _drawn_pdf()

    def both(cap: int) -> object:
        got = []
        for loop in (_c_loop(), None):
            monkeypatch.setattr(pdfium_backend, "_c_glyphs", loop)
            try:
                pages = pdfium_backend.read_pages(data, replace(limits, max_objects_per_page=cap))
                got.append([(p.rules, p.images) for p in pages])
            except Exception as exc:
                got.append(repr(exc))
        assert got[0] == got[1]
        return got[0]

    # the count the error gives at a cap of 1: the first page's own objects, before its forms
    first = both(1)
    assert isinstance(first, str)
    top = int(re.search(r"holds (\d+)", first)[1])  # type: ignore[index]
    counted = set()
    for cap in (top, top + 1, top + 3, top + 10, top + 30, top + 100, top + 300):
        got = both(cap)
        if isinstance(got, str):
            counted.add(int(re.search(r"holds (\d+)", got)[1]))  # type: ignore[index]
    assert any(n > top for n in counted)  # stopped inside a form, not only at the page's list
    assert not isinstance(both(10**6), str)
