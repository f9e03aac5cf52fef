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
"""

from __future__ import annotations

import io
import math
import re
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import plotly.graph_objects as go

from core.accounts.checks import summarize
from core.present import charts, export, frames
from core.present.export import ExportUnavailable
from core.present.frames import format_amount, format_pages, format_percent, format_score
from core.records import STANDARD_TABLES, Performance, Report

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


# -- building -----------------------------------------------------------------------------------


def build_brief(report: Report, *, today: date | None = None) -> Brief:
    """The pack for this report: fixed slides around one slide per chart the report can draw.

    Charts are drawn here, once (about 0.3 s each after the browser's first start).
    Raises :class:`core.present.export.ExportUnavailable` when no browser can draw them.
    """
    problem = export.export_status()
    if problem is not None:
        raise problem
    generated = today or date.today()
    chart_slides = [_chart_slide(key, fig, say) for key, fig, say in _charts(report)]
    slides = (
        _title_slide(report, generated),
        _figures_slide(report),
        *chart_slides,
        _checks_slide(report),
        *_problem_slides(report),
        _sources_slide(report, generated),
    )
    return Brief(
        unit=report.unit,
        year=report.year,
        scope=report.scope,
        file_name=report.file_name,
        generated=generated,
        slides=slides,
    )


def _heading(report: Report) -> str:
    return f"{report.year} 年度{report.scope}" if report.year else report.scope


def _date_text(day: date) -> str:
    return f"{day.year} 年 {day.month} 月 {day.day} 日"


def _title_slide(report: Report, generated: date) -> Slide:
    source = f"数据来源：{report.file_name or '上传的 PDF'}（共 {report.pages} 页）"
    return Slide(
        kind=TITLE,
        title=report.unit or "决算报告",
        takeaway=_heading(report),
        lines=("决算简报", source, f"生成日期：{_date_text(generated)}"),
    )


def _change_text(change: Decimal | None, growth: Decimal | None, delta: str | None) -> str:
    """How a stated change on last year reads; flat only when the narrative says zero."""
    if delta is None:
        return ""
    if (change is None or change == 0) and (growth is None or growth == 0):
        return "与上年持平"
    return f"较上年 {delta}"


def _growth_words(growth: Decimal | None, change: Decimal | None) -> str:
    if growth is not None:
        if growth == 0:
            return "与上年持平"
        verb = "增长" if growth > 0 else "下降"
        return f"较上年{verb} {format_percent(abs(growth))}"
    if change is not None:
        if change == 0:
            return "与上年持平"
        verb = "增加" if change > 0 else "减少"
        return f"较上年{verb} {format_amount(abs(change))} 万元"
    return ""


def _figures_slide(report: Report) -> Slide:
    kpis = frames.find_kpis(report)
    cards = []
    for kpi in kpis:
        value, _, unit = kpi.text.partition(" ")
        where = f"见 PDF {format_pages(kpi.pages)}" if kpi.pages else "报告中未列示"
        note = f"{where}　{kpi.note}" if kpi.note else where
        cards.append(
            Card(kpi.label, value, unit, _change_text(kpi.change, kpi.growth, kpi.delta), note)
        )
    parts = []
    for kpi in kpis:
        if kpi.label not in ("收入总计", "本年支出", "年末结转和结余") or kpi.value is None:
            continue
        growth = _growth_words(kpi.growth, kpi.change)
        parts.append(f"{kpi.label} {kpi.text}" + (f"（{growth}）" if growth else ""))
    pages = sorted({p for kpi in kpis for p in kpi.pages})
    return Slide(
        kind=FIGURES,
        title="主要数字",
        takeaway="，".join(parts) or "报告中没有读到收支总数。",
        cards=tuple(cards),
        pages=tuple(pages),
        source=f"数据来源：{report.file_name or '原始 PDF'}（PDF {format_pages(pages)}）　金额单位：万元"
        if pages
        else "",
    )


def _checks_slide(report: Report) -> Slide:
    counts = summarize(report.checks)
    total = sum(counts.values())
    ok = counts["passed"] + counts["rounding"]
    if total == 0:
        takeaway = "本报告没有可核对的勾稽关系。"
    elif ok == total:
        takeaway = f"{total} 项勾稽关系全部通过" + (
            f"，其中 {counts['rounding']} 项为四舍五入尾差" if counts["rounding"] else ""
        )
    else:
        bad = []
        if counts["failed"]:
            bad.append(f"{counts['failed']} 项未通过")
        if counts["missing"]:
            bad.append(f"缺 {counts['missing']} 张标准表")
        takeaway = f"{total} 项勾稽关系中 {ok} 项通过，" + "，".join(bad)
    table: list[tuple[str, ...]] = [("类别", "核对项", "通过", "尾差通过", "未通过或缺表")]
    checks = frames.checks_frame(report)
    for kind, group in checks.groupby("类别", sort=False):
        states = list(group["状态"])
        table.append(
            (
                str(kind),
                str(len(states)),
                str(states.count("通过")),
                str(states.count("尾差通过")),
                str(states.count("未通过") + states.count("缺表")),
            )
        )
    lines = []
    problems = checks.loc[checks["状态"].isin(["未通过", "缺表"])]
    for _, row in problems.head(5).iterrows():
        if row["状态"] == "缺表":
            lines.append(f"缺表：{row['规则']}")
        else:
            where = f"，PDF {row['页码']}" if row["页码"] else ""
            lines.append(
                f"未通过：{row['规则']}（应为 {format_amount(row['应为'])}，"
                f"表中为 {format_amount(row['实为'])}{where}）"
            )
    if len(problems) > 5:
        lines.append(f"另有 {len(problems) - 5} 项，见数据表“数据核验”页。")
    if counts["rounding"]:
        lines.append("尾差：表中各数已四舍五入到分，相加时出现的几分钱差额，在容差之内，属正常。")
    pages = sorted({p for c in report.checks for p in c.pages})
    return Slide(
        kind=CHECKS,
        title="数据核验",
        takeaway=takeaway,
        table=tuple(table),
        lines=tuple(lines),
        pages=tuple(pages),
        source="核验各表内平衡、表间勾稽、说明与表中数字是否一致；明细见数据表“数据核验”页",
    )


def _problem_slides(report: Report) -> list[Slide]:
    """One slide per failed check: both printed figures cropped from the PDF, side by side."""
    from core.present import pageview, trace

    data = pageview.pdf_bytes(report.sha256)
    font = next((str(p) for p in DEFAULT_PDF_FONTS if p.exists()), None)
    failed = [c for c in report.checks if not c.ok and c.kind != "missing"]
    slides = []
    for check in failed[:MAX_PROBLEM_SLIDES]:
        found, expected = trace.facts_for_check(report, check)
        panels = []
        for name, value, facts in (
            ("表中印出", check.found, found),
            ("应为", check.expected, expected),
        ):
            crops = []
            if data is not None:
                # the terms on one page share one crop, every one outlined
                for page in sorted({f.page for f in facts})[:2]:
                    boxes = [f.box for f in facts if f.page == page and f.box is not None]
                    if boxes:
                        crops.append(pageview.render_crop(data, page, boxes, zoom="row").image)
            if data is None:
                note = "PDF 原文未载入，无法附上原文截图"
            elif value is None:
                note = "报告中没有这一项"
            else:
                note = "由多项相加得出，PDF 中没有单独印出"
            pages = "、".join(sorted({f"第 {f.page} 页" for f in facts}))
            panels.append((f"{name} {_amount(value)}　{pages}".rstrip(), crops, note))
        image = pageview.png_bytes(pageview.compose_panels(panels, font))
        gap = check.gap
        slides.append(
            Slide(
                kind=PROBLEM,
                title=f"核验未通过：{check.rule}",
                takeaway=(
                    f"应为 {_amount(check.expected)}，表中为 {_amount(check.found)}"
                    + (f"，相差 {format_amount(gap, sign=True)} 万元" if gap is not None else "")
                ),
                image=image,
                image_size=png_size(image),
                pages=tuple(check.pages),
                source="左为表中印出的数，右为按勾稽关系应有的数；框出的是 PDF 原页上的单元格",
            )
        )
    return slides


def _sources_slide(report: Report, generated: date) -> Slide:
    table: list[tuple[str, ...]] = [("表", "名称", "PDF 页码", "说明")]
    pages: set[int] = set()
    for table_id, title in STANDARD_TABLES.items():
        info = report.table(table_id)
        if info is None:
            table.append((table_id, title, "未找到", ""))
            continue
        pages.update(info.pages)
        note = "本表无数据" if info.empty else ""
        if not info.empty and not any(f.value for f in report.facts_of(table_id)):
            note = "金额均为零"
        table.append((table_id, info.title, format_pages(info.pages), note))
    for perf in report.performance:
        pages.update(perf.pages)
        name = perf.title or "绩效自评表"
        table.append(("绩效", name, format_pages(perf.pages), perf.project or ""))
    text_pages = sorted({n.page for n in report.narrative} - pages)
    if text_pages:
        table.append(("说明", "决算说明（文字部分）", _page_runs(text_pages), "文中数字"))
    name = report.file_name or "上传的 PDF"
    lines = (
        f"原表金额单位：{report.source_unit}，本简报统一为万元；页码均为 PDF 页码。"
        "图表与看板同源，由决算看板根据原始 PDF 自动生成。",
    )
    return Slide(
        kind=SOURCES,
        title="资料来源",
        takeaway=f"数字均取自 {name}（共 {report.pages} 页），可按页码核对原表",
        table=tuple(table),
        lines=lines,
        pages=tuple(sorted(pages | set(text_pages))),
        source=f"原始文件：{name}　生成日期：{_date_text(generated)}",
    )


def _page_runs(pages: Sequence[int]) -> str:
    """``第 3、17–20 页``: runs of consecutive pages joined."""
    runs: list[list[int]] = []
    for page in sorted(set(pages)):
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    return "第 " + "、".join(parts) + " 页"


# -- charts and their takeaways -----------------------------------------------------------------

_Said = Callable[[], str]


def _charts(report: Report) -> list[tuple[str, go.Figure, _Said]]:
    """The dashboard's charts in page order, each with how its takeaway is written."""
    found: list[tuple[str, go.Figure | None, _Said]] = [
        ("sankey", charts.build_sankey_chart(report), lambda: _say_flows(report)),
        ("waterfall", charts.build_waterfall_chart(report), lambda: _say_balance(report)),
        ("split", charts.build_spending_split_chart(report), lambda: _say_split(report)),
        ("treemap", charts.build_treemap_chart(report, "支出"), lambda: _say_classes(report)),
        ("personnel", charts.build_personnel_chart(report), lambda: _say_personnel(report)),
        ("economic", charts.build_economic_chart(report), lambda: _say_economic(report)),
        ("three_public", charts.build_three_public_chart(report), lambda: _say_three(report)),
    ]
    perf = frames.main_performance(report)
    if perf is not None:
        found += [
            ("score", charts.build_score_gauge_chart(report, perf), lambda: _say_score(perf)),
            ("funds", charts.build_fund_execution_chart(report, perf), lambda: _say_funds(perf)),
            (
                "indicators",
                charts.build_indicator_chart(report, perf),
                lambda: _say_indicators(perf),
            ),
        ]
    # As the 预算执行 page: the 项 changes on last year only when no budget figures are stated.
    budget = charts.build_budget_execution_chart(report)
    if budget is not None:
        found.append(("budget", budget, lambda: _say_budget(report)))
    else:
        found.append(
            ("change", charts.build_item_change_chart(report), lambda: _say_change(report))
        )
    return [(key, fig, say) for key, fig, say in found if fig is not None]


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text).strip()


