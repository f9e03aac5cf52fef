"""原文: the PDF page by page, every number read outlined; hover tells how it was read."""

from core import ui
from core.ui import source

report = ui.require_report()
ui.page_header(report, "原文", "PDF 原页，读出的每个数字都框了出来")

# -- the page -----------------------------------------------------------------------------------
source.page_browser(report)
