"""The 绩效自评表 (整体 or 项目) as a :class:`core.records.Performance`.

A scorecard has a funds block (年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分 for
资金总额 / 财政资金 / 其他资金), the indicator table (一级/二级/三级指标, 年度指标值,
实际完成值, 指标分值, 自评得分, 偏差原因分析及改进措施) and closes with 总分 and 评价等级.
一级 and 二级 cells are merged over several rows: where the table is ruled, the rules that
cross their column give each merged cell's extent; where not, a name carries down to the rows
below it until the next one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from core import regex
from core.pdf.extract import Page, Rule, Word, group_lines
from core.records import Box, FundLine, Indicator, Performance
from core.tables.locate import despace, squash

_TITLE_RE = regex.compile(
    r"(?:部门|单位)?整体(?:支出)?绩效自评表|项目(?:支出)?绩效自评表|绩效自评表"
)
_FUND_NAMES = regex.compile(
    r"(?:其中[：:])?(年度资金总额|资金总额|财政资金|财政拨款|其他资金|上年结转资金|本年财政拨款)"
)
_FUND_HEADERS: tuple[tuple[str, str], ...] = (
    ("年初预算", "initial_budget"),
    ("全年预算", "full_year_budget"),
    ("全年执行", "executed"),
    ("执行数", "executed"),
    ("执行率", "execution_rate"),
    ("分值", "weight"),
    ("得分", "score"),
)
_IND_HEADERS: tuple[tuple[str, str], ...] = (
    ("一级指标", "level1"),
    ("二级指标", "level2"),
    ("三级指标", "level3"),
    ("指标值", "target"),
    ("实际完成", "actual"),
    ("实际值", "actual"),
    ("分值", "weight"),
    ("权重", "weight"),
    ("得分", "score"),
    ("偏差", "note"),
)
_GRADE_RE = regex.compile(r"(优秀|良好|合格|不合格|及格|优|良|中|差)")
_NUM_RE = regex.compile(r"^-?\d+(?:\.\d+)?%?$")


def _num(text: str) -> Decimal | None:
    text = text.replace(",", "").rstrip("%")
    if not _NUM_RE.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


# eq and repr left out: nothing compares or prints it, and each generated method is ~0.1 ms
# of a parse process's start (dataclasses compiles its source at import)
@dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Col:
    key: str
    x0: float
    x1: float


def _columns(
    header: list[Word], verticals: list[float], keys: tuple[tuple[str, str], ...]
) -> list[_Col]:
    """Columns named by the header words: by the rules around them, else by midpoints."""
    # join wrapped header fragments that stack in one column ("指标分" / "值")
    frags: list[Word] = []
    for w in sorted(header, key=lambda w: (w.top, w.x0)):
        home = next(
            (
                f
                for f in frags
                if min(f.x1, w.x1) - max(f.x0, w.x0) > 0.5 * min(f.x1 - f.x0, w.x1 - w.x0)
                and 0 <= w.top - f.bottom < 1.5 * w.height
            ),
            None,
        )
        if home is not None:
            frags[frags.index(home)] = Word(
                home.text + w.text, min(home.x0, w.x0), max(home.x1, w.x1), home.top, w.bottom
            )
        else:
            frags.append(w)
    found: list[tuple[str, float]] = []
    for f in frags:
        text = squash(f.text)
        for needle, key in keys:
            if needle in text and key not in (k for k, _ in found):
                found.append((key, f.xc))
                break
    found.sort(key=lambda kv: kv[1])
    cols = []
    for i, (key, xc) in enumerate(found):
        if len(verticals) >= 3:
            left = max((x for x in verticals if x <= xc), default=xc - 30)
            right = min((x for x in verticals if x > xc), default=xc + 30)
        else:
            left = (found[i - 1][1] + xc) / 2 if i else xc - 60
            right = (xc + found[i + 1][1]) / 2 if i + 1 < len(found) else xc + 60
        cols.append(_Col(key, left, right))
    return cols


def _col_of(cols: list[_Col], x: float) -> str | None:
    for c in cols:
        if c.x0 - 1 <= x <= c.x1 + 1:
            return c.key
    return None


def _verticals(rules: tuple[Rule, ...]) -> list[float]:
    xs = sorted({round(r.pos) for r in rules if not r.horizontal})
    out: list[float] = []
    for x in xs:
        if not out or x - out[-1] > 3:
            out.append(x)
    return out


def _horizontals_in(rules: tuple[Rule, ...], x0: float, x1: float) -> list[float]:
    ys = sorted(
        {round(r.pos, 1) for r in rules if r.horizontal and r.start <= x0 + 2 and r.end >= x1 - 2}
    )
    return ys


# eq and repr left out: nothing compares or prints it, and each generated method is ~0.1 ms
# of a parse process's start (dataclasses compiles its source at import)
@dataclass(slots=True, eq=False, repr=False)
class _Card:
    title: str
    kind: str
    pages: list[int]
    lines: list[tuple[Page, list[Word]]]
    head: tuple[Page, list[Word]] | None = None
    """The title line."""


#: A heading of the text sections ("第三部分", "一、…情况说明"): a scorecard never runs past it.
_SECTION_RE = regex.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、.{2,}(?:说明|情况))"
)


def _box(words: list[Word]) -> Box | None:
    """The box around words, rounded to the hundredth of a point."""
    if not words:
        return None
    return (
        round(min(w.x0 for w in words), 2),
        round(min(w.top for w in words), 2),
        round(max(w.x1 for w in words), 2),
        round(max(w.bottom for w in words), 2),
    )


def _find_cards(pages: list[Page]) -> list[_Card]:
    cards: list[_Card] = []
    current: _Card | None = None
    for page in pages:
        # the page's joined lines (join_line's spaces are white space squash takes out)
        for line, joined in zip(page.lines(), page.line_texts(), strict=True):
            text = squash(joined)
            if len(text) < 40 and _TITLE_RE.search(text) and not text.endswith(("说明", "情况")):
                if current is not None and not current.lines:
                    cards.pop()
                kind = "项目" if "项目" in text and "整体" not in text else "整体"
                current = _Card(text, kind, [page.number], [], (page, line))
                cards.append(current)
                continue
            if current is None:
                continue
            if _SECTION_RE.match(text):
                current = None
                continue
            if page.number not in current.pages:
                current.pages.append(page.number)
            current.lines.append((page, line))
            if text.startswith("评价等级") or regex.match(r"^(?:自评)?等级", text):
                current = None
    return [c for c in cards if any("指标" in "".join(w.text for w in ln) for _, ln in c.lines)]


def find_scorecard_bands(pages: list[Page]) -> list[tuple[int, float, float]]:
    """The vertical bands (page, top, bottom) every 绩效自评表 covers, title to 评价等级:
    text there is a table's, never narrative."""
    bands: list[tuple[int, float, float]] = []
    for card in _find_cards(pages):
        lines = ([card.head] if card.head else []) + card.lines
        for number in card.pages:
            words = [w for page, line in lines if page.number == number for w in line]
            if words:
                bands.append((number, min(w.top for w in words), max(w.bottom for w in words)))
    return bands


