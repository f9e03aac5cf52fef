"""PDFium is not thread-safe: every user of it in the process holds one lock.

The page view drew under a lock of its own while a parse read under the text layer's: a page
view warming in a background thread while a test parsed crashed the whole process (a
segmentation fault in PDFium)."""

from __future__ import annotations

import threading

from conftest import CORPUS, SAMPLE_PDF

from core.accounts.parse import parse_report
from core.pdf import lock, pdfium_backend
from core.present import pageview


def test_every_pdfium_user_holds_the_one_lock() -> None:
    assert pdfium_backend._LOCK is lock.PDFIUM_LOCK
    assert pageview._LOCK is lock.PDFIUM_LOCK


def test_a_one_page_png_waits_for_a_parse_holding_the_lock() -> None:
    """The summary's PNG draws with PDFium too: it must not start while the lock is held."""
    from core.present.brief import onepage

    pdf = SAMPLE_PDF.read_bytes()
    done = threading.Event()
    with lock.PDFIUM_LOCK:
        thread = threading.Thread(target=lambda: (onepage.one_page_png(pdf, dpi=20), done.set()))
        thread.start()
        thread.join(timeout=1.0)
        assert not done.is_set()  # held back while another thread holds PDFium
    thread.join(timeout=60)
    assert done.is_set()


def test_pages_drawn_while_reports_are_parsed() -> None:
    """Threads drawing pages beside a thread parsing: the process survives and the drawings
    and the parses are whole (a crash here ends the test run)."""
    putuo = CORPUS / "putuo-shehuigongzuobu-2024-bumen-juesuan.pdf"
    data = putuo.read_bytes()
    errors: list[BaseException] = []

    def draw() -> None:
        try:
            for page in range(1, 25):
                pageview.CACHE.clear()
                image = pageview.render_page(data, page, scale=0.5)
                assert image.width > 0
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=draw) for _ in range(2)]
    for thread in threads:
        thread.start()
    facts = [len(parse_report(p).facts) for p in (putuo, SAMPLE_PDF, putuo)]
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert facts[0] == facts[2] and all(facts)
