"""Which pages the PDF could not be read whole on: damage is never silent.

PDFium reads through damage without a word: a content stream whose compressed data breaks
off is drawn as far as it goes, a font program that cannot be decoded is replaced, an object
the cross-reference table lost is taken as empty. Such a page gives other numbers than the
intact file, or fewer. So every stream a page draws with (its contents, its fonts' programs
and ToUnicode maps, its forms, recursively) is decoded once more here, through qpdf
(pikepdf), and a page any of whose streams fails to decode, or that refers to an object that
is not there, is named with the reason.

A cross-reference table that does not hold (an offset that points elsewhere, a ``startxref``
that misses) is damage too: readers rebuild the table by scanning the file for objects and
go on without a word, and what they rebuild need not be what was written. qpdf says so in its
warnings as it resolves the objects the pages use; every page is then named, the pages with
a reason of their own keeping it.

Decoding is bounded: a Flate stream is inflated in chunks and given up (not counted as
damage) past :data:`DEFAULT_MAX_INFLATE` bytes, so a compression bomb costs little here.
"""

from __future__ import annotations

import base64
import io
import zlib
from typing import Any

#: Bytes a stream is inflated to at most while checking it; beyond this it is not judged.
DEFAULT_MAX_INFLATE = 64 << 20

#: Raw size above which a stream with filters other than Flate is not judged (qpdf decodes
#: it whole in memory).
DEFAULT_MAX_OTHER = 8 << 20

_CHUNK = 1 << 20
# image codecs: a broken picture is no broken text, and decoding them is costly
_IMAGE_FILTERS = {"/DCTDecode", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode"}
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")

#: Why every page is named when the cross-reference table had to be rebuilt.
XREF_REBUILT = "the cross-reference table is broken and was rebuilt from the objects found (xref)"
# qpdf's warnings when it gives up on the table and scans the file for objects instead
_XREF_WARNINGS = ("reconstruct cross-reference table", "xref not found")


def find_damage(data: bytes, pages: int) -> dict[int, str]:
    """Page number (1-based) → why it could not be read whole, for each damaged page.

    A file qpdf cannot open at all (while PDFium could) is damaged on every page.
    """
    import logging

    import pikepdf

    # qpdf's warnings on a broken file would reach standard error through logging's last resort
    logging.getLogger("pikepdf").addHandler(logging.NullHandler())

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        return {}  # encrypted: the backend has already said so
    except Exception as exc:
        why = f"the file's structure is broken ({type(exc).__name__})"
        return dict.fromkeys(range(1, pages + 1), why)
    with pdf:
        seen: dict[tuple[int, int], str] = {}
        out: dict[int, str] = {}
        try:
            page_objs = list(pdf.pages)
        except Exception as exc:
            why = f"the page tree is broken ({type(exc).__name__})"
            return dict.fromkeys(range(1, pages + 1), why)
        for number, page in enumerate(page_objs, start=1):
            why = _page_damage(page.obj, seen)
            if why:
                out[number] = why
        if len(page_objs) < pages:  # pages PDFium found that qpdf could not
            for number in range(len(page_objs) + 1, pages + 1):
                out[number] = "the page is missing from the page tree"
        if xref_rebuilt(pdf.get_warnings()):
            for number in range(1, pages + 1):
                out.setdefault(number, XREF_REBUILT)
        return out


def xref_rebuilt(warnings: list[str]) -> bool:
    """Whether qpdf's warnings say it rebuilt the cross-reference table."""
    return any(w in str(text) for text in warnings for w in _XREF_WARNINGS)


def _page_damage(page: Any, seen: dict[tuple[int, int], str]) -> str:
    """Why one page cannot be read whole, or ''."""
    import pikepdf

    try:
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
            why = _stream_damage(xobj, seen, f"form {name}") or _resources_damage(
                xobj.get("/Resources"), seen, depth + 1
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
    for part in parts:
        if why:
            break
        streams = [("ToUnicode map", part.get("/ToUnicode"))]
        encoding = part.get("/Encoding")
        if isinstance(encoding, pikepdf.Stream):
            streams.append(("encoding CMap", encoding))
        descriptor = part.get("/FontDescriptor")
        if isinstance(descriptor, pikepdf.Dictionary):
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
                data = base64.a85decode(body, ignorechars=b" \t\n\r\x0c\x00")
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
