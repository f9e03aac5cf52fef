"""The text layer: both backends agree, lines come from geometry, limits hold, damage is named,
and bad bytes get the right error kind."""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections import Counter
from functools import cache
from pathlib import Path

import pikepdf
import pytest
from conftest import CORPUS, FIXTURES, SAMPLE_PDF, fact_counts

from core.accounts.contract import report_dict
from core.accounts.parse import parse_pages, parse_report_bytes
from core.errors import CorruptPdfError, NotPdfError, ReportError, TooLargeError
from core.pdf.damage import DEFAULT_MAX_INFLATE, TEXT_COUNT_BYTES, XREF_REPAIRED, check_damage
from core.pdf.extract import Limits, Page, Word, extract_pages, group_lines
from core.pdf.limits import DEFAULT_LIMITS
from core.pdf.whole import plainly_whole
from core.records import Report
from core.tables.layout import Column, Layout, RegionWords, build_rows
from core.tables.locate import Region

REPORTS = [SAMPLE_PDF, *sorted(CORPUS.glob("*.pdf"))]
PDFS = sorted(FIXTURES.glob("*.pdf")) + REPORTS

# Tolerances between the backends, in PDF points. Horizontal: PDFium's and pdfminer's glyph
# widths of fonts that are not embedded, and of dot leaders, differ by up to 0.9 pt at a
# line's end. Vertical: where a font descriptor gives Descent 0 (LibreOffice), PDFium takes
# the descent from the font program (-0.119 em): 0.15 of the word's height.
X_TOL = 1.0
Y_TOL_SHARE = 0.15
RULE_TOL = 0.05


@cache
def _pages(path: Path, backend: str) -> list[Page] | str:
    try:
        return extract_pages(path.read_bytes(), backend=backend)
    except ReportError as exc:
        return exc.kind


def _json(report: Report) -> dict:
    """The contract JSON without file name, hash and boxes: what was read, not where the
    glyphs sit (boxes are compared apart, within the words' tolerance)."""
    d = report_dict(report)
    del d["file"], d["sha256"]
    return _without_boxes(d)


_BOX_KEYS = ("box", "sentence_box", "total_box")


def _without_boxes(obj):
    if isinstance(obj, dict):
        return {k: _without_boxes(v) for k, v in obj.items() if k not in _BOX_KEYS}
    if isinstance(obj, list):
        return [_without_boxes(v) for v in obj]
    return obj


