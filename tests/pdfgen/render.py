"""Render a :class:`~.spec.ReportSpec` to PDF with reportlab, and know its true facts.

:func:`render` draws the report and records, for every printed amount, the fact it
stands for and the page (and position) where it was drawn, so the expected facts are
exactly what the PDF shows.  Output is deterministic (``invariant=1``).
"""

from __future__ import annotations

import functools
import io
import random
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from .spec import (
    EMPTY_NOTES,
    ITEMS_07,
    LABELS_07,
    NOTES,
    PERSONNEL_GROUPS,
    ReportSpec,
    Row,
    TableSpec,
    is_income_shape_09,
    printed_columns,
)

FONT = "WQY"
FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
MARGIN_X = 40.0
MARGIN_TOP = 42.0
MARGIN_BOTTOM = 42.0


@functools.cache
def _register_font() -> None:
    rl_config.useA85 = 0  # plain Flate streams: a quarter smaller than ASCII85 ones
    pdfmetrics.registerFont(TTFont(FONT, FONT_PATH, subfontIndex=0))


def text_width(s: str, size: float) -> float:
    _register_font()
    return pdfmetrics.stringWidth(s, FONT, size)


_TOKEN = re.compile(r"[A-Za-z0-9.,%+\-]+|\s+|.")


def wrap(text: str, width: float, size: float) -> list[str]:
    """Lines of ``text`` fitting ``width``; CJK breaks anywhere, ASCII runs stay whole."""
    if not text:
        return [""]
    lines: list[str] = []
    cur = ""
    for tok in _TOKEN.findall(text):
        if cur and text_width(cur + tok, size) > width:
            lines.append(cur.rstrip())
            cur = tok.lstrip()
        else:
            cur += tok
    if cur.strip() or not lines:
        lines.append(cur.rstrip())
    return lines


def fmt_amount(v: Decimal, unit: str, zero_style: str = "0.00", thousands: bool = False) -> str:
    """An amount (万元) as the report prints it in ``unit``."""
    if v == 0 and zero_style != "0.00":
        return "" if zero_style == "blank" else zero_style
    if unit == "万元":
        q, places = v, 2
    elif unit == "元":
        q, places = v * 10000, 2
    elif unit == "亿元":
        q, places = v / 10000, 4
    else:
        raise ValueError(unit)
    exact = q.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if exact != q:
        raise ValueError(f"{v} 万元 is not exact in {unit} with {places} decimals")
    return f"{exact:,.{places}f}" if thousands else f"{exact:.{places}f}"


# --------------------------------------------------------------------------------------
# Drawing primitives
# --------------------------------------------------------------------------------------


@dataclass
class Cell:
    text: str
    col: int
    span: int = 1
    align: str = "left"
    valign: str = "middle"
    wrap: bool = True
    fact: dict | None = None


@dataclass
class HCell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Grid:
    widths: list[float]
    header: list[HCell]
    n_header: int
    rows: list[list[Cell]]
    flexible: list[int] = field(default_factory=list)
    """Columns that may widen to fill the page."""
    min_lines: int = 1
    names: list[int] = field(default_factory=list)
    """Name columns, which may narrow (their names wrap) when the table is too wide."""


@dataclass
class Rendered:
    pdf: bytes
    facts: list[dict]
    """Expected facts in the contract's shape (value: string, 2 decimals, 万元)."""
    tables: dict[str, dict]
    """id -> {"title", "pages", "empty"}"""
    page_count: int
    page_sizes: list[tuple[float, float]]
    cells: list[dict]
    """Per fact (same order): the printed text, page and position (pdfplumber coordinates)."""


class _Pdf:
    def __init__(self, title: str = "", encrypt: str | None = None) -> None:
        _register_font()
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(
            self.buf, pagesize=A4, invariant=1, pageCompression=1, encrypt=encrypt
        )
        if title:
            self.c.setTitle(title)
        self.c.setCreator("tests.pdfgen")
        self.page = 0
        self.w, self.h = A4
        self.sizes: list[tuple[float, float]] = []
        self.shuffled = False
        self.mixed = False
        self.ops: list[tuple[float, float, str, float]] = []
        """This page's text runs (x, baseline y, text, size), drawn when the page ends."""

    def _flush(self) -> None:
        ops = self.ops
        if self.shuffled:
            random.Random(self.page).shuffle(ops)
        for x, y, s, size in ops:
            self.c.setFont(FONT, size)
            self.c.drawString(x, y, s)
        self.ops = []

    def new_page(self, land: bool = False) -> None:
        if self.page:
            self._flush()
            self.c.showPage()
        self.page += 1
        size = landscape(A4) if land else A4
        self.c.setPageSize(size)
        self.w, self.h = size
        self.sizes.append((float(size[0]), float(size[1])))

    def text(
        self, x: float, top: float, s: str, size: float, align: str = "left"
    ) -> tuple[float, float]:
        """Draw ``s`` with its glyph box top at ``top`` (from the page top)."""
        w = text_width(s, size)
        x0 = x if align == "left" else (x - w if align == "right" else x - w / 2)
        self.ops.append((x0, self.h - top - 0.8 * size, s, size))
        return x0, x0 + w

    def low(self, size: float) -> float:
        """How much lower digits stand than their line's text where baselines are mixed: 0.3
        of the font size, past the 3 pt a centre tolerance takes for 11 pt text (at 0.4 the
        geometric line grouping no longer joins them; how far real fonts go is not known)."""
        return 0.3 * size if self.mixed else 0.0

    def runs(self, x: float, top: float, s: str, size: float, big: float = 0.0) -> None:
        """Draw ``s`` from ``x`` in runs: digits (and ``big`` points larger, if given) set
        lower than the text around them where baselines are mixed; one run otherwise."""
        if not self.mixed:
            self.text(x, top, s, size)
            return
        for part in re.findall(r"[0-9.,%]+|[^0-9.,%]+", s):
            digits = part[0].isdigit()
            sz = size + (big if digits else 0.0)
            x0, x = self.text(x, top + (self.low(size) if digits else 0.0), part, sz)

    def rect(self, x: float, top: float, w: float, h: float) -> None:
        self.c.setLineWidth(0.5)
        self.c.rect(x, self.h - top - h, w, h, stroke=1, fill=0)

    def finish(self) -> bytes:
        self._flush()
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()


