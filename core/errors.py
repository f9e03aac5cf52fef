"""Errors for input that cannot be read as a 决算 report.

The tree, one subclass per KIND in CONTRACT.md::

    ReportError                 (root; .kind, .message_zh, .message_en)
    ├── NotPdfError             not_pdf      the bytes are not a PDF
    ├── CorruptPdfError         corrupt      a PDF that cannot be read through
    ├── EncryptedPdfError       encrypted    a password is needed to open it
    ├── ScannedPdfError         scanned      pages carry no text layer
    ├── NotJuesuanError         not_juesuan  readable, but holds no 公开 决算 table
    └── TooLargeError           too_large    beyond a parse limit (pages, glyphs, operators, memory, time)

A broken accounting identity is not an error: it is a failed :class:`core.records.Check`.
"""

from __future__ import annotations


class ReportError(Exception):
    """Input that cannot be read as a 决算 report; one clear line in Chinese and English."""

    kind = "error"

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh} / {message_en}")

    def __reduce__(self) -> tuple[type[ReportError], tuple[str, str]]:
        # raised in a worker process and re-raised here: pickle both messages
        return (type(self), (self.message_zh, self.message_en))

    def line(self) -> str:
        """The one line the command line prints: ``error[KIND]: 中文 / English``."""
        return f"error[{self.kind}]: {self.message_zh} / {self.message_en}"


class NotPdfError(ReportError):
    """The bytes are not a PDF."""

    kind = "not_pdf"


class CorruptPdfError(ReportError):
    """A PDF that cannot be read through (truncated, broken xref)."""

    kind = "corrupt"


class EncryptedPdfError(ReportError):
    """A password is needed to open the PDF."""

    kind = "encrypted"


class ScannedPdfError(ReportError):
    """The pages carry no text layer (images only)."""

    kind = "scanned"


class NotJuesuanError(ReportError):
    """A readable PDF that holds no 公开 决算 table."""

    kind = "not_juesuan"


class TooLargeError(ReportError):
    """Beyond a parse limit (pages, glyphs or operators per page, memory, time); the message
    names the limit that was hit."""

    kind = "too_large"
