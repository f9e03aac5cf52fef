"""Scanned reports of many pages, in the worker and in the app: the time budget grows with the
pages to OCR (up to a ceiling, with a page cap), one progress bar fills once, cells OCR read
with low confidence that no identity checks are flagged, and the checked reading works in 元.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest
from conftest import CORPUS, FIXTURES, ROOT, SAMPLE_PDF
from fixtures.make_scan_fixtures import scan_pdf

from core import jobs
from core.accounts.checks import LOW_CONFIDENCE, run_checks
from core.accounts.contract import report_json
from core.accounts.correct import correct_misreadings, fact_key, misreadings_in, ocr_counts
from core.accounts.parse import parse_report, parse_report_bytes
from core.errors import TooLargeError
from core.pdf import ocr_backend
from core.pdf.damage import XREF_REPAIRED
from core.pdf.extract import Progress, extract_pages
from core.pdf.limits import Limits
from core.present.frames.checks import check_sentence
from core.records import Fact, Report

SCAN = FIXTURES / "scan-sample-200.pdf"
YUAN = FIXTURES / "quirk-yuan-thousands.pdf"


def cell(f: Fact) -> tuple[object, ...]:
    return (f.table, f.section, f.parent, f.code, f.item, f.column, f.value, f.page)


def subset(path: Path, pages: tuple[int, ...]) -> bytes:
    """The given 1-based pages of a PDF as a PDF of their own (text layer kept)."""
    with pikepdf.open(path) as src:
        out = pikepdf.new()
        for n in pages:
            out.pages.append(src.pages[n - 1])
        buf = io.BytesIO()
        out.save(buf)
        return buf.getvalue()


# -- time budget, page cap ------------------------------------------------------------------


def test_the_time_budget_grows_by_page_to_ocr_up_to_its_ceiling() -> None:
    limits = jobs.JobLimits(cpu_seconds=120, wall_seconds=120, ocr_page_seconds=30, max_seconds=600)
    assert limits.budget(0) == 120 and limits.cpu_budget(0) == 120
    assert limits.budget(4) == 240 and limits.cpu_budget(4) == 240
    assert limits.budget(50) == 600 and limits.cpu_budget(50) == 600  # the ceiling
    # each way past the budget says so in its own words
    plain = jobs._time_error(limits, 0).message_zh
    per_page = jobs._time_error(limits, 4).message_zh
    ceiling = jobs._time_error(limits, 50).message_zh
    assert "120 秒的时间上限" in plain and "OCR" not in plain
    assert "4 页需要 OCR 识别" in per_page and "240 秒的时间上限（每页 30 秒）" in per_page
    assert "50 页需要 OCR 识别" in ceiling and "600 秒的总时间上限" in ceiling


def test_limits_from_the_environment_keep_the_ocr_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(jobs.SECONDS_ENV, "60")
    monkeypatch.setenv(jobs.OCR_PAGE_SECONDS_ENV, "45")
    limits = jobs.JobLimits.from_env()
    assert (limits.wall_seconds, limits.ocr_page_seconds) == (60, 45)
    assert limits.max_seconds == jobs.DEFAULT_JOB_LIMITS.max_seconds


def test_more_pages_to_ocr_than_the_cap_is_too_large_before_any_ocr(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_ocr(*a: object, **k: object) -> None:
        raise AssertionError("OCR ran past the page cap")

    monkeypatch.setattr(ocr_backend, "read_pages", no_ocr)
    with pytest.raises(TooLargeError) as e:
        extract_pages(SCAN.read_bytes(), limits=Limits(max_ocr_pages=2))
    assert "3 页是扫描图片" in e.value.message_zh and "上限 2 页" in e.value.message_zh
    assert e.value.kind == "too_large"


# -- one progress bar -----------------------------------------------------------------------


def test_a_text_report_fills_the_bar_once_reading_its_text_layer() -> None:
    seen: list[Progress] = []
    pages = extract_pages(SAMPLE_PDF.read_bytes(), on_progress=seen.append)
    assert {p.stage for p in seen} == {"text"}
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert seen[-1].done == seen[-1].total == len(pages)
    assert seen[0].label_zh() == f"读取文字层 1/{len(pages)}"


@pytest.mark.slow
def test_a_scan_through_the_worker_fills_one_bar_page_by_page() -> None:
    """The scan's three pages: the text layer's pass reads nothing on them (the bar stays
    empty), then each OCR'd page fills a third; the worker says the stage."""
    bars: list[tuple[int, int]] = []
    stages: list[Progress] = []
    report = jobs.parse_isolated(
        SCAN.read_bytes(),
        SCAN.name,
        on_page=lambda d, t: bars.append((d, t)),
        on_progress=stages.append,
    )
    assert report.text_source == "ocr"
    assert bars == [(p.done, p.total) for p in stages]
    assert [b for b, _ in bars] == sorted(b for b, _ in bars)  # never back
    assert [p.label_zh() for p in stages] == [
        "读取文字层 1/3",
        "读取文字层 2/3",
        "读取文字层 3/3",
        "识别扫描页 0/3",
        "识别扫描页 1/3",
        "识别扫描页 2/3",
        "识别扫描页 3/3",
    ]
    assert [p.done for p in stages] == [0, 0, 0, 0, 1, 2, 3]