def pages_in(text: str) -> tuple[int, ...]:
    """The PDF pages a source text names (the inverse of :func:`core.present.frames.format_pages`)."""
    pages: set[int] = set()
    for span in re.findall(r"第 ([0-9、–]+) 页", text):
        for piece in span.split("、"):
            low, _, high = piece.partition("–")
            if low.isdigit():
                pages.update(range(int(low), int(high or low) + 1))
    return tuple(sorted(pages))


def _chart_slide(key: str, fig: go.Figure, say: _Said) -> Slide:
    """One chart slide: the figure's title becomes the heading, its source line the footer."""
    title = _plain(fig.layout.title.text or "")
    subtitle = _plain((fig.layout.title.subtitle.text or "").replace("<br>", "\n"))
    unit = next((p.strip() for p in subtitle.split("·") if "单位：" in p), "单位：万元")
    unit = unit.split("\n")[0].replace("单位：", "金额单位：" if "万元" in unit else "单位：")
    source = next((line for line in subtitle.split("\n") if line.startswith("数据来源")), "")
    png = _chart_png(fig)
    return Slide(
        kind=CHART,
        title=title,
        takeaway=say(),
        image=png,
        image_size=png_size(png),
        source=f"{source}　{unit}".strip(),
        pages=pages_in(source),
        chart=key,
    )


