"""The table sets (templates) 决算 reports follow, and the role each table plays in them.

A role id is the id of the standard 公开 table whose job a table does (收支总表 → 公开01,
收入表 → 公开02 …), so checks, frames and charts read every template the same way; a table
with no standard counterpart has a role id of its own (``项目支出``). Each table keeps its
printed title. ``docs/templates.md`` lists the names.

A template is told from the tables found: their titles (高等学校…, 一般公共预算财政拨款项目支出
决算表) and the report year (the 国有资本经营 table came with the 2018 report year).
"""

from __future__ import annotations

from dataclasses import dataclass

from core import regex
from core.records import STANDARD_TABLES

_QUOTE = r"[“”\"‘’'「」『』]?"


# eq=False: nothing compares or hashes one by value, and __eq__/__hash__ are compiled at
# import, ~0.1 ms each of a parse process's start
@dataclass(frozen=True, slots=True, eq=False)
class TitlePattern:
    """A title pattern and the role a table with that title plays."""

    role: str
    """Role id: 公开01 … 公开09, or a role of its own."""
    pattern: str
    """Regular expression for the title's core (prefixes such as 表1： and years are allowed
    around it by the locator)."""
    template: str | None = None
    """The template only this title belongs to, or None when several share it."""


# eq=False: nothing compares or hashes one by value, and __eq__/__hash__ are compiled at
# import, ~0.1 ms each of a parse process's start
@dataclass(frozen=True, slots=True, eq=False)
class Template:
    """One table set."""

    name: str
    """Short name, as ``Report.template`` and the contract's ``template`` carry it."""
    description: str
    """What reports follow it."""
    tables: dict[str, str]
    """Role id → the title this template prints for it, in print order."""


STANDARD = "公开九表"
EIGHT = "公开八表"
UNIVERSITY = "高等学校四表"
CENTRAL = "中央部门"
UNKNOWN = "其他"

#: Role id of 一般公共预算财政拨款项目支出决算表 (中央部门), which no 公开 table matches.
PROJECT_ROLE = "项目支出"

DEFAULT_TEMPLATES: dict[str, Template] = {
    STANDARD: Template(
        STANDARD,
        "地方部门、单位决算公开的九张表（2018 年度起）",
        dict(STANDARD_TABLES),
    ),
    EIGHT: Template(
        EIGHT,
        "2017 年度及以前的八张表：没有国有资本经营预算财政拨款支出决算表",
        {
            "公开01": "收入支出决算总表",
            "公开02": "收入决算表",
            "公开03": "支出决算表",
            "公开04": "财政拨款收入支出决算总表",
            "公开05": "一般公共预算财政拨款支出决算表",
            "公开06": "一般公共预算财政拨款基本支出决算表",
            "公开07": "一般公共预算财政拨款“三公”经费支出决算表",
            "公开08": "政府性基金预算财政拨款收入支出决算表",
        },
    ),
    UNIVERSITY: Template(
        UNIVERSITY,
        "高等学校部门决算的四张表（表1–表4）",
        {
            "公开01": "高等学校收支决算总表",
            "公开02": "高等学校收入决算表",
            "公开03": "高等学校支出决算表",
            "公开05": "高等学校财政拨款支出决算表",
        },
    ),
    CENTRAL: Template(
        CENTRAL,
        "中央部门决算：九张表之外另有一般公共预算财政拨款项目支出决算表，上年结转代替年初结转",
        {
            "公开01": "收入支出决算总表",
            "公开02": "收入决算表",
            "公开03": "支出决算表",
            "公开04": "财政拨款收入支出决算总表",
            "公开05": "一般公共预算财政拨款支出决算表",
            "公开06": "一般公共预算财政拨款基本支出决算表",
            PROJECT_ROLE: "一般公共预算财政拨款项目支出决算表",
            "公开08": "政府性基金预算财政拨款收入支出决算表",
            "公开09": "国有资本经营预算财政拨款支出决算表",
            "公开07": "财政拨款“三公”经费支出决算表",
        },
    ),
    UNKNOWN: Template(UNKNOWN, "表格按结构认出，但不属于已知的表套：不报告缺表", {}),
}

