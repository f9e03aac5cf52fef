"""Raw cells to records: a whole report PDF to a :class:`core.records.Report`.

Numbers, units and names are normalised here (see ``docs/facts.md``); which page holds which
table is :mod:`core.tables.locate`'s job and the geometry of rows and columns :mod:`core.tables.layout`'s.
"""

from __future__ import annotations

import gc
import os
import sys
from collections import Counter
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from core import regex
from core.accounts.meta import find_meta, most_common
from core.errors import CorruptPdfError, NotJuesuanError, ScannedPdfError
from core.pdf.extract import OnPage, OnProgress, Page, Word, extract_pages, group_lines, join_line
from core.records import STANDARD_TABLES, THREE_PUBLIC_ITEMS, Fact, Report, TableInfo
from core.tables.layout import (
    Layout,
    RegionWords,
    Row,
    box_of,
    build_rows,
    find_layout,
    header_names,
    header_unit,
    is_amount,
    merge_letter_spaced,
    parse_amount,
    split_region,
)
from core.tables.locate import LocatedTable, despace, find_tables, squash
from core.tables.templates import BUDGET_TITLE_RE, choose_template

TYPE_CHECKING = False  # not typing's: importing typing costs ~2 ms a process, for annotations
if TYPE_CHECKING:
    from typing import Any

CENT = Decimal("0.01")
_UNIT_RE = regex.compile(r"单位[：:]\s*(万元|亿元|千元|元)")
_ORDINAL_RE = regex.compile(
    r"^(?:其中[：:]?)?(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|"
    r"\d{1,2}[、.．](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩])+"
)
_SUB_ROW_RE = regex.compile(r"^其中[：:]")
_FUND_ROW_RE = regex.compile(r"(一般公共预算|政府性基金|国有资本经营)(预算)?财政拨款$")
_CODED_TABLES = {"公开02", "公开03", "公开05", "公开08", "公开09"}
_SKIP_COL_RE = regex.compile(r"行次|栏次")
_SCALE = {
    "万元": Decimal(1),
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
    "亿元": Decimal(10000),
}


def normalize_item(text: str) -> str:
    """A row name as the contract wants it: no white space, no leading ordinal."""
    name = despace(text)
    name = _ORDINAL_RE.sub("", name)
    name = _SUB_ROW_RE.sub("", name) or name  # 其中：捐赠收入 → 捐赠收入 (its parent says whose)
    return name.strip("：:")


def to_wanyuan(printed: str, unit: str) -> Decimal:
    """A printed amount in ``unit`` as 万元, to the cent where the unit is smaller."""
    value = Decimal(parse_amount(printed)) * _SCALE[unit]
    if unit in ("元", "千元"):
        value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return value


def _amount_columns(layout: Layout, rows_words: list[Word]) -> set[int]:
    """Columns holding amounts: headed as amounts, or nameless ones where amounts stand."""
    cols = set()
    holding = Counter(
        # the cheap test first: most words of a table's body are names and codes, no point
        layout.column_at(w.xc)
        for w in rows_words
        if "." in w.text and is_amount(w.text)
    )
    for i, col in enumerate(layout.columns):
        if _SKIP_COL_RE.search(col.name):
            continue
        if col.name and not col.is_label:
            cols.add(i)
        elif not col.name and holding.get(i, 0) > 0:
            cols.add(i)
    return cols


def _sides(layout: Layout, amount_cols: set[int]) -> list[tuple[float, float, list[int]]]:
    """Split the columns into sides: label columns followed by their amount columns.

    公开01 and 公开04 have two sides (收入 | 支出); 公开06 has two or three blocks.
    """
    sides: list[tuple[float, float, list[int]]] = []
    start: float | None = None
    amounts: list[int] = []
    cols = layout.columns
    for i, col in enumerate(cols):
        if i in amount_cols:
            if start is None:
                start = col.x0
            amounts.append(i)
            nxt_is_label = i + 1 < len(cols) and (i + 1) not in amount_cols
            if nxt_is_label or i + 1 == len(cols):
                sides.append((start, col.x1, amounts))
                start, amounts = None, []
        else:
            if start is None or not amounts:
                start = col.x0 if start is None else start
    if not sides and cols:
        sides.append((cols[0].x0, cols[-1].x1, []))
    # let each side take everything up to the next side, so stray words are not lost
    out = []
    for k, (x0, _x1, am) in enumerate(sides):
        left = -1e9 if k == 0 else x0
        right = 1e9 if k + 1 == len(sides) else sides[k + 1][0]
        out.append((left, right, am))
    return out


