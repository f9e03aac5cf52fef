"""The pack as a PDF, one 16:9 page per slide, the CJK font embedded (reportlab)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from core.present.brief.layout import (
    ACCENT,
    ALERT,
    CHART_BOX,
    CONTENT_WIDTH,
    DEFAULT_PDF_FONTS,
    FOOTER_RULE,
    FOOTER_SIZE,
    FOOTER_TOP,
    INK,
    MARGIN,
    MUTED,
    PANEL,
    RULE,
    SLIDE_SIZE,
    TABLE_COLUMNS,
    TABLE_ROW,
    TABLE_SIZE,
    TABLE_TOP,
    TAKEAWAY_SIZE,
    TAKEAWAY_TOP,
    TITLE_SIZE,
    TITLE_TOP,
    Run,
    _card_boxes,
    _fit_image,
    _footer_left,
    _title_fit,
)
from core.present.brief.pptx import _card_runs, _is_alert, _lines_top, _row_fill
from core.present.brief.record import CHART, FIGURES, PROBLEM, TITLE, Brief, Slide
from core.present.export import ExportUnavailable

# -- PDF ----------------------------------------------------------------------------------------

_PDF_FONT = "JuesuanCJK"


def _pdf_font() -> str:
    """Register the embedded CJK font once; a clear error when the server has none."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    # Images as binary streams, not ASCII85 text: reportlab's pure-Python ASCII85 took a
    # third of a pack's PDF time (the PDF is a download, never mailed as 7-bit text).
    rl_config.useA85 = 0

    if _PDF_FONT in pdfmetrics.getRegisteredFontNames():
        return _PDF_FONT
    for path in DEFAULT_PDF_FONTS:
        if path.is_file():
            pdfmetrics.registerFont(TTFont(_PDF_FONT, str(path), subfontIndex=0))
            return _PDF_FONT
    raise ExportUnavailable(
        "服务器上没有可嵌入 PDF 的中文字体（请安装 fonts-wqy-zenhei），无法生成 PDF 简报。",
        "no CJK font on the server to embed in the PDF (install fonts-wqy-zenhei), "
        "so the PDF briefing cannot be made.",
    )


def warm_up() -> None:
    """Register the embedded font ahead of the first PDF (reading the CJK font file costs
    most of a second of CPU), where there is one; quietly nothing where there is none."""
    try:
        _pdf_font()
    except ExportUnavailable:
        pass