#: Title patterns, tried most specific first (the first that matches wins).
DEFAULT_TITLE_PATTERNS: tuple[TitlePattern, ...] = (
    TitlePattern("公开06", r"一般公共预算财政拨款基本支出决算表"),
    TitlePattern(PROJECT_ROLE, r"一般公共预算财政拨款项目支出决算表", CENTRAL),
    TitlePattern("公开05", r"一般公共预算财政拨款支出决算表"),
    TitlePattern(
        "公开07", rf"(?:一般公共预算)?(?:财政拨款)?{_QUOTE}三公{_QUOTE}经费(?:支出)?决算表"
    ),
    TitlePattern("公开08", r"政府性基金预算财政拨款(?:收入)?支出决算表"),
    TitlePattern("公开09", r"国有资本经营预算财政拨款(?:收入)?支出决算表"),
    TitlePattern("公开04", r"财政拨款收(?:入)?支(?:出)?决算总表"),
    TitlePattern("公开05", r"高等学校财政拨款支出决算表", UNIVERSITY),
    TitlePattern("公开01", r"高等学校收支决算总表", UNIVERSITY),
    TitlePattern("公开02", r"高等学校收入决算表", UNIVERSITY),
    TitlePattern("公开03", r"高等学校支出决算表", UNIVERSITY),
    # without 高等学校 in the title, still the 高等学校 set's wording (收支, not 收入支出;
    # 财政拨款支出 with no 一般公共预算)
    TitlePattern("公开05", r"财政拨款支出决算表", UNIVERSITY),
    TitlePattern("公开01", r"收支决算总表", UNIVERSITY),
    TitlePattern("公开01", r"收(?:入)?支(?:出)?决算总表"),
    TitlePattern("公开02", r"收入决算表"),
    TitlePattern("公开03", r"支出决算表"),
)

#: Titles of a 预算 (budget) report's tables: such a report is not a 决算 one.
BUDGET_TITLE_RE = regex.compile(
    r"(?:收(?:入)?支(?:出)?预算总表|收入预算表|支出预算表|财政拨款收(?:入)?支(?:出)?预算总表|"
    r"(?:基本|项目)支出预算表|三公.{0,3}经费(?:支出)?预算表|部门预算表)"
)


def role_title(role: str) -> str:
    """The standard title of a role id (the standard set's, else the first template's)."""
    for template in DEFAULT_TEMPLATES.values():
        if role in template.tables:
            return template.tables[role]
    return role


def title_pattern(title: str) -> TitlePattern | None:
    """The first pattern a title (its core, as the locator keeps it) matches whole."""
    core = title.removeprefix("高等学校")
    return next((tp for tp in DEFAULT_TITLE_PATTERNS if regex.fullmatch(tp.pattern, core)), None)


def choose_template(titles: dict[str, str], year: int | None) -> str:
    """The template a report follows, from its tables (role id → printed title) and year.

    A title only one template prints decides it (高等学校…, the 中央 项目支出 table); a report
    of 2017 or before with no 国有资本经营 table is the eight-table set; tables found only by
    their structure (own role ids, no standard title) make it 其他; else the standard nine.
    """
    marks = set()
    for role, title in titles.items():
        tp = title_pattern(title)
        if tp is not None and tp.role == role and tp.template:
            marks.add(tp.template)
        if "高等学校" in title:
            marks.add(UNIVERSITY)
    if UNIVERSITY in marks:
        return UNIVERSITY
    if CENTRAL in marks:
        return CENTRAL
    if titles and not any(r.startswith("公开") for r in titles):
        return UNKNOWN
    if "公开09" not in titles and year is not None and year <= 2017:
        return EIGHT
    return STANDARD


def expected_tables(template: str) -> dict[str, str]:
    """Role id → title of every table the template has (empty for 其他: nothing is missing)."""
    return dict(DEFAULT_TEMPLATES[template].tables) if template in DEFAULT_TEMPLATES else {}


def shown_tables(template: str, found: dict[str, str]) -> dict[str, str]:
    """Role id → title of every table to list for a report: the template's tables in its
    order (a found table under its printed title), then the tables found that the template
    does not name (roles of their own). A view lists "未找到" only for the first kind."""
    out = {role: found.get(role, title) for role, title in expected_tables(template).items()}
    out.update({role: title for role, title in found.items() if role not in out})
    return out
