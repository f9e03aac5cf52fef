"""The PDFium text layer (pypdfium2's raw ctypes API): words and rules as pdfminer gives them.

PDFium does the parsing in C++; the per-glyph loop and the page-object walk run in C
(``core/pdf/_glyphs.c``, built at install where a C compiler is found) or, the same steps in
Python, as :func:`_glyphs`'s loop and :func:`_walk`, a handful of ctypes calls per glyph. What it takes
to give exactly the words and rules of the pdfminer backend:

- characters PDFium generates (``FPDFText_IsGenerated``: the spaces and line breaks it
  infers) are skipped with the other blanks; pdfminer's upright test is kept;
- a glyph's box: PDFium's loose box takes its height from the font's ascent and unites it
  with the glyph's ink, so the box is rebuilt as pdfminer builds it: from the glyph origin
  along the text matrix, the advance width, the font's descent and the font size;
- PDFium's coordinates are unrotated user space: the page's /Rotate and media box are
  applied as pdfminer applies them;
- rules: painted path objects, into form XObjects with their matrices composed, each subpath
  (split at a move-to) taken as pdfminer takes it, a Bézier segment by its end point;
- a hyphen that ends a text object followed by one on another line PDFium takes for a word
  broken over two lines and hands out as U+0002 (``FPDFText_IsHyphen``): it is given back as
  the "-" it was printed as (a dash for zero, at the end of a cell, when the content stream
  runs out of reading order);
- fonts with no ToUnicode map: PDFium hands out glyph numbers as characters and flags them
  (``FPDFText_HasUnicodeMapError``, asked once per text object); they are counted in
  :attr:`Page.unmapped`;
- PDFium is not thread-safe, even across documents: one process-wide lock is held from open
  to close, and pages and documents are closed explicitly inside it.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable
from dataclasses import replace

from core.errors import CorruptPdfError, EncryptedPdfError
from core.pdf import _pdfium_c as pdfium_c
from core.pdf.limits import Limits, check_glyphs, check_objects, check_pages
from core.pdf.lock import PDFIUM_LOCK
from core.pdf.page import XREF_REBUILT, Glyph, Page, Rule, shape_rules, words_from_glyphs

TYPE_CHECKING = False  # not typing's: importing typing costs ~2 ms a process, for annotations
if TYPE_CHECKING:
    from typing import Any

#: PDFium's process-wide lock (shared with every other PDFium user: core/pdf/lock.py)
_LOCK = PDFIUM_LOCK

# Affine map from PDF user space to the page as shown: x = a·px + c·py + e, top = b·px + d·py + f.
_Affine = tuple[float, float, float, float, float, float]

_MOVETO = pdfium_c.FPDF_SEGMENT_MOVETO
_BEZIERTO = pdfium_c.FPDF_SEGMENT_BEZIERTO
_TEXT = pdfium_c.FPDF_PAGEOBJ_TEXT
_PATH = pdfium_c.FPDF_PAGEOBJ_PATH
_IMAGE = pdfium_c.FPDF_PAGEOBJ_IMAGE
_FORM = pdfium_c.FPDF_PAGEOBJ_FORM

# once a page object or path segment: bare (objects come as Handle, indices as ints)
_page_object = pdfium_c.bare_PageGetObject
_object_type = pdfium_c.bare_ObjGetType
_count_segments = pdfium_c.bare_PathCountSegments
_segment = pdfium_c.bare_PathGetSegment
_segment_type = pdfium_c.bare_SegmentGetType
_segment_point = pdfium_c.bare_SegmentGetPoint


def _form_object(form: Any, i: int) -> Any:
    return pdfium_c.bare_FormGetObject(form, ctypes.c_ulong(i))


# once a glyph: bare prototypes (handles passed as c_void_p, see core.pdf._pdfium_c)
_unicode = pdfium_c.bare_GetUnicode
_is_hyphen = pdfium_c.bare_IsHyphen
_origin = pdfium_c.bare_GetCharOrigin
_loose = pdfium_c.bare_GetLooseCharBox
_text_object = pdfium_c.bare_GetTextObjectAddress
# once a text object or style: typed
_font_size = pdfium_c.bare_GetFontSize
_matrix = pdfium_c.bare_GetMatrix
_font = pdfium_c.bare_TextObjGetFont
# once a style: typed
_unmapped = pdfium_c.FPDFText_HasUnicodeMapError
_descent = pdfium_c.FPDFFont_GetDescent


def _c_loop() -> Any:
    """The C build of the per-glyph loop (``core/pdf/_glyphs.c``), bound to this process's
    PDFium; None where it was not built (no C compiler at install) or
    ``JUESUAN_GLYPH_LOOP=python`` asks for the Python loop."""
    if os.environ.get("JUESUAN_GLYPH_LOOP") == "python":
        return None
    try:
        from core.pdf import _glyphs
    except ImportError:
        return None
    _glyphs.bind(pdfium_c.glyph_loop_addresses())
    return _glyphs


#: The C loop, or None: the Python loop of :func:`_glyphs` gives the same glyphs, slower.
_c_glyphs = _c_loop()


def _c_walk_loop() -> bool:
    """Whether the C build has the page-object walk (a build older than its source has not:
    the Python walk runs), bound to this process's PDFium."""
    if _c_glyphs is None or not hasattr(_c_glyphs, "bind_walk"):
        return False
    _c_glyphs.bind_walk(
        pdfium_c.walk_addresses(), (_TEXT, _PATH, _IMAGE, _FORM, _MOVETO, _BEZIERTO)
    )
    return True


