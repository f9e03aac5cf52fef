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
from collections.abc import Callable
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


#: Told ``(pages read, pages in all)`` as pages are read (a progress bar, a worker's pipe).
OnPage = Callable[[int, int], None]


def extract_pages(data: bytes, on_page: OnPage | None = None) -> list[Page]:
    """Read every page's words and rules; ``on_page(read, total)`` is told as pages are read.

    Raises the contract's typed errors: :class:`NotPdfError`, :class:`EncryptedPdfError`,
    :class:`CorruptPdfError`, :class:`ScannedPdfError`.
    """
    if b"%PDF-" not in data[:1024]:
        head = data[:12]
        raise NotPdfError(
            f"这不是 PDF 文件（文件开头为 {head!r}）",
            f"this is not a PDF file (it starts with {head!r})",
        )
    pages = _read_all(data, on_page)
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


def _read_range(
    data: bytes, start: int, stop: int | None, on_page: OnPage | None = None
) -> list[Page]:
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
                if on_page is not None:
                    on_page(start + offset + 1, len(pdf.pages))
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
    """A pool of forked worker processes, kept for the life of the process."""
    global _POOL
    if _POOL is None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _POOL = ProcessPoolExecutor(
            max_workers=_workers(), mp_context=multiprocessing.get_context("fork")
        )
        atexit.register(_shutdown_pool)
    return _POOL


def _can_fork() -> bool:
    """Forking is safe only while this process runs a single thread (a command line, a
    benchmark). A server (Streamlit) runs threads: there the pages are read inline, since
    spawned or forkserver workers would import — and so run — the server's main script."""
    import threading

    # once the pool runs, its own manager thread is the only other one
    return os.name == "posix" and (_POOL is not None or threading.active_count() == 1)


def _shutdown_pool() -> None:
    global _POOL
    if _POOL is not None:
        _POOL.shutdown(wait=True, cancel_futures=True)
        _POOL = None


def _workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _read_all(data: bytes, on_page: OnPage | None = None) -> list[Page]:
    """Every page; shared out over the CPU cores when there are enough pages to gain."""
    n = _page_count(data)
    workers = _workers()
    if workers == 1 or n < DEFAULT_PARALLEL_PAGES or not _can_fork():
        return _read_range(data, 0, None, on_page)
    bounds = [round(i * n / workers) for i in range(workers + 1)]
    try:
        futures = [
            _pool().submit(_read_range, data, a, b)
            for a, b in zip(bounds, bounds[1:], strict=False)
        ]
        pages: list[Page] = []
        for future in futures:
            pages += future.result()
            if on_page is not None:  # a worker's share at a time
                on_page(len(pages), n)
        return pages
    except ReportError:
        raise
    except Exception:  # no processes to be had here (a sandbox, a broken pool): read inline
        global _POOL
        _POOL = None
        return _read_range(data, 0, None, on_page)


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
    """One pdfplumber page to a :class:`Page`.

    Reads pdfminer's layout objects of the page directly: pdfplumber's own conversion of
    every glyph into a dictionary of twenty attributes (colours, fonts, matrices) costs a
    fifth of the extraction and none of it is used here.
    """
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage
    from pdfplumber.page import Page as PlumberPage

    assert isinstance(page, PlumberPage)
    height = float(page.height)
    mb_x0, mb_top = float(page.mediabox[0]), float(page.mediabox[1])
    chars: list[tuple[float, float, float, float, str]] = []
    rules: list[Rule] = []
    images = 0

    def edge(x0: float, top: float, x1: float, bottom: float) -> None:
        if bottom - top <= 1.5 and x1 - x0 >= 4:
            rules.append(Rule(True, (top + bottom) / 2, x0, x1))
        elif x1 - x0 <= 1.5 and bottom - top >= 4:
            rules.append(Rule(False, (x0 + x1) / 2, top, bottom))

    stack = list(page.layout)
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTChar):
            text = obj.get_text()
            if text.strip() and obj.upright:
                chars.append(
                    (
                        obj.x0 + mb_x0,
                        obj.x1 + mb_x0,
                        height - obj.y1 + mb_top,
                        height - obj.y0 + mb_top,
                        text,
                    )
                )
        elif isinstance(obj, LTImage):
            images += 1
        elif isinstance(obj, LTCurve):  # LTLine and LTRect are curves too
            x0, x1 = obj.x0 + mb_x0, obj.x1 + mb_x0
            top, bottom = height - obj.y1 + mb_top, height - obj.y0 + mb_top
            if bottom - top <= 1.5 or x1 - x0 <= 1.5:
                edge(x0, top, x1, bottom)
            else:
                # a box (a filled cell or a frame) or a polyline: its straight sides
                pts = [(px + mb_x0, height - py + mb_top) for px, py in obj.pts]
                if len(pts) == 4 or not pts:
                    for a0, a1, b0, b1 in (
                        (x0, x1, top, top),
                        (x0, x1, bottom, bottom),
                        (x0, x0, top, bottom),
                        (x1, x1, top, bottom),
                    ):
                        edge(a0, b0, a1, b1)
                else:
                    for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):
                        edge(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
        elif isinstance(obj, LTContainer):
            stack.extend(obj)
    return Page(
        number=number,
        width=float(page.width),
        height=height,
        words=_words(chars),
        rules=tuple(rules),
        images=images,
    )


def _words(chars: list[tuple[float, float, float, float, str]]) -> tuple[Word, ...]:
    """Glyphs to words: glyphs on one text line (by vertical centre) that touch, with no more
    than a hair's gap (1.5 pt) between them, are one word."""
    chars.sort(key=lambda c: ((c[2] + c[3]) / 2, c[0]))
    lines: list[list[tuple[float, float, float, float, str]]] = []
    centre = -1e9
    for c in chars:
        yc = (c[2] + c[3]) / 2
        if lines and abs(yc - centre) <= 2.5:
            lines[-1].append(c)
        else:
            lines.append([c])
            centre = yc
    words: list[Word] = []
    for line in lines:
        line.sort(key=lambda c: c[0])
        run = [line[0]]
        for c in line[1:]:
            prev = run[-1]
            if c[0] - prev[1] > 1.5 or c[0] < prev[0]:
                words.append(_word(run))
                run = [c]
            else:
                run.append(c)
        words.append(_word(run))
    return tuple(words)


def _word(run: list[tuple[float, float, float, float, str]]) -> Word:
    return Word(
        text=normalize_text("".join(c[4] for c in run)),
        x0=min(c[0] for c in run),
        x1=max(c[1] for c in run),
        top=min(c[2] for c in run),
        bottom=max(c[3] for c in run),
    )
