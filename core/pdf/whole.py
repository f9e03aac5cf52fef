"""A cheap test that a PDF is plainly whole, so the full damage check need not run.

The full check (:mod:`core.pdf.damage`) opens the file with qpdf: importing pikepdf alone
costs ~0.04 s of CPU a process, as much as the rest of the check. Most files are written
once by one program and never touched: a plain cross-reference table whose every offset
lands on its object, every object well formed, every reference to an object that is there,
every stream of the length it says and, compressed, inflating to its end with a matching
checksum. Such a file has none of the damage the full check looks for, and the pages it
draws are small enough that the full check's size limits cannot be reached.

:func:`plainly_whole` tests exactly that, on the raw bytes, and is strict: anything it does
not know for certain (an xref stream or object streams, an incremental update, a filter
other than Flate, ASCII85 and ASCIIHex, a decode parameter, a form that draws a form, a
stream past the inflate bound, content past :data:`core.pdf.damage.TEXT_COUNT_BYTES` a page,
a byte it cannot place) sends the file to the full check. Stricter than the full check in
every respect (it decodes every stream, not only the ones a page draws), it never lets
through a file the full check would name; ``tests/test_reading.py`` holds it to that on
seeded byte flips.
"""

from __future__ import annotations

import re
import zlib

from core import regex
from core.pdf.a85 import a85decode
from core.pdf.limits import Limits

# PDF's white space and delimiters (PDF 32000-1, 7.2.2): ``\s`` is not PDF's white space
_WS = rb"[\x00\t\n\x0c\r ]"
_BLANK = b"\x00\t\n\x0c\r "
_REG = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
_END = rb"(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])"  # the token ends here
_BEGIN = rb"(?<![^\x00\t\n\x0c\r ()<>\[\]{}/%])"  # a token begins here
_REFSRC = rb"%s(\d+)%s+(\d+)%s+R%s" % (_BEGIN, _WS, _WS, _END)
_REFNC = rb"%s\d+%s+\d+%s+R%s" % (_BEGIN, _WS, _WS, _END)

