"""Positioned words of one table region in, header columns and body rows out.

Geometry only, no accounting: which words head which column, which words make one row.
It works the same with ruling lines (cells from the rules) and without (columns from the
header's word stacks, rows from the text lines and their gaps), so that tables from WPS,
Word, LibreOffice or a browser all come out as the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core import regex
from core.pdf.extract import Page, Rule, Word, group_lines, join_line
from core.tables.locate import Region, despace, match_title, squash

_AMOUNT_RE = regex.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DASH_ZERO = {"-", "—", "－", "--", "——", "–", "―"}
_CODE_RE = regex.compile(r"^\d{3}(?:\d{2}){0,2}$")
_FURNITURE_RE = regex.compile(
    r"^(?:编制单位|填报单位|部门[（(]单位[)）]名称)[：:]|单位[：:]\s*(?:万元|元|亿元|千元)|公开?\d{1,2}表"
    # a table's number alone on its line (表1, 附表3, 表一, 表1-2), as other sets print it
    r"|^附?表[\d一二三四五六七八九十]{1,3}(?:[-－—]\d{1,2})?$"
)
_NOTE_RE = regex.compile(r"^(?:注[：:\d１-９]|说明[：:]|备注[：:]|注$|（注|填报说明)")
#: Header words that name label columns, not amount columns.
LABEL_HEADERS = regex.compile(
    r"^(?:项目|科目名称|科目编码|功能分类.*|经济分类.*|支出功能分类.*|类|款|项|类款项|行次|栏次|编码|代码|"
    r"项目[（(].*|科目|单位名称|序号|项目名称)$"
)


def is_amount(text: str) -> bool:
    """A word that is one printed amount (a dash counts: it prints a zero)."""
    return bool(_AMOUNT_RE.match(text)) or text in _DASH_ZERO


def is_code(text: str) -> bool:
    """A word that is (a part of) a 功能分类 or 经济分类 code."""
    return bool(_CODE_RE.match(text))


_GLUED_CODE_RE = regex.compile(r"^\d{3}(?:\d{2}){0,2}[\u4e00-\u9fff（(]")


def _opens_with_code(text: str) -> bool:
    """A code alone, or a code glued to its name (2010601行政运行): a row starts here."""
    return is_code(text) or bool(_GLUED_CODE_RE.match(text))


#: Column headers of the standard tables. A header read as a longer text that ends in one of
#: these (支出 + 合计 stacked in an unruled header) is that column, the rest its parent.
KNOWN_COLUMNS: tuple[str, ...] = (
    "决算数",
    "金额",
    "合计",
    "小计",
    "预算数",
    "全年预算数",
    "年初预算数",
    "本年收入合计",
    "本年支出合计",
    "财政拨款收入",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
    "基本支出",
    "项目支出",
    "上缴上级支出",
    "经营支出",
    "对附属单位补助支出",
    "一般公共预算财政拨款",
    "政府性基金预算财政拨款",
    "国有资本经营预算财政拨款",
    "年初结转和结余",
    "本年收入",
    "本年支出",
    "年末结转和结余",
    "年初财政拨款结转和结余",
    "年末财政拨款结转和结余",
    "使用非财政拨款结余",
)


UNIT_SUFFIX_RE = regex.compile(r"[（(](万元|元|亿元|千元)[)）]$")


def header_unit(words: list[Word]) -> str | None:
    """The unit a header states in brackets ("决算数（元）"), if it states one."""
    for w in words:
        m = regex.search(r"[（(](万元|元|亿元|千元)[)）]", w.text)
        if m:
            return m.group(1)
    return None


def name_column(text: str, parent: str = "") -> tuple[str, str]:
    """(name, parent) for a column whose header reads ``text``: a known header as is; else
    the longest known header it ends with, the words before it going to the parent. A unit
    in brackets after the name ("决算数（万元）") is not part of it: the table's unit line or
    :func:`header_unit` says what it is."""
    text = UNIT_SUFFIX_RE.sub("", text)
    if not text or text in KNOWN_COLUMNS or LABEL_HEADERS.match(text):
        return text, parent
    tails = [k for k in KNOWN_COLUMNS if text.endswith(k) and len(text) > len(k)]
    if not tails:
        return text, parent
    tail = max(tails, key=len)
    return tail, parent or text[: -len(tail)]


# eq=False: nothing compares or hashes one by value, and __eq__/__hash__ are compiled at
# import, ~0.1 ms each of a parse process's start
@dataclass(frozen=True, slots=True, eq=False)
class Column:
    """One column of a table: its x-extent and its header text (white space removed)."""

    x0: float
    x1: float
    name: str
    parent: str = ""
    """A spanning header above it (本年支出 over 小计/基本支出/项目支出), if any."""

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def is_label(self) -> bool:
        """Headed as a column of names or codes (科目名称, 编码, 项目 …), not of amounts."""
        return bool(LABEL_COLUMN_RE.search(self.name))


# eq=False: nothing compares or hashes one by value, and __eq__/__hash__ are compiled at
# import, ~0.1 ms each of a parse process's start
@dataclass(slots=True, eq=False)
class Row:
    """One table row: label words (left of the amounts) and the amount words by column."""

    page: int
    top: float
    labels: list[Word] = field(default_factory=list)
    amounts: dict[int, list[Word]] = field(default_factory=dict)
    """Column index → the amount words that fell in it."""

    @property
    def label_text(self) -> str:
        """Label words in reading order (line by line), white space removed."""
        return despace("".join(join_line(line) for line in group_lines(self.labels)))


# eq=False: nothing compares or hashes one by value, and __eq__/__hash__ are compiled at
# import, ~0.1 ms each of a parse process's start
@dataclass(frozen=True, slots=True, eq=False)
class Layout:
    """The columns of a table as read from its header."""

    columns: tuple[Column, ...]
    ruled: bool

    def column_at(self, x: float) -> int | None:
        """Index of the column an x position falls in, by extent, else the nearest."""
        if not self.columns:
            return None
        for i, col in enumerate(self.columns):
            if col.x0 - 0.5 <= x <= col.x1 + 0.5:
                return i
        return min(range(len(self.columns)), key=lambda i: abs(self.columns[i].xc - x))


# eq=False: nothing compares or hashes one by value, and __eq__/__hash__ are compiled at
# import, ~0.1 ms each of a parse process's start
@dataclass(slots=True, eq=False)
class RegionWords:
    """The words of one table region split into furniture, header and body."""

    page: Page
    region: Region
    furniture: list[list[Word]]
    header: list[Word]
    body: list[list[Word]]
    notes: list[str]


#: Row names of the two-sided tables (公开01, 公开04) that 公开08 also uses as column heads.
TWO_SIDED_ROWS = frozenset(
    {
        "年初结转和结余",
        "年末结转和结余",
        "年初财政拨款结转和结余",
        "年末财政拨款结转和结余",
        "总计",
        "本年收入合计",
        "本年支出合计",
        "结余分配",
        "使用非财政拨款结余",
        "使用非财政拨款结余（含专用结余）",
    }
)


def split_region(
    page: Page, region: Region, title_first: bool = True, two_sided: bool = False
) -> RegionWords:
    """Cut a region into title/unit lines, header words, body lines and trailing notes.

    ``two_sided``: a line of nothing but 公开01/04 row names (年初结转和结余 …) opens the body,
    though 公开08 would read the same words as column heads.
    """
    lines = [
        ln for ln in group_lines([w for w in page.words if region.top - 1 <= w.top < region.bottom])
    ]
    furniture: list[list[Word]] = []
    header: list[Word] = []
    body: list[list[Word]] = []
    notes: list[str] = []
    in_body = False
    in_notes = False
    for n, line in enumerate(lines):
        text = squash(join_line(line))
        if _is_page_number(line, page):
            continue
        if in_notes or (in_body or n > 0) and _NOTE_RE.match(text):
            in_notes = True
            notes.append(text)
            continue
        if not in_body and (
            (n == 0 and not region.continuation and title_first)
            or match_title(text) is not None
            or _FURNITURE_RE.search(text)
            or _is_furniture_line(line, page)
        ):
            furniture.append(line)
            continue
        if not in_body and (_starts_body(line) or (two_sided and _only_row_names(line))):
            in_body = True
        if in_body:
            body.append(line)
        else:
            header.extend(line)
    if body and header:
        header, body = _first_row_back(page, header, body, two_sided)
    return RegionWords(page, region, furniture, header, body, notes)


#: First lines of 公开01/04 row names wrapped in a narrow cell (本年收入 / 合计) that 公开08
#: prints as column heads: in a two-sided table they are a row's, not the header's.
_WRAPPED_TWO_SIDED_ROWS = frozenset({"本年收入", "本年支出"})


def _first_row_back(
    page: Page, header: list[Word], body: list[list[Word]], two_sided: bool = False
) -> tuple[list[Word], list[list[Word]]]:
    """Give the first row back the name lines that stand above its code and amounts.

    Ruled: every header word below the last rule above the first body line. Unruled: the
    trailing header lines close above the body that lie wholly left of the amounts and are
    no column header (a wrapped name centred on its row starts above it).
    """
    ys = sorted(r.pos for r in page.rules if r.horizontal and r.pos <= body[0][0].top + 1)
    if ys:
        cut = ys[-1]
        moved = [w for w in header if w.top >= cut - 0.5]
        if not moved:
            return header, body
        kept = [w for w in header if w.top < cut - 0.5]
        return kept, group_lines(moved + [w for line in body for w in line])
    if not any(
        is_amount(w.text) and ("." in w.text or w.text in _DASH_ZERO or w.text == "0")
        for line in body
        for w in line
    ):
        return header, body
    lines = group_lines(header)
    moved_lines: list[list[Word]] = []
    next_top = body[0][0].top
    for k in range(len(lines) - 1, -1, -1):
        line = lines[k]
        text = squash(join_line(line))
        height = max(w.height for w in line)
        frags = [squash(w.text) for w in merge_letter_spaced(line) if not w.text.isdigit()]
        headerish = any(
            (f in KNOWN_COLUMNS and not (two_sided and f in _WRAPPED_TWO_SIDED_ROWS))
            or f in SIDE_HEADERS
            or LABEL_COLUMN_RE.search(f)
            or LABEL_HEADERS.match(f)
            for f in frags
        ) and frags not in (["合计"], ["总计"])  # alone on its line: the total row's label
        # a heading and its kind in one cell (公务接待费决算数): no row name ends so
        headerish = headerish or any(f.endswith(("预算数", "决算数")) for f in frags)
        above = squash("".join(join_line(ln) for ln in lines[:k]))
        # the end of a wrapped header ("项目（按支出功能" / "分类）"): it closes a bracket
        if above.count("（") + above.count("(") > above.count("）") + above.count(")"):
            headerish = True
        # the rest of a wrapped column header stands under its first part, and the two
        # read as (part of) a known header ("政府性基金预算" / "财政拨款"); in 公开01/04 the
        # start of a row name that 公开08 prints as a column head ("使用非财" / "政拨款结")
        # is the row's
        prev = [w for ln in lines[:k] for w in ln]
        for w in line:
            for p in prev:
                overlap = min(p.x1, w.x1) - max(p.x0, w.x0)
                joined = squash(p.text) + squash(w.text)
                if (
                    overlap > 0.3 * min(p.x1 - p.x0, w.x1 - w.x0)
                    and any(joined in known for known in KNOWN_COLUMNS)
                    and not (two_sided and any(r.startswith(joined) for r in TWO_SIDED_ROWS))
                ):
                    headerish = True
        # the next line of a wrapped header cell: centred under it (not flush left with it,
        # as a wrapped name is), closer than a row gap
        if any(
            abs(p.xc - w.xc) < 3
            and abs(p.x0 - w.x0) > 2
            and -1 < w.top - p.bottom < 0.5 * max(w.height, 1.0)
            for w in line
            for p in prev
        ):
            headerish = True
        if (
            not headerish
            and not text.isdigit()
            and not regex.fullmatch(r"[\d\s]+", join_line(line))
            and next_top - max(w.bottom for w in line) <= 1.5 * height
        ):
            moved_lines.append(line)
            next_top = min(w.top for w in line)
        else:
            break
    if not moved_lines:
        return header, body
    moved = [w for line in moved_lines for w in line]
    kept = [w for w in header if w not in moved]
    return kept, group_lines(moved + [w for line in body for w in line])


def _is_page_number(line: list[Word], page: Page) -> bool:
    """A page number in the top or bottom margin ("- 8 -", "第 8 页", "8/24")."""
    text = squash(join_line(line))
    near_edge = line[0].top < page.height * 0.08 or line[0].bottom > page.height * 0.92
    if not near_edge:
        return False
    if regex.fullmatch(r"[-—–]\d{1,3}[-—–]|第\d{1,3}页|\d{1,3}/\d{1,3}", text):
        return True
    # a bare number is a page number only when centred (an amount in a table's last row
    # near the bottom edge is not)
    centre = sum(w.xc for w in line) / len(line)
    return (
        bool(regex.fullmatch(r"[1-9]\d{0,2}", text))
        and abs(centre - page.width / 2) < 0.1 * page.width
    )


def _is_furniture_line(line: list[Word], page: Page) -> bool:
    text = squash(join_line(line))
    return bool(regex.search(r"\d{4}年度?(?:部门|单位)决算表?$", text))


def _only_row_names(line: list[Word]) -> bool:
    frags = [squash(w.text) for w in merge_letter_spaced(line) if not w.text.isdigit()]
    return bool(frags) and all(f in TWO_SIDED_ROWS for f in frags)


def _starts_body(line: list[Word]) -> bool:
    """The first body line: it starts with a code or an ordinal row label (一、), or carries
    a decimal amount."""
    if _opens_with_code(line[0].text) and len(line[0].text) >= 3:
        return True
    if regex.match(r"^[一二三四五六七八九十]+、", squash("".join(w.text for w in line[:4]))):
        return True
    if len(line) >= 2 and (line[-1].text in _DASH_ZERO or line[-1].text == "0"):
        return True  # a row whose amounts are all printed as dashes (or 0)
    if all(w.text == "0" or w.text in _DASH_ZERO for w in line):
        return True  # the same on a line of their own (a tall cell), or zeros printed as 0
    return any(_AMOUNT_RE.match(w.text) and "." in w.text for w in line)


def merge_letter_spaced(words: list[Word], rules: tuple[Rule, ...] | list[Rule] = ()) -> list[Word]:
    """Join runs of single CJK characters set apart by letter spacing (分散对齐) into one
    word; never across a vertical rule (the next cell's text)."""
    walls = [r for r in rules if not r.horizontal]
    out: list[Word] = []
    for line in group_lines(words):
        for w in line:
            prev = out[-1] if out else None
            if (
                prev is not None
                and abs(prev.yc - w.yc) < 2
                and not any(
                    prev.x1 - 1 <= r.pos <= w.x0 + 1 and r.start - 1 <= w.yc <= r.end + 1
                    for r in walls
                )
                and w.x0 - prev.x1 < 1.6 * max(w.height, prev.height)
                and w.x0 >= prev.x1 - 0.5
                and (
                    len(w.text) == 1
                    or len(prev.text) == 1
                    or prev.text[-1:] in "（("
                    or w.text[:1] in "）)"
                )
                and not is_amount(w.text)
                and not is_amount(prev.text)
                and not is_code(w.text)
                and not is_code(prev.text)
            ):
                out[-1] = Word(
                    prev.text + w.text,
                    prev.x0,
                    w.x1,
                    min(prev.top, w.top),
                    max(prev.bottom, w.bottom),
                )
            else:
                out.append(w)
    return out


def find_layout(rw: RegionWords) -> Layout:
    """Columns from the vertical rules crossing the body, else from the header's word stacks."""
    header = merge_letter_spaced(rw.header, rw.page.rules)
    body_words = [w for line in rw.body for w in line]
    top = min((w.top for w in header), default=rw.region.top)
    bottom = max(
        (w.bottom for w in body_words), default=max((w.bottom for w in header), default=top)
    )
    xs = _vertical_rules(rw.page.rules, top, bottom, rw.page.width)
    if len(xs) >= 3:
        verticals = [r for r in rw.page.rules if not r.horizontal]
        columns = _columns_between(xs, header, verticals)
        return Layout(tuple(columns), ruled=True)
    return Layout(tuple(_columns_from_stacks(header, body_words)), ruled=False)


def _vertical_rules(
    rules: tuple[Rule, ...], top: float, bottom: float, width: float
) -> list[float]:
    """x of each vertical rule that runs through most of the table's height."""
    span = max(bottom - top, 1.0)
    by_x: dict[float, float] = {}
    for r in rules:
        if r.horizontal:
            continue
        overlap = min(r.end, bottom) - max(r.start, top)
        if overlap <= 0:
            continue
        key = round(r.pos / 2) * 2
        by_x[key] = by_x.get(key, 0.0) + overlap
    xs = sorted(x for x, covered in by_x.items() if covered >= 0.4 * span)
    merged: list[float] = []
    for x in xs:
        if merged and x - merged[-1] < 4:
            continue
        merged.append(x)
    return merged


def _columns_between(xs: list[float], header: list[Word], verticals: list[Rule]) -> list[Column]:
    """One column per gap between rules, named by the header words inside it.

    A header word in a merged cell (the rule beside it stops short of its line) spans more
    than one column: it names the parent of the columns under it, not a column.
    """

    seen: dict[tuple[float, float], bool] = {}  # asked again and again by _spans

    def crossed(x: float, y: float) -> bool:
        got = seen.get((x, y))
        if got is None:
            got = seen[x, y] = any(
                abs(r.pos - x) < 2.5 and r.start - 1 <= y <= r.end + 1 for r in verticals
            )
        return got

    outer = (xs[0], xs[-1])
    leaves: list[Word] = []
    parents: list[Word] = []
    for w in header:
        inner = [x for x in xs if w.x0 + 1 < x < w.x1 - 1 and x not in outer]
        left = max((x for x in xs if x <= w.xc), default=xs[0])
        right = min((x for x in xs if x > w.xc), default=xs[-1])
        open_side = any(x not in outer and not crossed(x, w.yc) for x in (left, right))
        if inner or open_side:
            parents.append(w)
        else:
            leaves.append(w)
    columns = []
    for x0, x1 in zip(xs, xs[1:], strict=False):
        inside = [w for w in leaves if x0 - 2 <= w.xc <= x1 + 2]
        over = [
            w
            for w in parents
            if w.x0 - 2 <= (x0 + x1) / 2 <= w.x1 + 2 or _spans(w, x0, x1, xs, crossed)
        ]
        parent = ""
        if over:
            parent = squash(max(over, key=lambda w: w.top).text)
        columns.append(Column(x0, x1, *name_column(_stack_name(inside), parent)))
    return columns


def _spans(w: Word, x0: float, x1: float, xs: list[float], crossed) -> bool:
    """A merged-cell word whose cell (up to the next rule that crosses its line) covers [x0, x1]."""
    left = max((x for x in xs if x <= w.xc and crossed(x, w.yc)), default=xs[0])
    right = min((x for x in xs if x > w.xc and crossed(x, w.yc)), default=xs[-1])
    return left - 1 <= x0 and x1 <= right + 1


def _stack_name(words: list[Word]) -> str:
    # a 栏次 row numbers the columns 1, 2, 3 …: not part of their names
    lines = group_lines([w for w in words if not regex.fullmatch(r"\d{1,2}", w.text)])
    return squash("".join("".join(w.text for w in line) for line in lines))


#: Headers over a whole side of a two-sided table.
SIDE_HEADERS = frozenset({"收入", "支出", "收入支出"})

#: Header text that names a column of names or codes, not of amounts.
LABEL_COLUMN_RE = regex.compile(
    r"科目名称|科目编码|分类科目|项目(?!支出)|^[类款项]+$|^类|行次|栏次|^序号|单位名称|名称$|^编码$|^代码$"
)


def _header_stacks(header: list[Word]) -> tuple[list[list[Word]], list[Word]]:
    """Leaf header stacks (a wrapped header is one stack) and the spanning fragments.

    A fragment above two or more side-by-side fragments spans their columns and names none.
    """
    frags = sorted(header, key=lambda w: (w.top, w.x0))
    spanning: list[Word] = []
    leaves: list[Word] = []
    for f in frags:
        below = [
            g for g in frags if g is not f and g.top > f.bottom - 1 and f.x0 - 2 <= g.xc <= f.x1 + 2
        ]
        side_by_side = any(
            b is not a and (b.x0 > a.x1 or b.x1 < a.x0) for a in below for b in below
        )
        if not side_by_side:
            side_by_side = _centred_over_pair(f, frags)
        # 收入 / 支出 head the two sides of 公开01 and 公开04, never a column of their own
        side_label = squash(f.text) in SIDE_HEADERS and not any(
            g.bottom <= f.top + 1 and min(g.x1, f.x1) - max(g.x0, f.x0) > 0 for g in frags
        )  # ("上级补助 / 收入" wraps: 收入 under another fragment is part of that header)
        (spanning if side_by_side or side_label else leaves).append(f)
    stacks: list[list[Word]] = []
    for f in sorted(leaves, key=lambda w: w.top):
        home = None
        for stack in stacks:
            sx0 = min(w.x0 for w in stack)
            sx1 = max(w.x1 for w in stack)
            overlap = min(sx1, f.x1) - max(sx0, f.x0)
            if overlap > 0.3 * min(sx1 - sx0, f.x1 - f.x0):
                home = stack
                break
        if home is None:
            stacks.append([f])
        else:
            home.append(f)
    return stacks, spanning


def header_names(header: list[Word]) -> list[str]:
    """The text of each leaf header stack, a wrapped header joined whole (本年收入合 / 计 →
    本年收入合计), whatever the lines of its neighbours."""
    return [_stack_name(stack) for stack in _header_stacks(header)[0]]


def _centred_over_pair(f: Word, frags: list[Word]) -> bool:
    """A short header centred over two neighbouring headers of the next header line
    (合计 over 预算数 | 决算数): it spans both, though neither centre lies under it."""
    below = [g for g in frags if g.top > f.bottom - 1]
    if any(min(g.x1, f.x1) - max(g.x0, f.x0) > 0.5 * (f.x1 - f.x0) for g in below):
        return False  # text right under it: a header wrapped over lines, not a span
    reach = 2.5 * f.height
    for line in group_lines(below):
        for a, b in zip(line, line[1:], strict=False):
            mid = (a.xc + b.xc) / 2
            if (
                a.xc < f.xc < b.xc
                and abs(f.xc - mid) < 0.2 * (b.xc - a.xc)
                and f.x0 <= a.x1 + reach
                and f.x1 >= b.x0 - reach
            ):
                return True
    return False


def _amount_clusters(body: list[Word]) -> list[tuple[float, float]]:
    """x-extents of the body's amount columns: amounts whose extents overlap are one column."""
    spans = sorted(
        (w.x0, w.x1)
        for w in body
        if is_amount(w.text) and ("." in w.text or w.text in _DASH_ZERO or w.text == "0")
    )
    clusters: list[list[float]] = []
    for x0, x1 in spans:
        if clusters and x0 <= clusters[-1][1] + 1:
            clusters[-1][1] = max(clusters[-1][1], x1)
        else:
            clusters.append([x0, x1])
    return [(a, b) for a, b in clusters]


def _align(stacks: list[tuple[float, float]], clusters: list[float]) -> dict[int, int]:
    """Order-keeping match of header stretches to amount-column centres at least total
    distance (0 inside the stretch); either side may go unmatched (a blank column, or amounts
    under no header)."""
    n, m = len(stacks), len(clusters)
    skip = 60.0
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    move: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if cost[i][j] == inf:
                continue
            steps = []
            if i < n and j < m:
                lo, hi = stacks[i]
                x = clusters[j]
                steps.append((i + 1, j + 1, 0.0 if lo <= x < hi else min(abs(x - lo), abs(x - hi))))
            if i < n:
                steps.append((i + 1, j, skip))
            if j < m:
                steps.append((i, j + 1, skip))
            for a, b, c in steps:
                if cost[i][j] + c < cost[a][b]:
                    cost[a][b] = cost[i][j] + c
                    move[a][b] = (i, j)
    pairs: dict[int, int] = {}
    i, j = n, m
    while (i, j) != (0, 0):
        prev = move[i][j]
        assert prev is not None
        if prev == (i - 1, j - 1):
            pairs[i - 1] = j - 1
        i, j = prev
    return pairs


def _columns_from_stacks(header: list[Word], body: list[Word]) -> list[Column]:
    """Columns for a table with no vertical rules.

    Amount columns come from the body: amounts that overlap are one column (right-aligned
    amounts often stand wholly right of their centred header). Header stacks are matched to
    them in order, so a blank column keeps its place; label stacks keep their own extent.
    """
    stacks, spanning = _header_stacks(header)
    named: list[tuple[float, float, str]] = []
    for st in stacks:
        name = _stack_name([w for w in st if not is_amount(w.text)])
        named.append((min(w.x0 for w in st), max(w.x1 for w in st), name))
    named.sort(key=lambda t: t[0])
    label = [t for t in named if not t[2] or LABEL_COLUMN_RE.search(t[2])]
    heads = [t for t in named if t[2] and not LABEL_COLUMN_RE.search(t[2])]
    clusters = _amount_clusters(body)
    # each header owns the stretch from its left edge to the next header: amounts set flush
    # right (or centred, or flush left) in its column stand there
    regions = []
    for a, _b, _name in heads:
        nxt = min((t[0] for t in named if t[0] > a + 1), default=float("inf"))
        regions.append((a - 2, nxt))
    pairs = _align(regions, [(a + b) / 2 for a, b in clusters])
    # (x0, x1, name, is_label, cluster): a label column's text runs on to the amounts
    spans: list[tuple[float, float, str, bool, tuple[float, float] | None]] = [
        (a, b, name, True, None) for a, b, name in label
    ]
    for i, (a, b, name) in enumerate(heads):
        if i in pairs:
            ca, cb = clusters[pairs[i]]
            spans.append((min(a, ca), max(b, cb), name, False, (ca, cb)))
        else:
            spans.append((a, b, name, False, None))
    matched = set(pairs.values())
    label_right = max((b for a, b, _ in label), default=-1e9)
    for j, (ca, cb) in enumerate(clusters):
        if j not in matched and ca > label_right:
            spans.append((ca, cb, "", False, (ca, cb)))
    spans.sort(key=lambda t: (t[0] + t[1]) / 2)

    def boundary(left: tuple, right: tuple) -> float:
        # labels are set flush left and amounts flush right: the cut goes where the
        # amounts end (or begin), not halfway between the headers
        if not left[3] and left[4] is not None and right[3]:
            return min(left[4][1] + 1.5, right[0])
        if left[3] and not right[3] and right[4] is not None:
            return max(right[4][0] - 1.5, left[1])
        return (left[1] + right[0]) / 2

    cols: list[Column] = []
    for i, span in enumerate(spans):
        a, b, name = span[0], span[1], span[2]
        left = boundary(spans[i - 1], span) if i > 0 else a - 200
        right = boundary(span, spans[i + 1]) if i + 1 < len(spans) else b + 200
        parent = ""
        over = [w for w in spanning if w.x0 - 2 <= (a + b) / 2 <= w.x1 + 2]
        if over:
            parent = squash(min(over, key=lambda w: w.x1 - w.x0).text)
        cols.append(Column(left, right, *name_column(name, parent)))
    # neighbours must not overlap after widening: cut at the midpoint of any overlap
    for i in range(len(cols) - 1):
        if cols[i].x1 > cols[i + 1].x0:
            mid = (cols[i].x1 + cols[i + 1].x0) / 2
            cols[i] = Column(cols[i].x0, mid, cols[i].name, cols[i].parent)
            cols[i + 1] = Column(mid, cols[i + 1].x1, cols[i + 1].name, cols[i + 1].parent)
    return cols


def build_rows(
    rw: RegionWords,
    layout: Layout,
    x_from: float,
    x_to: float,
    amount_cols: set[int],
) -> list[Row]:
    """Rows of one side of a table (words with centre in [x_from, x_to)).

    Words in ``amount_cols`` that read as amounts are amounts; everything else is label.
    Rows come from the horizontal rules where the table is ruled, else from text lines:
    a line holding only amounts joins the nearest line holding a label without amounts,
    and a line holding only label text joins the nearest row.
    """
    words = [w for line in rw.body for w in line if x_from <= w.xc < x_to]
    if not words:
        return []
    page = rw.page
    left = max(x_from, min(w.x0 for w in words))
    right = min(x_to, max(w.x1 for w in words))
    every = [w for line in rw.body for w in line]
    ys = _horizontal_rules(
        page.rules, left, right, min(w.top for w in every) - 3, max(w.bottom for w in every) + 3
    )
    lines = group_lines(words)
    if len(ys) >= 2 and layout.ruled:
        groups = _group_by_bands(lines, ys)
    else:
        groups = _group_by_gaps(lines, layout, amount_cols)
    rows = []
    for group in groups:
        row = Row(page=page.number, top=min(w.top for w in group))
        for w in sorted(group, key=lambda w: (w.top, w.x0)):
            col = layout.column_at(w.xc)
            if col is not None and col in amount_cols and is_amount(w.text):
                row.amounts.setdefault(col, []).append(w)
            else:
                row.labels.append(w)
        rows.append(row)
    return rows


def _horizontal_rules(
    rules: tuple[Rule, ...], x0: float, x1: float, top: float, bottom: float
) -> list[float]:
    width = max(x1 - x0, 1.0)
    ys: dict[float, float] = {}
    for r in rules:
        if not r.horizontal or not (top <= r.pos <= bottom):
            continue
        overlap = min(r.end, x1) - max(r.start, x0)
        if overlap <= 0:
            continue
        key = round(r.pos)
        ys[key] = ys.get(key, 0.0) + overlap
    out: list[float] = []
    for y in sorted(y for y, cov in ys.items() if cov >= 0.3 * width):
        if out and y - out[-1] < 3:
            continue
        out.append(y)
    return out


def _group_by_bands(lines: list[list[Word]], ys: list[float]) -> list[list[Word]]:
    """Rows between consecutive horizontal rules; a band with two code-led lines is split."""
    bands: dict[int, list[list[Word]]] = {}
    for line in lines:
        yc = sum(w.yc for w in line) / len(line)
        band = sum(1 for y in ys if y < yc)
        bands.setdefault(band, []).append(line)
    groups: list[list[Word]] = []
    for band in sorted(bands):
        blines = bands[band]
        leads = [i for i, ln in enumerate(blines) if is_code(ln[0].text)]
        amount_lines = [i for i, ln in enumerate(blines) if any(is_amount(w.text) for w in ln)]
        if len(leads) >= 2 and len(amount_lines) >= 2:
            # a rule is missing: fall back to one row per code-led line, text joining its code
            cuts = leads
            for k, start in enumerate(cuts):
                end = cuts[k + 1] if k + 1 < len(cuts) else len(blines)
                begin = 0 if k == 0 else start
                groups.append([w for ln in blines[begin:end] for w in ln])
        else:
            groups.append([w for ln in blines for w in ln])
    return groups


_ROW_START_RE = regex.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d)|其中[：:]|"
    r"合计|总计|小计|本年收入|本年支出|年初结转|年末结转|年初财政|年末财政|使用非财政|结余分配|"
    r"人员经费|公用经费)"
)