class _Recorder:
    def __init__(self) -> None:
        self.facts: list[dict] = []
        self.cells: list[dict] = []
        self.tables: dict[str, dict] = {}


# --------------------------------------------------------------------------------------
# Table drawing (generic)
# --------------------------------------------------------------------------------------


def _pads(ruled: bool) -> tuple[float, float]:
    return (3.0, 2.5) if ruled else (5.0, 2.0)


def _draw_table(
    pdf: _Pdf,
    rec: _Recorder | None,
    *,
    tid: str,
    title: str,
    number: str | None,
    org: str | None,
    unit_line: str,
    grid: Grid,
    size: float,
    ruled: bool,
    land: bool,
    continue_after: int | None,
    repeat_header: bool,
    notes: list[str],
) -> list[int]:
    """Draw one table from a new page; return the pages it spans."""
    pad_x, pad_y = _pads(ruled)
    lead = size * 1.3
    total_w = sum(grid.widths)
    pages: list[int] = []

    def x_of(col: int) -> float:
        return x0 + sum(grid.widths[:col])

    def title_block(y: float) -> float:
        pdf.text(pdf.w / 2, y, title, 14, "center")
        y += 24
        if number:
            pdf.text(x0 + total_w, y, number, 9, "right")
            y += 14
        if org:
            pdf.text(x0, y, org, 9)
        pdf.text(x0 + total_w, y, unit_line, 9, "right")
        return y + 16

    def header(y: float) -> float:
        n = grid.n_header
        hrow = [lead + 2 * pad_y] * n
        for hc in sorted(grid.header, key=lambda h: h.rowspan):
            w = sum(grid.widths[hc.col : hc.col + hc.colspan])
            need = len(wrap(hc.text, w - 2 * pad_x, size)) * lead + 2 * pad_y
            have = sum(hrow[hc.row : hc.row + hc.rowspan])
            if need > have:
                hrow[hc.row + hc.rowspan - 1] += need - have
        for hc in grid.header:
            x = x_of(hc.col)
            w = sum(grid.widths[hc.col : hc.col + hc.colspan])
            top = y + sum(hrow[: hc.row])
            h = sum(hrow[hc.row : hc.row + hc.rowspan])
            if ruled:
                pdf.rect(x, top, w, h)
            lines = wrap(hc.text, w - 2 * pad_x, size)
            t0 = top + (h - len(lines) * lead) / 2
            for i, ln in enumerate(lines):
                pdf.text(x + w / 2, t0 + i * lead + (lead - size) / 2, ln, size, "center")
        return y + sum(hrow)

    def cell_lines(cell: Cell) -> list[str]:
        w = sum(grid.widths[cell.col : cell.col + cell.span])
        return wrap(cell.text, w - 2 * pad_x, size) if cell.wrap else [cell.text]

    def row_height(row: list[Cell]) -> float:
        n = max([len(cell_lines(c)) for c in row] + [grid.min_lines])
        return n * lead + 2 * pad_y

    def draw_row(row: list[Cell], y: float, h: float) -> None:
        covered = set()
        for c in row:
            covered.update(range(c.col, c.col + c.span))
        cells = row + [Cell("", i) for i in range(len(grid.widths)) if i not in covered]
        for c in cells:
            x = x_of(c.col)
            w = sum(grid.widths[c.col : c.col + c.span])
            if ruled:
                pdf.rect(x, y, w, h)
            if not c.text:
                continue
            lines = cell_lines(c)
            if c.valign == "top":
                t0 = y + pad_y
            elif c.valign == "bottom":
                t0 = y + h - pad_y - len(lines) * lead
            else:
                t0 = y + (h - len(lines) * lead) / 2
            for i, ln in enumerate(lines):
                top = t0 + i * lead + (lead - size) / 2
                if c.fact is not None:
                    top += pdf.low(size)  # an amount in another font, on its own baseline
                if c.align == "left":
                    a, ax = "left", x + pad_x
                elif c.align == "right":
                    a, ax = "right", x + w - pad_x
                else:
                    a, ax = "center", x + w / 2
                gx0, gx1 = pdf.text(ax, top, ln, size, a)
                if c.fact is not None and rec is not None:
                    rec.facts.append(dict(c.fact, page=pdf.page))
                    rec.cells.append(
                        {
                            "text": ln,
                            "page": pdf.page,
                            "x0": round(gx0, 2),
                            "x1": round(gx1, 2),
                            "top": round(top, 2),
                            "table": tid,
                        }
                    )

    def start(first: bool) -> float:
        pdf.new_page(land)
        pages.append(pdf.page)
        y = MARGIN_TOP
        if first or repeat_header:
            y = header(title_block(y))
        return y

    pdf_w = (landscape(A4) if land else A4)[0]
    x0 = (pdf_w - total_w) / 2
    y = start(True)
    note_h = sum(len(wrap(n, total_w, 8)) for n in notes) * 11 + 6
    for i, row in enumerate(grid.rows):
        h = row_height(row)
        limit = pdf.h - MARGIN_BOTTOM - (note_h if i == len(grid.rows) - 1 else 0)
        forced = continue_after is not None and i > 0 and i - 1 == continue_after
        if forced or y + h > limit:
            y = start(False)
        draw_row(row, y, h)
        y += h
    y += 6
    for n in notes:
        for ln in wrap(n, total_w, 8):
            pdf.text(x0, y, ln, 8)
            y += 11
    return pages


