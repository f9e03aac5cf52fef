"""Records -> pandas DataFrames, in one place.

Every view of a :class:`~core.records.Report` that the dashboard draws or shows as a table is
made here. Amounts stay exact :class:`~decimal.Decimal` values in 万元 inside these frames, so
a table shows the cents as printed and a sum never drifts; :func:`to_float` turns a column
into floats for drawing only. Every row keeps the 1-based PDF page its number was read from.

Nothing here decides how a number looks on screen except :func:`format_amount`,
:func:`format_percent` and :func:`format_pages`, which the charts and the pages share so that a
number reads the same everywhere (two decimals, thousands separators).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from core.records import (
    STANDARD_TABLES,
    THREE_PUBLIC_ITEMS,
    Check,
    Fact,
    NarrativeFigure,
    Performance,
    Report,
)

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)

#: 功能分类 levels by code length.
LEVEL_BY_LENGTH: dict[int, str] = {3: "类", 5: "款", 7: "项"}

#: 经济分类 类 names (2024 科目), for a 公开06 that prints no 类 row.
DEFAULT_ECONOMIC_CLASSES: dict[str, str] = {
    "301": "工资福利支出",
    "302": "商品和服务支出",
    "303": "对个人和家庭的补助",
    "307": "债务利息及费用支出",
    "309": "资本性支出（基本建设）",
    "310": "资本性支出",
    "312": "对企业补助",
    "313": "对社会保障基金补助",
    "399": "其他支出",
}

#: 三公 counts the narrative states, by (topic, unit) -> label shown.
THREE_PUBLIC_COUNTS: dict[tuple[str, str], str] = {
    ("组织出国团组", "个"): "本单位组织出国团组",
    ("参加其他单位出国团组", "个"): "参加其他单位出国团组",
    ("出国人次", "人次"): "因公出国（境）人次",
    ("公务用车购置数", "辆"): "公务用车购置",
    ("公务用车保有量", "辆"): "公务用车保有量",
    ("公务接待批次", "批次"): "公务接待批次",
    ("公务接待批次", "人次"): "公务接待人次",
    ("公务接待人次", "人次"): "公务接待人次",
}

#: Grade bands of a 绩效自评 score (财政部 绩效评价: 优 ≥90, 良 80–90, 中 60–80, 差 <60).
DEFAULT_GRADE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("差", 0, 60),
    ("中", 60, 80),
    ("良", 80, 90),
    ("优", 90, 100),
)


# -- formatting ---------------------------------------------------------------------------------


def format_amount(value: Decimal | float | int | None, *, sign: bool = False) -> str:
    """An amount as ``1,234.56`` (two decimals, thousands separators); ``—`` when unknown."""
    if value is None:
        return "—"
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    cents = exact.quantize(CENT, rounding=ROUND_HALF_UP)
    text = f"{cents:,.2f}"
    if sign and cents > 0:
        text = "+" + text
    return text


def format_percent(value: Decimal | float | None, *, sign: bool = False) -> str:
    """A percent figure (already ×100) as ``93.49%``; ``—`` when unknown."""
    if value is None:
        return "—"
    return format_amount(value, sign=sign) + "%"


def format_score(value: Decimal | float | None) -> str:
    """A score or weight as printed, without trailing zeros (``20``, ``6.62``); ``—`` when unknown."""
    if value is None:
        return "—"
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    text = f"{exact.quantize(CENT, rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_pages(pages: Iterable[int]) -> str:
    """``第 5 页``, ``第 8–9 页`` or ``第 5、7 页``; empty when no page is known."""
    ordered = sorted(set(pages))
    if not ordered:
        return ""
    if len(ordered) > 1 and ordered[-1] - ordered[0] == len(ordered) - 1:
        return f"第 {ordered[0]}–{ordered[-1]} 页"
    return "第 " + "、".join(str(p) for p in ordered) + " 页"


def share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole × 100 to the cent, or None when whole is zero or unknown."""
    if part is None or whole is None or whole == 0:
        return None
    return (part * HUNDRED / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def part_share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole × 100 for a part of a whole read from the same table: None when either
    is unknown or negative, the whole is zero, or the part is larger than the whole (a
    misread figure, never a share above 100 %)."""
    if part is None or whole is None or part < 0 or whole <= 0 or part > whole:
        return None
    return share(part, whole)


def share_whole(printed: Decimal | None, parts: Sequence[Decimal]) -> Decimal:
    """The whole the parts of one table are shares of: the printed total, unless it falls
    short of the parts' sum by more than their rounding (a misread total), then that sum."""
    total = sum(parts, ZERO)
    if printed is None or printed < total - CENT / 2 * len(parts):
        return total
    return printed


def to_float(values: Iterable[Decimal | float | int | None]) -> list[float]:
    """Amounts as floats, for drawing only (None becomes 0.0)."""
    return [float(v) if v is not None else 0.0 for v in values]


def table_title(report: Report, table_id: str) -> str:
    """``公开01 收入支出决算总表`` (the title as printed when the report has the table)."""
    info = report.table(table_id)
    title = info.title if info is not None else STANDARD_TABLES.get(table_id, "")
    return f"{table_id} {title}".strip()


# -- look-ups -----------------------------------------------------------------------------------


def _first(facts: Iterable[Fact]) -> Fact | None:
    return next(iter(facts), None)


def find_fact_01(report: Report, section: str, item: str) -> Fact | None:
    """A 公开01 row by side and name (``本年收入合计`` also matches ``本年收入合计`` with a prefix)."""
    facts = [f for f in report.facts_of("公开01") if f.section == section and f.parent is None]
    exact = _first(f for f in facts if f.item == item)
    if exact is not None or not item.endswith("合计"):
        return exact
    return _first(f for f in facts if f.item.endswith(item))


def find_total(report: Report, table_id: str, column: str | Sequence[str]) -> Fact | None:
    """The 合计 row of a coded table in one column (the first of several names that exists)."""
    names = (column,) if isinstance(column, str) else tuple(column)
    totals = [f for f in report.facts_of(table_id) if f.code is None and f.item == "合计"]
    for name in names:
        hit = _first(f for f in totals if f.column == name)
        if hit is not None:
            return hit
    return None


def total_column(report: Report, table_id: str) -> str | None:
    """The column of a coded table that holds each row's total (本年支出合计, 合计, 小计 …)."""
    columns = list(dict.fromkeys(f.column for f in report.facts_of(table_id)))
    for name in ("本年支出合计", "本年收入合计", "合计", "小计", "支出合计", "收入合计"):
        if name in columns:
            return name
    return next((c for c in columns if c.endswith("合计")), None)


def find_narrative(
    report: Report,
    topics: str | Sequence[str],
    kind: str,
    *,
    code: str | None = None,
    unit: str | None = None,
) -> NarrativeFigure | None:
    """The first narrative figure (in page order) on one of these topics, of this kind."""
    wanted = (topics,) if isinstance(topics, str) else tuple(topics)
    for topic in wanted:
        for fig in sorted(report.narrative, key=lambda n: n.page):
            if fig.topic != topic or fig.kind != kind:
                continue
            if code is not None and fig.code != code:
                continue
            if unit is not None and fig.unit != unit:
                continue
            return fig
    return None


def code_names(report: Report) -> dict[str, str]:
    """Every 功能分类 code's name, from whichever coded table prints it (公开03 first)."""
    names: dict[str, str] = {}
    for table_id in ("公开03", "公开05", "公开02", "公开08", "公开09"):
        for f in report.facts_of(table_id):
            if f.code and f.item and f.code not in names:
                names[f.code] = f.item
    return names


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


def check_counts(report: Report) -> dict[str, int]:
    """Counts of the checks: passed exactly, passed within rounding, failed, missing tables."""
    counts = {"passed": 0, "rounding": 0, "failed": 0, "missing": 0}
    for c in report.checks:
        counts[_check_state(c)] += 1
    return counts


# -- 收支平衡 -------------------------------------------------------------------------------------

_01_CARRY_IN = ("使用非财政拨款结余", "年初结转和结余")
_01_CARRY_OUT = ("结余分配", "年末结转和结余")


def _rows_before(facts: list[Fact], stop_suffix: str) -> list[Fact] | None:
    """Rows printed before the ``…合计`` row, or None when the 合计 row is missing."""
    for i, f in enumerate(facts):
        if f.item.endswith(stop_suffix):
            return facts[:i]
    return None


def flow_frame(report: Report) -> pd.DataFrame:
    """Links of the 收支 Sankey from 公开01: source, target, amount, page, kind.

    Income sources (and 年初结转和结余) flow into the middle node ``收支总计``; from it flow
    the 功能分类 类 of 本年支出 (and 结余分配, 年末结转和结余). Zero rows are left out.
    Where a side's rows do not add up to its printed 合计 (a layout the parser read
    differently), that side is drawn as its one 合计 row instead.
    """
    columns = ["来源", "去向", "金额", "页码", "类别"]
    rows: list[tuple[str, str, Decimal, int, str]] = []
    facts = [f for f in report.facts_of("公开01") if f.parent is None]
    income = [f for f in facts if f.section == "收入"]
    spend = [f for f in facts if f.section == "支出"]
    middle = "收支总计"
    for side, side_facts, total_name, carries in (
        ("收入", income, "本年收入合计", _01_CARRY_IN),
        ("支出", spend, "本年支出合计", _01_CARRY_OUT),
    ):
        total = find_fact_01(report, side, total_name)
        parts = _rows_before(side_facts, total_name) or []
        parts = [f for f in parts if f.value != 0 and not f.item.endswith("合计")]
        if total is not None and abs(sum((f.value for f in parts), ZERO) - total.value) > CENT:
            parts = [total] if total.value != 0 else []
        extra = [
            f
            for f in side_facts
            if any(f.item.startswith(c) for c in carries) and f.value != 0 and f not in parts
        ]
        for kind, group in ((side, parts), ("结转结余", extra)):
            for f in group:
                ends = (f.item, middle) if side == "收入" else (middle, f.item)
                rows.append((*ends, f.value, f.page, kind))
    return pd.DataFrame(rows, columns=columns)


def balance_frame(report: Report) -> pd.DataFrame:
    """The steps 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余, from 公开01.

    Columns: 步骤, 金额 (signed: spending negative), 类型 (``absolute`` for the first and the
    last step, ``relative`` between), 页码. The last row is the 年末结转和结余 as printed.
    Empty when 公开01 lacks 本年收入合计 or 本年支出合计.
    """
    columns = ["步骤", "金额", "类型", "页码"]
    opening = find_fact_01(report, "收入", "年初结转和结余")
    income = find_fact_01(report, "收入", "本年收入合计")
    reserve = find_fact_01(report, "收入", "使用非财政拨款结余")
    if reserve is None:
        reserve = _first(
            f
            for f in report.facts_of("公开01")
            if f.section == "收入" and f.item.startswith("使用非财政拨款结余")
        )
    spend = find_fact_01(report, "支出", "本年支出合计")
    allocation = find_fact_01(report, "支出", "结余分配")
    closing = find_fact_01(report, "支出", "年末结转和结余")
    if income is None or spend is None:
        return pd.DataFrame([], columns=columns)
    rows: list[tuple[str, Decimal, str, int]] = [
        (
            "年初结转和结余",
            opening.value if opening else ZERO,
            "absolute",
            opening.page if opening else income.page,
        ),
        ("本年收入", income.value, "relative", income.page),
    ]
    if reserve is not None and reserve.value != 0:
        rows.append(("使用非财政拨款结余", reserve.value, "relative", reserve.page))
    rows.append(("本年支出", -spend.value, "relative", spend.page))
    if allocation is not None and allocation.value != 0:
        rows.append(("结余分配", -allocation.value, "relative", allocation.page))
    computed = sum((r[1] for r in rows), ZERO)
    rows.append(
        (
            "年末结转和结余",
            closing.value if closing else computed,
            "absolute",
            closing.page if closing else spend.page,
        )
    )
    return pd.DataFrame(rows, columns=columns)


def spending_split_frame(report: Report) -> pd.DataFrame:
    """本年支出 by kind (基本支出, 项目支出, and any other printed) from the 合计 row of 公开03.

    Falls back on 公开05 (一般公共预算财政拨款) when 公开03 is missing. Columns: 类别, 金额,
    占比 (percent of the sum), 页码, 来源.
    """
    columns = ["类别", "金额", "占比", "页码", "来源"]
    for table_id in ("公开03", "公开05"):
        total_col = total_column(report, table_id)
        totals = [
            f
            for f in report.facts_of(table_id)
            if f.code is None and f.item == "合计" and f.column != total_col
        ]
        if not totals:
            continue
        whole = sum((f.value for f in totals), ZERO)
        rows = [
            (f.column, f.value, part_share(f.value, whole), f.page, table_title(report, table_id))
            for f in totals
            if f.value != 0 or f.column in ("基本支出", "项目支出")
        ]
        return pd.DataFrame(rows, columns=columns)
    return pd.DataFrame([], columns=columns)


# -- 功能分类 -------------------------------------------------------------------------------------

#: The two sides of the classification view: table, the column each row is sized by, and the
#: column whose share colours it.
CLASSIFICATION_SIDES: dict[str, tuple[str, str]] = {
    "支出": ("公开03", "项目支出"),
    "收入": ("公开02", "财政拨款收入"),
}


def classification_frame(report: Report, side: str = "支出") -> pd.DataFrame:
    """功能分类 类→款→项 of 公开03 (支出) or 公开02 (收入), one row per printed code.

    Columns: 编码, 名称, 级次 (类/款/项), 上级 (parent code, ``""`` for a 类), 金额 (the row's
    printed total), 规模 (the sum of its printed leaves, what a treemap is sized by), 占比
    (percent of the table's total), 着色列 (the colouring column's amount: 项目支出 on the
    spending side, 财政拨款收入 on the income side), 着色占比 (its share of 金额, 0–1 float),
    页码. A code whose 款 or 类 row is not printed gets its parent made up from its children.
    """
    columns = ["编码", "名称", "级次", "上级", "金额", "规模", "占比", "着色列", "着色占比", "页码"]
    table_id, colour_col = CLASSIFICATION_SIDES[side]
    total_col = total_column(report, table_id)
    if total_col is None:
        return pd.DataFrame([], columns=columns)
    names = code_names(report)
    amounts: dict[str, Decimal] = {}
    colour: dict[str, Decimal] = {}
    pages: dict[str, int] = {}
    for f in report.facts_of(table_id):
        if not f.code or len(f.code) not in LEVEL_BY_LENGTH:
            continue
        if f.column == total_col:
            amounts[f.code] = f.value
            pages[f.code] = f.page
        elif f.column == colour_col:
            colour[f.code] = f.value
    if not amounts:
        return pd.DataFrame([], columns=columns)
    # Make up missing parents so every 项 hangs under its 款 and 类.
    for code in list(amounts):
        for length in (3, 5):
            if len(code) > length and code[:length] not in amounts:
                amounts[code[:length]] = ZERO
                pages.setdefault(code[:length], pages[code])
    codes = sorted(amounts)

    def parent(code: str) -> str:
        for length in (5, 3):
            if len(code) > length and code[:length] in amounts:
                return code[:length]
        return ""

    children: dict[str, list[str]] = {}
    for code in codes:
        children.setdefault(parent(code), []).append(code)

    size: dict[str, Decimal] = {}

    def leaf_sum(code: str) -> Decimal:
        kids = children.get(code)
        if not kids:
            size[code] = max(amounts[code], ZERO)
        else:
            size[code] = sum((leaf_sum(k) for k in kids), ZERO)
            if amounts[code] == 0:
                amounts[code] = size[code]
        return size[code]

    for top in children.get("", []):
        leaf_sum(top)
    grand = find_total(report, table_id, total_col)
    tops = [max(amounts[c], size[c]) for c in children.get("", [])]
    whole = share_whole(grand.value if grand is not None else None, tops)
    rows = []
    for code in codes:
        amount = amounts[code]
        col_share = float(colour.get(code, ZERO) / amount) if amount else 0.0
        rows.append(
            (
                code,
                names.get(code, ""),
                LEVEL_BY_LENGTH[len(code)],
                parent(code),
                amount,
                size[code],
                part_share(amount, whole),
                colour.get(code, ZERO),
                min(max(col_share, 0.0), 1.0),
                pages[code],
            )
        )
    return pd.DataFrame(rows, columns=columns)


def classification_table(report: Report, side: str = "支出") -> pd.DataFrame:
    """The 项 (leaf) rows of :func:`classification_frame`, largest first, for reading small items.

    Columns: 科目 (code and name), 金额, 占比, 着色列 renamed to 项目支出 or 财政拨款收入, 页码.
    """
    frame = classification_frame(report, side)
    colour_name = CLASSIFICATION_SIDES[side][1]
    columns = ["科目", "金额", "占比", colour_name, "页码"]
    if frame.empty:
        return pd.DataFrame([], columns=columns)
    parents = set(frame["上级"])
    leaves = frame.loc[~frame["编码"].isin(parents) & (frame["金额"] != 0)].copy()
    leaves["科目"] = [
        f"{c} {n}".strip() for c, n in zip(leaves["编码"], leaves["名称"], strict=True)
    ]
    leaves[colour_name] = leaves["着色列"]
    leaves = leaves.sort_values("规模", ascending=False, kind="stable")
    return leaves[columns].reset_index(drop=True)


# -- 人员与公用 -----------------------------------------------------------------------------------


def personnel_public_frame(report: Report) -> pd.DataFrame:
    """人员经费 and 公用经费 (公开06 人员经费合计 / 公用经费合计, else the narrative).

    Columns: 类别, 金额, 占比, 页码 (a tuple), 来源.
    """
    columns = ["类别", "金额", "占比", "页码", "来源"]
    rows: list[tuple[str, Decimal, tuple[int, ...], str]] = []
    for label in ("人员经费", "公用经费"):
        fact = _first(
            f for f in report.facts_of("公开06") if f.code is None and f.item.startswith(label)
        )
        if fact is not None:
            rows.append((label, fact.value, (fact.page,), table_title(report, "公开06")))
            continue
        stated = find_narrative(report, (label,), "amount")
        if stated is not None:
            rows.append((label, stated.value, (stated.page,), "说明"))
    whole = sum((r[1] for r in rows), ZERO)
    # a share only among figures of one source (公开06, or the narrative): never mixed
    same = len({r[3] for r in rows}) == 1
    return pd.DataFrame(
        [(label, v, part_share(v, whole) if same else None, p, s) for label, v, p, s in rows],
        columns=columns,
    )


def economic_frame(report: Report, *, include_zero: bool = False) -> pd.DataFrame:
    """Every 经济分类 款 of 公开06 (301xx, 302xx, 303xx, 310xx …), largest first.

    Columns: 编码, 名称, 类编码, 类名称, 金额, 页码. Zero rows are left out unless asked.
    """
    columns = ["编码", "名称", "类编码", "类名称", "金额", "页码"]
    facts = [f for f in report.facts_of("公开06") if f.code]
    classes = dict(DEFAULT_ECONOMIC_CLASSES)
    classes.update({f.code: f.item for f in facts if f.code and len(f.code) == 3 and f.item})
    rows = [
        (f.code, f.item, f.code[:3], classes.get(f.code[:3], f.code[:3]), f.value, f.page)
        for f in facts
        if f.code and len(f.code) == 5 and (include_zero or f.value != 0)
    ]
    frame = pd.DataFrame(rows, columns=columns)
    if frame.empty:
        return frame
    frame["_v"] = to_float(frame["金额"])
    frame = frame.sort_values(["_v", "编码"], ascending=[False, True], kind="stable")
    return frame.drop(columns="_v").reset_index(drop=True)


# -- 三公 -----------------------------------------------------------------------------------------


def three_public_frame(report: Report) -> pd.DataFrame:
    """公开07's six headings: 项目, 预算数, 决算数, 完成预算 (percent), 页码 (tuple), 来源.

    A 预算数 the table does not print is taken from the narrative's 全年预算数 where stated;
    完成预算 is the narrative's ``完成全年预算的 …%`` where stated, else 决算数 ÷ 预算数.
    Empty when 公开07 is missing or holds no amount.
    """
    columns = ["项目", "预算数", "决算数", "完成预算", "页码", "来源"]
    facts = report.facts_of("公开07")
    if not facts:
        return pd.DataFrame([], columns=columns)
    rows = []
    for item in THREE_PUBLIC_ITEMS:
        cells = {f.column: f for f in facts if f.item == item}
        budget_fact = cells.get("预算数")
        actual_fact = cells.get("决算数")
        if budget_fact is None and actual_fact is None:
            continue
        topics = ("三公经费",) if item == THREE_PUBLIC_ITEMS[0] else (item,)
        budget = budget_fact.value if budget_fact is not None else None
        source = table_title(report, "公开07")
        pages = {f.page for f in cells.values()}
        if budget is None:
            stated = find_narrative(report, topics, "budget")
            if stated is not None:
                budget = stated.value
                pages.add(stated.page)
                source += "、说明"
        actual = actual_fact.value if actual_fact is not None else None
        rate_fig = find_narrative(report, topics, "rate")
        if rate_fig is not None and rate_fig.page not in _performance_pages(report):
            rate: Decimal | None = rate_fig.value
        else:
            rate = share(actual, budget)
        rows.append((item, budget, actual, rate, tuple(sorted(pages)), source))
    return pd.DataFrame(rows, columns=columns)


def three_public_counts(report: Report) -> pd.DataFrame:
    """The 三公 counts the narrative states (出国团组, 人次, 车辆, 接待批次 …).

    Columns: 项目, 数量, 单位, 页码, 原文. One row per label, the first statement kept.
    """
    columns = ["项目", "数量", "单位", "页码", "原文"]
    seen: dict[str, tuple[str, Decimal, str, int, str]] = {}
    for fig in sorted(report.narrative, key=lambda n: n.page):
        if fig.kind != "count":
            continue
        label = THREE_PUBLIC_COUNTS.get((fig.topic, fig.unit))
        if label is None or label in seen:
            continue
        seen[label] = (label, fig.value, fig.unit, fig.page, fig.sentence)
    order = list(dict.fromkeys(THREE_PUBLIC_COUNTS.values()))
    rows = sorted(seen.values(), key=lambda r: order.index(r[0]))
    return pd.DataFrame(rows, columns=columns)


# -- 绩效自评 -------------------------------------------------------------------------------------


def main_performance(report: Report) -> Performance | None:
    """The scorecard the dashboard leads with: the 整体 one, else the first."""
    if not report.performance:
        return None
    return next((p for p in report.performance if p.kind == "整体"), report.performance[0])


def _performance_pages(report: Report) -> set[int]:
    return {p for perf in report.performance for p in perf.pages}


def grade_of(score: Decimal | float | None) -> str | None:
    """The band a score falls in (优, 良, 中, 差), by :data:`DEFAULT_GRADE_BANDS`."""
    if score is None:
        return None
    value = float(score)
    for name, low, _high in reversed(DEFAULT_GRADE_BANDS):
        if value >= low:
            return name
    return DEFAULT_GRADE_BANDS[0][0]


def indicator_frame(perf: Performance) -> pd.DataFrame:
    """A scorecard's indicators in print order.

    Columns: 一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分, 扣分,
    偏差原因分析及改进措施, 页码.
    """
    rows = []
    for i in perf.indicators:
        lost = i.weight - i.score if i.weight is not None and i.score is not None else None
        rows.append(
            (
                i.level1,
                i.level2,
                i.level3,
                i.target,
                i.actual,
                i.weight,
                i.score,
                lost,
                i.note,
                i.page,
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "扣分",
            "偏差原因分析及改进措施",
            "页码",
        ],
    )


def fund_frame(perf: Performance) -> pd.DataFrame:
    """A scorecard's funds block: 资金, 年初预算数, 全年预算数, 全年执行数, 执行率, 分值, 得分, 页码."""
    rows = [
        (
            f.name,
            f.initial_budget,
            f.full_year_budget,
            f.executed,
            f.execution_rate,
            f.weight,
            f.score,
            f.page,
        )
        for f in perf.funds
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "资金",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "执行率",
            "分值",
            "得分",
            "页码",
        ],
    )


