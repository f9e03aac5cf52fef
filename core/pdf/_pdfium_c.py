"""The few PDFium functions the text layer calls, bound straight to pypdfium2's library.

``import pypdfium2.raw`` costs ~0.04 s of CPU a process (it imports the helper package, its
logging and ~1,500 prototypes); binding these ~35 functions to the same shared library costs
~2 ms. The library is the one pypdfium2 ships (found without importing its package), so a
later ``import pypdfium2`` in the same process (the OCR renderer) loads the very same PDFium:
``FPDF_InitLibraryWithConfig`` returns at once when PDFium is already initialised.

Two kinds of prototype: typed ones (pointer types checked, for calls made a few times a page)
and, for the calls made once a glyph, bare ones with no argument types (``_bare``): ctypes
then converts nothing, which makes a call ~4× cheaper; their callers must pass handles as
``c_void_p`` (a bare Python int would be passed as a 32-bit C int) and indices as ints.
"""

from __future__ import annotations

import ctypes
import importlib.machinery
import os
import sys

TYPE_CHECKING = False  # not typing's: importing typing costs ~2 ms a process, for annotations
if TYPE_CHECKING:
    from typing import Any

_vp, _int, _uint, _ulong = ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_ulong
_float, _double = ctypes.c_float, ctypes.c_double


class FS_MATRIX(ctypes.Structure):
    """PDFium's affine matrix (PDF order a b c d e f)."""

    _fields_ = [(name, ctypes.c_float) for name in "abcdef"]


class FS_RECTF(ctypes.Structure):
    """PDFium's float rectangle."""

    _fields_ = [("left", _float), ("top", _float), ("right", _float), ("bottom", _float)]


class _LibraryConfig(ctypes.Structure):
    _fields_ = [
        ("version", _int),
        ("m_pUserFontPaths", _vp),
        ("m_pIsolate", _vp),
        ("m_v8EmbedderSlot", _uint),
    ]


FPDF_ERR_FILE, FPDF_ERR_FORMAT, FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY = 2, 3, 4, 5
FPDF_PAGEOBJ_TEXT, FPDF_PAGEOBJ_PATH, FPDF_PAGEOBJ_IMAGE, FPDF_PAGEOBJ_FORM = 1, 2, 3, 5
FPDF_SEGMENT_BEZIERTO, FPDF_SEGMENT_MOVETO = 1, 2


def _library_path() -> str:
    # found on sys.path without importing it (it is a plain installed package): the path
    # finder, not importlib.util's find_spec (importlib.util is ~0.4 ms of a parse's start)
    spec = importlib.machinery.PathFinder.find_spec("pypdfium2_raw")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pypdfium2 (its pypdfium2_raw part) is not installed")
    if sys.platform.startswith(("win32", "cygwin", "msys")):
        name = "pdfium.dll"
    elif sys.platform == "darwin":
        name = "libpdfium.dylib"
    else:
        name = "libpdfium.so"
    return os.path.join(next(iter(spec.submodule_search_locations)), name)


_lib = ctypes.CDLL(_library_path())


def _typed(name: str, restype: Any, *argtypes: Any) -> Any:
    func = getattr(_lib, name)
    func.restype, func.argtypes = restype, argtypes
    return func


def _bare(name: str, restype: Any) -> Any:
    """A prototype with no argument types: see the module's note."""
    address = ctypes.cast(getattr(_lib, name), ctypes.c_void_p).value
    assert address is not None  # the symbol was found, or getattr raised
    return ctypes.CFUNCTYPE(restype)(address)


_P = ctypes.POINTER
FPDF_InitLibraryWithConfig = _typed("FPDF_InitLibraryWithConfig", None, _P(_LibraryConfig))
FPDF_LoadMemDocument64 = _typed("FPDF_LoadMemDocument64", _vp, _vp, ctypes.c_size_t, _vp)
FPDF_GetLastError = _typed("FPDF_GetLastError", _ulong)
FPDF_GetPageCount = _typed("FPDF_GetPageCount", _int, _vp)
FPDF_CloseDocument = _typed("FPDF_CloseDocument", None, _vp)
FPDF_DocumentHasValidCrossReferenceTable = _typed(
    "FPDF_DocumentHasValidCrossReferenceTable", _int, _vp
)
FPDF_LoadPage = _typed("FPDF_LoadPage", _vp, _vp, _int)
FPDF_ClosePage = _typed("FPDF_ClosePage", None, _vp)
FPDFPage_GetMediaBox = _typed(
    "FPDFPage_GetMediaBox", _int, _vp, _P(_float), _P(_float), _P(_float), _P(_float)
)
FPDF_GetPageWidthF = _typed("FPDF_GetPageWidthF", _float, _vp)
FPDF_GetPageHeightF = _typed("FPDF_GetPageHeightF", _float, _vp)
FPDFPage_GetRotation = _typed("FPDFPage_GetRotation", _int, _vp)
FPDFPage_CountObjects = _typed("FPDFPage_CountObjects", _int, _vp)
FPDFPage_GetObject = _typed("FPDFPage_GetObject", _vp, _vp, _int)
FPDFPageObj_GetType = _typed("FPDFPageObj_GetType", _int, _vp)
FPDFPageObj_GetMatrix = _typed("FPDFPageObj_GetMatrix", _int, _vp, _P(FS_MATRIX))
FPDFFormObj_CountObjects = _typed("FPDFFormObj_CountObjects", _int, _vp)
FPDFFormObj_GetObject = _typed("FPDFFormObj_GetObject", _vp, _vp, _ulong)
FPDFPath_CountSegments = _typed("FPDFPath_CountSegments", _int, _vp)
FPDFPath_GetPathSegment = _typed("FPDFPath_GetPathSegment", _vp, _vp, _int)
FPDFPathSegment_GetType = _typed("FPDFPathSegment_GetType", _int, _vp)
FPDFPathSegment_GetPoint = _typed("FPDFPathSegment_GetPoint", _int, _vp, _P(_float), _P(_float))
FPDFText_LoadPage = _typed("FPDFText_LoadPage", _vp, _vp)
FPDFText_ClosePage = _typed("FPDFText_ClosePage", None, _vp)
FPDFText_CountChars = _typed("FPDFText_CountChars", _int, _vp)
FPDFText_GetText = _typed("FPDFText_GetText", _int, _vp, _int, _int, _vp)
FPDFText_GetFontSize = _typed("FPDFText_GetFontSize", _double, _vp, _int)
FPDFText_GetMatrix = _typed("FPDFText_GetMatrix", _int, _vp, _int, _P(FS_MATRIX))
FPDFTextObj_GetFont = _typed("FPDFTextObj_GetFont", _vp, _vp)
FPDFFont_GetDescent = _typed("FPDFFont_GetDescent", _int, _vp, _float, _P(_float))
FPDFText_HasUnicodeMapError = _typed("FPDFText_HasUnicodeMapError", _int, _vp, _int)


