"""What a synthetic 决算 report holds: frozen dataclasses, real code catalogues, and
:func:`consistent_report`, which builds a report whose amounts satisfy every accounting
identity of the nine 公开 tables.

All amounts are :class:`~decimal.Decimal` in 万元 with two decimals.  They are generated
as whole cents (whole 万元 for a report printed in 亿元, so that four printed decimals of
亿元 are exact) and summed as integers, so every identity holds exactly.

A table's *content* (rows and amounts) lives in :class:`TableSpec`; how it is printed
lives in its :class:`Layout`.  Change a layout with :func:`with_layout`; the amounts and
the identities do not move.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

TABLE_IDS: tuple[str, ...] = tuple(f"公开{i:02d}" for i in range(1, 10))
ZERO_STYLES: tuple[str, ...] = ("0.00", "0", "-", "—", "blank")
AMOUNT_UNITS: tuple[str, ...] = ("万元", "元", "亿元")
SCOPES: tuple[str, ...] = ("单位决算", "部门决算")

#: Printed titles.  公开07 and 公开09 have variants, chosen by ``Layout.title_variant``.
TITLES: dict[str, str] = {
    "公开01": "收入支出决算总表",
    "公开02": "收入决算表",
    "公开03": "支出决算表",
    "公开04": "财政拨款收入支出决算总表",
    "公开05": "一般公共预算财政拨款支出决算表",
    "公开06": "一般公共预算财政拨款基本支出决算表",
    "公开07": "一般公共预算财政拨款“三公”经费支出决算表",
    "公开08": "政府性基金预算财政拨款收入支出决算表",
    "公开09": "国有资本经营预算财政拨款支出决算表",
}
TITLE_VARIANTS: dict[str, dict[str, str]] = {
    "公开07": {
        "gpb": "一般公共预算财政拨款“三公”经费支出决算表",
        "fiscal": "财政拨款“三公”经费支出决算表",
        "noquote": "财政拨款三公经费支出决算表",
        "gpb_noquote": "一般公共预算财政拨款三公经费支出决算表",
    },
    # "income" prints 公开09 in 公开08's shape (年初 / 本年收入 / 本年支出 / 年末).
    "公开09": {
        "expense": "国有资本经营预算财政拨款支出决算表",
        "income": "国有资本经营预算财政拨款收入支出决算表",
    },
}

NOTES: dict[str, str] = {
    "公开01": "注：本表反映本年度的总收支和年末结转结余情况。",
    "公开02": "注：本表反映本年度取得的各项收入情况。",
    "公开03": "注：本表反映本年度各项支出情况。",
    "公开04": "注：本表反映本年度财政拨款的总收支和年末结转结余情况。",
    "公开05": "注：本表反映本年度一般公共预算财政拨款支出情况。",
    "公开06": "注：本表反映本年度一般公共预算财政拨款基本支出明细情况。",
    "公开07": "注：本表反映本年度“三公”经费支出决算情况。",
    "公开08": "注：本表反映本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
    "公开09": "注：本表反映本年度国有资本经营预算财政拨款支出情况。",
}
EMPTY_NOTES: dict[str, str] = {
    "公开07": "说明：本年度没有财政拨款“三公”经费支出，故本表无数据。",
    "公开08": "说明：本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。",
    "公开09": "说明：本年度没有国有资本经营预算财政拨款支出，故本表无数据。",
}

# --------------------------------------------------------------------------------------
# Code catalogues (real 2024 功能分类 and 经济分类 codes and names)
# --------------------------------------------------------------------------------------

#: The 26 功能分类 classes in the order 公开01/公开04 list them (2024).
CLASSES: tuple[tuple[str, str], ...] = (
    ("201", "一般公共服务支出"),
    ("202", "外交支出"),
    ("203", "国防支出"),
    ("204", "公共安全支出"),
    ("205", "教育支出"),
    ("206", "科学技术支出"),
    ("207", "文化旅游体育与传媒支出"),
    ("208", "社会保障和就业支出"),
    ("210", "卫生健康支出"),
    ("211", "节能环保支出"),
    ("212", "城乡社区支出"),
    ("213", "农林水支出"),
    ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"),
    ("216", "商业服务业等支出"),
    ("217", "金融支出"),
    ("219", "援助其他地区支出"),
    ("220", "自然资源海洋气象等支出"),
    ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"),
    ("223", "国有资本经营预算支出"),
    ("224", "灾害防治及应急管理支出"),
    ("229", "其他支出"),
    ("231", "债务还本支出"),
    ("232", "债务付息支出"),
    ("234", "抗疫特别国债安排的支出"),
)
CLASS_NAMES: dict[str, str] = dict(CLASSES)

KUAN_NAMES: dict[str, str] = {
    "20101": "人大事务",
    "20103": "政府办公厅（室）及相关机构事务",
    "20139": "社会工作事务",
    "20508": "进修及培训",
    "20701": "文化和旅游",
    "20805": "行政事业单位养老支出",
    "20808": "抚恤",
    "21011": "行政事业单位医疗",
    "21208": "国有土地使用权出让收入安排的支出",
    "21301": "农业农村",
    "22102": "住房改革支出",
    "22301": "解决历史遗留问题及改革成本支出",
    "22960": "彩票公益金安排的支出",
}

#: 项 codes: code -> (name, fund, kind).  fund: gpb 一般公共预算 / gf 政府性基金 /
#: soc 国有资本经营; kind: b basic only, p project only, bp both.
XIANG: dict[str, tuple[str, str, str]] = {
    "2010101": ("行政运行", "gpb", "b"),
    "2010102": ("一般行政管理事务", "gpb", "p"),
    "2010301": ("行政运行", "gpb", "b"),
    "2010350": ("事业运行", "gpb", "bp"),
    "2010399": ("其他政府办公厅（室）及相关机构事务支出", "gpb", "p"),
    "2013901": ("行政运行", "gpb", "b"),
    "2013950": ("事业运行", "gpb", "b"),
    "2013999": ("其他社会工作事务支出", "gpb", "p"),
    "2050803": ("培训支出", "gpb", "p"),
    "2070101": ("行政运行", "gpb", "b"),
    "2070109": ("群众文化", "gpb", "p"),
    "2080501": ("行政单位离退休", "gpb", "b"),
    "2080502": ("事业单位离退休", "gpb", "b"),
    "2080505": ("机关事业单位基本养老保险缴费支出", "gpb", "b"),
    "2080506": ("机关事业单位职业年金缴费支出", "gpb", "b"),
    "2080801": ("死亡抚恤", "gpb", "b"),
    "2101101": ("行政单位医疗", "gpb", "b"),
    "2101102": ("事业单位医疗", "gpb", "b"),
    "2101103": ("公务员医疗补助", "gpb", "b"),
    "2130104": ("事业运行", "gpb", "b"),
    "2130135": ("农业资源保护修复与利用", "gpb", "p"),
    "2210201": ("住房公积金", "gpb", "b"),
    "2210202": ("提租补贴", "gpb", "b"),
    "2210203": ("购房补贴", "gpb", "b"),
    "2120801": ("征地和拆迁补偿支出", "gf", "p"),
    "2120803": ("城市建设支出", "gf", "p"),
    "2296002": ("用于社会福利的彩票公益金支出", "gf", "p"),
    "2296003": ("用于体育事业的彩票公益金支出", "gf", "p"),
    "2230105": ("国有企业退休人员社会化管理补助支出", "soc", "p"),
    "2230199": ("其他解决历史遗留问题及改革成本支出", "soc", "p"),
}

#: 经济分类 groups in 公开06: code -> (name, items).  301 and 303 are 人员经费,
#: the others 公用经费.
ECON: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "301": (
        "工资福利支出",
        (
            ("30101", "基本工资"),
            ("30102", "津贴补贴"),
            ("30103", "奖金"),
            ("30106", "伙食补助费"),
            ("30107", "绩效工资"),
            ("30108", "机关事业单位基本养老保险缴费"),
            ("30109", "职业年金缴费"),
            ("30110", "职工基本医疗保险缴费"),
            ("30111", "公务员医疗补助缴费"),
            ("30112", "其他社会保障缴费"),
            ("30113", "住房公积金"),
            ("30114", "医疗费"),
            ("30199", "其他工资福利支出"),
        ),
    ),
    "303": (
        "对个人和家庭的补助",
        (
            ("30301", "离休费"),
            ("30302", "退休费"),
            ("30303", "退职（役）费"),
            ("30304", "抚恤金"),
            ("30305", "生活补助"),
            ("30306", "救济费"),
            ("30307", "医疗费补助"),
            ("30308", "助学金"),
            ("30309", "奖励金"),
            ("30310", "个人农业生产补贴"),
            ("30311", "代缴社会保险费"),
            ("30399", "其他对个人和家庭的补助"),
        ),
    ),
    "302": (
        "商品和服务支出",
        (
            ("30201", "办公费"),
            ("30202", "印刷费"),
            ("30203", "咨询费"),
            ("30204", "手续费"),
            ("30205", "水费"),
            ("30206", "电费"),
            ("30207", "邮电费"),
            ("30208", "取暖费"),
            ("30209", "物业管理费"),
            ("30211", "差旅费"),
            ("30212", "因公出国（境）费用"),
            ("30213", "维修（护）费"),
            ("30214", "租赁费"),
            ("30215", "会议费"),
            ("30216", "培训费"),
            ("30217", "公务接待费"),
            ("30218", "专用材料费"),
            ("30224", "被装购置费"),
            ("30225", "专用燃料费"),
            ("30226", "劳务费"),
            ("30227", "委托业务费"),
            ("30228", "工会经费"),
            ("30229", "福利费"),
            ("30231", "公务用车运行维护费"),
            ("30239", "其他交通费用"),
            ("30240", "税金及附加费用"),
            ("30299", "其他商品和服务支出"),
        ),
    ),
    "307": (
        "债务利息及费用支出",
        (
            ("30701", "国内债务付息"),
            ("30702", "国外债务付息"),
            ("30703", "国内债务发行费用"),
            ("30704", "国外债务发行费用"),
        ),
    ),
    "310": (
        "资本性支出",
        (
            ("31001", "房屋建筑物购建"),
            ("31002", "办公设备购置"),
            ("31003", "专用设备购置"),
            ("31005", "基础设施建设"),
            ("31006", "大型修缮"),
            ("31007", "信息网络及软件购置更新"),
            ("31008", "物资储备"),
            ("31009", "土地补偿"),
            ("31010", "安置补助"),
            ("31011", "地上附着物和青苗补偿"),
            ("31012", "拆迁补偿"),
            ("31013", "公务用车购置"),
            ("31019", "其他交通工具购置"),
            ("31021", "文物和陈列品购置"),
            ("31022", "无形资产购置"),
            ("31099", "其他资本性支出"),
        ),
    ),
    "312": (
        "对企业补助",
        (
            ("31201", "资本金注入"),
            ("31203", "政府投资基金股权投资"),
            ("31204", "费用补贴"),
            ("31205", "利息补贴"),
            ("31299", "其他对企业补助"),
        ),
    ),
    "399": (
        "其他支出",
        (
            ("39907", "国家赔偿费用支出"),
            ("39908", "对民间非营利组织和群众性自治组织补贴"),
            ("39909", "经常性赠与"),
            ("39910", "资本性赠与"),
            ("39999", "其他支出"),
        ),
    ),
}
PERSONNEL_GROUPS: tuple[str, ...] = ("301", "303")
#: Which groups and items 公开06 prints, by ``econ_detail``.
ECON_DETAIL: dict[str, dict[str, tuple[str, ...] | None]] = {
    # every group, every item (Fujian 2024)
    "full": {g: None for g in ("301", "303", "302", "307", "310", "312", "399")},
    # Shanghai 2024: 301, 303, 302, 310 with all their items
    "standard": {g: None for g in ("301", "303", "302", "310")},
    # a short table: a few items per group
    "compact": {
        "301": ("30101", "30102", "30103", "30107", "30108", "30110", "30113"),
        "303": ("30302", "30305"),
        "302": ("30201", "30205", "30206", "30207", "30211", "30228", "30231", "30299"),
        "310": ("31002",),
    },
}

INCOME_01: tuple[str, ...] = (
    "一、一般公共预算财政拨款收入",
    "二、政府性基金预算财政拨款收入",
    "三、国有资本经营预算财政拨款收入",
    "四、上级补助收入",
    "五、事业收入",
    "六、经营收入",
    "七、附属单位上缴收入",
    "八、其他收入",
)
COLS_02: tuple[str, ...] = (
    "本年收入合计",
    "财政拨款收入",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
)
COLS_03: tuple[str, ...] = (
    "本年支出合计",
    "基本支出",
    "项目支出",
    "上缴上级支出",
    "经营支出",
    "对附属单位补助支出",
)
FUNDS_04: tuple[str, ...] = (
    "一、一般公共预算财政拨款",
    "二、政府性基金预算财政拨款",
    "三、国有资本经营预算财政拨款",
)
COLS_04_OUT: tuple[str, ...] = (
    "合计",
    "一般公共预算财政拨款",
    "政府性基金预算财政拨款",
    "国有资本经营预算财政拨款",
)
#: 公开07's six headings (the fact items) and how the Fujian row style prints them.
ITEMS_07: tuple[str, ...] = (
    "合计",
    "因公出国（境）费",
    "公务用车购置及运行维护费",
    "公务用车购置费",
    "公务用车运行维护费",
    "公务接待费",
)
LABELS_07: tuple[str, ...] = (
    "合计",
    "1.因公出国（境）费",
    "2.公务用车购置及运行维护费",
    "其中：（1）公务用车购置费",
    "（2）公务用车运行维护费",
    "3.公务接待费",
)

ORDINALS: tuple[str, ...] = (
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
    "十三",
    "十四",
    "十五",
    "十六",
    "十七",
    "十八",
    "十九",
    "二十",
    "二十一",
    "二十二",
    "二十三",
    "二十四",
    "二十五",
    "二十六",
)

#: Fictional units (no real report's name, so fixtures never collide with real data).
UNITS: tuple[str, ...] = (
    "福建省示例档案服务中心",
    "福建省示例政务服务热线中心",
    "上海市示例区社会工作发展服务中心",
    "上海市示例区城市管理行政执法局",
    "福建省示例机关事务后勤保障中心",
    "示例市生态环境局",
)
MEMBERS: tuple[str, ...] = ("（本级）", "所属事业单位一", "所属事业单位二")

#: Cover variants (see :attr:`ReportSpec.cover`).
COVERS: tuple[str, ...] = (
    "standard",
    "dated",
    "cn_dated",
    "one_line",
    "year_after",
    "spaced",
    "mixed",
)

#: Table sets a report may follow (``core.tables.templates``' names in brackets):
#: standard (公开九表), eight (公开八表: a 2017 report, no 国有资本经营 table), university
#: (高等学校四表: 表1–表4, 收支决算总表 … 财政拨款支出决算表, with or without 高等学校 in the
#: titles), central (中央部门: numbered 表1…, 财政拨款“三公”经费支出决算表, and a
#: 一般公共预算财政拨款项目支出决算表 of its own role).
TEMPLATES: tuple[str, ...] = ("standard", "eight", "university", "central")
TEMPLATE_NAMES: dict[str, str] = {
    "standard": "公开九表",
    "eight": "公开八表",
    "university": "高等学校四表",
    "central": "中央部门",
}
UNIVERSITY_TITLES: dict[str, str] = {
    "公开01": "收支决算总表",
    "公开02": "收入决算表",
    "公开03": "支出决算表",
    "公开05": "财政拨款支出决算表",
}
#: Role id and title of the 中央部门 table no 公开 table matches.
PROJECT_TABLE = ("项目支出", "一般公共预算财政拨款项目支出决算表")

# --------------------------------------------------------------------------------------
# Dataclasses
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """How one table is printed.  Every option is independent of the amounts."""

    titled_number: bool = True
    """Print ``公开NN表`` under the title."""
    title_variant: str | None = None
    """公开07: gpb | fiscal | noquote | gpb_noquote; 公开09: expense | income."""
    ruled: bool = True
    """Grid lines; False = no line at all, columns aligned by white space."""
    split_codes: bool = False
    """功能分类 codes over 类/款/项 columns (201 | 03 | 50) instead of one column."""
    zero_style: str = "0.00"
    """How a zero amount prints: 0.00 | 0 | - | — | blank (blank = no fact)."""
    thousands: bool = False
    """Thousands separators (1,234.56)."""
    wrap_names: bool = False
    """A narrow name column, so names wrap over several lines."""
    letter_spaced: bool = False
    """Names printed with a space between characters (公 务 用 车)."""
    amounts_other_line: bool = False
    """Tall cells: code and name at the top, amounts centred on another text line."""
    continue_after: int | None = None
    """Force a page break after this body row (0-based visual row index)."""
    repeat_header: bool = True
    """On a continuation page, repeat title block and header (else: rows only)."""
    landscape: bool = False
    blocks: int = 3
    """公开06: 2 or 3 code/name/amount blocks side by side."""
    with_budget: bool = False
    """公开07: print 预算数 and 决算数 (else 决算数 only)."""
    style07: str = "rows"
    """公开07: rows (Fujian: 项目 | 行次 | 决算数) or grid (Shanghai: headings across)."""
    actual_first07: bool = False
    """公开07 with a budget: 决算数 printed before 预算数 under each heading."""
    header07: str = "nested"
    """公开07 grid header: nested (公务用车 over 小计/购置费/运行维护费, a 预算数/决算数 row
    under a budget), flat (six headings in one row, a 预算数/决算数 row under a budget) or
    combined (one row, each cell heading and kind: 公务接待费决算数)."""
    order07: str = "0123"
    """公开07 grid: order of the four heading groups (0 合计, 1 出国, 2 公务用车, 3 接待)."""
    total_position: str = "top"
    """Coded tables: 合计 row at the top or the bottom."""
    column_numbers: bool = False
    """Print a 栏次 row (coded tables) / 行次 column (公开07 rows style)."""
    org_line: bool = True
    """Print ``编制单位：…``."""
    amount_header_06: str = "金额"
    code_style: str = "column"
    """How a code stands beside its name (coded tables and 公开06; not with split_codes):
    column (its own cell), joined (glued to the name in the name cell: 2010601行政运行) or
    class_in_code (the code cell holds all but the last two digits, the name cell starts
    with them: 302 | 01办公费)."""
    """公开06 amount header as printed: 金额 or 决算数 (the fact column is 金额 anyway)."""
    font_size: float = 8.0


@dataclass(frozen=True)
class Row:
    """One logical row.  ``values`` follow the table's full column list (see
    :func:`printed_columns` for what a layout prints)."""

    label: str
    """Row name as printed (before letter spacing), with its ordinal if any."""
    item: str
    """Fact item: normalised name."""
    values: tuple[Decimal, ...]
    code: str | None = None
    section: str | None = None
    parent: str | None = None
    level: str = "item"
    """total | class | kuan | xiang | head | sum | group | econ"""


@dataclass(frozen=True)
class TableSpec:
    id: str
    rows: tuple[Row, ...]
    columns: tuple[tuple[str | None, tuple[str, ...]], ...]
    """Per section (None for one-sided tables): the full column list of ``Row.values``."""
    layout: Layout = field(default_factory=Layout)
    empty: bool = False
    """本表无数据: printed with header and note, no amount at all."""
    printed_title: str | None = None
    """The title another template prints for this role (see :func:`as_template`)."""
    number: str | None = None
    """The number printed under the title (表1) instead of ``公开NN表``."""

    def cols(self, section: str | None) -> tuple[str, ...]:
        for s, c in self.columns:
            if s == section:
                return c
        raise KeyError(section)

    @property
    def title(self) -> str:
        if self.printed_title:
            return self.printed_title
        variants = TITLE_VARIANTS.get(self.id)
        if variants and self.layout.title_variant:
            return variants[self.layout.title_variant]
        return TITLES[self.id]


@dataclass(frozen=True)
class Narrative:
    """Last year's totals, for a short narrative page."""

    prev_total: Decimal
    prev_income: Decimal
    prev_expense: Decimal