_ORDINAL_START_RE = regex.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d))"
)


def _group_by_gaps(
    lines: list[list[Word]], layout: Layout, amount_cols: set[int]
) -> list[list[Word]]:
    """Rows of an unruled table from its text lines (see :func:`build_rows`).

    A line that starts a row (a code, an ordinal, a total) or carries amounts is a row; a
    row with a start but no amounts and a neighbouring row with amounts but no start are one
    row whose amounts sit on another text line; every other line (a wrapped name) joins the
    nearest row, the row below on a tie.
    """

    def is_amount_word(w: Word) -> bool:
        return is_amount(w.text) and layout.column_at(w.xc) in amount_cols

    has_amount = [any(is_amount_word(w) for w in ln) for ln in lines]
    label_words = [[w for w in ln if not is_amount_word(w)] for ln in lines]
    label_text = [squash("".join(w.text for w in ws)) for ws in label_words]
    starts = [
        bool(text) and (_opens_with_code(ln[0].text) or bool(_ROW_START_RE.match(text)))
        for ln, text in zip(lines, label_text, strict=True)
    ]
    centres = [sum(w.yc for w in ln) / len(ln) for ln in lines]
    # a tall cell centres its amounts up to a few text lines from its code and name
    height = _median([w.height for ln in lines for w in ln]) or 10.0
    # a code or an ordinal surely opens a row; 合计 or 本年收入 may be a wrapped name's last line
    strong = [
        bool(text) and (_opens_with_code(ln[0].text) or bool(_ORDINAL_START_RE.match(text)))
        for ln, text in zip(lines, label_text, strict=True)
    ]
    cells = _group_by_cells(lines, label_words, strong, has_amount, height)
    if cells is not None:
        return cells
    rows: list[list[int]] = [[i] for i in range(len(lines)) if has_amount[i] or starts[i]]
    if not rows:
        return [ln for ln in lines]
    # a start without amounts meets amounts without a start on the next or previous line
    merged: list[list[int]] = []
    k = 0
    while k < len(rows):
        cur = rows[k]
        if k + 1 < len(rows):
            nxt = rows[k + 1]
            a, b = cur[0], nxt[0]
            close = abs(centres[b] - centres[a]) <= 3.2 * height
            if close and (
                (starts[a] and not has_amount[a] and has_amount[b] and not starts[b])
                or (has_amount[a] and not starts[a] and starts[b] and not has_amount[b])
            ):
                merged.append(cur + nxt)
                k += 2
                continue
        merged.append(cur)
        k += 1
    owner = {i: r for r, members in enumerate(merged) for i in members}
    for i in range(len(lines)):
        if i in owner:
            continue
        best = min(
            range(len(merged)),
            key=lambda r: (
                min(abs(centres[i] - centres[j]) for j in merged[r]),
                -centres[merged[r][0]],
            ),
        )
        owner[i] = best
        merged[best].append(i)
    return [[w for i in sorted(members) for w in lines[i]] for members in merged]


