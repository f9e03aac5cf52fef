"""单位对比: several units of one year side by side."""

from core.ui import library

library.compare_page()