@dataclass(frozen=True)
class ReportSpec:
    unit: str
    year: int
    scope: str
    amount_unit: str
    tables: tuple[TableSpec, ...]
    members: tuple[str, ...] = ()
    narrative: Narrative | None = None
    cover: str = "standard"
    """How the cover is set: standard (year / unit / scope), dated (unit / 2024年度部门决算 /
    2025年8月, page number - 1 -), cn_dated (二〇二五年八月, 第1页), one_line (unit, year and
    scope in one line, page number 1/N), year_after (unit / 年度2024部门决算), spaced
    (letter-spaced lines), mixed (the year set larger than the rest of its line, on another
    baseline)."""
    shuffled: bool = False
    """Draw each page's text runs in a shuffled order (the content stream out of reading
    order, as some producers write it)."""
    template: str = "standard"
    """The table set (see :data:`TEMPLATES` and :func:`as_template`)."""
    mixed_baselines: bool = False
    """Set the digits of amounts and narrative figures lower than the text of their line
    (another font on one visual line: each glyph on its own baseline)."""

    def table(self, tid: str) -> TableSpec | None:
        for t in self.tables:
            if t.id == tid:
                return t
        return None

    @property
    def table_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.tables)


# --------------------------------------------------------------------------------------
# Names and columns
# --------------------------------------------------------------------------------------

