"""A PDF page as a picture, with the printed cell a number was read from picked out.

Pages are rendered by PDFium (pypdfium2, which pdfplumber brings) in the same coordinates
the boxes use: PDF points, origin top-left, the page's rotation applied. A render is cached
by (sha256, page, scale) in a cache bounded by the pixels it holds, so a second click on the
same page only crops and encodes. Everything here returns PIL images or PNG bytes; the
Streamlit widgets that show them are :mod:`core.ui.source`'s.
"""

from __future__ import annotations

import hashlib
import io
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageDraw

from core.pdf.lock import PDFIUM_LOCK
from core.records import Box

#: Render scale for crops: 3 × 72 = 216 dpi, sharp on a projector.
DEFAULT_SCALE = 3.0
#: Render scale for a whole page.
PAGE_SCALE = 2.0
#: Pixels the render cache may hold (about 200 MB of RGB).
DEFAULT_CACHE_PIXELS = 70_000_000
#: Zoom levels, widest last: the points of page kept around the box on each side (x, y);
#: None for the whole page.
ZOOMS: dict[str, tuple[float, float] | None] = {
    "cell": (90.0, 26.0),
    "row": (260.0, 70.0),
    "page": None,
}
#: The highlight's outline colour and how much the rest of the page is dimmed (0–1).
OUTLINE = (230, 81, 0)
DIM = 0.45

# PDFium is not thread-safe and Streamlit serves each session on its own thread: the page
# view draws under the lock the text layer reads under (one lock for the whole process)
_LOCK = PDFIUM_LOCK
_PDFS: OrderedDict[str, bytes] = OrderedDict()
_MAX_PDFS = 32
#: Where a PDF not kept in memory may still be found (the report library's folder), by name.
_SOURCES: dict[str, Callable[[str], bytes | None]] = {}


@dataclass(frozen=True, slots=True)
class Crop:
    """A rendered piece of a page and where it sits on the page."""

    image: Image.Image
    """The pixels, highlight drawn."""
    page: int
    """1-based page number."""
    region: Box
    """The piece of the page shown, in PDF points (x0, top, x1, bottom)."""
    scale: float
    """Pixels per PDF point."""


def _sha(data: bytes) -> str:
    """The sha256 of a PDF's bytes: looked up for the bytes this module keeps (a click's
    render and a table's warm-up would otherwise hash the whole file on every rerun)."""
    with _LOCK:
        for sha, kept in _PDFS.items():
            if kept is data:
                return sha
    return hashlib.sha256(data).hexdigest()


def keep_pdf(data: bytes) -> str:
    """Remember a PDF's bytes by their sha256 for later renders; returns the hash."""
    sha = hashlib.sha256(data).hexdigest()
    with _LOCK:
        _PDFS[sha] = data
        _PDFS.move_to_end(sha)
        while len(_PDFS) > _MAX_PDFS:
            _PDFS.popitem(last=False)
    return sha


def add_pdf_source(name: str, find: Callable[[str], bytes | None]) -> None:
    """Where to look for a PDF that is not kept in memory: ``find(sha256)`` returns its
    bytes or None. A report opened from the report library was never uploaded in this
    server's life; its PDF is in the library's folder."""
    with _LOCK:
        _SOURCES[name] = find


def pdf_bytes(sha256: str) -> bytes | None:
    """The bytes of a PDF kept by :func:`keep_pdf`, else found by a source added with
    :func:`add_pdf_source` (and kept from then on); None when neither has it."""
    with _LOCK:
        data = _PDFS.get(sha256)
        sources = list(_SOURCES.values())
    if data is not None:
        return data
    for find in sources:
        try:
            found = find(sha256)
        except OSError:
            continue
        # only the file whose bytes hash to the report's own sha256 stands behind its boxes
        if found is not None and keep_pdf(found) == sha256:
            return found
    return None


class _RenderCache:
    """Rendered pages by (sha256, page, scale), oldest dropped past a pixel budget."""

    def __init__(self, max_pixels: int) -> None:
        self.max_pixels = max_pixels
        self.items: OrderedDict[tuple[str, int, float], Image.Image] = OrderedDict()
        self.pixels = 0
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[str, int, float]) -> Image.Image | None:
        image = self.items.get(key)
        if image is not None:
            self.items.move_to_end(key)
            self.hits += 1
        return image

    def put(self, key: tuple[str, int, float], image: Image.Image) -> None:
        self.misses += 1
        self.items[key] = image
        self.pixels += image.width * image.height
        while self.pixels > self.max_pixels and len(self.items) > 1:
            _, old = self.items.popitem(last=False)
            self.pixels -= old.width * old.height

    def clear(self) -> None:
        self.items.clear()
        self.pixels = 0


