"""The briefing pack as data: :class:`Brief`, its :class:`Slide` list and the 主要数字 :class:`Card`.

Every writer (PPTX, PDF) lays out this one record, so the files cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.records import Report

# -- the record ---------------------------------------------------------------------------------

#: Slide kinds, in the order a pack shows them (``chart`` repeats).
TITLE, FIGURES, CHART, CHECKS, SOURCES = "title", "figures", "chart", "checks", "sources"
#: A failed check with the crops of both printed figures (one slide per problem, at most
#: :data:`MAX_PROBLEM_SLIDES`, after 数据核验); laid out as a chart slide.
PROBLEM = "problem"
MAX_PROBLEM_SLIDES = 5
#: Slides every pack has whatever the report holds: title, 主要数字, 数据核验, 资料来源.
FIXED_SLIDES = 4


@dataclass(frozen=True, slots=True)
class Card:
    """One headline figure on the 主要数字 slide."""

    label: str
    """What it measures, e.g. ``收入总计``."""
    value: str
    """The figure as shown, e.g. ``319.08`` or ``93.49%`` (``未列示`` when unknown)."""
    unit: str
    """Unit written after the figure (``万元``, ``分（优）``), empty for a percent."""
    change: str
    """Change on last year as the narrative states it, e.g. ``较上年 +42.94 万元（+15.55%）``."""
    note: str
    """Where to find it (``PDF 第 5 页``) and any remark."""


@dataclass(frozen=True, slots=True)
class Slide:
    """One slide (and one PDF page) of the pack, as data."""

    kind: str
    """``title``, ``figures``, ``chart``, ``checks`` or ``sources``."""
    title: str
    """Heading (the unit's name on the title slide)."""
    takeaway: str = ""
    """The one-line message, every number taken from the report."""
    image: bytes = b""
    """The chart as a PNG (chart slides)."""
    image_size: tuple[int, int] = (0, 0)
    """PNG width and height in pixels."""
    source: str = ""
    """The footer's source line (table, PDF pages, unit)."""
    pages: tuple[int, ...] = ()
    """1-based PDF pages the slide's numbers come from."""
    cards: tuple[Card, ...] = ()
    """Headline figures (``figures`` slide)."""
    table: tuple[tuple[str, ...], ...] = ()
    """A small table, header row first (``checks`` and ``sources`` slides)."""
    lines: tuple[str, ...] = ()
    """Lines of text under the table, or the title slide's sub-lines."""
    chart: str = ""
    """Which chart (``sankey``, ``waterfall`` …) on a chart slide."""


@dataclass(frozen=True, slots=True)
class Brief:
    """A briefing pack for one report, computed once and laid out by every writer."""

    unit: str
    """Reporting unit."""
    year: int | None
    """Budget year."""
    scope: str
    """``单位决算`` or ``部门决算``."""
    file_name: str
    """Name of the PDF the pack was made from."""
    generated: date
    """Day the pack was made."""
    slides: tuple[Slide, ...]
    """Every slide, in order."""

    @property
    def heading(self) -> str:
        """``2024 年度单位决算`` (the scope alone when the year is unknown)."""
        return f"{self.year} 年度{self.scope}" if self.year else self.scope


def _heading(report: Report) -> str:
    return f"{report.year} 年度{report.scope}" if report.year else report.scope


def _date_text(day: date) -> str:
    return f"{day.year} 年 {day.month} 月 {day.day} 日"