#: The page-object walk runs in C where the C loop (:data:`_c_glyphs`) is used and has it.
_c_walk = _c_walk_loop()


def read_pages(
    data: bytes,
    limits: Limits,
    on_page: Callable[[int, int], None] | None = None,
    on_read: Callable[[Page], None] | None = None,
) -> list[Page]:
    """Every page of the PDF, read under the process-wide PDFium lock; ``on_read(page)`` then
    ``on_page(read, total)`` are told after each page."""
    buf = ctypes.create_string_buffer(data, len(data))
    with _LOCK:
        doc = pdfium_c.FPDF_LoadMemDocument64(buf, len(data), None)
        if not doc:
            raise _open_error(pdfium_c.FPDF_GetLastError())
        try:
            n = pdfium_c.FPDF_GetPageCount(doc)
            check_pages(limits, n)
            pages = []
            for i in range(n):
                pages.append(_read_page(doc, i, limits))
                if on_read is not None:
                    on_read(pages[-1])
                if on_page is not None:
                    on_page(i + 1, n)
            if not pdfium_c.FPDF_DocumentHasValidCrossReferenceTable(doc):
                # PDFium rebuilt the table by scanning the file: every page may have read
                # other objects than were written
                pages = [p if p.damage else replace(p, damage=XREF_REBUILT) for p in pages]
            return pages
        finally:
            pdfium_c.FPDF_CloseDocument(doc)


class _TextUnreadable(Exception):
    """PDFium could not build the page's text."""


def _open_error(code: int) -> Exception:
    if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return EncryptedPdfError(
            "PDF 已加密，需要密码才能打开", "the PDF is encrypted: a password is needed to open it"
        )
    what = {
        pdfium_c.FPDF_ERR_FILE: "file not found or could not be opened",
        pdfium_c.FPDF_ERR_FORMAT: "not in PDF format or corrupted",
    }.get(code, f"PDFium error {code}")
    return CorruptPdfError(
        f"PDF 文件已损坏，无法完整读取（{what}）",
        f"the PDF is damaged and cannot be read through ({what})",
    )