CACHE = _RenderCache(DEFAULT_CACHE_PIXELS)


def page_count(data: bytes) -> int:
    """How many pages the PDF has."""
    import pypdfium2 as pdfium

    with _LOCK:
        doc = pdfium.PdfDocument(data)
        try:
            return len(doc)
        finally:
            doc.close()


def page_size(data: bytes, page: int) -> tuple[float, float]:
    """(width, height) of a 1-based page in points, rotation applied."""
    import pypdfium2 as pdfium

    with _LOCK:
        doc = pdfium.PdfDocument(data)
        try:
            p = doc[page - 1]
            w, h = p.get_size()
            if p.get_rotation() in (90, 270):
                w, h = h, w
            return float(w), float(h)
        finally:
            doc.close()


def render_page(data: bytes, page: int, scale: float = DEFAULT_SCALE) -> Image.Image:
    """The 1-based page as an RGB image at ``scale`` pixels per point, rotation applied
    (cached; the image returned is shared, copy it before drawing on it)."""
    import pypdfium2 as pdfium

    key = (_sha(data), page, float(scale))
    with _LOCK:
        cached = CACHE.get(key)
        if cached is not None:
            return cached
        doc = pdfium.PdfDocument(data)
        try:
            if not 1 <= page <= len(doc):
                raise IndexError(f"page {page} is not in a PDF of {len(doc)} pages")
            bitmap = doc[page - 1].render(scale=scale, may_draw_forms=False)
            image = bitmap.to_pil().convert("RGB")
        finally:
            doc.close()
        CACHE.put(key, image)
        return image


_WARMER: Any = None


def warm_pages(data: bytes, pages: Sequence[int], scale: float = DEFAULT_SCALE) -> None:
    """Render these pages into the cache in the background (one worker thread), so the
    first click on a number of theirs only crops."""
    global _WARMER
    key = _sha(data)
    todo = [p for p in dict.fromkeys(pages) if (key, p, float(scale)) not in CACHE.items]
    if not todo:
        return
    if _WARMER is None:
        from concurrent.futures import ThreadPoolExecutor

        _WARMER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="page-warm")
    for page in todo[:4]:  # a table's pages; never the whole file
        _WARMER.submit(_warm_one, data, page, scale)


def _warm_one(data: bytes, page: int, scale: float) -> None:
    try:
        render_page(data, page, scale)
    except Exception:  # a page PDFium cannot draw shows its own message on click
        return


def _to_px(box: Box, scale: float, origin: tuple[float, float] = (0.0, 0.0)) -> Box:
    x0, top, x1, bottom = box
    ox, oy = origin
    return ((x0 - ox) * scale, (top - oy) * scale, (x1 - ox) * scale, (bottom - oy) * scale)


def highlight(
    image: Image.Image, boxes: Sequence[Box], scale: float, *, pad: float = 2.0
) -> Image.Image:
    """A copy of a page render with the boxes outlined and everything else dimmed.

    ``boxes`` are in PDF points; ``pad`` points of white space are kept clear around each.
    """
    out = image.copy()
    if not boxes:
        return out
    veil = Image.new("L", out.size, int(255 * DIM))
    draw_veil = ImageDraw.Draw(veil)
    padded = [(b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad) for b in boxes]
    for box in padded:
        draw_veil.rectangle(_to_px(box, scale), fill=0)
    grey = Image.new("RGB", out.size, (40, 40, 40))
    out = Image.composite(grey, out, veil)
    draw = ImageDraw.Draw(out)
    width = max(2, round(scale * 0.9))
    for box in padded:
        x0, y0, x1, y1 = _to_px(box, scale)
        draw.rectangle(
            (x0 - width, y0 - width, x1 + width, y1 + width), outline=OUTLINE, width=width
        )
    return out