def _chart_png(built: go.Figure) -> bytes:
    """The figure as a PNG for a slide: its title block left to the slide, sized for the room.

    Only how it is drawn changes (title, size, label room); its data stay the builder's.
    """
    fig = go.Figure(built)
    top = fig.layout.margin.t
    if top is None:
        top = charts.DEFAULT_TEMPLATE.layout.margin.t
    natural = (fig.layout.height or charts.DEFAULT_HEIGHT) - int(top) + CHART_TOP_MARGIN
    squeezed = round(natural * DEFAULT_CHART_SQUEEZE)
    height = min(natural, max(DEFAULT_CHART_HEIGHT, squeezed, _least_height(fig)))
    fig.update_layout(title_text="", title_subtitle_text="", margin_t=CHART_TOP_MARGIN)
    # A ring's outside labels may reach past the plot area: let plotly make room for them.
    fig.update_traces(automargin=True, selector={"type": "pie"})
    # plotly shrinks a bar's text to the bar's thickness less padding; on a slide the amount
    # is the point, so it keeps the chart's own size (the rows are spaced for it above).
    fig.update_traces(constraintext="none", selector={"type": "bar"})
    return export.figure_png(
        fig, width=DEFAULT_CHART_WIDTH, height=height, scale=DEFAULT_CHART_SCALE
    )


def _least_height(fig: go.Figure) -> int:
    """Height (px) a horizontal bar chart needs so its labels keep their size.

    plotly drops tick labels that would touch, and shrinks a bar's text to the bar's
    thickness: each row keeps :data:`DEFAULT_ROW_PITCH`, and each labelled bar
    :data:`DEFAULT_BAR_TEXT` pixels of thickness.
    """
    bars = [t for t in fig.data if t.type == "bar" and t.orientation == "h"]
    rows = {y for t in bars for y in (t.y or ())}
    if not rows:
        return 0
    gap = fig.layout.bargap if fig.layout.bargap is not None else 0.2
    group = len(bars) if fig.layout.barmode == "group" else 1
    pitch = float(DEFAULT_ROW_PITCH)
    for trace in bars:
        if trace.text is None:
            continue
        width = trace.width if isinstance(trace.width, int | float) else (1 - gap) / group
        pitch = max(pitch, DEFAULT_BAR_TEXT / width)
    bottom = fig.layout.margin.b if fig.layout.margin.b is not None else 48
    return CHART_TOP_MARGIN + int(bottom) + round(pitch * len(rows))


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, read from its header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _extreme(
    frame: pd.DataFrame,
    column: str,
    *,
    lowest: bool = False,
    size: Callable[[Any], float] = float,
) -> pd.Series:
    """The row with the largest (or smallest) value in column; the first such row on a tie."""
    values = [size(v) for v in frame[column]]
    best = min(values) if lowest else max(values)
    return frame.iloc[values.index(best)]


def _amount(value: Decimal | None) -> str:
    return f"{format_amount(value)} 万元"


def _say_flows(report: Report) -> str:
    flows = frames.flow_frame(report)
    middle = "收支总计"
    inflow = flows.loc[flows["去向"] == middle]
    spend = flows.loc[(flows["来源"] == middle) & (flows["类别"] == "支出")]
    parts = []
    if not inflow.empty:
        printed = frames.find_fact_01(report, "收入", "总计")
        whole = printed.value if printed is not None else sum(inflow["金额"], Decimal(0))
        top = _extreme(inflow, "金额")
        if len(inflow) == 1:
            parts.append(f"资金全部来自{top['来源']}（{_amount(top['金额'])}）")
        else:
            ratio = frames.share(top["金额"], whole)
            lead = "资金来源以{}为主" if (ratio or 0) >= 50 else "最大来源是{}"
            parts.append(
                lead.format(top["来源"]) + f"（{_amount(top['金额'])}，占 {format_percent(ratio)}）"
            )
    if not spend.empty:
        printed = frames.find_fact_01(report, "支出", "本年支出合计")
        whole = printed.value if printed is not None else sum(spend["金额"], Decimal(0))
        top = _extreme(spend, "金额")
        ratio = frames.share(top["金额"], whole)
        lead = "支出主要用于{}" if (ratio or 0) >= 50 else "支出最多的是{}"
        parts.append(
            lead.format(top["去向"])
            + f"（{_amount(top['金额'])}，占本年支出 {format_percent(ratio)}）"
        )
    return "；".join(parts)


def _say_balance(report: Report) -> str:
    steps = frames.balance_frame(report)
    amounts = dict(zip(steps["步骤"], steps["金额"], strict=True))
    opening = amounts["年初结转和结余"]
    closing = amounts["年末结转和结余"]
    text = (
        f"本年收入 {_amount(amounts['本年收入'])}、支出 {_amount(-amounts['本年支出'])}，"
        f"年末结转和结余 {_amount(closing)}"
    )
    gap = closing - opening
    if gap == 0:
        return text + "，与年初持平"
    return text + f"，比年初{'增加' if gap > 0 else '减少'} {_amount(abs(gap))}"