# -- low confidence, no identity ------------------------------------------------------------


def test_a_low_confidence_cell_no_identity_reads_is_uncertain() -> None:
    """The 高等学校 corpus report's facts as if OCR'd (a few of its cells no identity reads):
    every cell confident but two, one that an identity reads and one that none reads. Only
    the second is flagged (a failed ``ocr`` check that names it), and the overview's
    uncertain count has it."""
    text = parse_report(CORPUS / "xinan-daxue-2023-bumen-juesuan.pdf")
    read = {fact_key(f) for c in text.checks if c.kind in ("identity", "cross") for f in c.facts}
    checked = next(f for f in text.facts if fact_key(f) in read)
    unchecked = next(f for f in text.facts if fact_key(f) not in read)
    low = LOW_CONFIDENCE - 0.2

    def as_ocr(f: Fact) -> Fact:
        return replace(f, confidence=low if f in (checked, unchecked) else 0.99)

    report = replace(text, facts=tuple(map(as_ocr, text.facts)), text_source="ocr", checks=())
    report = replace(report, checks=tuple(run_checks(report)))
    flagged = [c for c in report.checks if c.kind == "ocr"]
    assert len(flagged) == 1 and not flagged[0].ok
    assert [fact_key(f) for f in flagged[0].facts] == [fact_key(unchecked)]
    assert f"置信度 {low:.2f}" in check_sentence(flagged[0]) and "请对照原件" in check_sentence(
        flagged[0]
    )
    in_failed = {
        fact_key(f)
        for c in report.checks
        if not c.ok and c.kind in ("identity", "cross")
        for f in c.facts
    }
    assert fact_key(unchecked) not in in_failed
    assert ocr_counts(report)["uncertain"] == len(in_failed) + 1
    # read with confidence, it is trusted as any checked cell is
    confident = replace(report, facts=tuple(replace(f, confidence=0.99) for f in report.facts))
    assert not [c for c in run_checks(confident) if c.kind == "ocr"]
    # a text layer's cells carry no confidence and are never flagged
    assert not [c for c in text.checks if c.kind == "ocr"]


# -- checked reading in 元 -------------------------------------------------------------------


def test_slips_of_a_cell_printed_in_yuan_are_tried_on_its_remaining_digits() -> None:
    # 2,680,800.00 元 read as 2,630,800.00: stored 263.08 万元, the slip 3→8 gives 268.08
    assert Decimal("268.08") in misreadings_in(Decimal("263.08"), "元")
    # 26,808.00 元 read as 2680800 (its point lost): 268.08 万元, the print ÷100 gives 2.68
    assert Decimal("2.68") in misreadings_in(Decimal("268.08"), "元")
    # a dropped digit above the 万元 cent: 1,234,500.00 read as 124,500.00
    assert Decimal("123.45") in misreadings_in(Decimal("12.45"), "元")
    # 亿元 printed with four decimals: 1.2300 read as 1.2800
    assert Decimal("12300") in misreadings_in(Decimal("12800"), "亿元")
    assert Decimal("12800") not in misreadings_in(Decimal("12800"), "亿元")


