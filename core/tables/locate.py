"""Which pages hold which 公开 table, and where on the page; continuations stitched.

A table is found by its title (with or without ``公开NN表``, with title variants and the
titles of other table sets, see :mod:`core.tables.templates`), wherever it stands; a title
line no pattern knows is placed by the vocabulary of the header under it (收/支 sides, coded
rows, income or expenditure columns). A page with no title whose first lines are table rows
continues the table before it, with or without a repeated header; a page of prose does not,
and a page number under the grid is not part of the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core import regex
from core.pdf.extract import Page, Word, join_line
from core.tables.templates import DEFAULT_TITLE_PATTERNS

_PREFIX = (
    r"(?:.{0,40}?\d{4}\s*年度?)?(?:[一二三四五六七八九十]+[、.．])?(?:附表\d+[：:]?)?"
    r"(?:表[一二三四五六七八九十\d]{1,2}[：:．.、]?)?"
)
_SUFFIX = r"(?:[（(][^）)]{0,12}[）)])?(?:[（(]?公开?\d{1,2}表[）)]?)?"

#: An optional group of plain text, or an optional character class, in a title pattern.
_OPTIONAL_RE = regex.compile(r"\(\?:[^()\\\[\]|*+?{}.^$]*\)\?|\[(?:\\.|[^\]\\])*\]\?")
_META = frozenset("\\.^$*+?{}[]|()")


def _required_text(pattern: str) -> tuple[str, ...]:
    """Pieces of plain text every match of a title pattern contains: the pattern's own text
    once its optional groups and optional characters are taken out; () when the pattern is
    more than those (then nothing is required, the pattern is always tried)."""
    pieces = tuple(p for p in _OPTIONAL_RE.split(pattern) if p)
    if any(ch in _META for p in pieces for ch in p):
        return ()
    return pieces


#: Per title pattern: role id, the regular expression's text (compiled the first time a line
#: holds the pattern's required text, :func:`match_title`), the required text. Compiling all
#: of them costs ~0.7 ms each, every process; most reports need only some.
_TITLES = tuple(
    (
        tp.role,
        _PREFIX + f"((?:高等学校)?{tp.pattern})" + _SUFFIX,
        _required_text(tp.pattern),
    )
    for tp in DEFAULT_TITLE_PATTERNS
)
_TITLE_RES: list[re.Pattern[str] | None] = [None] * len(_TITLES)
_NUMBER_RE = regex.compile(r"公开?(\d{1,2})表")
_AMOUNT_RE = regex.compile(r"^[-−]?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^[-−]?\d+\.\d+$")
_CODE_RE = regex.compile(r"^\d{3}(?:\d{2}){0,2}$")
#: A code glued to the name it opens (30211差旅费, 2010101行政运行): not a count or a date
#: (302年, 100万元, 120个).
_CODE_NAME_RE = regex.compile(
    r"^\d{3}(?:\d{2}){0,2}(?![年月日万亿元个人次辆项条家所名户%％])[\u4e00-\u9fff]"
)
_SECTION_RE = regex.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、.{2,}情况说明)"
)


# eq=False: nothing compares or hashes one by value, and __eq__/__hash__ are compiled at
# import, ~0.1 ms each of a parse process's start
@dataclass(frozen=True, slots=True, eq=False)
class Region:
    """A horizontal band of one page that belongs to a table."""

    page: int
    """1-based page number."""
    top: float
    bottom: float
    continuation: bool
    """True on a page the table runs on to, after the page with its title."""


# eq=False: nothing compares or hashes one by value, and __eq__/__hash__ are compiled at
# import, ~0.1 ms each of a parse process's start
@dataclass(frozen=True, slots=True, eq=False)
class LocatedTable:
    """One standard table and the page regions it covers, in order."""

    id: str
    title: str
    regions: tuple[Region, ...]

    @property
    def pages(self) -> tuple[int, ...]:
        """1-based pages, in order, without repeats."""
        return tuple(dict.fromkeys(r.page for r in self.regions))


# compiled once: both run thousands of times a report
_SPACE_RE = regex.compile(r"\s")
_SQUASH_RE = regex.compile(r"[\s“”\"‘’'「」『』]")


def despace(text: str) -> str:
    """Text with every white space removed (names, as the contract wants them)."""
    return _SPACE_RE.sub("", text)


def squash(text: str) -> str:
    """Text with every white space and quote mark removed, for matching titles and names."""
    return _SQUASH_RE.sub("", text)


def match_title(line_text: str) -> tuple[str, str] | None:
    """The (table id, title) a whole text line names, or None."""
    text = despace(line_text)
    if not text.endswith(("表", "）", ")")) or len(text) > 70:
        return None
    for n, (table_id, pattern, required) in enumerate(_TITLES):
        # a line without the pattern's required text cannot match it: not compiled, not tried
        if not all(piece in text for piece in required):
            continue
        title_re = _TITLE_RES[n]
        if title_re is None:
            title_re = _TITLE_RES[n] = regex.compile(pattern)
        m = title_re.fullmatch(text)
        if m:
            return table_id, m.group(1)
    return None


def _title_lines(page: Page) -> list[tuple[str, str, float, bool]]:
    """(table id, title, top, by structure) for each line of the page that is a table title.

    A known title gives its role id; a title line the patterns do not know is placed by the
    vocabulary of the header under it (:func:`role_by_structure`)."""
    found = []
    lines = page.lines()
    for n, (line, text) in enumerate(zip(lines, page.line_texts(), strict=True)):
        known = match_title(text)
        hit = known or _unknown_title(text, lines[n + 1 : n + 13])
        if hit:
            found.append((hit[0], hit[1], min(w.top for w in line), known is None))
    return found


_UNKNOWN_TITLE_RE = regex.compile(
    _PREFIX + r"([\u4e00-\u9fff“”\"（）()]{2,30}?决算(?:总|明细)?表)" + _SUFFIX
)
_CODE_IN_TEXT_RE = regex.compile(r"(?<!\d)2\d{2}(?:\d{2}){0,2}(?!\d)")


def _unknown_title(line_text: str, below: list[list[Word]]) -> tuple[str, str] | None:
    """(role id, title) for a title line no pattern knows, from the table under it; None
    when the lines under it are no table."""
    text = despace(line_text)
    m = _UNKNOWN_TITLE_RE.fullmatch(text)
    if not m or regex.search(r"[，。；、]", m.group(1)):
        return None
    if regex.fullmatch(
        r".*?(?:年度?)?(?:部门|单位)?决算(?:总|明细)?表", m.group(1)
    ) and not regex.search(r"收|支|费|经费|资金|资产|项目|拨款", m.group(1)):
        return None  # a running head (部门决算表), not one table's title
    role = role_by_structure(m.group(1), [squash(join_line(ln)) for ln in below])
    return (role, m.group(1)) if role else None


def role_by_structure(title: str, below: list[str]) -> str | None:
    """The role a table plays, told by its header words and rows (``below``: the text lines
    under its title); the title itself as an id of its own for a coded table of no known
    role; None when the lines are no table (no 单位 line, header or amounts)."""
    header = "".join(below[:8])
    if not regex.search(r"单位[：:]|决算数|金额|合计|科目|项目", header):
        return None
    if regex.search(r"因公出国|公务接待|公务用车", header):
        return "公开07"
    if regex.search(r"人员经费|公用经费|经济分类", header):
        return "公开06"
    first_rows = below[:4]
    two_sided = any("收入" in ln and "支出" in ln for ln in first_rows) or (
        sum(ln.count("项目") for ln in first_rows) >= 2
    )
    if two_sided and not regex.search(r"科目编码|功能分类科目", header):
        return "公开04" if "财政拨款" in title else "公开01"
    coded = regex.search(r"科目编码|科目代码|功能分类", header) or any(
        _CODE_IN_TEXT_RE.match(ln) for ln in below
    )
    if not coded:
        return None
    if regex.search(r"财政拨款收入|事业收入|其他收入|本年收入合计|上级补助收入", header):
        return "公开02"
    if regex.search(r"基本支出|项目支出", header):
        if regex.search(r"上缴上级支出|经营支出|对附属单位补助支出", header):
            return "公开03"
        return "公开05"
    return title


def _is_table_page(page: Page, top: float) -> bool:
    """A title line at ``top`` heads a table (not a table of contents or prose)."""
    below = [squash(join_line(line)) for line in page.lines() if line[0].top >= top - 1][:12]
    joined = "".join(below)
    return bool(
        regex.search(
            r"单位[：:]|公开?\d{1,2}表|科目编码|项目|经济分类|编码|决算数|本表无数据", joined
        )
    )


def _is_prose(line: list[Word]) -> bool:
    """A line of running text (a sentence with its punctuation), which no table row is."""
    text = squash(join_line(line))
    return bool(regex.search(r"[。；]|，.*万元|万元.*，", text)) or (
        len(text) > 30 and "，" in text
    )


def _row_like(line: list[Word]) -> bool:
    """A text line that looks like a table row: a code first (alone, or glued to its name:
    30211差旅费), or an amount in it (a zero printed 0 beside other cells counts)."""
    if _is_prose(line):
        return False
    first = line[0].text
    if _CODE_RE.match(first) or _CODE_NAME_RE.match(squash(first)):
        return True
    return any(
        (_AMOUNT_RE.match(w.text) and "." in w.text)
        or w.text in ("-", "—", "－", "--")
        or (w.text == "0" and len(line) > 1)
        for w in line
    )


def _ends_open(page: Page, top: float) -> bool:
    """Below ``top`` the page has no 注/说明 line: the table has not ended on it."""
    for line in page.lines():
        if line[0].top > top and regex.match(r"^(?:注|说明|备注)", squash(join_line(line))):
            return False
    return True


def _continues(page: Page, open_before: bool = False) -> bool:
    """The page opens with table rows or a repeated header, not with prose or a heading.

    ``open_before``: the table before ran to the foot of its page with no note under it, so
    rows of blank amounts (本表 rows with nothing printed) carry it on too."""
    lines = [ln for ln in page.lines() if not _is_page_furniture(ln, page)]
    if not lines:
        return False
    head = squash(join_line(lines[0]))
    if _SECTION_RE.match(head) or head.startswith(("注", "说明")) or _is_prose(lines[0]):
        return False
    if regex.match(r"^[一二三四五六七八九十]+、\S*说明$", head):
        return False  # a section heading (三、决算报表说明) opens the page
    if head.endswith("表") and len(head) <= 30:
        return False  # another table's title (项目支出绩效自评表 …) opens the page
    ruled_top = (
        open_before
        or any(r.horizontal and r.pos < lines[0][0].top + 40 for r in page.rules)
        or any(_row_like(line) for line in lines[:8])
    )
    # a line of nothing but amounts (0, 12.50, -): a cell set apart from its row's label
    amounts_only = any(
        all(_AMOUNT_RE.match(w.text) or w.text in ("-", "—", "－", "--") for w in line)
        for line in lines[:8]
    )
    for line in lines[:8]:
        text = squash(join_line(line))
        if _row_like(line) or regex.search(r"科目编码|科目名称|^项目|单位[：:]|经济分类", text):
            return True
        # a row label with an arabic ordinal (1.因公出国（境）费, （2）…, 其中：) over lines of
        # amounts, where the table before ran on to the foot of its page
        if (
            ruled_top
            and amounts_only
            and regex.match(
                r"^(?:\d{1,2}[.．、](?!\d)|[（(][\d一二三四五六七八九十]{1,2}[)）]|其中[:：])\S{0,24}$",
                text,
            )
        ):
            return True
        # rows with blank amounts (an empty template) inside a ruled grid
        if (
            ruled_top
            and regex.match(r"^[一二三四五六七八九十]+、\S{0,24}$", text)
            and "说明" not in text
        ):
            return True
    return False


def table_bottom(page: Page) -> float:
    """Where a table running to the foot of ``page`` ends: above a page number printed under
    the last ruling line (WPS sets it well inside the margin on landscape pages)."""
    lines = page.lines()
    if not lines:
        return page.height
    last = lines[-1]
    text = squash(join_line(last))
    if not regex.fullmatch(r"[-—–]?第?\d{1,3}页?[-—–]?|\d{1,3}/\d{1,3}", text):
        return page.height
    centre = sum(w.xc for w in last) / len(last)
    top = min(w.top for w in last)
    rules = [r.pos for r in page.rules if r.horizontal]
    if top < page.height * 0.7 or abs(centre - page.width / 2) > 0.15 * page.width:
        return page.height
    if max(w.x1 for w in last) - min(w.x0 for w in last) > 0.1 * page.width:
        return page.height  # spread across the page: a row's amounts (0 | 0 | 0), no number
    if rules and max(rules) > top:
        return page.height  # inside the grid: an amount, not a page number
    return top - 0.5


def _is_page_furniture(line: list[Word], page: Page) -> bool:
    """A page number or running header/footer line."""
    text = squash(join_line(line))
    near_edge = line[0].top < page.height * 0.06 or line[0].bottom > page.height * 0.94
    return near_edge and bool(regex.fullmatch(r"[-—第]*\d{1,3}[-—页]*|\d+/\d+", text))


def find_tables(pages: list[Page]) -> list[LocatedTable]:
    """Every standard table found in the pages, in id order (first occurrence of each id).

    A page naming three or more different tables is a table of contents and is skipped.
    """
    starts: list[tuple[int, float, str, str]] = []  # (page index, top, id, title)
    by_page = [_title_lines(page) for page in pages]
    # a table placed by structure never joins a table its role's title names: it keeps an id
    # of its own (its title), so two tables are never read as one
    titled = {t[0] for titles in by_page if len(titles) < 3 for t in titles if not t[3]}
    for index, page in enumerate(pages):
        titles = [
            (title if structural and role in titled else role, title, top)
            for role, title, top, structural in by_page[index]
        ]
        if len({t[0] for t in titles}) >= 3:
            continue  # a table of contents
        seen_on_page: set[str] = set()
        for table_id, title, top in titles:
            if table_id in seen_on_page or not _is_table_page(page, top):
                continue
            seen_on_page.add(table_id)
            starts.append((index, top, table_id, title))
    starts.sort(key=lambda s: (s[0], s[1]))
    # A heading like "一、收入支出决算总表" above the printed title names the same table twice.
    deduped: list[tuple[int, float, str, str]] = []
    for start in starts:
        if deduped and deduped[-1][2] == start[2] and deduped[-1][0] == start[0]:
            continue
        deduped.append(start)

    located: dict[str, LocatedTable] = {}
    for n, (index, top, table_id, title) in enumerate(deduped):
        nxt = deduped[n + 1] if n + 1 < len(deduped) else None
        page = pages[index]
        if nxt is not None and nxt[0] == index:
            regions = [Region(page.number, top, nxt[1], False)]
        else:
            regions = [Region(page.number, top, table_bottom(page), False)]
            follow = index + 1
            last = nxt[0] if nxt is not None else len(pages)
            while follow < last and _continues(
                pages[follow], _ends_open(pages[follow - 1], top if follow - 1 == index else 0.0)
            ):
                regions.append(Region(pages[follow].number, 0.0, table_bottom(pages[follow]), True))
                follow += 1
            if nxt is not None and follow == nxt[0] and follow > index:
                # the next table starts lower on a page this one runs on to
                if _continues(pages[follow]) and _first_line_top(pages[follow]) < nxt[1] - 1:
                    regions.append(Region(pages[follow].number, 0.0, nxt[1], True))
        if table_id not in located:
            located[table_id] = LocatedTable(table_id, title, tuple(regions))
        else:
            # the title printed again on the page a table runs on to (WPS, Word headers)
            first = located[table_id]
            again = tuple(Region(r.page, r.top, r.bottom, True) for r in regions)
            located[table_id] = LocatedTable(table_id, first.title, first.regions + again)
    return [located[k] for k in sorted(located)]


def _first_line_top(page: Page) -> float:
    lines = [ln for ln in page.lines() if not _is_page_furniture(ln, page)]
    return lines[0][0].top if lines else page.height