def _say_split(report: Report) -> str:
    split = frames.spending_split_frame(report)
    table_id = str(split["来源"].iloc[0]).split(" ")[0]
    column = frames.total_column(report, table_id)
    total = frames.find_total(report, table_id, column) if column else None
    whole = total.value if total is not None else sum(split["金额"], Decimal(0))
    name = "本年支出" if table_id == "公开03" else "一般公共预算财政拨款支出"
    shares = dict(zip(split["类别"], split["占比"], strict=True))
    amounts = dict(zip(split["类别"], split["金额"], strict=True))
    text = f"{name} {_amount(whole)}"
    if "基本支出" in shares:
        text += f"，基本支出占 {format_percent(shares['基本支出'])}"
    if amounts.get("项目支出"):
        text += f"，项目支出占 {format_percent(shares['项目支出'])}"
    return text


def _say_classes(report: Report) -> str:
    frame = frames.classification_frame(report, "支出")
    classes = frame.loc[frame["级次"] == "类"]
    top = _extreme(classes, "金额")
    text = f"{top['名称'] or top['编码']} {_amount(top['金额'])}，占本年支出 {format_percent(top['占比'])}"
    leaves = frames.classification_table(report, "支出")
    if not leaves.empty:
        leaf = leaves.iloc[0]
        name = str(leaf["科目"]).split(" ", 1)[-1]
        text += f"；最大的项级科目是{name}（{_amount(leaf['金额'])}）"
    return text


def _say_personnel(report: Report) -> str:
    split = frames.personnel_public_frame(report)
    amounts = dict(zip(split["类别"], split["金额"], strict=True))
    ratio = next(k for k in frames.find_kpis(report) if k.label == "人员经费占基本支出")
    parts = [f"{label} {_amount(value)}" for label, value in amounts.items()]
    if ratio.value is not None:
        return f"人员经费占基本支出 {ratio.text}（" + "，".join(parts) + "）"
    return "，".join(parts)


def _say_economic(report: Report) -> str:
    frame = frames.economic_frame(report)
    top = frame.head(3)
    base = frames.find_total(report, "公开05", "基本支出")
    whole = base.value if base is not None else sum(frame["金额"], Decimal(0))
    named = "、".join(
        f"{n} {format_amount(v)}" for n, v in zip(top["名称"], top["金额"], strict=True)
    )
    ratio = frames.share(sum(top["金额"], Decimal(0)), whole)
    count = {1: "", 2: "两个", 3: "三个"}[len(top)]
    lead = f"金额最大的{count}科目"
    return f"{lead}：{named} 万元，合计占基本支出 {format_percent(ratio)}"


def _say_three(report: Report) -> str:
    frame = frames.three_public_frame(report)
    total = frame.loc[frame["项目"] == "合计"]
    if total.empty:
        total = frame.head(1)
    row = total.iloc[0]
    text = f"“三公”经费决算 {_amount(row['决算数'])}"
    if row["预算数"] is not None and row["完成预算"] is not None:
        text += f"，为预算的 {format_percent(row['完成预算'])}"
    change = frames.find_narrative(report, ("三公经费",), "change")
    growth = frames.find_narrative(report, ("三公经费",), "growth")
    words = _growth_words(
        growth.value if growth is not None else None, change.value if change else None
    )
    return text + (f"，{words}" if words else "")


def _say_score(perf: Performance) -> str:
    grade = perf.grade or frames.grade_of(perf.total_score) or ""
    text = f"绩效自评得分 {format_amount(perf.total_score)} 分"
    return text + (f"，评价等级为“{grade}”" if grade else "")


def _say_funds(perf: Performance) -> str:
    funds = frames.fund_frame(perf)
    funds = funds.loc[funds["全年预算数"].notna() | funds["全年执行数"].notna()]
    row = funds.iloc[0]
    text = f"{row['资金']}全年预算 {_amount(row['全年预算数'])}，执行 {_amount(row['全年执行数'])}"
    if row["执行率"] is not None and not pd.isna(row["执行率"]):
        text += f"，执行率 {format_percent(row['执行率'])}"
    return text


def _say_indicators(perf: Performance) -> str:
    frame = frames.indicator_frame(perf)
    frame = frame.loc[frame["分值"].notna()]
    scored = frame.loc[frame["得分"].notna()]
    full = int(sum(1 for s, w in zip(scored["得分"], scored["分值"], strict=True) if s >= w))
    text = f"{len(frame)} 项指标中 {full} 项得满分"
    lost = scored.loc[[s < w for s, w in zip(scored["得分"], scored["分值"], strict=True)]]
    if lost.empty:
        return text
    worst = _extreme(lost, "扣分")
    name = worst["三级指标"] or worst["二级指标"]
    return (
        text + f"；扣分最多的是“{name}”（{format_score(worst['得分'])} / "
        f"{format_score(worst['分值'])} 分）"
    )


def _say_budget(report: Report) -> str:
    frame = frames.budget_execution_frame(report)
    overall = frames.budget_overall(report)
    parts = []
    if "budget" in overall and "actual" in overall:
        text = (
            f"一般公共预算财政拨款支出全年预算 {_amount(overall['budget'].value)}，"
            f"决算 {_amount(overall['actual'].value)}"
        )
        rate = overall.get("rate")
        if rate is not None:
            text += f"，完成 {format_percent(rate.value)}"
        parts.append(text)
    rated = frame.loc[frame["执行率"].notna()]
    if not rated.empty:
        low = _extreme(rated, "执行率", lowest=True)
        parts.append(
            f"执行率最低的是{low['项目'] or low['编码']}（{format_percent(low['执行率'])}）"
        )
    return "；".join(parts) or f"说明列出 {len(frame)} 个项目的全年预算数"


def _say_change(report: Report) -> str:
    frame = frames.item_change_frame(report)
    frame = frame.loc[frame["较上年"].notna()]
    up = sum(1 for v in frame["较上年"] if v > 0)
    down = sum(1 for v in frame["较上年"] if v < 0)
    text = f"{len(frame)} 个项目中 {up} 个增加、{down} 个减少"
    top = _extreme(frame, "较上年", size=lambda v: abs(float(v)))
    growth = f"，{format_percent(top['增幅'], sign=True)}" if top["增幅"] is not None else ""
    return (
        text + f"；变化最大的是{top['项目'] or top['编码']}"
        f"（{format_amount(top['较上年'], sign=True)} 万元{growth}）"
    )


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


# -- PPTX ---------------------------------------------------------------------------------------


