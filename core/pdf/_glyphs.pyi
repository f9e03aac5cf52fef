# The C build of the PDFium text layer's per-glyph loop (core/pdf/_glyphs.c).
from collections.abc import Callable

from core.pdf.page import Glyph, Word

def bind(addresses: tuple[int, ...], /) -> None: ...
def glyphs(
    text_page: int, text: str, affine: tuple[float, float, float, float, float, float], /
) -> tuple[list[Glyph], int]: ...
def words(
    glyphs: list[Glyph], word: type[Word], normalize: Callable[[str], str], min_share: float, /
) -> tuple[Word, ...] | None: ...
