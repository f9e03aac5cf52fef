"""Regular expressions whose compiled programs are kept on disk between processes, as bytecode is.

Why this exists: a parse uses ~240 patterns, and :mod:`re` compiles each one again in every
new process. Most hold CJK classes such as ``[\\u4e00-\\u9fff]``, and re's compiler (written in
Python) walks every code point of such a range to build its bitmap, ~1 ms a class; all told
~30 ms a process, a fifth of a whole ``python -m core parse``. re keeps what it compiled only
in memory, so this module keeps it on disk: the program re's compiler produces for each
(pattern, flags) — the code list the C engine runs, the group count and names — and rebuilds
a pattern from it with ``_sre.compile``, the very call that ends :func:`re.compile`. A pattern
so rebuilt is equal to ``re.compile(pattern, flags)`` (CPython's Pattern equality compares the
flags and the compiled code), and a program is stored only after that equality was checked.

Core code calls :func:`compile`, :func:`search`, :func:`match` … here instead of re's; re
itself is left alone (no global patching: other libraries' patterns never go through here).

The store is one file per interpreter, beside the package's bytecode: ``core/__pycache__``, or
under ``PYTHONPYCACHEPREFIX`` when that is set, else (a read-only install) the user's cache
directory. It is read once, at the first pattern asked for, and written back (atomically,
merged under a lock with what another process wrote meanwhile) when the process ends or calls
:func:`save`, only if it learnt a new pattern and Python writes bytecode
(``PYTHONDONTWRITEBYTECODE`` unset). The file names the Python version and re's and _sre's
magic numbers; a file from another version, a damaged file or any error while reading it means
plain :func:`re.compile`, pattern by pattern. A program is trusted as a .pyc file is: whoever
can write the store can write the bytecode beside it.
"""

from __future__ import annotations

import _sre
import _thread
import atexit
import marshal
import os
import re
import sys
from array import array
from collections.abc import Callable, Iterator

TYPE_CHECKING = False  # not typing's: importing typing costs ~2 ms a process, for annotations
if TYPE_CHECKING:
    from typing import Any, AnyStr

#: what a stored program is valid for: the interpreter, and the formats of re's compiler and
#: of the C engine that runs its code
DEFAULT_TAG = (
    "programs/2",  # this file's layout
    sys.version,
    sys.implementation.cache_tag,
    sys.maxunicode,
    re._constants.MAGIC,  # type: ignore[attr-defined]
    _sre.MAGIC,
    _sre.CODESIZE,
)
#: a store grown past this many programs (patterns built from run-time text) starts afresh
DEFAULT_MAX_PROGRAMS = 4000

#: (pattern, flags) → (flags, code, groups - 1, groupindex, indexgroup): _sre.compile's
#: arguments, the code as the bytes of an array of C words (read back ~5× faster than a list)
Program = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]
#: the array type of one code word of the C engine (_sre.CODESIZE bytes)
_CODE = "I" if array("I").itemsize == _sre.CODESIZE else "L"
Key = tuple[str | bytes, int]


def _default_path() -> str:
    """Where the store lives: as the bytecode of this module would, else the user cache dir."""
    here = os.path.dirname(os.path.abspath(__file__))
    name = f"regex-programs.{sys.implementation.cache_tag}.bin"
    prefix = sys.pycache_prefix
    folder = (
        os.path.join(prefix, here.lstrip(os.sep)) if prefix else os.path.join(here, "__pycache__")
    )
    probe = folder
    while not os.path.isdir(probe) and os.path.dirname(probe) != probe:
        probe = os.path.dirname(probe)  # the nearest folder that exists must take a new one
    if not os.access(probe, os.W_OK):
        cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(cache, "juesuan-dashboard")
    return os.path.join(folder, name)


def _program(pattern: str | bytes, flags: int) -> Program:
    """re's compiled program for ``pattern``: what re._compiler.compile hands to _sre.compile."""
    parsed = re._parser.parse(pattern, flags)  # type: ignore[attr-defined]
    code = array(_CODE, re._compiler._code(parsed, flags)).tobytes()  # type: ignore[attr-defined]
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (
        flags | parsed.state.flags,
        code,
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )


def _rebuild(pattern: str | bytes, program: Program) -> re.Pattern[Any]:
    flags, code, groups, groupindex, indexgroup = program
    words = array(_CODE, code).tolist()
    return _sre.compile(pattern, flags, words, groups, groupindex, indexgroup)