def test_a_misread_cell_of_a_report_in_yuan_is_corrected_where_two_identities_prove_it() -> None:
    """The 元 report's 公开01 and 公开03 as if OCR'd, 公开01's 2,680,800.00 元 read as
    2,630,800.00 (263.08 万元): its column sum and its tie to 公开03 both fail by 5.00, and
    the slip 3→8 on the cell's remaining digits makes both pass."""
    text = parse_report_bytes(subset(YUAN, (2, 4)))
    assert text.source_unit == "元"

    def as_ocr(f: Fact) -> Fact:
        misread = f.table == "公开01" and f.item == "社会保障和就业支出"
        return replace(f, confidence=0.99, value=Decimal("263.08") if misread else f.value)

    report = replace(text, facts=tuple(map(as_ocr, text.facts)), text_source="ocr", checks=())
    report = correct_misreadings(replace(report, checks=tuple(run_checks(report))))
    assert [(f.table, f.item, f.value, f.read_as) for f in report.facts if f.read_as] == [
        ("公开01", "社会保障和就业支出", Decimal("268.08"), Decimal("263.08"))
    ]
    assert [cell(f) for f in report.facts] == [cell(f) for f in text.facts]
    assert [c.ok for c in report.checks] == [c.ok for c in text.checks]


@pytest.mark.slow
def test_a_scan_in_yuan_has_its_misread_digit_corrected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """公开01 and 公开03 of a report printed in 元 (with thousands separators), scanned at 200
    dpi; OCR is made to misread one amount on 公开01 (2,680,800.00 as 2,630,800.00, 3↔8; the
    same amount printed on 公开03 is read as printed). Two identities read that cell: the
    checked reading puts it back, keeping what was read, and every amount equals the text
    layer's on its table and page (a few header names on this fixture come out misread, a
    limit of OCR on its small type: compared by value, not name)."""
    pages = (2, 4)
    data = subset(YUAN, pages)
    want = parse_report_bytes(data)
    assert want.source_unit == "元"
    planted: list[str] = []
    real = ocr_backend.ocr_text

    def misread(text: str) -> str:
        out = real(text)
        if "2,680,800.00" in out and not planted:  # the first, on 公开01
            planted.append(out)
            out = out.replace("2,680,800.00", "2,630,800.00")
        return out

    monkeypatch.setattr(ocr_backend, "ocr_text", misread)
    got = parse_report_bytes(scan_pdf(data, (1, 2), dpi=200))
    assert planted, "the amount to misread was not read at all"
    assert got.text_source == "ocr" and got.source_unit == "元"
    corrected = [f for f in got.facts if f.read_as is not None]
    assert [(f.item, f.value, f.read_as) for f in corrected] == [
        ("社会保障和就业支出", Decimal("268.08"), Decimal("263.08"))
    ]

    def amounts(facts: tuple[Fact, ...]) -> Counter[tuple[object, ...]]:
        return Counter((f.table, f.page, f.value) for f in facts)

    assert amounts(got.facts) == amounts(want.facts)
    assert not [c.rule for c in got.checks if not c.ok and c.kind in ("identity", "cross")]


# -- a long scan through the command line's worker ------------------------------------------


