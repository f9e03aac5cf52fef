"""Scanned reports read by OCR (core/pdf/ocr_backend.py) on the one path of the text layer.

The scanned fixture (tests/fixtures/make_scan_fixtures.py) is pages 5–7 of the bundled sample
rendered at 200 dpi and rebuilt image-only; its OCR'd facts must equal, cell for cell, the
text-layer facts of those pages, which tests/golden/ checks against the page images by hand.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import numpy as np
import pikepdf
import pytest

from core.accounts.contract import report_dict
from core.accounts.parse import parse_report, parse_report_bytes
from core.errors import ScannedPdfError
from core.pdf import ocr_backend
from core.pdf.extract import extract_pages
from core.pdf.page import Rule
from core.records import Fact, Report

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE_PDF = next((ROOT / "sample_data").glob("*.pdf"))
SCAN = FIXTURES / "scan-sample-200.pdf"
SCANNED_PAGES = (5, 6, 7)  # the sample's pages in the scan, in order


def cell(f: Fact, page: int) -> tuple:
    return (f.table, f.section, f.parent, f.code, f.item, f.column, f.value, page)


@cache
def text_layer() -> Report:
    return parse_report(SAMPLE_PDF)


@cache
def scanned() -> Report:
    return parse_report(SCAN)


def test_image_rules_are_the_drawn_rules() -> None:
    """The rules found in a page image stand where the text layer draws them (within a
    point), none missed, none made up: found on the sample's page rendered at 200 dpi."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(SAMPLE_PDF.read_bytes())
    pixels = doc[4].render(scale=200 / 72, grayscale=True).to_numpy()
    doc.close()
    gray = np.array(pixels[:, :, 0] if pixels.ndim == 3 else pixels)
    got = ocr_backend.image_rules(gray, 72 / 200)
    want = extract_pages(SAMPLE_PDF.read_bytes())[4].rules

    def near(r: Rule, rules: tuple[Rule, ...]) -> bool:
        return any(
            s.horizontal == r.horizontal
            and abs(s.pos - r.pos) <= 1.0
            and abs(s.start - r.start) <= 1.5
            and abs(s.end - r.end) <= 1.5
            for s in rules
        )

    assert len(want) > 20
    assert [r for r in want if not near(r, got)] == []
    assert [r for r in got if not near(r, want)] == []


def test_a_box_over_a_rule_or_with_a_space_is_split() -> None:
    rules = (Rule(False, 100.0, 0.0, 50.0),)
    words = ocr_backend.split_box("合计 243.54", 40.0, 160.0, 10.0, 20.0, 0.9, ())
    assert [w.text for w in words] == ["合计", "243.54"]
    words = ocr_backend.split_box("243.540.00", 60.0, 140.0, 10.0, 20.0, 0.9, rules)
    assert [w.text for w in words] == ["243.54", "0.00"]
    assert words[0].x1 <= 100.0 <= words[1].x0 and all(w.confidence == 0.9 for w in words)


def test_deskew_straightens_a_turned_page() -> None:
    from fixtures.make_scan_fixtures import degrade

    page = np.full((800, 600), 255, np.uint8)
    for y in range(100, 700, 40):
        page[y : y + 2, 50:550] = 0  # ruled rows
    turned = degrade(page, skew=1.0)
    drawn = [y + 1.0 for y in range(100, 700, 40)]

    def rows_at(img: np.ndarray) -> list[float]:
        return sorted(r.pos for r in ocr_backend.image_rules(img, 1.0) if r.horizontal)

    def straight(rows: list[float]) -> bool:
        return len(rows) == len(drawn) and all(
            abs(a - b) <= 1.5 for a, b in zip(rows, drawn, strict=True)
        )

    def tilt(img: np.ndarray) -> float:
        """How far the first rule's ink drops from its left end to its right end (px)."""
        left = np.flatnonzero(img[60:140, 70] < 128).mean()
        right = np.flatnonzero(img[60:140, 530] < 128).mean()
        return float(right - left)

    assert straight(rows_at(page)) and abs(tilt(turned)) > 6
    fixed = ocr_backend.deskew(turned)
    assert straight(rows_at(fixed)) and abs(tilt(fixed)) <= 1
    # a page with nothing turned is left as it is
    assert np.array_equal(ocr_backend.deskew(page), page)


