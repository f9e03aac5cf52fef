"""The one lock every PDFium user in the process holds (the text layer, the OCR renderer, the
page view, the one-page summary's PNG).

PDFium is not thread-safe, even across documents, and the server serves each session on a
thread of its own: two locks, one for reading and one for drawing pages, let a page view render
while a parse read and crashed the process (a segmentation fault, seen under load). Reentrant,
as the page view takes it again inside its own helpers.
"""

from __future__ import annotations

# _thread's RLock is the very one threading.RLock() gives (its C type); importing threading
# for it alone is ~0.5 ms of a parse process's start
import _thread

PDFIUM_LOCK = _thread.RLock()
