"""Which pages the PDF could not be read whole on: damage is never silent.

PDFium reads through damage without a word: a content stream whose compressed data breaks
off is drawn as far as it goes, a font program that cannot be decoded is replaced, an object
the cross-reference table lost is taken as empty. Such a page gives other numbers than the
intact file, or fewer. So every stream a page draws with (its contents, its fonts' programs
and ToUnicode maps, its forms, recursively) is decoded once more here, through qpdf
(pikepdf), and a page any of whose streams fails to decode, or that refers to an object that
is not there, is named with the reason.

A cross-reference table that does not hold (an offset that points elsewhere, a ``startxref``
that misses, line ends converted to CRLF) makes readers rebuild the table by scanning the file
for objects. That alone loses nothing: an editor that shifted the offsets, or an incremental
update written with wrong ones, reads exactly as written. What a rebuild can lose is objects
(a truncated file, a deleted object) and whole pages; so the rebuilt file is judged by what
the pages draw with, as any file is: a reference to an object the file does not hold (qpdf
resolves it to null and hides the key, so the keys are read raw), a stream that does not
decode, a page the text layer found and qpdf did not. A rebuild that loses none of that
is said as a repair (:attr:`Damage.repaired`, a note, no page named); what it lost names its
pages. The text layer then reads the file as qpdf rebuilt it (:attr:`Damage.rebuilt`): each
reader rebuilds a table its own way, or follows a wrong offset without a word, and only the
objects judged here are vouched for.

Decoding is bounded: a Flate stream is inflated in chunks and given up (not counted as
damage) past :data:`DEFAULT_MAX_INFLATE` bytes, so a compression bomb costs little here.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass, field

from core.pdf.a85 import a85decode

# the sizes and notes a parse of a whole file needs without this check: defined beside the
# Limits and the Page, so that the parse does not import this module (~1 ms) to read them
from core.pdf.limits import (
    DEFAULT_MAX_INFLATE,
    TEXT_COUNT_BYTES,
    Limits,
    check_cmap,
    check_content,
    check_glyphs,
    check_objects,
    check_pages,
)
from core.pdf.page import XREF_REBUILT, XREF_REPAIRED

TYPE_CHECKING = False  # not typing's: importing typing costs ~2 ms a process, for annotations
if TYPE_CHECKING:
    from typing import Any

#: Raw size above which a stream with filters other than Flate is not judged (qpdf decodes
#: it whole in memory).
DEFAULT_MAX_OTHER = 8 << 20

_CHUNK = 1 << 20
# image codecs: a broken picture is no broken text, and decoding them is costly
_IMAGE_FILTERS = {"/DCTDecode", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode"}
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")

# qpdf's warnings when it gives up on the table and scans the file for objects instead
_XREF_WARNINGS = ("reconstruct cross-reference table", "xref not found")


@dataclass(frozen=True, slots=True)
class Damage:
    """What the damage check found: reasons by page, and one for every page."""

    pages: dict[int, str]
    """Page number (1-based) → why it could not be read whole."""
    found: int | None
    """Pages qpdf found (None when it could not open the file or read its page tree)."""
    every_page: str = ""
    """Why every page is damaged (the structure is broken), or ''."""
    repaired: str = ""
    """What the reader repaired (:data:`XREF_REPAIRED`), or ''; lost objects name their
    pages in :attr:`pages` all the same."""
    rebuilt: bytes = field(default=b"", repr=False)
    """The file as qpdf rebuilt its cross-reference table (:func:`_rewritten`), when it had
    to: what the text layer is to read."""

    def by_page(self, pages: int) -> dict[int, str]:
        """Page → reason for a file the text layer found ``pages`` pages in."""
        out = dict(self.pages)
        if self.found is not None and self.found < pages:  # pages qpdf could not find
            for number in range(self.found + 1, pages + 1):
                out[number] = "the page is missing from the page tree"
        if self.every_page:
            for number in range(1, pages + 1):
                out.setdefault(number, self.every_page)
        return out


def find_damage(data: bytes, pages: int) -> dict[int, str]:
    """Page number (1-based) → why it could not be read whole, for each damaged page of a
    file the text layer found ``pages`` pages in (:func:`check_damage`)."""
    return check_damage(data).by_page(pages)


def check_damage(data: bytes, limits: Limits | None = None) -> Damage:
    """Which pages cannot be read whole, and why. A file qpdf cannot open at all (while
    PDFium could) is damaged on every page.

    With ``limits``, every page is first measured (:func:`_check_size`): what it draws is
    refused by :class:`TooLargeError` before any text layer builds it.
    """
    import logging

    import pikepdf

    # qpdf's warnings on a broken file would reach standard error through logging's last resort
    logging.getLogger("pikepdf").addHandler(logging.NullHandler())

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        return Damage({}, None)  # encrypted: the backend has already said so
    except Exception as exc:
        return Damage({}, None, f"the file's structure is broken ({type(exc).__name__})")
    with pdf:
        seen: dict[tuple[int, int], str] = {}
        out: dict[int, str] = {}
        try:
            page_objs = list(pdf.pages)
        except Exception as exc:
            return Damage({}, None, f"the page tree is broken ({type(exc).__name__})")
        if limits is not None:
            check_pages(limits, len(page_objs))
            sizes: dict[tuple[int, int], int] = {}
            for number, page in enumerate(page_objs, start=1):
                _check_size(page.obj, number, limits, sizes)
        for number, page in enumerate(page_objs, start=1):
            why = _page_damage(page.obj, seen)
            if why:
                out[number] = why
        if not xref_rebuilt(pdf.get_warnings()):
            return Damage(out, len(page_objs))
        rebuilt = _rewritten(pdf)
        if not rebuilt:  # the text layer would read its own rebuild, unjudged
            return Damage(out, len(page_objs), XREF_REBUILT)
        return Damage(out, len(page_objs), "", XREF_REPAIRED, rebuilt)


def _rewritten(pdf: Any) -> bytes:
    """The file as qpdf rebuilt it, every stream byte for byte as found (a broken one stays
    broken), or b'' when it cannot be written. The text layer reads this, so it reads the
    very objects judged here: left to itself, PDFium loses a page whose offset points into
    another object, and pdfminer reads another object in its place, without a word."""
    import pikepdf

    buf = io.BytesIO()
    try:
        pdf.save(
            buf,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            compress_streams=False,
            object_stream_mode=pikepdf.ObjectStreamMode.preserve,
            fix_metadata_version=False,
        )
    except Exception:
        return b""
    return buf.getvalue()


def _lost(node: Any, key: str) -> bool:
    """Whether a dictionary's ``key`` refers to an object the file does not hold. qpdf
    resolves such a reference to null and then hides the key (``key in node`` is False):
    only the raw mapping still shows it."""
    import pikepdf

    if not isinstance(node, pikepdf.Dictionary) or key in node:
        return False
    try:
        raw = node.as_dict()
    except Exception:
        return False
    return key in raw and raw[key] is None


def xref_rebuilt(warnings: list[str]) -> bool:
    """Whether qpdf's warnings say it rebuilt the cross-reference table."""
    return any(w in str(text) for text in warnings for w in _XREF_WARNINGS)