_STARTXREF = regex.compile(rb"startxref%s+(\d+)%s+%%%%EOF%s*\Z" % (_WS, _WS, _WS))
_SUBSECTION = regex.compile(rb"(\d+) (\d+)[ \t]*\r?\n")
_ENTRY = regex.compile(rb"(\d{10}) (\d{5}) ([nf])(?: \r| \n|\r\n)")
_TRAILER = regex.compile(rb"trailer%s*<<(.*?)>>%s*startxref%s" % (_WS, _WS, _WS), re.DOTALL)
_HEAD = regex.compile(rb"(\d+) (\d+) obj%s" % _END)
_STREAM = regex.compile(rb">>%s*stream(?:\r\n|\n)" % _WS)
_END_STREAM = regex.compile(rb"(?:\r\n|\n|\r)?endstream%s+endobj" % _WS)
# PDF strings with at most one level of nested parentheses, and hex strings
_STRING = regex.compile(rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)", re.DOTALL)
_HEX = regex.compile(rb"(?<!<)<(?!<)[0-9A-Fa-f\x00\t\n\x0c\r ]*>")
# the tokens an object may hold once its strings are gone (no comments: no writer puts one
# inside an object, and a flipped byte that makes one hides the rest of its line); what is
# left after removing them is a byte the test cannot place
_TOKENS = regex.compile(
    rb"%s+|/%s*|<<|>>|\[|\]|(?:[+-]?(?:\d+\.?\d*|\.\d+)|true|false|null|R)%s" % (_WS, _REG, _END)
)
_REF = regex.compile(_REFSRC)
_TOK = regex.compile(rb"<<|>>|\[|\]|/%s*|%s+" % (_REG, _REG))
_NAME_ARRAY = regex.compile(rb"\[(?:%s*/%s+)*%s*\]" % (_WS, _REG, _WS))
_PAGES_KEY = regex.compile(rb"/Pages%s%s*%s" % (_END, _WS, _REFNC))
_KIDS_KEY = regex.compile(rb"/Kids%s%s*\[" % (_END, _WS))
_R = regex.compile(rb"%sR%s" % (_BEGIN, _END))
_LENGTH = regex.compile(rb"/Length%s+(\d+)%s(?:%s+(\d+)%s+R%s)?" % (_WS, _END, _WS, _WS, _END))
_FILTER = regex.compile(rb"/Filter%s*(/%s+|\[[^\]]*\])" % (_WS, _REG))
_NAME = regex.compile(rb"/%s+" % _REG)
_TYPE = regex.compile(rb"/Type%s*/(%s+)" % (_WS, _REG))
_IMAGE = regex.compile(rb"/Subtype%s*/Image%s" % (_WS, _END))
_FORM = regex.compile(rb"/Subtype%s*/Form%s" % (_WS, _END))
_CONTENTS = regex.compile(
    rb"/Contents%s*(?:(\d+)%s+(\d+)%s+R%s|\[([^\]]*)\])" % (_WS, _WS, _WS, _END)
)
_DO = regex.compile(rb"%sDo%s" % (_BEGIN, _END))
# a key whose value is a reference, a dictionary or an array: what it points at is checked
_KEY = regex.compile(rb"/([A-Za-z0-9]+)%s%s*(?=[<\[\d])" % (_END, _WS))
_ONE_REF = regex.compile(rb"%s*%s" % (_WS, _REFSRC))
_REF_ARRAY = regex.compile(rb"%s*\[((?:%s*%s)*)%s*\]" % (_WS, _WS, _REFNC, _WS))
_REF_DICT = regex.compile(rb"%s*<<((?:%s*/%s+%s*%s)*)%s*>>" % (_WS, _WS, _REG, _WS, _REFNC, _WS))
# what the full check reads through, and what each must point at (checked key by key)
_POINTS_AT = {
    b"Font": "fonts",
    b"XObject": "streams",
    b"DescendantFonts": "font list",
    b"FontDescriptor": "FontDescriptor",
    b"ToUnicode": "stream",
    b"FontFile": "stream",
    b"FontFile2": "stream",
    b"FontFile3": "stream",
    b"Contents": "stream",
    b"Resources": "dict",
    b"Kids": "page list",
    b"Pages": "Pages",
}

_FLATE = {b"/FlateDecode", b"/Fl"}
_A85 = {b"/ASCII85Decode", b"/A85"}
_AHX = {b"/ASCIIHexDecode", b"/AHx"}
_CODECS = {b"/DCTDecode", b"/JPXDecode", b"/JBIG2Decode", b"/CCITTFaxDecode"}
_CHUNK = 1 << 20
# output at a time of a stream inflated only to be checked
_CHUNK_OUT = 1 << 16


class _NotPlain(Exception):
    """Something the test cannot vouch for: the full check decides."""


def plainly_whole(data: bytes, limits: Limits, max_inflate: int, max_page_bytes: int) -> int | None:
    """The number of page objects when the file is plainly whole (see the module's note) and
    no page draws more than ``max_page_bytes`` of content (forms counted at each use), else
    None: the full check must run. Never raises."""
    try:
        return _plainly_whole(data, limits, max_inflate, max_page_bytes)
    except Exception:  # _NotPlain, and anything a byte it did not foresee could cause
        return None


