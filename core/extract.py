"""PDF bytes in, positioned words, ruling lines and page text out.

The only module that touches pdfplumber. Everything after it works on the plain records
defined here, so layout logic can be tested without a PDF.
"""

from __future__ import annotations

import atexit
import io
import logging
import os
import unicodedata
from dataclasses import dataclass
from typing import Any

from core.errors import (
    CorruptPdfError,
    EncryptedPdfError,
    NotPdfError,
    ReportError,
    ScannedPdfError,
)

#: Characters a page must carry, over the whole file, to count as having a text layer.
DEFAULT_MIN_TEXT_CHARS = 20

# pdfminer logs every recoverable glitch of real-world PDFs as a warning; they are noise here.
for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)


class _NullLog:
    """Stands in for pdfminer's module loggers, which are never wanted here."""

    def debug(self, *args: object, **kwargs: object) -> None:
        pass

    info = warning = debug

    def isEnabledFor(self, level: int) -> bool:  # noqa: N802 - logging's name
        return False


def _silence_pdfminer() -> None:
    """pdfminer's tokenizer calls ``log.debug`` for every token (about 16 calls a glyph);
    even when disabled the calls cost a quarter of the extraction time, so they go."""
    import pdfminer.cmapdb
    import pdfminer.pdfdocument
    import pdfminer.pdffont
    import pdfminer.pdfinterp
    import pdfminer.pdfpage
    import pdfminer.psparser

    for module in (
        pdfminer.psparser,
        pdfminer.pdfinterp,
        pdfminer.pdfpage,
        pdfminer.pdfdocument,
        pdfminer.cmapdb,
        pdfminer.pdffont,
    ):
        module.log = _NullLog()  # type: ignore[attr-defined]


#: Pages at or above which extraction is shared out to worker processes.
DEFAULT_PARALLEL_PAGES = 6


