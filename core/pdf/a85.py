"""ASCII85 (a stream's ``/ASCII85Decode`` filter) decoded in C where the install built
``core/pdf/_glyphs.c``: Python's :func:`base64.a85decode` takes ~0.1 µs a byte, ~4 ms of the
bundled sample's parse (reportlab writes ASCII85 streams), the C one ~0.06 ms. Both give the
same bytes and raise the same :class:`ValueError` on the same input (``tests/test_a85.py``)."""

from __future__ import annotations

import os
from collections.abc import Callable

#: PDF's white space (PDF 32000-1, 7.2.2), skipped inside ASCII85 data
PDF_WHITESPACE = b" \t\n\r\x0c\x00"


def python_a85decode(data: bytes) -> bytes:
    """:func:`base64.a85decode` skipping PDF white space (the fallback of :func:`a85decode`)."""
    import base64

    return base64.a85decode(data, ignorechars=PDF_WHITESPACE)


def _c_build() -> Callable[[bytes, bytes], bytes] | None:
    """The C build's decoder, or None where it was not built (or is older than it) or
    ``JUESUAN_GLYPH_LOOP=python`` asks for Python throughout."""
    if os.environ.get("JUESUAN_GLYPH_LOOP") == "python":
        return None
    try:
        from core.pdf import _glyphs
    except ImportError:
        return None
    return getattr(_glyphs, "a85decode", None)


_c_a85decode = _c_build()


def a85decode(data: bytes) -> bytes:
    """ASCII85 data (without its ``<~``/``~>`` marks) decoded, PDF white space skipped;
    :class:`ValueError` on a byte that is no ASCII85 digit, a ``z`` inside a group, or a
    group past 2**32 - 1, with :func:`base64.a85decode`'s words."""
    if _c_a85decode is not None:
        return _c_a85decode(data, PDF_WHITESPACE)
    return python_a85decode(data)