def _about_performance(sentence: str) -> bool:
    """A sentence about 绩效 management, not one listing 绩效工资 or a scorecard's 指标 header."""
    text = sentence.replace("绩效工资", "")
    return "绩效" in text and "指标" not in text


def performance_narrative_frame(report: Report) -> pd.DataFrame:
    """Figures the text states about 绩效 (outside any scorecard's pages), in page order.

    Columns: 主题, 数值, 单位, 页码, 原文.
    """
    skip = _performance_pages(report)
    rows = [
        (n.topic, n.value, n.unit, n.page, n.sentence)
        for n in sorted(report.narrative, key=lambda n: n.page)
        if _about_performance(n.sentence) and n.page not in skip
    ]
    return pd.DataFrame(rows, columns=["主题", "数值", "单位", "页码", "原文"])


# -- 预算执行 -------------------------------------------------------------------------------------


def budget_execution_frame(report: Report) -> pd.DataFrame:
    """Each 项 whose 全年预算数 or 年初预算数 the narrative states, against its 决算数.

    决算数 is the narrative's own figure, else 公开05's total for that code. Columns: 编码,
    项目, 全年预算数, 年初预算数 (each None where not stated), 决算数, 执行率 (决算数 ÷
    全年预算数, percent; None without a 全年预算数), 说明执行率 (as the text states it, else
    None), 页码 (tuple).
    """
    columns = ["编码", "项目", "全年预算数", "年初预算数", "决算数", "执行率", "说明执行率", "页码"]
    names = code_names(report)
    col05 = total_column(report, "公开05")
    rows = []
    stated: dict[str, dict[str, NarrativeFigure]] = {}
    for fig in report.narrative:
        if fig.code and fig.kind in ("budget", "initial_budget"):
            stated.setdefault(fig.code, {}).setdefault(fig.kind, fig)
    for code in sorted(stated):
        budget = stated[code].get("budget")
        initial = stated[code].get("initial_budget")
        first = budget or initial
        if first is None:
            continue
        actual_fig = find_narrative(report, (first.topic,), "actual", code=code)
        pages = {f.page for f in (budget, initial) if f is not None}
        actual: Decimal | None = None
        if actual_fig is not None:
            actual = actual_fig.value
            pages.add(actual_fig.page)
        else:
            fact = _first(
                f for f in report.facts_of("公开05") if f.code == code and f.column == col05
            )
            if fact is not None:
                actual = fact.value
                pages.add(fact.page)
        rate = find_narrative(report, (first.topic,), "rate", code=code)
        rows.append(
            (
                code,
                first.item or names.get(code, ""),
                budget.value if budget is not None else None,
                initial.value if initial is not None else None,
                actual,
                share(actual, budget.value) if budget is not None else None,
                rate.value if rate is not None else None,
                tuple(sorted(pages)),
            )
        )
    return pd.DataFrame(rows, columns=columns)


