"""总览: the headline figures (:class:`Kpi`), each with its source page and last year's change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from core.present.frames.lookup import (
    find_fact_01,
    find_narrative,
    find_total,
    table_title,
)
from core.present.frames.numbers import (
    ZERO,
    format_amount,
    format_percent,
    format_score,
    share,
)
from core.present.frames.performance import main_performance
from core.present.frames.personnel import personnel_public_frame
from core.present.frames.three_public import three_public_frame
from core.records import (
    THREE_PUBLIC_ITEMS,
    Fact,
    Report,
)

# -- 总览 ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Kpi:
    """One headline figure of the 总览 page, with where it was read."""

    label: str
    """What it measures, e.g. ``收入总计``."""
    value: Decimal | None
    """The figure (万元, percent or points, see ``unit``); None when the report lacks it."""
    unit: str
    """``万元``, ``%`` or ``分``."""
    text: str
    """The figure as shown, e.g. ``319.08 万元`` or ``96.62 分（优）``."""
    source: str
    """Table or section it comes from, e.g. ``公开01 收入支出决算总表``."""
    pages: tuple[int, ...]
    """PDF pages of the figure."""
    change: Decimal | None = None
    """Change on last year as the narrative states it (same unit), signed."""
    growth: Decimal | None = None
    """Growth on last year in percent as the narrative states it, signed."""
    change_page: int | None = None
    """PDF page of the narrative sentence stating the change."""
    note: str = ""
    """A short remark shown under the figure (e.g. the parts of a ratio)."""

    @property
    def headline(self) -> str:
        """The figure short enough for a card on a projector: ``319.08``, ``93.49%``, ``96.62 · 优``."""
        if self.value is None:
            return self.text
        if self.unit == "万元":
            return format_amount(self.value)
        if self.unit == "分":
            grade = self.text.partition("（")[2].rstrip("）")
            return format_score(self.value) + (f" · {grade}" if grade else "")
        return self.text

    @property
    def delta_short(self) -> str | None:
        """The change on last year in a few characters: the growth, else the change."""
        if self.growth is not None:
            return format_percent(self.growth, sign=True)
        if self.change is not None:
            return format_amount(self.change, sign=True)
        return None

    @property
    def change_words(self) -> str | None:
        """The change in words: ``比上年增加 42.94 万元，增长 15.55%``; None when not stated."""
        if self.change is None and self.growth is None:
            return None
        parts = []
        if self.change is not None:
            verb = "增加" if self.change > 0 else "减少" if self.change < 0 else "持平"
            amount = f" {format_amount(abs(self.change))} 万元" if self.change else ""
            parts.append(f"比上年{verb}{amount}")
        if self.growth is not None and self.growth != 0:
            verb = "增长" if self.growth > 0 else "下降"
            parts.append(f"{verb} {format_percent(abs(self.growth))}")
        return "，".join(parts)

    @property
    def delta(self) -> str | None:
        """The change on last year as shown (``+42.94 万元（+15.55%）``), None when not stated."""
        if self.change is None and self.growth is None:
            return None
        parts = []
        if self.change is not None:
            parts.append(f"{format_amount(self.change, sign=True)} 万元")
        if self.growth is not None:
            text = format_percent(self.growth, sign=True)
            parts.append(f"（{text}）" if parts else text)
        return "".join(parts)


def _with_last_year(kpi: Kpi, report: Report, topics: Sequence[str]) -> Kpi:
    """The Kpi with the narrative's change and growth on last year for these topics."""
    change = find_narrative(report, topics, "change") if topics else None
    growth = find_narrative(report, topics, "growth") if topics else None
    stated = change or growth
    if stated is None:
        return kpi
    return replace(
        kpi,
        change=change.value if change is not None else None,
        growth=growth.value if growth is not None else None,
        change_page=stated.page,
    )


def _kpi_amount(
    report: Report,
    label: str,
    fact: Fact | None,
    source: str,
    change_topics: Sequence[str],
    fallback_topics: Sequence[str] = (),
) -> Kpi:
    value: Decimal | None = fact.value if fact is not None else None
    pages: tuple[int, ...] = (fact.page,) if fact is not None else ()
    if fact is None and fallback_topics:
        stated = find_narrative(report, fallback_topics, "amount")
        if stated is not None:
            value, pages, source = stated.value, (stated.page,), "说明"
    kpi = Kpi(
        label=label,
        value=value,
        unit="万元",
        text=f"{format_amount(value)} 万元" if value is not None else "未列示",
        source=source,
        pages=pages,
    )
    return _with_last_year(kpi, report, change_topics)


