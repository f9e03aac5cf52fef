"""Figures stated in the text sections, against the hand-checked golden spots and the
hand-written narrative fixtures (tests/fixtures/make_narrative_fixtures.py)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pdfplumber
import pytest
from conftest import CORPUS, FIXTURES, GOLDEN, SAMPLE_PDF

from core.accounts.contract import report_dict
from core.accounts.narrative import parse_narrative
from core.accounts.parse import parse_report
from core.pdf.extract import Page, extract_pages
from core.records import Fact, NarrativeFigure, Report
from core.tables.locate import LocatedTable, Region

PUTUO = CORPUS / "putuo-shehuigongzuobu-2024-bumen-juesuan.pdf"
CASES = {
    "putuo-shehuigongzuobu-2024-bumen-juesuan": PUTUO,
    "fujian-12345-2024-danwei-juesuan": SAMPLE_PDF,
}


@cache
def report(path: Path) -> Report:
    return parse_report(path)


@cache
def pages(path: Path) -> list[Page]:
    return extract_pages(path.read_bytes())


def _spots(name: str) -> list[dict]:
    spots = json.loads((GOLDEN / f"{name}.json").read_text("utf-8"))["narrative_spot"]
    return [s for s in spots if s["value"] is not None and "no figure" not in s.get("note", "")]


def _rows(figures: tuple[NarrativeFigure, ...] | list[NarrativeFigure]) -> set[tuple]:
    return {(f.topic, f.kind, f.value, f.unit, f.item) for f in figures}


# -- the two real reports ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_golden_figure_is_read_with_its_page_and_sentence(name: str) -> None:
    figures = report(CASES[name]).narrative
    missing = []
    for spot in _spots(name):
        want = Decimal(spot["value"])
        hits = [
            f
            for f in figures
            if abs(f.value) == want
            and f.page == spot["page"]
            and spot["sentence_contains"] in re.sub(r"\s", "", f.sentence)
        ]
        if spot.get("code"):
            hits = [f for f in hits if f.code == spot["code"]]
        if not hits:
            missing.append(spot)
    assert missing == []


def test_item_budget_and_actual_by_code() -> None:
    figures = report(PUTUO).narrative
    by_code = {(f.code, f.kind): f.value for f in figures if f.topic == "功能分类项"}
    assert by_code[("2013901", "budget")] == Decimal("52.00")
    assert by_code[("2013901", "actual")] == Decimal("51.32")
    assert by_code[("2210203", "budget")] == Decimal("11.72")
    # all nine 项 the text lists, each with its 全年预算 and 决算
    assert len({c for c, k in by_code if k == "budget"}) == 9
    assert len({c for c, k in by_code if k == "actual"}) == 9


def test_putuo_figures_by_subject_and_kind() -> None:
    """Transcribed from the page images of pages 18, 21 and 22."""
    got = {(f.topic, f.kind, f.value, f.page) for f in report(PUTUO).narrative}
    want = {
        ("一般公共预算财政拨款支出", "initial_budget", Decimal("0"), 18),
        ("一般公共预算财政拨款支出", "budget", Decimal("321.02"), 18),
        ("一般公共预算财政拨款支出", "actual", Decimal("307.82"), 18),
        ("一般公共预算财政拨款支出", "rate", Decimal("95.89"), 18),
        ("一般公共服务支出（类）", "share", Decimal("86.05"), 18),
        ("绩效目标·涉及预算金额", "amount", Decimal("175.52"), 21),
        ("绩效自评·涉及预算金额", "amount", Decimal("175.52"), 21),
        ("机关运行经费", "change", Decimal("10.23"), 21),
        ("政府采购", "amount", Decimal("21.07"), 22),
        ("政府采购·货物", "amount", Decimal("21.07"), 22),
        ("政府采购·工程", "amount", Decimal("0"), 22),
        ("政府采购·服务", "amount", Decimal("0"), 22),
        ("车辆", "count", Decimal("0"), 22),
    }
    assert want <= got
    # 工程 and 服务 are never read as 货物 (the clause, not the sentence, names the kind)
    assert ("政府采购·货物", "amount", Decimal("0"), 22) not in got


def test_sample_figures_by_subject_and_kind() -> None:
    """Transcribed from the seed text (the sample's own text), pages from its 目录."""
    got = {(f.topic, f.kind, f.value, f.unit) for f in report(SAMPLE_PDF).narrative}
    want = {
        ("本年支出", "change", Decimal("10.24"), "万元"),
        ("一般公共预算财政拨款支出", "growth", Decimal("5.10"), "%"),
        ("财政拨款收入支出总计", "change", Decimal("42.94"), "万元"),
        ("三公经费", "amount", Decimal("0"), "万元"),
        ("三公经费", "rate", Decimal("0"), "%"),
        ("公务接待费", "change", Decimal("0"), "万元"),
        ("公务用车保有量", "count", Decimal("0"), "辆"),
        ("组织出国团组", "count", Decimal("0"), "个"),
        ("绩效自评·涉及财政拨款资金", "amount", Decimal("319.08"), "万元"),
    }
    assert want <= got
    # "2024 年公务用车购置 0 辆，与上年决算数持平": the level is the count's, not 购置费's
    assert ("公务用车购置费", "change", Decimal("0"), "万元") not in got


def test_change_and_growth_are_signed() -> None:
    figures = report(SAMPLE_PDF).narrative
    income = {f.kind: f.value for f in figures if f.topic == "本年收入" and f.page == 17}
    assert income["amount"] == Decimal("243.54")
    assert income["change"] == Decimal("-32.59")
    assert income["growth"] == Decimal("-11.80")


def test_each_total_gets_the_change_stated_for_both() -> None:
    """ "收入总计…，支出总计…，与上年决算数相比，各增加 42.94 万元" (sample p17)."""
    figures = [f for f in report(SAMPLE_PDF).narrative if f.page == 17 and f.kind == "change"]
    assert {(f.topic, f.value) for f in figures if f.topic.endswith("总计")} == {
        ("收入总计", Decimal("42.94")),
        ("支出总计", Decimal("42.94")),
    }


def test_counts_take_their_subject_from_their_unit() -> None:
    """ "累计接待 0 批次、0 人次" (sample p19): the 人次 are 公务接待人次, not 批次."""
    counts = {(f.topic, f.unit) for f in report(SAMPLE_PDF).narrative if f.kind == "count"}
    assert ("公务接待批次", "批次") in counts
    assert ("公务接待人次", "人次") in counts
    assert ("公务接待批次", "人次") not in counts


def test_tables_and_scorecards_are_never_narrative() -> None:
    """The sample's 绩效自评表 (pp. 23–24) and its 公开 tables (pp. 5–15) hold no sentence."""
    figures = report(SAMPLE_PDF).narrative
    assert [f for f in figures if f.page in range(5, 16) or f.page in (23, 24)] == []
    assert not [f for f in figures if f.kind == "count" and f.value == 88]
    assert not [f for f in figures if f.topic == "三公经费" and f.kind == "rate" and f.value > 0]


def test_rates_of_things_the_report_does_not_budget_are_left_out() -> None:
    """ "按时办理率 99.94%" (sample p3) is no budget rate: its kind is not plain."""
    assert [f for f in report(SAMPLE_PDF).narrative if f.page == 3] == []


def test_narrative_checks_compare_text_with_tables() -> None:
    checks = [c for c in report(PUTUO).checks if c.kind == "narrative"]
    assert len(checks) >= 15 and all(c.ok for c in checks)


def test_level_with_last_year_is_a_change_of_zero_and_template_advice_is_not() -> None:
    sample = report(SAMPLE_PDF).narrative
    level = [f for f in sample if f.kind == "change" and f.value == 0 and f.topic == "三公经费"]
    assert level and "与上年决算数持平" in level[0].sentence
    template = report(CORPUS / "bumen-juesuan-template-2024.pdf").narrative
    assert template == ()  # "XXX 万元" and "（如持平作持平表述）" state nothing


# -- fixtures ------------------------------------------------------------------------------------

ITEMS_PDF = FIXTURES / "narrative-items.pdf"
ITEM_FACTS = [
    Fact("公开05", None, None, "2010601", "行政运行", "合计", Decimal("1511.89"), 9),
    Fact("公开05", None, None, "2010608", "财政委托业务支出", "合计", Decimal("398.10"), 9),
    Fact(
        "公开05",
        None,
        None,
        "2080505",
        "机关事业单位基本养老保险缴费支出",
        "合计",
        Decimal("118.75"),
        9,
    ),  # fmt: skip
    Fact("公开05", None, None, "2210201", "住房公积金", "合计", Decimal("197.68"), 9),
]
ITEMS_WANT = {
    # the whole, then each 项 with 年初预算 and 决算 (and the rate where stated)
    ("一般公共预算财政拨款支出", "initial_budget", Decimal("2312.61"), None),
    ("一般公共预算财政拨款支出", "actual", Decimal("2226.42"), None),
    ("一般公共预算财政拨款支出", "rate", Decimal("96.27"), None),
    ("功能分类项", "initial_budget", Decimal("1517.04"), "2010601"),
    ("功能分类项", "actual", Decimal("1511.89"), "2010601"),
    ("功能分类项", "rate", Decimal("99.66"), "2010601"),
    ("功能分类项", "initial_budget", Decimal("450.52"), "2010608"),
    ("功能分类项", "actual", Decimal("398.10"), "2010608"),
    ("功能分类项", "initial_budget", Decimal("120.00"), "2080505"),
    ("功能分类项", "actual", Decimal("118.75"), "2080505"),
    ("功能分类项", "rate", Decimal("98.96"), "2080505"),
    ("功能分类项", "initial_budget", Decimal("225.05"), "2210201"),
    ("功能分类项", "actual", Decimal("197.68"), "2210201"),
    ("一般公共预算财政拨款基本支出", "amount", Decimal("1630.64"), None),
}


def _by_code(figures: list[NarrativeFigure]) -> set[tuple]:
    return {(f.topic, f.kind, f.value, f.code) for f in figures}


def test_items_each_with_initial_budget_and_actual() -> None:
    """Every 项 the text lists, 年初预算 and 决算 each; "决算数小于年初预算数 5.15 万元" and
    "相比减少 27.37 万元" are differences, not figures of their own."""
    figures = parse_narrative(pages(ITEMS_PDF), [], ITEM_FACTS)
    assert _by_code(figures) == ITEMS_WANT


def test_ambiguous_subjects_and_kinds_are_left_out() -> None:
    figures = parse_narrative(pages(FIXTURES / "narrative-ambiguous.pdf"), [])
    assert _rows(figures) == {
        ("本年收入", "amount", Decimal("500.00"), "万元", None),
        ("本年收入", "change", Decimal("20.00"), "万元", None),
        ("本年收入", "growth", Decimal("4.17"), "%", None),
        # "…减少 30.00 万元，主要原因是人员经费减少 25.00 万元；项目支出 100.00 万元。"
        ("本年支出", "amount", Decimal("600.00"), "万元", None),
        ("本年支出", "change", Decimal("-30.00"), "万元", None),
        ("项目支出", "amount", Decimal("100.00"), "万元", None),
        # "行政运行（项）支出决算为 80.00 万元，比上年决算数增加 5.00 万元，增长 6.67%。"
        ("功能分类项", "actual", Decimal("80.00"), "万元", "行政运行"),
        ("功能分类项", "change", Decimal("5.00"), "万元", "行政运行"),
        ("功能分类项", "growth", Decimal("6.67"), "%", "行政运行"),
        ("公务接待批次", "count", Decimal("3"), "批次", None),
        ("公务接待人次", "count", Decimal("20"), "人次", None),
        ("外宾接待批次", "count", Decimal("1"), "批次", None),
        ("外宾接待人次", "count", Decimal("4"), "人次", None),
    }


THREE_PUBLIC_WANT = {
    ("三公经费", "initial_budget", Decimal("20.00"), "万元", None),
    ("三公经费", "actual", Decimal("15.50"), "万元", None),
    ("三公经费", "rate", Decimal("77.50"), "%", None),
    ("因公出国（境）费", "actual", Decimal("3.00"), "万元", None),
    ("因公出国（境）费", "rate", Decimal("60.00"), "%", None),
    ("公务用车购置及运行维护费", "actual", Decimal("9.50"), "万元", None),
    ("公务用车购置及运行维护费", "rate", Decimal("95.00"), "%", None),
    ("公务接待费", "actual", Decimal("3.00"), "万元", None),
    ("公务接待费", "rate", Decimal("60.00"), "%", None),
    ("三公经费", "change", Decimal("-1.20"), "万元", None),
    ("三公经费", "growth", Decimal("-7.19"), "%", None),
    ("因公出国（境）费", "change", Decimal("0.50"), "万元", None),
    ("因公出国（境）费", "growth", Decimal("20.00"), "%", None),
    ("公务用车购置及运行维护费", "change", Decimal("-1.70"), "万元", None),
    ("公务用车购置及运行维护费", "growth", Decimal("-15.18"), "%", None),
    ("公务接待费", "change", Decimal("0"), "万元", None),
    ("因公出国（境）费", "amount", Decimal("3.00"), "万元", None),
    ("出国团组", "count", Decimal("1"), "个", None),
    ("出国人次", "count", Decimal("4"), "人次", None),
    ("公务用车购置及运行维护费", "amount", Decimal("9.50"), "万元", None),
    ("公务用车购置费", "amount", Decimal("0"), "万元", None),
    ("公务用车运行维护费", "amount", Decimal("9.50"), "万元", None),
    ("公务用车保有量", "count", Decimal("3"), "辆", None),
    ("公务接待费", "amount", Decimal("3.00"), "万元", None),
    ("公务接待批次", "count", Decimal("12"), "批次", None),
    ("公务接待人次", "count", Decimal("96"), "人次", None),
    ("外宾接待批次", "count", Decimal("2"), "批次", None),
    ("外宾接待人次", "count", Decimal("10"), "人次", None),
}


def _region_of_last_line(page: Page) -> LocatedTable:
    """A located table region over the page's last text line (the fixture's plain block)."""
    last = page.lines()[-1]
    top, bottom = min(w.top for w in last), max(w.bottom for w in last)
    return LocatedTable("公开01", "收入支出决算总表", (Region(page.number, top, bottom, False),))


def test_three_public_budget_actual_change_and_counts() -> None:
    """The 三公 section read whole; the ruled and the unruled grid below it (a scorecard's
    rows: 90%, 95%, 88个) are never sentences, nor is a located table region."""
    (page,) = pages(FIXTURES / "narrative-three-public.pdf")
    figures = parse_narrative([page], [_region_of_last_line(page)])
    assert _rows(figures) == THREE_PUBLIC_WANT


def test_a_located_region_is_what_keeps_its_text_out() -> None:
    """Without the region the same plain block is read: the region, not chance, excludes it."""
    (page,) = pages(FIXTURES / "narrative-three-public.pdf")
    extra = _rows(parse_narrative([page], [])) - THREE_PUBLIC_WANT
    assert extra == {
        ("本年收入", "amount", Decimal("888.00"), "万元", None),
        ("本年收入", "change", Decimal("88.00"), "万元", None),
        ("本年收入", "growth", Decimal("11.00"), "%", None),
    }


def test_shuffled_stream_and_mixed_baselines_read_as_printed() -> None:
    """Lines written in shuffled order, and 1,511.89 set larger on a lower baseline than its
    line: the same figures as the plain page (needs lines grouped by geometry)."""
    figures = parse_narrative(pages(FIXTURES / "narrative-shuffled.pdf"), [], ITEM_FACTS)
    assert _by_code(figures) == ITEMS_WANT


# -- boxes ---------------------------------------------------------------------------------------

BOX_CASES = {
    "sample": SAMPLE_PDF,
    "putuo": PUTUO,
    "items": ITEMS_PDF,
    "three-public": FIXTURES / "narrative-three-public.pdf",
}


def _inside(box: tuple[float, float, float, float], x: float, y: float) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _figures(name: str) -> list[NarrativeFigure]:
    path = BOX_CASES[name]
    if path in CASES.values():
        return list(report(path).narrative)
    return parse_narrative(pages(path), [])


@pytest.mark.parametrize("name", sorted(BOX_CASES))
def test_a_figure_box_holds_the_printed_number(name: str) -> None:
    """The glyphs (pdfplumber's own characters) whose centres lie in a figure's box read as
    the printed number ("持平" for a stated level); the sentence box holds the number's box;
    a number printed as a word of its own (core.pdf.extract) lies inside the box whole."""
    path = BOX_CASES[name]
    figures = _figures(name)
    assert figures
    by_page = {p.number: p for p in pages(path)}
    wrong = []
    with pdfplumber.open(path) as pdf:
        for fig in figures:
            assert fig.box is not None and fig.sentence_box is not None
            box, outer = fig.box, fig.sentence_box
            assert outer[0] <= box[0] and outer[1] <= box[1]
            assert box[2] <= outer[2] and box[3] <= outer[3]
            chars = [
                c
                for c in pdf.pages[fig.page - 1].chars
                if _inside(box, (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2)
            ]
            text = "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"])).strip()
            text = text.replace(" ", "")
            words = [
                w.text
                for w in by_page[fig.page].words
                if box[0] - 0.5 <= w.x0 and w.x1 <= box[2] + 0.5 and _inside(box, w.xc, w.yc)
            ]
            if text == "持平" and fig.value == 0:
                continue
            number = text.replace(",", "")
            ok = re.fullmatch(r"-?\d+(?:\.\d+)?", number) and abs(Decimal(number)) == abs(fig.value)
            if not ok or words not in ([], [text]):
                wrong.append((fig.page, fig.topic, fig.kind, fig.value, text, words))
    assert wrong == []