#: Bytes a character code takes at most (PDF 32000-1, 9.7.6.2): a string of n bytes draws
#: n // 4 glyphs at least, whatever the font.
_MAX_CODE_BYTES = 4
_SHOW_OPERATORS = "Tj TJ ' \" Do"


def _check_size(page: Any, number: int, limits: Limits, sizes: dict[tuple[int, int], int]) -> None:
    """Refuse a page whose content streams inflate past the limit, or that draws more glyphs
    than allowed, before any text layer builds it. A form is drawn, so parsed and built, at
    each use: 40,000 uses of a form of one 30,000-glyph ``TJ`` (a 5 KB file) take PDFium past
    20 GB, and 50,000 uses of a form nested 20 deep, of no-op operators, 5 s and 1.2 GB; and PDFium's text page costs ~0.5 µs and ~250 bytes a glyph, so the 3 million
    glyphs one ``TJ`` can draw from a 4 KB file would take 1.4 s and 750 MB only to be
    refused afterwards.

    The content is measured with each form counted at each use (and the uses counted, at
    every depth, against the cap on objects); past
    :data:`TEXT_COUNT_BYTES` the glyphs are counted too, as a floor (a string's bytes over
    the longest character code). What a damaged page holds is judged as far as it can be
    read (its damage is named apart).
    """
    try:
        total, forms = _drawn_size(page, sizes, limits, depth=0, memo={})
    except Exception:
        return
    check_objects(limits, number, forms, at_least=True)
    check_content(limits, number, total)
    _check_cmaps(page, number, limits, sizes)
    if total <= TEXT_COUNT_BYTES:
        return
    try:
        floor = _glyph_floor(page, depth=0, memo={})
    except Exception:
        return
    check_glyphs(limits, number, floor, at_least=True)