def budget_overall(report: Report) -> dict[str, NarrativeFigure]:
    """The narrative's whole-budget figures for 一般公共预算财政拨款支出, by kind.

    Keys among ``initial_budget``, ``budget``, ``actual``, ``rate`` — only those stated.
    """
    out: dict[str, NarrativeFigure] = {}
    for kind in ("initial_budget", "budget", "actual", "rate"):
        fig = find_narrative(report, ("一般公共预算财政拨款支出",), kind)
        if fig is not None and fig.code is None:
            out[kind] = fig
    return out


def item_change_frame(report: Report) -> pd.DataFrame:
    """Each 项 whose 决算数 the narrative states, with its change on last year where stated.

    Columns: 编码, 项目, 决算数, 较上年, 增幅, 页码.
    """
    columns = ["编码", "项目", "决算数", "较上年", "增幅", "页码"]
    names = code_names(report)
    rows = []
    actuals = [n for n in report.narrative if n.kind == "actual" and n.code]
    for fig in sorted(actuals, key=lambda n: n.code or ""):
        code = fig.code or ""
        change = find_narrative(report, (fig.topic,), "change", code=code)
        growth = find_narrative(report, (fig.topic,), "growth", code=code)
        rows.append(
            (
                code,
                fig.item or names.get(code, ""),
                fig.value,
                change.value if change is not None else None,
                growth.value if growth is not None else None,
                fig.page,
            )
        )
    return pd.DataFrame(rows, columns=columns)