def _plainly_whole(data: bytes, limits: Limits, max_inflate: int, max_page_bytes: int) -> int:
    objects, root = _xref(data)
    spans = sorted((off, num) for num, (_, off) in objects.items())
    bodies: dict[int, bytes] = {}
    streams: dict[int, tuple[bytes, bytes]] = {}  # num → (its dictionary, its raw data)
    for k, (off, num) in enumerate(spans):
        gen = objects[num][0]
        head = _HEAD.match(data, off)
        if head is None or int(head[1]) != num or int(head[2]) != gen:
            raise _NotPlain
        end = spans[k + 1][0] if k + 1 < len(spans) else len(data)
        found = _STREAM.search(data, head.end(), end)
        close = data.find(b"endobj", head.end(), end)
        if found is not None and (close < 0 or found.start() < close):
            streams[num] = (data[head.end() : found.start() + 2], data[found.end() : end])
        elif close < 0:
            raise _NotPlain
        else:
            bodies[num] = data[head.end() : close]
    texts = {num: _tokens(body) for num, body in bodies.items()}
    for num, (head_text, _) in streams.items():
        texts[num] = _tokens(head_text)
    for text in texts.values():
        for ref in _REF.finditer(text):
            entry = objects.get(int(ref[1]))
            if entry is None or entry[0] != int(ref[2]):
                raise _NotPlain  # a reference to an object the file does not hold
    types = {num: set(_TYPE.findall(text)) for num, text in texts.items()}
    # the page tree as qpdf finds it: the catalog's /Pages, each node's /Kids
    if b"Catalog" not in types.get(root, ()) or not _PAGES_KEY.search(texts[root]):
        raise _NotPlain
    if any(b"Pages" in kinds and not _KIDS_KEY.search(texts[n]) for n, kinds in types.items()):
        raise _NotPlain
    for text in texts.values():
        for key in _KEY.finditer(text):
            kind = _POINTS_AT.get(key[1])
            if kind is not None:
                _check_target(text, key.end(), kind, texts, types, streams)
    sizes: dict[int, int] = {}
    dos: dict[int, int] = {}
    forms: set[int] = set()
    # the streams whose decoded text is read (a page's contents, a form); any other (a font
    # program, a character map) is only inflated to its end, its output not kept
    drawn = {ref for num, text in texts.items() if num not in streams for ref in _contents(text)}
    for num, (_, rest) in streams.items():
        text = texts[num]
        lengths = _LENGTH.findall(text)
        if len(lengths) != 1:
            raise _NotPlain
        value, ref_gen = lengths[0]
        if ref_gen:
            body = texts.get(int(value), b"").strip()
            if not body.isdigit():
                raise _NotPlain
            length = int(body)
        else:
            length = int(value)
        if length > len(rest) or not _END_STREAM.match(rest, length):
            raise _NotPlain  # the stream is not the length it says
        raw = rest[:length]
        filters = _filters(text)
        if _IMAGE.search(text) and (filters & _CODECS or not filters - _FLATE):
            continue  # a picture: its damage is no text's (the full check skips it too)
        if b"/DecodeParms" in text or b"/DP" in text:
            raise _NotPlain
        names = _filter_list(text)
        form = _FORM.search(text) is not None
        if not form and num not in drawn and len(names) == 1 and names[0] in _FLATE:
            _inflates(raw, max_inflate)
            continue
        decoded = _decode(raw, names, max_inflate)
        sizes[num] = max(len(raw), len(decoded))
        if form:
            forms.add(num)
        dos[num] = len(_DO.findall(decoded)) if b"Do" in decoded else 0
    if any(dos.get(num) for num in forms):
        raise _NotPlain  # a form that draws forms: the full check counts each use
    largest_form = max((sizes[num] for num in forms), default=0)
    pages = 0
    for num, text in texts.items():
        if num in streams or b"Page" not in types[num]:
            continue
        pages += 1
        own, uses = 0, 0
        for target in _contents(text):
            if target not in sizes:
                raise _NotPlain  # contents that are no stream the test decoded
            own += sizes[target]
            uses += dos[target]
        if own + uses * largest_form > max_page_bytes or uses > limits.max_objects_per_page:
            raise _NotPlain
    if not pages or pages > limits.max_pages:
        raise _NotPlain
    return pages


def _contents(text: bytes) -> list[int]:
    """The streams an object's ``/Contents`` names (none when it has none)."""
    contents = _CONTENTS.search(text)
    if contents is None:
        return []
    return [int(contents[1])] if contents[1] else [int(r[0]) for r in _REF.findall(contents[3])]


def _refs(found: re.Match[bytes] | None) -> list[int]:
    if found is None:
        raise _NotPlain
    return [int(r[1]) for r in _REF.finditer(found[1])]