def parse_performance(pages: list[Page]) -> list[Performance]:
    """Every 绩效自评表 in the report, in page order."""
    return [_read_card(card) for card in _find_cards(pages)]


def _read_card(card: _Card) -> Performance:
    funds: list[FundLine] = []
    indicators: list[Indicator] = []
    total: Decimal | None = None
    total_page: int | None = None
    total_box: Box | None = None
    grade: str | None = None
    project: str | None = None
    fund_cols: list[_Col] = []
    ind_cols: list[_Col] = []
    ind_header_lines: list[tuple[Page, list[Word]]] = []
    ind_words: dict[int, list[Word]] = {}
    ind_pages: list[Page] = []
    merged: dict[str, Decimal] = {}
    goals = False  # past the funds block's last line (预期目标 / 年度总体目标)
    state = "top"
    for page, line in card.lines:
        text = squash("".join(w.text for w in line))
        verticals = _verticals(page.rules)
        if state == "top" and regex.search(r"项目名称", text):
            project = squash("".join(w.text for w in line if "项目名称" not in w.text)) or None
        if regex.search(r"年初预算|全年预算", text) and not fund_cols:
            # a header wrapped in a narrow cell ("年初预算" / "数") has parts just below it
            h = max(w.height for w in line)
            near = [w for w in page.words if abs(w.yc - line[0].yc) < 1.6 * h]
            fund_cols = _columns(near, verticals, _FUND_HEADERS)
            state = "funds"
            continue
        if "一级指标" in text or "三级指标" in text:
            header_words = [w for _, ln in ind_header_lines for w in ln] + line
            # wrapped header parts sit just above and below the line with 一级指标
            near = [
                w
                for w in page.words
                if abs(w.yc - line[0].yc) < 2.2 * line[0].height and w.top < line[0].bottom + 20
            ]
            ind_cols = _columns(near or header_words, verticals, _IND_HEADERS)
            state = "indicators"
            ind_words.setdefault(page.number, [])
            ind_cols_bottom = max(w.bottom for w in near or line)
            ind_words[page.number] = [w for w in page.words if w.top > ind_cols_bottom]
            if page not in ind_pages:
                ind_pages.append(page)
            continue
        if text.startswith("总分") or text.startswith("合计") and state == "indicators":
            nums = [(n, w) for w in line if (n := _num(w.text)) is not None]
            total = nums[-1][0] if nums else None
            if nums:  # the figure's own word: the source view outlines it
                total_page, total_box = page.number, _box([nums[-1][1]])
            state = "end"
            continue
        if text.startswith("评价等级") or regex.match(r"^(?:自评)?等级", text):
            m = _GRADE_RE.search(text.replace("评价等级", "").replace("等级", "", 1))
            grade = m.group(1) if m else None
            continue
        if state == "funds":
            # a merged section label ("项目资金（万元）") may stand on the same line first
            m = _FUND_NAMES.search(text[:24])
            if m and fund_cols:
                values: dict[str, Decimal | None] = {}
                for w in line:
                    key = _col_of(fund_cols, w.xc)
                    n = _num(w.text)
                    if key and n is not None:
                        values[key] = n
                funds.append(
                    FundLine(
                        name=m.group(1),
                        page=page.number,
                        box=_box(line),
                        initial_budget=values.get("initial_budget"),
                        full_year_budget=values.get("full_year_budget"),
                        executed=values.get("executed"),
                        weight=values.get("weight"),
                        execution_rate=values.get("execution_rate"),
                        score=values.get("score"),
                    )
                )
            elif "目标" in text:
                goals = True
            elif fund_cols and funds and not goals and all(_num(w.text) is not None for w in line):
                # a merged 分值 / 得分 cell set between two fund lines: the whole's
                for w in line:
                    key = _col_of(fund_cols, w.xc)
                    n = _num(w.text)
                    if key in ("weight", "score") and n is not None:
                        merged[key] = n
        elif state == "indicators" and page not in ind_pages:
            ind_pages.append(page)
            ind_words[page.number] = list(page.words)
    if funds and merged:
        head = funds[0]
        funds[0] = replace(
            head,
            weight=head.weight if head.weight is not None else merged.get("weight"),
            score=head.score if head.score is not None else merged.get("score"),
        )
    if ind_cols:
        indicators = _read_indicators(ind_pages, ind_words, ind_cols)
    return Performance(
        kind=card.kind,
        title=card.title,
        funds=tuple(funds),
        indicators=tuple(indicators),
        total_score=total,
        grade=grade,
        pages=tuple(card.pages),
        project=project,
        total_page=total_page,
        total_box=total_box,
    )