class Handle(ctypes.c_void_p):
    """A handle a bare prototype returns as is (ctypes turns a plain ``c_void_p`` result
    into an int, which a bare call would pass on as a 32-bit int); ``.value`` is the
    address."""


# once a glyph or text object: bare (see the module's note)
bare_GetUnicode = _bare("FPDFText_GetUnicode", _uint)
bare_IsHyphen = _bare("FPDFText_IsHyphen", _int)
bare_GetTextObject = _bare("FPDFText_GetTextObject", Handle)
# the same, its address as an int (0 for none): a dictionary key with no object to build
bare_GetTextObjectAddress = _bare("FPDFText_GetTextObject", ctypes.c_size_t)
bare_GetMatrix = _bare("FPDFText_GetMatrix", _int)
bare_GetFontSize = _bare("FPDFText_GetFontSize", _double)
bare_TextObjGetFont = _bare("FPDFTextObj_GetFont", Handle)
bare_GetCharOrigin = _bare("FPDFText_GetCharOrigin", _int)
bare_GetLooseCharBox = _bare("FPDFText_GetLooseCharBox", _int)
# once a page object or path segment (thousands a page: every text run is one)
bare_PageGetObject = _bare("FPDFPage_GetObject", Handle)
bare_FormGetObject = _bare("FPDFFormObj_GetObject", Handle)  # its index: pass a c_ulong
bare_ObjGetType = _bare("FPDFPageObj_GetType", _int)
bare_PathCountSegments = _bare("FPDFPath_CountSegments", _int)
bare_PathGetSegment = _bare("FPDFPath_GetPathSegment", Handle)
bare_SegmentGetType = _bare("FPDFPathSegment_GetType", _int)
bare_SegmentGetPoint = _bare("FPDFPathSegment_GetPoint", _int)

FPDF_InitLibraryWithConfig(ctypes.byref(_LibraryConfig(version=2)))


def glyph_loop_addresses() -> tuple[int, ...]:
    """The addresses of the ten functions the C glyph loop (``core/pdf/_glyphs.c``) calls,
    in the order its ``bind`` takes them."""
    names = (
        "FPDFText_GetUnicode",
        "FPDFText_IsHyphen",
        "FPDFText_GetTextObject",
        "FPDFText_GetMatrix",
        "FPDFText_GetFontSize",
        "FPDFTextObj_GetFont",
        "FPDFText_GetCharOrigin",
        "FPDFText_GetLooseCharBox",
        "FPDFText_HasUnicodeMapError",
        "FPDFFont_GetDescent",
    )
    return _addresses(names)


def _addresses(names: tuple[str, ...]) -> tuple[int, ...]:
    """The addresses of the named PDFium functions, in order."""
    out = []
    for name in names:
        address = ctypes.cast(getattr(_lib, name), ctypes.c_void_p).value
        assert address is not None  # the symbol was found, or getattr raised
        out.append(address)
    return tuple(out)


def walk_addresses() -> tuple[int, ...]:
    """The addresses of the ten functions the C page-object walk (``core/pdf/_glyphs.c``)
    calls, in the order its ``bind_walk`` takes them."""
    names = (
        "FPDFPage_CountObjects",
        "FPDFPage_GetObject",
        "FPDFFormObj_CountObjects",
        "FPDFFormObj_GetObject",
        "FPDFPageObj_GetType",
        "FPDFPageObj_GetMatrix",
        "FPDFPath_CountSegments",
        "FPDFPath_GetPathSegment",
        "FPDFPathSegment_GetType",
        "FPDFPathSegment_GetPoint",
    )
    return _addresses(names)