# -- 数据核验 -------------------------------------------------------------------------------------

#: How each check state reads on screen.
CHECK_STATES: dict[str, str] = {
    "failed": "未通过",
    "missing": "缺表",
    "rounding": "尾差通过",
    "passed": "通过",
}

_CHECK_KINDS = {
    "identity": "表内平衡",
    "cross": "表间勾稽",
    "narrative": "说明与表",
    "missing": "表是否齐全",
    "score": "绩效得分",
}


def _check_state(c: Check) -> str:
    if c.kind == "missing":
        return "missing"
    if not c.ok:
        return "failed"
    return "rounding" if c.rounding else "passed"


def checks_frame(report: Report) -> pd.DataFrame:
    """Every check, failed and missing first: 状态, 规则, 类别, 应为, 实为, 差额, 容差, 涉及表, 页码."""
    order = list(CHECK_STATES)
    rows = []
    for c in report.checks:
        state = _check_state(c)
        rows.append(
            (
                order.index(state),
                CHECK_STATES[state],
                c.rule,
                _CHECK_KINDS.get(c.kind, c.kind),
                c.expected,
                c.found,
                c.gap,
                c.tolerance,
                "、".join(c.tables),
                format_pages(c.pages),
            )
        )
    frame = pd.DataFrame(
        rows,
        columns=["_o", "状态", "规则", "类别", "应为", "实为", "差额", "容差", "涉及表", "页码"],
    )
    frame = frame.sort_values("_o", kind="stable").drop(columns="_o")
    return frame.reset_index(drop=True)