_ORDINAL = re.compile(
    r"^(其中[:：]|[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十]+[）)]|"
    r"\d+[.．、]|[（(]\d+[）)])"
)


def norm_name(text: str) -> str:
    """White space removed, then leading ordinals removed (docs/facts.md)."""
    s = re.sub(r"\s+", "", text)
    while True:
        m = _ORDINAL.match(s)
        if not m or m.end() == len(s):
            return s
        s = s[m.end() :]


def printed_columns(t: TableSpec, section: str | None = None) -> list[tuple[str, int]]:
    """(column name, index into Row.values) for every amount column the layout prints."""
    cols = t.cols(section)
    if t.id == "公开07":
        if not t.layout.with_budget:
            return [("决算数", 1)]
        both = [("预算数", 0), ("决算数", 1)]
        return both[::-1] if t.layout.actual_first07 else both
    if t.id == "公开09" and t.layout.title_variant != "income":
        return [(cols[2], 2), (cols[3], 3), (cols[4], 4)]
    return [(c, i) for i, c in enumerate(cols)]


def is_income_shape_09(t: TableSpec) -> bool:
    return t.id == "公开09" and t.layout.title_variant == "income"


FactKey = tuple[str, str | None, str | None, str | None, str, str]
"""(table, section, parent, code, item, column)"""


