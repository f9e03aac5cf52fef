"""OCR for pages with no text layer: the same :class:`Page` records the text layers give.

A page that holds an image and no text (a scan) is rendered with pypdfium2 at
:data:`DEFAULT_DPI` and read by RapidOCR (PP-OCR detection and recognition on ONNX Runtime,
models shipped inside the ``rapidocr_onnxruntime`` wheel: nothing is downloaded at run time).
Each recognised text box becomes :class:`Word` records in PDF points, split where the printed
text has a space or where a vertical table rule crosses the box (a detection box may run over
two cells), and carrying the recognition score as :attr:`Word.confidence`. Table rules come
from the image itself: long thin runs of ink, found by morphological opening with a long
horizontal or vertical kernel, so locate → layout → parse read a scan on the same path as a
text layer.

The page's image is first straightened: a scan fed in a degree askew would otherwise give
rules that step from row to row.
"""

from __future__ import annotations

import ctypes
import functools
import threading
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from core.pdf.page import Page, Rule, Word, normalize_text

#: Render resolution. At 200 dpi every amount of the sample and of the corpus report is read
#: to the cent (bench/ocr_bench.py measures 150, 200 and 300); 150 loses thin digits, 300
#: doubles the time for nothing more.
DEFAULT_DPI = 200

#: A rule is a run of ink at least this long (PDF points): longer than any glyph stroke.
RULE_MIN_PT = 24.0

#: ... and no thicker than this (points): a filled bar or a bold glyph is no rule.
RULE_MAX_THICK_PT = 2.5

#: Below this recognition score a box is dropped as noise (RapidOCR's own default is 0.5).
MIN_SCORE = 0.5

_LOCK = threading.Lock()

#: Called with (pages done, pages to do) after each OCR'd page.
OnPage = Callable[[int, int], None]


@functools.lru_cache(maxsize=1)
def _engine() -> Any:
    """The RapidOCR engine, built once per process (loading its models takes about a second)."""
    from rapidocr_onnxruntime import RapidOCR

    # no downscaling of the rendered page (RapidOCR caps the long side at 2000 px by default,
    # which would throw away the resolution chosen here); no angle classifier: report pages
    # are upright, and the classifier only adds time
    return RapidOCR(
        params={
            "Global.max_side_len": 5000,
            "Global.use_cls": False,
            "Global.text_score": MIN_SCORE,
        }
    )


def read_pages(
    data: bytes,
    numbers: Iterable[int],
    dpi: int = DEFAULT_DPI,
    on_page: OnPage | None = None,
) -> dict[int, Page]:
    """OCR the given 1-based pages of the PDF: page number → :class:`Page` (``ocr`` set)."""
    import pypdfium2 as pdfium

    from core.pdf.pdfium_backend import _LOCK as PDFIUM_LOCK

    wanted = sorted(set(numbers))
    out: dict[int, Page] = {}
    for done, number in enumerate(wanted, start=1):
        # PDFium is not thread-safe: render under the text layer's lock, OCR outside it
        with PDFIUM_LOCK:
            doc = pdfium.PdfDocument(ctypes.create_string_buffer(data, len(data)))
            try:
                page = doc[number - 1]
                width, height = page.get_size()
                rotation = page.get_rotation()
                pixels = page.render(scale=dpi / 72, grayscale=True).to_numpy()
                gray = np.array(pixels[:, :, 0] if pixels.ndim == 3 else pixels)
                page.close()
            finally:
                doc.close()
        if rotation in (90, 270):
            width, height = height, width
        out[number] = ocr_image(gray, number, width, height, dpi)
        if on_page is not None:
            on_page(done, len(wanted))
    return out


def ocr_image(gray: np.ndarray, number: int, width: float, height: float, dpi: int) -> Page:
    """One page image (8-bit grey, ``dpi`` pixels per inch) → a :class:`Page` in PDF points."""
    gray = deskew(gray)
    scale = 72.0 / dpi
    rules = image_rules(gray, scale)
    with _LOCK:
        result, _ = _engine()(np.dstack([gray] * 3))
    words: list[Word] = []
    for box, text, score in result or ():
        xs = [p[0] * scale for p in box]
        ys = [p[1] * scale for p in box]
        words += split_box(
            normalize_text(str(text)),
            min(xs),
            max(xs),
            min(ys),
            max(ys),
            float(score),
            rules,
        )
    return Page(
        number=number,
        width=width,
        height=height,
        words=tuple(words),
        rules=rules,
        images=1,
        ocr=True,
    )