@dataclass(frozen=True, slots=True)
class Word:
    """A run of characters with no gap, as placed on the page (PDF points, top-left origin)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def xc(self) -> float:
        """Horizontal centre."""
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        """Vertical centre."""
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        """Glyph height, about the font size."""
        return self.bottom - self.top


@dataclass(frozen=True, slots=True)
class Rule:
    """A horizontal or vertical ruling segment (a drawn line or a thin rectangle's edge)."""

    horizontal: bool
    pos: float
    """y for a horizontal rule, x for a vertical one."""
    start: float
    """x0 (horizontal) or top (vertical)."""
    end: float
    """x1 (horizontal) or bottom (vertical)."""


@dataclass(frozen=True, slots=True)
class Page:
    """What one PDF page holds for the parser."""

    number: int
    """1-based page number."""
    width: float
    height: float
    words: tuple[Word, ...]
    rules: tuple[Rule, ...]
    images: int
    """How many images the page places (a scanned page is one big image)."""

    def lines(self, tolerance: float = 3.0) -> list[list[Word]]:
        """Words grouped into text lines (by vertical centre), each sorted left to right."""
        return group_lines(self.words, tolerance)

    @property
    def text(self) -> str:
        """The page as plain text, one text line per line, words joined as placed."""
        return "\n".join(join_line(line) for line in self.lines())


def group_lines(words: tuple[Word, ...] | list[Word], tolerance: float = 3.0) -> list[list[Word]]:
    """Group words into text lines: a word joins a line when its centre is within tolerance."""
    lines: list[list[Word]] = []
    centres: list[float] = []
    for word in sorted(words, key=lambda w: (w.yc, w.x0)):
        if lines and abs(word.yc - centres[-1]) <= tolerance:
            lines[-1].append(word)
            line = lines[-1]
            centres[-1] = sum(w.yc for w in line) / len(line)
        else:
            lines.append([word])
            centres.append(word.yc)
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def join_line(words: list[Word]) -> str:
    """Join one line's words, with a space where the gap is wider than a third of a glyph."""
    out = ""
    prev: Word | None = None
    for word in words:
        if prev is not None and word.x0 - prev.x1 > 0.35 * max(word.height, 1.0):
            out += " "
        out += word.text
        prev = word
    return out


def normalize_text(text: str) -> str:
    """Fold the look-alike code points real PDFs carry into the plain CJK and ASCII ones.

    WPS and Word exports often set 支 as the Kangxi radical ⽀ (U+2F40), digits as full-width
    ２０２４, and so on; full-width punctuation （）：“” is kept, as the reports print it.
    """
    out = []
    for ch in text:
        o = ord(ch)
        if 0x2E80 <= o <= 0x2FDF or 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF5A:
            out.append(unicodedata.normalize("NFKC", ch))
        elif ch in "\u3000\u00a0":
            out.append(" ")
        elif 0xF900 <= o <= 0xFAFF:  # CJK compatibility ideographs
            out.append(unicodedata.normalize("NFKC", ch))
        else:
            out.append(ch)
    return "".join(out)


def extract_pages(data: bytes) -> list[Page]:
    """Read every page's words and rules.

    Raises the contract's typed errors: :class:`NotPdfError`, :class:`EncryptedPdfError`,
    :class:`CorruptPdfError`, :class:`ScannedPdfError`.
    """
    if b"%PDF-" not in data[:1024]:
        head = data[:12]
        raise NotPdfError(
            f"这不是 PDF 文件（文件开头为 {head!r}）",
            f"this is not a PDF file (it starts with {head!r})",
        )
    pages = _read_all(data)
    if not pages:
        raise CorruptPdfError("PDF 中没有可读的页面", "the PDF has no readable page")
    words = [w.text for p in pages for w in p.words]
    if words and sum("(cid:" in t for t in words) > 0.3 * len(words):
        raise ScannedPdfError(
            "PDF 的字体没有文字编码（文字显示为 (cid:…)），无法读取文字和数字",
            "the PDF's fonts carry no text encoding (text extracts as (cid:…)), so nothing can be read",
        )
    if sum(len(w.text) for p in pages for w in p.words) < DEFAULT_MIN_TEXT_CHARS:
        raise ScannedPdfError(
            f"PDF 的 {len(pages)} 页都没有文字层（可能是扫描件），无法读取数字",
            f"none of the PDF's {len(pages)} pages has a text layer (a scan?), so there is nothing to read",
        )
    return pages


def _open(data: bytes) -> Any:
    """pdfplumber's PDF for the bytes, or the contract's error for why it cannot be opened."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    _silence_pdfminer()
    try:
        return pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise _encrypted() from exc
    except Exception as exc:  # pdfminer raises many types for a broken file
        # pdfplumber wraps pdfminer's error in PdfminerException(original)
        inner = [exc, *(a for a in exc.args if isinstance(a, Exception))]
        if any(isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)) for e in inner):
            raise _encrypted() from exc
        raise _corrupt(inner[-1]) from exc


def _read_range(data: bytes, start: int, stop: int | None) -> list[Page]:
    """Pages start..stop-1 (0-based; stop None for all) read in this process."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    pdf = _open(data)
    pages: list[Page] = []
    try:
        with pdf:
            chosen = pdf.pages[start:stop]
            for offset, page in enumerate(chosen):
                pages.append(_read_page(start + offset + 1, page))
                page.close()
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise _encrypted() from exc
    except Exception as exc:
        raise _corrupt(exc) from exc
    return pages


def _page_count(data: bytes) -> int:
    pdf = _open(data)
    try:
        with pdf:
            return len(pdf.pages)
    except Exception as exc:
        raise _corrupt(exc) from exc


_POOL = None


def _pool() -> Any:
    """A process pool kept for the life of the process (forked where no thread runs)."""
    global _POOL
    if _POOL is None:
        import multiprocessing
        import threading
        from concurrent.futures import ProcessPoolExecutor

        method = "fork" if threading.active_count() == 1 else "forkserver"
        context = multiprocessing.get_context(method)
        if method == "forkserver":
            context.set_forkserver_preload(["core.extract"])
        _POOL = ProcessPoolExecutor(max_workers=_workers(), mp_context=context)
        atexit.register(_shutdown_pool)
    return _POOL


def _shutdown_pool() -> None:
    global _POOL
    if _POOL is not None:
        _POOL.shutdown(wait=True, cancel_futures=True)
        _POOL = None


def _workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _read_all(data: bytes) -> list[Page]:
    """Every page; shared out over the CPU cores when there are enough pages to gain."""
    n = _page_count(data)
    workers = _workers()
    if workers == 1 or n < DEFAULT_PARALLEL_PAGES:
        return _read_range(data, 0, None)
    bounds = [round(i * n / workers) for i in range(workers + 1)]
    try:
        futures = [
            _pool().submit(_read_range, data, a, b)
            for a, b in zip(bounds, bounds[1:], strict=False)
        ]
        return [page for f in futures for page in f.result()]
    except ReportError:
        raise
    except Exception:  # no processes to be had here (a sandbox, a broken pool): read inline
        global _POOL
        _POOL = None
        return _read_range(data, 0, None)


def _encrypted() -> EncryptedPdfError:
    return EncryptedPdfError(
        "PDF 已加密，需要密码才能打开", "the PDF is encrypted: a password is needed to open it"
    )


def _corrupt(exc: Exception) -> CorruptPdfError:
    what = f"{type(exc).__name__}: {str(exc)[:80]}"
    return CorruptPdfError(
        f"PDF 文件已损坏，无法完整读取（{what}）",
        f"the PDF is damaged and cannot be read through ({what})",
    )


def _read_page(number: int, page: object) -> Page:
    """One pdfplumber page to a :class:`Page`."""
    from pdfplumber.page import Page as PlumberPage

    assert isinstance(page, PlumberPage)
    raw = page.extract_words(x_tolerance=1.5, y_tolerance=2.5, keep_blank_chars=False)
    words = tuple(
        Word(
            text=normalize_text(w["text"]),
            x0=float(w["x0"]),
            x1=float(w["x1"]),
            top=float(w["top"]),
            bottom=float(w["bottom"]),
        )
        for w in raw
        if w["text"].strip()
    )
    rules: list[Rule] = []
    for edge in page.edges:
        x0, x1, top, bottom = (float(edge[k]) for k in ("x0", "x1", "top", "bottom"))
        if bottom - top <= 1.5 and x1 - x0 >= 4:
            rules.append(Rule(True, (top + bottom) / 2, x0, x1))
        elif x1 - x0 <= 1.5 and bottom - top >= 4:
            rules.append(Rule(False, (x0 + x1) / 2, top, bottom))
    return Page(
        number=number,
        width=float(page.width),
        height=float(page.height),
        words=words,
        rules=tuple(rules),
        images=len(page.images),
    )