# -- 原始数据 -------------------------------------------------------------------------------------


def facts_frame(report: Report) -> pd.DataFrame:
    """Every fact, the tidy long form: 表, 分区, 上级, 编码, 项目, 栏目, 金额, 页码."""
    return pd.DataFrame(
        [
            (
                f.table,
                f.section or "",
                f.parent or "",
                f.code or "",
                f.item,
                f.column,
                f.value,
                f.page,
            )
            for f in report.facts
        ],
        columns=["表", "分区", "上级", "编码", "项目", "栏目", "金额", "页码"],
    )


def table_frame(report: Report, table_id: str) -> pd.DataFrame:
    """One table as parsed, rows and columns in print order, amounts exact.

    Index-free columns: (分区,) (上级,) (编码,) 项目, one column per printed amount column, 页码.
    The 分区/上级/编码 columns appear only where the table uses them.
    """
    facts = report.facts_of(table_id)
    if not facts:
        return pd.DataFrame([], columns=["项目", "页码"])
    keys: dict[tuple[str, str, str, str], dict[str, Decimal | int]] = {}
    amount_cols = list(dict.fromkeys(f.column for f in facts))
    for f in facts:
        key = (f.section or "", f.parent or "", f.code or "", f.item)
        row = keys.setdefault(key, {})
        row[f.column] = f.value
        row.setdefault("页码", f.page)
    rows = [{"分区": k[0], "上级": k[1], "编码": k[2], "项目": k[3], **v} for k, v in keys.items()]
    frame = pd.DataFrame(rows, columns=["分区", "上级", "编码", "项目", *amount_cols, "页码"])
    for optional in ("分区", "上级", "编码"):
        if (frame[optional] == "").all():
            frame = frame.drop(columns=optional)
    frame = frame.astype({c: object for c in amount_cols})
    frame[amount_cols] = frame[amount_cols].where(frame[amount_cols].notna(), None)
    return frame