def _boxes(obj, out: list) -> list:
    """Every box of the contract JSON, in document order."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in _BOX_KEYS:
                out.append(v)
            else:
                _boxes(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _boxes(v, out)
    return out


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_backends_give_the_same_words_and_rules(path: Path) -> None:
    miner, pdfium = _pages(path, "pdfminer"), _pages(path, "pdfium")
    if isinstance(miner, str) or isinstance(pdfium, str):
        assert miner == pdfium  # the same error kind
        return
    assert len(miner) == len(pdfium)
    for a, b in zip(miner, pdfium, strict=True):
        assert (a.number, a.images) == (b.number, b.images)
        assert abs(a.width - b.width) < 0.001 and abs(a.height - b.height) < 0.001
        la, lb = a.lines(), b.lines()
        assert [[w.text for w in ln] for ln in la] == [[w.text for w in ln] for ln in lb], a.number
        for wa, wb in zip([w for ln in la for w in ln], [w for ln in lb for w in ln], strict=True):
            assert abs(wa.x0 - wb.x0) <= X_TOL and abs(wa.x1 - wb.x1) <= X_TOL, (wa, wb)
            y_tol = Y_TOL_SHARE * wa.height
            assert abs(wa.top - wb.top) <= y_tol and abs(wa.bottom - wb.bottom) <= y_tol, (wa, wb)
        assert len(a.rules) == len(b.rules), a.number
        unmatched = list(b.rules)
        for r in a.rules:
            twin = next(
                (
                    u
                    for u in unmatched
                    if u.horizontal == r.horizontal
                    and abs(u.pos - r.pos) <= RULE_TOL
                    and abs(u.start - r.start) <= RULE_TOL
                    and abs(u.end - r.end) <= RULE_TOL
                ),
                None,
            )
            assert twin is not None, (a.number, r)
            unmatched.remove(twin)


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_backends_give_the_same_report(path: Path) -> None:
    data = path.read_bytes()

    def outcome(backend: str) -> tuple[dict, list] | str:
        try:
            report = parse_pages(extract_pages(data, backend=backend))
        except ReportError as exc:  # a template not read yet is refused alike
            return exc.kind
        return _json(report), _boxes(report_dict(report), [])

    miner_read, pdfium_read = outcome("pdfminer"), outcome("pdfium")
    if isinstance(miner_read, str) or isinstance(pdfium_read, str):
        assert pdfium_read == miner_read
        assert path != SAMPLE_PDF and "putuo" not in path.name
        return
    (miner, a), (pdfium, b) = miner_read, pdfium_read
    assert pdfium == miner
    # the same boxes, within the words' tolerance
    assert len(a) == len(b)
    for u, v in zip(a, b, strict=True):
        assert (u is None) == (v is None)
        if u is not None:
            assert max(abs(x - y) for x, y in zip(u, v, strict=True)) <= X_TOL, (u, v)
    if path == SAMPLE_PDF or "putuo" in path.name:
        assert isinstance(pdfium, dict) and pdfium["facts"]


def test_the_backend_is_chosen_by_name() -> None:
    with pytest.raises(ValueError, match="text layer"):
        extract_pages(SAMPLE_PDF.read_bytes(), backend="ocr-someday")


# -- lines from geometry ------------------------------------------------------------------------


def test_words_on_different_baselines_share_a_visual_line() -> None:
    # a 12 pt CJK run and a 15.6 pt number 4 pt lower: centres 3.3 pt apart, boxes overlapping
    words = [
        Word("支出决算为", 60, 120, 100.0, 112.0),
        Word("1511.89", 121, 160, 101.9, 117.5),
        Word("万元", 161, 185, 100.0, 112.0),
        Word("下一行", 60, 96, 118.0, 130.0),
    ]
    lines = group_lines(list(reversed(words)))
    assert [[w.text for w in ln] for ln in lines] == [["支出决算为", "1511.89", "万元"], ["下一行"]]


def test_lines_set_tighter_than_their_size_stay_apart() -> None:
    # 9 pt glyphs on an 8 pt line pitch (a table cell with exact line spacing)
    words = [Word(t, 60, 96, 100.0 + 8 * i, 109.0 + 8 * i) for i, t in enumerate("甲乙丙")]
    assert [[w.text for w in ln] for ln in group_lines(words)] == [["甲"], ["乙"], ["丙"]]


def test_amounts_on_another_baseline_leave_wrapped_names_whole() -> None:
    # a borderless 公开01 side, 8 pt names wrapped in a narrow cell: each amount is centred on
    # its row, then set 0.3 of the size lower, so it joins the name's last line
    def w(text: str, x0: float, top: float) -> Word:
        return Word(text, x0, x0 + 8 * len(text), top, top + 8)

    lines = [
        [w("本年收入", 45, 215.6)],
        [w("合计", 45, 226.0), w("40.8125", 261.5, 223.2)],
        [w("使用非财", 45, 240.4)],
        [w("政拨款结", 45, 250.8), w("0", 287.8, 253.2)],
        [w("余", 45, 261.2)],
        [w("年初结转", 45, 275.6)],
        [w("和结余", 45, 286.0), w("1.4196", 266.3, 283.2)],
        [w("总计", 55.4, 300.4), w("42.2321", 261.5, 302.8)],
    ]
    words = tuple(x for ln in lines for x in ln)
    page = Page(1, 595.0, 842.0, words, (), 0)
    rw = RegionWords(page, Region(1, 200.0, 320.0, False), [], [], group_lines(words), [])
    layout = Layout((Column(40.0, 170.0, "项目"), Column(170.0, 300.0, "决算数")), ruled=False)
    rows = build_rows(rw, layout, 0.0, 300.0, {1})
    assert [(r.label_text, [a.text for a in r.amounts[1]]) for r in rows] == [
        ("本年收入合计", ["40.8125"]),
        ("使用非财政拨款结余", ["0"]),
        ("年初结转和结余", ["1.4196"]),
        ("总计", ["42.2321"]),
    ]


def test_a_header_repeated_on_a_continuation_page_sets_no_line_pitch() -> None:
    # a borderless 公开02 continued: its header repeated above the body, wrapped cells centred
    # and staggered 6 to 8 pt apart; a 9 pt name wraps at a 11.7 pt pitch, its amounts on a
    # line of their own half way between
    def w(text: str, x0: float, top: float) -> Word:
        return Word(text, x0, x0 + 9 * len(text), top, top + 9)

    words = (
        w("项目", 129.5, 99.3),
        w("本年收入", 245.5, 107.2),
        w("财政拨", 299.0, 107.2),
        w("功能分类", 45.9, 115.0),
        w("科目名称", 144.4, 120.9),
        w("合计", 254.5, 118.9),
        w("款收入", 299.0, 118.9),
        w("科目编码", 45.9, 126.7),
        w("栏次", 129.5, 142.4),
        w("1", 260.8, 142.4),
        w("2", 309.8, 142.4),
        w("21208", 45.0, 158.1),
        w("国有土地使用权出让收入安排的支", 92.8, 158.1),
        w("25.23", 260.8, 164.0),
        w("25.23", 305.7, 164.0),
        w("出", 92.8, 169.8),
        w("2120803", 45.0, 185.5),
        w("城市建设支出", 92.8, 185.5),
        w("25.23", 260.8, 191.4),
        w("25.23", 305.7, 191.4),
    )
    page = Page(1, 595.0, 842.0, words, (), 0)
    rw = RegionWords(page, Region(1, 90.0, 210.0, True), [], [], group_lines(words), [])
    columns = (
        Column(40.0, 240.0, "项目"),
        Column(240.0, 290.0, "合计"),
        Column(290.0, 340.0, "财政拨款收入"),
    )
    rows = build_rows(rw, Layout(columns, ruled=False), 0.0, 340.0, {1, 2})
    named = [
        (r.label_text, [a.text for a in r.amounts.get(1, [])])
        for r in rows
        if "2120" in r.label_text
    ]
    assert named == [
        ("21208国有土地使用权出让收入安排的支出", ["25.23"]),
        ("2120803城市建设支出", ["25.23"]),
    ]


def test_a_hyphen_ending_a_text_object_reads_as_printed() -> None:
    # PDFium takes "-" ending one text object, with the next one on the line below, for a word
    # broken over two lines and hands it out as U+0002; a zero printed as a dash ends a cell
    # so whenever the content stream runs out of reading order
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for k in range(8):
        c.drawString(100, 600 - 20 * k, f"row {k} of a borderless table")
    c.drawString(100, 680, "service-")
    c.drawString(100, 660, "able")
    c.showPage()
    c.save()
    for backend in ("pdfium", "pdfminer"):
        words = extract_pages(buf.getvalue(), backend=backend)[0].words
        assert "service-" in [w.text for w in words], backend


def _reading(name: str) -> dict:
    return _json(parse_report_bytes((FIXTURES / f"reading-{name}.pdf").read_bytes()))


def test_the_plain_twin_reads_as_drawn() -> None:
    from fixtures.make_reading_fixtures import report_spec
    from pdfgen import expected_report

    want = fact_counts(expected_report(report_spec())["facts"])
    got = fact_counts(_reading("plain")["facts"])
    assert got == want


@pytest.mark.parametrize("name", ["shuffled", "mixed-baselines"])
def test_a_report_reads_alike_whatever_its_stream_order_and_baselines(name: str) -> None:
    plain = _reading("plain")
    assert plain["facts"] and plain["narrative"]["figures"]
    assert _reading(name) == plain


# -- error kinds -------------------------------------------------------------------------------


def test_a_zip_holding_a_pdf_is_not_a_pdf() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("report.pdf", SAMPLE_PDF.read_bytes())
    with pytest.raises(NotPdfError, match="不是 PDF"):
        extract_pages(buf.getvalue())


def test_a_web_page_quoting_the_pdf_header_is_not_a_pdf() -> None:
    html = b"<!DOCTYPE html><html><body><p>A PDF starts with %PDF-1.7 and ends with %%EOF</p>"
    with pytest.raises(NotPdfError, match="网页"):
        extract_pages(html + b"</body></html>\n" * 40)


@pytest.mark.parametrize("backend", ["pdfium", "pdfminer"])
def test_an_empty_page_tree_is_corrupt(backend: str) -> None:
    buf = io.BytesIO()
    pikepdf.new().save(buf)
    with pytest.raises(CorruptPdfError, match="没有页面"):
        extract_pages(buf.getvalue(), backend=backend)


# -- limits ------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["pdfium", "pdfminer"])
@pytest.mark.parametrize(
    ("limits", "named"),
    [
        (Limits(max_pages=10), "max_pages"),
        (Limits(max_glyphs_per_page=500), "max_glyphs_per_page"),
        (Limits(max_objects_per_page=20), "max_objects_per_page"),
    ],
)
def test_a_file_past_a_limit_is_too_large(backend: str, limits: Limits, named: str) -> None:
    data = (FIXTURES / "quirk-full-consistent.pdf").read_bytes()  # 11 pages
    with pytest.raises(TooLargeError, match=named) as info:
        extract_pages(data, backend=backend, limits=limits)
    assert "上限" in info.value.message_zh


def test_real_reports_are_within_the_default_limits() -> None:
    for path in REPORTS:
        assert not isinstance(_pages(path, "pdfium"), str), path.name


def _one_page(content: bytes) -> bytes:
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    page = pdf.add_blank_page(page_size=(595, 842))
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(content)
    buf = io.BytesIO()
    pdf.save(buf, compress_streams=True)
    return buf.getvalue()


def test_a_page_drawing_three_hundred_thousand_glyphs_is_too_large() -> None:
    data = _one_page(b"BT /F1 1 Tf 10 10 Td " + b"(xxxxxxxxxx) Tj\n" * 30_000 + b"ET")
    assert len(data) < 20_000
    with pytest.raises(TooLargeError, match="max_glyphs_per_page"):
        extract_pages(data)


def test_a_page_of_two_hundred_thousand_paths_is_too_large() -> None:
    data = _one_page(b"0 0 m 1 1 l S\n" * 200_000)
    with pytest.raises(TooLargeError, match="max_objects_per_page"):
        extract_pages(data)


def test_one_text_object_of_three_million_glyphs_is_refused_before_it_is_built() -> None:
    # one TJ of 100 strings: one page object, so the object cap does not see it; its glyphs
    # are counted from the content before PDFium builds the page's text (1.4 s and 750 MB)
    data = _one_page(b"BT /F1 1 Tf 10 10 Td [" + (b"(" + b"x" * 30_000 + b") ") * 100 + b"] TJ ET")
    assert len(data) < 10_000
    with pytest.raises(TooLargeError, match="at least 750000 glyphs") as info:
        extract_pages(data)
    assert "至少" in info.value.message_zh


def _with_form(content: bytes, form: bytes) -> bytes:
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    fonts = pikepdf.Dictionary(F1=font)
    xobject = pdf.make_stream(
        form,
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Form,
        BBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(Font=fonts),
    )
    page = pdf.add_blank_page(page_size=(595, 842))
    page.Resources = pikepdf.Dictionary(Font=fonts, XObject=pikepdf.Dictionary(Fm0=xobject))
    page.Contents = pdf.make_stream(content)
    buf = io.BytesIO()
    pdf.save(buf, compress_streams=True)
    return buf.getvalue()


def test_a_form_drawn_forty_thousand_times_is_refused_before_it_is_built() -> None:
    # PDFium parses a form at each use: 40,000 uses of 30 KB of text took it past 20 GB
    data = _with_form(b"/Fm0 Do\n" * 40_000, b"BT /F1 1 Tf 10 10 Td (" + b"x" * 30_000 + b") Tj ET")
    assert len(data) < 10_000
    with pytest.raises(TooLargeError, match="max_content_bytes_per_page"):
        extract_pages(data)


def test_a_form_drawn_a_thousand_times_is_counted_at_each_use() -> None:
    # 30 MB of content at its uses, under the content limit: its 7.5 million glyphs are not
    data = _with_form(b"/Fm0 Do\n" * 1_000, b"BT /F1 1 Tf 10 10 Td (" + b"x" * 30_000 + b") Tj ET")
    with pytest.raises(TooLargeError, match="at least 7500000 glyphs"):
        extract_pages(data)


def test_forms_nested_twenty_deep_drawn_fifty_thousand_times_are_refused_before_they_are_built():
    # no-op operators in forms: PDFium builds every form at each use, 1,000,000 here
    # (5 s and 1.2 GB before the page's objects could be counted); the uses are counted first
    pdf = pikepdf.new()
    inner = pdf.make_stream(
        b"q Q", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 9, 9]
    )
    for _ in range(20):
        inner = pdf.make_stream(
            b"/X Do",
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Form,
            BBox=[0, 0, 9, 9],
            Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(X=inner)),
        )
    page = pdf.add_blank_page(page_size=(595, 842))
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(X=inner))
    page.Contents = pdf.make_stream(b"/X Do\n" * 50_000)
    data = _saved(pdf)
    assert len(data) < 10_000
    with pytest.raises(TooLargeError, match="at least .* drawing objects.*max_objects_per_page"):
        extract_pages(data)


def test_a_content_stream_that_inflates_past_the_limit_is_too_large() -> None:
    data = _one_page(b"0 0 m 100 0 l S\n" + b" " * (40 << 20))
    assert len(data) < 100_000
    with pytest.raises(TooLargeError, match="max_content_bytes_per_page"):
        extract_pages(data)


# -- damage ------------------------------------------------------------------------------------

DAMAGE_BASE = FIXTURES / "quirk-full-consistent.pdf"


def _saved(pdf: pikepdf.Pdf) -> bytes:
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def _break_flate(stream: pikepdf.Stream) -> None:
    raw = bytearray(stream.read_raw_bytes())
    filters = stream.Filter
    names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
    assert names == ["/FlateDecode"]
    for i in range(len(raw) // 2, len(raw) // 2 + 4):
        raw[i] ^= 0x5A
    stream.write(bytes(raw), filter=filters)


def _damaged_checks(report: Report) -> list:
    return [c for c in report.checks if c.kind == "damaged"]


def test_an_intact_report_names_no_damage() -> None:
    report = parse_report_bytes(DAMAGE_BASE.read_bytes())
    assert report.damaged_pages == () and not _damaged_checks(report)
    assert report_dict(report)["damaged_pages"] == []


def test_a_broken_content_stream_names_its_page() -> None:
    pdf = pikepdf.open(DAMAGE_BASE)
    _break_flate(pdf.pages[2].obj.Contents)
    report = parse_report_bytes(_saved(pdf))
    assert report.damaged_pages == (3,)
    (check,) = _damaged_checks(report)
    assert not check.ok and check.pages == (3,) and "第 3 页" in check.rule
    assert check.facts == tuple(f for f in report.facts if f.page == 3)
    assert report_dict(report)["damaged_pages"] == [3]


def test_an_unreadable_font_names_every_page_that_uses_it() -> None:
    pdf = pikepdf.open(DAMAGE_BASE)
    users = []
    target = None
    for number, page in enumerate(pdf.pages, start=1):
        for font in page.Resources.Font.values():
            for part in font.get("/DescendantFonts", [font]):
                descriptor = part.get("/FontDescriptor")
                stream = descriptor.get("/FontFile2") if descriptor is not None else None
                if stream is not None:
                    target = target or stream
                    if stream.objgen == target.objgen:
                        users.append(number)
                        break
    assert target is not None and users
    _break_flate(target)
    report = parse_report_bytes(_saved(pdf))
    assert report.damaged_pages == tuple(sorted(set(users)))
    (check,) = _damaged_checks(report)
    assert not check.ok and check.pages == report.damaged_pages


def test_a_lost_font_object_names_its_pages() -> None:
    buf = io.BytesIO()
    pikepdf.open(DAMAGE_BASE).save(
        buf, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False
    )
    data = buf.getvalue()
    pdf = pikepdf.open(io.BytesIO(data))  # numbered as written
    name, font = next(
        (k, f) for k, f in pdf.pages[1].Resources.Font.items() if "/FontDescriptor" in f
    )
    number = font.objgen[0]
    users = [
        n
        for n, page in enumerate(pdf.pages, start=1)
        if any(f.objgen == font.objgen for f in page.Resources.Font.values())
    ]
    used = {o.objgen[0] for o in pdf.objects}
    digits = len(str(number))
    lost = next(n for n in range(10 ** (digits - 1), 10**digits) if n not in used)
    ref = f"{name} {number} 0 R".encode()
    assert ref in data
    # the font's reference now points at an object the file does not hold: it reads as null
    broken = data.replace(ref, f"{name} {lost} 0 R".encode())
    pages = extract_pages(broken)
    assert {p.number for p in pages if "font" in p.damage} == set(users)
    # the report's text font is gone: no table can be read, and the error says why
    with pytest.raises(CorruptPdfError, match="已损坏"):
        parse_report_bytes(broken)


def _with_xref_table(path: Path) -> tuple[bytes, int, list[bytes]]:
    """The file saved with a plain cross-reference table: (bytes, where the table starts, its
    lines)."""
    buf = io.BytesIO()
    pikepdf.open(path).save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    data = buf.getvalue()
    start = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    assert data[start:].startswith(b"xref")
    return data, start, data[start:].split(b"\n")


# A rebuilt cross-reference table is judged by what was really lost: the facts of the intact
# file against the damaged one's. Nothing lost → a repair note, no page named; facts lost →
# the pages that lost them are named by the failed `damaged` check.


@cache
def _intact(path: Path) -> tuple[bytes, int, Report]:
    """The file saved afresh with a plain cross-reference table: (bytes, where the table
    starts, its report)."""
    data, start, _ = _with_xref_table(path)
    report = parse_report_bytes(data)
    assert not report.repairs and not _damaged_checks(report)  # saved afresh, the file is whole
    return data, start, report


def _pages_that_differ(report: Report, intact: Report) -> set[int]:
    mine, theirs = fact_counts(report.facts), fact_counts(intact.facts)
    return {key[7] for key in (mine - theirs) + (theirs - mine)}


def _repairs(report: Report) -> list:
    return [c for c in report.checks if c.kind == "repaired"]


def _assert_repaired(report: Report, intact: Report) -> None:
    """Nothing was lost: the same facts and checks as the intact file, no page named, and
    one passed note that the table was rebuilt."""
    assert _pages_that_differ(report, intact) == set()
    assert report.damaged_pages == () and not _damaged_checks(report)
    assert [(c.rule, c.ok) for c in report.checks if c.kind != "repaired"] == [
        (c.rule, c.ok) for c in intact.checks
    ]
    (note,) = _repairs(report)
    assert note.ok and "交叉引用表" in note.rule and note.pages == ()
    d = report_dict(report)
    assert d["repairs"] == [XREF_REPAIRED] and d["damaged_pages"] == []


def _assert_named(report: Report, intact: Report) -> set[int]:
    """Facts were lost: every page that lost some is named by one failed check."""
    lost = _pages_that_differ(report, intact)
    assert lost and lost <= set(report.damaged_pages)
    (check,) = _damaged_checks(report)
    assert not check.ok and check.pages == report.damaged_pages
    assert not _repairs(report)
    return lost


def _without_object(data: bytes, number: int) -> bytes:
    """The file with object ``number`` cut out (the offsets after it now point elsewhere)."""
    found = re.search(rb"(?m)^%d 0 obj\b.*?endobj\s*" % number, data, re.S)
    assert found is not None
    return data[: found.start()] + data[found.end() :]


def _incremental_update(data: bytes, start: int, shift: int) -> bytes:
    """``data`` with an incremental update that gives it a new document information
    dictionary, its cross-reference offsets written ``shift`` bytes off."""
    pdf = pikepdf.open(io.BytesIO(data))
    size, root = int(pdf.trailer.Size), pdf.Root.objgen[0]
    body = b"%d 0 obj\n<< /Title (edited) >>\nendobj\n" % size
    at = len(data) + len(body)
    xref = b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (size, len(data) + shift)
    trailer = b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /Prev %d >>\n" % (
        size + 1,
        root,
        size,
        start,
    )
    return data + body + xref + trailer + b"startxref\n%d\n%%%%EOF\n" % (at + shift)


@pytest.mark.parametrize("backend", ["pdfium", "pdfminer"])
def test_xref_offsets_shifted_by_an_editor_are_a_repair_not_damage(backend: str) -> None:
    data, _, intact = _intact(SAMPLE_PDF)
    header = data.index(b"\n") + 1  # a line inserted after the header shifts every offset
    shifted = data[:header] + b"%edited\n" + data[header:]
    _assert_repaired(parse_pages(extract_pages(shifted, backend=backend)), intact)


@pytest.mark.parametrize("backend", ["pdfium", "pdfminer"])
def test_an_xref_offset_that_points_elsewhere_is_a_repair_not_damage(backend: str) -> None:
    data, start, intact = _intact(DAMAGE_BASE)
    lines = data[start:].split(b"\n")
    entries = [i for i, ln in enumerate(lines) if re.fullmatch(rb"\d{10} \d{5} n ?\r?", ln)]
    i = entries[4]  # an object in use: its offset 7 bytes off, inside another line
    lines[i] = b"%010d" % (int(lines[i][:10]) + 7) + lines[i][10:]
    _assert_repaired(parse_pages(extract_pages(data[:start] + b"\n".join(lines), backend)), intact)


def test_a_startxref_that_misses_the_table_is_a_repair_not_damage() -> None:
    data, start, intact = _intact(DAMAGE_BASE)
    tail = f"startxref\n{start}\n".encode()
    assert data.count(tail) == 1
    _assert_repaired(
        parse_report_bytes(data.replace(tail, f"startxref\n{start - 5}\n".encode())), intact
    )


def test_a_crlf_converted_xref_table_is_a_repair_not_damage() -> None:
    data, start, intact = _intact(SAMPLE_PDF)
    # each entry is 20 bytes; " \r\n" makes it 21 and the table no longer holds
    _assert_repaired(
        parse_report_bytes(data[:start] + data[start:].replace(b"\n", b"\r\n")), intact
    )


@pytest.mark.parametrize("shift", [0, 13])
def test_an_incremental_update_is_read_as_written(shift: int) -> None:
    data, start, intact = _intact(SAMPLE_PDF)
    updated = parse_report_bytes(_incremental_update(data, start, shift))
    if shift:  # offsets written wrong: rebuilt, and nothing lost
        _assert_repaired(updated, intact)
    else:  # a well-formed update is no repair at all
        assert updated.repairs == () and updated.checks == intact.checks
        assert _pages_that_differ(updated, intact) == set()


def test_a_deleted_object_no_page_draws_with_is_a_repair_not_damage() -> None:
    data, _, intact = _intact(SAMPLE_PDF)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        info = pdf.trailer.Info.objgen[0]
    _assert_repaired(parse_report_bytes(_without_object(data, info)), intact)


def test_a_deleted_content_stream_names_its_page() -> None:
    data, _, intact = _intact(SAMPLE_PDF)
    busiest = Counter(f.page for f in intact.facts).most_common(1)[0][0]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        contents = pdf.pages[busiest - 1].obj.Contents.objgen[0]
    report = parse_report_bytes(_without_object(data, contents))
    assert _assert_named(report, intact) == {busiest}
    assert report.damaged_pages == (busiest,)  # the rest read whole: no page named for them
    assert "交叉引用表" in _damaged_checks(report)[0].rule  # and the rebuild is said


def test_a_deleted_tounicode_map_names_the_pages_of_its_font() -> None:
    data, _, intact = _intact(SAMPLE_PDF)
    pdf = pikepdf.open(io.BytesIO(data))
    busiest = Counter(f.page for f in intact.facts).most_common(1)[0][0]
    # the last of the page's fonts with a map: the report's text is not all in it
    font = [f for f in pdf.pages[busiest - 1].Resources.Font.values() if "/ToUnicode" in f][-1]
    users = {
        n
        for n, page in enumerate(pdf.pages, start=1)
        if any(f.objgen == font.objgen for f in page.Resources.Font.values())
    }
    report = parse_report_bytes(_without_object(data, font.ToUnicode.objgen[0]))
    _assert_named(report, intact)
    assert set(report.damaged_pages) == users


def test_a_broken_content_stream_in_a_rebuilt_file_names_only_its_page() -> None:
    data, _, intact = _intact(SAMPLE_PDF)
    busiest = Counter(f.page for f in intact.facts).most_common(1)[0][0]
    pdf = pikepdf.open(io.BytesIO(data))
    _break_flate(pdf.pages[busiest - 1].obj.Contents)
    buf = io.BytesIO()
    pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    broken = buf.getvalue()
    header = broken.index(b"\n") + 1
    report = parse_report_bytes(broken[:header] + b"%edited\n" + broken[header:])
    assert _assert_named(report, intact) == {busiest}
    assert report.damaged_pages == (busiest,)


@pytest.mark.parametrize(
    ("share", "loses"), [(0.3, True), (0.6, True), (0.9, True), (0.999, False)]
)
def test_a_truncated_file_names_what_it_lost(share: float, loses: bool) -> None:
    # cut at the end: qpdf finds the objects left, the pages that drew with the lost ones
    # (here fonts every page shares) are named; cut in the table only, nothing is lost
    data, _, intact = _intact(SAMPLE_PDF)
    report = parse_report_bytes(data[: int(len(data) * share)])
    if loses:
        _assert_named(report, intact)
    else:
        _assert_repaired(report, intact)


def test_a_truncated_incremental_update_reads_the_file_before_it() -> None:
    # cut inside the update: the file as it stood before the update is whole, and is read
    data, start, intact = _intact(SAMPLE_PDF)
    updated = _incremental_update(data, start, 0)
    report = parse_report_bytes(updated[: len(data) + 20])
    assert _pages_that_differ(report, intact) == set() and report.checks == intact.checks


def test_line_ends_converted_to_crlf_throughout_are_damage() -> None:
    # a transfer in text mode: every compressed stream loses its bytes, nothing can be read
    data, _, _ = _intact(SAMPLE_PDF)
    with pytest.raises(CorruptPdfError, match="已损坏"):
        parse_report_bytes(data.replace(b"\n", b"\r\n"))


# -- the cheap gate before the damage check (core/pdf/whole.py) ------------------------------


def _vouched(data: bytes) -> int | None:
    """What the gate says: the pages of a plainly whole file, or None (the full check runs)."""
    return plainly_whole(data, DEFAULT_LIMITS, DEFAULT_MAX_INFLATE, TEXT_COUNT_BYTES)


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_intact_files_pass_the_gate_with_pdfiums_page_count(path: Path) -> None:
    """Files written once by one program (ReportLab, LibreOffice, Chromium, WPS) need no
    full damage check: the gate vouches for them, with the pages PDFium reads."""
    from core.pdf import pdfium_backend

    data = path.read_bytes()
    vouched = _vouched(data)
    if path.name in ("error-corrupt.pdf", "error-encrypted.pdf", "error-not_pdf.pdf"):
        assert vouched is None
    else:
        assert vouched == len(pdfium_backend.read_pages(data, DEFAULT_LIMITS))


def test_each_kind_of_damage_the_full_check_names_is_refused_by_the_gate() -> None:
    pdf = pikepdf.open(DAMAGE_BASE)
    intact = _saved(pdf)
    assert _vouched(intact) == len(pdf.pages)  # saved afresh it passes: the damage is what fails
    _break_flate(pdf.pages[2].obj.Contents)
    assert _vouched(_saved(pdf)) is None
    data, start, lines = _with_xref_table(DAMAGE_BASE)
    assert _vouched(data) is not None
    entries = [i for i, ln in enumerate(lines) if re.fullmatch(rb"\d{10} \d{5} n ?\r?", ln)]
    moved = list(lines)
    moved[entries[4]] = b"%010d" % (int(lines[entries[4]][:10]) + 7) + lines[entries[4]][10:]
    assert _vouched(data[:start] + b"\n".join(moved)) is None
    tail = f"startxref\n{start}\n".encode()
    assert _vouched(data.replace(tail, f"startxref\n{start - 5}\n".encode())) is None


def test_a_reference_that_lands_on_another_kind_of_object_is_named() -> None:
    """One changed digit turns the page's font dictionary into a reference to a page: every
    reference is to an object the file holds, yet the full check finds no font there, and
    the gate does not vouch for the file."""
    data = SAMPLE_PDF.read_bytes()
    font_ref = re.search(rb"/Font (\d+) 0 R", data)
    assert font_ref is not None
    page = next(  # a page object numbered with as many digits: no offset moves
        m[1]
        for m in re.finditer(rb"(\d+) 0 obj\s*<<\s*/Contents", data)
        if len(m[1]) == len(font_ref[1])
    )
    broken = data.replace(font_ref[0], b"/Font %s 0 R" % page)
    assert broken != data and len(broken) == len(data)
    assert _vouched(broken) is None
    pages = extract_pages(broken)
    assert pages and all("font" in p.damage for p in pages)


@pytest.mark.parametrize(
    "path", [SAMPLE_PDF, FIXTURES / "office-libreoffice.pdf"], ids=lambda p: p.name
)
def test_the_gate_never_vouches_for_a_file_the_full_check_names(path: Path) -> None:
    """Seeded flips of 1–3 bytes outside the streams' data (where the gate's structural
    tests are) and anywhere: whenever the gate vouches for the file, the full check finds
    no damage on any page and no limit passed."""
    data = path.read_bytes()
    inside = bytearray(len(data))
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
        inside[m.start(1) : m.end(1)] = b"\x01" * (m.end(1) - m.start(1))
    structure = [i for i in range(len(data)) if not inside[i]]
    vouched = 0
    for seed in range(240):
        rng = random.Random(seed)
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            at = rng.choice(structure) if seed % 4 else rng.randrange(len(data))
            mutated[at] ^= 1 << rng.randrange(8)
        pages = _vouched(bytes(mutated))
        if pages is None:
            continue
        vouched += 1
        assert check_damage(bytes(mutated), DEFAULT_LIMITS).by_page(pages) == {}, seed
    assert 10 < vouched < 200  # both ways taken: flips the gate lets through, and refuses


@pytest.mark.parametrize("path", [DAMAGE_BASE, SAMPLE_PDF], ids=lambda p: p.name)
def test_flipped_bytes_are_never_silent(path: Path) -> None:
    """1–10 random bytes flipped: the result equals the intact file's, or carries the
    damaged check, or the file is refused with a typed error."""
    data = path.read_bytes()
    intact = _json(parse_report_bytes(data))
    outcomes: Counter[str] = Counter()
    for seed in range(25):
        rng = random.Random(seed)
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 10)):
            mutated[rng.randrange(len(mutated))] ^= 1 << rng.randrange(8)
        try:
            report = parse_report_bytes(bytes(mutated))
        except ReportError:
            outcomes["refused"] += 1
            continue
        if _json(report) == intact:
            outcomes["same"] += 1
        else:
            assert report.damaged_pages and _damaged_checks(report), f"seed {seed} is silent"
            outcomes["damaged"] += 1
    assert sum(outcomes.values()) == 25


def test_the_parse_command_imports_only_what_it_needs() -> None:
    import subprocess
    import sys

    code = (
        "import contextlib, io, sys\n"
        "from core.__main__ import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        # in this process (the worker does the same work behind the default isolation)
        f"    main(['parse', {str(SAMPLE_PDF)!r}, '--format', 'json', '--no-isolate'])\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=FIXTURES.parent.parent,
    )
    loaded = set(out.stdout.split())
    assert "core.pdf._pdfium_c" in loaded  # PDFium, bound directly: not pypdfium2's package
    top = {m.split(".")[0] for m in loaded}
    assert not top & {"pandas", "plotly", "streamlit", "pdfplumber", "pdfminer", "numpy"}
    # the sample is plainly whole (core/pdf/whole.py): the full damage check is not needed
    assert "pikepdf" not in top
    assert not top & {"pypdfium2", "pypdfium2_raw"}


def test_a_character_map_that_inflates_past_the_limit_is_too_large(tmp_path: Path) -> None:
    # a 1 GiB ToUnicode map in a 2 MB file: refused before PDFium parses it (it took 2 GB)
    from bench import hostile

    data = hostile.tounicode_bomb(tmp_path / "bomb.pdf").read_bytes()
    assert len(data) < 4 << 20
    with pytest.raises(TooLargeError, match="max_cmap_bytes"):
        extract_pages(data)


def test_every_report_is_within_the_character_map_limit() -> None:
    # the cap is far above real maps: every fixture and report reads as before
    for path in REPORTS:
        assert isinstance(_pages(path, "pdfium"), list), path.name