class _Page:
    """A reportlab canvas addressed in inches from the top left, as the slides are."""

    def __init__(self, canvas: Any, font: str, height: float = SLIDE_SIZE[1]) -> None:
        self.c = canvas
        self.font = font
        self.height = height
        """Page height in inches (a slide's, or A4's for the one-page summary)."""

    @staticmethod
    def pt(inches: float) -> float:
        return inches * 72

    def y(self, inches: float) -> float:
        return self.pt(self.height - inches)

    def rect(self, box: tuple[float, float, float, float], color: str) -> None:
        from reportlab.lib.colors import HexColor

        x, y, w, h = box
        self.c.setFillColor(HexColor(color))
        self.c.rect(self.pt(x), self.y(y + h), self.pt(w), self.pt(h), stroke=0, fill=1)

    def width(self, piece: Run) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return stringWidth(piece.text, self.font, piece.size)

    def wrap(self, piece: Run, width: float) -> list[str]:
        """Lines of at most width inches; numbers and Latin words are kept whole."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        limit = self.pt(width)
        tokens = re.findall(r"[0-9A-Za-z.,%+\-–:/_()]+|.", piece.text)
        lines, line = [], ""
        for token in tokens:
            trial = line + token
            closing = token in "，。；、：）”%"
            if line and stringWidth(trial, self.font, piece.size) > limit and not closing:
                # an opening bracket goes down with what it opens
                carry = line[-1] if line[-1] in "（“" else ""
                lines.append(line[: len(line) - len(carry)])
                line = carry + token.lstrip()
            else:
                line = trial
        if line:
            lines.append(line)
        return lines or [""]

    def runs(self, x: float, top: float, pieces: Sequence[Run], *, align: str = "left") -> None:
        """One line of runs, its first baseline one em-ish below top."""
        from reportlab.lib.colors import HexColor

        size = max(p.size for p in pieces)
        base = self.y(top) - size * 0.92
        total = sum(self.width(p) for p in pieces)
        cursor = self.pt(x) - (total if align == "right" else 0)
        for piece in pieces:
            # The font has no bold face: stroke the outline a little. The render mode is
            # graphics state and outlives the text object, hence the save and restore.
            self.c.saveState()
            text = self.c.beginText(cursor, base)
            text.setFont(self.font, piece.size)
            text.setFillColor(HexColor(piece.color))
            if piece.bold:
                self.c.setStrokeColor(HexColor(piece.color))
                self.c.setLineWidth(piece.size * 0.035)
                text.setTextRenderMode(2)
            text.textOut(piece.text)
            self.c.drawText(text)
            self.c.restoreState()
            cursor += self.width(piece)

    def text(
        self, box: tuple[float, float, float, float], piece: Run, *, spacing: float = 1.3
    ) -> float:
        """Wrapped text in a box; returns the inches used."""
        x, y, w, _h = box
        lines = self.wrap(piece, w)
        step = piece.size * spacing / 72
        for i, line in enumerate(lines):
            self.runs(x, y + i * step, [piece._replace(text=line)])
        return len(lines) * step


def write_pdf(brief: Brief) -> bytes:
    """The pack as a PDF, one 16:9 page per slide, the CJK font embedded (reportlab)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    font = _pdf_font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(SLIDE_SIZE[0] * 72, SLIDE_SIZE[1] * 72), initialFontName=font)
    canvas.setTitle(f"{brief.unit} {brief.heading} 决算简报")
    canvas.setAuthor("决算看板")
    canvas.setSubject(f"根据 {brief.file_name} 生成")
    page = _Page(canvas, font)
    total = len(brief.slides)
    for number, data in enumerate(brief.slides, start=1):
        if data.kind == TITLE:
            _pdf_title(page, data)
        else:
            _pdf_heading(page, data)
            if data.kind in (CHART, PROBLEM):
                x, y, w, h = _fit_image(data.image_size, CHART_BOX)
                canvas.drawImage(
                    ImageReader(io.BytesIO(data.image)),
                    page.pt(x),
                    page.y(y + h),
                    page.pt(w),
                    page.pt(h),
                )
            elif data.kind == FIGURES:
                _pdf_cards(page, data)
            else:
                _pdf_table(page, data)
                _pdf_lines(page, data)
            _pdf_footer(page, _footer_left(brief, data), f"{number} / {total}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _pdf_title(page: _Page, data: Slide) -> None:
    label, source, generated = data.lines
    page.rect((0, 0, 0.28, SLIDE_SIZE[1]), ACCENT)
    page.runs(1.2, 1.75, [Run(label, 22, ACCENT, True)])
    size, lines = _title_fit(data.title)
    height = lines * size * 1.3 / 72
    page.text((1.2, 2.45, 11, height), Run(data.title, size, INK, True), spacing=1.3)
    year_top = 2.45 + height + 0.3
    page.runs(1.2, year_top, [Run(data.takeaway, 28, INK)])
    page.rect((1.2, 5.75, 11.5, 0.014), RULE)
    page.runs(1.2, 5.95, [Run(source, 15, MUTED)])
    page.runs(1.2, 6.4, [Run(generated, 15, MUTED)])


def _pdf_heading(page: _Page, data: Slide) -> None:
    page.rect((MARGIN - 0.22, TITLE_TOP + 0.06, 0.07, 0.42), ACCENT)
    page.runs(MARGIN, TITLE_TOP, [Run(data.title, TITLE_SIZE, INK, True)])
    if data.takeaway:
        page.text(
            (MARGIN, TAKEAWAY_TOP, CONTENT_WIDTH, 0.8),
            Run(data.takeaway, TAKEAWAY_SIZE, ACCENT),
            spacing=1.25,
        )


def _pdf_footer(page: _Page, left: str, right: str) -> None:
    page.rect((MARGIN, FOOTER_RULE, CONTENT_WIDTH, 0.01), RULE)
    page.runs(MARGIN, FOOTER_TOP, [Run(left, FOOTER_SIZE, MUTED)])
    page.runs(SLIDE_SIZE[0] - MARGIN, FOOTER_TOP, [Run(right, FOOTER_SIZE, MUTED)], align="right")


def _pdf_cards(page: _Page, data: Slide) -> None:
    for card, (x, y, w, h) in zip(data.cards, _card_boxes(len(data.cards)), strict=True):
        page.rect((x, y, w, h), PANEL)
        page.rect((x, y, 0.06, h), ACCENT)
        inner = w - 0.42
        label, value, change, note = _card_runs(card, inner)
        page.runs(x + 0.24, y + 0.18, label)
        page.runs(x + 0.24, y + 0.52, value)
        if change:
            page.text((x + 0.24, y + 1.08, inner, 0.42), change[0], spacing=1.2)
        page.text((x + 0.24, y + 1.54, inner, 0.6), note[0], spacing=1.2)


def _pdf_table(page: _Page, data: Slide) -> None:
    widths = TABLE_COLUMNS[data.kind]
    row_h = TABLE_ROW[data.kind]
    size = TABLE_SIZE[data.kind]
    for r, values in enumerate(data.table):
        top = TABLE_TOP + r * row_h
        page.rect((MARGIN, top, sum(widths), row_h), _row_fill(r))
        x = MARGIN
        for c, (value, width) in enumerate(zip(values, widths, strict=True)):
            colour = ALERT if _is_alert(data.kind, r, c, value) else (MUTED if r == 0 else INK)
            text_top = top + (row_h - size * 1.05 / 72) / 2
            line = page.wrap(Run(value, size), width - 0.24)[0]
            page.runs(x + 0.12, text_top, [Run(line, size, colour, r == 0)])
            x += width


def _pdf_lines(page: _Page, data: Slide) -> None:
    top = _lines_top(data)
    for line in data.lines:
        colour = ALERT if line.startswith(("未通过", "缺表")) else MUTED
        top += page.text((MARGIN, top, CONTENT_WIDTH, 1), Run(line, 14, colour), spacing=1.3)
        top += 0.06