class ProgramStore:
    """Compiled programs by (pattern, flags), read from and written to one file."""

    def __init__(self, path: str, tag: tuple[object, ...] = DEFAULT_TAG) -> None:
        self.path = path
        self.tag = tag
        self._stored: dict[Key, Program] | None = None  # read lazily
        self._new: dict[Key, Program] = {}
        self._used: set[Key] = set()

    def _read(self) -> dict[Key, Program]:
        """The programs in the file; empty for a missing, foreign or damaged file."""
        try:
            with open(self.path, "rb") as f:
                data = f.read()  # marshal.load(f) would read the file in thousands of calls
            tag, programs = marshal.loads(data)
            if tag == self.tag and isinstance(programs, dict):
                return programs
        except Exception:  # missing, unreadable, truncated, another format: compile afresh
            pass
        return {}

    def compile(self, pattern: str | bytes, flags: int) -> re.Pattern[Any]:
        """The pattern, rebuilt from its stored program, else compiled (and its program kept)."""
        if self._stored is None:
            self._stored = self._read()
        flags = int(flags)  # a RegexFlag is not marshalled
        key = (pattern, flags)
        program = self._stored.get(key)
        if program is not None:
            try:
                rebuilt = _rebuild(pattern, program)
                self._used.add(key)
                return rebuilt
            except Exception:  # a program that does not fit: this entry is forgotten
                self._stored.pop(key, None)
        compiled = re.compile(pattern, flags)
        try:
            program = _program(pattern, flags)
            if _rebuild(pattern, program) == compiled:
                self._new[key] = program
        except Exception:  # re's internals differ from what this module knows: no store
            pass
        return compiled

    def save(self) -> None:
        """Merge what this process learnt into the file (atomic replace); errors are ignored.

        Processes that end together (the command line and its parse worker) take turns on a
        lock file beside the store, so neither replaces the file with a merge that misses
        what the other just wrote."""
        if not self._new:
            return
        tmp = f"{self.path}.{os.getpid()}.tmp"
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with open(f"{self.path}.lock", "ab") as lock:
                _flock(lock.fileno())  # released when the file closes
                programs = self._read()
                if len(programs) + len(self._new) > DEFAULT_MAX_PROGRAMS:
                    stored = self._stored or {}
                    programs = {k: stored[k] for k in self._used if k in stored}  # this process's
                programs.update(self._new)
                with open(tmp, "wb") as f:
                    marshal.dump((self.tag, programs), f)  # type: ignore[arg-type]
                os.replace(tmp, self.path)
            self._new = {}
        except Exception:  # a read-only or full disk: the next process compiles again
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _flock(fd: int) -> None:
    """An exclusive lock on the open file ``fd`` (where the system has flock)."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock; a lost merge costs a compile next time
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


_store: ProgramStore | None = None
#: held on the slow path only (a pattern not seen yet in this process, and the save at exit):
#: the Streamlit server compiles from several threads (_thread's lock: no threading import)
_lock = _thread.allocate_lock()
#: (type, pattern, flags) → compiled pattern, for this process (re keeps its own cache likewise)
_compiled: dict[tuple[type, object, int], re.Pattern[Any]] = {}


def save() -> None:
    """Write the programs this process learnt to the store now, as the process's end would
    (when Python writes bytecode): for a process that is killed rather than left to end,
    such as a parse worker once it has answered."""
    if _store is not None and not sys.dont_write_bytecode:
        with _lock:
            _store.save()


_save_at_exit = save


def compile(pattern: AnyStr | re.Pattern[AnyStr], flags: int = 0) -> re.Pattern[AnyStr]:
    """``re.compile``, with the compiled program read from (and kept in) the store."""
    try:  # called thousands of times a parse: the pattern seen before first, as re does
        return _compiled[type(pattern), pattern, flags]
    except KeyError:
        return _compile(pattern, flags)


def _compile(pattern: AnyStr | re.Pattern[AnyStr], flags: int) -> re.Pattern[AnyStr]:
    if isinstance(pattern, re.Pattern):
        if flags:
            raise ValueError("cannot process flags argument with a compiled pattern")
        return pattern
    flags = int(flags)
    global _store
    with _lock:
        if _store is None:
            _store = ProgramStore(_default_path())
            atexit.register(_save_at_exit)
        compiled = _store.compile(pattern, flags)
    _compiled[type(pattern), pattern, flags] = compiled
    return compiled


def search(
    pattern: AnyStr | re.Pattern[AnyStr], string: AnyStr, flags: int = 0
) -> re.Match[AnyStr] | None:
    """``re.search`` through :func:`compile`."""
    return compile(pattern, flags).search(string)


def match(
    pattern: AnyStr | re.Pattern[AnyStr], string: AnyStr, flags: int = 0
) -> re.Match[AnyStr] | None:
    """``re.match`` through :func:`compile`."""
    return compile(pattern, flags).match(string)


def fullmatch(
    pattern: AnyStr | re.Pattern[AnyStr], string: AnyStr, flags: int = 0
) -> re.Match[AnyStr] | None:
    """``re.fullmatch`` through :func:`compile`."""
    return compile(pattern, flags).fullmatch(string)


def finditer(
    pattern: AnyStr | re.Pattern[AnyStr], string: AnyStr, flags: int = 0
) -> Iterator[re.Match[AnyStr]]:
    """``re.finditer`` through :func:`compile`."""
    return compile(pattern, flags).finditer(string)


def findall(pattern: AnyStr | re.Pattern[AnyStr], string: AnyStr, flags: int = 0) -> list[Any]:
    """``re.findall`` through :func:`compile`."""
    return compile(pattern, flags).findall(string)


def split(
    pattern: AnyStr | re.Pattern[AnyStr], string: AnyStr, maxsplit: int = 0, flags: int = 0
) -> list[AnyStr | Any]:
    """``re.split`` through :func:`compile`."""
    return compile(pattern, flags).split(string, maxsplit)


def sub(
    pattern: AnyStr | re.Pattern[AnyStr],
    repl: AnyStr | Callable[[re.Match[AnyStr]], AnyStr],
    string: AnyStr,
    count: int = 0,
    flags: int = 0,
) -> AnyStr:
    """``re.sub`` through :func:`compile`."""
    return compile(pattern, flags).sub(repl, string, count)