def cell_values(spec: ReportSpec) -> dict[FactKey, Decimal]:
    """Every printed amount cell (zeros included, whatever the zero style), by fact key."""
    out: dict[FactKey, Decimal] = {}
    for t in spec.tables:
        if t.empty:
            continue
        for r in t.rows:
            for col, idx in printed_columns(t, r.section):
                out[(t.id, r.section, r.parent, r.code, r.item, col)] = r.values[idx]
    return out


# --------------------------------------------------------------------------------------
# Spec editing helpers
# --------------------------------------------------------------------------------------


def with_layout(
    spec: ReportSpec, tables: str | Iterable[str] | None = None, **changes: object
) -> ReportSpec:
    """A copy of ``spec`` with ``changes`` applied to the layouts of ``tables`` (all when None)."""
    if isinstance(tables, str):
        wanted: set[str] | None = {tables}
    else:
        wanted = set(tables) if tables is not None else None
    new = tuple(
        replace(t, layout=replace(t.layout, **changes)) if wanted is None or t.id in wanted else t
        for t in spec.tables
    )
    return replace(spec, tables=new)


def keep_tables(spec: ReportSpec, ids: Iterable[str]) -> ReportSpec:
    ids = set(ids)
    return replace(spec, tables=tuple(t for t in spec.tables if t.id in ids))


