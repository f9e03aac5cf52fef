"""总览: the headline figures (:class:`Kpi`), each with its source page and last year's change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from core.present.frames.balance import balance_frame, find_opening
from core.present.frames.checks import check_counts
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
)
from core.present.frames.performance import main_performance
from core.present.frames.personnel import basic_spending, personnel_public_frame
from core.present.frames.three_public import three_public_frame, three_public_state
from core.records import (
    THREE_PUBLIC_ITEMS,
    Fact,
    NarrativeFigure,
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
    facts: tuple[Fact, ...] = ()
    """The printed cells the figure was taken from, where it is one table's figure: the
    source view opens these, not cells found again by name and amount."""
    change_figure: NarrativeFigure | None = None
    """The text's figure ``change`` was read from (a year worked out of it names it)."""

    @property
    def headline(self) -> str:
        """The figure with its unit, short enough for a card: ``319.08 万元``, ``93.49%``, ``96.62 分 · 优``."""
        if self.value is None:
            return self.text
        if self.unit == "万元":
            return f"{format_amount(self.value)} 万元"
        if self.unit == "分":
            grade = self.text.partition("（")[2].rstrip("）")
            return f"{format_score(self.value)} 分" + (f" · {grade}" if grade else "")
        if self.unit == "个":
            return f"{format_score(self.value)} 个"
        return self.text

    @property
    def flat(self) -> bool:
        """True when the report states the figure unchanged on last year (zero change and growth)."""
        if self.change is None and self.growth is None:
            return False
        return not self.change and not self.growth

    @property
    def delta_short(self) -> str | None:
        """The change on last year in a few characters: ``持平``, the growth, else the change."""
        if self.flat:
            return "持平"
        if self.growth is not None:
            return format_percent(self.growth, sign=True)
        if self.change is not None:
            return format_amount(self.change, sign=True) + " 万元"
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
    # the text's change belongs to the amount its own sentence states; where the text calls
    # another quantity by this name (a 高等学校 report's 收入总计 is its 本年收入), it is not
    # this card's change
    said = find_narrative(report, topics, "amount")
    if said is not None and kpi.value is not None and said.page == stated.page:
        if abs(said.value - kpi.value) > Decimal("0.01"):
            return kpi
    return replace(
        kpi,
        change=change.value if change is not None else None,
        growth=growth.value if growth is not None else None,
        change_page=stated.page,
        change_figure=change,
    )


def _bare_total_01(report: Report, section: str) -> Fact | None:
    """The side's grand total printed as a bare ``合计`` (as the 高等学校 表1 prints it); never
    a ``本年收入合计``-like row, which is not the grand total."""
    return next(
        (
            f
            for f in report.facts_of("公开01")
            if f.section == section and f.parent is None and f.item == "合计"
        ),
        None,
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
        facts=(fact,) if fact is not None else (),
    )
    return _with_last_year(kpi, report, change_topics)


def find_kpis(report: Report) -> list[Kpi]:
    """The headline figures of 总览, each from the table that prints it, with last year's change.

    In the order a leader asks: this year's income and spending, what is carried over, then
    收入总计 (which adds last year's carry-over), 人员经费's share, 三公, the score and the
    problems the checks found.
    """
    t01 = table_title(report, "公开01")
    kpis = [
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
        _kpi_amount(
            report,
            "收入总计",
            # the grand total; some table sets (高等学校) print it as a bare 合计
            find_fact_01(report, "收入", "总计") or _bare_total_01(report, "收入"),
            t01,
            ("收入总计", "收入支出总计", "支出总计"),
            ("收入总计", "收入支出总计"),
        ),
    ]
    kpis.append(_personnel_ratio_kpi(report))
    kpis.append(_three_public_kpi(report))
    kpis.append(_score_kpi(report))
    kpis.append(_problems_kpi(report))
    return kpis


def _problems_kpi(report: Report) -> Kpi:
    """How many real problems the checks found (rounding tails are not problems)."""
    counts = check_counts(report)
    pages = tuple(sorted({p for c in report.checks if not c.ok for p in c.pages}))
    if not report.checks:
        return Kpi("核验发现的问题", None, "个", "未核验", "数据核验", (), note="没有可核对的数字")
    problems = counts["failed"]
    notes = []
    if counts["missing"]:
        notes.append(f"另缺 {counts['missing']} 张标准表")
    if counts["rounding"]:
        notes.append(f"{counts['rounding']} 处四舍五入尾差不算问题")
    return Kpi(
        "核验发现的问题",
        Decimal(problems),
        "个",
        f"{problems} 个",
        f"数据核验（{sum(counts.values())} 项）",
        pages,
        note="，".join(notes),
    )


def _closing_kpi(report: Report, source: str) -> Kpi:
    """年末结转和结余; a blank row is zero only where the table's own totals say so.

    支出总计 − 本年支出合计 − 结余分配 is what is left for the row: when that is zero the blank
    means zero (and the card says it was worked out); otherwise the row is 未列示.
    """
    fact = find_fact_01(report, "支出", "年末结转和结余")
    kpi = _kpi_amount(report, "年末结转和结余", fact, source, ("年末结转和结余",))
    if fact is not None or kpi.value is not None:
        return kpi
    total = find_fact_01(report, "支出", "总计") or find_fact_01(report, "支出", "支出总计")
    spend = find_fact_01(report, "支出", "本年支出合计")
    allocation = find_fact_01(report, "支出", "结余分配")
    if total is None or spend is None:
        return kpi
    left = total.value - spend.value - (allocation.value if allocation is not None else ZERO)
    if left != 0:
        return kpi
    return replace(
        kpi,
        value=ZERO,
        text=f"{format_amount(ZERO)} 万元",
        pages=(total.page,),
        note="表中此行空白；支出总计等于本年支出，推算为零",
    )