def union(boxes: Sequence[Box]) -> Box:
    """The smallest box holding every box."""
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def crop_region(boxes: Sequence[Box], size: tuple[float, float], zoom: str = "cell") -> Box:
    """The piece of a page of ``size`` (points) to show for ``boxes`` at a zoom level
    (see :data:`ZOOMS`), clipped to the page."""
    width, height = size
    margin = ZOOMS[zoom]
    if margin is None or not boxes:
        return (0.0, 0.0, width, height)
    x0, top, x1, bottom = union(boxes)
    mx, my = margin
    return (max(0.0, x0 - mx), max(0.0, top - my), min(width, x1 + mx), min(height, bottom + my))


def render_crop(
    data: bytes,
    page: int,
    boxes: Sequence[Box],
    *,
    zoom: str = "cell",
    scale: float | None = None,
) -> Crop:
    """The page around ``boxes`` at a zoom level, the boxes outlined and the rest dimmed."""
    if scale is None:
        scale = PAGE_SCALE if ZOOMS[zoom] is None else DEFAULT_SCALE
    full = render_page(data, page, scale)
    size = (full.width / scale, full.height / scale)
    region = crop_region(boxes, size, zoom)
    px = tuple(round(v) for v in _to_px(region, scale))
    piece = full.crop(px)  # type: ignore[arg-type]
    origin = (px[0] / scale, px[1] / scale)
    shifted = [
        (b[0] - origin[0], b[1] - origin[1], b[2] - origin[0], b[3] - origin[1]) for b in boxes
    ]
    return Crop(highlight(piece, shifted, scale), page, region, scale)


def outline_page(
    data: bytes, page: int, boxes: Sequence[Box], *, scale: float = PAGE_SCALE
) -> Image.Image:
    """The whole page with every box outlined thinly (nothing dimmed): what was read."""
    out = render_page(data, page, scale).copy()
    draw = ImageDraw.Draw(out)
    for box in boxes:
        x0, y0, x1, y1 = _to_px((box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1), scale)
        draw.rectangle((x0, y0, x1, y1), outline=OUTLINE, width=2)
    return out


def png_bytes(image: Image.Image) -> bytes:
    """The image as PNG (fast compression: it is shown once, not stored)."""
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def ink_ratio(image: Image.Image, box: Box | None = None, threshold: int = 128) -> float:
    """Share of dark pixels in the image (or a box of it, in pixels): is anything printed."""
    grey = image.convert("L")
    if box is not None:
        grey = grey.crop(tuple(round(v) for v in box))  # type: ignore[arg-type]
    hist = grey.histogram()
    total = sum(hist) or 1
    return sum(hist[:threshold]) / total


def compose_panels(
    panels: Sequence[tuple[str, Sequence[Image.Image], str]],
    font_path: str | None,
    *,
    width: int = 2000,
) -> Image.Image:
    """Panels side by side on white, each a caption over its crops (stacked), or over a
    note when it has none: the two printed figures of a failed check, for a slide."""
    from PIL import ImageFont

    def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        if font_path:
            try:
                return ImageFont.truetype(font_path, size)
            except OSError:
                pass
        return ImageFont.load_default(size)

    gap, pad, caption_h = 40, 16, 64
    inner = (width - gap * (len(panels) - 1)) // max(1, len(panels))
    laid: list[list[Image.Image]] = []
    height = 0
    for _caption, crops, _note in panels:
        fitted = []
        for crop in crops:
            ratio = min(1.0, (inner - 2 * pad) / crop.width) if crop.width else 1.0
            fitted.append(crop.resize((round(crop.width * ratio), round(crop.height * ratio))))
        laid.append(fitted)
        height = max(height, caption_h + sum(c.height + pad for c in fitted) + pad, caption_h + 120)
    out = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(out)
    big, small = font(40), font(30)
    for k, ((caption, _crops, note), fitted) in enumerate(zip(panels, laid, strict=True)):
        x = k * (inner + gap)
        draw.rectangle((x, 0, x + inner - 1, height - 1), outline=(216, 221, 230), width=2)
        draw.text((x + pad, 12), caption, fill=(31, 42, 55), font=big)
        y = caption_h
        if not fitted:
            draw.text((x + pad, y + 20), note, fill=(91, 102, 117), font=small)
        for crop in fitted:
            out.paste(crop, (x + (inner - crop.width) // 2, y))
            y += crop.height + pad
    return out
