"""Caps a backend holds every file to, so one hostile PDF cannot eat the machine.

Real 决算 reports have fewer than 100 pages and fewer than 20,000 glyphs a page; the defaults
are far above that. A page past a cap raises :class:`core.errors.TooLargeError` naming it.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import TooLargeError


@dataclass(frozen=True, slots=True)
class Limits:
    """Parse limits inside the text layer (the worker process adds memory and time)."""

    max_pages: int = 1000
    """Pages a file may have."""
    max_glyphs_per_page: int = 200_000
    """Glyphs one page may draw."""
    max_objects_per_page: int = 100_000
    """Page objects (text runs, paths, images, forms) one page may hold: the proxy for its
    operators, since every drawing operator makes or changes one."""
    max_ocr_pages: int = 100
    """Pages of a scan (images, no text layer) one file may ask OCR to read: seconds of
    CPU each (bench/ocr_bench.py), so the cap bounds one upload's time."""


DEFAULT_LIMITS = Limits()


def check_pages(limits: Limits, pages: int) -> None:
    """Raise when the file has more pages than allowed."""
    if pages > limits.max_pages:
        raise TooLargeError(
            f"PDF 有 {pages} 页，超过上限 {limits.max_pages} 页（max_pages）",
            f"the PDF has {pages} pages, above the limit of {limits.max_pages} (max_pages)",
        )


def check_glyphs(limits: Limits, page: int, glyphs: int) -> None:
    """Raise when one page draws more glyphs than allowed."""
    if glyphs > limits.max_glyphs_per_page:
        raise TooLargeError(
            f"第 {page} 页有 {glyphs} 个字符，超过每页上限 {limits.max_glyphs_per_page}"
            "（max_glyphs_per_page）",
            f"page {page} draws {glyphs} glyphs, above the limit of "
            f"{limits.max_glyphs_per_page} a page (max_glyphs_per_page)",
        )


def check_objects(limits: Limits, page: int, objects: int) -> None:
    """Raise when one page holds more drawing objects than allowed."""
    if objects > limits.max_objects_per_page:
        raise TooLargeError(
            f"第 {page} 页有 {objects} 个绘图对象，超过每页上限 {limits.max_objects_per_page}"
            "（max_objects_per_page）",
            f"page {page} holds {objects} drawing objects, above the limit of "
            f"{limits.max_objects_per_page} a page (max_objects_per_page)",
        )


def check_ocr_pages(limits: Limits, pages: int) -> None:
    """Raise when more pages need OCR than allowed."""
    if pages > limits.max_ocr_pages:
        raise TooLargeError(
            f"这份 PDF 有 {pages} 页是扫描图片，需要 OCR 识别，超过上限 {limits.max_ocr_pages} 页"
            "（max_ocr_pages）；请拆分成较小的文件后再上传",
            f"{pages} pages of the PDF are scanned images to be read by OCR, above the limit of "
            f"{limits.max_ocr_pages} (max_ocr_pages); split the file and upload the parts",
        )