def deskew(gray: np.ndarray, max_degrees: float = 3.0) -> np.ndarray:
    """The page turned upright when its long rules or text lines run at a small angle.

    The angle is the one at which the rows' ink profile is sharpest (the variance of the row
    sums peaks when every line of text or rule lies in one pixel row), searched within
    ±``max_degrees`` on a reduced copy; no turn below 0.1°."""
    import cv2

    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    ink = (255 - small).astype(np.float32)
    h, w = ink.shape
    centre = (w / 2, h / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)
        return float(np.var(turned.sum(axis=1)))

    best = max(np.arange(-max_degrees, max_degrees + 0.01, 0.5), key=sharpness)
    fine = max(np.arange(best - 0.5, best + 0.51, 0.1), key=sharpness)
    if abs(fine) < 0.1 or sharpness(fine) <= sharpness(0.0) * 1.02:
        return gray
    H, W = gray.shape
    m = cv2.getRotationMatrix2D((W / 2, H / 2), float(fine), 1.0)
    return cv2.warpAffine(gray, m, (W, H), flags=cv2.INTER_LINEAR, borderValue=255)


def image_rules(gray: np.ndarray, scale: float) -> tuple[Rule, ...]:
    """Horizontal and vertical table rules drawn in the image (PDF points): runs of ink at
    least :data:`RULE_MIN_PT` long and at most :data:`RULE_MAX_THICK_PT` thick."""
    import cv2

    ink = np.where(gray < 160, 255, 0).astype(np.uint8)
    length = max(8, round(RULE_MIN_PT / scale))
    thick = max(2.0, RULE_MAX_THICK_PT / scale)
    rules: list[Rule] = []
    for horizontal in (True, False):
        size = (length, 1) if horizontal else (1, length)
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, size)
        runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        n, _, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
        for x, y, w, h, area in stats[1:n]:
            extent, across = (w, h) if horizontal else (h, w)
            if extent < length or area / extent > thick:
                continue
            if horizontal:
                rules.append(Rule(True, (y + h / 2) * scale, x * scale, (x + w) * scale))
            else:
                rules.append(Rule(False, (x + w / 2) * scale, y * scale, (y + h) * scale))
    return tuple(rules)


def _char_width(ch: str) -> float:
    """A character's width relative to a CJK glyph: Latin letters, digits and ASCII
    punctuation are about half as wide."""
    return 0.5 if ord(ch) < 0x2E80 else 1.0


def split_box(
    text: str,
    x0: float,
    x1: float,
    top: float,
    bottom: float,
    score: float,
    rules: tuple[Rule, ...],
) -> list[Word]:
    """One recognised text box → words: split at spaces and where a vertical rule crosses
    the box, each piece placed by its characters' share of the box's width."""
    if not text.strip():
        return []
    yc = (top + bottom) / 2
    cuts = sorted(
        r.pos
        for r in rules
        if not r.horizontal and x0 + 2 < r.pos < x1 - 2 and r.start <= yc <= r.end
    )
    widths = [_char_width(c) for c in text]
    total = sum(widths) or 1.0
    step = (x1 - x0) / total
    words: list[Word] = []
    run = ""
    run_x0 = x0

    def close(end: float) -> None:
        nonlocal run
        if run.strip():
            words.append(Word(run.strip(), run_x0, end, top, bottom, confidence=score))
        run = ""

    pos = x0
    for ch, w in zip(text, widths, strict=True):
        right = pos + w * step
        if ch.isspace():
            close(pos)
            run_x0 = right
        elif cuts and pos >= cuts[0] - 0.5 * w * step:
            close(pos)
            while cuts and pos >= cuts[0] - 0.5 * w * step:
                cuts.pop(0)
            run_x0 = pos
            run = ch
        else:
            if not run:
                run_x0 = pos
            run += ch
        pos = right
    close(x1)
    return words


__all__ = ["DEFAULT_DPI", "deskew", "image_rules", "ocr_image", "read_pages", "split_box"]
