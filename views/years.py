"""跨年: one unit across years, as lines and small multiples."""

from core.ui import library

library.years_page()