def _fit(build, t_size: float, land: bool) -> tuple[Grid, float]:
    """Build the grid at the layout's font size, smaller if it does not fit the page."""
    avail = (landscape(A4) if land else A4)[0] - 2 * MARGIN_X
    size = t_size
    while True:
        g: Grid = build(size)
        over = sum(g.widths) - avail
        if over > 0 and g.names:  # narrow the name columns first, down to ~5 characters
            slack = {i: max(0.0, g.widths[i] - 5.5 * size) for i in g.names}
            room = sum(slack.values())
            if room > 0:
                cut = min(1.0, over / room)
                for i, sl in slack.items():
                    g.widths[i] -= sl * cut
        if sum(g.widths) <= avail + 0.01 or size <= 5.5:
            break
        size -= 0.5
    total = sum(g.widths)
    if total < avail and g.flexible:
        extra = (avail - total) / len(g.flexible)
        for i in g.flexible:
            g.widths[i] += extra
    return g, size


# --------------------------------------------------------------------------------------
# The nine tables
# --------------------------------------------------------------------------------------


def _label(t: TableSpec, s: str) -> str:
    return " ".join(s.replace(" ", "")) if t.layout.letter_spaced else s


def _code_parts(code: str, style: str) -> tuple[str, str]:
    """(what the code cell prints, what the name cell prints before the name)."""
    if style == "joined":
        return "", code
    if style == "class_in_code" and len(code) > 3:
        return code[:-2], code[-2:]
    return code, ""


def _amount_cell(
    t: TableSpec, spec: ReportSpec, r: Row, col: str, idx: int, gcol: int, valign: str
) -> Cell:
    v = r.values[idx]
    txt = fmt_amount(v, spec.amount_unit, t.layout.zero_style, t.layout.thousands)
    fact = {
        "table": t.id,
        "section": r.section,
        "parent": r.parent,
        "code": r.code,
        "item": r.item,
        "column": col,
        "value": f"{v:.2f}",
    }
    return Cell(txt, gcol, align="right", valign=valign, wrap=False, fact=fact)


def _amount_width(
    t: TableSpec, spec: ReportSpec, vals: list[Decimal], size: float, pad: float
) -> float:
    texts = [fmt_amount(v, spec.amount_unit, t.layout.zero_style, t.layout.thousands) for v in vals]
    return max([text_width(s, size) for s in texts] + [3.2 * size]) + 2 * pad + 2


def _name_width(
    t: TableSpec, names: list[str], size: float, pad: float, cap_chars: float = 16
) -> float:
    if t.layout.wrap_names:
        return 4.6 * size + 2 * pad
    widest = max([text_width(_label(t, n), size) for n in names] + [4 * size])
    return min(widest, cap_chars * size) + 2 * pad + 1


def _valigns(t: TableSpec) -> tuple[str, str, str, int]:
    """(code, name, amount) vertical alignment and the minimum lines of a body row."""
    if t.layout.amounts_other_line:
        return "top", "top", "middle", 2
    return "middle", "middle", "middle", 1


