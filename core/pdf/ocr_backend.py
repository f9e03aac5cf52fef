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
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from core import regex
from core.errors import ScannedPdfError
from core.pdf.page import Page, Rule, Word, normalize_text

#: Render resolution. At 200 dpi every amount of the sample and of the corpus report is read
#: to the cent (bench/ocr_bench.py measures 150, 200 and 300); 150 loses thin digits, 300
#: doubles the time for nothing more.
DEFAULT_DPI = 200

#: Scans coarser than this are not read: the bench's lowest resolution is 150 dpi, and at
#: 60 dpi names come out garbled though most digits survive (a little under 150 is allowed
#: for a page size rounded by the scanner).
MIN_SCAN_DPI = 140

#: A rule is a run of ink at least this long (PDF points): longer than any glyph stroke.
RULE_MIN_PT = 24.0

#: ... and no thicker than this (points): a filled bar or a bold glyph is no rule.
RULE_MAX_THICK_PT = 2.5

#: Below this recognition score a box is dropped as noise (RapidOCR's own default is 0.5).
MIN_SCORE = 0.5

_LOCK = threading.Lock()

#: Called with (pages done, pages to do) after each OCR'd page.
OnPage = Callable[[int, int], None]


def ocr_threads() -> int:
    """ONNX Runtime threads per model: the cores the machine's load leaves idle (1-minute
    load average, rounded), at least one.

    Measured with bench/ocr_bench.py --threads on the 2-core machine under a load average of
    20–25 (four sample pages at 200 dpi): 85 s a page with one thread, 71 with two, 52 with
    two page processes of one thread each; 9–10 CPU seconds a page every way, 0.8 GB peak a
    process (1.6 GB for two). On a busy machine the extra threads or processes are faster
    only by taking a larger share of the CPU from everyone else's work, so one thread it is;
    on idle cores a second thread costs no one anything. Page processes are not used: they
    double the memory of one upload for the same gain. The worker also lowers its priority
    (nice 19) once it has run a few seconds, so a long scan yields to other sessions."""
    cores = os.cpu_count() or 1
    try:
        idle = cores - os.getloadavg()[0]
    except OSError:
        idle = 0.0
    return max(1, min(cores, round(idle)))


