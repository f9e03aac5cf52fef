"""Caps a backend holds every file to, so one hostile PDF cannot eat the machine.

Real 决算 reports have fewer than 100 pages and fewer than 20,000 glyphs a page; the defaults
are far above that. A page past a cap raises :class:`core.errors.TooLargeError` naming it.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import TooLargeError

#: Bytes a stream is inflated to at most while checking it for damage
#: (:mod:`core.pdf.damage`, :mod:`core.pdf.whole`); beyond this it is not judged.
DEFAULT_MAX_INFLATE = 64 << 20

#: Decoded content (page and forms) past which a page's text-showing operators are counted
#: before a text layer builds it (:mod:`core.pdf.damage`): real report pages hold under 60 KB.
TEXT_COUNT_BYTES = 1 << 20


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
    max_content_bytes_per_page: int = 32 << 20
    """Bytes a page's content streams (its forms' included, each once) may inflate to: a
    real page holds under 100 KB, and a text layer decodes it whole in memory."""
    max_cmap_bytes: int = 16 << 20
    """Bytes a font's ToUnicode map or encoding CMap may inflate to: a full CJK map holds
    under 1 MB, and a text layer parses it whole (a 1 GiB map took PDFium past 2 GB)."""


DEFAULT_LIMITS = Limits()


def check_pages(limits: Limits, pages: int) -> None:
    """Raise when the file has more pages than allowed."""
    if pages > limits.max_pages:
        raise TooLargeError(
            f"PDF 有 {pages} 页，超过上限 {limits.max_pages} 页（max_pages）",
            f"the PDF has {pages} pages, above the limit of {limits.max_pages} (max_pages)",
        )


def _check_per_page(
    cap: int, name: str, page: int, count: int, at_least: bool, zh: str, en: str
) -> None:
    """Raise when one page's ``count`` of something passes its cap ``name`` (``at_least``:
    the count is a floor, taken before the page was read); ``zh``/``en`` say what is counted,
    e.g. ``个字符`` / ``draws … glyphs``."""
    if count > cap:
        floor_zh, floor_en = ("至少", "at least ") if at_least else ("", "")
        verb, noun = en.split(" … ")
        raise TooLargeError(
            f"第 {page} 页有{floor_zh} {count} {zh}，超过每页上限 {cap}（{name}）",
            f"page {page} {verb} {floor_en}{count} {noun}, above the limit of {cap} a page "
            f"({name})",
        )


def check_glyphs(limits: Limits, page: int, glyphs: int, at_least: bool = False) -> None:
    """Raise when one page draws more glyphs than allowed (``at_least``: ``glyphs`` is a floor,
    counted before the page was read)."""
    _check_per_page(
        limits.max_glyphs_per_page,
        "max_glyphs_per_page",
        page,
        glyphs,
        at_least,
        "个字符",
        "draws … glyphs",
    )


def _too_large(size: int, cap: int, name: str, zh: str, en: str, per_page: bool) -> None:
    """Raise when ``size`` bytes (inflated) pass the cap ``name`` of ``cap`` bytes; ``zh`` /
    ``en`` name what inflated (``第 3 页的内容`` / ``page 3's content``), ``per_page``: the
    cap is a page's."""
    if size > cap:
        mb, cap_mb = size / (1 << 20), cap / (1 << 20)
        each_zh, each_en = ("每页", " a page") if per_page else ("", "")
        raise TooLargeError(
            f"{zh}解压后超过 {mb:.0f} MB，超过{each_zh}上限 {cap_mb:.0f} MB（{name}）",
            f"{en} inflates to over {mb:.0f} MB, above the limit of {cap_mb:.0f} MB{each_en} "
            f"({name})",
        )


def check_content(limits: Limits, page: int, size: int) -> None:
    """Raise when one page's content streams inflate past the allowed size."""
    _too_large(
        size,
        limits.max_content_bytes_per_page,
        "max_content_bytes_per_page",
        f"第 {page} 页的内容",
        f"page {page}'s content",
        per_page=True,
    )


def check_cmap(limits: Limits, page: int, font: str, size: int) -> None:
    """Raise when a font a page draws with has a character map that inflates past the
    allowed size."""
    _too_large(
        size,
        limits.max_cmap_bytes,
        "max_cmap_bytes",
        f"第 {page} 页的字体 {font} 的字符映射表",
        f"the character map of font {font} on page {page}",
        per_page=False,
    )


def check_objects(limits: Limits, page: int, objects: int, at_least: bool = False) -> None:
    """Raise when one page holds more drawing objects than allowed (``at_least``: a floor,
    counted before the page was read)."""
    _check_per_page(
        limits.max_objects_per_page,
        "max_objects_per_page",
        page,
        objects,
        at_least,
        "个绘图对象",
        "holds … drawing objects",
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