@pytest.mark.slow
def test_scanned_sample_reads_every_fact_of_the_text_layer() -> None:
    r = scanned()
    pages = dict(zip(SCANNED_PAGES, range(1, len(SCANNED_PAGES) + 1), strict=True))
    want = Counter(cell(f, pages[f.page]) for f in text_layer().facts if f.page in pages)
    got = Counter(cell(f, f.page) for f in r.facts)
    assert sum(want.values()) > 200
    assert not (want - got) and not (got - want), (
        f"missing {sorted(want - got, key=repr)[:6]} extra {sorted(got - want, key=repr)[:6]}"
    )
    assert r.text_source == "ocr" and r.unit == text_layer().unit
    assert all(f.confidence is not None and 0.5 <= f.confidence <= 1 for f in r.facts)
    assert all(f.read_as is None for f in r.facts)
    assert [c.rule for c in r.checks if not c.ok and c.kind in ("identity", "cross")] == []
    d = report_dict(r)
    assert d["text_source"] == "ocr"
    assert all(isinstance(f["confidence"], float) and f["read_as"] is None for f in d["facts"])


@pytest.mark.slow
def test_mixed_report_ocrs_only_its_image_pages(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Sample pages 5 and 7 as text, the scan of page 6 between them: only that page is
    OCR'd, with progress reported; facts as the text layer's, OCR'd ones with confidence."""
    with pikepdf.open(SAMPLE_PDF) as text, pikepdf.open(SCAN) as scan:
        out = pikepdf.new()
        out.pages.append(text.pages[4])
        out.pages.append(scan.pages[1])
        out.pages.append(text.pages[6])
        path = tmp_path / "mixed.pdf"
        out.save(path)
    asked: list[list[int]] = []
    real = ocr_backend.read_pages

    def spy(data: bytes, numbers, **kw):  # type: ignore[no-untyped-def]
        asked.append(list(numbers))
        return real(data, numbers, **kw)

    monkeypatch.setattr(ocr_backend, "read_pages", spy)
    progress: list[tuple[int, int]] = []
    r = parse_report_bytes(path.read_bytes(), on_page=lambda d, t: progress.append((d, t)))
    # one bar: the text layer's pass fills pages 1 and 3 (page 2 has no text layer to read),
    # then OCR says it starts (no new page done) and fills the scanned page
    assert asked == [[2]] and progress == [(1, 3), (1, 3), (2, 3), (2, 3), (3, 3)]
    assert r.text_source == "mixed"
    order = {5: 1, 6: 2, 7: 3}
    want = Counter(cell(f, order[f.page]) for f in text_layer().facts if f.page in order)
    got = Counter(cell(f, f.page) for f in r.facts)
    assert not (want - got) and not (got - want)
    assert {f.page for f in r.facts if f.confidence is not None} == {2}


def test_a_picture_with_no_writing_is_still_scanned() -> None:
    data = (FIXTURES / "scan-no-text.pdf").read_bytes()
    with pytest.raises(ScannedPdfError) as e:
        parse_report_bytes(data)
    assert "OCR" in e.value.message_zh and "Traceback" not in str(e.value)


def test_scan_fixtures_are_made_again_byte_for_byte(tmp_path: Path) -> None:
    from fixtures import make_scan_fixtures

    for path in make_scan_fixtures.main(tmp_path):
        assert path.read_bytes() == (FIXTURES / path.name).read_bytes(), path.name
    with pikepdf.open(SCAN) as pdf:  # image-only: no fonts, one image a page
        assert len(pdf.pages) == len(SCANNED_PAGES)
        assert all("/Font" not in p.Resources and len(p.Resources.XObject) == 1 for p in pdf.pages)


def test_a_scan_too_coarse_to_read_says_so() -> None:
    """error-scanned.pdf is a report scanned at 60 dpi: below what the bench vouches for."""
    with pytest.raises(ScannedPdfError) as e:
        parse_report_bytes((FIXTURES / "error-scanned.pdf").read_bytes())
    assert "分辨率太低（约 60 dpi" in e.value.message_zh


def test_recognised_brackets_and_colons_are_set_as_printed() -> None:
    assert ocr_backend.ocr_text("政府办公厅(室)及相关机构事务") == "政府办公厅（室）及相关机构事务"
    assert ocr_backend.ocr_text("其中:") == "其中："
    assert ocr_backend.ocr_text("(1)") == "(1)" and ocr_backend.ocr_text("1,234.56") == "1,234.56"
