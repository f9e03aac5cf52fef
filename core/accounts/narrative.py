"""Figures stated in the text sections of a report, each with its page and sentence.

The 情况说明 restates the tables in words and adds what the tables lack: last year's totals
and the change, each 项's 全年预算数 against its 决算数, the 三公 budget and counts
(出国团组, 人次, vehicles, 接待批次), 机关运行经费, 政府采购 and assets. Each number of a
sentence is read with the words before it in its clause: what it measures (the topic, carried
over from the clause before when the clause names none) and what kind of figure it is.

Kinds: ``amount`` (万元), ``change`` (万元 against last year, signed), ``growth`` (% against
last year, signed), ``budget`` (全年预算数), ``initial_budget`` (年初预算数), ``actual``
(决算数 of one 项), ``rate`` (完成预算 %), ``share`` (占 %), ``count`` (个, 人次, 辆 …).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from core.pdf.extract import Page
from core.records import Fact, NarrativeFigure
from core.tables.locate import LocatedTable

#: Known topics: (pattern found in a clause, topic name). Most specific first.
DEFAULT_TOPICS: tuple[tuple[str, str], ...] = (
    (r"财政拨款收入支出总计|财政拨款收入总计", "财政拨款收入支出总计"),
    (r"财政拨款支出总计", "财政拨款支出总计"),
    (r"收入支出总计|收支总计", "收入支出总计"),
    (r"收入总计", "收入总计"),
    (r"支出总计", "支出总计"),
    (r"一般公共预算(?:财政)?拨款基本支出", "一般公共预算财政拨款基本支出"),
    (r"一般公共预算(?:财政)?拨款“?三公”?经费|“?三公”?经费", "三公经费"),
    (r"一般公共预算(?:财政拨款)?支出|一般公共预算财政拨款支出", "一般公共预算财政拨款支出"),
    (r"因公出国[（(]境[)）]费", "因公出国（境）费"),
    (r"公务用车购置及运行(?:维护)?费", "公务用车购置及运行维护费"),
    (r"公务用车购置费|公务用车购置支出", "公务用车购置费"),
    (r"公务用车运行(?:维护)?(?:费|支出)", "公务用车运行维护费"),
    (r"公务接待费|国内公务接待", "公务接待费"),
    (r"机关运行经费", "机关运行经费"),
    (r"政府采购", "政府采购"),
    (r"本年收入合计|本年收入|年度收入", "本年收入"),
    (r"本年支出合计|本年支出|年度支出", "本年支出"),
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
_TOPIC_RES = tuple((re.compile(p), t) for p, t in DEFAULT_TOPICS)

_NUMBER = r"(-?\d[\d,]*(?:\.\d+)?)"
_FIGURE_RE = re.compile(_NUMBER + r"(万元|亿元|元|%|％|个|人次|辆|批次|台[（(]套[)）]|台|套|人|分)")
_COUNT_TOPICS: tuple[tuple[str, str], ...] = (
    (r"本单位组织的出国团组|组织.*?出国团组", "组织出国团组"),
    (r"参加其他单位出国团组", "参加其他单位出国团组"),
    (r"出国.*?团组|团组", "出国团组"),
    (r"出国.*?人次|因公出国[（(]境[)）].*?人次", "出国人次"),
    (r"公务用车购置.*?辆|购置.*?辆", "公务用车购置数"),
    (r"保有量", "公务用车保有量"),
    (r"接待.*?批次|批次", "公务接待批次"),
    (r"接待.*?人次", "公务接待人次"),
    (r"外宾", "外宾接待"),
    (r"平均得分", "绩效自评平均得分"),
    (r"得分", "绩效得分"),
    (r"设备.*?台|台[（(]套[)）]$", "大型设备"),
    (r"共有车辆|车辆", "车辆"),
)
_SECTION_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")
_ITEM_RE = re.compile(r"([\u4e00-\u9fff、（）()“”]{2,40}?)[（(]项[)）]")
_ITEM_CODE_RE = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])?(\d{7})([\u4e00-\u9fff（）()“”、]{2,40}?)(?=\d|[（(]|支出|$|，)"
)


@dataclass(slots=True)
class _Sentence:
    text: str
    page: int
    breaks: tuple[tuple[int, int], ...] = ()
    """(offset, page) where the sentence runs on to another page."""

    def page_at(self, offset: int) -> int:
        """The page the character at ``offset`` stands on."""
        page = self.page
        for start, number in self.breaks:
            if offset >= start:
                page = number
        return page


_HEADING_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分|[（(][一二三四五六七八九十]+[)）])[^。；]{0,40}$"
)
_LIST_RE = re.compile(r"^(?:\d{1,2}[.．、](?!\d)|[（(][\d一二三四五六七八九十]{1,3}[)）])")


def _sentences(pages: Iterable[Page], skip: set[int]) -> list[_Sentence]:
    """The text pages as sentences (split at 。；, and before headings and list items), white
    space removed, each knowing the page of every character."""
    out: list[_Sentence] = []
    buf = ""
    first = 0
    breaks: list[tuple[int, int]] = []

    def flush() -> None:
        nonlocal buf, breaks
        if buf:
            out.append(_Sentence(buf, first, tuple(breaks)))
        buf, breaks = "", []

    for page in pages:
        if page.number in skip:
            flush()
            continue
        for line in page.lines():
            text = re.sub(r"\s+", "", "".join(w.text for w in line))
            if not text or re.fullmatch(r"[-—–第]*\d{1,3}[-—–页]*", text):
                continue
            heading = bool(_HEADING_RE.match(text)) and not re.search(
                r"\d+(?:\.\d+)?(?:万元|%)", text
            )
            if heading or _SECTION_RE.match(text) or _LIST_RE.match(text):
                flush()
            for piece in re.split(r"(?<=[。；;])", text):
                if not piece:
                    continue
                if not buf:
                    first = page.number
                elif page.number != (breaks[-1][1] if breaks else first):
                    breaks.append((len(buf), page.number))
                buf += piece
                if piece.endswith(("。", "；", ";")):
                    flush()
            if heading:
                flush()
    flush()
    return out


def _topic(clause: str) -> str | None:
    for regex, topic in _TOPIC_RES:
        if regex.search(clause):
            return topic
    return None


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _item_code(name: str, kuan: str | None, facts: list[Fact]) -> str | None:
    """The 7-digit code of a 项 named in the text, from the tables' coded rows."""
    cands = {f.code for f in facts if f.code and len(f.code) == 7 and f.item == name}
    if len(cands) > 1 and kuan:
        parents = {f.code for f in facts if f.code and len(f.code) == 5 and f.item == kuan}
        cands = {c for c in cands if c[:5] in parents} or cands
    return sorted(cands)[0] if cands else None


