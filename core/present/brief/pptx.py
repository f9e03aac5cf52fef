"""The pack as a 16:9 PowerPoint file (python-pptx), laid out from the :class:`Brief` record."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from typing import Any

from core.present.brief.layout import (
    ACCENT,
    ALERT,
    CHART_BOX,
    CONTENT_WIDTH,
    FOOTER_RULE,
    FOOTER_SIZE,
    FOOTER_TOP,
    INK,
    MARGIN,
    MUTED,
    PANEL,
    PPTX_FONT,
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
from core.present.brief.record import CHART, CHECKS, FIGURES, PROBLEM, TITLE, Brief, Card, Slide

# -- PPTX ---------------------------------------------------------------------------------------


def write_pptx(brief: Brief) -> bytes:
    """The pack as a 16:9 PowerPoint file (python-pptx)."""
    from pptx import Presentation
    from pptx.util import Emu

    prs = Presentation()
    prs.slide_width = Emu(12192000)
    prs.slide_height = Emu(6858000)
    blank = prs.slide_layouts[6]
    total = len(brief.slides)
    for number, data in enumerate(brief.slides, start=1):
        slide = prs.slides.add_slide(blank)
        if data.kind == TITLE:
            _pptx_title(slide, data)
        else:
            _pptx_heading(slide, data)
            if data.kind in (CHART, PROBLEM):
                x, y, w, h = _fit_image(data.image_size, CHART_BOX)
                slide.shapes.add_picture(io.BytesIO(data.image), _emu(x), _emu(y), _emu(w), _emu(h))
            elif data.kind == FIGURES:
                _pptx_cards(slide, data)
            else:
                _pptx_table(slide, data)
                _pptx_lines(slide, data)
            _pptx_footer(slide, _footer_left(brief, data), f"{number} / {total}")
        notes = "\n".join(p for p in (data.takeaway, data.source) if p)
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
    props = prs.core_properties
    props.title = f"{brief.unit} {brief.heading} 决算简报"
    props.author = "决算看板"
    props.subject = f"根据 {brief.file_name} 生成"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _emu(inches: float) -> Any:
    from pptx.util import Emu

    return Emu(int(round(inches * 914400)))


def _rgb(hex_color: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_color.lstrip("#").upper())


def _pptx_font(run: Any, piece: Run) -> None:
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    font = run.font
    font.size = Pt(piece.size)
    font.bold = piece.bold
    font.color.rgb = _rgb(piece.color)
    font.name = PPTX_FONT
    r_pr = run._r.get_or_add_rPr()
    latin = r_pr.find(qn("a:latin"))
    for tag in ("a:cs", "a:ea"):
        element = r_pr.makeelement(qn(tag), {"typeface": PPTX_FONT})
        latin.addnext(element)


def _pptx_text(
    slide: Any,
    box: tuple[float, float, float, float],
    paragraphs: Sequence[Sequence[Run]],
    *,
    align: str = "left",
    anchor: str = "top",
    spacing: float = 1.1,
) -> Any:
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN

    x, y, w, h = box
    shape = slide.shapes.add_textbox(_emu(x), _emu(y), _emu(w), _emu(h))
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    frame.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE}[anchor]
    for i, runs in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT}[align]
        paragraph.line_spacing = spacing
        for piece in runs:
            run = paragraph.add_run()
            run.text = piece.text
            _pptx_font(run, piece)
    return shape


def _pptx_rect(slide: Any, box: tuple[float, float, float, float], color: str) -> None:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.oxml.ns import qn

    x, y, w, h = box
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, _emu(x), _emu(y), _emu(w), _emu(h))
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(color)
    shape.line.fill.background()
    # No theme style: it brings a shadow and an outline some viewers draw.
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def _pptx_title(slide: Any, data: Slide) -> None:
    label, source, generated = data.lines
    _pptx_rect(slide, (0, 0, 0.28, SLIDE_SIZE[1]), ACCENT)
    _pptx_text(slide, (1.2, 1.75, 11, 0.5), [[Run(label, 22, ACCENT, True)]])
    size, lines = _title_fit(data.title)
    height = lines * size * 1.3 / 72
    _pptx_text(slide, (1.2, 2.45, 11, height), [[Run(data.title, size, INK, True)]])
    year_top = 2.45 + height + 0.3
    _pptx_text(slide, (1.2, year_top, 11, 0.6), [[Run(data.takeaway, 28, INK)]])
    _pptx_rect(slide, (1.2, 5.75, 11.5, 0.014), RULE)
    _pptx_text(slide, (1.2, 5.95, 11.5, 0.4), [[Run(source, 15, MUTED)]])
    _pptx_text(slide, (1.2, 6.4, 11.5, 0.4), [[Run(generated, 15, MUTED)]])


def _pptx_heading(slide: Any, data: Slide) -> None:
    _pptx_rect(slide, (MARGIN - 0.22, TITLE_TOP + 0.06, 0.07, 0.42), ACCENT)
    _pptx_text(
        slide, (MARGIN, TITLE_TOP, CONTENT_WIDTH, 0.55), [[Run(data.title, TITLE_SIZE, INK, True)]]
    )
    if data.takeaway:
        _pptx_text(
            slide,
            (MARGIN, TAKEAWAY_TOP, CONTENT_WIDTH, 0.8),
            [[Run(data.takeaway, TAKEAWAY_SIZE, ACCENT)]],
        )


def _pptx_footer(slide: Any, left: str, right: str) -> None:
    _pptx_rect(slide, (MARGIN, FOOTER_RULE, CONTENT_WIDTH, 0.01), RULE)
    _pptx_text(
        slide, (MARGIN, FOOTER_TOP, CONTENT_WIDTH - 1.2, 0.3), [[Run(left, FOOTER_SIZE, MUTED)]]
    )
    _pptx_text(
        slide,
        (SLIDE_SIZE[0] - MARGIN - 1.2, FOOTER_TOP, 1.2, 0.3),
        [[Run(right, FOOTER_SIZE, MUTED)]],
        align="right",
    )


#: A card's figure in points, and the smallest it is set to make a long figure fit its card.
CARD_VALUE_SIZE = 30
CARD_VALUE_MIN = 18


def _run_inches(text: str, size: float) -> float:
    """About how wide ``text`` is set at ``size`` pt, in inches (CJK one em, else 0.6 em)."""
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)
    return ems * size / 72


def _card_value_size(card: Card, inner: float) -> int:
    """The largest figure size (pt) at which the figure and its unit fit ``inner`` inches: a
    高等学校's six-figure 万元 at 30 pt ran the 万元 past the card's edge."""
    size = CARD_VALUE_SIZE
    unit = _run_inches(" " + card.unit, 15) if card.unit else 0.0
    while size > CARD_VALUE_MIN and _run_inches(card.value, size) + unit > inner:
        size -= 1
    return size


def _card_runs(card: Card, inner: float = 9.9) -> tuple[list[Run], list[Run], list[Run], list[Run]]:
    known = not card.value.startswith("未")  # 未列示, 未附自评表
    size = _card_value_size(card, inner) if known else 22
    value = [Run(card.value, size, INK if known else MUTED, known)]
    if card.unit:
        value.append(Run(" " + card.unit, 15, INK))
    change = [Run(card.change, 12, INK)] if card.change else []
    return [Run(card.label, 16, MUTED)], value, change, [Run(card.note, 11, MUTED)]


def _pptx_cards(slide: Any, data: Slide) -> None:
    for card, (x, y, w, h) in zip(data.cards, _card_boxes(len(data.cards)), strict=True):
        _pptx_rect(slide, (x, y, w, h), PANEL)
        _pptx_rect(slide, (x, y, 0.06, h), ACCENT)
        inner = w - 0.42
        label, value, change, note = _card_runs(card, inner)
        _pptx_text(slide, (x + 0.24, y + 0.18, inner, 0.35), [label])
        _pptx_text(slide, (x + 0.24, y + 0.52, inner, 0.55), [value])
        if change:
            _pptx_text(slide, (x + 0.24, y + 1.08, inner, 0.42), [change])
        _pptx_text(slide, (x + 0.24, y + 1.54, inner, 0.6), [note])


def _pptx_table(slide: Any, data: Slide) -> None:
    from pptx.enum.text import MSO_ANCHOR
    from pptx.oxml.ns import qn

    widths = TABLE_COLUMNS[data.kind]
    row_h = TABLE_ROW[data.kind]
    size = TABLE_SIZE[data.kind]
    rows, cols = len(data.table), len(widths)
    shape = slide.shapes.add_table(
        rows, cols, _emu(MARGIN), _emu(TABLE_TOP), _emu(sum(widths)), _emu(row_h * rows)
    )
    table = shape.table
    # No theme style: plain rows, filled by hand so PowerPoint and the PDF look alike.
    tbl_pr = shape._element.graphic.graphicData.tbl.tblPr
    style = tbl_pr.find(qn("a:tableStyleId"))
    if style is not None:
        style.text = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"
    table.first_row = False
    table.horz_banding = False
    for c, width in enumerate(widths):
        table.columns[c].width = _emu(width)
    for r, values in enumerate(data.table):
        table.rows[r].height = _emu(row_h)
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(_row_fill(r))
            cell.margin_left = cell.margin_right = _emu(0.12)
            cell.margin_top = cell.margin_bottom = _emu(0.02)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            frame = cell.text_frame
            frame.word_wrap = True
            paragraph = frame.paragraphs[0]
            run = paragraph.add_run()
            run.text = value
            colour = ALERT if _is_alert(data.kind, r, c, value) else (MUTED if r == 0 else INK)
            _pptx_font(run, Run(value, size, colour, r == 0))


def _row_fill(row: int) -> str:
    """Header and every second row on a pale panel."""
    return PANEL if row % 2 == 0 else "#ffffff"


def _is_alert(kind: str, row: int, col: int, value: str) -> bool:
    """A failed count or a missing table shows in red."""
    if row == 0:
        return False
    if kind == CHECKS:
        return col == 4 and value not in ("", "0")
    return value == "未找到"


def _lines_top(data: Slide) -> float:
    return TABLE_TOP + TABLE_ROW[data.kind] * len(data.table) + 0.3


def _pptx_lines(slide: Any, data: Slide) -> None:
    if not data.lines:
        return
    top = _lines_top(data)
    paragraphs = [
        [Run(line, 14, ALERT if line.startswith(("未通过", "缺表")) else MUTED)]
        for line in data.lines
    ]
    _pptx_text(
        slide, (MARGIN, top, CONTENT_WIDTH, FOOTER_RULE - top - 0.1), paragraphs, spacing=1.3
    )
