"""What every chart shares: the palette, the plotly template, layout helpers, the zh-CN
toolbar config and the point keys that name printed cells."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from core.present import frames
from core.present import trace as keys
from core.present.frames import format_pages
from core.records import Fact, Performance, Report

FONT_FAMILY = "Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif"

#: The one palette: calm, distinct on a projector, and the same meaning on every page.
PALETTE: dict[str, str] = {
    "blue": "#1f5fa8",
    "blue_light": "#a9c4e6",
    "teal": "#2a9d8f",
    "teal_light": "#a8d8d1",
    "amber": "#e09a3b",
    "purple": "#7867b0",
    "red": "#c4554d",
    "green": "#3b8d5f",
    "gray": "#8a94a6",
    "gray_light": "#d8dde6",
    "ink": "#1f2a37",
    "muted": "#5b6675",
    "grid": "#e6eaf0",
}

#: Colours for categories with no fixed meaning (经济分类 类, several series).
COLORWAY: tuple[str, ...] = (
    PALETTE["blue"],
    PALETTE["teal"],
    PALETTE["amber"],
    PALETTE["purple"],
    PALETTE["red"],
    "#5b8fd1",
    PALETTE["gray"],
    "#b07aa1",
)

#: Treemap colours by side. 支出: 0 = all 基本支出 (blue), 1 = all 项目支出 (amber), a mix
#: is pale. 收入: the share of 财政拨款收入, grey (none) to the income blue (all).
SHARE_SCALES: dict[str, list[list[Any]]] = {
    "支出": [[0.0, "#3f77b8"], [0.5, "#ece6da"], [1.0, "#d98a2b"]],
    "收入": [[0.0, "#c3c9d3"], [1.0, "#3f77b8"]],
}

#: Grade band fills of the score gauge, low to high (差, 中, 良, 优).
GRADE_COLORS: dict[str, str] = {
    "差": "#f2c9c5",
    "中": "#f7e0b5",
    "良": "#cfe0f4",
    "优": "#cfe9d8",
}

#: A legend under the plot, in container coordinates: clear of the title block however narrow.
BOTTOM_LEGEND: dict[str, Any] = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "y": 0,
    "yref": "container",
    "yanchor": "bottom",
    "traceorder": "normal",
}

DEFAULT_HEIGHT = 520
#: Top margin of a chart (title and two subtitle lines), and the room one more line takes.
DEFAULT_TOP = 104
SUBTITLE_LINE = 20
#: Room above the title (px): the title block hangs from the top of the figure.
TITLE_PAD = 20
DEFAULT_EXPORT_WIDTH = 1280
MAX_LABEL = 14


def _build_template() -> go.layout.Template:
    """The dashboard's own small template: white, its font, sizes and colours.

    Small on purpose: plotly validates a figure's template each time one is built, and
    plotly_white's many trace defaults cost a tenth of a second per figure. Every trace names
    its own colours, so nothing here depends on a trace type's defaults.
    """
    axis = {
        "gridcolor": PALETTE["grid"],
        "linecolor": PALETTE["grid"],
        "zerolinecolor": PALETTE["grid"],
        "zerolinewidth": 2,
        "ticks": "",
        "automargin": True,
        "tickfont": {"size": 15},
        "title": {"standoff": 15},
        # 600,000 rather than plotly's English SI "600k" (a 高等学校 reports 十万 of 万元)
        "exponentformat": "none",
        "separatethousands": True,
    }
    return go.layout.Template(
        layout={
            "font": {"family": FONT_FAMILY, "size": 16, "color": PALETTE["ink"]},
            "colorway": list(COLORWAY),
            "title": {"font": {"size": 22, "color": PALETTE["ink"]}, "x": 0.01, "xanchor": "left"},
            "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 15}, "bgcolor": "white"},
            "hovermode": "closest",
            "legend": {"font": {"size": 15}, "orientation": "h", "y": -0.08, "x": 0},
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "separators": ".,",
            "margin": {"l": 24, "r": 32, "t": 104, "b": 48},
            "xaxis": axis,
            "yaxis": axis,
        }
    )


#: The template every figure is built with (never the process default).
DEFAULT_TEMPLATE = _build_template()


def _year(report: Report) -> str:
    return f"{report.year} 年度" if report.year else ""


def _layout(
    report: Report,
    name: str,
    source: str,
    *,
    height: int = DEFAULT_HEIGHT,
    unit: str = "万元",
    **extra: Any,
) -> go.Layout:
    """The common layout: title, subtitle with unit, year, 万元 and source, fixed height."""
    # The unit's name on a line of its own: beside the year and 单位 it ran past the edge of a
    # half-width chart at 1280 px (plotly does not wrap).
    rest = " · ".join(p for p in (_year(report) + report.scope, f"单位：{unit}") if p)
    head = f"{report.unit}<br>{rest}" if report.unit else rest
    subtitle = f"{head}<br>数据来源：{source}" if source else head
    margin = extra.pop("margin", None) or {}
    margin = {**margin, "t": int(margin.get("t", DEFAULT_TOP)) + SUBTITLE_LINE}
    return go.Layout(
        margin=margin,
        template=DEFAULT_TEMPLATE,
        # the title block hangs from the top: plotly centres a title in the top margin, so the
        # subtitle's last line sat on the plot (经济分类's first bar touched 数据来源)
        title={
            "text": f"<b>{name}</b>",
            "subtitle": {"text": subtitle, "font": {"size": 14, "color": PALETTE["muted"]}},
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": TITLE_PAD},
        },
        height=height,
        **extra,
    )


def _source(report: Report, table_id: str, pages: Sequence[int]) -> str:
    where = format_pages(pages)
    return f"{frames.table_title(report, table_id)}（PDF {where}）" if where else ""


#: Widths a chart is drawn at on a 1280×720 screen with the sidebar open (px): the page's
#: main column, and half of it (two charts side by side).
FULL_WIDTH_1280 = 818
HALF_WIDTH_1280 = 400


def text_px(text: str, size: float) -> float:
    """About how wide ``text`` is drawn at font ``size`` (a CJK character is one em, a Latin
    letter or digit about 0.6 em); plotly neither wraps nor tells the width."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.6 * size for c in text)