@pytest.mark.slow
def test_an_eighteen_page_scan_parses_through_the_command_line_worker(tmp_path: Path) -> None:
    """The sample's first 18 pages scanned at 200 dpi: 18 pages of OCR take far more than the
    60 CPU seconds given to the text layer (8–10 a page), so the worker's budget must grow by
    page. Every amount is the text layer's, on its table, column and page. A row name may
    come out misread (a character doubled or lost at a cell's edge), but only one character
    off the printed name, and never as the name of another row of its table."""
    pages = tuple(range(1, 19))
    text = subset(SAMPLE_PDF, pages)
    path = tmp_path / "scan-18.pdf"
    path.write_bytes(scan_pdf(text, pages, dpi=200))
    env = dict(os.environ)
    env.pop("JUESUAN_ISOLATE", None)
    # a small base budget (the growth is what is tested) and a generous one per page (a
    # busy test machine is slow in wall time; CPU time is what the pages cost)
    env[jobs.SECONDS_ENV] = "60"
    env[jobs.OCR_PAGE_SECONDS_ENV] = "200"
    run = subprocess.run(
        [sys.executable, "-m", "core", "parse", str(path), "--format", "json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    want = json.loads(report_json(parse_report_bytes(text)))
    assert got["text_source"] == "ocr" and want["text_source"] == "text"

    def cells(
        facts: list[dict[str, object]], fields: tuple[str, ...]
    ) -> Counter[tuple[object, ...]]:
        return Counter(tuple(f[k] for k in fields) for f in facts)

    amounts = ("table", "section", "column", "value", "page")
    assert cells(got["facts"], amounts) == cells(want["facts"], amounts)
    named = ("table", "section", "parent", "code", "item", "column", "value", "page")
    misnamed = cells(got["facts"], named) - cells(want["facts"], named)
    printed = cells(want["facts"], named) - cells(got["facts"], named)
    for table, section, _, _, item, column, value, page in misnamed:
        assert item not in {f["item"] for f in want["facts"] if f["table"] == table}, item
        assert any(
            (t, s, c, v, p) == (table, section, column, value, page) and _one_off(str(i), str(item))
            for t, s, _, _, i, c, v, p in printed
        ), (table, item, column, page)


def _one_off(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one character changed, added or lost."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def test_ocr_takes_a_second_thread_only_on_an_idle_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.2, 0.0, 0.0))
    assert ocr_backend.ocr_threads() == 2
    monkeypatch.setattr(os, "getloadavg", lambda: (1.5, 0.0, 0.0))
    assert ocr_backend.ocr_threads() == 1
    monkeypatch.setattr(os, "getloadavg", lambda: (20.0, 0.0, 0.0))
    assert ocr_backend.ocr_threads() == 1


# -- a scan read through a rebuilt cross-reference table ------------------------------------------


@functools.cache
def _repaired_scan() -> Report:
    """The first page of the scan fixture (公开01 as an image, no text layer) saved with a
    plain cross-reference table whose ``startxref`` misses it by 5 bytes: qpdf rebuilds the
    table, and every page is read by OCR from the rebuild."""
    with pikepdf.open(SCAN) as src:
        out = pikepdf.new()
        out.pages.append(src.pages[0])
        buf = io.BytesIO()
        out.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    data = buf.getvalue()
    start = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    assert data[start:].startswith(b"xref")
    tail = f"startxref\n{start}\n".encode()
    assert data.count(tail) == 1
    broken = data.replace(tail, f"startxref\n{start - 5}\n".encode())
    with pytest.raises(pikepdf.PdfError):  # the table as written does not hold
        pikepdf.open(io.BytesIO(broken), attempt_recovery=False)
    return parse_report_bytes(broken, "repaired-scan.pdf")


def test_a_scan_whose_table_was_rebuilt_keeps_its_repair_note() -> None:
    """The OCR'd pages are the pages the damage check judged: the repair note (``repairs``
    and one passed ``repaired`` check) survives OCR into the report and its contract JSON,
    and nothing is called damaged."""
    report = _repaired_scan()
    assert report.text_source == "ocr" and report.facts
    assert all(f.confidence is not None for f in report.facts)  # read by OCR, every one
    assert report.repairs == (XREF_REPAIRED,)
    assert report.damaged_pages == () and not [c for c in report.checks if c.kind == "damaged"]
    (note,) = [c for c in report.checks if c.kind == "repaired"]
    assert note.ok and "交叉引用表" in note.rule
    contract = json.loads(report_json(report))
    assert contract["repairs"] == [XREF_REPAIRED] and contract["damaged_pages"] == []
    assert contract["text_source"] == "ocr"
    assert [c["kind"] for c in contract["checks"]].count("repaired") == 1


def test_a_scan_whose_table_was_rebuilt_says_so_on_the_overview() -> None:
    """总览 and 数据核验 say the file was read through a repair, as a note, never a problem."""
    from streamlit.testing.v1 import AppTest

    report = _repaired_scan()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["juesuan_reports"] = {report.sha256: report}
    at.session_state["juesuan_current"] = report.sha256
    at.run()
    at.switch_page("views/overview.py").run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    said = " ".join(str(c.value) for c in at.caption)
    assert "交叉引用表有误" in said, said
    at.switch_page("views/checks.py").run()
    assert any("交叉引用表有误" in str(i.value) for i in at.info)
