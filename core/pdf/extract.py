"""PDF bytes in, positioned words and ruling lines out, through one text-layer backend.

Every backend returns the same :class:`Page` records, so layout and parsing never know which
one read the file: ``pdfium`` (PDFium through pypdfium2's raw API, the default) and
``pdfminer`` (pdfminer through pdfplumber, kept while it lasts). Choose with the ``backend``
argument or the ``JUESUAN_TEXT_LAYER`` environment variable.

The typed errors of CONTRACT.md are raised here: the checks on the bytes before any backend
runs (not a PDF), and on what came back (no pages, no text layer). Pages the file could not
be read whole on carry the reason in :attr:`Page.damage` (:mod:`core.pdf.damage`); what the
reader repaired without loss (a rebuilt cross-reference table) is in :attr:`Page.repaired`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from core import regex
from core.errors import CorruptPdfError, NotPdfError, ScannedPdfError
from core.pdf.limits import DEFAULT_LIMITS, Limits, check_ocr_pages
from core.pdf.page import Page, Rule, Word, group_lines, join_line, normalize_text

TYPE_CHECKING = False  # not typing's: importing typing costs ~2 ms a process, for annotations
if TYPE_CHECKING:
    from core.pdf.damage import Damage

#: Characters a page must carry, over the whole file, to count as having a text layer.
DEFAULT_MIN_TEXT_CHARS = 20

#: The text layer used when neither the argument nor the environment names one.
DEFAULT_BACKEND = "pdfium"

BACKENDS = ("pdfium", "pdfminer")

#: A PDF starts with its header within the first 1024 bytes (PDF 1.7, annex H.3, note 13).
_HEADER_RE = regex.compile(rb"%PDF-\d")


#: Told ``(pages done, pages in all)`` as pages are read (a progress bar, a worker's pipe).
OnPage = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a reading stands: one bar over the file's pages, and the stage it is in.

    A page is done when its words are in: read from the text layer, or, for a scanned page,
    once OCR has read it (the text layer's pass over it reads nothing, so it does not fill
    the bar), so the bar fills once, page by page, never going back."""

    stage: str
    """``text`` (the text layer's pass over every page) or ``ocr`` (the scanned pages)."""
    done: int
    """Pages done, of :attr:`total`."""
    total: int
    """Pages in the file."""
    step: int
    """Pages this stage has read, of :attr:`steps`."""
    steps: int
    """Pages this stage reads: every page for ``text``, the scanned ones for ``ocr``."""

    def label_zh(self) -> str:
        """The stage in words, as the progress bar says it."""
        if self.stage == "ocr":
            return f"识别扫描页 {self.step}/{self.steps}"
        return f"读取文字层 {self.step}/{self.steps}"


#: Told a :class:`Progress` as pages are read.
OnProgress = Callable[[Progress], None]


def _is_scan(page: Page) -> bool:
    """A page OCR would read: an image, no text layer, not a damaged page."""
    return bool(page.images) and not page.words and not page.damage