def _cut_digits(w: Word, n: int) -> tuple[Word, Word]:
    """A word's first ``n`` characters (digits) and the rest, each with its share of the box."""
    cut = w.x0 + (w.x1 - w.x0) * n / len(w.text)
    return Word(w.text[:n], w.x0, cut, w.top, w.bottom), Word(
        w.text[n:], cut, w.x1, w.top, w.bottom
    )


_LEAD_DIGITS_RE = regex.compile(r"^(\d{2,7})(?=[\u4e00-\u9fff（(])")


def _split_code(labels: list[Word]) -> tuple[str | None, str]:
    """(code, name) from a row's label words, the code always joined whole.

    The code is the row's digit words read left to right: one word (``2010350``), 类/款/项
    parts (``201`` ``03`` ``50``), a code glued to its name (``2010350事业运行``) or the rest of a
    code glued to the name (``302`` in the code cell, ``01办公费`` in the name cell). It may
    stand on another line than the start of a wrapped name.
    """
    digit_words = [w for w in labels if w.text.isdigit() and len(w.text) <= 7]
    split: list[Word] = []
    glued: list[Word] = []  # the rest of a code cut off the name it was glued to
    for w in labels:
        m = _LEAD_DIGITS_RE.match(w.text)
        # a glued part counts when it is a whole code, or the rest of a code printed before it
        if m and (len(m.group(1)) in (3, 5, 7) or (len(m.group(1)) in (2, 4) and digit_words)):
            head, tail = _cut_digits(w, len(m.group(1)))
            if len(head.text) in (2, 4):
                glued.append(head)
            split += [head, tail]
        else:
            split.append(w)
    digits = [w for w in split if w.text.isdigit() and len(w.text) <= 7]
    code = ""
    used: list[Word] = []
    if digits:
        own = [w for w in digits if all(w is not g for g in glued)]
        first = min(own or digits, key=lambda w: w.top)
        used = sorted((w for w in digits if abs(w.yc - first.yc) < 3), key=lambda w: w.x0)
        # the rest glued to the name follows the code cell's part, on whatever line it stands
        used += sorted((g for g in glued if all(g is not u for u in used)), key=lambda w: w.x0)
        code = "".join(w.text for w in used)
    if len(code) not in (3, 5, 7):
        # not a code after all: digits glued to a name stay in the name
        code, used = "", []
        split = list(labels)
        digits = [w for w in labels if w.text.isdigit() and len(w.text) <= 7]
        if digits:
            first = min(digits, key=lambda w: w.top)
            used = sorted((w for w in digits if abs(w.yc - first.yc) < 3), key=lambda w: w.x0)
            code = "".join(w.text for w in used)
    name_words = [w for w in split if all(w is not u for u in used)]
    name = despace("".join(join_line(ln) for ln in group_lines(name_words)))
    if code and len(code) in (3, 5, 7):
        return code, name
    return None, name


