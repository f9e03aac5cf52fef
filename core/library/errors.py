"""Errors of the library itself (the input's errors are :mod:`core.errors`)::

LibraryError            (root; .kind, .message_zh, .message_en)
├── LibraryCorruptError library_corrupt  the database file is damaged (moved aside)
└── LibraryBusyError    library_busy     another process held the file too long
"""

from __future__ import annotations

from pathlib import Path


class LibraryError(Exception):
    """The library cannot be used; one plain line in Chinese and English."""

    kind = "library"

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh} / {message_en}")

    def line(self) -> str:
        """``error[KIND]: 中文 / English``, as the command line prints it."""
        return f"error[{self.kind}]: {self.message_zh} / {self.message_en}"


class LibraryCorruptError(LibraryError):
    """The database file is damaged; it was moved aside to ``backup``."""

    kind = "library_corrupt"

    def __init__(self, path: Path, backup: Path) -> None:
        self.path = path
        self.backup = backup
        super().__init__(
            f"报告库文件 {str(path)!r} 已损坏，无法读取；原文件已备份为 {str(backup)!r}。"
            "再次打开将新建报告库，已存的 PDF 不受影响，可用“重建”从中重新读入全部报告。",
            f"the library file {str(path)!r} is damaged and cannot be read; it was moved to "
            f"{str(backup)!r}. Opening again starts a new library; the stored PDFs are kept "
            "and 'rebuild' reads them all in again.",
        )


class LibraryBusyError(LibraryError):
    """Another process held the database file for longer than we wait."""

    kind = "library_busy"
