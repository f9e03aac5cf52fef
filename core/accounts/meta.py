"""Unit, year and scope of a report: from its cover, else from its table headings.

A cover is read line by line, as it is laid out: the date line (``2025年8月``,
``二〇二四年八月``) and page numbers (``第1页``, ``-1-``, ``1/25``) are furniture, not part of
the unit; the report year is the one tied to ``年度`` or ``决算`` (``2024年度``, ``年度2024``,
``二〇二四年度``, or a title that opens with it: ``2021年湛江市…部门决算``), never a date's; a
unit set over two lines is joined; a 监督索引号 line, a ``单位：`` label and ``公开信息`` /
``公开说明`` after the scope are no part of the unit. Where the cover says
nothing (no cover, an image), 编制单位 lines and table headings are counted instead.
"""

from __future__ import annotations

from collections import Counter

from core import regex
from core.pdf.extract import Page, Word, join_line
from core.tables.locate import match_title, squash

TYPE_CHECKING = False  # not typing's: importing typing costs ~2 ms a process, for annotations
if TYPE_CHECKING:
    from typing import TypeVar

    _K = TypeVar("_K")

_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}
_Y = r"(?:(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})"
_CN_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
#: The report year: tied to 年度 (before or after it) or to 决算.
_REPORT_YEAR_RE = regex.compile(
    rf"(?P<a>{_Y})年度|年度(?P<b>{_Y})|(?P<c>{_Y})年?(?=(?:部门|单位)?决算)"
    # a title that opens with its year: 2021年湛江市人民政府行政服务中心部门决算 (a date's
    # year is gone before this is tried: 2025年8月 never reaches it)
    rf"|^(?P<d>{_Y})年(?![度月\d〇零○一二三四五六七八九十])"
)
#: A date line's date (the day the report was published, not the year it reports on).
_DATE_RE = regex.compile(
    rf"{_Y}年{_CN_NUM}月(?:{_CN_NUM}日)?|(?:19|20)\d{{2}}[.\-/]\d{{1,2}}(?:[.\-/]\d{{1,2}})?"
)
#: Page numbers in the forms reports print them, anywhere on a line.
_PAGE_NO_RE = regex.compile(
    r"第\d+页(?:[，,]?共\d+页)?|共\d+页|[-—–－]\d{1,3}[-—–－]?$|^\d{1,3}$|\d{1,3}/\d{1,3}$"
)
_SCOPE_RE = regex.compile(r"(部门|单位)决算")
_BOILERPLATE_RE = regex.compile(
    r"附件\d*[：:]?|(?:编制|填报)单位[：:]|部门[（(]单位[)）]名称[：:]|单位名称[：:]|^单位[：:]|"
    r"[（(]盖章[)）]|(?:监督)?索引号[：:]?[\dA-Za-z\-/]*|"
    r"部门决算|单位决算|决算|公开信息|公开说明|情况说明|公开|报告|目录|年度"
)
_NOT_UNIT_RE = regex.compile(
    r"(?:说明|情况|报告|目录|编制|包括|范围)[：:]?$|^[本我其全]|[，。；]|包括[：:]|^纳入"
)
#: Before a unit in a heading: a part number, an ordinal, a 编制单位 label.
_HEADING_LEAD_RE = regex.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])+"
)


def most_common(counts: Counter[_K]) -> _K:
    """``counts.most_common(1)[0][0]``: the first key counted most often, in the order the
    keys were first counted. ``most_common(1)`` is this very ``max`` (heapq.nlargest's one
    element case), but imports heapq to get there, ~0.5 ms of a parse process's start."""
    return max(counts, key=counts.__getitem__)


def _year_of(text: str) -> int:
    """A year written in Arabic or Chinese digits (二〇二四) as a number."""
    return int("".join(_CN_DIGIT.get(c, c) for c in text))


def report_year(text: str) -> int | None:
    """The report year a line states (``2024年度`` → 2024), ignoring any date in it."""
    text = _DATE_RE.sub("", squash(text))
    m = _REPORT_YEAR_RE.search(text)
    if not m:
        return None
    return _year_of(m.group("a") or m.group("b") or m.group("c") or m.group("d") or "")


def unit_fragment(text: str) -> str:
    """What is left of a cover line once its year, scope, date, page number and boilerplate go.

    Empty when the line holds no part of the unit's name.
    """
    rest = squash(text)
    if regex.search(r"重新排版|re-typeset", rest):
        return ""
    rest = _DATE_RE.sub("", rest)
    rest = _PAGE_NO_RE.sub("", rest)
    rest = _REPORT_YEAR_RE.sub("", rest)
    rest = _BOILERPLATE_RE.sub("", rest)
    rest = regex.sub(r"^[：:\-—–－、.]+|[：:\-—–－]+$", "", rest)
    if len(rest) > 40 or not regex.search(r"[\u4e00-\u9fff]", rest):
        return ""
    if _NOT_UNIT_RE.search(rest) or regex.match(r"^\d+[.、．]", rest):
        return ""
    return rest