def parse_narrative(
    pages: list[Page], located: list[LocatedTable], facts: Iterable[Fact] = ()
) -> list[NarrativeFigure]:
    """Every figure the text sections state, in reading order."""
    facts = list(facts)
    table_pages = {p for t in located for p in t.pages}
    first_table = min(table_pages, default=0)
    # the cover, the contents and the tables themselves are not narrative
    skip = table_pages | {p.number for p in pages if p.number < first_table and _is_front(p)}
    figures: list[NarrativeFigure] = []
    item: tuple[str | None, str | None] = (None, None)  # (code, name) of the 项 in focus
    last_topic: str | None = None
    for sent in _sentences(pages, skip):
        text = sent.text
        if _SECTION_RE.match(text) and not _ITEM_CODE_RE.match(text):
            item = (None, None)
        m_code = _ITEM_CODE_RE.match(re.sub(r"^[（(][一二三四五六七八九十]+[)）]", "", text))
        m_item = _ITEM_RE.search(text)
        if m_code:
            item = (m_code.group(1), m_code.group(2).rstrip("，,"))
        elif m_item:
            kuan = re.search(r"([\u4e00-\u9fff、（）()]{2,30}?)[（(]款[)）]", text)
            name = re.sub(r"^.*[（(]款[)）]", "", m_item.group(1))
            item = (_item_code(name, kuan.group(1) if kuan else None, facts), name)
        elif (
            re.match(r"^(?:[（(][一二三四五六七八九十]+[)）]|\d+[、.．])", text)
            and "（项）" not in text
        ):
            item = (None, None) if not re.search(r"全年预算|决算为|预算为", text) else item
        found, last_topic = _read_sentence(sent, item, last_topic)
        figures.extend(found)
    return figures


def _is_front(page: Page) -> bool:
    text = page.text
    return "目录" in text.replace(" ", "") or len(text) < 120


