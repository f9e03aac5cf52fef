"""One small PDF per layout quirk and per error kind (made by tests/fixtures/make_fixtures.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, fact_counts

from core.accounts.parse import parse_report
from core.errors import (
    CorruptPdfError,
    EncryptedPdfError,
    NotJuesuanError,
    NotPdfError,
    ReportError,
    ScannedPdfError,
)
from core.records import STANDARD_TABLES, Report

# quirk-*: reportlab, one layout quirk each; office-*: the same report set by LibreOffice
# (from a .docx) and by Chromium (from HTML, ruled and unruled), as real reports are made
QUIRKS = sorted(
    p.name.removesuffix(".pdf")
    for pattern in ("quirk-*.pdf", "office-*.pdf")
    for p in FIXTURES.glob(pattern)
)
ERRORS = {
    "not_pdf": NotPdfError,
    "corrupt": CorruptPdfError,
    "encrypted": EncryptedPdfError,
    "scanned": ScannedPdfError,
    "not_juesuan": NotJuesuanError,
}


@cache
def parsed(name: str) -> Report:
    return parse_report(FIXTURES / f"{name}.pdf")


def expected(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))


def test_every_quirk_has_a_fixture() -> None:
    assert len(QUIRKS) >= 20
    # issue 7: codes split any way, 公开07 by its header, borderless tables, cover variants
    issue_7 = {
        "quirk-econ-code-split",
        "quirk-codes-joined",
        "quirk-g07-actual-first-reordered",
        "quirk-g07-flat-header",
        "quirk-g07-combined-header",
        "quirk-g07-actual-only-grid",
        "quirk-borderless-02",
    } | {f"quirk-cover-{c}" for c in ("dated", "cn-dated", "one-line", "year-after", "spaced")}
    assert issue_7 <= set(QUIRKS)


def test_a_budget_figure_never_reads_as_spent() -> None:
    """In every 公开07 fixture with a budget, each printed 预算数 is read as 预算数 under its
    own heading, whatever the column order or header rows."""
    for name in QUIRKS:
        facts = expected(name)["facts"]
        budget = {
            f["item"]: f["value"]
            for f in facts
            if f["table"] == "公开07" and f["column"] == "预算数"
        }
        if not budget:
            continue
        got = {(f.item, f.column): f.value for f in parsed(name).facts if f.table == "公开07"}
        for item, value in budget.items():
            assert got.get((item, "预算数")) == Decimal(value), (name, item)


@pytest.mark.parametrize("name", QUIRKS)
def test_quirk_facts(name: str) -> None:
    want = fact_counts(expected(name)["facts"])
    got = fact_counts(parsed(name).facts)
    assert not (want - got) and not (got - want), (
        f"missing {sorted(want - got, key=repr)[:6]} extra {sorted(got - want, key=repr)[:6]}"
    )


@pytest.mark.parametrize("name", QUIRKS)
def test_quirk_tables_and_meta(name: str) -> None:
    e = expected(name)
    r = parsed(name)
    assert (r.unit, r.year, r.scope, r.source_unit) == (
        e["unit"],
        e["year"],
        e["scope"],
        e["source_unit"],
    )
    got = {t.id: {"pages": list(t.pages), "empty": t.empty, "title": t.title} for t in r.tables}
    assert got == e["tables"]


@pytest.mark.parametrize("name", [q for q in QUIRKS if q != "quirk-planted-error"])
def test_consistent_fixture_passes_every_identity(name: str) -> None:
    r = parsed(name)
    failed = [c.rule for c in r.checks if not c.ok and c.kind != "missing"]
    assert failed == []
    # and the identities were really tested: at least one per table present with amounts
    tested = {t for c in r.checks for t in c.tables}
    assert {t.id for t in r.tables if not t.empty} - {"公开08", "公开09"} <= tested


@pytest.mark.parametrize("name", QUIRKS)
def test_missing_tables_are_failed_checks(name: str) -> None:
    r = parsed(name)
    missing = {c.tables[0] for c in r.checks if c.kind == "missing"}
    assert not any(c.ok for c in r.checks if c.kind == "missing")
    assert missing == set(STANDARD_TABLES) - {t.id for t in r.tables}


def test_planted_error_fails_exactly_the_identities_that_read_it() -> None:
    e = expected("quirk-planted-error")
    planted = e["planted"]
    failed = sorted(
        c.rule for c in parsed("quirk-planted-error").checks if not c.ok and c.kind != "missing"
    )
    assert failed == sorted(
        [
            f"公开03 {planted['code']} {planted['item']}：本年支出合计 = 基本支出 + 项目支出 + 上缴上级支出 + 经营支出 + 对附属单位补助支出",
            f"公开03 {planted['code'][:5]} 款 = Σ项（{planted['column']}）",
        ]
    )
    assert len(e["should_fail"]) == len(failed)


@pytest.mark.parametrize("kind", sorted(ERRORS))
def test_bad_input_raises_its_typed_error(kind: str) -> None:
    with pytest.raises(ERRORS[kind]) as info:
        parse_report(FIXTURES / f"error-{kind}.pdf")
    err = info.value
    assert isinstance(err, ReportError) and err.kind == kind
    assert err.message_zh and err.message_en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.message_zh)


@pytest.mark.parametrize("kind", sorted(ERRORS))
def test_cli_prints_one_line_and_exits_2(kind: str) -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "core",
            "parse",
            str(FIXTURES / f"error-{kind}.pdf"),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error[{kind}]: ")
    assert "Traceback" not in out.stderr


def test_cli_missing_file_is_a_clean_error(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "core", "parse", str(tmp_path / "nope.pdf")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 2 and out.stderr.startswith("error[") and "Traceback" not in out.stderr