def test_contract_carries_the_boxes() -> None:
    data = report_dict(report(PUTUO))
    figures = data["narrative"]["figures"]
    assert figures and all(len(f["box"]) == 4 and len(f["sentence_box"]) == 4 for f in figures)
    first = figures[0]
    assert first["box"][0] < first["box"][2] and first["box"][1] < first["box"][3]
    json.dumps(data)  # plain numbers only


def test_an_item_code_comes_from_the_kuan_the_text_names() -> None:
    """Two 项 named 行政运行 in the tables: the text's 财政事务（款） picks 2010601; with no 款
    rows to tell them apart the 项 gets no code rather than a guessed one."""
    other = Fact("公开05", None, None, "2010101", "行政运行", "合计", Decimal("80.00"), 9)
    kuan = [
        Fact("公开05", None, None, "20101", "人大事务", "合计", Decimal("80.00"), 9),
        Fact("公开05", None, None, "20106", "财政事务", "合计", Decimal("1909.99"), 9),
    ]

    def code_of_1511(facts: list[Fact]) -> str | None:
        figures = parse_narrative(pages(ITEMS_PDF), [], facts)
        (fig,) = [f for f in figures if f.value == Decimal("1511.89")]
        return fig.code

    assert code_of_1511([*ITEM_FACTS, other, *kuan]) == "2010601"
    assert code_of_1511([*ITEM_FACTS, other]) is None


def test_a_text_calling_the_years_total_by_the_grand_totals_name_is_no_false_alarm(
    sample_report,
) -> None:
    # real texts call 本年收入合计 "收入总计" (西南大学; a 四川 report does so for 财政拨款收入总计):
    # a figure equal to that printed total passes, naming it; any other figure still fails
    from dataclasses import replace as _replace

    from core.accounts.checks import check_narrative
    from core.records import NarrativeFigure

    f01 = sample_report.facts_of("公开01")
    grand = next(f for f in f01 if f.section == "收入" and f.item == "总计")
    year = next(f for f in f01 if f.section == "收入" and f.item.endswith("本年收入合计"))
    assert grand.value != year.value
    said = "本年度收入总计X万元。"

    def checked(value: Decimal):
        fig = NarrativeFigure("收入总计", "amount", value, 17, said)
        (check,) = check_narrative(_replace(sample_report, narrative=(fig,)))
        return check

    loose = checked(year.value)
    assert loose.ok and "本年收入合计" in loose.rule and loose.facts == (year,)
    assert checked(grand.value).ok and checked(grand.value).facts == (grand,)
    wrong = checked(year.value + Decimal("1.00"))
    assert not wrong.ok and wrong.facts == (grand,)
