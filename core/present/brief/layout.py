"""Geometry, colours and text measures the PPTX and the PDF writers share (inches, origin top left)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import NamedTuple

from core.present import charts
from core.present.brief.record import CHECKS, SOURCES, Brief, Slide

# -- geometry, shared by both writers (inches, origin top left) ---------------------------------

SLIDE_SIZE = (13.333, 7.5)
MARGIN = 0.6
CONTENT_WIDTH = SLIDE_SIZE[0] - 2 * MARGIN
TITLE_TOP, TITLE_SIZE = 0.42, 28
TAKEAWAY_TOP, TAKEAWAY_SIZE = 1.1, 20
#: Where a chart picture is fitted (keeping its aspect), centred.
CHART_BOX = (MARGIN, 1.95, CONTENT_WIDTH, 4.8)
FOOTER_RULE, FOOTER_TOP, FOOTER_SIZE = 6.92, 7.02, 11
#: Layout size of a chart on a slide: smaller than the dashboard's 1280 px, so the chart's
#: 15–16 px labels come out at 13–15 pt on the slide, legible from the back of a room. A tall
#: chart is drawn at most :data:`DEFAULT_CHART_SQUEEZE` of its height (never below
#: :data:`DEFAULT_CHART_HEIGHT`): its rows close up instead of its labels shrinking.
DEFAULT_CHART_WIDTH = 840
DEFAULT_CHART_HEIGHT = 380
DEFAULT_CHART_SQUEEZE = 0.65
#: Most height (px) a chart is drawn at on one slide: the chart box is 4.8 in high, so a
#: taller picture is shrunk and its 16-px labels come out under 13 pt. A horizontal bar
#: chart that needs more is split by rows over two or more slides.
DEFAULT_MAX_CHART_HEIGHT = 425
#: Least height (px) per row of a horizontal bar chart on a slide, and least thickness of a
#: bar that carries a text (plotly shrinks the text to fit the bar).
DEFAULT_ROW_PITCH = 24
DEFAULT_BAR_TEXT = 17
#: 2.5 × 840 = 2100 px wide: sharp on a 1080p projector and on paper.
DEFAULT_CHART_SCALE = 2.5
#: Top margin left for a chart whose title moved to the slide heading.
CHART_TOP_MARGIN = 24
#: Fonts: Microsoft YaHei in the PPTX (Windows and Office have it), WenQuanYi embedded in the PDF.
PPTX_FONT = "Microsoft YaHei"
DEFAULT_PDF_FONTS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
)

INK = "#1f2a37"
MUTED = "#5b6675"
ACCENT = charts.PALETTE["blue"]
ALERT = charts.PALETTE["red"]
PANEL = "#f3f5f9"
RULE = "#d8dde6"

#: Column widths (inches) of the slide tables.
TABLE_COLUMNS: dict[str, tuple[float, ...]] = {
    CHECKS: (3.2, 2.2, 2.2, 2.2, 2.33),
    SOURCES: (1.3, 5.4, 2.0, 3.43),
}
TABLE_TOP = 2.0
TABLE_ROW = {CHECKS: 0.5, SOURCES: 0.34}
TABLE_SIZE = {CHECKS: 16, SOURCES: 13}


class Run(NamedTuple):
    """A piece of text in one style."""

    text: str
    size: float
    color: str = INK
    bold: bool = False


# -- layout helpers shared by the writers -------------------------------------------------------


def _em(text: str) -> float:
    """Rough width in em: CJK characters one em, others about half."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)


def _fit_image(size: tuple[int, int], box: tuple[float, float, float, float]) -> tuple[float, ...]:
    """x, y, w, h (inches) of a picture fitted into box, keeping its aspect, centred."""
    x, y, w, h = box
    pw, ph = size
    scale = min(w / pw, h / ph)
    fw, fh = pw * scale, ph * scale
    return x + (w - fw) / 2, y + (h - fh) / 2, fw, fh


def _title_fit(text: str, width: float = 11.0) -> tuple[int, int]:
    """Font size and line count for the unit's name on the title slide: at most two lines.

    Measured in em with a margin, since PowerPoint's font may run wider than ours.
    """
    for size in (44, 38, 32, 28):
        lines = math.ceil(_em(text) * size / 72 / (width * 0.9))
        if lines <= 2:
            return size, max(lines, 1)
    return 28, 3


def _card_boxes(n: int) -> list[tuple[float, float, float, float]]:
    """Card positions: four to a row, rows centred when short."""
    per_row, gap, top, height = 4, 0.28, 2.05, 2.2
    width = (CONTENT_WIDTH - gap * (per_row - 1)) / per_row
    boxes = []
    for i in range(n):
        row, col = divmod(i, per_row)
        boxes.append((MARGIN + col * (width + gap), top + row * (height + gap), width, height))
    return boxes


def _footer_left(brief: Brief, slide: Slide) -> str:
    return slide.source or f"{brief.unit}　{brief.heading}"