def _personnel_ratio_kpi(report: Report) -> Kpi:
    """人员经费's share: the very figure the 人员与公用 ring shows (one computation, one rounding)."""
    split = personnel_public_frame(report)
    personnel = split.loc[split["类别"] == "人员经费"]
    if personnel.empty:
        return Kpi("人员经费占基本支出", None, "%", "未列示", table_title(report, "公开06"), ())
    p_value: Decimal = personnel["金额"].iloc[0]
    ratio: Decimal | None = personnel["占比"].iloc[0]
    base = basic_spending(report)
    whole = base if base is not None else sum(split["金额"], ZERO)
    pages = {p for ps in split["页码"] for p in ps}
    source = str(split["来源"].iloc[0])
    if base is not None:
        fact = find_total(report, "公开05", "基本支出")
        pages.add(fact.page if fact is not None else 0)
        source += f"、{table_title(report, '公开05')}"
    return Kpi(
        label="人员经费占基本支出",
        value=ratio,
        unit="%",
        text=format_percent(ratio),
        source=source,
        pages=tuple(sorted(p for p in pages if p)),
        note=f"人员经费 {format_amount(p_value)} ÷ 基本支出 {format_amount(whole)} 万元",
    )


def _three_public_kpi(report: Report) -> Kpi:
    """三公: the 决算数 against its budget where known; 未列示 where the report does not say."""
    frame = three_public_frame(report)
    total = frame.loc[frame["项目"] == THREE_PUBLIC_ITEMS[0]]
    source = table_title(report, "公开07")
    topics = ("三公经费",)
    state = three_public_state(report)
    if not total.empty and total["决算数"].iloc[0] is not None:
        value: Decimal = total["决算数"].iloc[0]
        budget = total["预算数"].iloc[0]
        rate = total["完成预算"].iloc[0]
        if value == 0:
            note = "本年度未发生“三公”经费支出"
        elif budget:
            note = f"预算 {format_amount(budget)} 万元，完成 {format_percent(rate)}"
        else:
            note = "报告未列示预算数"
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
    if state.state == "none":
        kpi = Kpi(
            "三公经费",
            ZERO,
            "万元",
            f"{format_amount(ZERO)} 万元",
            source,
            state.pages,
            note="表中无数据：本年度未发生“三公”经费支出",
        )
        return _with_last_year(kpi, report, topics)
    return Kpi(
        "三公经费", None, "万元", "未列示", source, (), note=state.words.removeprefix("未列示：")
    )


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


def is_blank_template(report: Report) -> bool:
    """True for a blank template: the standard tables are there, but not one amount or figure."""
    return (
        bool(report.tables) and not report.facts and not report.narrative and not report.performance
    )


def _change_clause(kpi: Kpi) -> str:
    if kpi.flat:
        return f"{kpi.label}与上年持平"
    words = kpi.change_words
    return f"{kpi.label}{words.removeprefix('比上年')}" if words else ""


def balance_sentence(report: Report) -> str:
    """收支 in one plain sentence (万元), then what changed on last year where the text says so.

    Only what the report prints is said: a missing total is named as missing, never taken as 0.
    """
    if is_blank_template(report):
        return (
            "这是一份空白模板：找到了公开表的表头，但表中没有填入任何金额，说明部分也没有数字，"
            "没有可以解读的收支。"
        )
    kpis = {k.label: k for k in find_kpis(report)}
    income, spend, closing = kpis["本年收入"], kpis["本年支出"], kpis["年末结转和结余"]
    if income.value is None and spend.value is None:
        return "报告中没有读到本年收入和本年支出（公开01 收入支出决算总表未找到或没有金额）。"
    parts = []
    if income.value is not None and spend.value is not None:
        gap = income.value - spend.value
        if gap == 0:
            verb = "收支相抵"
        else:
            verb = f"收入比支出{'多' if gap > 0 else '少'} {format_amount(abs(gap))} 万元"
        parts.append(
            f"本年收入 {format_amount(income.value)} 万元，本年支出 "
            f"{format_amount(spend.value)} 万元，{verb}"
        )
    else:
        known = income if income.value is not None else spend
        other = spend if known is income else income
        parts.append(f"{known.label} {format_amount(known.value)} 万元，{other.label}未列示")
    if closing.value is not None:
        # a figure worked out from a blank row says so, as its card does
        how = f"（{closing.note}）" if closing.note else ""
        parts.append(f"年末结转和结余 {format_amount(closing.value)} 万元{how}")
    sentence = "，".join(parts) + "。"
    changes = [c for c in (_change_clause(income), _change_clause(spend)) if c]
    if changes:
        sentence += "与上年相比，" + "；".join(changes) + "。"
    return sentence


def overview_bars(report: Report) -> list[tuple[str, Decimal, int]]:
    """总览's chart as rows (name, amount 万元, page): 年初结转和结余, 本年收入, 本年支出,
    年末结转和结余 — the rows 公开01 does not print are left out, never drawn as zero."""
    steps = balance_frame(report)
    if steps.empty:
        return []
    printed = {
        "年初结转和结余": find_opening(report),
        "年末结转和结余": find_fact_01(report, "支出", "年末结转和结余"),
    }
    return [
        (str(name), abs(value), int(page))
        for name, value, page in zip(steps["步骤"], steps["金额"], steps["页码"], strict=True)
        if name in ("本年收入", "本年支出") or printed.get(str(name)) is not None
    ]
