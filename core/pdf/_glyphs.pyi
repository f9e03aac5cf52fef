# The C build of the PDFium text layer's per-glyph loop (core/pdf/_glyphs.c).
from core.pdf.page import Glyph

def bind(addresses: tuple[int, ...], /) -> None: ...
def glyphs(
    text_page: int, text: str, affine: tuple[float, float, float, float, float, float], /
) -> tuple[list[Glyph], int]: ...