def _check_target(
    text: bytes,
    pos: int,
    kind: str,
    texts: dict[int, bytes],
    types: dict[int, set[bytes]],
    streams: dict[int, tuple[bytes, bytes]],
) -> None:
    """What the value at ``pos`` points at is of the ``kind`` the full check reads it as
    (:data:`_POINTS_AT`): a reference that is valid but lands on another kind of object (one
    flipped digit) reads as a missing font or page there."""
    one = _ONE_REF.match(text, pos)
    if kind in ("fonts", "streams"):  # a dictionary of references, or a reference to one
        if one is not None:
            target = texts.get(int(one[1]), b"")
            found = (
                _REF_DICT.fullmatch(target.strip(_BLANK)) if int(one[1]) not in streams else None
            )
        else:
            found = _REF_DICT.match(text, pos)
        for ref in _refs(found):
            if (kind == "fonts") == (ref in streams) or (
                kind == "fonts" and b"Font" not in types[ref]
            ):
                raise _NotPlain
    elif kind in ("font list", "page list"):  # an array of references
        wanted = {b"Font"} if kind == "font list" else {b"Page", b"Pages"}
        for ref in _refs(_REF_ARRAY.match(text, pos)):
            if ref in streams or not types[ref] & wanted:
                raise _NotPlain
    elif kind == "stream":  # a reference to a stream (contents: or an array of them)
        targets = [int(one[1])] if one is not None else _refs(_REF_ARRAY.match(text, pos))
        if any(ref not in streams for ref in targets):
            raise _NotPlain
    elif kind == "dict":  # a dictionary, or a reference to one
        if one is not None and (
            int(one[1]) in streams or not texts[int(one[1])].lstrip(_BLANK).startswith(b"<<")
        ):
            raise _NotPlain
    elif one is None or int(one[1]) in streams or kind.encode() not in types[int(one[1])]:
        raise _NotPlain  # a reference to an object of one /Type


def _xref(data: bytes) -> tuple[dict[int, tuple[int, int]], int]:
    """Object number → (generation, offset) of the objects in use, from the one plain
    cross-reference table ``startxref`` points at, and the catalog's number."""
    tail = _STARTXREF.search(data, max(0, len(data) - 1024))
    if tail is None:
        raise _NotPlain
    pos = int(tail[1])
    if not data.startswith(b"xref", pos):
        raise _NotPlain
    pos += 4
    while data[pos : pos + 1] in (b"\r", b"\n", b" "):
        pos += 1
    objects: dict[int, tuple[int, int]] = {}
    seen: set[int] = set()
    while True:
        sub = _SUBSECTION.match(data, pos)
        if sub is None:
            break
        first, count = int(sub[1]), int(sub[2])
        pos = sub.end()
        for num in range(first, first + count):
            entry = _ENTRY.match(data, pos)
            if entry is None or num in seen:
                raise _NotPlain
            seen.add(num)
            pos = entry.end()
            if entry[3] == b"n":
                if num == 0:
                    raise _NotPlain
                objects[num] = (int(entry[2]), int(entry[1]))
    trailer = _TRAILER.match(data, pos)
    if trailer is None:
        raise _NotPlain
    # ReportLab writes a comment in its trailer; objects it never comments
    text = _tokens(b"<<" + regex.sub(rb"%[^\r\n]*", b" ", trailer[1]) + b">>")
    if regex.search(rb"/(?:Prev|XRefStm|Encrypt)(?![^\s/<>\[\]()%{}])", text):
        raise _NotPlain
    size = regex.search(rb"/Size\s+(\d+)", text)
    root = regex.search(rb"/Root\s+(\d+)\s+(\d+)\s+R", text)
    if size is None or int(size[1]) != max(seen) + 1 or root is None:
        raise _NotPlain
    if objects.get(int(root[1]), (None,))[0] != int(root[2]):
        raise _NotPlain
    for ref in _REF.finditer(text):
        if objects.get(int(ref[1]), (None,))[0] != int(ref[2]):
            raise _NotPlain
    if any(off >= len(data) for _, off in objects.values()):
        raise _NotPlain
    return objects, int(root[1])