def write_pptx(brief: Brief) -> bytes:
    """The pack as a 16:9 PowerPoint file (python-pptx)."""
    from pptx import Presentation
    from pptx.util import Emu

    prs = Presentation()
    prs.slide_width = Emu(12192000)
    prs.slide_height = Emu(6858000)
    blank = prs.slide_layouts[6]
    total = len(brief.slides)
    for number, data in enumerate(brief.slides, start=1):
        slide = prs.slides.add_slide(blank)
        if data.kind == TITLE:
            _pptx_title(slide, data)
        else:
            _pptx_heading(slide, data)
            if data.kind in (CHART, PROBLEM):
                x, y, w, h = _fit_image(data.image_size, CHART_BOX)
                slide.shapes.add_picture(io.BytesIO(data.image), _emu(x), _emu(y), _emu(w), _emu(h))
            elif data.kind == FIGURES:
                _pptx_cards(slide, data)
            else:
                _pptx_table(slide, data)
                _pptx_lines(slide, data)
            _pptx_footer(slide, _footer_left(brief, data), f"{number} / {total}")
        notes = "\n".join(p for p in (data.takeaway, data.source) if p)
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
    props = prs.core_properties
    props.title = f"{brief.unit} {brief.heading} 决算简报"
    props.author = "决算看板"
    props.subject = f"根据 {brief.file_name} 生成"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _emu(inches: float) -> Any:
    from pptx.util import Emu

    return Emu(int(round(inches * 914400)))


def _rgb(hex_color: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_color.lstrip("#").upper())


def _pptx_font(run: Any, piece: Run) -> None:
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    font = run.font
    font.size = Pt(piece.size)
    font.bold = piece.bold
    font.color.rgb = _rgb(piece.color)
    font.name = PPTX_FONT
    r_pr = run._r.get_or_add_rPr()
    latin = r_pr.find(qn("a:latin"))
    for tag in ("a:cs", "a:ea"):
        element = r_pr.makeelement(qn(tag), {"typeface": PPTX_FONT})
        latin.addnext(element)


def _pptx_text(
    slide: Any,
    box: tuple[float, float, float, float],
    paragraphs: Sequence[Sequence[Run]],
    *,
    align: str = "left",
    anchor: str = "top",
    spacing: float = 1.1,
) -> Any:
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN

    x, y, w, h = box
    shape = slide.shapes.add_textbox(_emu(x), _emu(y), _emu(w), _emu(h))
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    frame.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE}[anchor]
    for i, runs in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT}[align]
        paragraph.line_spacing = spacing
        for piece in runs:
            run = paragraph.add_run()
            run.text = piece.text
            _pptx_font(run, piece)
    return shape


def _pptx_rect(slide: Any, box: tuple[float, float, float, float], color: str) -> None:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.oxml.ns import qn

    x, y, w, h = box
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, _emu(x), _emu(y), _emu(w), _emu(h))
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(color)
    shape.line.fill.background()
    # No theme style: it brings a shadow and an outline some viewers draw.
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def _pptx_title(slide: Any, data: Slide) -> None:
    label, source, generated = data.lines
    _pptx_rect(slide, (0, 0, 0.28, SLIDE_SIZE[1]), ACCENT)
    _pptx_text(slide, (1.2, 1.75, 11, 0.5), [[Run(label, 22, ACCENT, True)]])
    size, lines = _title_fit(data.title)
    height = lines * size * 1.3 / 72
    _pptx_text(slide, (1.2, 2.45, 11, height), [[Run(data.title, size, INK, True)]])
    year_top = 2.45 + height + 0.3
    _pptx_text(slide, (1.2, year_top, 11, 0.6), [[Run(data.takeaway, 28, INK)]])
    _pptx_rect(slide, (1.2, 5.75, 11.5, 0.014), RULE)
    _pptx_text(slide, (1.2, 5.95, 11.5, 0.4), [[Run(source, 15, MUTED)]])
    _pptx_text(slide, (1.2, 6.4, 11.5, 0.4), [[Run(generated, 15, MUTED)]])


def _pptx_heading(slide: Any, data: Slide) -> None:
    _pptx_rect(slide, (MARGIN - 0.22, TITLE_TOP + 0.06, 0.07, 0.42), ACCENT)
    _pptx_text(
        slide, (MARGIN, TITLE_TOP, CONTENT_WIDTH, 0.55), [[Run(data.title, TITLE_SIZE, INK, True)]]
    )
    if data.takeaway:
        _pptx_text(
            slide,
            (MARGIN, TAKEAWAY_TOP, CONTENT_WIDTH, 0.8),
            [[Run(data.takeaway, TAKEAWAY_SIZE, ACCENT)]],
        )


def _pptx_footer(slide: Any, left: str, right: str) -> None:
    _pptx_rect(slide, (MARGIN, FOOTER_RULE, CONTENT_WIDTH, 0.01), RULE)
    _pptx_text(
        slide, (MARGIN, FOOTER_TOP, CONTENT_WIDTH - 1.2, 0.3), [[Run(left, FOOTER_SIZE, MUTED)]]
    )
    _pptx_text(
        slide,
        (SLIDE_SIZE[0] - MARGIN - 1.2, FOOTER_TOP, 1.2, 0.3),
        [[Run(right, FOOTER_SIZE, MUTED)]],
        align="right",
    )


def _card_runs(card: Card) -> tuple[list[Run], list[Run], list[Run], list[Run]]:
    known = not card.value.startswith("未")  # 未列示, 未附自评表
    value = [Run(card.value, 30 if known else 22, INK if known else MUTED, known)]
    if card.unit:
        value.append(Run(" " + card.unit, 15, INK))
    change = [Run(card.change, 12, INK)] if card.change else []
    return [Run(card.label, 16, MUTED)], value, change, [Run(card.note, 11, MUTED)]