def _build_coded(t: TableSpec, spec: ReportSpec, size: float) -> Grid:
    lay = t.layout
    pad, _ = _pads(lay.ruled)
    pcols = printed_columns(t)
    split = lay.split_codes
    ncode = 3 if split else 1
    name_col = ncode
    a0 = ncode + 1
    vc, vn, va, min_lines = _valigns(t)
    rows = [r for r in t.rows if r.level != "total"]
    totals = [r for r in t.rows if r.level == "total"]
    if t.empty:
        totals = [Row("合计", "合计", tuple(Decimal(0) for _ in t.cols(None)), level="total")]
    ordered = (totals + rows) if lay.total_position == "top" else (rows + totals)

    # widths
    widths: list[float] = []
    if split:
        widths += [3.6 * size + 2 * pad, 2.4 * size + 2 * pad, 2.4 * size + 2 * pad]
    else:
        widths.append(max([text_width(r.code or "", size) for r in rows] + [4 * size]) + 2 * pad)
    widths.append(_name_width(t, [r.label for r in rows] + ["科目名称"], size, pad, 15))
    for _, idx in pcols:
        widths.append(
            _amount_width(t, spec, [r.values[idx] for r in t.rows] or [Decimal(0)], size, pad)
        )
    flexible = list(range(a0, a0 + len(pcols))) + ([] if lay.wrap_names else [name_col])

    # header
    R = 3 if split else 2
    hdr = [HCell("项目", 0, 0, 1, ncode + 1)]
    if split:
        hdr.append(HCell("支出功能分类科目编码", 1, 0, 1, 3))
        hdr += [HCell(x, 2, i) for i, x in enumerate("类款项")]
        hdr.append(HCell("科目名称", 1, name_col, R - 1))
    else:
        hdr.append(HCell("功能分类科目编码", 1, 0, R - 1))
        hdr.append(HCell("科目名称", 1, name_col, R - 1))
    group: tuple[int, int] | None = None
    if t.id == "公开05" or (t.id == "公开09" and not is_income_shape_09(t)):
        group = (0, 3)
    elif len(pcols) == 6 and t.id in ("公开08", "公开09"):
        group = (2, 3)
    for j, (c, _) in enumerate(pcols):
        if group and group[0] <= j < group[0] + group[1]:
            hdr.append(HCell(c, 1, a0 + j, R - 1))
        else:
            hdr.append(HCell(c, 0, a0 + j, R))
    if group:
        hdr.append(HCell("本年支出", 0, a0 + group[0], 1, group[1]))
    n_header = R
    if lay.column_numbers:
        hdr.append(HCell("栏次", R, 0, 1, ncode + 1))
        hdr += [HCell(str(j + 1), R, a0 + j) for j in range(len(pcols))]
        n_header += 1

    body: list[list[Cell]] = []
    for r in ordered:
        if r.level == "total":
            cells = [Cell(_label(t, "合计"), 0, ncode + 1, align="center", valign=vn)]
        else:
            code = r.code or ""
            if split:
                parts = [code[:3], code[3:5], code[5:7]]
                cells = [
                    Cell(p, k, align="center", valign=vc, wrap=False)
                    for k, p in enumerate(parts)
                    if p
                ]
            else:
                in_code, in_name = _code_parts(code, lay.code_style)
                cells = [Cell(in_code, 0, valign=vc, wrap=False)]
            label = _label(t, r.label)
            if not split:
                label = in_name + label
            cells.append(Cell(label, name_col, valign=vn))
        if not t.empty:
            cells += [
                _amount_cell(t, spec, r, c, idx, a0 + j, va) for j, (c, idx) in enumerate(pcols)
            ]
        body.append(cells)
    if t.empty:
        body += [[], []]
    return Grid(widths, hdr, n_header, body, flexible, min_lines, [name_col])


def _build_two_sided(t: TableSpec, spec: ReportSpec, size: float) -> Grid:
    lay = t.layout
    pad, _ = _pads(lay.ruled)
    _, vn, va, min_lines = _valigns(t)
    lcols = printed_columns(t, "收入")
    rcols = printed_columns(t, "支出")
    left = [r for r in t.rows if r.section == "收入"]
    right = [r for r in t.rows if r.section == "支出"]
    lt = [r for r in left if r.level == "head" and r.parent is None]
    lb = [r for r in left if not (r.level == "head" and r.parent is None)]
    rt = [r for r in right if r.level == "head"]
    rb = [r for r in right if r.level != "head"]
    n_top = max(len(lt), len(rt))
    n_bot = max(len(lb), len(rb))
    lt_ = lt + [None] * (n_top - len(lt))
    rt_ = rt + [None] * (n_top - len(rt))
    lb_ = lb[:-1] + [None] * (n_bot - len(lb)) + lb[-1:]
    rb_ = rb[:-1] + [None] * (n_bot - len(rb)) + rb[-1:]
    nl = len(lcols)
    r0 = 1 + nl  # first right-side column

    widths = [_name_width(t, [r.label for r in left], size, pad, 17)]
    widths += [_amount_width(t, spec, [r.values[i] for r in left], size, pad) for _, i in lcols]
    widths += [_name_width(t, [r.label for r in right], size, pad, 15)]
    widths += [_amount_width(t, spec, [r.values[i] for r in right], size, pad) for _, i in rcols]
    flexible = [i for i in range(len(widths)) if not (lay.wrap_names and i in (0, r0))]

    out_head = "项目（按支出功能分类）" if t.id == "公开01" else "项目（按功能分类）"
    hdr = [
        HCell("收入", 0, 0, 1, 1 + nl),
        HCell("支出", 0, r0, 1, 1 + len(rcols)),
        HCell("项目", 1, 0),
        HCell(out_head, 1, r0),
    ]
    hdr += [HCell(c, 1, 1 + j) for j, (c, _) in enumerate(lcols)]
    hdr += [HCell(c, 1, r0 + 1 + j) for j, (c, _) in enumerate(rcols)]

    def side(r: Row | None, c0: int, cols: list[tuple[str, int]]) -> list[Cell]:
        if r is None:
            return []
        align = "center" if r.item == "总计" else "left"
        cells = [Cell(_label(t, r.label), c0, align=align, valign=vn)]
        cells += [_amount_cell(t, spec, r, c, i, c0 + 1 + j, va) for j, (c, i) in enumerate(cols)]
        return cells

    body = [
        side(a, 0, lcols) + side(b, r0, rcols)
        for a, b in list(zip(lt_, rt_, strict=True)) + list(zip(lb_, rb_, strict=True))
    ]
    return Grid(widths, hdr, 2, body, flexible, min_lines, [0, r0])


