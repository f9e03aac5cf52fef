"""The report library: parsed reports kept in DuckDB by sha256 (:mod:`.store`), imported many
at a time in worker processes or on a Ray cluster (:mod:`.importer`, :mod:`.distributed`),
and compared across years and units in SQL (:mod:`.compare`)."""

from core.library.errors import LibraryCorruptError, LibraryError
from core.library.store import (
    LIBRARY_ENV,
    Library,
    default_library_dir,
    open_library,
    unit_key,
)

__all__ = [
    "LIBRARY_ENV",
    "Library",
    "LibraryCorruptError",
    "LibraryError",
    "default_library_dir",
    "open_library",
    "unit_key",
]