def _pptx_cards(slide: Any, data: Slide) -> None:
    for card, (x, y, w, h) in zip(data.cards, _card_boxes(len(data.cards)), strict=True):
        _pptx_rect(slide, (x, y, w, h), PANEL)
        _pptx_rect(slide, (x, y, 0.06, h), ACCENT)
        label, value, change, note = _card_runs(card)
        inner = w - 0.42
        _pptx_text(slide, (x + 0.24, y + 0.18, inner, 0.35), [label])
        _pptx_text(slide, (x + 0.24, y + 0.52, inner, 0.55), [value])
        if change:
            _pptx_text(slide, (x + 0.24, y + 1.08, inner, 0.42), [change])
        _pptx_text(slide, (x + 0.24, y + 1.54, inner, 0.6), [note])


def _pptx_table(slide: Any, data: Slide) -> None:
    from pptx.enum.text import MSO_ANCHOR
    from pptx.oxml.ns import qn

    widths = TABLE_COLUMNS[data.kind]
    row_h = TABLE_ROW[data.kind]
    size = TABLE_SIZE[data.kind]
    rows, cols = len(data.table), len(widths)
    shape = slide.shapes.add_table(
        rows, cols, _emu(MARGIN), _emu(TABLE_TOP), _emu(sum(widths)), _emu(row_h * rows)
    )
    table = shape.table
    # No theme style: plain rows, filled by hand so PowerPoint and the PDF look alike.
    tbl_pr = shape._element.graphic.graphicData.tbl.tblPr
    style = tbl_pr.find(qn("a:tableStyleId"))
    if style is not None:
        style.text = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"
    table.first_row = False
    table.horz_banding = False
    for c, width in enumerate(widths):
        table.columns[c].width = _emu(width)
    for r, values in enumerate(data.table):
        table.rows[r].height = _emu(row_h)
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(_row_fill(r))
            cell.margin_left = cell.margin_right = _emu(0.12)
            cell.margin_top = cell.margin_bottom = _emu(0.02)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            frame = cell.text_frame
            frame.word_wrap = True
            paragraph = frame.paragraphs[0]
            run = paragraph.add_run()
            run.text = value
            colour = ALERT if _is_alert(data.kind, r, c, value) else (MUTED if r == 0 else INK)
            _pptx_font(run, Run(value, size, colour, r == 0))


def _row_fill(row: int) -> str:
    """Header and every second row on a pale panel."""
    return PANEL if row % 2 == 0 else "#ffffff"


def _is_alert(kind: str, row: int, col: int, value: str) -> bool:
    """A failed count or a missing table shows in red."""
    if row == 0:
        return False
    if kind == CHECKS:
        return col == 4 and value not in ("", "0")
    return value == "未找到"


def _lines_top(data: Slide) -> float:
    return TABLE_TOP + TABLE_ROW[data.kind] * len(data.table) + 0.3


def _pptx_lines(slide: Any, data: Slide) -> None:
    if not data.lines:
        return
    top = _lines_top(data)
    paragraphs = [
        [Run(line, 14, ALERT if line.startswith(("未通过", "缺表")) else MUTED)]
        for line in data.lines
    ]
    _pptx_text(
        slide, (MARGIN, top, CONTENT_WIDTH, FOOTER_RULE - top - 0.1), paragraphs, spacing=1.3
    )


# -- PDF ----------------------------------------------------------------------------------------

_PDF_FONT = "JuesuanCJK"


def _pdf_font() -> str:
    """Register the embedded CJK font once; a clear error when the server has none."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if _PDF_FONT in pdfmetrics.getRegisteredFontNames():
        return _PDF_FONT
    for path in DEFAULT_PDF_FONTS:
        if path.is_file():
            pdfmetrics.registerFont(TTFont(_PDF_FONT, str(path), subfontIndex=0))
            return _PDF_FONT
    raise ExportUnavailable(
        "服务器上没有可嵌入 PDF 的中文字体（请安装 fonts-wqy-zenhei），无法生成 PDF 简报。",
        "no CJK font on the server to embed in the PDF (install fonts-wqy-zenhei), "
        "so the PDF briefing cannot be made.",
    )


class _Page:
    """A reportlab canvas addressed in inches from the top left, as the slides are."""

    def __init__(self, canvas: Any, font: str) -> None:
        self.c = canvas
        self.font = font

    @staticmethod
    def pt(inches: float) -> float:
        return inches * 72

    def y(self, inches: float) -> float:
        return self.pt(SLIDE_SIZE[1] - inches)

    def rect(self, box: tuple[float, float, float, float], color: str) -> None:
        from reportlab.lib.colors import HexColor

        x, y, w, h = box
        self.c.setFillColor(HexColor(color))
        self.c.rect(self.pt(x), self.y(y + h), self.pt(w), self.pt(h), stroke=0, fill=1)

    def width(self, piece: Run) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return stringWidth(piece.text, self.font, piece.size)

    def wrap(self, piece: Run, width: float) -> list[str]:
        """Lines of at most width inches; numbers and Latin words are kept whole."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        limit = self.pt(width)
        tokens = re.findall(r"[0-9A-Za-z.,%+\-–:/_()]+|.", piece.text)
        lines, line = [], ""
        for token in tokens:
            trial = line + token
            closing = token in "，。；、：）”%"
            if line and stringWidth(trial, self.font, piece.size) > limit and not closing:
                # an opening bracket goes down with what it opens
                carry = line[-1] if line[-1] in "（“" else ""
                lines.append(line[: len(line) - len(carry)])
                line = carry + token.lstrip()
            else:
                line = trial
        if line:
            lines.append(line)
        return lines or [""]

    def runs(self, x: float, top: float, pieces: Sequence[Run], *, align: str = "left") -> None:
        """One line of runs, its first baseline one em-ish below top."""
        from reportlab.lib.colors import HexColor

        size = max(p.size for p in pieces)
        base = self.y(top) - size * 0.92
        total = sum(self.width(p) for p in pieces)
        cursor = self.pt(x) - (total if align == "right" else 0)
        for piece in pieces:
            # The font has no bold face: stroke the outline a little. The render mode is
            # graphics state and outlives the text object, hence the save and restore.
            self.c.saveState()
            text = self.c.beginText(cursor, base)
            text.setFont(self.font, piece.size)
            text.setFillColor(HexColor(piece.color))
            if piece.bold:
                self.c.setStrokeColor(HexColor(piece.color))
                self.c.setLineWidth(piece.size * 0.035)
                text.setTextRenderMode(2)
            text.textOut(piece.text)
            self.c.drawText(text)
            self.c.restoreState()
            cursor += self.width(piece)

    def text(
        self, box: tuple[float, float, float, float], piece: Run, *, spacing: float = 1.3
    ) -> float:
        """Wrapped text in a box; returns the inches used."""
        x, y, w, _h = box
        lines = self.wrap(piece, w)
        step = piece.size * spacing / 72
        for i, line in enumerate(lines):
            self.runs(x, y + i * step, [piece._replace(text=line)])
        return len(lines) * step