def _group_by_cells(
    lines: list[list[Word]],
    label_words: list[list[Word]],
    starts: list[bool],
    has_amount: list[bool],
    height: float,
) -> list[list[Word]] | None:
    """Rows from the spacing of the label lines: lines of one wrapped name stand closer
    than the last line of one row and the first of the next (the cell padding). Lines of
    amounts join the cell they stand in. None when the spacing does not tell rows apart
    (two codes in one cell, or two lines of amounts)."""
    label_text = [squash("".join(w.text for w in ws)) for ws in label_words]
    label_idx = [i for i, text in enumerate(label_text) if text]
    if len(label_idx) < 2:
        return None
    # a line's place is that of its label words: amounts centred in a tall cell, or set on
    # another baseline, join whichever text line they overlap most and say nothing of it
    tops = [min(w.top for w in label_words[i]) for i in label_idx]
    # the line pitch inside a cell: from a label line to the next, when that next line is a
    # name's continuation, flush left under a word of the line above (a code line may sit
    # half a line off, centred in its cell; a header repeated on a continuation page stands
    # centred and staggered, and must not set the pitch)
    # (a letter-spaced name is one word: its glyphs are not word starts a line may align with)
    pitches = [
        tops[k] - tops[k - 1]
        for k in range(1, len(label_idx))
        if not starts[label_idx[k]]
        and any(
            abs(w.x0 - min(v.x0 for v in label_words[label_idx[k]])) <= 1
            for w in merge_letter_spaced(label_words[label_idx[k - 1]])
        )
    ]
    # lines of one name follow at about the text's own height; a gap of several lines is
    # between rows (names of rows with blank amounts, all flush left in one column)
    base = min((p for p in pitches if 0.5 * height < p <= 2.0 * height), default=0.0)
    if base <= 0:
        return None
    blocks: list[list[int]] = [[label_idx[0]]]
    for k in range(1, len(label_idx)):
        if tops[k] - tops[k - 1] > 1.25 * base:
            blocks.append([label_idx[k]])
        else:
            blocks[-1].append(label_idx[k])
    if any(sum(starts[i] for i in b) > 1 for b in blocks):
        return None
    spans = [
        (min(lines[i][0].top for i in b), max(w.bottom for i in b for w in lines[i]))
        for b in blocks
    ]
    for i, text in enumerate(label_text):
        if text:
            continue
        yc = sum(w.yc for w in lines[i]) / len(lines[i])
        home = min(
            range(len(blocks)),
            key=lambda k: (
                0
                if spans[k][0] <= yc <= spans[k][1]
                else min(abs(yc - spans[k][0]), abs(yc - spans[k][1]))
            ),
        )
        blocks[home].append(i)
    if any(sum(has_amount[i] for i in b) > 1 for b in blocks):
        return None
    return [[w for i in sorted(b) for w in lines[i]] for b in blocks]


def _median(values: list[float]) -> float:
    s = sorted(values)
    return s[len(s) // 2] if s else 0.0


def box_of(words: list[Word]) -> tuple[float, float, float, float]:
    """The union of the words' boxes: (x0, top, x1, bottom) on their page, so a number read
    from a cell can be shown where it was printed."""
    if len(words) == 1:  # most cells: one amount word, its own box (no min or max to take)
        w = words[0]
        return (round(w.x0, 2), round(w.top, 2), round(w.x1, 2), round(w.bottom, 2))
    return (
        round(min(w.x0 for w in words), 2),
        round(min(w.top for w in words), 2),
        round(max(w.x1 for w in words), 2),
        round(max(w.bottom for w in words), 2),
    )


def parse_amount(text: str) -> str:
    """The printed amount as a plain decimal string (commas gone, a dash as 0)."""
    if text in _DASH_ZERO:
        return "0"
    return text.replace(",", "").replace("−", "-")