def _check_cmaps(page: Any, number: int, limits: Limits, sizes: dict[tuple[int, int], int]) -> None:
    """Refuse a page whose fonts carry a character map (ToUnicode, an embedded encoding CMap)
    that inflates past the limit, before a text layer parses it whole."""
    import pikepdf

    resources = _inherited(page, "/Resources")
    fonts = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
    if not isinstance(fonts, pikepdf.Dictionary):
        return
    for name, font in fonts.items():
        if not isinstance(font, pikepdf.Dictionary):
            continue
        for key in ("/ToUnicode", "/Encoding"):
            stream = font.get(key)
            if not isinstance(stream, pikepdf.Stream):
                continue
            try:
                size = _decoded_size(stream, sizes)
            except Exception:  # a broken map is named by the damage check
                continue
            check_cmap(limits, number, str(name), size)


def _forms(node: Any, depth: int) -> dict[str, Any]:
    """The form XObjects a page (depth 0, resources inherited) or a form can draw, by name."""
    import pikepdf

    resources = _inherited(node, "/Resources") if depth == 0 else node.get("/Resources")
    if not isinstance(resources, pikepdf.Dictionary):
        return {}
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary):
        return {}
    return {
        str(name): x
        for name, x in xobjects.items()
        if isinstance(x, pikepdf.Stream) and x.get("/Subtype") == pikepdf.Name.Form
    }


def _drawn_size(
    node: Any, sizes: dict[tuple[int, int], int], limits: Limits, depth: int, memo: dict
) -> tuple[int, int]:
    """Decoded bytes a page or form draws (its content, and each form's at each use), and how
    many forms it draws (each use, at every depth, is one object PDFium builds)."""
    import pikepdf

    if depth == 0:
        own = 0
        if "/Contents" in node:
            contents = node.Contents
            streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
            own = sum(_decoded_size(s, sizes) for s in streams)
    else:
        own = _decoded_size(node, sizes)
    forms = _forms(node, depth)
    if not forms or depth > 8 or own > limits.max_content_bytes_per_page:
        return own, 0
    total, drawn = own, 0
    for instruction in pikepdf.parse_content_stream(node, "Do"):
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue
        form = forms.get(str(instruction.operands[0])) if instruction.operands else None
        if form is None:
            continue
        key = form.objgen
        if key not in memo:
            memo[key] = (0, 0)  # a form that draws itself draws nothing more
            memo[key] = _drawn_size(form, sizes, limits, depth + 1, memo)
        size, inner = memo[key]
        total += size
        drawn += 1 + inner
        if total > limits.max_content_bytes_per_page or drawn > limits.max_objects_per_page:
            break  # already past a limit: no need to go on
    return total, drawn


def _decoded_size(stream: Any, sizes: dict[tuple[int, int], int]) -> int:
    """A stream's decoded size, inflated in chunks and not past the inflate bound (a stream
    that would go further counts as one chunk over it)."""
    import pikepdf

    if not isinstance(stream, pikepdf.Stream):
        return 0
    key = stream.objgen
    if key != (0, 0) and key in sizes:
        return sizes[key]
    filters = stream.get("/Filter")
    names = (
        [str(f) for f in filters]
        if isinstance(filters, pikepdf.Array)
        else ([str(filters)] if filters is not None else [])
    )
    raw = stream.read_raw_bytes()
    if names in (["/FlateDecode"], ["/Fl"]):
        inflater = zlib.decompressobj()
        size, data = 0, raw
        try:
            while data and not inflater.eof and size <= DEFAULT_MAX_INFLATE:
                size += len(inflater.decompress(data, _CHUNK))
                data = inflater.unconsumed_tail
        except zlib.error:
            pass  # broken: named by the damage check; measured as far as it goes
    else:
        size = len(raw)  # no filter, or another chain: measured by its raw size
    sizes[key] = size
    return size