def find_kpis(report: Report) -> list[Kpi]:
    """The headline figures of 总览, each from the table that prints it, with last year's change."""
    t01 = table_title(report, "公开01")
    kpis = [
        _kpi_amount(
            report,
            "收入总计",
            find_fact_01(report, "收入", "总计"),
            t01,
            ("收入总计", "收入支出总计", "支出总计"),
            ("收入总计", "收入支出总计"),
        ),
        _kpi_amount(
            report,
            "本年收入",
            find_fact_01(report, "收入", "本年收入合计")
            or find_total(report, "公开02", ("本年收入合计", "合计")),
            t01,
            ("本年收入",),
            ("本年收入",),
        ),
        _kpi_amount(
            report,
            "本年支出",
            find_fact_01(report, "支出", "本年支出合计")
            or find_total(report, "公开03", ("本年支出合计", "合计")),
            t01,
            ("本年支出",),
            ("本年支出",),
        ),
        _closing_kpi(report, t01),
    ]
    kpis.append(_personnel_ratio_kpi(report))
    kpis.append(_three_public_kpi(report))
    kpis.append(_score_kpi(report))
    return kpis


def _closing_kpi(report: Report, source: str) -> Kpi:
    """年末结转和结余; a 公开01 that leaves the row blank prints a zero."""
    fact = find_fact_01(report, "支出", "年末结转和结余")
    kpi = _kpi_amount(report, "年末结转和结余", fact, source, ("年末结转和结余",))
    info = report.table("公开01")
    if fact is None and info is not None and not info.empty and report.facts_of("公开01"):
        kpi = replace(
            kpi,
            value=ZERO,
            text=f"{format_amount(ZERO)} 万元",
            pages=info.pages,
            note="表中此行未填金额，按零计",
        )
    return kpi


def _personnel_ratio_kpi(report: Report) -> Kpi:
    split = personnel_public_frame(report)
    personnel = split.loc[split["类别"] == "人员经费"]
    base = find_total(report, "公开05", "基本支出")
    if personnel.empty:
        return Kpi("人员经费占基本支出", None, "%", "未列示", table_title(report, "公开06"), ())
    p_value: Decimal = personnel["金额"].iloc[0]
    p_pages = tuple(personnel["页码"].iloc[0])
    if base is not None and base.value:
        whole, pages = base.value, tuple(sorted({*p_pages, base.page}))
    else:
        whole, pages = sum(split["金额"], ZERO), p_pages
    ratio = share(p_value, whole)
    return Kpi(
        label="人员经费占基本支出",
        value=ratio,
        unit="%",
        text=format_percent(ratio),
        source=f"{table_title(report, '公开06')}、{table_title(report, '公开05')}",
        pages=pages,
        note=f"人员经费 {format_amount(p_value)} ÷ 基本支出 {format_amount(whole)} 万元",
    )


def _three_public_kpi(report: Report) -> Kpi:
    frame = three_public_frame(report)
    total = frame.loc[frame["项目"] == THREE_PUBLIC_ITEMS[0]]
    source = table_title(report, "公开07")
    topics = ("三公经费",)
    if not total.empty and total["决算数"].iloc[0] is not None:
        value: Decimal = total["决算数"].iloc[0]
        note = "本年度未发生“三公”经费支出" if value == 0 else ""
        kpi = Kpi(
            "三公经费",
            value,
            "万元",
            f"{format_amount(value)} 万元",
            source,
            tuple(total["页码"].iloc[0]),
            note=note,
        )
        return _with_last_year(kpi, report, topics)
    info = report.table("公开07")
    stated = find_narrative(report, ("三公经费",), "amount")
    if stated is not None:
        kpi = Kpi(
            "三公经费",
            stated.value,
            "万元",
            f"{format_amount(stated.value)} 万元",
            "说明",
            (stated.page,),
        )
        return _with_last_year(kpi, report, topics)
    if info is not None and info.empty and info.note and ("没有" in info.note or "无" in info.note):
        # the table is blank and its own note says why: no 三公 spending (a blank template
        # with no such note shows nothing)
        kpi = Kpi(
            "三公经费",
            ZERO,
            "万元",
            f"{format_amount(ZERO)} 万元",
            source,
            info.pages,
            note="表中无数据：本年度未发生“三公”经费支出",
        )
        return _with_last_year(kpi, report, topics)
    return Kpi("三公经费", None, "万元", "未列示", source, ())


def _score_kpi(report: Report) -> Kpi:
    perf = main_performance(report)
    if perf is None or perf.total_score is None:
        stated = next(
            (
                n
                for n in sorted(report.narrative, key=lambda n: n.page)
                if n.unit == "分" and "得分" in n.topic
            ),
            None,
        )
        if stated is not None:
            return Kpi(
                label="绩效自评得分",
                value=stated.value,
                unit="分",
                text=f"{format_score(stated.value)} 分",
                source="说明",
                pages=(stated.page,),
                note=f"说明所列{stated.topic}（报告未附自评表）",
            )
        return Kpi("绩效自评得分", None, "分", "未附自评表", "绩效自评表", ())
    grade = f"（{perf.grade}）" if perf.grade else ""
    return Kpi(
        label="绩效自评得分",
        value=perf.total_score,
        unit="分",
        text=f"{format_amount(perf.total_score)} 分{grade}",
        source=perf.title or "绩效自评表",
        pages=perf.pages,
        note=f"评价等级：{perf.grade}" if perf.grade else "",
    )
