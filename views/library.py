"""报告库: every stored report; search, filter, open, remove, import more."""

from core import ui
from core.ui import library

library.library_page(ui.CURRENT_KEY, ui.SHELF_KEY)