def _page_affine(page: object) -> tuple[_Affine, float, float]:
    """User space → the page as pdfplumber shows it (rotation applied, top-left origin), with
    the shown width and height: pdfminer's rotation matrix, then pdfplumber's flip."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPage_GetMediaBox(page, left, bottom, right, top):
        right.value = pdfium_c.FPDF_GetPageWidthF(page)
        top.value = pdfium_c.FPDF_GetPageHeightF(page)
    x0, x1 = sorted((left.value, right.value))
    y0, y1 = sorted((bottom.value, top.value))
    rotate = pdfium_c.FPDFPage_GetRotation(page) % 4 * 90
    a, bb, c, d, e, f = {
        90: (0.0, -1.0, 1.0, 0.0, -y0, x1),
        180: (-1.0, 0.0, 0.0, -1.0, x1, y1),
        270: (0.0, 1.0, -1.0, 0.0, y1, -x0),
    }.get(rotate, (1.0, 0.0, 0.0, 1.0, -x0, -y0))
    nx0, ny0, nx1, ny1 = (y0, x0, y1, x1) if rotate in (90, 270) else (x0, y0, x1, y1)
    mb_height = ny1 - ny0
    mb_x, mb_top = nx0, mb_height - ny1
    height = (mb_height - ny0) - mb_top
    width = nx1 - nx0
    return (a, -bb, c, -d, e + mb_x, height - f + mb_top), width, height


def _read_page(doc: object, index: int, limits: Limits) -> Page:
    number = index + 1
    page = pdfium_c.FPDF_LoadPage(doc, index)
    if not page:
        return Page(number, 0.0, 0.0, (), (), 0, damage="PDFium could not load the page")
    try:
        affine, width, height = _page_affine(page)
        rules: list[Rule] = []
        counts = [0, 0]  # objects, images
        walked = None
        if _c_walk and _c_glyphs is not None:  # the walk in C: the same calls, shapes, counts
            walked = _c_glyphs.walk(page, affine, limits.max_objects_per_page)
        if walked is not None and walked[3]:  # past the cap: where the Python walk stops
            check_objects(limits, number, walked[1])
            walked = None
        if walked is not None:
            for points in walked[0]:
                shape_rules(rules, points)
            counts = [walked[1], walked[2]]
        else:  # no C build, or forms nested deeper than it follows
            _walk(
                pdfium_c.FPDFPage_CountObjects(page),
                _page_object,
                ctypes.c_void_p(page),
                None,
                affine,
                rules,
                counts,
                limits,
                number,
            )
        check_objects(limits, number, counts[0])
        try:
            glyphs, unmapped = _glyphs(page, affine, limits, number)
        except _TextUnreadable:
            return Page(
                number,
                width,
                height,
                (),
                tuple(rules),
                counts[1],
                damage="PDFium could not read the page's text",
            )
    finally:
        pdfium_c.FPDF_ClosePage(page)
    return Page(
        number=number,
        width=width,
        height=height,
        words=words_from_glyphs(glyphs),
        rules=tuple(rules),
        images=counts[1],
        unmapped=unmapped,
    )


def _compose(m: tuple[float, ...], outer: tuple[float, ...] | None) -> tuple[float, ...]:
    """The matrix m (PDF order a b c d e f) followed by outer."""
    if outer is None:
        return m
    a, b, c, d, e, f = m
    A, B, C, D, E, F = outer
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _walk(
    count: int,
    get: Callable[[Any, int], Any],
    owner: Any,
    outer: tuple[float, ...] | None,
    affine: _Affine,
    rules: list[Rule],
    counts: list[int],
    limits: Limits,
    number: int,
) -> None:
    """Rules and images of a list of page objects, into form XObjects."""
    fsm = pdfium_c.FS_MATRIX()
    counts[0] += count
    if counts[0] > limits.max_objects_per_page:
        check_objects(limits, number, counts[0])
    for i in range(count):
        obj = get(owner, i)
        kind = _object_type(obj)
        if kind == _TEXT:
            continue
        if kind == _IMAGE:
            counts[1] += 1
            continue
        if kind not in (_PATH, _FORM):
            continue
        pdfium_c.FPDFPageObj_GetMatrix(obj, fsm)
        m = _compose((fsm.a, fsm.b, fsm.c, fsm.d, fsm.e, fsm.f), outer)
        if kind == _FORM:
            _walk(
                pdfium_c.FPDFFormObj_CountObjects(obj),
                _form_object,
                obj,
                m,
                affine,
                rules,
                counts,
                limits,
                number,
            )
        else:
            _path_rules(obj, m, affine, rules)


def _path_rules(obj: object, m: tuple[float, ...], affine: _Affine, rules: list[Rule]) -> None:
    """The rules of one painted path: each subpath as pdfminer's shape of it."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = affine
    x, y = ctypes.c_float(), ctypes.c_float()
    px, py = ctypes.byref(x), ctypes.byref(y)
    pts: list[tuple[float, float]] = []
    bezier = 0
    for i in range(_count_segments(obj)):
        seg = _segment(obj, i)
        kind = _segment_type(seg)
        if kind == _BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue  # a control point: pdfminer keeps only a curve's end point
        else:
            bezier = 0
        if kind == _MOVETO and pts:
            shape_rules(rules, pts)
            pts = []
        _segment_point(seg, px, py)
        ux, uy = a * x.value + c * y.value + e, b * x.value + d * y.value + f
        pts.append((A * ux + C * uy + E, B * ux + D * uy + F))
    if len(pts) > 1:
        shape_rules(rules, pts)


