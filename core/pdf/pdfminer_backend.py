"""The pdfminer text layer (through pdfplumber), kept selectable while PDFium replaces it.

Pages are read by forked worker processes when there are enough of them to gain. Select it
with ``JUESUAN_TEXT_LAYER=pdfminer`` or ``extract_pages(data, backend="pdfminer")``.
"""

from __future__ import annotations

import atexit
import io
import logging
import os
from collections.abc import Callable
from typing import Any

from core.errors import CorruptPdfError, EncryptedPdfError, ReportError
from core.pdf.limits import Limits, check_glyphs, check_objects, check_pages
from core.pdf.page import Glyph, Page, Rule, shape_rules, words_from_glyphs

#: Pages at or above which extraction is shared out to worker processes.
DEFAULT_PARALLEL_PAGES = 6

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


def read_pages(
    data: bytes, limits: Limits, on_page: Callable[[int, int], None] | None = None
) -> list[Page]:
    """Every page; shared out over the CPU cores when there are enough pages to gain.
    ``on_page(read, total)`` is told as pages are read (a worker's share at a time)."""
    n = _page_count(data)
    check_pages(limits, n)
    workers = _workers()
    if workers == 1 or n < DEFAULT_PARALLEL_PAGES or not _can_fork():
        return _read_range(data, 0, None, limits, on_page)
    bounds = [round(i * n / workers) for i in range(workers + 1)]
    try:
        futures = [
            _pool().submit(_read_range, data, a, b, limits)
            for a, b in zip(bounds, bounds[1:], strict=False)
        ]
        pages: list[Page] = []
        for f in futures:
            pages.extend(f.result())
            if on_page is not None:
                on_page(len(pages), n)
        return pages
    except ReportError:
        raise
    except Exception:  # no processes to be had here (a sandbox, a broken pool): read inline
        global _POOL
        _POOL = None
        return _read_range(data, 0, None, limits, on_page)


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
    data: bytes,
    start: int,
    stop: int | None,
    limits: Limits,
    on_page: Callable[[int, int], None] | None = None,
) -> list[Page]:
    """Pages start..stop-1 (0-based; stop None for all) read in this process."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    pdf = _open(data)
    pages: list[Page] = []
    try:
        with pdf:
            chosen = pdf.pages[start:stop]
            for offset, page in enumerate(chosen):
                pages.append(_read_page(start + offset + 1, page, limits))
                page.close()
                if on_page is not None:
                    on_page(start + offset + 1, len(pdf.pages))
    except ReportError:
        raise
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


def _read_page(number: int, page: object, limits: Limits) -> Page:
    """One pdfplumber page to a :class:`Page`.

    Reads pdfminer's layout objects of the page directly: pdfplumber's own conversion of
    every glyph into a dictionary of twenty attributes (colours, fonts, matrices) costs a
    fifth of the extraction and none of it is used here. pdfminer lays the page out before
    any cap can be tested, so here the caps only refuse the result, not the work.
    """
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage
    from pdfplumber.page import Page as PlumberPage

    assert isinstance(page, PlumberPage)
    height = float(page.height)
    mb_x0, mb_top = float(page.mediabox[0]), float(page.mediabox[1])
    chars: list[Glyph] = []
    rules: list[Rule] = []
    images = unmapped = objects = glyphs = 0

    stack = list(page.layout)
    while stack:
        obj = stack.pop()
        objects += 1
        if isinstance(obj, LTChar):
            glyphs += 1
            text = obj.get_text()
            if text.strip() and obj.upright:
                if "(cid:" in text:
                    unmapped += 1
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
            pts = [(px + mb_x0, height - py + mb_top) for px, py in obj.pts]
            if not pts:
                x0, x1 = obj.x0 + mb_x0, obj.x1 + mb_x0
                top, bottom = height - obj.y1 + mb_top, height - obj.y0 + mb_top
                pts = [(x0, top), (x1, top), (x1, bottom), (x0, bottom)]
            shape_rules(rules, pts)
        elif isinstance(obj, LTContainer):
            objects -= 1  # a text box or line groups glyphs; it draws nothing itself
            stack.extend(obj)
    check_glyphs(limits, number, glyphs)
    check_objects(limits, number, objects - glyphs)
    return Page(
        number=number,
        width=float(page.width),
        height=height,
        words=words_from_glyphs(chars),
        rules=tuple(rules),
        images=images,
        unmapped=unmapped,
    )
