"""ASCII85 in C (core/pdf/_glyphs.c ``a85decode``) decodes as Python's base64.a85decode does:
the same bytes, and on bad input the same error kind with the same words (the damage check
writes those words into the report: ``ASCII85Decode: Non-Ascii85 digit found: v``).

Compared on seeded random data encoded by Python (every length of the last group, ``z``
groups, PDF white space anywhere), on seeded random byte strings (mostly bad), and on the
edge cases one by one. The report-level tests (tests/test_reading.py) run the decoder the
install has; here both are run side by side.
"""

from __future__ import annotations

import base64
import random

import pytest
from test_glyphs_c import _c_module

from core.pdf import a85

WS = a85.PDF_WHITESPACE


def _outcome(decode, data: bytes) -> tuple[str, object]:
    try:
        return ("ok", decode(data))
    except Exception as exc:  # the kind and the words are what is compared
        return (type(exc).__name__, str(exc))


def _both(data: bytes) -> tuple[tuple[str, object], tuple[str, object]]:
    c = _c_module().a85decode
    return _outcome(lambda d: c(d, WS), data), _outcome(a85.python_a85decode, data)


def _sprinkle(rng: random.Random, text: bytes) -> bytes:
    """PDF white space put in at random places (never inside nothing: it is skipped)."""
    out = bytearray()
    for byte in text:
        if rng.random() < 0.1:
            out += bytes(rng.choice(WS) for _ in range(rng.randint(1, 3)))
        out.append(byte)
    if rng.random() < 0.5:
        out += bytes(rng.choice(WS) for _ in range(rng.randint(1, 3)))
    return bytes(out)


@pytest.mark.parametrize("seed", range(40))
def test_valid_data_decodes_alike(seed: int) -> None:
    rng = random.Random(seed)
    # every length mod 4 (the last group's 0–3 leftover bytes), runs of zero bytes ('z')
    size = rng.randint(0, 300)
    raw = bytearray(rng.getrandbits(8) for _ in range(size))
    for _ in range(rng.randint(0, 3)):
        at = rng.randint(0, len(raw))
        raw[at:at] = b"\0" * rng.choice((4, 8, 5, 3))
    encoded = _sprinkle(rng, base64.a85encode(bytes(raw)))
    c, py = _both(encoded)
    assert c == py
    assert py == ("ok", bytes(raw))


@pytest.mark.parametrize("seed", range(200))
def test_random_bytes_fail_or_decode_alike(seed: int) -> None:
    rng = random.Random(1000 + seed)
    alphabet = [*range(33, 118), ord("z"), *WS] * 3 + list(range(256))
    data = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
    c, py = _both(data)
    assert c == py


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b" \t\n\r\x0c\x00",
        b"z",
        b"zz  z",
        b"!",  # one digit: no byte
        b"!!",
        b"!!!",
        b"!!!!",
        b"!!!!!",
        b"s8W-!",  # 0xFFFFFFFF
        b's8W-"',  # 2**32: overflow
        b"uuuuu",
        b"uu",  # padded with 'u' it overflows
        b"!!z",  # a 'z' inside a group
        b"!!!!!z!",
        b"v",
        b"~",
        b"~>",
        b"\x80",
        b"\xff!!",
        b"!!\x0b!!",  # vertical tab: white space to Python's default, not to PDF
        b"y",  # only with foldspaces
        b"<~!!~>",
        b'87cURD]i,"Ebo80',
        b'87cURD]i,"Ebo8',
    ],
)
def test_edge_cases_alike(data: bytes) -> None:
    c, py = _both(data)
    assert c == py


def test_the_errors_are_value_errors_with_words() -> None:
    c = _c_module().a85decode
    for data, words in [
        (b"!!z", "z inside Ascii85 5-tuple"),
        (b's8W-"', "Ascii85 overflow"),
        (b"!v", "Non-Ascii85 digit found: v"),
    ]:
        with pytest.raises(ValueError, match=words):
            c(data, WS)


def test_the_decoder_in_use_falls_back_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _sprinkle(random.Random(7), base64.a85encode(bytes(range(256)) * 4 + b"\0" * 9))
    with_c = a85.a85decode(data)
    monkeypatch.setattr(a85, "_c_a85decode", None)
    assert a85.a85decode(data) == with_c == bytes(range(256)) * 4 + b"\0" * 9
    with pytest.raises(ValueError, match="Non-Ascii85 digit found: ~"):
        a85.a85decode(b"!!~!")
