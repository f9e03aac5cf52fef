"""Tests of the synthetic report generator (tests/pdfgen) and its fixtures."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings

TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from pdfgen import (  # noqa: E402
    PLANT_SITES,
    TABLE_IDS,
    cell_values,
    consistent_report,
    expected_facts,
    failing,
    fmt_amount,
    identities,
    norm_name,
    plant_error,
    render,
    with_layout,
)
from pdfgen.strategies import report_specs  # noqa: E402
from pdfgen.verify import check_pdf  # noqa: E402

FIXTURES = TESTS / "fixtures"
FACT_KEYS = ["table", "section", "parent", "code", "item", "column", "value", "page"]


def _make_fixtures():
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


MF = _make_fixtures()
QUIRKS = MF._quirks()


# ---- the generator's amounts ----------------------------------------------------------


@pytest.mark.parametrize("unit", ["万元", "元", "亿元"])
@pytest.mark.parametrize("seed", range(0, 40, 3))
def test_consistent_report_satisfies_every_identity(seed: int, unit: str) -> None:
    spec = consistent_report(seed, amount_unit=unit, empty=() if seed % 2 else None)
    assert failing(spec) == []
    assert len(identities(spec)) > 100
    v = cell_values(spec)

    def g(t, item, col, section=None, code=None, parent=None):
        return v[(t, section, parent, code, item, col)]

    # the core identities, read directly (independent of identities.py)
    use = next(k[4] for k in v if k[0] == "公开01" and k[4].startswith("使用非财政拨款结余"))
    total_in = g("公开01", "总计", "决算数", "收入")
    assert total_in == g("公开01", "本年收入合计", "决算数", "收入") + g(
        "公开01", use, "决算数", "收入"
    ) + g("公开01", "年初结转和结余", "决算数", "收入")
    assert total_in == g("公开01", "本年支出合计", "决算数", "支出") + g(
        "公开01", "结余分配", "决算数", "支出"
    ) + g("公开01", "年末结转和结余", "决算数", "支出")
    assert g("公开01", "本年收入合计", "决算数", "收入") == g("公开02", "合计", "本年收入合计")
    assert g("公开01", "本年支出合计", "决算数", "支出") == g("公开03", "合计", "本年支出合计")
    assert g("公开02", "合计", "财政拨款收入") == g(
        "公开04", "本年收入合计", spec.table("公开04").cols("收入")[0], "收入"
    )
    sub05 = spec.table("公开05").cols(None)[0]
    assert g("公开04", "本年支出合计", "一般公共预算财政拨款", "支出") == g("公开05", "合计", sub05)
    assert g("公开05", "合计", "基本支出") == g("公开06", "人员经费合计", "金额") + g(
        "公开06", "公用经费合计", "金额"
    )
    assert g("公开06", "人员经费合计", "金额") == sum(
        x for k, x in v.items() if k[0] == "公开06" and k[3] in ("301", "303")
    )
    car = g("公开07", "公务用车购置及运行维护费", "决算数")
    assert car == g("公开07", "公务用车购置费", "决算数") + g(
        "公开07", "公务用车运行维护费", "决算数"
    )
    assert g("公开07", "合计", "决算数") == g("公开07", "因公出国（境）费", "决算数") + car + g(
        "公开07", "公务接待费", "决算数"
    )
    for tid in ("公开02", "公开03", "公开05"):  # every row: 类 = Σ款 = Σ项 in every column
        rows = spec.table(tid).rows
        for r in rows:
            if r.level in ("class", "kuan"):
                n = len(r.code) + 2
                kids = [
                    c for c in rows if c.code and len(c.code) == n and c.code.startswith(r.code)
                ]
                for i in range(len(r.values)):
                    assert r.values[i] == sum(c.values[i] for c in kids)
    for x in v.values():  # whole cents (whole 万元 for 亿元 reports), never negative
        assert x >= 0 and x == x.quantize(Decimal("0.01"))
        if unit == "亿元":
            assert x == x.to_integral_value()


@pytest.mark.parametrize("site", PLANT_SITES)
def test_plant_error_breaks_exactly_the_identities_reading_the_cell(site: str) -> None:
    spec = consistent_report(5, empty=(), three_public_zero=False)
    bad, should_fail = plant_error(spec, site)
    assert should_fail and failing(bad) == should_fail
    changed = [k for k, x in cell_values(bad).items() if cell_values(spec)[k] != x]
    assert len(changed) == 1
    assert all(changed[0][0][-2:] in name for name in should_fail)


def test_norm_name_and_amount_format() -> None:
    assert norm_name("其中：（1）公务用车购置费") == "公务用车购置费"
    assert norm_name("行政事 业单 位养 老支 出") == "行政事业单位养老支出"
    assert norm_name("一、一般公共预算财政拨款收入") == "一般公共预算财政拨款收入"
    assert norm_name("1.因公出国（境）费") == "因公出国（境）费"
    assert norm_name("使用非财政拨款结余（含专用结余）") == "使用非财政拨款结余（含专用结余）"
    assert fmt_amount(Decimal("243.54"), "元", thousands=True) == "2,435,400.00"
    assert fmt_amount(Decimal("12345.00"), "亿元") == "1.2345"
    assert fmt_amount(Decimal("0"), "万元", "—") == "—"
    assert fmt_amount(Decimal("0"), "万元", "blank") == ""
    with pytest.raises(ValueError):
        fmt_amount(Decimal("1.23"), "亿元")


# ---- rendered PDFs --------------------------------------------------------------------


def test_expected_facts_follow_the_contract_shape() -> None:
    spec = with_layout(consistent_report(2, empty=()), zero_style="blank")
    facts = expected_facts(spec)
    assert facts and all(list(f) == FACT_KEYS for f in facts)
    assert all(
        isinstance(f["value"], str)
        and f["value"].count(".") == 1
        and len(f["value"].split(".")[1]) == 2
        for f in facts
    )
    assert all(f["value"] != "0.00" for f in facts)  # blank zeros are no facts
    keys = [tuple(f[k] for k in FACT_KEYS[:6]) for f in facts]
    assert len(keys) == len(set(keys))
    assert {f["table"] for f in facts} == set(TABLE_IDS)


@pytest.mark.parametrize("name", sorted(QUIRKS))
def test_quirk_fixture_facts_appear_on_their_pages(name: str) -> None:
    """The fixture file is what the generator makes, and every expected fact's printed
    text is one pdfplumber word on its page where it was drawn."""
    spec = QUIRKS[name][1]()
    r = render(spec)
    pdf_path = FIXTURES / f"quirk-{name}.pdf"
    assert pdf_path.read_bytes() == r.pdf, "fixture is stale: run tests/fixtures/make_fixtures.py"
    expected = json.loads((FIXTURES / f"quirk-{name}.expected.json").read_text("utf-8"))
    assert expected["facts"] == r.facts
    assert {t: v["pages"] for t, v in expected["tables"].items()} == {
        t: v["pages"] for t, v in r.tables.items()
    }
    assert check_pdf(r.pdf, r) == []
    assert len(r.pdf) < 100_000
    # independently of the recorded positions: each non-zero value, printed in the source
    # unit (with or without thousands separators), is a word on the fact's page
    unit = expected["source_unit"]
    with pdfplumber.open(pdf_path) as pdf:
        words = {p.page_number: {w["text"] for w in p.extract_words()} for p in pdf.pages}
    for f in expected["facts"]:
        v = Decimal(f["value"])
        if v == 0:
            continue
        printed = {"万元": v, "元": v * 10000, "亿元": v / 10000}[unit]
        places = 4 if unit == "亿元" else 2
        forms = {f"{printed:.{places}f}", f"{printed:,.{places}f}"}
        assert forms & words[f["page"]], (f, forms)


def test_quirk_specifics() -> None:
    def exp(name):
        return json.loads((FIXTURES / f"quirk-{name}.expected.json").read_text("utf-8"))

    with pdfplumber.open(FIXTURES / "quirk-landscape.pdf") as pdf:
        land = [p.width > p.height for p in pdf.pages]
    e = exp("landscape")
    for t in ("公开02", "公开03", "公开04"):
        assert all(land[p - 1] for p in e["tables"][t]["pages"])
    assert not any(land[p - 1] for p in e["tables"]["公开05"]["pages"])
    for name in ("continuation-repeated-header", "continuation-no-header"):
        assert all(
            len(exp(name)["tables"][t]["pages"]) == 2 for t in ("公开01", "公开03", "公开04")
        )
    e = exp("empty-tables")
    assert e["tables"]["公开08"]["empty"] and e["tables"]["公开09"]["empty"]
    assert not [f for f in e["facts"] if f["table"] in ("公开08", "公开09")]
    assert set(exp("missing-tables")["tables"]) == {"公开01", "公开02", "公开03"}
    assert exp("yuan-thousands")["source_unit"] == "元"
    assert exp("yiyuan")["source_unit"] == "亿元"
    cols07 = {f["column"] for f in exp("g07-budget-actual")["facts"] if f["table"] == "公开07"}
    assert cols07 == {"预算数", "决算数"}
    cols07 = {f["column"] for f in exp("g07-actual-only")["facts"] if f["table"] == "公开07"}
    assert cols07 == {"决算数"}
    p = exp("planted-error")
    assert p["should_fail"] and p["planted"]["was"] != p["planted"]["now"]
    full = exp("full-consistent")
    assert len(full["tables"]) == 9


def test_error_fixtures() -> None:
    assert not (FIXTURES / "error-not_pdf.pdf").read_bytes().startswith(b"%PDF")
    corrupt = (FIXTURES / "error-corrupt.pdf").read_bytes()
    assert corrupt.startswith(b"%PDF") and b"startxref" not in corrupt
    for kind in ("corrupt", "encrypted"):
        with pytest.raises(Exception):  # noqa: B017 - pdfplumber wraps pdfminer's errors
            with pdfplumber.open(FIXTURES / f"error-{kind}.pdf") as pdf:
                pdf.pages[0].extract_text()
    with pdfplumber.open(FIXTURES / "error-scanned.pdf") as pdf:
        assert pdf.pages and all(not p.chars and p.images for p in pdf.pages)
    with pdfplumber.open(FIXTURES / "error-not_juesuan.pdf") as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert "预算" in text and "预算数" in text and "决算" not in text
    for kind in ("not_pdf", "corrupt", "encrypted", "scanned", "not_juesuan"):
        e = json.loads((FIXTURES / f"error-{kind}.expected.json").read_text("utf-8"))
        assert e == {"error": kind}


def test_make_fixtures_is_deterministic(tmp_path: Path) -> None:
    render.cache_clear()  # draw everything afresh
    written = MF.main(tmp_path)
    assert len(written) == 2 * (len(QUIRKS) + 1 + 5)
    for f in written:
        assert f.read_bytes() == (FIXTURES / f.name).read_bytes(), f.name


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(report_specs())
def test_random_specs_render_their_facts(spec) -> None:
    assert failing(spec) == []
    r = render(spec)
    assert check_pdf(r.pdf, r) == []


def test_render_is_readable_text() -> None:
    spec = consistent_report(9, tables=("公开01",), empty=("公开08", "公开09"))
    with pdfplumber.open(io.BytesIO(render(spec).pdf)) as pdf:
        text = pdf.pages[1].extract_text()
    assert "收入支出决算总表" in text and "公开01表" in text and "单位：万元" in text
