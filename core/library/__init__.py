"""The report library: parsed reports kept in DuckDB by sha256 (:mod:`.store`), imported many
at a time in worker processes or on a Ray cluster (:mod:`.importer`, :mod:`.distributed`),
and compared across years and units in SQL (:mod:`.compare`).

Names are loaded on first use, so ``python -m core parse`` (which only needs the library's
error classes) does not import DuckDB, pandas or Arrow.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.library import compare
    from core.library.errors import LibraryCorruptError, LibraryError
    from core.library.store import (
        LIBRARY_ENV,
        Library,
        default_library_dir,
        open_library,
        unit_key,
    )

_WHERE = {
    "LibraryCorruptError": "core.library.errors",
    "LibraryError": "core.library.errors",
    "LIBRARY_ENV": "core.library.store",
    "Library": "core.library.store",
    "default_library_dir": "core.library.store",
    "open_library": "core.library.store",
    "unit_key": "core.library.store",
}

__all__ = [
    "LIBRARY_ENV",
    "Library",
    "LibraryCorruptError",
    "LibraryError",
    "compare",
    "default_library_dir",
    "open_library",
    "unit_key",
]


def __getattr__(name: str) -> Any:
    if name == "compare":
        return importlib.import_module("core.library.compare")
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(name)