def _read_sentence(
    sent: _Sentence, item: tuple[str | None, str | None], before: str | None = None
) -> tuple[list[NarrativeFigure], str | None]:
    """The figures of one sentence, and the topic it ends on. ``before``: the topic the
    sentence before ended on, which a sentence that opens on last year ("与上年决算数持平。")
    still speaks of."""
    out: list[NarrativeFigure] = []
    topic: str | None = (
        before if re.match(r"^(?:与|比|较)(?:上年|上一年|\d{4}年)", sent.text) else None
    )
    code, name = item
    in_item = bool(name) and bool(re.search(r"预算|决算|较上年|比上年", sent.text))
    offset = 0
    for clause in re.split(r"[，,：:；;。]", sent.text):
        start = sent.text.find(clause, offset) if clause else offset
        offset = start if start >= 0 else offset
        if not clause:
            continue
        found = _topic(clause)
        klass = re.match(r"^([\u4e00-\u9fff]{2,20})[（(]类[)）]", clause)
        if klass:
            topic = f"{klass.group(1)}（类）"
        elif found and not re.match(r"^(?:占|支出决算|决算)", clause):
            topic = found
        if topic == "政府采购" or (topic or "").startswith("政府采购·"):
            sub = re.search(r"(货物|工程|服务|中小企业|小微企业)", clause)
            topic = f"政府采购·{sub.group(1)}" if sub else "政府采购"
        for m in _FIGURE_RE.finditer(clause):
            value = _decimal(m.group(1))
            if value is None:
                continue
            unit = m.group(2).replace("％", "%").replace("(", "（").replace(")", "）")
            before = clause[: m.start()]
            after = clause[m.end() : m.end() + 6]
            if re.search(r"单价|单位价值|价值$", before[-6:]) or after.startswith(
                ("（含）以上", "以上")
            ):
                continue  # a threshold, not a figure
            if unit in ("万元", "亿元", "元"):
                if unit == "亿元":
                    value *= 10000
                elif unit == "元":
                    value = (value / 10000).quantize(Decimal("0.01"))
                unit = "万元"
                kind = _amount_kind(before)
            elif unit == "%":
                kind = _percent_kind(before)
            elif unit == "分":
                kind = "score"
            else:
                kind = "count"
            if kind in ("change", "growth") and re.search(r"减少|下降|降低|减", before[-8:]):
                value = -value
            fig_topic = topic
            fig_code = fig_item = None
            if kind in ("count", "score"):
                fig_topic = _count_topic(clause[: m.end()]) or topic
            elif in_item and (
                kind in ("budget", "initial_budget", "actual", "rate")
                or (topic is None and kind in ("amount", "change", "growth"))
            ):
                fig_topic, fig_code, fig_item = "功能分类项", code, name
                if kind == "amount":
                    kind = "actual"
            elif topic is None:
                fig_topic = _phrase(before)
            if not fig_topic:
                continue
            out.append(
                NarrativeFigure(
                    topic=fig_topic,
                    kind=kind,
                    value=value,
                    page=sent.page_at(offset + m.start()),
                    sentence=sent.text,
                    code=fig_code,
                    item=fig_item,
                    unit=unit,
                )
            )
        level = re.search(r"(?:与|比|较)(?:上年|上一年|\d{4}年度?).{0,12}持平|基本持平", clause)
        if level and topic and not _FIGURE_RE.search(clause):
            target, tcode, titem = ("功能分类项", code, name) if in_item else (topic, None, None)
            out.append(
                NarrativeFigure(
                    topic=target,
                    kind="change",
                    value=Decimal(0),
                    page=sent.page_at(offset),
                    sentence=sent.text,
                    code=tcode,
                    item=titem,
                    unit="万元",
                )
            )
    return out, topic


def _amount_kind(before: str) -> str:
    tail = before[-10:]
    if re.search(r"增加|减少|增长|下降|降低|多|少", tail):
        return "change"
    if re.search(r"全年预算(?:数)?(?:为|是)?$|调整预算(?:数)?(?:为)?$", tail):
        return "budget"
    if re.search(r"年初预算(?:数)?(?:为|是)?$|预算(?:数)?(?:为|是)?$", tail):
        return "initial_budget" if "年初" in tail else "budget"
    if re.search(r"决算(?:数)?(?:为|是)?$", tail):
        return "actual"
    return "amount"


def _percent_kind(before: str) -> str:
    tail = before[-12:]
    if re.search(r"完成.*预算|预算.*完成|执行率", tail):
        return "rate"
    if re.search(r"占", tail):
        return "share"
    if re.search(r"增长|下降|降低|增加|减少|上升", tail):
        return "growth"
    return "rate"


def _count_topic(text: str) -> str | None:
    for pattern, topic in _COUNT_TOPICS:
        if re.search(pattern, text):
            return topic
    return None


def _phrase(before: str) -> str | None:
    """The noun phrase just before a number, as a topic of its own."""
    m = re.search(r"([\u4e00-\u9fff（）“”]{2,20})(?:为|是|共计|合计|计)?$", before)
    if not m:
        return None
    phrase = re.sub(r"^(?:其中|主要|包括|\d{4}年度?|本年度?|全年)", "", m.group(1))
    return phrase if len(phrase) >= 2 else None
