"""A report -> a briefing pack: PPTX slides, the same slides as a PDF, and an Excel workbook.

:func:`build_brief` computes everything once into a frozen :class:`Brief` — each slide's
title, a one-line takeaway written from the report's own numbers, the chart drawn as a PNG
by the same ``build_*_chart`` builders the dashboard pages use, and the PDF pages its
numbers come from. :func:`write_pptx` and :func:`write_pdf` only lay that record out, on the
same 16:9 geometry (:data:`SLIDE_SIZE`), so the two files cannot disagree with each other or
with the screen. :func:`write_workbook` writes the facts themselves; :func:`write_brief` puts
all three in a folder.

Charts are pictures (kaleido, 2100 px wide), so their Chinese shows on any machine. The
PDF embeds WenQuanYi Zen Hei; the PPTX names Microsoft YaHei for its own text, which every
Windows and Office install has. Drawing needs a Chromium: without one
:class:`core.present.export.ExportUnavailable` says so in Chinese and English.

| module | job |
| --- | --- |
| ``record`` | the pack as data: :class:`Brief`, :class:`Slide`, :class:`Card` |
| ``slides`` | :func:`build_brief` and the fixed slides (title, 主要数字, 数据核验, 资料来源) |
| ``pictures`` | chart slides: the charts drawn as PNGs sized for a room |
| ``takeaways`` | each chart slide's one-line takeaway |
| ``layout`` | geometry, colours and text measures the two writers share |
| ``pptx``, ``pdf`` | the writers |
| ``workbook`` | the Excel workbook |
| ``onepage`` | 一页纸: the one-page A4 summary for the leader's desk (PDF and PNG) |
| ``files`` | file names, the files as bytes, writing them to a folder |
| ``comparison`` | 单位对比: a comparison slide from the report library, and a short pack around it |
"""

from core.present.brief.comparison import build_comparison_brief, comparison_slide
from core.present.brief.files import brief_files, file_stem, write_brief
from core.present.brief.layout import SLIDE_SIZE
from core.present.brief.onepage import (
    one_page_files,
    one_page_png,
    write_one_page,
    write_one_page_files,
)
from core.present.brief.pdf import write_pdf
from core.present.brief.pictures import pages_in, png_size
from core.present.brief.pptx import write_pptx
from core.present.brief.record import (
    CHART,
    CHECKS,
    FIGURES,
    FIXED_SLIDES,
    SOURCES,
    TITLE,
    Brief,
    Card,
    Slide,
)
from core.present.brief.slides import _change_text, build_brief
from core.present.brief.workbook import (
    CHECKS_SHEET,
    FACTS_SHEET,
    OVERVIEW_SHEET,
    write_workbook,
)

__all__ = [
    "CHART",
    "CHECKS",
    "CHECKS_SHEET",
    "FACTS_SHEET",
    "FIGURES",
    "FIXED_SLIDES",
    "OVERVIEW_SHEET",
    "SLIDE_SIZE",
    "SOURCES",
    "TITLE",
    "Brief",
    "Card",
    "Slide",
    "_change_text",
    "brief_files",
    "build_brief",
    "build_comparison_brief",
    "comparison_slide",
    "file_stem",
    "one_page_files",
    "one_page_png",
    "write_one_page",
    "write_one_page_files",
    "pages_in",
    "png_size",
    "write_brief",
    "write_pdf",
    "write_pptx",
    "write_workbook",
]