@functools.lru_cache(maxsize=1)
def _engine() -> Any:
    """The RapidOCR engine, built once per process (loading its models takes about a second)."""
    from rapidocr_onnxruntime import RapidOCR

    threads = ocr_threads()

    # no downscaling of the rendered page (RapidOCR caps the long side at 2000 px by default,
    # which would throw away the resolution chosen here); no angle classifier: report pages
    # are upright, and the classifier only adds time
    return RapidOCR(
        params={
            "Global.max_side_len": 5000,
            "Global.use_cls": False,
            "Global.text_score": MIN_SCORE,
            "Global.intra_op_num_threads": threads,
            "Global.inter_op_num_threads": 1,
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

    from core.pdf.lock import PDFIUM_LOCK

    wanted = sorted(set(numbers))
    out: dict[int, Page] = {}
    coarse: dict[int, float] = {}
    buffer = ctypes.create_string_buffer(data, len(data))  # one copy for every page
    # one page at a time: its image is released before the next is rendered, so memory
    # holds one page's pixels whatever the number of pages
    for done, number in enumerate(wanted, start=1):
        # PDFium is not thread-safe: render under the text layer's lock, OCR outside it
        with PDFIUM_LOCK:
            doc = pdfium.PdfDocument(buffer)
            try:
                page = doc[number - 1]
                scanned_at = _image_dpi(page)
                pixels = None
                if scanned_at >= MIN_SCAN_DPI:
                    pixels = page.render(scale=dpi / 72, grayscale=True).to_numpy()
                page.close()
            finally:
                doc.close()
        if pixels is None:
            coarse[number] = scanned_at
        else:
            gray = np.array(pixels[:, :, 0] if pixels.ndim == 3 else pixels)
            # the rendered bitmap is the page as shown (rotation applied): its size in points
            h, w = gray.shape
            out[number] = ocr_image(gray, number, w * 72 / dpi, h * 72 / dpi, dpi)
            del gray
        pixels = None
        if on_page is not None:
            on_page(done, len(wanted))
    if coarse and not out:
        worst = round(max(coarse.values()))
        raise ScannedPdfError(
            f"PDF 是扫描件，但图片分辨率太低（约 {worst} dpi，至少需要 {MIN_SCAN_DPI} dpi），"
            "无法可靠识别其中的数字",
            f"the PDF is a scan at too low a resolution (about {worst} dpi; at least "
            f"{MIN_SCAN_DPI} dpi is needed) to read its numbers reliably",
        )
    return out


def _image_dpi(page: Any) -> float:
    """The resolution the page's largest image is placed at (pixels per inch on the page):
    what the scanner gave, whatever the resolution it is rendered at here."""
    import pypdfium2 as pdfium

    best, dpi = 0, 0.0
    for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        meta = obj.get_metadata()
        pixels = meta.width * meta.height
        if pixels > best:
            best, dpi = pixels, min(meta.horizontal_dpi, meta.vertical_dpi)
    return dpi


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
            ocr_text(str(text)),
            min(xs),
            max(xs),
            min(ys),
            max(ys),
            float(score),
            rules,
        )
    words += _missed_cells(gray, scale, rules, words)
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
                rules.append(
                    Rule(True, float((y + h / 2) * scale), float(x * scale), float((x + w) * scale))
                )
            else:
                rules.append(
                    Rule(
                        False, float((x + w / 2) * scale), float(y * scale), float((y + h) * scale)
                    )
                )
    return tuple(rules)


def _missed_cells(
    gray: np.ndarray, scale: float, rules: tuple[Rule, ...], words: list[Word]
) -> list[Word]:
    """Words in table cells the detector left out (it now and then drops a short word, such
    as 总计 in a row of its own): each grid cell's ink outside every recognised box, one crop
    per line of ink, read by the recogniser alone."""
    rows = _merge(sorted(r.pos for r in rules if r.horizontal))
    verticals = [r for r in rules if not r.horizontal]
    if len(rows) < 2 or len(verticals) < 2:
        return []
    ink = gray < 160
    covered = np.zeros_like(ink)
    pad = 1.0 / scale  # a point around each box
    for w in words:
        covered[
            max(0, int(w.top / scale - pad)) : int(w.bottom / scale + pad) + 1,
            max(0, int(w.x0 / scale - pad)) : int(w.x1 / scale + pad) + 1,
        ] = True
    free = ink & ~covered
    crops: list[tuple[np.ndarray, tuple[float, float, float, float]]] = []
    margin = 3  # pixels inside the rules: the rule's own ink is no text
    for top, bottom in zip(rows, rows[1:], strict=False):
        yc = (top + bottom) / 2
        cols = _merge(sorted(v.pos for v in verticals if v.start <= yc <= v.end))
        for left, right in zip(cols, cols[1:], strict=False):
            y0, y1 = int(top / scale) + margin, int(bottom / scale) - margin
            x0, x1 = int(left / scale) + margin, int(right / scale) - margin
            if y1 - y0 < 6 or x1 - x0 < 6:
                continue
            cell = free[y0:y1, x0:x1]
            if cell.sum() < 40:  # specks and JPEG noise
                continue
            for a, b in _runs(np.asarray(cell.any(axis=1))):
                if b - a < 6:
                    continue
                xs = np.flatnonzero(cell[a:b].any(axis=0))
                box = (x0 + xs[0] - 2, y0 + a - 2, x0 + xs[-1] + 3, y0 + b + 2)
                crop = gray[box[1] : box[3], box[0] : box[2]]
                placed = (box[0] * scale, box[1] * scale, box[2] * scale, box[3] * scale)
                crops.append((np.dstack([crop] * 3), placed))
    if not crops:
        return []
    with _LOCK:
        read, _ = _engine().text_rec([c for c, _ in crops])
    out: list[Word] = []
    for (text, score), (_, (bx0, btop, bx1, bbottom)) in zip(read, crops, strict=True):
        if float(score) >= MIN_SCORE:
            out += split_box(ocr_text(str(text)), bx0, bx1, btop, bbottom, float(score), rules)
    return out


def _merge(positions: list[float], within: float = 2.0) -> list[float]:
    """Sorted positions with those closer than ``within`` points taken as one."""
    out: list[float] = []
    for p in positions:
        if not out or p - out[-1] > within:
            out.append(p)
    return out


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True."""
    padded = np.concatenate([[False], flags, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


_CJK = "[\u3400-\u9fff]"
_HALF_WIDTH_RE = regex.compile(rf"[()]|(?<={_CJK}):")
_FULL_WIDTH = {"(": "（", ")": "）", ":": "："}


def ocr_text(text: str) -> str:
    """Recognised text as the reports print it: the recogniser gives ASCII brackets and
    colons where a Chinese line has full-width ones (（室）, 其中：), so a row name would not
    match the text layer's; amounts and codes keep theirs."""
    text = normalize_text(text)
    if not regex.search(_CJK, text):
        return text
    return _HALF_WIDTH_RE.sub(lambda m: _FULL_WIDTH[m.group()], text)


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
    the box, each piece placed by its characters' share of the box's width.

    A cut between two amounts read as one box ("243.540.00") is moved, by up to two
    characters, to just after an amount's two decimals: the share of width is only an
    estimate, and a digit must not change cells."""
    if not text.strip():
        return []
    yc = (top + bottom) / 2
    widths = [_char_width(c) for c in text]
    step = (x1 - x0) / (sum(widths) or 1.0)
    lefts = [x0 + sum(widths[:i]) * step for i in range(len(text) + 1)]
    ends = [m.end() for m in _DECIMALS_RE.finditer(text)]
    at_rule: dict[int, float] = {}  # a cut made by a rule → the rule's x
    for r in rules:
        if r.horizontal or not (x0 + 2 < r.pos < x1 - 2 and r.start <= yc <= r.end):
            continue
        # the character boundary nearest the rule
        i = min(range(1, len(text)), key=lambda k: abs(lefts[k] - r.pos), default=0)
        near = [e for e in ends if abs(e - i) <= 2 and 0 < e < len(text)]
        at_rule[min(near, key=lambda e: abs(e - i)) if near else i] = r.pos
    cuts = set(at_rule) | {i for i, ch in enumerate(text) if ch.isspace()}
    words: list[Word] = []
    bounds = sorted(cuts | {0, len(text)})
    for a, b in zip(bounds, bounds[1:], strict=False):
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if piece:
            left = max(lefts[a + lead], at_rule.get(a, x0))
            right = min(lefts[a + lead + len(piece)], at_rule.get(b, x1))
            words.append(Word(piece, left, right, top, bottom, confidence=score))
    return words


#: An amount's two decimals, where the next amount may start right after.
_DECIMALS_RE = regex.compile(r"\.\d{2}(?=\d)")


__all__ = ["DEFAULT_DPI", "deskew", "image_rules", "ocr_image", "read_pages", "split_box"]