def _build_06(t: TableSpec, spec: ReportSpec, size: float) -> Grid:
    lay = t.layout
    pad, _ = _pads(lay.ruled)
    vc, vn, va, min_lines = _valigns(t)
    nb = 3 if lay.blocks >= 3 else 2
    items = [r for r in t.rows if r.level in ("group", "econ")]
    sums = {r.item: r for r in t.rows if r.level == "sum"}
    pers = [r for r in items if r.code[:3] in PERSONNEL_GROUPS]
    pub = [r for r in items if r.code[:3] not in PERSONNEL_GROUPS]
    if nb == 2:
        nrows = max(len(pers), len(pub))
        blocks = [pers, pub]
    else:
        nrows = max(len(pers), -(-len(pub) // 2))
        blocks = [pers, pub[:nrows], pub[nrows:]]
    all_vals = [r.values[0] for r in t.rows]
    code_w = 4.4 * size + 2 * pad
    amt_w = _amount_width(t, spec, all_vals, size, pad)
    widths: list[float] = []
    flexible: list[int] = []
    for b in range(nb):
        widths += [code_w, _name_width(t, [r.label for r in items], size, pad, 12), amt_w]
        flexible += [3 * b + 2] + ([] if lay.wrap_names else [3 * b + 1])
    hdr = []
    for b in range(nb):
        hdr += [
            HCell("经济分类科目编码", 0, 3 * b),
            HCell("科目名称", 0, 3 * b + 1),
            HCell(lay.amount_header_06, 0, 3 * b + 2),
        ]
    body: list[list[Cell]] = []
    if not t.empty:
        for i in range(nrows):
            cells: list[Cell] = []
            for b, blk in enumerate(blocks):
                if i < len(blk):
                    r = blk[i]
                    in_code, in_name = _code_parts(r.code or "", lay.code_style)
                    cells += [
                        Cell(in_code, 3 * b, valign=vc, wrap=False),
                        Cell(in_name + _label(t, r.label), 3 * b + 1, valign=vn),
                        _amount_cell(t, spec, r, "金额", 0, 3 * b + 2, va),
                    ]
            body.append(cells)
        p, g = sums["人员经费合计"], sums["公用经费合计"]
        body.append(
            [
                Cell(_label(t, "人员经费合计"), 0, 2, align="center", valign=vn),
                _amount_cell(t, spec, p, "金额", 0, 2, va),
                Cell(_label(t, "公用经费合计"), 3, 3 * nb - 4, align="center", valign=vn),
                _amount_cell(t, spec, g, "金额", 0, 3 * nb - 1, va),
            ]
        )
    return Grid(widths, hdr, 1, body, flexible, min_lines, [3 * b + 1 for b in range(nb)])


def _build_07(t: TableSpec, spec: ReportSpec, size: float) -> Grid:
    lay = t.layout
    pad, _ = _pads(lay.ruled)
    _, vn, va, min_lines = _valigns(t)
    pcols = printed_columns(t)
    amt_w = _amount_width(t, spec, [v for r in t.rows for v in r.values], size, pad)
    rows = {r.item: r for r in t.rows}
    if lay.style07 == "grid":
        n = len(pcols)
        widths = [max(amt_w, 4.2 * size + 2 * pad)] * (6 * n)
        # heading groups in print order; each item's columns follow its group's place
        groups = {0: [0], 1: [1], 2: [2, 3, 4], 3: [5]}
        order = [i for g in lay.order07 for i in groups[int(g)]]
        start = {item: n * k for k, item in enumerate(order)}
        names = dict(enumerate(ITEMS_07))
        hdr = []
        kind_row = n == 2 and lay.header07 != "combined"
        if lay.header07 == "nested":
            for item in order:
                if item in (3, 4):
                    continue
                if item == 2:
                    hdr.append(HCell(names[2], 0, start[2], 1, 3 * n))
                    hdr.append(HCell("小计", 1, start[2], 1, n))
                    hdr.append(HCell(names[3], 1, start[3], 1, n))
                    hdr.append(HCell(names[4], 1, start[4], 1, n))
                else:
                    hdr.append(HCell(names[item], 0, start[item], 2, n))
            n_header = 2
        elif lay.header07 == "flat":
            hdr = [HCell(names[item], 0, start[item], 1, n) for item in order]
            n_header = 1
        else:
            hdr = [
                HCell(names[item] + c, 0, start[item] + j, 1, 1)
                for item in order
                for j, (c, _) in enumerate(pcols)
            ]
            n_header = 1
        if kind_row:
            hdr += [
                HCell(c, n_header, start[item] + j)
                for item in order
                for j, (c, _) in enumerate(pcols)
            ]
            n_header += 1
        if t.empty:
            body: list[list[Cell]] = [[]]
        else:
            body = [
                [
                    _amount_cell(t, spec, rows[item], c, i, start[k] + j, va)
                    for k, item in enumerate(ITEMS_07)
                    for j, (c, i) in enumerate(pcols)
                ]
            ]
        return Grid(widths, hdr, n_header, body, list(range(len(widths))), 1)
    # Fujian rows: 项目 | 行次 | (预算数) | 决算数
    labels = dict(zip(ITEMS_07, LABELS_07, strict=True))
    widths = [_name_width(t, list(LABELS_07), size, pad, 16)]
    hdr = [HCell("项目", 0, 0)]
    a0 = 1
    if lay.column_numbers:
        widths.append(2.6 * size + 2 * pad)
        hdr.append(HCell("行次", 0, 1))
        a0 = 2
    widths += [max(amt_w, 4 * size + 2 * pad)] * len(pcols)
    hdr += [HCell(c, 0, a0 + j) for j, (c, _) in enumerate(pcols)]
    body = []
    for n, item in enumerate(ITEMS_07):
        r = rows[item]
        cells = [Cell(_label(t, labels[item]), 0, valign=vn)]
        if lay.column_numbers:
            cells.append(Cell(str(n + 1), 1, align="center", valign=vn, wrap=False))
        if not t.empty:
            cells += [_amount_cell(t, spec, r, c, i, a0 + j, va) for j, (c, i) in enumerate(pcols)]
        body.append(cells)
    return Grid(widths, hdr, 1, body, list(range(len(widths))), min_lines, [0])


_BUILDERS = {
    "公开01": _build_two_sided,
    "公开04": _build_two_sided,
    "公开06": _build_06,
    "公开07": _build_07,
}


def _draw_spec_table(pdf: _Pdf, rec: _Recorder, spec: ReportSpec, t: TableSpec) -> None:
    lay = t.layout
    build = _BUILDERS.get(t.id, _build_coded)
    grid, size = _fit(lambda s: build(t, spec, s), lay.font_size, lay.landscape)
    notes = [NOTES.get(t.id, NOTES["公开05"])] + ([EMPTY_NOTES[t.id]] if t.empty else [])
    pages = _draw_table(
        pdf,
        rec,
        tid=t.id,
        title=t.title,
        number=(t.number or f"公开{t.id[-2:]}表") if lay.titled_number else None,
        org=f"编制单位：{spec.unit}" if lay.org_line else None,
        unit_line=f"单位：{spec.amount_unit}",
        grid=grid,
        size=size,
        ruled=lay.ruled,
        land=lay.landscape,
        continue_after=lay.continue_after,
        repeat_header=lay.repeat_header,
        notes=notes,
    )
    rec.tables[t.id] = {"title": t.title, "pages": pages, "empty": t.empty}


# --------------------------------------------------------------------------------------
# Cover and narrative
# --------------------------------------------------------------------------------------


_CN_DIGITS = "〇一二三四五六七八九"
_CN_MONTHS = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")


def _cover(pdf: _Pdf, spec: ReportSpec) -> None:
    """The cover, as :attr:`ReportSpec.cover` says (the unit wraps over lines when long)."""
    pdf.new_page()
    if spec.cover in ("standard", "mixed"):
        _standard_cover(pdf, spec)
        return
    year, scope, big = spec.year, spec.scope, 26
    cn_next = "".join(_CN_DIGITS[int(d)] for d in str(year + 1))
    unit_lines = wrap(spec.unit, 13 * big, big)
    if spec.cover == "spaced":
        space = " ".join
        lines = [space(f"{year}年度")] + [space(u) for u in unit_lines] + [space(scope)]
    elif spec.cover == "dated":
        lines = unit_lines + [f"{year}年度{scope}", "", "", f"{year + 1}年8月"]
    elif spec.cover == "cn_dated":
        lines = unit_lines + [f"{year}年度{scope}", "", "", f"{cn_next}年{_CN_MONTHS[6]}月"]
    elif spec.cover == "one_line":
        lines = wrap(f"{spec.unit}{year}年度{scope}", 14 * big, big)
    else:  # year_after
        lines = unit_lines + [f"年度{year}{scope}"]
    y = 230.0
    for ln in lines:
        if ln:
            pdf.text(pdf.w / 2, y, ln, big, "center")
        y += 40
    foot = {"dated": "- 1 -", "cn_dated": "第1页", "one_line": "1/30"}.get(spec.cover)
    if foot:
        pdf.text(pdf.w / 2, pdf.h - 30, foot, 9, "center")
    if spec.members:
        y += 80
        pdf.text(MARGIN_X + 40, y, f"纳入{spec.year}年度部门决算编制范围的单位包括：", 11)
        for i, m in enumerate(spec.members, 1):
            y += 20
            pdf.text(MARGIN_X + 60, y, f"{i}. {m}", 11)


def _standard_cover(pdf: _Pdf, spec: ReportSpec) -> None:
    y = 230.0
    if spec.cover == "mixed":
        # the year larger than 年度, both on one visual line, each on its own baseline
        w = text_width(f"{spec.year}", 32) + text_width(" 年度", 26)
        _, x1 = pdf.text(pdf.w / 2 - w / 2, y - 9, f"{spec.year}", 32)
        pdf.text(x1, y, " 年度", 26)
    else:
        pdf.text(pdf.w / 2, y, f"{spec.year} 年度", 26, "center")
    y += 56
    for ln in wrap(spec.unit, 13 * 26, 26):
        pdf.text(pdf.w / 2, y, ln, 26, "center")
        y += 40
    pdf.text(pdf.w / 2, y + 6, spec.scope, 26, "center")
    if spec.members:
        y += 120
        pdf.text(MARGIN_X + 40, y, f"纳入{spec.year}年度部门决算编制范围的单位包括：", 11)
        for i, m in enumerate(spec.members, 1):
            y += 20
            pdf.text(MARGIN_X + 60, y, f"{i}. {m}", 11)


def _pct(d: Decimal, base: Decimal) -> str:
    if base == 0:
        return "0.00"
    return str((abs(d) / base * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _narrative(pdf: _Pdf, spec: ReportSpec) -> None:
    n = spec.narrative
    t01 = spec.table("公开01")
    if n is None or t01 is None:
        return
    vals = {(r.section, r.item): r.values[0] for r in t01.rows}
    grand, inc, exp = (
        vals[("收入", "总计")],
        vals[("收入", "本年收入合计")],
        vals[("支出", "本年支出合计")],
    )

    def change(now: Decimal, prev: Decimal, both: bool = False) -> str:
        d = now - prev
        each = "各" if both else ""
        if d == 0:
            return "与上年决算数持平"
        word, rate = ("增加", "增长") if d > 0 else ("减少", "下降")
        return f"与上年决算数相比，{each}{word} {abs(d):.2f} 万元，{each}{rate} {_pct(d, prev)}%"

    paras = [
        ("h", f"第三部分 {spec.year} 年度{spec.scope}情况说明"),
        ("s", "一、收入支出决算总体情况说明"),
        (
            "p",
            f"{spec.year} 年度收入总计 {grand:.2f} 万元，支出总计 {grand:.2f} 万元，"
            f"{change(grand, n.prev_total, True)}。",
        ),
        ("s", "二、收入决算情况说明"),
        ("p", f"{spec.year} 年度收入 {inc:.2f} 万元，{change(inc, n.prev_income)}。"),
        ("s", "三、支出决算情况说明"),
        ("p", f"{spec.year} 年度支出 {exp:.2f} 万元，{change(exp, n.prev_expense)}。"),
    ]
    pdf.new_page()
    y = MARGIN_TOP + 20
    width = pdf.w - 2 * MARGIN_X - 40
    for kind, text in paras:
        size = {"h": 15, "s": 12, "p": 11}[kind]
        x = pdf.w / 2 if kind == "h" else MARGIN_X + 20
        for i, ln in enumerate(wrap(text, width if kind != "p" else width - 22, size)):
            if kind == "h":
                pdf.text(x, y, ln, size, "center")
            elif kind == "p":
                pdf.runs(x + (22 if i == 0 else 0), y, ln, size)
            else:
                pdf.text(x, y, ln, size)
            y += size * 1.9
        y += 6


# --------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def render(spec: ReportSpec, encrypt: str | None = None) -> Rendered:
    """Draw ``spec``: cover, one table after another (each from a new page), narrative.

    ``encrypt``: a user password (the PDF then needs it to open)."""
    pdf = _Pdf(title=f"{spec.unit}{spec.year}年度{spec.scope}", encrypt=encrypt)
    pdf.shuffled = spec.shuffled
    pdf.mixed = spec.mixed_baselines
    rec = _Recorder()
    _cover(pdf, spec)
    for t in spec.tables:
        _draw_spec_table(pdf, rec, spec, t)
    _narrative(pdf, spec)
    data = pdf.finish()
    return Rendered(data, rec.facts, rec.tables, pdf.page, pdf.sizes, rec.cells)


def render_pdf(spec: ReportSpec) -> bytes:
    return render(spec).pdf


def expected_facts(spec: ReportSpec) -> list[dict]:
    """The facts a correct parser reads from ``render_pdf(spec)`` (docs/facts.md)."""
    return [dict(f) for f in render(spec).facts]


def expected_report(spec: ReportSpec) -> dict:
    """The fixture's expected.json: unit, year, scope, source_unit, tables, facts."""
    r = render(spec)
    return {
        "unit": spec.unit,
        "year": spec.year,
        "scope": spec.scope,
        "amount_unit": "万元",
        "source_unit": spec.amount_unit,
        "pages": r.page_count,
        "tables": {
            tid: {"pages": list(v["pages"]), "empty": v["empty"], "title": v["title"]}
            for tid, v in r.tables.items()
        },
        "facts": expected_facts(spec),
    }


# --------------------------------------------------------------------------------------
# A 预算 (budget) report: looks like a 决算 one, is not one
# --------------------------------------------------------------------------------------


def render_budget_pdf(unit: str = "示例市生态环境局", year: int = 2024) -> bytes:
    """A small 部门预算 report (收入支出预算总表 …, 预算数 columns) with no 决算 table."""
    pdf = _Pdf(title=f"{unit}{year}年部门预算")
    pdf.new_page()
    pdf.text(pdf.w / 2, 260, f"{year} 年部门预算", 26, "center")
    pdf.text(pdf.w / 2, 320, unit, 22, "center")
    size = 9.0
    inc = [
        ("一、一般公共预算拨款收入", "1,286.40"),
        ("二、政府性基金预算拨款收入", "0.00"),
        ("三、事业收入", "35.00"),
        ("四、其他收入", "2.10"),
    ]
    out = [
        ("一、一般公共服务支出", "1,002.61"),
        ("二、社会保障和就业支出", "120.47"),
        ("三、卫生健康支出", "58.12"),
        ("四、住房保障支出", "142.30"),
    ]
    rows = [
        [
            Cell(a, 0),
            Cell(b, 1, align="right", wrap=False),
            Cell(c, 2),
            Cell(d, 3, align="right", wrap=False),
        ]
        for (a, b), (c, d) in zip(inc, out, strict=True)
    ]
    rows += [
        [
            Cell("本年收入合计", 0),
            Cell("1,323.50", 1, align="right"),
            Cell("本年支出合计", 2),
            Cell("1,323.50", 3, align="right"),
        ],
        [
            Cell("上年结转", 0),
            Cell("0.00", 1, align="right"),
            Cell("结转下年", 2),
            Cell("0.00", 3, align="right"),
        ],
        [
            Cell("收入总计", 0, align="center"),
            Cell("1,323.50", 1, align="right"),
            Cell("支出总计", 2, align="center"),
            Cell("1,323.50", 3, align="right"),
        ],
    ]
    hdr = [
        HCell("收入", 0, 0, 1, 2),
        HCell("支出", 0, 2, 1, 2),
        HCell("项目", 1, 0),
        HCell("预算数", 1, 1),
        HCell("项目", 1, 2),
        HCell("预算数", 1, 3),
    ]
    g = Grid([150, 90, 150, 90], hdr, 2, rows)
    common = dict(
        org=f"编制单位：{unit}",
        unit_line="单位：万元",
        size=size,
        ruled=True,
        land=False,
        continue_after=None,
        repeat_header=True,
    )
    _draw_table(
        pdf,
        None,
        tid="",
        title=f"{year}年收入支出预算总表",
        number="表1",
        grid=g,
        notes=["注：本表反映部门年度收支预算情况。"],
        **common,
    )
    hdr2 = [HCell(x, 0, i) for i, x in enumerate(["项目", "预算数", "项目", "预算数"])]
    g2 = Grid([150, 90, 150, 90], hdr2, 1, rows)
    _draw_table(
        pdf,
        None,
        tid="",
        title=f"{year}年财政拨款收支预算总表",
        number="表2",
        grid=g2,
        notes=["注：本表反映部门年度财政拨款收支预算情况。"],
        **common,
    )
    fn = [
        ("201", "一般公共服务支出", "1,002.61", "702.61", "300.00"),
        ("20103", "政府办公厅（室）及相关机构事务", "1,002.61", "702.61", "300.00"),
        ("2010301", "行政运行", "702.61", "702.61", ""),
        ("2010399", "其他政府办公厅（室）及相关机构事务支出", "300.00", "", "300.00"),
        ("208", "社会保障和就业支出", "120.47", "120.47", ""),
        ("20805", "行政事业单位养老支出", "120.47", "120.47", ""),
        ("2080505", "机关事业单位基本养老保险缴费支出", "120.47", "120.47", ""),
    ]
    rows3 = [
        [
            Cell("合计", 0, 2, align="center"),
            Cell("1,123.08", 2, align="right"),
            Cell("823.08", 3, align="right"),
            Cell("300.00", 4, align="right"),
        ]
    ]
    rows3 += [
        [
            Cell(a, 0),
            Cell(b, 1),
            Cell(c, 2, align="right"),
            Cell(d, 3, align="right"),
            Cell(e, 4, align="right"),
        ]
        for a, b, c, d, e in fn
    ]
    hdr3 = [
        HCell("功能分类科目编码", 0, 0, 2),
        HCell("科目名称", 0, 1, 2),
        HCell("预算数", 0, 2, 1, 3),
        HCell("合计", 1, 2),
        HCell("基本支出", 1, 3),
        HCell("项目支出", 1, 4),
    ]
    g3 = Grid([60, 170, 80, 80, 80], hdr3, 2, rows3)
    _draw_table(
        pdf,
        None,
        tid="",
        title=f"{year}年一般公共预算支出功能分类预算表",
        number="表3",
        grid=g3,
        notes=["注：本表反映部门年度一般公共预算支出预算情况。"],
        **common,
    )
    return pdf.finish()
