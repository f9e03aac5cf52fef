"""Frozen records a parsed 决算 report is made of.

Amounts are exact :class:`~decimal.Decimal` values in 万元 (two decimals as printed, or
more where a report printed in 元 converts to fractions of a cent of 万元 — those are
rounded to the cent as printed reports round). Convert to float only for drawing.

Every record that carries a number also carries the 1-based PDF page it was read from, so
a user can check it against the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

SCHEMA = "juesuan-report/1"

#: A printed box on a page: (x0, top, x1, bottom) in PDF points, origin top-left, after the
#: page's rotation (the coordinates pdfplumber and the rendered page share).
Box = tuple[float, float, float, float]

#: The nine standard tables, by id, with their canonical titles.
STANDARD_TABLES: dict[str, str] = {
    "公开01": "收入支出决算总表",
    "公开02": "收入决算表",
    "公开03": "支出决算表",
    "公开04": "财政拨款收入支出决算总表",
    "公开05": "一般公共预算财政拨款支出决算表",
    "公开06": "一般公共预算财政拨款基本支出决算表",
    "公开07": "财政拨款“三公”经费支出决算表",
    "公开08": "政府性基金预算财政拨款收入支出决算表",
    "公开09": "国有资本经营预算财政拨款支出决算表",
}

#: 公开07's six headings, in the order the standard template prints them.
THREE_PUBLIC_ITEMS: tuple[str, ...] = (
    "合计",
    "因公出国（境）费",
    "公务用车购置及运行维护费",
    "公务用车购置费",
    "公务用车运行维护费",
    "公务接待费",
)


@dataclass(frozen=True, slots=True)
class Fact:
    """One numeric cell of a 公开 table."""

    table: str
    """Standard table id, ``公开01`` … ``公开09``."""
    section: str | None
    """``收入`` or ``支出`` on a two-sided table (公开01, 公开04); else None."""
    parent: str | None
    """Normalised name of the row this row breaks down (公开04's 结转和结余 by fund)."""
    code: str | None
    """Whole 功能分类 or 经济分类 code as digits, when the row carries one."""
    item: str
    """Row name, white space and leading ordinals removed."""
    column: str
    """Normalised column header (决算数, 金额, 基本支出, 预算数 …)."""
    value: Decimal
    """Amount in 万元."""
    page: int
    """1-based PDF page the cell was read from."""
    box: Box | None = None
    """The printed cell's box on ``page`` (the amount's words, not the whole grid cell)."""
    confidence: float | None = None
    """OCR recognition confidence (0–1) of the cell; None when read from the text layer."""
    read_as: Decimal | None = None
    """What OCR read when the checks corrected the cell; None when not corrected."""


@dataclass(frozen=True, slots=True)
class TableInfo:
    """Where one standard table stands in the PDF."""

    id: str
    """Standard table id, ``公开01`` … ``公开09``."""
    title: str
    """Title as printed, white space removed."""
    pages: tuple[int, ...]
    """1-based pages the table spans, continuation pages included."""
    empty: bool = False
    """True when the table holds no amount at all (本表无数据)."""
    note: str | None = None
    """The table's own 说明 line when it says why it is empty."""


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator row of a 绩效自评表."""

    level1: str
    """一级指标 (产出指标, 效益指标, 满意度指标 …)."""
    level2: str
    """二级指标 (数量指标, 质量指标 …)."""
    level3: str
    """三级指标, the indicator itself."""
    target: str
    """年度指标值 as printed."""
    actual: str
    """实际完成值 as printed."""
    weight: Decimal | None
    """指标分值."""
    score: Decimal | None
    """自评得分."""
    note: str
    """偏差原因分析及改进措施, empty when none is given."""
    page: int
    """1-based PDF page of the row."""
    box: Box | None = None
    """The row's box on ``page``."""


@dataclass(frozen=True, slots=True)
class FundLine:
    """One line of a 绩效自评表's funds block (资金总额, 财政资金, 其他资金)."""

    name: str
    """资金总额, 财政资金 or 其他资金 (as printed, normalised)."""
    initial_budget: Decimal | None
    """年初预算数, 万元."""
    full_year_budget: Decimal | None
    """全年预算数, 万元."""
    executed: Decimal | None
    """全年执行数, 万元."""
    weight: Decimal | None
    """分值."""
    execution_rate: Decimal | None
    """执行率, percent."""
    score: Decimal | None
    """得分."""
    page: int
    """1-based PDF page of the line."""
    box: Box | None = None
    """The line's box on ``page``."""


@dataclass(frozen=True, slots=True)
class Performance:
    """A 绩效自评表 (整体 or 项目)."""

    kind: str
    """``整体`` (unit as a whole) or ``项目`` (one project)."""
    title: str
    """Title as printed."""
    funds: tuple[FundLine, ...]
    """The funds block."""
    indicators: tuple[Indicator, ...]
    """Every indicator row, in print order."""
    total_score: Decimal | None
    """总分 as printed."""
    grade: str | None
    """评价等级 (优, 良, 中, 差 …) as printed, without the band."""
    pages: tuple[int, ...]
    """1-based pages the scorecard spans."""
    project: str | None = None
    """Project name for a 项目 scorecard."""
    total_page: int | None = None
    """1-based PDF page of the printed 总分, None when none was read."""
    total_box: Box | None = None
    """The box of the printed 总分 figure on ``total_page``."""


@dataclass(frozen=True, slots=True)
class NarrativeFigure:
    """One figure stated in the text sections of the report."""

    topic: str
    """What it measures, e.g. ``收入支出总计``, ``三公经费``, ``公务用车保有量``."""
    kind: str
    """``amount`` (万元), ``change`` (万元, signed), ``growth`` (percent, signed),
    ``budget`` (全年预算数, 万元), ``count`` (a number of things) or ``rate`` (percent)."""
    value: Decimal
    """The figure; signed for change and growth (减少 / 下降 are negative)."""
    page: int
    """1-based PDF page of the sentence."""
    sentence: str
    """The sentence it was read from."""
    code: str | None = None
    """功能分类 code when the figure belongs to one 项."""
    item: str | None = None
    """Item name when the figure belongs to one 项 or one heading."""
    unit: str = "万元"
    """Unit of ``value``: 万元, %, 个, 人次, 辆, 批次, 台（套）."""
    box: Box | None = None
    """The printed number's box on ``page``."""
    sentence_box: Box | None = None
    """The box around the sentence's lines on ``page``."""


@dataclass(frozen=True, slots=True)
class Check:
    """One accounting identity, tested."""

    rule: str
    """What is tested, in words."""
    ok: bool
    """True when found matches expected within tolerance."""
    expected: Decimal | None
    """The value the identity asks for (None for a missing table)."""
    found: Decimal | None
    """The value the report prints."""
    tolerance: Decimal
    """Largest gap still taken as rounding (尾差): 0.005 per printed amount compared."""
    tables: tuple[str, ...]
    """Tables the rule reads."""
    pages: tuple[int, ...] = ()
    """Pages of the amounts compared."""
    kind: str = "identity"
    """``identity``, ``cross`` (across tables), ``narrative``, ``missing``, ``score``,
    ``ocr`` (a low-confidence OCR cell), ``damaged`` (pages the PDF library could not read
    whole) or ``repaired`` (a note, always passed: the library repaired the file, a rebuilt
    cross-reference table, and every page still read whole)."""
    facts: tuple[Fact, ...] = ()
    """The facts the identity compared (both sides), for the source view."""

    @property
    def gap(self) -> Decimal | None:
        """found − expected, when both are known."""
        if self.expected is None or self.found is None:
            return None
        return self.found - self.expected

    @property
    def rounding(self) -> bool:
        """Passed, but only within the rounding tolerance (a non-zero gap)."""
        gap = self.gap
        return self.ok and gap is not None and gap != 0


@dataclass(frozen=True, slots=True)
class Report:
    """Everything read from one 决算 report PDF."""

    unit: str
    """Reporting unit (the cover wins over table headings)."""
    year: int | None
    """Budget year reported on."""
    scope: str
    """``单位决算`` or ``部门决算``."""
    source_unit: str
    """Amount unit the PDF printed: 万元, 元 or 亿元."""
    pages: int
    """Number of PDF pages."""
    tables: tuple[TableInfo, ...]
    """Every standard table found, in id order."""
    facts: tuple[Fact, ...]
    """Every printed numeric cell of every table (0.00, 0, - and — as zero; blank cells left out)."""
    performance: tuple[Performance, ...]
    """Every 绩效自评表 in the report (usually none or one)."""
    narrative: tuple[NarrativeFigure, ...]
    """Figures stated in the text sections."""
    checks: tuple[Check, ...] = ()
    """Every identity tested; filled by :func:`core.accounts.checks.run_checks`."""
    file_name: str = ""
    """Name of the file parsed, for display and export names."""
    sha256: str = ""
    """Hash of the PDF bytes."""
    amount_unit: str = field(default="万元")
    """Always 万元."""
    template: str = "公开九表"
    """The table set the report follows (see docs/templates.md)."""
    text_source: str = "text"
    """``text`` (the PDF's text layer), ``ocr`` or ``mixed``."""
    damaged_pages: tuple[int, ...] = ()
    """Pages the PDF library could not read whole (broken streams, fonts or objects)."""
    damage_reasons: tuple[str, ...] = ()
    """Why those pages could not be read whole, each reason once (as the PDF library said
    it, in English: ``core.pdf.damage``)."""
    repairs: tuple[str, ...] = ()
    """What the PDF library repaired in the file, each once, in English as
    ``core.pdf.damage`` says it: a rebuilt cross-reference table, said as lossless when no
    page is damaged. A note, not damage: no page is named for it."""

    def table(self, table_id: str) -> TableInfo | None:
        """The located table with this id, or None when the report lacks it."""
        return next((t for t in self.tables if t.id == table_id), None)

    def facts_of(self, table_id: str) -> tuple[Fact, ...]:
        """The facts of one table."""
        # a list built first: ~a third faster than a generator, and the checks ask ~100 times
        return tuple([f for f in self.facts if f.table == table_id])