#: Characters of the page's text that are asked for again one by one: PDFium's page text
#: puts U+FFFE where the character is a control one (its U+0002 for a line-breaking hyphen),
#: so controls, non-characters and surrogates there are not taken at their word.
_ASK = frozenset(
    chr(c) for r in (range(0x20), range(0x7F, 0xA0), range(0xD800, 0xE000)) for c in r
) | {"\ufffe", "\uffff"}


def _page_text(tpv: ctypes.c_void_p, n: int) -> str:
    """The page's n characters in one call (``FPDFText_GetText``), one a character index.

    PDFium leaves out of it the characters it cannot give as UTF-16 code units in one piece,
    so when what comes back is not n characters long, each is asked for in turn instead;
    the characters of :data:`_ASK` are asked for again by the caller.
    """
    if n <= 0:
        return ""
    buf = ctypes.create_string_buffer(2 * (n + 1))
    got = pdfium_c.FPDFText_GetText(tpv, 0, n, buf)
    text = buf.raw[: 2 * max(got - 1, 0)].decode("utf-16-le", "surrogatepass")
    if len(text) != n:
        text = "".join(chr(_unicode(tpv, i)) for i in range(n))
    return text


_UNSEEN = object()


def _glyphs(page: int, affine: _Affine, limits: Limits, number: int) -> tuple[list[Glyph], int]:
    """The page's upright glyphs as pdfminer boxes them, and how many have no Unicode.

    The page's characters come in one call (:func:`_page_text`); a glyph then costs three
    PDFium calls: its text object, origin and loose box; the rest comes from its text object
    once (:func:`_style`). The characters PDFium generates (``FPDFText_IsGenerated``) are
    spaces and line breaks only, so the whitespace test that drops blank glyphs drops them
    too, without a call of its own.
    """
    tp = pdfium_c.FPDFText_LoadPage(page)
    if not tp:
        raise _TextUnreadable
    try:
        tpv = ctypes.c_void_p(tp)
        n = pdfium_c.FPDFText_CountChars(tpv)
        check_glyphs(limits, number, n)
        text = _page_text(tpv, n)
        if _c_glyphs is not None:
            got: tuple[list[Glyph], int] = _c_glyphs.glyphs(tp, text, affine)
            return got
        A, B, C, D, E, F = affine
        ox, oy = ctypes.c_double(), ctypes.c_double()
        pox, poy = ctypes.byref(ox), ctypes.byref(oy)
        rect = pdfium_c.FS_RECTF()
        prect = ctypes.byref(rect)
        styles: dict[int, Any] = {}  # text object's address → its style (None: not upright)
        shared: dict[tuple, _Style | None] = {}  # many producers draw a text object a glyph
        fsm = pdfium_c.FS_MATRIX()
        pfsm = ctypes.byref(fsm)
        out: list[Glyph] = []
        append = out.append
        unmapped = 0
        for i, ch in enumerate(text):
            if ch in _ASK:
                ch = chr(_unicode(tpv, i))
            if ch.isspace():
                continue
            if ch == "\x02" and _is_hyphen(tpv, i):
                ch = "-"  # PDFium's mark for a hyphen it takes to break a line: it was printed
            address = _text_object(tpv, i)
            style = styles.get(address, _UNSEEN)
            if style is _UNSEEN:
                _matrix(tpv, i, pfsm)
                font = _font(pdfium_c.Handle(address)).value if address else None
                key = (fsm.a, fsm.b, fsm.c, fsm.d, _font_size(tpv, i), font)
                if key in shared:
                    style = shared[key]
                else:
                    style = shared[key] = _style(tpv, i, key, affine)
                styles[address] = style
            if style is None:  # not upright: pdfminer leaves it out of the words
                continue
            ux, uy, x_lo, x_hi, y_lo, y_hi, along_x, positive, no_unicode, level = style
            unmapped += no_unicode
            _origin(tpv, i, pox, poy)
            _loose(tpv, i, prect)
            px, py = ox.value, oy.value
            if level:  # most glyphs: the sums below with ax > 0 and ay a zero, in fewer steps
                ax = (rect.right - px) * ux
                if ax > 0:
                    tx, ty = A * px + C * py + E, B * px + D * py + F
                    append((tx + 0.0 + x_lo, tx + ax + x_hi, ty + 0.0 + y_lo, ty + 0.0 + y_hi, ch))
                    continue
            # the advance, from the loose box's far side along the text direction (the box is
            # the advance united with the glyph's ink, which rarely reaches past the advance)
            if along_x:
                adv = (rect.right if positive else rect.left) - px
            else:
                adv = (rect.top if positive else rect.bottom) - py
            tx, ty = A * px + C * py + E, B * px + D * py + F
            ax, ay = adv * ux, adv * uy
            append(
                (
                    tx + (ax if ax < 0 else 0.0) + x_lo,
                    tx + (ax if ax > 0 else 0.0) + x_hi,
                    ty + (ay if ay < 0 else 0.0) + y_lo,
                    ty + (ay if ay > 0 else 0.0) + y_hi,
                    ch,
                )
            )
        return out, unmapped
    finally:
        pdfium_c.FPDFText_ClosePage(tp)