def write_pdf(brief: Brief) -> bytes:
    """The pack as a PDF, one 16:9 page per slide, the CJK font embedded (reportlab)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    font = _pdf_font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(SLIDE_SIZE[0] * 72, SLIDE_SIZE[1] * 72), initialFontName=font)
    canvas.setTitle(f"{brief.unit} {brief.heading} 决算简报")
    canvas.setAuthor("决算看板")
    canvas.setSubject(f"根据 {brief.file_name} 生成")
    page = _Page(canvas, font)
    total = len(brief.slides)
    for number, data in enumerate(brief.slides, start=1):
        if data.kind == TITLE:
            _pdf_title(page, data)
        else:
            _pdf_heading(page, data)
            if data.kind in (CHART, PROBLEM):
                x, y, w, h = _fit_image(data.image_size, CHART_BOX)
                canvas.drawImage(
                    ImageReader(io.BytesIO(data.image)),
                    page.pt(x),
                    page.y(y + h),
                    page.pt(w),
                    page.pt(h),
                )
            elif data.kind == FIGURES:
                _pdf_cards(page, data)
            else:
                _pdf_table(page, data)
                _pdf_lines(page, data)
            _pdf_footer(page, _footer_left(brief, data), f"{number} / {total}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _pdf_title(page: _Page, data: Slide) -> None:
    label, source, generated = data.lines
    page.rect((0, 0, 0.28, SLIDE_SIZE[1]), ACCENT)
    page.runs(1.2, 1.75, [Run(label, 22, ACCENT, True)])
    size, lines = _title_fit(data.title)
    height = lines * size * 1.3 / 72
    page.text((1.2, 2.45, 11, height), Run(data.title, size, INK, True), spacing=1.3)
    year_top = 2.45 + height + 0.3
    page.runs(1.2, year_top, [Run(data.takeaway, 28, INK)])
    page.rect((1.2, 5.75, 11.5, 0.014), RULE)
    page.runs(1.2, 5.95, [Run(source, 15, MUTED)])
    page.runs(1.2, 6.4, [Run(generated, 15, MUTED)])


def _pdf_heading(page: _Page, data: Slide) -> None:
    page.rect((MARGIN - 0.22, TITLE_TOP + 0.06, 0.07, 0.42), ACCENT)
    page.runs(MARGIN, TITLE_TOP, [Run(data.title, TITLE_SIZE, INK, True)])
    if data.takeaway:
        page.text(
            (MARGIN, TAKEAWAY_TOP, CONTENT_WIDTH, 0.8),
            Run(data.takeaway, TAKEAWAY_SIZE, ACCENT),
            spacing=1.25,
        )


def _pdf_footer(page: _Page, left: str, right: str) -> None:
    page.rect((MARGIN, FOOTER_RULE, CONTENT_WIDTH, 0.01), RULE)
    page.runs(MARGIN, FOOTER_TOP, [Run(left, FOOTER_SIZE, MUTED)])
    page.runs(SLIDE_SIZE[0] - MARGIN, FOOTER_TOP, [Run(right, FOOTER_SIZE, MUTED)], align="right")


def _pdf_cards(page: _Page, data: Slide) -> None:
    for card, (x, y, w, h) in zip(data.cards, _card_boxes(len(data.cards)), strict=True):
        page.rect((x, y, w, h), PANEL)
        page.rect((x, y, 0.06, h), ACCENT)
        label, value, change, note = _card_runs(card)
        inner = w - 0.42
        page.runs(x + 0.24, y + 0.18, label)
        page.runs(x + 0.24, y + 0.52, value)
        if change:
            page.text((x + 0.24, y + 1.08, inner, 0.42), change[0], spacing=1.2)
        page.text((x + 0.24, y + 1.54, inner, 0.6), note[0], spacing=1.2)


def _pdf_table(page: _Page, data: Slide) -> None:
    widths = TABLE_COLUMNS[data.kind]
    row_h = TABLE_ROW[data.kind]
    size = TABLE_SIZE[data.kind]
    for r, values in enumerate(data.table):
        top = TABLE_TOP + r * row_h
        page.rect((MARGIN, top, sum(widths), row_h), _row_fill(r))
        x = MARGIN
        for c, (value, width) in enumerate(zip(values, widths, strict=True)):
            colour = ALERT if _is_alert(data.kind, r, c, value) else (MUTED if r == 0 else INK)
            text_top = top + (row_h - size * 1.05 / 72) / 2
            line = page.wrap(Run(value, size), width - 0.24)[0]
            page.runs(x + 0.12, text_top, [Run(line, size, colour, r == 0)])
            x += width


def _pdf_lines(page: _Page, data: Slide) -> None:
    top = _lines_top(data)
    for line in data.lines:
        colour = ALERT if line.startswith(("未通过", "缺表")) else MUTED
        top += page.text((MARGIN, top, CONTENT_WIDTH, 1), Run(line, 14, colour), spacing=1.3)
        top += 0.06


# -- the workbook -------------------------------------------------------------------------------

#: Sheet names of the workbook besides one per 公开 table.
OVERVIEW_SHEET, FACTS_SHEET, CHECKS_SHEET = "概况", "全部数据", "数据核验"
AMOUNT_FORMAT = "#,##0.00"
_TEXT_COLUMNS = ("分区", "上级", "编码", "项目", "表", "栏目", "规则", "类别", "状态", "涉及表")


def write_workbook(report: Report) -> bytes:
    """The facts as an Excel workbook (openpyxl).

    Sheets: 概况 (the report and its tables), one per 公开 table present (rows as the table
    reads, one column per printed amount column, amounts as numbers to the cent in 万元, and
    the PDF page), 全部数据 (every fact with its page, one row each, in report order) and
    数据核验 (every check).
    """
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = OVERVIEW_SHEET
    _overview_sheet(sheet, report)
    for table_id in STANDARD_TABLES:
        info = report.table(table_id)
        if info is None:
            continue
        ws = book.create_sheet(table_id)
        head = f"{frames.table_title(report, table_id)}"
        where = f"{report.unit}　{_heading(report)}　金额单位：万元　PDF {format_pages(info.pages)}"
        frame = frames.table_frame(report, table_id)
        if frame.empty or not report.facts_of(table_id):
            note = info.note or ("本表无数据" if info.empty else "表中未读到金额")
            _write_frame(ws, pd.DataFrame({"说明": [note]}), head, where, amounts=())
            continue
        amounts = [c for c in frame.columns if c not in ("分区", "上级", "编码", "项目", "页码")]
        _write_frame(ws, frame, head, where, amounts=amounts)
    facts = frames.facts_frame(report).rename(columns={"金额": "金额（万元）"})
    _write_frame(book.create_sheet(FACTS_SHEET), facts, None, None, amounts=("金额（万元）",))
    checks = frames.checks_frame(report)
    _write_frame(
        book.create_sheet(CHECKS_SHEET),
        checks,
        None,
        None,
        amounts=("应为", "实为", "差额", "容差"),
        precise=("容差",),
    )
    book.properties.title = f"{report.unit} {_heading(report)} 数据"
    book.properties.creator = "决算看板"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _overview_sheet(ws: Any, report: Report) -> None:
    from openpyxl.styles import Font

    ws["A1"] = report.unit
    ws["A1"].font = Font(size=14, bold=True)
    rows = [
        ("年度", report.year or "未识别"),
        ("类型", report.scope),
        ("原始文件", report.file_name),
        ("页数", report.pages),
        ("原表金额单位", report.source_unit),
        ("本数据表金额单位", "万元"),
        ("文件校验码（SHA-256）", report.sha256),
    ]
    for i, (key, value) in enumerate(rows, start=2):
        ws.cell(row=i, column=1, value=key)
        ws.cell(row=i, column=2, value=value)
    start = len(rows) + 3
    _write_frame(ws, frames.tables_frame(report), None, None, amounts=(), start=start)
    ws.column_dimensions["A"].width = 22


def _write_frame(
    ws: Any,
    frame: pd.DataFrame,
    head: str | None,
    where: str | None,
    *,
    amounts: Sequence[str],
    precise: Sequence[str] = (),
    start: int = 1,
) -> None:
    """A frame as a sheet: optional title lines, a bold header, amounts to the cent, filters."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    row = start
    if head:
        ws.cell(row=row, column=1, value=head).font = Font(size=14, bold=True)
        row += 1
    if where:
        ws.cell(row=row, column=1, value=where).font = Font(color="5B6675")
        row += 1
    if head or where:
        row += 1
    header_row = row
    fill = PatternFill("solid", fgColor="EEF2F7")
    for c, name in enumerate(frame.columns, start=1):
        label = f"{name}（万元）" if name in amounts and "万元" not in str(name) else str(name)
        cell = ws.cell(row=row, column=c, value=label)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for values in frame.itertuples(index=False):
        row += 1
        for c, (name, value) in enumerate(zip(frame.columns, values, strict=True), start=1):
            cell = ws.cell(row=row, column=c, value=_cell_value(value))
            if name in amounts:
                # a tolerance is half a cent per amount summed: show its third decimal
                cell.number_format = AMOUNT_FORMAT + ("0" if name in precise else "")
            elif name in _TEXT_COLUMNS:
                cell.number_format = "@"
    for c, name in enumerate(frame.columns, start=1):
        letter = get_column_letter(c)
        if name in amounts:
            width = 16.0
        elif name in ("项目", "规则", "名称", "说明"):
            width = 44.0 if name != "规则" else 60.0
        else:
            longest = max([_em(str(name)), *(_em(str(v)) for v in frame[name].head(200))])
            width = min(max(8.0, longest * 2 + 2), 30.0)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, width)
    if start == 1:
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if len(frame):
        last = get_column_letter(len(frame.columns))
        ws.auto_filter.ref = f"A{header_row}:{last}{row}"