def _glyph_floor(node: Any, depth: int, memo: dict[tuple[int, int], int]) -> int:
    """Glyphs a page (or a form) draws at least: its text-showing strings' bytes over the
    longest character code, and each form it draws, as often as it draws it."""
    import pikepdf

    if depth > 8:
        return 0
    forms = _forms(node, depth)
    floor = 0
    for instruction in pikepdf.parse_content_stream(node, _SHOW_OPERATORS):
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue
        operands, op = instruction.operands, str(instruction.operator)
        if op == "Do":
            form = forms.get(str(operands[0])) if operands else None
            if form is not None:
                key = form.objgen
                if key not in memo:
                    memo[key] = 0  # a form that draws itself draws nothing more
                    memo[key] = _glyph_floor(form, depth + 1, memo)
                floor += memo[key]
            continue
        shown = operands[0] if op == "TJ" else operands[-1] if operands else None
        parts = list(shown) if isinstance(shown, pikepdf.Array) else [shown]
        floor += sum(
            len(bytes(p)) // _MAX_CODE_BYTES for p in parts if isinstance(p, pikepdf.String)
        )
    return floor


def _page_damage(page: Any, seen: dict[tuple[int, int], str]) -> str:
    """Why one page cannot be read whole, or ''."""
    import pikepdf

    try:
        if _inherited_lost(page, "/Resources"):
            return "its resources are missing"
        if _lost(page, "/Contents"):
            return "its content stream is missing"
        if "/Contents" in page:
            contents = page.Contents
            streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
            for s in streams:
                why = _stream_damage(s, seen, "content stream")
                if why:
                    return why
        resources = _inherited(page, "/Resources")
        return _resources_damage(resources, seen, depth=0) if resources is not None else ""
    except Exception as exc:  # qpdf gives up on a broken object: that is damage too
        return f"an object of the page cannot be read ({type(exc).__name__})"


def _inherited_lost(page: Any, key: str) -> bool:
    """Whether the page takes ``key`` from an object the file does not hold."""
    node, hops = page, 0
    while node is not None and hops < 64:
        if key in node:
            return False
        if _lost(node, key):
            return True
        node = node.get("/Parent")
        hops += 1
    return False


def _inherited(page: Any, key: str) -> Any:
    node, hops = page, 0
    while node is not None and hops < 64:
        if key in node:
            return node[key]
        node = node.get("/Parent")
        hops += 1
    return None


def _resources_damage(resources: Any, seen: dict[tuple[int, int], str], depth: int) -> str:
    import pikepdf

    if not isinstance(resources, pikepdf.Dictionary) or depth > 8:
        return ""
    for entry, what in (("/Font", "fonts"), ("/XObject", "XObjects")):
        if _lost(resources, entry):
            return f"its {what} are missing"
    fonts = resources.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary):
        for name, font in fonts.items():
            why = _font_damage(font, seen)
            if why:
                return f"font {name}: {why}"
    xobjects = resources.get("/XObject")
    if isinstance(xobjects, pikepdf.Dictionary):
        for name, xobj in xobjects.items():
            if xobj is None:  # a reference to an object the file has lost
                return f"XObject {name} is missing"
            if not isinstance(xobj, pikepdf.Stream):
                continue
            if xobj.get("/Subtype") != pikepdf.Name.Form:
                continue
            key = xobj.objgen
            if key in seen:
                if seen[key]:
                    return seen[key]
                continue
            seen[key] = ""
            why = (
                _stream_damage(xobj, seen, f"form {name}")
                or ("its resources are missing" if _lost(xobj.stream_dict, "/Resources") else "")
                or _resources_damage(xobj.get("/Resources"), seen, depth + 1)
            )
            seen[key] = why
            if why:
                return why
    return ""