class _TableReader:
    """Reads one located table across its regions into facts."""

    def __init__(self, table: LocatedTable, pages: dict[int, Page], default_unit: str):
        self.table = table
        self.pages = pages
        self.unit = default_unit
        self.facts: list[Fact] = []
        self.notes: list[str] = []
        self.parents: dict[int, str | None] = {}

    def read(self) -> None:
        layout: Layout | None = None
        header: list[Word] = []
        for n, region in enumerate(self.table.regions):
            page = self.pages[region.page]
            rw = split_region(page, region, two_sided=self.table.id in ("公开01", "公开04"))
            stated = None
            for line in rw.furniture:
                m = _UNIT_RE.search(squash(join_line(line)))
                if m:
                    stated = m.group(1)
            # a unit line wins; else a unit the header states ("决算数（元）")
            self.unit = stated or header_unit(rw.header) or self.unit
            self.notes.extend(rw.notes)
            if region.continuation and layout is not None and rw.header:
                names = {c.name for c in layout.columns if c.name}
                # a header wrapped over lines reads whole only stack by stack
                said = squash("".join(w.text for w in rw.header))
                stacked = set(header_names(rw.header))
                if sum(1 for name in names if name in said or name in stacked) < max(
                    1, len(names) // 2
                ):
                    # no repeated header: what looked like one is the first rows
                    rw.body = group_lines(rw.header + [w for line in rw.body for w in line])
                    rw.header = []
            fresh = find_layout(rw) if rw.header else None
            body_words = [w for line in rw.body for w in line]
            if fresh is not None and _amount_columns(fresh, body_words):
                layout = fresh
                header = rw.header
            elif layout is None:
                layout = find_layout(rw)
                header = rw.header
            elif not layout.ruled and header:
                # no header on this page and no rules: the last header over this page's own
                # amounts (a wider amount here than there must not fall out of its column)
                layout = find_layout(replace(rw, header=header))
            elif fresh is None and n > 0 and layout.ruled:
                # a continuation with no header: same columns, perhaps shifted; keep names
                layout = layout
            if not rw.body:
                continue
            self._read_region(rw, layout)

    # -- per table kind -------------------------------------------------------------------

    def _read_region(self, rw, layout: Layout) -> None:
        body_words = [w for line in rw.body for w in line]
        amount_cols = _amount_columns(layout, body_words)
        tid = self.table.id
        if tid == "公开07":
            self._read_three_public(rw, layout, amount_cols)
            return
        if tid == "公开06":
            rw = self._read_06_totals(rw, layout)
        sides = _sides(layout, amount_cols)
        for k, (x0, x1, cols) in enumerate(sides):
            rows = build_rows(rw, layout, x0, x1, set(cols))
            if tid in ("公开01", "公开04"):
                self._read_two_sided(rows, layout, k, len(sides))
            else:
                self._read_coded(rows, layout)

    def _fact(self, section, parent, code, item, column, printed: Word, page: int) -> None:
        self.facts.append(
            Fact(
                table=self.table.id,
                section=section,
                parent=parent,
                code=code,
                item=item,
                column=column,
                value=to_wanyuan(printed.text, self.unit),
                page=page,
                box=box_of([printed]),
                confidence=printed.confidence,
            )
        )

    def _column_name(self, layout: Layout, col: int) -> str:
        if self.table.id == "公开06":
            return "金额"
        name = layout.columns[col].name
        return _split_column_name(layout, col) or name or layout.columns[col].parent or "决算数"

    def _read_coded(self, rows: list[Row], layout: Layout) -> None:
        for row in rows:
            if not row.amounts:
                continue
            code, name = _split_code(row.labels)
            if regex.search(r"栏次|行次", name):
                continue
            item = normalize_item(name)
            if code is None and (not item or "合计" in item or "总计" in item):
                item = "合计" if not item or item.endswith("合计") or "总计" in item else item
            for col, words in sorted(row.amounts.items()):
                for w in words:
                    self._fact(None, None, code, item, self._column_name(layout, col), w, row.page)

    def _read_two_sided(self, rows: list[Row], layout: Layout, side: int, n_sides: int) -> None:
        section = "收入" if side == 0 else "支出"
        # a breakdown may run on to the next page: the row it breaks down is remembered
        parent: str | None = self.parents.get(side)
        above: str | None = None
        for row in rows:
            item = normalize_item(row.label_text)
            sub_of = _sub_row_parent(row.label_text, above)
            if sub_of is None and item:
                above = item
            if n_sides == 1 and (item in ("支出", "支出项目") or item.startswith("项目（按")):
                section = "支出"
            if not item:
                continue
            if "结转和结余" in item or "结转结余" in item:
                parent = item
            elif parent and _FUND_ROW_RE.search(item):
                pass
            else:
                parent = None
            row_parent = parent if parent and parent != item else None
            row_parent = sub_of or row_parent
            for col, words in sorted(row.amounts.items()):
                for w in words:
                    self._fact(
                        section, row_parent, None, item, self._column_name(layout, col), w, row.page
                    )
            if n_sides == 1 and item == "总计" and section == "收入":
                section = "支出"
        self.parents[side] = parent

    def _read_06_totals(self, rw: RegionWords, layout: Layout) -> RegionWords:
        """Read 人员经费合计 / 公用经费合计 across the whole width and drop their lines.

        Each total's amount stands right of its label (in its block or a later one), on the
        label's line or, in a tall cell, on a line next to it.
        """
        lines = rw.body
        merged = [merge_letter_spaced(line) for line in lines]
        label_at = [
            [w for w in line if regex.search(r"(人员|公用)经费", w.text)] for line in merged
        ]
        if not any(label_at):
            return rw
        heights = sorted(w.height for line in lines for w in line) or [10.0]
        pitch = heights[len(heights) // 2] * 1.6
        labels = [w for ws in label_at for w in ws]
        footer = set()
        for i, line in enumerate(lines):
            if label_at[i]:
                footer.add(i)
                continue
            near = any(abs(line[0].yc - lb.yc) <= pitch for lb in labels)
            coded = any(w.text.isdigit() and len(w.text) in (3, 5) for w in line)
            if near and not coded and all(is_amount(w.text) for w in line):
                footer.add(i)
        for i in sorted(footer):
            for w in lines[i]:
                if not is_amount(w.text):
                    continue
                left = [lb for lb in labels if lb.x0 < w.x0]
                owner = (
                    max(left, key=lambda lb: lb.x0)
                    if left
                    else min(labels, key=lambda lb: abs(lb.xc - w.xc))
                )
                item = "人员经费合计" if "人员" in owner.text else "公用经费合计"
                self._fact(None, None, None, item, "金额", w, rw.page.number)
        rw.body = [line for i, line in enumerate(lines) if i not in footer]
        return rw

    def _read_three_public(self, rw, layout: Layout, amount_cols: set[int]) -> None:
        """公开07 by its header: each amount column is (heading, 预算数 | 决算数) from the words
        stacked above it, in any column order and with one, two or three header rows.

        A column whose kind the header does not say is left out where the table prints a
        预算 anywhere (it could be either), and read as 决算数 where it prints none.
        """
        cols = sorted(amount_cols, key=lambda i: layout.columns[i].xc)
        body_words = [w for line in rw.body for w in line]
        header = merge_letter_spaced(rw.header)
        centre = {
            i: layout.columns[i].xc if layout.ruled else _column_centre(layout, i, body_words)
            for i in cols
        }
        any_budget = any(
            "预算" in layout.columns[i].name or "预算" in layout.columns[i].parent for i in cols
        ) or any("预算" in w.text for w in header)
        kinds: dict[int, str] = {}
        headings: dict[int, str] = {}
        for i in cols:
            col = layout.columns[i]
            stack = _header_stack(header, col.x0, col.x1, centre[i])
            kind = next((k for k in map(_kind_07, [col.name, col.parent, *stack]) if k), None)
            if kind is None and not any_budget:
                kind = "决算数"  # one set printed, and the header names no budget
            if kind is not None:
                kinds[i] = kind
            else:
                self.notes.append(
                    f"公开07 有一列金额无法确定是预算数还是决算数，未读入（{col.name}）"
                )
            # a combined header (公务接待费预算数) names its heading before its kind
            heading = _heading_07([col.parent]) if _kind_07(col.name) and col.parent else None
            if heading:
                headings[i] = heading
        # a budget and an actual column under each heading, in either order, or one column
        # each: a group takes the nearest heading centred over it
        pattern = [kinds.get(i) for i in cols]
        paired = (
            len(cols) >= 2
            and len(cols) % 2 == 0
            and {pattern[0], pattern[1]} == {"预算数", "决算数"}
            and all(pattern[k] == pattern[k % 2] for k in range(len(cols)))
        )
        groups = (
            [cols[k : k + 2] for k in range(0, len(cols), 2)] if paired else [[i] for i in cols]
        )
        for group in groups:
            x0 = layout.columns[group[0]].x0
            x1 = layout.columns[group[-1]].x1
            x = sum(centre[i] for i in group) / len(group)
            cells = _header_cells(header, x0, x1, x)
            heading = _heading_07([c[0] for c in cells if not _kind_07(c[0])])
            named = {headings[i] for i in group if i in headings}
            if heading is None and len(named) == 1:
                heading = named.pop()
            for i in group:
                if heading:
                    headings[i] = heading
                else:
                    headings.pop(i, None)
        rows = build_rows(rw, layout, -1e9, 1e9, set(cols))
        if len(headings) >= 2 or len(cols) >= 4:
            # headings across the top: every column names its own (heading, kind)
            seen = Counter((headings[i], kinds[i]) for i in cols if i in headings and i in kinds)
            for row in rows:
                if regex.search(r"栏次|行次", row.label_text):
                    continue
                for col_i, words in row.amounts.items():
                    heading, kind = headings.get(col_i), kinds.get(col_i)
                    if heading is None or kind is None or seen[(heading, kind)] > 1:
                        continue  # no heading, no kind, or two columns claim the same cell
                    for w in words:
                        self._fact(None, None, None, heading, kind, w, row.page)
            return
        seen_items: set[str] = set()
        for row in rows:
            item = classify_three_public(row.label_text, seen_items)
            if item is None:
                continue
            seen_items.add(item)
            for col_i, words in row.amounts.items():
                if col_i not in kinds:
                    continue
                for w in words:
                    self._fact(None, None, None, item, kinds[col_i], w, row.page)


def _sub_row_parent(label: str, above: str | None) -> str | None:
    """The row a ``其中：`` row breaks down (the nearest row above that is not one), or None."""
    if above and _SUB_ROW_RE.match(despace(label)):
        return above
    return None


def _split_column_name(layout: Layout, col: int) -> str | None:
    """A column split into 金额/小计 and 其中：… under one spanning header (高等学校 表2's
    事业收入 over 金额 | 其中：教育收费; 表4's 项目支出 over 小计 | 其中：基本建设资金支出):
    the 金额/小计 leaf takes the spanning header's name, so the row still adds up by its
    named parts; the 其中 leaf keeps its printed name (a breakdown, never a summand)."""
    column = layout.columns[col]
    if column.name not in ("金额", "小计") or not column.parent:
        return None
    siblings = [c for c in layout.columns if c.parent == column.parent and c is not column]
    if any(c.name.startswith("其中") for c in siblings):
        return column.parent
    return None


def _kind_07(text: str) -> str | None:
    """预算数 or 决算数 as a 公开07 header says it; None when it says neither (or both)."""
    text = squash(text)
    budget = "预算" in text
    actual = bool(regex.search(r"决算|实际|执行数|支出数", text))
    if budget and not actual:
        return "预算数"
    if actual and not budget:
        return "决算数"
    return None


def _heading_07(stack: list[str]) -> str | None:
    """The first 公开07 heading a header stack names, nearest first. A bare 小计 heads the
    公务用车 pair: it is the only heading of the table split into sub-columns."""
    for text in stack:
        if squash(text) == "小计":
            return THREE_PUBLIC_ITEMS[2]
        heading = classify_three_public(text) if text else None
        if heading:
            return heading
    return None


def _column_centre(layout: Layout, col: int, body: list[Word]) -> float:
    """Where a column's amounts stand (an unruled column's extent runs to its neighbours')."""
    xs = [w.xc for w in body if is_amount(w.text) and layout.column_at(w.xc) == col]
    return sum(xs) / len(xs) if xs else layout.columns[col].xc


def _header_cells(
    header: list[Word], x0: float, x1: float, x: float
) -> list[tuple[str, float, float]]:
    """The header cells over a column, nearest first, as (text, x0, x1): words centred inside
    [x0, x1] or reaching over ``x``; a cell's wrapped lines (same centre, next line) are one."""
    above = sorted(
        (w for w in header if x0 <= w.xc <= x1 or w.x0 - 3 <= x <= w.x1 + 3), key=lambda w: w.top
    )
    cells: list[list[Word]] = []
    for w in above:
        home = next(
            (
                cell
                for cell in cells
                if abs(w.xc - cell[-1].xc) < 3
                and -1 < w.top - cell[-1].bottom < 0.5 * max(w.height, 1.0)
            ),
            None,
        )
        if home is not None:
            home.append(w)  # the next line of the same centred cell
        else:
            cells.append([w])
    cells.sort(key=lambda cell: -max(w.bottom for w in cell))
    return [
        ("".join(squash(w.text) for w in cell), min(w.x0 for w in cell), max(w.x1 for w in cell))
        for cell in cells
    ]


def _header_stack(header: list[Word], x0: float, x1: float, x: float) -> list[str]:
    """The texts of :func:`_header_cells`, nearest first."""
    return [c[0] for c in _header_cells(header, x0, x1, x)]


def classify_three_public(label: str, seen: set[str] | None = None) -> str | None:
    """The canonical 公开07 heading a printed label names, or None."""
    text = normalize_item(label)
    text = regex.sub(r"\d+$", "", text)  # a 行次 printed in the label cell
    if not text:
        return None
    if "出国" in text:
        return THREE_PUBLIC_ITEMS[1]
    if "购置及运行" in text or "购置和运行" in text or ("小计" in text and "公务用车" in text):
        return THREE_PUBLIC_ITEMS[2]
    if "购置" in text and "运行" not in text:
        return THREE_PUBLIC_ITEMS[3]
    if "运行" in text:
        return THREE_PUBLIC_ITEMS[4]
    if "接待" in text:
        return THREE_PUBLIC_ITEMS[5]
    if "合计" in text or "三公" in text:
        return THREE_PUBLIC_ITEMS[0]
    return None


# -- the report as a whole ---------------------------------------------------------------------


def parse_pages(pages: list[Page], file_name: str = "", sha256: str = "") -> Report:
    """Records from extracted pages. Raises :class:`NotJuesuanError` when no table is found."""
    located = find_tables(pages)
    image_pages = [p.number for p in pages if p.images and (len(p.words) < 20 or p.ocr)]
    if not located and image_pages and any("决算" in p.text for p in pages):
        shown = ", ".join(map(str, image_pages[:8]))
        if any(p.ocr for p in pages):
            raise ScannedPdfError(
                f"这份决算报告的第 {shown} 页是扫描图片，经 OCR 识别仍读不出决算表格"
                "（图片可能太模糊或分辨率太低）",
                f"pages {shown} of this report are scanned images and OCR could not read a "
                "决算 table from them (the images may be too blurred or too coarse)",
            )
        raise ScannedPdfError(
            f"这份决算报告的表格页（第 {shown} 页）是扫描图片，没有文字层，无法读取数字",
            f"the table pages of this report (pages {shown}) are scanned images with no text layer; "
            "there are no numbers to read",
        )
    damaged = [p.number for p in pages if p.damage]
    if not located and damaged:  # the tables may be there, on pages that cannot be read
        shown = ", ".join(map(str, damaged[:8]))
        raise CorruptPdfError(
            f"PDF 文件已损坏（第 {shown} 页无法完整读取），找不到任何决算公开表",
            f"the PDF is damaged (pages {shown} cannot be read whole) and no 决算 table was found",
        )
    if not located:
        _refuse_budget_report(pages)
        titles = "；".join(squash(join_line(ln)) for ln in pages[0].lines()[:2]) if pages else ""
        raise NotJuesuanError(
            f"没有找到任何决算公开表（收入支出决算总表等），这可能不是决算报告；首页为：{titles[:40]!r}",
            f"no 决算 disclosure table (收入支出决算总表 …) was found; this may not be a final-accounts report (first page: {titles[:40]!r})",
        )
    by_number = {p.number: p for p in pages}
    default_unit = _common_unit(pages)
    tables: list[TableInfo] = []
    facts: list[Fact] = []
    units: Counter[str] = Counter()
    for table in located:
        reader = _TableReader(table, by_number, default_unit)
        reader.read()
        units[reader.unit] += 1
        note = next(
            (n for n in reader.notes if regex.search(r"无数据|没有|未发生|无.*(收入|支出)", n)),
            None,
        )
        tables.append(
            TableInfo(
                id=table.id,
                title=table.title,
                pages=table.pages,
                empty=not reader.facts,
                note=note,
            )
        )
        facts.extend(reader.facts)
    unit, year, scope = find_meta(pages)
    from core.accounts.narrative import parse_narrative
    from core.accounts.performance import parse_performance

    performance = parse_performance(pages)
    narrative = parse_narrative(pages, located, facts)
    template = choose_template({t.id: t.title for t in located}, year)
    report = Report(
        template=template,
        unit=unit,
        year=year,
        scope=scope or "部门决算",
        source_unit=most_common(units) if units else default_unit,
        pages=len(pages),
        tables=tuple(tables),
        facts=tuple(facts),
        performance=tuple(performance),
        narrative=tuple(narrative),
        file_name=file_name,
        sha256=sha256,
        damaged_pages=tuple(p.number for p in pages if p.damage),
        damage_reasons=tuple(dict.fromkeys(p.damage for p in pages if p.damage)),
        repairs=tuple(dict.fromkeys(p.repaired for p in pages if p.repaired)),
        text_source=text_source(pages),
    )
    from core.accounts.checks import run_checks

    report = replace(report, checks=tuple(run_checks(report)))
    if report.text_source != "text":
        from core.accounts.correct import correct_misreadings

        report = correct_misreadings(report)
    return report


def text_source(pages: list[Page]) -> str:
    """``text`` when no page was OCR'd, ``ocr`` when every page with words was, else ``mixed``."""
    read = [p for p in pages if p.words]
    ocr = sum(p.ocr for p in read)
    return "text" if ocr == 0 else "ocr" if ocr == len(read) else "mixed"


def _refuse_budget_report(pages: list[Page]) -> None:
    """Raise :class:`NotJuesuanError` saying so when the tables are a 预算 report's: a budget
    table title (收支预算总表 …), or a report that calls itself a 预算 with 预算数 columns and
    never says 决算 (budget tables titled 部门收支总表 …)."""
    said = "".join(squash(p.text) for p in pages)
    budget_only = "决算" not in said and "预算数" in said
    for page in pages:
        for line in page.lines():
            text = squash(join_line(line))
            named = len(text) <= 60 and BUDGET_TITLE_RE.search(text) and "决算" not in text
            calls_itself = budget_only and regex.search(r"\d{4}年度?(?:部门|单位)预算", text)
            if named or calls_itself:
                raise NotJuesuanError(
                    f"这份文件看起来是预算报告（第 {page.number} 页：{text[:30]!r}），"
                    "不是决算报告：只有预算数，没有决算数可读",
                    f"this looks like a budget (预算) report, not a final-accounts one (page "
                    f"{page.number}: {text[:30]!r}); it has no 决算 figures to read",
                )


def _common_unit(pages: list[Page]) -> str:
    units: Counter[str] = Counter()
    for page in pages:
        for m in _UNIT_RE.finditer(squash(page.text)):
            units[m.group(1)] += 1
    return most_common(units) if units else "万元"


def _sha256(data: bytes) -> Any:
    """SHA-256 by Python's own implementation where it has one: hashlib's loads OpenSSL, ~5 ms
    of CPU a process for one hash of a few hundred KB."""
    try:
        from _sha256 import sha256  # type: ignore[import-not-found, unused-ignore]
    except ImportError:  # Python 3.12+ names it _sha2; else OpenSSL's
        try:
            from _sha2 import sha256  # type: ignore[import-not-found, no-redef, unused-ignore]
        except ImportError:
            from hashlib import sha256  # type: ignore[assignment, unused-ignore]
    return sha256(data)


def parse_report_bytes(
    data: bytes,
    file_name: str = "",
    on_page: OnPage | None = None,
    on_progress: OnProgress | None = None,
) -> Report:
    """A whole report from PDF bytes. Raises a :class:`core.errors.ReportError` on bad input.

    ``on_page(done, total)`` and ``on_progress`` (a :class:`core.pdf.extract.Progress`, with
    the stage: text layer or OCR) are told as pages are read (one progress bar by page).
    """
    paused = _pause_collector()
    try:
        digest = _sha256(data).hexdigest()
        pages = extract_pages(data, on_page=on_page, on_progress=on_progress)
        return parse_pages(pages, file_name=file_name, sha256=digest)
    finally:
        if paused:
            gc.enable()


def _pause_collector() -> bool:
    """Pause Python's cyclic garbage collector for a parse run by the process's main thread
    (the CLI, a parse worker of core.jobs), saying whether it did. A parse makes tens of
    thousands of objects that live until it ends; each collection meanwhile walks them all
    again, ~4 ms of a ~120 ms parse. What cycles it leaves behind are collected after. A parse on another
    thread (a Streamlit session's, in the server's process) leaves the collector alone: the
    pause is process-wide and would hold back every other session's collection too."""
    if not gc.isenabled():
        return False
    # threading not imported yet: no thread but this one can have been started through it
    threading = sys.modules.get("threading")
    if threading is not None and threading.current_thread() is not threading.main_thread():
        return False
    gc.disable()
    return True


def parse_report(path: str | os.PathLike[str]) -> Report:
    """A whole report from a PDF file."""
    # os.path, not pathlib: pathlib (and the urllib.parse it pulls in) is ~5 ms of a parse
    # process's start that nothing else of the parse needs
    with open(path, "rb") as f:
        data = f.read()
    return parse_report_bytes(data, file_name=os.path.basename(path))


__all__ = ["STANDARD_TABLES", "parse_report", "parse_report_bytes", "normalize_item", "to_wanyuan"]