def extract_pages(
    data: bytes,
    backend: str | None = None,
    limits: Limits | None = None,
    ocr: bool = True,
    on_page: OnPage | None = None,
    on_progress: OnProgress | None = None,
) -> list[Page]:
    """Read every page's words and rules; ``on_page(done, total)`` and ``on_progress`` (a
    :class:`Progress`) are told as pages are read: one bar, filled once.

    ``backend`` is ``pdfium`` or ``pdfminer`` (default: ``$JUESUAN_TEXT_LAYER``, else
    :data:`DEFAULT_BACKEND`); ``limits`` caps pages, glyphs and objects per page.
    Pages that place an image and carry no text layer are read by OCR
    (:mod:`core.pdf.ocr_backend`; ``ocr=False`` leaves them empty); a page with a text layer
    is never OCR'd. OCR takes seconds a page: before it starts, ``on_progress`` is told a
    Progress of stage ``ocr`` and step 0 with the number of pages to OCR (a worker raises its
    time budget by it), then once per page OCR'd; at most ``limits.max_ocr_pages`` of them.
    Raises the contract's typed errors: :class:`NotPdfError`, :class:`EncryptedPdfError`,
    :class:`CorruptPdfError`, :class:`ScannedPdfError`, :class:`TooLargeError`.
    """
    _check_header(data)
    name = backend or os.environ.get("JUESUAN_TEXT_LAYER") or DEFAULT_BACKEND
    if name not in BACKENDS:
        raise ValueError(f"unknown text layer {name!r}; choose one of {BACKENDS}")
    limits = limits or DEFAULT_LIMITS
    shown = 0  # the bar never goes back

    def tell(stage: str, done: int, total: int, step: int, steps: int) -> None:
        nonlocal shown
        shown = max(shown, done)
        if on_page is not None:
            on_page(shown, total)
        if on_progress is not None:
            on_progress(Progress(stage, shown, total, step, steps))

    # pages of the text layer's pass that OCR will not read again: those are done
    waiting = 0

    def read_one(page: Page) -> None:
        nonlocal waiting
        waiting += _is_scan(page)

    def text_read(read: int, total: int) -> None:
        tell("text", read - waiting, total, read, total)

    from core.pdf.limits import DEFAULT_MAX_INFLATE, TEXT_COUNT_BYTES
    from core.pdf.page import XREF_REBUILT, XREF_REPAIRED
    from core.pdf.whole import plainly_whole

    def check_damage(data: bytes, limits: Limits) -> Damage:
        # the full check, imported only for a file not plainly whole (most are)
        from core.pdf.damage import check_damage

        return check_damage(data, limits)

    # first: the damage check refuses a page too large to build (TooLargeError) before a text
    # layer does; a file plainly whole (core/pdf/whole.py) needs neither, unless the text
    # layer finds other pages than it did
    plain = plainly_whole(data, limits, DEFAULT_MAX_INFLATE, TEXT_COUNT_BYTES)
    found = check_damage(data, limits) if plain is None else None
    if found is not None and found.rebuilt:  # read what the check judged, not a reader's repair
        data = found.rebuilt
    if name == "pdfium":
        from core.pdf import pdfium_backend

        pages = pdfium_backend.read_pages(data, limits, text_read, on_read=read_one)
    elif name == "pdfminer":
        from core.pdf import pdfminer_backend

        # reads in forked shares and says nothing of each page: the bar waits for the end
        pages = pdfminer_backend.read_pages(
            data, limits, lambda read, total: tell("text", 0, total, read, total)
        )
    else:
        raise ValueError(f"unknown text layer {name!r}; choose one of {BACKENDS}")
    if not pages:
        raise CorruptPdfError(
            "PDF 中没有页面（页面树为空）", "the PDF has no pages (its page tree is empty)"
        )
    if found is None and plain != len(pages):
        found = check_damage(data, limits)
    damage = found.by_page(len(pages)) if found is not None else {}
    if damage:
        pages = [replace(p, damage=p.damage or damage.get(p.number, "")) for p in pages]
    if found is not None and found.repaired:
        # qpdf rebuilt the table and the text layer read its rebuild: a repair that lost
        # nothing the pages draw with is said once, as a note; what it lost named its pages
        said = XREF_REBUILT if any(p.damage for p in pages) else XREF_REPAIRED
        pages = [replace(p, repaired=said) for p in pages]
    scans = [p.number for p in pages if _is_scan(p)]
    if not (ocr and scans):
        tell("text", len(pages), len(pages), len(pages), len(pages))
    if ocr and scans:
        from core.pdf import ocr_backend

        check_ocr_pages(limits, len(scans))
        total, before = len(pages), len(pages) - len(scans)
        tell("ocr", before, total, 0, len(scans))
        read = ocr_backend.read_pages(
            data, scans, on_page=lambda k, n: tell("ocr", before + k, total, k, n)
        )
        # a page read again by OCR is still the page the damage check judged: its damage and
        # the file's repair note carry over to the OCR'd reading
        pages = [
            replace(read[p.number], damage=p.damage, repaired=p.repaired) if p.number in read else p
            for p in pages
        ]
    glyphs = sum(len(w.text) for p in pages for w in p.words)
    unmapped = sum(p.unmapped for p in pages)
    unreadable = bool(glyphs) and unmapped > 0.3 * glyphs
    damaged = [p.number for p in pages if p.damage]
    if (unreadable or glyphs < DEFAULT_MIN_TEXT_CHARS) and damaged:
        # no readable text because the file is broken, not because it is a scan
        listed = ", ".join(map(str, damaged[:8]))
        raise CorruptPdfError(
            f"PDF 文件已损坏，第 {listed} 页无法完整读取，读不出文字",
            f"the PDF is damaged: pages {listed} cannot be read whole and no text comes out",
        )
    if unreadable:
        raise ScannedPdfError(
            "PDF 的字体没有文字编码（文字显示为 (cid:…)），无法读取文字和数字",
            "the PDF's fonts carry no text encoding (text extracts as (cid:…)), so nothing can be read",
        )
    if glyphs < DEFAULT_MIN_TEXT_CHARS and ocr and scans:
        raise ScannedPdfError(
            f"PDF 的 {len(pages)} 页都是图片，经 OCR 识别也读不出文字（不像是一份扫描的报告）",
            f"the PDF's {len(pages)} pages are images in which OCR finds no text either "
            "(this does not look like a scanned report)",
        )
    if glyphs < DEFAULT_MIN_TEXT_CHARS:
        raise ScannedPdfError(
            f"PDF 的 {len(pages)} 页都没有文字层（可能是扫描件），无法读取数字",
            f"none of the PDF's {len(pages)} pages has a text layer (a scan?), so there is nothing to read",
        )
    return pages


def _check_header(data: bytes) -> None:
    """Refuse bytes that are not a PDF: the header ``%PDF-n`` must stand within the first
    1024 bytes. A ZIP whose first member is a stored PDF, or an HTML page quoting ``%PDF-``
    further down, is not a PDF (readers that scan the whole file for a header would open the
    first and choke on the second)."""
    head = data[:1024]
    found = _HEADER_RE.search(head)
    if found is None or head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        start = data[:12]
        raise NotPdfError(
            f"这不是 PDF 文件（文件开头为 {start!r}）",
            f"this is not a PDF file (it starts with {start!r})",
        )
    before = head[: found.start()]
    if regex.search(rb"<(?:!doctype|html|head|body|\?xml)", before, re.IGNORECASE):
        start = data[:12]
        raise NotPdfError(
            f"这不是 PDF 文件，而是网页或 XML（文件开头为 {start!r}）",
            f"this is not a PDF file but a web page or XML (it starts with {start!r})",
        )


__all__ = [
    "BACKENDS",
    "DEFAULT_BACKEND",
    "Limits",
    "OnPage",
    "OnProgress",
    "Progress",
    "Page",
    "Rule",
    "Word",
    "extract_pages",
    "group_lines",
    "join_line",
    "normalize_text",
]