def _cell_value(value: Any) -> Any:
    """Exact amounts stay Decimal (written as numbers); missing cells stay empty."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, Decimal | str | int | float):
        return value
    try:
        return value.item()  # numpy scalars
    except AttributeError:
        return str(value)


# -- files --------------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|\s]+')


def file_stem(report: Report, name: str) -> str:
    """``<unit>_<year>_<name>``, safe as a file name on Windows, macOS and Linux."""
    stem = export.file_stem(report, name)
    stem = _UNSAFE.sub("", stem).strip(".")[:120]
    return stem or f"决算报告_{name}"


def brief_files(report: Report, *, today: date | None = None) -> list[tuple[str, bytes, str]]:
    """The pack's three files as (file name, bytes, MIME type): PPTX, PDF, XLSX.

    The brief is built once, so the PPTX and the PDF show the same slides.
    """
    brief = build_brief(report, today=today)
    deck = file_stem(report, "简报")
    return [
        (
            f"{deck}.pptx",
            write_pptx(brief),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        (f"{deck}.pdf", write_pdf(brief), "application/pdf"),
        (
            f"{file_stem(report, '数据')}.xlsx",
            write_workbook(report),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ]


def write_brief(report: Report, out_dir: Path) -> list[Path]:
    """Write ``<unit>_<year>_简报.pptx``, ``…_简报.pdf`` and ``…_数据.xlsx``; return their paths.

    Raises :class:`core.present.export.ExportUnavailable` (nothing written) when charts cannot be drawn.
    """
    files = brief_files(report)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data, _mime in files:
        path = out_dir / name
        path.write_bytes(data)
        paths.append(path)
    return paths


__all__ = [
    "Brief",
    "Card",
    "Slide",
    "build_brief",
    "brief_files",
    "file_stem",
    "pages_in",
    "png_size",
    "write_brief",
    "write_pdf",
    "write_pptx",
    "write_workbook",
]
