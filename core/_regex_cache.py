"""Compiled regular expressions kept from one process to the next, as bytecode is.

The parser's ~240 patterns (many with CJK ranges such as ``[\\u4e00-\\u9fff]``, which the
``re`` module's pure-Python compiler walks one code point at a time) cost ~0.06–0.1 s of CPU
to compile in every process: as much as PDFium's reading of a whole report. What the
compiler produces for a pattern (its flags, SRE code, groups) depends only on the pattern,
its flags and the Python build, so it is kept in a file keyed by all three and handed to
``_sre.compile`` in later processes: the same Pattern object, without compiling.

:func:`install` puts :func:`_compile` in place of ``re._compiler.compile`` (which
``re.compile``, ``re.search`` … all go through), after checking on a few patterns that what
it builds from a stored entry equals what the compiler builds (``Pattern.__eq__`` compares
the code); on any other Python, or when that check fails, nothing is installed and ``re``
compiles as always. New entries are written at exit (one file a Python build, replaced
whole, so processes never see half of one). ``JUESUAN_REGEX_CACHE=0`` turns it off;
``JUESUAN_CACHE`` (else ``$XDG_CACHE_HOME/juesuan``, else ``~/.cache/juesuan``) is where it
lives.
"""

from __future__ import annotations

import atexit
import marshal
import os
import sys
import threading
from pathlib import Path
from typing import Any

#: Patterns kept at most (the app's process compiles other libraries' patterns too).
MAX_ENTRIES = 4096

_Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]

_entries: dict[tuple[str | bytes, int], _Entry] = {}
_added = 0
_loaded = 0
"""Entries read from the file at :func:`install`."""
_lock = threading.Lock()
_original: Any = None
_path: Path | None = None


def cache_dir() -> Path:
    """Where the cache lives: ``$JUESUAN_CACHE``, ``$XDG_CACHE_HOME/juesuan`` or
    ``~/.cache/juesuan``."""
    if os.environ.get("JUESUAN_CACHE"):
        return Path(os.environ["JUESUAN_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "juesuan"


def _build(p: str | bytes, flags: int) -> tuple[Any, _Entry]:
    """Compile as ``re._compiler.compile`` does, keeping what it hands to ``_sre.compile``."""
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]  # private, see the note

    parsed = _parser.parse(p, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    entry: _Entry = (
        int(flags | parsed.state.flags),
        [int(c) for c in code],  # opcodes are int subclasses marshal does not take
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )
    return _sre.compile(p, *entry), entry


def _compile(p: Any, flags: int = 0) -> Any:
    """``re._compiler.compile`` with the stored entries; patterns given already parsed (as
    ``re.Scanner`` does) or in DEBUG mode go to the compiler as always."""
    import _sre

    global _added
    if not isinstance(p, str | bytes) or flags & 128:  # re.DEBUG
        return _original(p, flags)
    key = (p, int(flags))
    entry = _entries.get(key)
    if entry is not None:
        try:
            return _sre.compile(p, *entry)
        except Exception:  # a damaged entry: compile it again below
            pass
    compiled, entry = _build(p, flags)
    with _lock:
        if len(_entries) < MAX_ENTRIES:
            _entries[key] = entry
            _added += 1
    return compiled


def _load(path: Path) -> dict[tuple[str | bytes, int], _Entry]:
    try:
        loaded = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def save() -> None:
    """Write the entries added since the file was read (merged with what other processes
    wrote meanwhile); an unwritable place is no error."""
    global _added
    if _path is None or not _added:
        return
    with _lock:
        merged = _load(_path)
        for key, entry in _entries.items():
            if len(merged) >= MAX_ENTRIES:
                break
            merged.setdefault(key, entry)
        _added = 0
    try:
        _path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _path.with_name(f"{_path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(merged))
        os.replace(tmp, _path)
    except (OSError, ValueError):
        pass


def _self_test() -> bool:
    """Whether a Pattern built from an entry (after a trip through marshal) equals the
    compiler's own, on patterns with groups, names, flags, CJK ranges and bytes."""
    import re

    samples: list[tuple[str | bytes, int]] = [
        (r"^(\d{3})(?P<name>[\u4e00-\u9fff（）]{2,40}?)(?=\d|$)", 0),
        (r"[\s“”\"‘’'「」『』]|合计|总计", 0),
        (r"(?i)total\s+(\w+)", re.IGNORECASE),
        (rb"%PDF-\d", 0),
    ]
    try:
        for p, flags in samples:
            _, entry = _build(p, flags)
            import _sre

            again = _sre.compile(p, *marshal.loads(marshal.dumps(entry)))
            if again != _original(p, flags) or again.groupindex != _original(p, flags).groupindex:
                return False
    except Exception:
        return False
    return True


def install() -> bool:
    """Put the cache in place of ``re._compiler.compile`` once a process; whether it is."""
    global _original, _path, _loaded
    from re import _compiler  # type: ignore[attr-defined]

    if _original is not None:
        return True
    if os.environ.get("JUESUAN_REGEX_CACHE", "1") == "0":
        return False
    _original = _compiler.compile
    if sys.implementation.name != "cpython" or not _self_test():
        _original = None
        return False
    import _sre

    _path = cache_dir() / f"regex-{sys.hexversion:x}-{_sre.MAGIC}-{_sre.CODESIZE}.marshal"
    _entries.update(_load(_path))
    _loaded = len(_entries)
    _compiler.compile = _compile
    atexit.register(save)
    return True
