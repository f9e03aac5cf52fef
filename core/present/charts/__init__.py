"""Records and frames -> plotly figures (``build_*_chart``); nothing here renders.

Every figure is built with :data:`DEFAULT_TEMPLATE` passed when it is made: inside a
Streamlit process ``pio.templates.default`` is Streamlit's own template, whose placeholder
colours come out near-black in an exported PNG. Every trace also names its colours from
:data:`PALETTE`, one calm set used the same way on every page (收入 blue, 支出 teal,
结转结余 grey, 项目支出 amber, 预算数 light blue).

Figures carry their own title, the unit and year, and the tables and PDF pages their numbers
come from, so an exported image stands alone in a briefing. Hover texts show amounts as
printed (two decimals, thousands separators); floats are used only for sizes and positions.

A builder returns None when the report holds nothing to draw; the page says so in words.

One module per page area: ``base`` (palette, template, layout, toolbar config, point keys),
``balance``, ``classification``, ``personnel``, ``three_public``, ``performance``, ``budget``.
"""

from core.present.charts.balance import (
    _balance_key,
    build_overview_chart,
    build_sankey_chart,
    build_spending_split_chart,
    build_waterfall_chart,
    sankey_caption,
)
from core.present.charts.base import (
    BOTTOM_LEGEND,
    COLORWAY,
    DEFAULT_EXPORT_WIDTH,
    DEFAULT_HEIGHT,
    DEFAULT_TEMPLATE,
    DEFAULT_TOP,
    FONT_FAMILY,
    FULL_WIDTH_1280,
    GRADE_COLORS,
    HALF_WIDTH_1280,
    MAX_LABEL,
    PALETTE,
    PLOTLY_ZH_CN,
    SHARE_SCALES,
    SUBTITLE_LINE,
    category_slot_fits,
    export_config,
    note_under,
    text_px,
)
from core.present.charts.budget import (
    NOT_STATED,
    build_budget_execution_chart,
    build_fund_execution_chart,
    build_item_change_chart,
)
from core.present.charts.classification import (
    SMALL_BOX,
    WIDE_BOX,
    build_treemap_chart,
)
from core.present.charts.performance import (
    build_indicator_chart,
    build_score_gauge_chart,
)
from core.present.charts.personnel import (
    build_economic_chart,
    build_personnel_chart,
)
from core.present.charts.three_public import (
    build_three_public_chart,
)

__all__ = [
    "BOTTOM_LEGEND",
    "COLORWAY",
    "DEFAULT_EXPORT_WIDTH",
    "DEFAULT_HEIGHT",
    "DEFAULT_TEMPLATE",
    "DEFAULT_TOP",
    "FONT_FAMILY",
    "FULL_WIDTH_1280",
    "GRADE_COLORS",
    "HALF_WIDTH_1280",
    "MAX_LABEL",
    "NOT_STATED",
    "PALETTE",
    "PLOTLY_ZH_CN",
    "SHARE_SCALES",
    "SMALL_BOX",
    "SUBTITLE_LINE",
    "WIDE_BOX",
    "_balance_key",
    "build_budget_execution_chart",
    "build_economic_chart",
    "build_fund_execution_chart",
    "build_indicator_chart",
    "build_item_change_chart",
    "build_overview_chart",
    "build_personnel_chart",
    "build_sankey_chart",
    "build_score_gauge_chart",
    "build_spending_split_chart",
    "build_three_public_chart",
    "build_treemap_chart",
    "sankey_caption",
    "build_waterfall_chart",
    "category_slot_fits",
    "export_config",
    "note_under",
    "text_px",
]
