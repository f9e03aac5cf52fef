"""Figures stated in the text sections of a report, each with its page, sentence and boxes.

The 情况说明 restates the tables in words and adds what the tables lack: last year's totals
and the change, each 项's 年初预算 / 全年预算 against its 决算, the 三公 budget and counts
(出国团组, 人次, vehicles, 接待批次), 机关运行经费, 政府采购 and assets.

A figure is read by the grammar of its own sentence (up to 。), and kept only when both its
subject and its kind are plain there:

- the **kind** comes from the words just before the number: ``年初预算为`` (initial_budget),
  ``全年预算为`` / ``预算为`` (budget), ``决算为`` (actual), ``增加/减少`` (change) and
  ``增长/下降`` (growth) only where the sentence compares with last year, ``完成…预算的`` /
  ``执行率`` (rate), ``占…的`` (share, at most 100 %), or nothing but the subject and a verb
  such as 支出 (amount). A number after any other words (``决算数小于预算数 5.15 万元``,
  ``比年初预算增加``, ``分别为``, ``按时办理率``) is left out.
- the **subject** is the topic named in the number's own clause; where the clause names none
  and the kind is a predicate (``支出决算为…``), the last topic of the same part of the
  sentence (up to ；), or the 项 the list item names (``1、…行政运行（项）。…年初预算为…``).
  A subject is carried only past clauses that name nothing new: a clause with a figure and
  words the parser does not know (``卫生健康支出 1196.48 万元，占 94.59%``, ``因公出国(境)
  经费决算 120 万元``) is a subject of its own, and the clauses after it are left out. Two
  topics before one number, a qualifier the parser does not know (``某某财政拨款收入``),
  anything after ``主要原因`` (and the items of its list, ``一是…；二是…``), and names in a
  purpose (``主要用于…人员经费``) leave the figure out.
- a **change** is against last year only where the nearest comparison before it is with last
  year: ``与2021年度预算相比，增加…``, ``比上年预算数下降…`` and ``较年初预算减少…`` are
  against a budget and left out, as is a change whose words say both ways (``减增加``).

Sentences are built from text lines in visual order (:meth:`core.pdf.extract.Page.lines`);
every located table region, every scorecard and every ruled or column-aligned grid is left out,
so a table's cells are never read as sentences.

Kinds: ``amount`` (万元), ``change`` (万元 against last year, signed), ``growth`` (% against
last year, signed), ``budget`` (全年预算数), ``initial_budget`` (年初预算数), ``actual``
(决算数), ``rate`` (完成预算 %), ``share`` (占 %), ``count`` (个, 人次, 辆 …), ``score`` (分).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import repeat

from core import regex
from core.pdf.extract import Page, Word
from core.records import Box, Fact, NarrativeFigure
from core.tables.locate import LocatedTable

#: Known topics: (pattern found in a clause, topic name). Most specific first; a longer match
#: masks the shorter ones inside it.
DEFAULT_TOPICS: tuple[tuple[str, str], ...] = (
    # before 财政拨款支出总计, which it contains: its whole, not the 财政拨款 total
    (r"一般公共预算(?:财政)?(?:拨款)?支出(?:总计|合计)", "一般公共预算财政拨款支出"),
    (r"财政拨款收入支出总计|财政拨款收支总计|财政拨款收入总计", "财政拨款收入支出总计"),
    (r"财政拨款支出总计", "财政拨款收入支出总计"),
    (r"收入支出总计|收支总计", "收入支出总计"),
    (r"收入总计", "收入总计"),
    (r"支出总计", "支出总计"),
    (r"一般公共预算(?:财政)?拨款基本支出", "一般公共预算财政拨款基本支出"),
    (
        r"(?:一般公共预算)?(?:财政)?(?:拨款)?[“\"]?三公[”\"]?经费[”\"]?(?:财政拨款)?(?:支出)?",
        "三公经费",
    ),
    (r"一般公共预算财政拨款收入|一般公共预算拨款收入", "一般公共预算财政拨款收入"),
    (r"政府性基金预算财政拨款收入|政府性基金预算拨款收入", "政府性基金预算财政拨款收入"),
    (
        r"国有资本经营预算财政拨款收入|国有资本经营预算拨款收入",
        "国有资本经营预算财政拨款收入",
    ),
    (r"一般公共预算(?:财政)?(?:拨款)?支出", "一般公共预算财政拨款支出"),
    (r"因公出国[（(]境[)）](?:经?费用?|支出)", "因公出国（境）费"),
    (r"公务用车(?:购置)?及运行(?:维护)?费用?", "公务用车购置及运行维护费"),
    (r"公务用车购置费|公务用车购置支出", "公务用车购置费"),
    (r"公务用车运行(?:维护)?(?:费用?|支出)", "公务用车运行维护费"),
    (r"公务接待(?:费用?|支出)|国内公务接待", "公务接待费"),
    (r"机关运行经费", "机关运行经费"),
    (r"面向中小企业预留(?:的)?政府采购项目预算金额", "政府采购·中小企业"),
    (r"面向小微企业预留(?:的)?政府采购项目预算金额", "政府采购·小微企业"),
    (r"授予中小企业(?:的)?合同金额", "政府采购·授予中小企业"),
    (r"授予小微企业(?:的)?合同金额", "政府采购·授予小微企业"),
    (r"(?:政府采购)?货物采购|政府采购货物", "政府采购·货物"),
    (r"(?:政府采购)?工程采购|政府采购工程", "政府采购·工程"),
    (r"(?:政府采购)?服务采购|政府采购服务", "政府采购·服务"),
    (r"政府采购(?:支出)?(?:总额|金额)?", "政府采购"),
    (r"本年收入合计|本年收入|年度收入", "本年收入"),
    (r"本年支出合计|本年支出|年度支出", "本年支出"),
    (r"年初结转和结余|上年结转和结余|年初结转结余", "年初结转和结余"),
    (r"财政拨款收入", "财政拨款收入"),
    (r"基本支出", "基本支出"),
    (r"项目支出", "项目支出"),
    (r"人员经费", "人员经费"),
    (r"公用经费", "公用经费"),
    (r"人员支出", "人员支出"),
    (r"公用支出", "公用支出"),
    (r"事业收入", "事业收入"),
    (r"经营收入", "经营收入"),
    (r"其他收入", "其他收入"),
    (r"上级补助收入", "上级补助收入"),
    (r"附属单位上缴收入", "附属单位上缴收入"),
    (r"上缴上级支出", "上缴上级支出"),
    (r"经营支出", "经营支出"),
    (r"对附属单位补助支出", "对附属单位补助支出"),
)
_TOPIC_RES = tuple((regex.compile(p), t) for p, t in DEFAULT_TOPICS)
#: Any known topic at all: most sentences name none, and one search tells so where the
#: topics one by one take ~50 (it matches somewhere exactly when one of them does)
_ANY_TOPIC_RE = regex.compile("|".join(f"(?:{p})" for p, _ in DEFAULT_TOPICS))

#: Counts: (unit, pattern in the clause, topic). The first hit for the unit wins.
DEFAULT_COUNT_TOPICS: tuple[tuple[str, str, str], ...] = (
    ("个", r"组织.{0,6}出国团组", "组织出国团组"),
    ("个", r"参加其他单位.{0,4}出国团组", "参加其他单位出国团组"),
    ("个", r"出国[（(]?境?[)）]?团组|团组", "出国团组"),
    ("人次", r"外宾|外事", "外宾接待人次"),
    ("人次", r"接待", "公务接待人次"),
    ("人次", r"出国|出访|团组", "出国人次"),
    ("批次", r"外宾|外事", "外宾接待批次"),
    ("批次", r"接待", "公务接待批次"),
    ("辆", r"保有量", "公务用车保有量"),
    ("辆", r"购置|购买|更新", "公务用车购置数"),
    ("辆", r"共有车辆|车辆(?:共|总数|合计)?$", "车辆"),
    ("台（套）", r"设备", "大型设备"),
    ("台", r"设备", "大型设备"),
    ("套", r"设备", "大型设备"),
    ("分", r"平均得分|平均分", "绩效自评平均得分"),
)

#: 绩效 management sentences: the stage a "涉及…金额" figure belongs to.
DEFAULT_PERFORMANCE_STAGES: tuple[tuple[str, str], ...] = (
    (r"绩效自评", "绩效自评"),
    (r"绩效目标", "绩效目标"),
    (r"绩效跟踪|绩效监控|跟踪评价", "绩效跟踪"),
    (r"重点评价|绩效评价|财政评价|部门评价", "绩效评价"),
)

_NUMBER = r"(?<![\d.,])(-?\d[\d,]*(?:\.\d+)?)"
_FIGURE_RE = regex.compile(_NUMBER + r"(万元|亿元|元|%|％|个|人次|辆|批次|台[（(]套[)）]|台|套|分)")
_CLAUSE_BREAK = "，,；;：:、。"
_BLANK = "\u2591"  # stands for a blanked character (never a digit, topic or clause break)
_REASON_RE = regex.compile(r"主要原因|原因是|原因为|主要是由于|主要由于|主要是|原因：")
#: After a ； a reason goes on when the next part is the next item of its list.
_REASON_GOES_ON_RE = regex.compile(
    r"(?:[二三四五六七八九十]是|其[二三四]|[（(][二三四五六七八九十][)）])"
)
#: What money was used for: the names there are no subject of the sentence.
_PURPOSE_RE = regex.compile(r"(?:主要)?用于")
#: Words that give a figure its kind or compare it; a clause's lead ends at the first.
_KIND_WORD_RE = regex.compile(
    r"年初|全年|调整|预算|决算|完成|执行|占|比|较|与|同比|增加|减少|增长|下降|降低|上升|"
    r"持平|共计|合计|总计|累计|为|是|达|\d"
)
#: A clause lead that names nothing: connectors, years, 其中.
_LEAD_RE = regex.compile(
    r"^(?:其中|支出|收入|实际|当年|本年度?|全年|年度|\d{4}年度?|共|的|了|：|:)*$"
)
_LAST_YEAR_RE = regex.compile(
    r"(?:与|比|较|同比)(?:上年|上一年|去年|上年度|\d{4}年)|同比|上年同期|比上年|较上年"
)
_AGAINST_BUDGET_RE = regex.compile(
    r"(?:比|较|与|同)(?:上年度?|去年|\d{4}年度?)?(?:的)?(?:年初|全年|调整后?)?预算"
)
#: Topics that are also parts of a 财政拨款 whole ("财政拨款支出总计 X，其中基本支出 Y").
_PARTS = frozenset({"基本支出", "项目支出"})
_COMPARE_RE = regex.compile(
    r"小于|大于|低于|高于|超过|超出|少于|多于|相比|相差|差额|差值|节约|(?<!占)比|(?<!比)较"
)
_CHANGE_TAIL = regex.compile(r"(增加|减少|增长|下降|降低|上升|减|增)(?:了)?(?:约)?$")
_CONNECTOR_RE = regex.compile(
    r"^(?:支出|收入|金额|总额|合计|共计|总计|累计|实际|为|是|达|约|了|共|计|决算数?|的)*$"
)
_PAREN_RE = regex.compile(r"[（(][^（()）\d]{0,20}[)）]")
_ORDINAL_RE = regex.compile(
    r"^(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．](?!\d)|[一二三四五六七八九十]+、)"
)
_SECTION_RE = regex.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")
_HEADING_RE = regex.compile(
    r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分|[（(][一二三四五六七八九十]+[)）])[^。；]{0,40}$"
)
_LIST_RE = regex.compile(r"^(?:\d{1,2}[.．、](?!\d)|[（(][\d一二三四五六七八九十]{1,3}[)）])")
_ITEM_RE = regex.compile(r"([\u4e00-\u9fff、（）()“”]{2,40}?)[（(]项[)）]")
_ITEM_CODE_RE = regex.compile(
    r"^(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])?(\d{7})([\u4e00-\u9fff（）()“”、]{2,40}?)(?=\d|[（(]|支出|$|，)"
)
_CLASS_RE = regex.compile(r"([\u4e00-\u9fff]{2,20})[（(]类[)）]")
#: Words that may stand just before a topic without changing what it names.
_FREE_PREFIX_RE = regex.compile(
    r"(?:^|[\d年度）)“”、.．:：]|本单位|本部门|我(?:单位|部门)|单位|部门|全年|其中|以及|和|及|的|共|在|"
    r"本年度?|实际支出|实际)$"
)
#: Glyph width in em, for placing a character inside a word: CJK and full-width forms are
#: square, digits and ASCII half as wide.
_NARROW = regex.compile(r"[\x20-\x7e]")

#: A gap between two words wider than this many glyph heights splits table cells.
DEFAULT_CELL_GAP = 2.0


# -- sentences from the text lines ---------------------------------------------------------


# eq and repr left out: nothing compares or prints it, and each generated method is ~0.1 ms
# of a parse process's start (dataclasses compiles its source at import)
@dataclass(slots=True, eq=False, repr=False)
class _Sentence:
    """One sentence with, for every character, the page and word it was printed in."""

    text: str = ""
    chars: list[tuple[int, Word, int]] = field(default_factory=list)
    """(page, word, index of the character in the word's text) per character of ``text``."""
    boxes: dict[int, Box | None] = field(default_factory=dict, repr=False, compare=False)
    """Page → :meth:`sentence_box`, once asked for."""

    def add(self, page: int, word: Word, piece: str, start: int) -> None:
        self.text += piece
        # the tuples (page, word, start + i) for each character of piece, built in C
        self.chars.extend(zip(repeat(page), repeat(word), range(start, start + len(piece))))

    @property
    def page(self) -> int:
        return self.chars[0][0] if self.chars else 0

    def page_at(self, offset: int) -> int:
        """The page the character at ``offset`` stands on."""
        return self.chars[min(offset, len(self.chars) - 1)][0]

    def span_box(self, start: int, end: int) -> Box | None:
        """The box of characters start..end-1 (on the page of ``start``), each placed inside
        its word by glyph widths."""
        page = self.page_at(start)
        widths: dict[int, list[float]] = {}  # a word's glyph widths, measured once
        boxes = [_char_box(w, i, widths) for p, w, i in self.chars[start:end] if p == page]
        return _union(boxes)

    def sentence_box(self, page: int) -> Box | None:
        """The box around the sentence's lines on ``page`` (asked for by each of its figures:
        found once; a sentence is complete before it is read)."""
        if page not in self.boxes:
            words = {id(w): w for p, w, _ in self.chars if p == page}
            self.boxes[page] = _union([(w.x0, w.top, w.x1, w.bottom) for w in words.values()])
        return self.boxes[page]


def _char_box(word: Word, index: int, measured: dict[int, list[float]]) -> Box:
    """The box of character ``index`` of ``word``; ``measured`` keeps each word's glyph
    widths (by ``id``: the words outlive the call) for the next character of the word."""
    widths = measured.get(id(word))
    if widths is None:
        widths = measured[id(word)] = [0.5 if _NARROW.match(c) else 1.0 for c in word.text]
    total = sum(widths) or 1.0
    scale = (word.x1 - word.x0) / total
    x0 = word.x0 + sum(widths[:index]) * scale
    x1 = x0 + widths[index] * scale if index < len(widths) else word.x1
    return (round(x0, 2), round(word.top, 2), round(x1, 2), round(word.bottom, 2))


def _union(boxes: Sequence[Box]) -> Box | None:
    if not boxes:
        return None
    return (
        round(min(b[0] for b in boxes), 2),
        round(min(b[1] for b in boxes), 2),
        round(max(b[2] for b in boxes), 2),
        round(max(b[3] for b in boxes), 2),
    )


#: Vertical bands of a page left out of the narrative: (page, top, bottom).
Band = tuple[int, float, float]


def _line_centres(lines: list[list[Word]]) -> list[float]:
    """Each line's vertical centre: halfway between its highest top and lowest bottom."""
    return [(min(w.top for w in line) + max(w.bottom for w in line)) / 2 for line in lines]


def _grid_lines(page: Page, lines: list[list[Word]], centres: list[float]) -> set[int]:
    """Indexes of the lines that belong to a grid: crossed by three or more vertical rules, or
    split into three or more cells by wide gaps (or two, beside such a line); ``centres``:
    :func:`_line_centres` of the lines."""
    # each vertical rule's extent and its column (its rounded position, in 3 pt buckets):
    # a table page has a hundred rules and every line is tested against each
    verticals = [(r.start, r.end, round(r.pos) // 3) for r in page.rules if not r.horizontal]
    wide: list[int] = []
    grid: set[int] = set()
    for i, line in enumerate(lines):
        if verticals:
            yc = centres[i]
            if len({x for start, end, x in verticals if start <= yc <= end}) >= 3:
                grid.add(i)
        if len(line) < 2:  # one word: no gap (most lines of the text sections)
            wide.append(0)
            continue
        # Word.height inlined (bottom - top): this runs for every line of the text pages
        height = max(max(w.bottom - w.top for w in line), 1.0)
        gaps = sum(
            1
            for a, b in zip(line, line[1:], strict=False)
            if b.x0 - a.x1 > DEFAULT_CELL_GAP * height
        )
        wide.append(gaps)
        if gaps >= 2:
            grid.add(i)
    for i, gaps in enumerate(wide):
        if gaps == 1 and (i - 1 in grid or i + 1 in grid):
            grid.add(i)
    return grid


# str.isspace's white space (re's \s for str patterns is the same Py_UNICODE_ISSPACE), or 。
_SPACE_OR_STOP_RE = regex.compile(r"[\s。]")
_SPACES_RE = regex.compile(r"\s+")


def _sentences(pages: Iterable[Page], skip_pages: set[int], bands: list[Band]) -> list[_Sentence]:
    """The text pages as sentences (split at 。, and before headings and list items), white
    space removed, each knowing the page and word of every character. Lines of a table
    region, a scorecard or a grid end the sentence before them and are left out."""
    out: list[_Sentence] = []
    buf = _Sentence()

    def flush() -> None:
        nonlocal buf
        if buf.text:
            out.append(buf)
        buf = _Sentence()

    for page in pages:
        if page.number in skip_pages:
            flush()
            continue
        page_bands = [(t, b) for p, t, b in bands if p == page.number]
        lines = page.lines()
        centres = _line_centres(lines)
        grid = _grid_lines(page, lines, centres)
        for i, line in enumerate(lines):
            yc = centres[i]
            if i in grid or any(t - 2 <= yc <= b + 2 for t, b in page_bands):
                flush()
                continue
            # white space taken out of the line at once: the same as word by word
            text = _SPACES_RE.sub("", "".join(w.text for w in line))
            if not text or regex.fullmatch(r"[-—–第]*\d{1,3}[-—–页]*|\d{1,3}/\d{1,3}", text):
                continue
            heading = bool(_HEADING_RE.match(text)) and not regex.search(
                r"\d+(?:\.\d+)?(?:万元|%)", text
            )
            if heading or _SECTION_RE.match(text) or _LIST_RE.match(text):
                flush()
            for word in line:
                if not _SPACE_OR_STOP_RE.search(word.text):
                    # most words: no white space to skip, no 。 to end the sentence in
                    buf.add(page.number, word, word.text, 0)
                    continue
                for index, char in enumerate(word.text):
                    if char.isspace():
                        continue
                    buf.add(page.number, word, char, index)
                    if char == "。":
                        flush()
            if heading:
                flush()
    flush()
    return out


# -- regions left out -----------------------------------------------------------------------


def _front_pages(pages: list[Page], first_table: int) -> set[int]:
    return {p.number for p in pages if p.number < first_table and _is_front(p)}


def _is_front(page: Page) -> bool:
    text = page.text
    return "目录" in text.replace(" ", "") or len(text) < 120


def _table_bands(located: Iterable[LocatedTable]) -> list[Band]:
    return [(r.page, r.top, r.bottom) for t in located for r in t.regions]


# -- reading a sentence ---------------------------------------------------------------------


# eq and repr left out: nothing compares or prints it, and each generated method is ~0.1 ms
# of a parse process's start (dataclasses compiles its source at import)
@dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Topic:
    start: int
    end: int
    name: str
    code: str | None = None
    item: str | None = None


def _topics(text: str, item: _Topic | None) -> list[_Topic]:
    """Every topic the sentence names, with its span; longer names mask those inside them."""
    taken = [False] * len(text)
    found: list[_Topic] = []

    def claim(start: int, end: int) -> bool:
        if any(taken[start:end]):
            return False
        for i in range(start, end):
            taken[i] = True
        return True

    if item is not None and item.end <= len(text) and claim(item.start, item.end):
        found.append(item)
    for m in _CLASS_RE.finditer(text):
        if claim(m.start(), m.end()):
            found.append(_Topic(m.start(), m.end(), f"{m.group(1)}（类）"))
    for topic_re, name in _TOPIC_RES if _ANY_TOPIC_RE.search(text) else ():
        for m in topic_re.finditer(text):
            if m.end() > m.start() and claim(m.start(), m.end()):
                found.append(_Topic(m.start(), m.end(), name))
    return sorted(found, key=lambda t: t.start)


def _clause_start(text: str, pos: int, breaks: str = _CLAUSE_BREAK) -> int:
    i = pos
    while i > 0 and text[i - 1] not in breaks:
        i -= 1
    return i


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _item_code(name: str, parents: Sequence[str], facts: list[Fact]) -> str | None:
    """The 7-digit code of a 项 named in the text, from the tables' coded rows; where several
    项 share the name, the one under the 类 and 款 the text names; None while still unsure."""
    cands = {f.code for f in facts if f.code and len(f.code) == 7 and f.item == name}
    for parent in parents:
        if len(cands) <= 1:
            break
        codes = {f.code for f in facts if f.code and len(f.code) in (3, 5) and f.item == parent}
        cands = {c for c in cands if c[:3] in codes or c[:5] in codes} or cands
    return next(iter(cands)) if len(cands) == 1 else None


def _item_of(text: str, facts: list[Fact]) -> _Topic | None:
    """The 项 a list item names: ``2010350事业运行`` at its start or ``…行政运行（项）``."""
    lead = _ORDINAL_RE.match(text)
    offset = lead.end() if lead else 0
    m_code = _ITEM_CODE_RE.match(text[offset:])
    if m_code:
        name = m_code.group(2).rstrip("，,")
        return _Topic(offset, offset + m_code.end(2), "功能分类项", m_code.group(1), name)
    m_item = _ITEM_RE.search(text)
    if m_item:
        name = regex.sub(r"^.*[（(](?:款|类)[)）]", "", m_item.group(1))
        # "一般公共服务支出（类）财政事务（款）行政运行（项）": the 款 and 类 names
        parents = [
            regex.sub(r"^.*[（(](?:类)[)）]|^[^\u4e00-\u9fff]+", "", m.group(1))
            for level in ("款", "类")
            for m in regex.finditer(
                r"([\u4e00-\u9fff、（）()]{2,40}?)[（(]" + level + r"[)）]", text
            )
        ]
        code = _item_code(name, parents, facts)
        return _Topic(m_item.start(), m_item.end(), "功能分类项", code, name)
    return None


def _kind(pre: str, unit: str) -> str | None:
    """The kind the words before a number give it, or None when they give none plainly."""
    tail = regex.sub(r"(?:为|是|达|约|了|共计|合计|计|：|:)+$", "", pre)
    if unit == "%":
        if regex.search(r"完成(?:年初|全年|调整)?预算(?:数)?的?$|执行率$|预算执行率$", tail):
            return "rate"
        if regex.search(r"占[^，。；]{0,20}$", tail):
            return "share"
        if _CHANGE_TAIL.search(tail) and regex.search(r"增长|下降|降低|上升|增加|减少", tail[-4:]):
            return "growth"  # "增加 50.8%", "减少了 1.44%": by so much against the base
        return None
    if unit == "分":
        return "score"
    if unit not in ("万元", "亿元", "元"):
        return "count"
    if _CHANGE_TAIL.search(tail):
        return "change"
    if _COMPARE_RE.search(pre):
        return None  # a difference between two figures ("决算数小于年初预算数 5.15 万元")
    if regex.search(r"年初预算(?:数)?$", tail):
        return "initial_budget"
    if regex.search(r"(?:全年|调整后?)预算(?:数)?$|(?<![年初])预算(?:数)?$", tail):
        return "budget"
    if regex.search(r"决算(?:数)?$", tail):
        return "actual"
    return "amount"


def _count_topic(unit: str, context: str) -> str | None:
    for u, pattern, topic in DEFAULT_COUNT_TOPICS:
        if u == unit and regex.search(pattern, context):
            return topic
    return None


def _stage(text: str) -> str | None:
    """The 绩效 stage (自评, 目标 …) the text names last."""
    best: tuple[int, str] | None = None
    for pattern, name in DEFAULT_PERFORMANCE_STAGES:
        for m in regex.finditer(pattern, text):
            if best is None or m.start() > best[0]:
                best = (m.start(), name)
    return best[1] if best else None


# eq and repr left out: nothing compares or prints it, and each generated method is ~0.1 ms
# of a parse process's start (dataclasses compiles its source at import)
@dataclass(slots=True, eq=False, repr=False)
class _State:
    """What runs on from one sentence to the next."""

    item: _Topic | None = None
    """The 项 the current list item names."""


def parse_narrative(
    pages: list[Page], located: list[LocatedTable], facts: Iterable[Fact] = ()
) -> list[NarrativeFigure]:
    """Every figure the text sections state plainly, in reading order, with its boxes."""
    from core.accounts.performance import find_scorecard_bands

    facts = list(facts)
    table_pages = {p for t in located for p in t.pages}
    first_table = min(table_pages, default=0)
    skip = _front_pages(pages, first_table)
    bands = _table_bands(located) + find_scorecard_bands(pages)
    figures: list[NarrativeFigure] = []
    state = _State()
    for sent in _sentences(pages, skip, bands):
        text = sent.text
        named = _item_of(text, facts)
        if named is not None:
            state.item = named  # a 项 named here is in focus until the next one or heading
        elif _ORDINAL_RE.match(text) or _SECTION_RE.match(text):
            state.item = None
        figures.extend(_read_sentence(sent, state, named))
    return figures


def _without_reasons(text: str) -> str:
    """The sentence with every reason ("主要原因是…", "主要是…") blanked out up to the next
    ；, or past it while the reason goes on listing (``一是…；二是…``): figures there explain
    a change, they are no figure of the subject. Blanking keeps every character at its
    place, so offsets still point at the printed glyphs."""
    out = text
    for m in _REASON_RE.finditer(text):
        end = m.start()
        while end < len(text):
            if text[end] in "；;" and not _REASON_GOES_ON_RE.match(text, end + 1):
                break
            end += 1
        out = out[: m.start()] + _BLANK * (end - m.start()) + out[end:]
    return out


def _purposes(usable: str) -> list[tuple[int, int]]:
    """The spans that say what money was used for (``主要用于…``, to the end of the clause):
    names there are no subject. Their figures stay visible: a list of 类 with amounts
    (``主要用于以下方面：社会保障和就业支出 67.64 万元``) is subjects the parser does not know."""
    spans = []
    for m in _PURPOSE_RE.finditer(usable):
        end = m.end()
        while end < len(usable) and usable[end] not in "，,；;。":
            end += 1
        figure = _FIGURE_RE.search(usable, m.end(), end)
        if figure is not None:
            # "用于以下方面：一般公共服务支出（类）264.87万元": after the colon, a subject
            colon = regex.search(r"[：:]", usable[m.end() : figure.start()])
            end = m.end() + colon.start() if colon else figure.start()
        spans.append((m.start(), end))
    return spans


def _lead(pre: str) -> str:
    """The words of a clause before its first kind or comparison word: where they are more
    than connectors (``因公出国(境)经费决算``), the clause names a subject of its own."""
    m = _KIND_WORD_RE.search(pre)
    return pre[: m.start()] if m else pre


def _unknown_subject(usable: str, clause_at: int, start: int, topics: list[_Topic]) -> bool:
    """Whether the clause of the figure at ``start`` names something the parser does not
    know: no topic in it, and more than connectors before its kind word."""
    if any(clause_at <= t.start < start for t in topics):
        return False
    return not _LEAD_RE.match(_lead(usable[clause_at:start]))


def _against_last_year(usable: str, start: int, last_year: list[int]) -> bool:
    """Whether the comparison governing the figure at ``start`` is with last year: the
    nearest one before it in its part of the sentence wins, and one whose object is a 预算
    (``与2021年度预算相比``, ``比上年预算数``) is no comparison with last year."""
    budget = [m.start() for m in _AGAINST_BUDGET_RE.finditer(usable) if m.start() < start]
    year = [p for p in last_year if p < start]
    if not year:
        return False
    return not (budget and max(budget) >= max(year))


def _carried(
    usable: str, topics: list[_Topic], clause_at: int, qualified: set[int]
) -> _Topic | None:
    """The subject a clause without one takes from before it: the last topic of the same
    part of the sentence (up to ；), unless a clause between them names something the
    parser does not know, or that topic stands behind an unknown qualifier."""
    seg_at = _clause_start(usable, clause_at, "；;。")
    before = [t for t in topics if seg_at <= t.start and t.end <= clause_at]
    if not before:
        return None
    last = before[-1]
    if last.start in qualified:
        return None
    for m in _FIGURE_RE.finditer(usable, last.end, clause_at):
        at = _clause_start(usable, m.start())
        if at > last.end and _unknown_subject(usable, at, m.start(), topics):
            return None
    return last


def _read_sentence(
    sent: _Sentence, state: _State, named: _Topic | None = None
) -> list[NarrativeFigure]:
    """The figures of one sentence that its grammar ties to one subject and one kind.
    ``named``: the 项 this sentence names, with its span here."""
    text = sent.text
    usable = _without_reasons(text)
    item = state.item
    purposes = _purposes(usable)
    topics = [t for t in _topics(usable, named) if not any(a <= t.start < b for a, b in purposes)]
    last_year = [m.start() for m in _LAST_YEAR_RE.finditer(usable)]
    out: list[NarrativeFigure] = []
    subjects_with_amount: list[_Topic] = []
    changed: set[tuple[str, str | None]] = set()
    qualified = {
        t.start
        for t in topics
        if not _FREE_PREFIX_RE.search(usable[_clause_start(usable, t.start) : t.start])
    }

    def emit(topic: _Topic, kind: str, value: Decimal, unit: str, start: int, end: int) -> None:
        page = sent.page_at(start)
        out.append(
            NarrativeFigure(
                topic=topic.name,
                kind=kind,
                value=value,
                page=page,
                sentence=text,
                code=topic.code,
                item=topic.item,
                unit=unit,
                box=sent.span_box(start, end),
                sentence_box=sent.sentence_box(page),
            )
        )

    for m in _FIGURE_RE.finditer(usable):
        value = _decimal(m.group(1))
        if value is None:
            continue
        unit = m.group(2).replace("％", "%").replace("(", "（").replace(")", "）")
        start, end = m.start(1), m.end(1)
        clause_at = _clause_start(usable, start)
        pre = usable[clause_at:start]
        after = usable[m.end() : m.end() + 6]
        if regex.search(r"单价|单位价值|价值$|标准$", pre[-6:]) or after.startswith(
            ("（含）以上", "以上", "以下")
        ):
            continue  # a threshold, not a figure
        if regex.search(r"分别|平均每|人均|每人|每", pre):
            continue  # several figures for several things, or a rate per head
        if unit in ("万元", "亿元", "元"):
            if unit == "亿元":
                value *= 10000
            elif unit == "元":
                value = (value / 10000).quantize(Decimal("0.01"))
            unit = "万元"
        kind = _kind(pre, unit)
        if kind is None:
            continue
        if kind in ("count", "score"):
            context_at = _clause_start(usable, start, "，,；;：:。")
            name = _count_topic(unit, usable[clause_at:start]) or _count_topic(
                unit, usable[context_at:start]
            )
            if name is None:
                continue
            emit(_Topic(start, end, name), kind, value, unit, start, end)
            continue
        if kind in ("change", "growth"):
            if not _against_last_year(usable, start, last_year):
                continue  # a change against a budget, or against nothing said
            verb = _CHANGE_TAIL.search(regex.sub(r"(?:为|是|达|约|了|：|:)+$", "", pre))
            down = verb is not None and verb.group(1) in ("减少", "下降", "降低", "减")
            if regex.search(r"增|上升" if down else r"减|下降|降低", pre[-4:]):
                continue  # "减增加", "增减": the printed words say both ways
            if down:
                value = -value
        if kind == "share" and not (Decimal(0) <= value <= Decimal(100)):
            continue  # a share beyond the whole is a misreading
        search_end = clause_at + pre.index("占") if kind == "share" else start
        own = [t for t in topics if clause_at <= t.start and t.end <= search_end]
        names = {(t.name, t.code) for t in own}
        if len(names) > 1:
            continue  # two subjects before one number
        subject: _Topic | None = own[-1] if own else None
        if subject is not None and not _FREE_PREFIX_RE.search(usable[clause_at : subject.start]):
            qualified.add(subject.start)
            continue  # a qualifier the parser does not know stands before the topic
        if subject is not None and kind in ("change", "growth"):
            own_words = regex.split(r"比|较|与|同比", usable[subject.end : start])[0]
            if "预算" in own_words:
                continue  # "三公经费预算较2021年度增加": the change of a budget
        if subject is not None and kind == "amount":
            rest = regex.sub(r"[“”\"]", "", _PAREN_RE.sub("", usable[subject.end : start]))
            if not _CONNECTOR_RE.match(rest):
                continue  # more words than a verb between the subject and its number
            if subject.name == "功能分类项":
                kind = "actual"
        targets: list[_Topic] = []
        if subject is not None:
            targets = [subject]
        elif kind == "amount":
            stage = _stage(usable[:start])
            phrase = regex.sub(r"(?:为|是|共计|合计|计|达)+$", "", pre)
            if stage and phrase.startswith("涉及") and len(phrase) >= 4:
                targets = [_Topic(start, end, f"{stage}·{phrase}")]
        elif kind in ("change", "growth") and regex.search(r"各(?:增加|减少|增长|下降)", pre):
            targets = list({t.name: t for t in subjects_with_amount}.values())
        elif not _unknown_subject(usable, clause_at, start, topics):
            carried = _carried(usable, topics, clause_at, qualified)
            if carried is not None:
                targets = [carried]
            elif item is not None and not any(t.end <= clause_at for t in topics):
                targets = [item]
        if any(t.name in _PARTS for t in targets) and any(
            "财政拨款" in t.name for t in topics if t.end <= clause_at
        ):
            continue  # 基本支出 of a 财政拨款 whole named before: not the unit's 基本支出
        if item is not None and any(t.name != "功能分类项" for t in targets):
            continue  # inside a 项's paragraph only the 项's own figures are plain
        if not targets:
            continue
        for target in targets:
            if target.name == "收入总计" or target.name == "支出总计":
                # "财政拨款收入总计 X，支出总计 Y": the second total is the 财政拨款 one
                if any(t.name == "财政拨款收入支出总计" for t in topics if t.end <= clause_at):
                    target = _Topic(target.start, target.end, "财政拨款收入支出总计")
            if target.name == "功能分类项" and item is not None:
                target = _Topic(target.start, target.end, target.name, item.code, item.item)
            emit(target, kind, value, unit, start, end)
            if kind in ("amount", "actual"):
                subjects_with_amount.append(target)
            if kind in ("change", "growth"):
                changed.add((target.name, target.code))
    out.extend(_level(sent, usable, topics, item, changed))
    return out


def _level(
    sent: _Sentence,
    usable: str,
    topics: list[_Topic],
    item: _Topic | None,
    changed: set[tuple[str, str | None]],
) -> list[NarrativeFigure]:
    """ "与上年持平" with no number: a change of 0 for the subject, only against last year."""
    out: list[NarrativeFigure] = []
    for m in regex.finditer(r"持平", usable):
        seg_at = _clause_start(usable, m.start(), "；;。")
        segment = usable[seg_at : m.end()]
        clause = usable[_clause_start(usable, m.start()) : m.end()]
        if _FIGURE_RE.search(clause) or not _LAST_YEAR_RE.search(segment):
            continue
        if _AGAINST_BUDGET_RE.search(clause) or regex.search(r"预算数?持平|决算数与", clause):
            continue
        own = [t for t in topics if seg_at <= t.start and t.end <= m.start()]
        if not own and _FIGURE_RE.search(usable[seg_at : m.start()]):
            continue  # the segment's own figure (a count) is what is level, not a topic
        before = [t for t in topics if t.end <= m.start()]
        target: _Topic | None
        if before:
            target = before[-1]
        elif item is not None:
            target = item
        else:
            target = None
        if target is None or (target.name, target.code) in changed:
            continue
        if target.name == "功能分类项" and item is not None:
            target = _Topic(0, 0, target.name, item.code, item.item)
        changed.add((target.name, target.code))
        page = sent.page_at(m.start())
        out.append(
            NarrativeFigure(
                topic=target.name,
                kind="change",
                value=Decimal(0),
                page=page,
                sentence=sent.text,
                code=target.code,
                item=target.item,
                unit="万元",
                box=sent.span_box(m.start(), m.end()),
                sentence_box=sent.sentence_box(page),
            )
        )
    return out