def as_template(spec: ReportSpec, template: str, prefixed: bool = True) -> ReportSpec:
    """``spec`` printed as another table set (:data:`TEMPLATES`); the amounts stay.

    eight: the report year 2017, no 公开09. university: only 公开01/02/03/05, titled as
    :data:`UNIVERSITY_TITLES` (``prefixed``: with 高等学校 before each), numbered 表1–表4.
    central: numbered 表1…, 公开07 titled 财政拨款“三公”经费支出决算表, and after 公开06 the
    项目支出 table: the 公开05 rows with 项目支出 spending, in one 金额 column (needs 公开05).
    """
    tables = list(spec.tables)
    year = spec.year
    if template == "eight":
        year = min(year, 2017)
        tables = [t for t in tables if t.id != "公开09"]
    elif template == "university":
        tables = [
            replace(
                t,
                printed_title=("高等学校" if prefixed else "") + UNIVERSITY_TITLES[t.id],
            )
            for t in tables
            if t.id in UNIVERSITY_TITLES
        ]
    elif template == "central":
        t05 = spec.table("公开05")
        if t05 is None:
            raise ValueError("the 中央部门 set's 项目支出 table comes from 公开05")
        project = [replace(r, values=(r.values[2],)) for r in t05.rows if r.values[2] != 0]
        own = TableSpec(
            PROJECT_TABLE[0],
            tuple(project),
            ((None, ("金额",)),),
            layout=replace(t05.layout, continue_after=None),
            printed_title=PROJECT_TABLE[1],
        )
        tables = [
            replace(t, layout=replace(t.layout, title_variant="fiscal")) if t.id == "公开07" else t
            for t in tables
        ]
        at = max((k + 1 for k, t in enumerate(tables) if t.id <= "公开06"), default=len(tables))
        tables.insert(at, own)
    elif template != "standard":
        raise ValueError(template)
    if template in ("university", "central"):
        tables = [replace(t, number=f"表{k}") for k, t in enumerate(tables, 1)]
    return replace(spec, year=year, tables=tuple(tables), template=template)


def set_value(spec: ReportSpec, key: FactKey, value: Decimal) -> ReportSpec:
    """A copy of ``spec`` with the one printed cell ``key`` set to ``value``."""
    tid, section, parent, code, item, column = key
    tables = []
    hit = 0
    for t in spec.tables:
        if t.id == tid:
            rows = []
            for r in t.rows:
                if (r.section, r.parent, r.code, r.item) == (section, parent, code, item):
                    idx = dict(printed_columns(t, r.section))[column]
                    vals = list(r.values)
                    vals[idx] = value
                    r = replace(r, values=tuple(vals))
                    hit += 1
                rows.append(r)
            t = replace(t, rows=tuple(rows))
        tables.append(t)
    if hit != 1:
        raise KeyError(f"{key}: {hit} rows match")
    return replace(spec, tables=tuple(tables))


# --------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------


