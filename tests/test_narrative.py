"""Figures stated in the text sections, against the hand-checked golden spots."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from conftest import CORPUS, GOLDEN, SAMPLE_PDF

from core.accounts.parse import parse_report

CASES = {
    "putuo-shehuigongzuobu-2024-bumen-juesuan": CORPUS
    / "putuo-shehuigongzuobu-2024-bumen-juesuan.pdf",
    "fujian-12345-2024-danwei-juesuan": SAMPLE_PDF,
}


def _spots(name: str) -> list[dict]:
    spots = json.loads((GOLDEN / f"{name}.json").read_text("utf-8"))["narrative_spot"]
    return [s for s in spots if s["value"] is not None and "no figure" not in s.get("note", "")]


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_golden_figure_is_read_with_its_page_and_sentence(name: str) -> None:
    figures = parse_report(CASES[name]).narrative
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
    figures = parse_report(CORPUS / "putuo-shehuigongzuobu-2024-bumen-juesuan.pdf").narrative
    by_code = {(f.code, f.kind): f.value for f in figures if f.topic == "功能分类项"}
    assert by_code[("2013901", "budget")] == Decimal("52.00")
    assert by_code[("2013901", "actual")] == Decimal("51.32")
    assert by_code[("2210203", "budget")] == Decimal("11.72")
    assert len({c for c, k in by_code if k == "budget"}) == 9


def test_change_and_growth_are_signed() -> None:
    figures = parse_report(SAMPLE_PDF).narrative
    income = {f.kind: f.value for f in figures if f.topic == "本年收入" and f.page == 17}
    assert income["amount"] == Decimal("243.54")
    assert income["change"] == Decimal("-32.59")
    assert income["growth"] == Decimal("-11.80")


def test_narrative_checks_compare_text_with_tables() -> None:
    checks = [
        c
        for c in parse_report(CORPUS / "putuo-shehuigongzuobu-2024-bumen-juesuan.pdf").checks
        if c.kind == "narrative"
    ]
    assert len(checks) >= 15 and all(c.ok for c in checks)


def test_level_with_last_year_is_a_change_of_zero_and_template_advice_is_not() -> None:
    sample = parse_report(SAMPLE_PDF).narrative
    level = [f for f in sample if f.kind == "change" and f.value == 0 and f.topic == "三公经费"]
    assert level and "与上年决算数持平" in level[0].sentence
    template = parse_report(CORPUS / "bumen-juesuan-template-2024.pdf").narrative
    assert template == ()  # "XXX 万元" and "（如持平作持平表述）" state nothing