def category_slot_fits(fig: go.Figure, width: int) -> bool:
    """Whether, drawn ``width`` px wide, each category of a vertical bar or waterfall chart
    has room for its name (each line of it) and its value label: else the names run into
    each other and plotly shrinks the labels to unreadable."""
    if not fig.data:
        return True
    trace = fig.data[0]
    names = list(fig.layout.xaxis.ticktext or trace.x or ())
    if not names:
        return True
    margin = fig.layout.margin
    tick = float(fig.layout.xaxis.tickfont.size or 15)
    values = [abs(float(v)) for v in (trace.y or ()) if v is not None]
    axis = text_px(f"{max(values, default=0):,.0f}", tick) + 8  # the y axis' widest number
    plot = width - float(margin.l or 0) - float(margin.r or 0) - axis
    slot = plot / len(names)
    label = float(trace.textfont.size or 16)
    widest_name = max(text_px(line, tick) for n in names for line in str(n).split("<br>"))
    widest_text = max(
        (text_px(line, label) for t in (trace.text or ()) for line in str(t).split("<br>")),
        default=0.0,
    )
    return max(widest_name, widest_text) <= slot - 4


def _wrap(text: str, width: int = MAX_LABEL) -> str:
    """Break a long Chinese label over lines (plotly does not wrap)."""
    if len(text) <= width:
        return text
    if len(text) % width == 1:  # no line of one character (使用非财/政拨款结/余): even lines
        width = -(-len(text) // -(-len(text) // width))
    return "<br>".join(text[i : i + width] for i in range(0, len(text), width))


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _perf_source(perf: Performance) -> str:
    return f"{perf.title or '绩效自评表'}（PDF {format_pages(perf.pages)}）"


def _key(facts: Sequence[Fact]) -> str:
    return keys.point_key(facts)


#: plotly.js's zh-CN locale, passed with each chart (config ``locales``): the bundled plotly
#: registers only English, and loading plotly's locale script would need the internet.
#: Keys are the English texts of the plotly.js that Streamlit bundles.
PLOTLY_ZH_CN: dict[str, Any] = {
    "dictionary": {
        "Autoscale": "自动缩放",
        "Box Select": "矩形框选",
        "Cancel": "取消",
        "Compare data on hover": "悬停时比较数据",
        "Double-click to zoom back out": "双击还原",
        "Download plot": "下载图表",
        "Download plot as JSON": "下载图表（JSON）",
        "Download plot as a PNG": "下载图表（PNG 图片）",
        "Draw circle": "画圆",
        "Draw closed freeform": "画封闭图形",
        "Draw line": "画线",
        "Draw open freeform": "画开放图形",
        "Draw rectangle": "画矩形",
        "Erase active shape": "删除选中图形",
        "Image download succeeded": "图片已下载",
        "JSON download succeeded": "JSON 已下载",
        "Lasso Select": "套索选择",
        "Orbital rotation": "轨道旋转",
        "Pan": "平移",
        "Preparing image - this may take a few seconds": "正在生成图片，请稍候",
        "Reset": "重置",
        "Reset axes": "重置坐标轴",
        "Reset camera to default": "重置视角",
        "Reset camera to last save": "恢复上次保存的视角",
        "Reset view": "重置视图",
        "Reset views": "重置视图",
        "Share": "分享",
        "Share chart": "分享图表",
        "Share chart...": "分享图表…",
        "Show closest data on hover": "悬停时显示最近的数据",
        "Sorry, there was a problem downloading your JSON file!": "抱歉，JSON 下载失败。",
        "Sorry, there was a problem downloading your image!": "抱歉，图片下载失败。",
        "Toggle Spike Lines": "显示或隐藏辅助线",
        "Toggle show closest data on hover": "切换悬停显示最近的数据",
        "Turntable rotation": "转台旋转",
        "Zoom": "缩放",
        "Zoom in": "放大",
        "Zoom out": "缩小",
    },
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": [f"{m}月" for m in range(1, 13)],
        "shortMonths": [f"{m}月" for m in range(1, 13)],
        "date": "%Y-%m-%d",
        "decimal": ".",
        "thousands": ",",
    },
}


def export_config(file_stem: str) -> dict[str, Any]:
    """plotly.js config for st.plotly_chart: Chinese toolbar; the camera saves a 3× PNG named file_stem."""
    return {
        "locale": "zh-CN",
        "locales": {"zh-CN": PLOTLY_ZH_CN},
        "displaylogo": False,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
        "toImageButtonOptions": {
            "format": "png",
            "filename": file_stem,
            "scale": 3,
        },
    }


def note_under(fig: go.Figure, text: str, yshift: int) -> None:
    """A muted, left-aligned note under the plot, drawn in the figure (an exported image or a
    slide keeps it); ``yshift`` (px, negative) puts it under the axis labels or title. The
    caller makes room for its lines in the bottom margin."""
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=yshift,
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
        font={"size": 13, "color": PALETTE["muted"]},
    )