def narrative_frame(report: Report) -> pd.DataFrame:
    """Every narrative figure in page order: 主题, 类型, 数值, 单位, 编码, 项目, 页码, 原文."""
    kinds = {
        "amount": "金额",
        "change": "增减额",
        "growth": "增减率",
        "budget": "全年预算数",
        "initial_budget": "年初预算数",
        "actual": "决算数",
        "count": "数量",
        "rate": "比率",
        "share": "占比",
    }
    return pd.DataFrame(
        [
            (
                n.topic,
                kinds.get(n.kind, n.kind),
                n.value,
                n.unit,
                n.code or "",
                n.item or "",
                n.page,
                n.sentence,
            )
            for n in sorted(report.narrative, key=lambda n: n.page)
        ],
        columns=["主题", "类型", "数值", "单位", "编码", "项目", "页码", "原文"],
    )


def tables_frame(report: Report) -> pd.DataFrame:
    """The standard tables and where each stands: 表, 名称, 页码, 数据项, 说明."""
    rows = []
    for table_id, title in STANDARD_TABLES.items():
        info = report.table(table_id)
        if info is None:
            rows.append((table_id, title, "未找到", 0, ""))
            continue
        n = len(report.facts_of(table_id))
        rows.append(
            (
                table_id,
                info.title,
                format_pages(info.pages),
                n,
                info.note or ("本表无数据" if info.empty else ""),
            )
        )
    return pd.DataFrame(rows, columns=["表", "名称", "页码", "数据项", "说明"])