def _font_damage(font: Any, seen: dict[tuple[int, int], str]) -> str:
    import pikepdf

    if not isinstance(font, pikepdf.Dictionary):
        return "the font object is missing"
    key = font.objgen
    if key != (0, 0) and key in seen:
        return seen[key]
    why = ""
    parts = [font]
    descendants = font.get("/DescendantFonts")
    if isinstance(descendants, pikepdf.Array):
        parts += [d for d in descendants if isinstance(d, pikepdf.Dictionary)]
        if len(parts) == 1:
            why = "its descendant font is missing"
    # what a font reads its glyphs and their text through: one the file lost is damage
    lost_keys = {
        "/DescendantFonts": "descendant font",
        "/ToUnicode": "ToUnicode map",
        "/Encoding": "encoding",
        "/FontDescriptor": "font descriptor",
        "/Widths": "widths",
    }
    for part in parts:
        if why:
            break
        lost = next((what for k, what in lost_keys.items() if _lost(part, k)), "")
        if lost:
            why = f"its {lost} is missing"
            break
        streams = [("ToUnicode map", part.get("/ToUnicode"))]
        encoding = part.get("/Encoding")
        if isinstance(encoding, pikepdf.Stream):
            streams.append(("encoding CMap", encoding))
        descriptor = part.get("/FontDescriptor")
        if isinstance(descriptor, pikepdf.Dictionary):
            lost = next((k for k in _FONT_FILES if _lost(descriptor, k)), "")
            if lost:
                why = "its font program is missing"
                break
            streams += [("font program", descriptor.get(k)) for k in _FONT_FILES]
        for what, stream in streams:
            if isinstance(stream, pikepdf.Stream):
                why = _stream_damage(stream, seen, what)
                if why:
                    break
    if key != (0, 0):
        seen[key] = why
    return why


def _stream_damage(stream: Any, seen: dict[tuple[int, int], str], what: str) -> str:
    """Why a stream cannot be decoded, or ''."""
    import pikepdf

    if not isinstance(stream, pikepdf.Stream):
        return f"its {what} is missing"
    key = stream.objgen
    if key != (0, 0) and key in seen:
        return seen[key]
    why = _decode_damage(stream)
    if why:
        why = f"its {what} cannot be decoded ({why})"
    if key != (0, 0):
        seen[key] = why
    return why


def _decode_damage(stream: Any) -> str:
    """Decode a stream's filters in turn; the text-bearing ones (ASCII85, ASCIIHex, Flate) are
    decoded here, strictly: qpdf and PDFium both let a Flate checksum that does not match
    pass, and that is just what one changed byte inside the compressed data gives."""
    import pikepdf

    filters = stream.get("/Filter")
    names = (
        [str(f) for f in filters]
        if isinstance(filters, pikepdf.Array)
        else ([str(filters)] if filters is not None else [])
    )
    if not names or _IMAGE_FILTERS & set(names):
        return ""
    data: bytes | None = stream.read_raw_bytes()
    for i, name in enumerate(names):
        assert data is not None
        last = i == len(names) - 1
        try:
            if name in ("/FlateDecode", "/Fl"):
                data, why = _inflate(data, keep=not last)
                if why:
                    return why
            elif name in ("/ASCII85Decode", "/A85"):
                body = data.strip()
                body = body[2:] if body.startswith(b"<~") else body
                body = body[:-2] if body.endswith(b"~>") else body
                data = a85decode(body)
            elif name in ("/ASCIIHexDecode", "/AHx"):
                body = bytes(data).split(b">", 1)[0]
                body = bytes(c for c in body if c not in b" \t\n\r\x0c\x00")
                data = bytes.fromhex((body + b"0" if len(body) % 2 else body).decode("ascii"))
            else:  # LZW, RunLength …: qpdf decodes the whole chain
                if len(stream.read_raw_bytes()) > DEFAULT_MAX_OTHER:
                    return ""
                stream.read_bytes()
                return ""
        except (ValueError, UnicodeDecodeError) as exc:
            return f"{name[1:]}: {str(exc)[:60]}"
        except pikepdf.PdfError as exc:
            return str(exc)[:80]
        if data is None:  # past the size this check goes to
            return ""
    return ""


def _inflate(raw: bytes, keep: bool) -> tuple[bytes | None, str]:
    """Inflate in chunks: (the data, when kept and within bounds; why it is damaged, or '').
    A zlib error, a wrong checksum, or data that ends before the stream does is damage."""
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    total = 0
    data = raw
    try:
        while data:
            out = inflater.decompress(data, _CHUNK)
            total += len(out)
            if total > DEFAULT_MAX_INFLATE:
                return None, ""
            if keep:
                parts.append(out)
            data = inflater.unconsumed_tail
            if inflater.eof:
                break
        if not inflater.eof:
            inflater.flush()
            return None, "FlateDecode: the compressed data breaks off"
    except zlib.error as exc:
        return None, f"FlateDecode: {exc}"
    return (b"".join(parts) if keep else b""), ""