# (ux, uy): the shown page's step for one unit of advance (as measured in user space along
# the text direction); x_lo..x_hi, y_lo..y_hi: the glyph box's extent from its origin across
# the text direction (descent to descent + size); along_x, positive: which side of the loose
# box ends the advance; no_unicode: 1 when the font maps the glyphs to no character; level:
# text that runs left to right along the shown page's x axis (uy a zero, ux > 0).
_Style = tuple[float, float, float, float, float, float, bool, bool, int, bool]


def _style(tpv: Any, i: int, key: tuple, affine: _Affine) -> _Style | None:
    """What glyphs of one matrix, font and size share, as pdfminer boxes a glyph (from glyph
    i, one of them); None when pdfminer would not count them upright."""
    ma, mb, mc, md, size, font = key
    A, B, C, D, _, _ = affine
    # pdfminer's upright test runs in its own space: the shown page with y up
    pa, pb = A * ma + C * mb, -(B * ma + D * mb)
    pc, pd = A * mc + C * md, -(B * mc + D * md)
    if not (pa * pd > 0 and pb * pc <= 0):
        return None
    desc = ctypes.c_float(0.0)
    if font:
        _descent(font, size, ctypes.byref(desc))
    along_x = abs(mb) <= abs(ma)
    lead = ma if along_x else mb  # user-space advance per unit along the measured axis
    positive = lead > 0
    # one unit measured along that axis is 1/lead of the text direction (ma, mb)
    ux, uy = (A * ma + C * mb) / lead, (B * ma + D * mb) / lead
    vx, vy = A * mc + C * md, B * mc + D * md  # the shown page's step across the text
    lo, hi = desc.value, desc.value + size
    return (
        ux,
        uy,
        min(lo * vx, hi * vx),
        max(lo * vx, hi * vx),
        min(lo * vy, hi * vy),
        max(lo * vy, hi * vy),
        along_x,
        positive,
        int(bool(_unmapped(tpv, i))),
        along_x and positive and uy == 0.0 and ux > 0,
    )