def _is_cover(page: Page) -> bool:
    text = squash(page.text)
    if "决算" not in text or len(text) > 400:
        return False
    if any(match_title(join_line(ln)) for ln in page.lines()):
        return False  # a table page
    return not regex.search(r"\d+\.\d{2}|\.{6}|…{3}", text)  # amounts, a contents page's leaders


def _strip_furniture(text: str) -> str:
    """A cover line without its date and page number, white space removed."""
    return _PAGE_NO_RE.sub("", _DATE_RE.sub("", squash(text)))


def _not_unit_line(text: str) -> bool:
    """A line about the units (纳入…范围的单位包括：) or an item of their list (1. XX局)."""
    return bool(regex.search(r"包括[：:]?$|^纳入", text) or regex.match(r"^\d+[.、．]", text))


def _blocks(page: Page) -> list[list[list[Word]]]:
    """The cover's text blocks: runs of lines of one size set close together (a title
    wrapped anywhere, or a year set larger than the rest of its line, stays one block)."""
    blocks: list[list[list[Word]]] = []
    prev: list[Word] | None = None
    for line in page.lines():
        height = max(w.height for w in line)
        if prev is not None and blocks:
            prev_height = max(w.height for w in prev)
            gap = min(w.top for w in line) - max(w.bottom for w in prev)
            same_size = min(height, prev_height) >= 0.75 * max(height, prev_height)
            if same_size and gap < 1.2 * max(height, prev_height):
                blocks[-1].append(line)
                prev = line
                continue
        blocks.append([line])
        prev = line
    return blocks


def cover_meta(pages: list[Page]) -> tuple[str, int | None, str | None]:
    """(unit, year, scope) from the cover: the first of the first three pages that names a 决算
    and is neither a table nor a contents page."""
    for page in pages[:3]:
        if not _is_cover(page):
            continue
        text = squash(page.text)
        scope_m = _SCOPE_RE.search(text)
        scope = scope_m.group(0) if scope_m else None
        year = None
        units: list[str] = []
        for block in _blocks(page):
            # each line loses its date and page number before the block's lines are joined;
            # a line that cannot hold a unit (a list of member units) is no part of it
            kept = [_strip_furniture(join_line(line)) for line in block]
            said = "".join(t for t in kept if t and not _not_unit_line(t))
            year = year or report_year(said)
            frag = unit_fragment(said)
            if len(frag) >= 2:
                units.append(frag)
        return (units[0] if units else ""), year, scope
    return "", None, None


def tables_meta(pages: list[Page]) -> tuple[str, int | None, str | None]:
    """(unit, year, scope) counted over 编制单位 lines and headings, where the cover is silent."""
    units: Counter[str] = Counter()
    years: Counter[int] = Counter()
    scopes: Counter[str] = Counter()
    for page in pages:
        for joined in page.line_texts():
            text = squash(joined)
            if len(text) > 60:
                continue  # a sentence, not a heading
            m = regex.search(
                r"(?:编制|填报)单位[：:]|部门[（(]单位[)）]名称[：:]|单位名称[：:]", text
            )
            if m:
                named = regex.split(r"单位[：:]|公开?\d+表|金额单位", text[m.end() :])[0]
                named = _DATE_RE.sub("", named)
                if 2 <= len(named) <= 40:
                    units[named] += 1
            year = report_year(text) if "决算" in text else None
            if year:
                years[year] += 1
                # a heading that names the unit before the year: XX局2024年度部门决算(表)
                head = regex.match(
                    rf"(.{{2,40}}?)(?:{_Y}年度|年度{_Y}|{_Y}年?(?=(?:部门|单位)?决算))", text
                )
                if head:
                    name = _HEADING_LEAD_RE.sub("", head.group(1))
                    if 2 <= len(name) and not _NOT_UNIT_RE.search(name):
                        units[name] += 1
            for s in _SCOPE_RE.finditer(text):
                scopes[s.group(0)] += 1
    unit = most_common(units) if units else ""
    year = most_common(years) if years else None
    scope = most_common(scopes) if scopes else None
    return unit, year, scope


def find_meta(pages: list[Page]) -> tuple[str, int | None, str | None]:
    """(unit, year, scope): the cover's where it says them, else the headings'."""
    unit, year, scope = cover_meta(pages)
    t_unit, t_year, t_scope = tables_meta(pages)
    return unit or t_unit, year or t_year, scope or t_scope