def _tokens(body: bytes) -> bytes:
    """An object's text with each string stood in for by ``null``, once every byte of it is
    a PDF token, every ``R`` ends a reference and the object is well formed
    (:func:`_grammar`); else :class:`_NotPlain`."""
    text = _HEX.sub(b" null ", _STRING.sub(b" null ", body))
    if _TOKENS.sub(b"", text):
        raise _NotPlain  # a byte that belongs to no token, or a string that does not close
    if len(_REF.findall(text)) != len(_R.findall(text)):
        raise _NotPlain  # an R that is no reference's
    _grammar(text)
    return text


def _grammar(text: bytes) -> None:
    """One PDF object (its strings stood in for by ``null``, its references checked): the
    dictionaries alternate name keys and values, and every dictionary and array closes."""
    stack: list[list[int]] = []  # [is a dictionary, items so far]
    top = 0
    for tok in _TOK.findall(_REF.sub(b" R ", text)):
        if tok == b">>" or tok == b"]":
            closes_dict = tok == b">>"
            if not stack or stack[-1][0] != closes_dict or (closes_dict and stack[-1][1] % 2):
                raise _NotPlain
            stack.pop()
            continue
        if stack:
            frame = stack[-1]
            if frame[0] and frame[1] % 2 == 0 and tok[:1] != b"/":
                raise _NotPlain  # a key that is no name
            frame[1] += 1
        else:
            top += 1
        if tok == b"<<" or tok == b"[":
            stack.append([tok == b"<<", 0])
    if stack or top != 1:
        raise _NotPlain


def _filter_list(text: bytes) -> list[bytes]:
    found = _FILTER.findall(text)
    if len(found) > 1:
        raise _NotPlain
    if found and found[0][:1] == b"[" and not _NAME_ARRAY.fullmatch(found[0]):
        raise _NotPlain  # a filter array that holds more than names
    return _NAME.findall(found[0]) if found else []


def _filters(text: bytes) -> set[bytes]:
    return set(_filter_list(text))


def _decode(raw: bytes, names: list[bytes], max_inflate: int) -> bytes:
    """Decode a stream's filters in turn, strictly; a Flate stream must end, and its
    checksum match, within ``max_inflate`` bytes."""
    data = raw
    for name in names:
        if name in _FLATE:
            data = _inflate(data, max_inflate)
        elif name in _A85:
            body = data.strip()
            body = body[2:] if body.startswith(b"<~") else body
            if not body.endswith(b"~>"):
                raise _NotPlain
            data = a85decode(body[:-2])
        elif name in _AHX:
            body, sep, _ = data.partition(b">")
            body = bytes(c for c in body if c not in b" \t\n\r\x0c\x00")
            if not sep or len(body) % 2:
                raise _NotPlain
            data = bytes.fromhex(body.decode("ascii"))
        else:
            raise _NotPlain
    return data


def _inflate(raw: bytes, max_inflate: int) -> bytes:
    inflater = zlib.decompressobj()
    out = inflater.decompress(raw, max_inflate + 1)
    if len(out) > max_inflate or not inflater.eof or inflater.unused_data.strip():
        raise _NotPlain  # past the bound, broken off, or more after its end
    return out


def _inflates(raw: bytes, max_inflate: int) -> None:
    """What :func:`_inflate` requires of a stream, its output dropped as it comes (a font
    program inflates to a few hundred KB that nothing reads)."""
    inflater = zlib.decompressobj()
    size = 0
    rest = raw
    while not inflater.eof:
        out = len(inflater.decompress(rest, _CHUNK_OUT))
        size += out
        if size > max_inflate:
            raise _NotPlain
        rest = inflater.unconsumed_tail
        if not rest and out < _CHUNK_OUT:  # all read, and nothing more held back
            break
    if not inflater.eof or inflater.unused_data.strip():
        raise _NotPlain
