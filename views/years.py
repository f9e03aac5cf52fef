"""跨年: one unit across years, as lines and small multiples."""

from core import ui
from core.ui import library

library.years_page(ui.current_report())