def _d(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def _split(
    total: int,
    n: int,
    rng: random.Random,
    tick: int,
    zero_prob: float = 0.0,
    weights: Sequence[float] | None = None,
) -> list[int]:
    """``total`` (a multiple of ``tick``) split into ``n`` multiples of ``tick`` summing to it."""
    if n == 0:
        assert total == 0
        return []
    units = total // tick
    assert units * tick == total
    if weights is None:
        weights = [0.0 if rng.random() < zero_prob else rng.uniform(0.2, 1.0) for _ in range(n)]
    if sum(weights) == 0:
        weights = [1.0] + [0.0] * (n - 1)
    s = sum(weights)
    parts = [int(units * w / s) for w in weights]
    rest = units - sum(parts)
    live = [i for i, w in enumerate(weights) if w > 0]
    for k in range(rest):
        parts[live[k % len(live)]] += 1
    return [p * tick for p in parts]


def _amount(rng: random.Random, lo: float, hi: float, tick: int) -> int:
    """A random amount in [lo, hi) 万元, as cents rounded to ``tick``."""
    cents = int(rng.uniform(lo, hi) * 100)
    return max(tick, cents // tick * tick)


def _tree_rows(
    entries: list[tuple[str, str, list[int]]], ncols: int, total_label: str = "合计"
) -> list[Row]:
    """合计 + 类/款/项 rows (tree order) from 项 entries (code, name, cents per column)."""
    by_class: dict[str, dict[str, list[tuple[str, str, list[int]]]]] = {}
    for code, name, vals in sorted(entries):
        by_class.setdefault(code[:3], {}).setdefault(code[:5], []).append((code, name, vals))

    def add(a: list[int], b: list[int]) -> list[int]:
        return [x + y for x, y in zip(a, b, strict=True)]

    rows: list[Row] = []
    grand = [0] * ncols
    for cls, kuans in by_class.items():
        c_vals = [0] * ncols
        c_rows: list[Row] = []
        for kuan, items in kuans.items():
            k_vals = [0] * ncols
            i_rows = []
            for code, name, vals in items:
                k_vals = add(k_vals, vals)
                i_rows.append(Row(name, name, tuple(map(_d, vals)), code=code, level="xiang"))
            c_vals = add(c_vals, k_vals)
            c_rows.append(
                Row(
                    KUAN_NAMES[kuan],
                    KUAN_NAMES[kuan],
                    tuple(map(_d, k_vals)),
                    code=kuan,
                    level="kuan",
                )
            )
            c_rows.extend(i_rows)
        grand = add(grand, c_vals)
        rows.append(
            Row(CLASS_NAMES[cls], CLASS_NAMES[cls], tuple(map(_d, c_vals)), code=cls, level="class")
        )
        rows.extend(c_rows)
    return [Row(total_label, total_label, tuple(map(_d, grand)), level="total")] + rows


def _class_sums(entries: list[tuple[str, str, list[int]]], col: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for code, _, vals in entries:
        out[code[:3]] = out.get(code[:3], 0) + vals[col]
    return out


def consistent_report(
    seed: int = 0,
    *,
    unit: str | None = None,
    year: int = 2024,
    scope: str | None = None,
    amount_unit: str = "万元",
    tables: Iterable[str] = TABLE_IDS,
    empty: Iterable[str] | None = None,
    econ_detail: str = "standard",
    g09_income: bool | None = None,
    subtotal_label: str | None = None,
    three_public_zero: bool | None = None,
    nonfiscal: bool | None = None,
    n_items: int | None = None,
    narrative: bool = False,
    layout: Layout | None = None,
    layouts: Mapping[str, Layout] | None = None,
) -> ReportSpec:
    """A report whose amounts satisfy every identity of :mod:`tests.pdfgen.identities`.

    ``empty``: which of 公开07/08/09 print 本表无数据 (default: drawn from the seed; a
    table listed there has no amount, and its fund is zero throughout the report).
    ``layout`` is the default layout of every table, ``layouts`` overrides per table.
    """
    rng = random.Random(seed)
    tables = tuple(t for t in TABLE_IDS if t in set(tables))
    if empty is None:
        empty_set = {t for t, p in (("公开08", 0.5), ("公开09", 0.7)) if rng.random() < p}
    else:
        empty_set = set(empty)
    unit = unit or rng.choice(UNITS)
    scope = scope or rng.choice(SCOPES)
    if g09_income is None:
        g09_income = rng.random() < 0.4
    subtotal_label = subtotal_label or rng.choice(("小计", "合计"))
    if nonfiscal is None:
        nonfiscal = rng.random() < 0.5
    if three_public_zero is None:
        three_public_zero = rng.random() < 0.25
    if "公开07" in empty_set:
        three_public_zero = True
    tick = 100 if amount_unit == "亿元" else 1
    big = 200.0 if amount_unit == "亿元" else 1.0  # 亿元 reports are for big budgets

    # ---- which 项 the unit spends on -------------------------------------------------
    gpb_pool = [c for c, (_, f, _) in XIANG.items() if f == "gpb"]
    core = rng.choice(
        [
            ["2010301", "2010399"],
            ["2010350"],
            ["2013901", "2013950", "2013999"],
            ["2010101", "2010102"],
            ["2130104", "2130135"],
            ["2070101", "2070109"],
        ]
    )
    extra = ["2080505", rng.choice(["2101101", "2101102"]), "2210201"]
    optional = [
        c
        for c in gpb_pool
        if c not in core
        and c not in extra
        and c[:5] in {"20805", "21011", "22102", "20808", "20508"}
    ]
    rng.shuffle(optional)
    n_opt = n_items if n_items is not None else rng.randint(1, 4)
    gpb_codes = sorted(set(core + extra + optional[:n_opt]))
    gf_codes = (
        []
        if "公开08" in empty_set
        else sorted(rng.sample(["2120801", "2120803", "2296002", "2296003"], rng.randint(1, 2)))
    )
    soc_codes = (
        []
        if "公开09" in empty_set
        else sorted(rng.sample(["2230105", "2230199"], rng.randint(1, 2)))
    )

    # ---- 一般公共预算 spending per 项 (公开05) ---------------------------------------
    gpb_total = _amount(rng, 150 * big, 3000 * big, tick)
    gpb_spend = dict(zip(gpb_codes, _split(gpb_total, len(gpb_codes), rng, tick), strict=True))
    gpb_b: dict[str, int] = {}
    gpb_p: dict[str, int] = {}
    for c in gpb_codes:
        kind = XIANG[c][2]
        if kind == "b":
            gpb_b[c], gpb_p[c] = gpb_spend[c], 0
        elif kind == "p":
            gpb_b[c], gpb_p[c] = 0, gpb_spend[c]
        else:
            b = _split(gpb_spend[c], 2, rng, tick, weights=[3.0, 1.0])
            gpb_b[c], gpb_p[c] = b[0], b[1]

    # ---- 政府性基金 (公开08) and 国有资本经营 (公开09), per 项 -----------------------
    def fund_rows(codes: list[str]) -> dict[str, list[int]]:
        out = {}
        for c in codes:
            init = _amount(rng, 0, 80 * big, tick) if rng.random() < 0.6 else 0
            inc = _amount(rng, 20 * big, 400 * big, tick)
            spend = _split(init + inc, 2, rng, tick, weights=[rng.uniform(0.5, 1.0), 0.25])[0]
            basic = _split(spend, 2, rng, tick, weights=[0.1, 0.9])[0] if rng.random() < 0.3 else 0
            out[c] = [init, inc, spend, basic, spend - basic, init + inc - spend]
        return out

    gf = fund_rows(gf_codes)
    soc = fund_rows(soc_codes)
    if not g09_income:  # an expense-only 公开09 prints no balances: keep them zero
        for v in soc.values():
            v[0], v[1], v[5] = 0, v[2], 0

    # ---- non-fiscal money (上级补助, 事业收入 … and the spending it pays) ---------------
    nf_b = dict.fromkeys(gpb_codes, 0)
    nf_p = dict.fromkeys(gpb_codes, 0)
    nf_up = dict.fromkeys(gpb_codes, 0)  # 上缴上级支出
    nf_op = dict.fromkeys(gpb_codes, 0)  # 经营支出
    nf_sub = dict.fromkeys(gpb_codes, 0)  # 对附属单位补助支出
    nf_inc_cols = [0, 0, 0, 0, 0]  # 上级补助, 事业, 经营, 附属单位上缴, 其他
    if nonfiscal:
        runners = [c for c in gpb_codes if XIANG[c][2] != "p"][:2] or gpb_codes[:1]
        for c in runners:
            nf_b[c] = _amount(rng, 5 * big, 120 * big, tick)
            if rng.random() < 0.4:
                nf_p[c] = _amount(rng, 1 * big, 40 * big, tick)
        if rng.random() < 0.3:
            nf_op[runners[0]] = _amount(rng, 1 * big, 30 * big, tick)
        nf_inc_cols = [
            _amount(rng, 1 * big, 60 * big, tick) if rng.random() < 0.3 else 0,
            _amount(rng, 10 * big, 200 * big, tick),
            nf_op[runners[0]] + (_amount(rng, 0, 5 * big, tick) if nf_op[runners[0]] else 0),
            0,
            _amount(rng, 0.1 * big, 10 * big, tick) if rng.random() < 0.5 else 0,
        ]
    nf_spend = (
        sum(nf_b.values())
        + sum(nf_p.values())
        + sum(nf_up.values())
        + sum(nf_op.values())
        + sum(nf_sub.values())
    )
    nf_inc = sum(nf_inc_cols)

    # ---- fund balances (公开04) ------------------------------------------------------
    gpb_init = _amount(rng, 0, 0.3 * gpb_total / 100, tick) if rng.random() < 0.7 else 0
    gpb_end = _amount(rng, 0, 0.3 * gpb_total / 100, tick) if rng.random() < 0.7 else 0
    gpb_inc = gpb_total + gpb_end - gpb_init
    if gpb_inc < 0:
        gpb_end -= gpb_inc
        gpb_inc = 0
    gf_tot = [sum(v[i] for v in gf.values()) for i in range(6)]
    soc_tot = [sum(v[i] for v in soc.values()) for i in range(6)]

    # ---- 公开02: income per 项 ---------------------------------------------------------
    all_codes = sorted(set(gpb_codes) | set(gf_codes) | set(soc_codes))
    gpb_inc_split = dict(
        zip(
            gpb_codes,
            _split(
                gpb_inc, len(gpb_codes), rng, tick, weights=[gpb_spend[c] + 1 for c in gpb_codes]
            ),
            strict=True,
        )
    )
    nf_inc_split = [
        dict(
            zip(
                gpb_codes,
                _split(
                    tot,
                    len(gpb_codes),
                    rng,
                    tick,
                    weights=[nf_b[c] + nf_p[c] + nf_op[c] for c in gpb_codes],
                ),
                strict=True,
            )
        )
        for tot in nf_inc_cols
    ]
    e02: list[tuple[str, str, list[int]]] = []
    e03: list[tuple[str, str, list[int]]] = []
    for c in all_codes:
        fiscal = gpb_inc_split.get(c, 0) + gf.get(c, [0] * 6)[1] + soc.get(c, [0] * 6)[1]
        others = [nf_inc_split[k].get(c, 0) for k in range(5)]
        e02.append((c, XIANG[c][0], [fiscal + sum(others), fiscal] + others))
        basic = gpb_b.get(c, 0) + gf.get(c, [0] * 6)[3] + soc.get(c, [0] * 6)[3] + nf_b.get(c, 0)
        proj = gpb_p.get(c, 0) + (gf.get(c, [0] * 6)[4] + soc.get(c, [0] * 6)[4]) + nf_p.get(c, 0)
        up, op, sub = nf_up.get(c, 0), nf_op.get(c, 0), nf_sub.get(c, 0)
        e03.append((c, XIANG[c][0], [basic + proj + up + op + sub, basic, proj, up, op, sub]))
    e05 = [(c, XIANG[c][0], [gpb_b[c] + gpb_p[c], gpb_b[c], gpb_p[c]]) for c in gpb_codes]
    e08 = [(c, XIANG[c][0], gf[c]) for c in gf_codes]
    e09 = [(c, XIANG[c][0], soc[c]) for c in soc_codes]

    # ---- 公开01 ---------------------------------------------------------------------
    inc_total = gpb_inc + gf_tot[1] + soc_tot[1] + nf_inc
    exp_total = (
        sum(v[2] for v in gf.values()) + sum(v[2] for v in soc.values()) + gpb_total + nf_spend
    )
    use_nf = _amount(rng, 0, 5 * big, tick) if nonfiscal and rng.random() < 0.3 else 0
    alloc = _amount(rng, 0, 3 * big, tick) if nonfiscal and rng.random() < 0.3 else 0
    nf_init = max(0, nf_spend + alloc - nf_inc - use_nf)
    if nonfiscal:
        nf_init += _amount(rng, 0, 30 * big, tick)
    init_total = gpb_init + gf_tot[0] + soc_tot[0] + nf_init
    grand = inc_total + use_nf + init_total
    end_total = grand - exp_total - alloc
    assert end_total >= 0
    class_exp = _class_sums(e03, 0)
    use_label = rng.choice(("使用非财政拨款结余（含专用结余）", "使用非财政拨款结余"))
    inc_vals = [gpb_inc, gf_tot[1], soc_tot[1]] + nf_inc_cols
    rows01 = [
        Row(lbl, norm_name(lbl), (_d(v),), section="收入", level="head")
        for lbl, v in zip(INCOME_01, inc_vals, strict=True)
    ]
    rows01 += [
        Row("本年收入合计", "本年收入合计", (_d(inc_total),), section="收入", level="sum"),
        Row(use_label, use_label, (_d(use_nf),), section="收入", level="sum"),
        Row("年初结转和结余", "年初结转和结余", (_d(init_total),), section="收入", level="sum"),
        Row("总计", "总计", (_d(grand),), section="收入", level="sum"),
    ]
    rows01 += [
        Row(
            f"{ORDINALS[i]}、{name}",
            name,
            (_d(class_exp.get(code, 0)),),
            section="支出",
            level="head",
            code=None,
        )
        for i, (code, name) in enumerate(CLASSES)
    ]
    rows01 += [
        Row("本年支出合计", "本年支出合计", (_d(exp_total),), section="支出", level="sum"),
        Row("结余分配", "结余分配", (_d(alloc),), section="支出", level="sum"),
        Row("年末结转和结余", "年末结转和结余", (_d(end_total),), section="支出", level="sum"),
        Row("总计", "总计", (_d(grand),), section="支出", level="sum"),
    ]

    # ---- 公开04 ---------------------------------------------------------------------
    f_inc = [gpb_inc, gf_tot[1], soc_tot[1]]
    f_init = [gpb_init, gf_tot[0], soc_tot[0]]
    f_end = [gpb_end, gf_tot[5], soc_tot[5]]
    cls_g = _class_sums(e05, 0)
    cls_f = _class_sums(e08, 2)
    cls_s = _class_sums(e09, 2)
    in_label = rng.choice(("金额", "决算数"))
    rows04 = [
        Row(lbl, norm_name(lbl), (_d(v),), section="收入", level="head")
        for lbl, v in zip(FUNDS_04, f_inc, strict=True)
    ]
    rows04 += [
        Row("本年收入合计", "本年收入合计", (_d(sum(f_inc)),), section="收入", level="sum"),
        Row(
            "年初财政拨款结转和结余",
            "年初财政拨款结转和结余",
            (_d(sum(f_init)),),
            section="收入",
            level="sum",
        ),
    ]
    rows04 += [
        Row(
            lbl,
            norm_name(lbl),
            (_d(v),),
            section="收入",
            parent="年初财政拨款结转和结余",
            level="head",
        )
        for lbl, v in zip(FUNDS_04, f_init, strict=True)
    ]
    rows04.append(Row("总计", "总计", (_d(sum(f_inc) + sum(f_init)),), section="收入", level="sum"))
    for i, (code, name) in enumerate(CLASSES):
        g, f, s = cls_g.get(code, 0), cls_f.get(code, 0), cls_s.get(code, 0)
        rows04.append(
            Row(
                f"{ORDINALS[i]}、{name}",
                name,
                tuple(map(_d, (g + f + s, g, f, s))),
                section="支出",
                level="head",
            )
        )
    f_exp = [gpb_total, gf_tot[2], soc_tot[2]]
    rows04 += [
        Row(
            "本年支出合计",
            "本年支出合计",
            tuple(map(_d, [sum(f_exp)] + f_exp)),
            section="支出",
            level="sum",
        ),
        Row(
            "年末财政拨款结转和结余",
            "年末财政拨款结转和结余",
            tuple(map(_d, [sum(f_end)] + f_end)),
            section="支出",
            level="sum",
        ),
        Row(
            "总计",
            "总计",
            tuple(
                map(
                    _d,
                    [sum(f_exp) + sum(f_end)] + [a + b for a, b in zip(f_exp, f_end, strict=True)],
                )
            ),
            section="支出",
            level="sum",
        ),
    ]
    assert sum(f_inc) + sum(f_init) == sum(f_exp) + sum(f_end)

    # ---- 公开06 ---------------------------------------------------------------------
    basic_total = sum(gpb_b.values())
    detail = ECON_DETAIL[econ_detail]
    share = rng.uniform(0.7, 0.92)
    personnel = _split(basic_total, 2, rng, tick, weights=[share, 1 - share])
    rows06: list[Row] = []
    sums06: dict[str, int] = {}
    for kind, total in (("人员", personnel[0]), ("公用", personnel[1])):
        groups = [g for g in detail if (g in PERSONNEL_GROUPS) == (kind == "人员")]
        main = groups[0]  # 301 or 302 carries most of it
        gw = [
            1.0 if g == main else (0.08 if g in ("303", "310") and rng.random() < 0.5 else 0.0)
            for g in groups
        ]
        gvals = _split(total, len(groups), rng, tick, weights=gw)
        sums06[kind] = total
        for g, gv in zip(groups, gvals, strict=True):
            gname, all_items = ECON[g]
            keep = detail[g]
            items = [it for it in all_items if keep is None or it[0] in keep]
            ivals = _split(gv, len(items), rng, tick, zero_prob=0.45)
            rows06.append(Row(gname, gname, (_d(gv),), code=g, level="group"))
            rows06 += [
                Row(n, n, (_d(v),), code=c, level="econ")
                for (c, n), v in zip(items, ivals, strict=True)
            ]
    rows06.append(Row("人员经费合计", "人员经费合计", (_d(sums06["人员"]),), level="sum"))
    rows06.append(Row("公用经费合计", "公用经费合计", (_d(sums06["公用"]),), level="sum"))

    # ---- 公开07 ---------------------------------------------------------------------
    if three_public_zero:
        abroad = buy = run = recv = 0
    else:
        abroad = _amount(rng, 0, 15 * big, tick) if rng.random() < 0.3 else 0
        buy = _amount(rng, 10 * big, 30 * big, tick) if rng.random() < 0.25 else 0
        run = _amount(rng, 0.5 * big, 12 * big, tick) if rng.random() < 0.7 else 0
        recv = _amount(rng, 0.1 * big, 5 * big, tick) if rng.random() < 0.7 else 0

    def budget(v: int) -> int:
        return v + (_amount(rng, 0, 3 * big, tick) if rng.random() < 0.7 else 0)

    b_abroad, b_buy, b_run, b_recv = budget(abroad), budget(buy), budget(run), budget(recv)
    act = [abroad + buy + run + recv, abroad, buy + run, buy, run, recv]
    bud = [b_abroad + b_buy + b_run + b_recv, b_abroad, b_buy + b_run, b_buy, b_run, b_recv]
    rows07 = [
        Row(lbl, item, (_d(b), _d(a)), level="head")
        for lbl, item, b, a in zip(LABELS_07, ITEMS_07, bud, act, strict=True)
    ]

    # ---- assemble -------------------------------------------------------------------
    layouts = dict(layouts or {})
    base = layout or Layout()

    def lay(tid: str) -> Layout:
        lt = layouts.get(tid, base)
        if tid == "公开09" and lt.title_variant is None:
            lt = replace(lt, title_variant="income" if g09_income else "expense")
        if tid == "公开07" and lt.title_variant is None:
            lt = replace(lt, title_variant="gpb")
        return lt

    sub = subtotal_label
    cols08 = ("年初结转和结余", "本年收入", sub, "基本支出", "项目支出", "年末结转和结余")
    built: dict[str, TableSpec] = {
        "公开01": TableSpec(
            "公开01", tuple(rows01), (("收入", ("决算数",)), ("支出", ("决算数",)))
        ),
        "公开02": TableSpec("公开02", tuple(_tree_rows(e02, 7)), ((None, COLS_02),)),
        "公开03": TableSpec("公开03", tuple(_tree_rows(e03, 6)), ((None, COLS_03),)),
        "公开04": TableSpec(
            "公开04", tuple(rows04), (("收入", (in_label,)), ("支出", COLS_04_OUT))
        ),
        "公开05": TableSpec(
            "公开05", tuple(_tree_rows(e05, 3)), ((None, (sub, "基本支出", "项目支出")),)
        ),
        "公开06": TableSpec("公开06", tuple(rows06), ((None, ("金额",)),)),
        "公开07": TableSpec("公开07", tuple(rows07), ((None, ("预算数", "决算数")),)),
        "公开08": TableSpec(
            "公开08",
            tuple(_tree_rows(e08, 6)) if e08 else (),
            ((None, cols08),),
            empty="公开08" in empty_set,
        ),
        "公开09": TableSpec(
            "公开09",
            tuple(_tree_rows(e09, 6)) if e09 else (),
            ((None, cols08),),
            empty="公开09" in empty_set,
        ),
    }
    if "公开07" in empty_set:
        assert three_public_zero or not any(act), "an empty 公开07 needs three_public_zero"
        built["公开07"] = replace(built["公开07"], empty=True)
    out = tuple(replace(built[t], layout=lay(t)) for t in tables)
    members = (
        (unit + MEMBERS[0],)
        + tuple(unit.replace("中心", "").replace("局", "") + m for m in MEMBERS[1:])
        if scope == "部门决算"
        else ()
    )
    narr = None
    if narrative:
        prev = _split(grand, 2, rng, tick, weights=[0.85, 0.15])[0]
        narr = Narrative(
            _d(prev),
            _d(_split(inc_total, 2, rng, tick, weights=[0.9, 0.1])[0]),
            _d(_split(exp_total, 2, rng, tick, weights=[0.95, 0.05])[0]),
        )
    return ReportSpec(
        unit=unit,
        year=year,
        scope=scope,
        amount_unit=amount_unit,
        tables=out,
        members=members,
        narrative=narr,
    )