def _read_indicators(
    pages: list[Page], words: dict[int, list[Word]], cols: list[_Col]
) -> list[Indicator]:
    """Indicator rows: one per band of the 三级指标 column; merged 一级/二级 cells spread over rows."""
    out: list[Indicator] = []
    by_key = {c.key: c for c in cols}
    l3 = by_key.get("level3")
    if l3 is None:
        return out
    carry = {"level1": "", "level2": ""}
    for page in pages:
        ws = [
            w
            for w in words.get(page.number, [])
            if not regex.fullmatch(r"[-—]?\d{1,3}[-—]?|-", w.text)
            or _col_of(cols, w.xc) in ("target", "actual", "weight", "score")
        ]
        # stop at 总分 / 评价等级
        stop = min(
            (w.top for w in ws if squash(w.text).startswith(("总分", "评价等级"))),
            default=page.height,
        )
        ws = [w for w in ws if w.top < stop - 1]
        # rows: bands between rules across the 三级指标 column, else text lines with a 三级 name
        ys = _horizontals_in(page.rules, l3.x0, l3.x1)
        in_cols = [w for w in ws if _col_of(cols, w.xc) is not None]
        if len(ys) >= 2:
            bands = [(a, b) for a, b in zip(ys, ys[1:], strict=False)]
        else:
            starts = sorted(
                {round(w.top) for w in in_cols if _col_of(cols, w.xc) in ("weight", "score")}
            )
            bands = [
                (s - 2, (starts[i + 1] - 2) if i + 1 < len(starts) else stop)
                for i, s in enumerate(starts)
            ]
        rows = []
        for a, b in bands:
            cell = [w for w in in_cols if a <= w.yc < b]
            if not any(_col_of(cols, w.xc) == "level3" for w in cell):
                continue
            rows.append((a, b, cell))
        for a, b, cell in rows:
            values = {
                k: ""
                for k in (
                    "level1",
                    "level2",
                    "level3",
                    "target",
                    "actual",
                    "weight",
                    "score",
                    "note",
                )
            }
            for key in values:
                parts = [w for w in cell if _col_of(cols, w.xc) == key]
                values[key] = despace(
                    "".join("".join(x.text for x in ln) for ln in group_lines(parts))
                )
            for key in ("level1", "level2"):
                col = by_key.get(key)
                if col is None:
                    continue
                merged = _merged_text(page, ws, col, (a + b) / 2)
                if merged is not None:
                    values[key] = merged
                if values[key]:
                    carry[key] = values[key]
                else:
                    values[key] = carry[key]
            out.append(
                Indicator(
                    level1=values["level1"],
                    level2=values["level2"],
                    level3=values["level3"],
                    target=values["target"],
                    actual=values["actual"],
                    weight=_num(values["weight"]),
                    score=_num(values["score"]),
                    note=values["note"],
                    page=page.number,
                    box=_box(cell),
                )
            )
    return out


def _merged_text(page: Page, words: list[Word], col: _Col, y: float) -> str | None:
    """Text of the merged cell of a column that spans height y, from the rules crossing it."""
    ys = _horizontals_in(page.rules, col.x0 + 2, col.x1 - 2)
    if len(ys) < 2:
        return None
    above = max((v for v in ys if v <= y), default=None)
    below = min((v for v in ys if v > y), default=None)
    if above is None or below is None:
        return None
    parts = [w for w in words if col.x0 - 1 <= w.xc <= col.x1 + 1 and above <= w.yc < below]
    return despace("".join("".join(x.text for x in ln) for ln in group_lines(parts)))
