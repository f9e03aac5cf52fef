"""Every fact's box frames its printed amount: the PDF's own words inside the box read as the
value, on ruled, unruled, landscape, rotated and multi-block pages."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import pikepdf
import pytest
from conftest import CORPUS, FIXTURES, SAMPLE_PDF

from core.accounts.contract import report_dict
from core.accounts.parse import parse_report, parse_report_bytes
from core.pdf.extract import Page, Word, extract_pages
from core.records import Fact, Report

FILES: dict[str, Path] = {
    "sample": SAMPLE_PDF,
    "putuo": CORPUS / "putuo-shehuigongzuobu-2024-bumen-juesuan.pdf",
    "xinan": CORPUS / "xinan-daxue-2023-bumen-juesuan.pdf",
    **{
        p.stem: p
        for pattern in ("quirk-*.pdf", "office-*.pdf", "template-*.pdf")
        for p in sorted(FIXTURES.glob(pattern))
        if p.stem != "template-budget"  # a 预算 report: refused, no facts
    },
}

_ZERO_FORMS = {"-", "—", "－", "--", "——", "–", "―"}
# a printed amount in 万元, 元, 千元 or 亿元 becomes 万元 (元 and 千元 rounded to the cent)
_SCALES = (Decimal(1), Decimal("0.0001"), Decimal("0.1"), Decimal(10000))


@cache
def _pages(path: Path) -> dict[int, Page]:
    return {p.number: p for p in extract_pages(path.read_bytes())}


@cache
def _report(path: Path) -> Report:
    return parse_report(path)


def words_in(page: Page, box: tuple[float, float, float, float]) -> list[Word]:
    """The page's words whose centre lies inside the box (half a point of slack)."""
    x0, top, x1, bottom = box
    return [
        w for w in page.words if x0 - 0.5 <= w.xc <= x1 + 0.5 and top - 0.5 <= w.yc <= bottom + 0.5
    ]


def reads_as(text: str, value: Decimal) -> bool:
    """Printed text that is ``value`` 万元 in some unit (zero forms and separators allowed)."""
    if text in _ZERO_FORMS:
        return value == 0
    try:
        printed = Decimal(text.replace(",", "").replace("−", "-"))
    except InvalidOperation:
        return False
    for scale in _SCALES:
        got = printed * scale
        if scale < 1:
            got = got.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if got == value:
            return True
    return False


def problems(report: Report, pages: dict[int, Page]) -> list[str]:
    """Every fact whose box is absent, off the page, too large, or frames other words."""
    out = []
    for f in report.facts:
        if f.box is None:
            out.append(f"{f}: no box")
            continue
        page = pages[f.page]
        x0, top, x1, bottom = f.box
        if not (0 <= x0 < x1 <= page.width and 0 <= top < bottom <= page.height):
            out.append(f"{f}: box off the page")
            continue
        if x1 - x0 > 120 or bottom - top > 30:
            out.append(f"{f}: box of {x1 - x0:.0f}×{bottom - top:.0f} pt frames more than a cell")
            continue
        inside = words_in(page, f.box)
        text = "".join(w.text for w in sorted(inside, key=lambda w: w.x0))
        if not reads_as(text, f.value):
            out.append(f"{f.table} {f.item} {f.column} {f.value} p{f.page}: box reads {text!r}")
    return out


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_fact_box_reads_as_its_value(name: str) -> None:
    path = FILES[name]
    report = _report(path)
    assert report.facts, f"{name} has no facts to test"
    bad = problems(report, _pages(path))
    assert not bad, f"{len(bad)} of {len(report.facts)} boxes wrong: {bad[:5]}"


def test_boxes_differ_between_cells() -> None:
    # two facts never share a box: each is its own printed cell
    for name in ("sample", "putuo", "quirk-g06-two-blocks", "quirk-g06-three-blocks-other-line"):
        facts = _report(FILES[name]).facts
        seen: dict[tuple, Fact] = {}
        for f in facts:
            key = (f.page, f.box)
            assert key not in seen, f"{f} and {seen[key]} share a box"
            seen[key] = f


def test_contract_carries_the_box() -> None:
    report = _report(SAMPLE_PDF)
    facts = report_dict(report)["facts"]
    assert len(facts) == len(report.facts)
    for got, fact in zip(facts, report.facts, strict=True):
        assert got["box"] == list(fact.box or ())
        assert len(got["box"]) == 4


def rotated_copy(path: Path) -> bytes:
    """The PDF with each landscape page stored portrait and turned by /Rotate 90, so it
    shows as before: the content is drawn turned a quarter back."""
    pdf = pikepdf.open(path)
    for page in pdf.pages:
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        w, h = x1 - x0, y1 - y0
        if w <= h:
            continue
        # landscape (X, Y) → portrait (u, v) = (h − Y, X); turning the portrait page
        # clockwise by 90° brings it back to (X, Y)
        page.contents_add(pikepdf.Stream(pdf, f"q 0 1 -1 0 {h:g} 0 cm\n".encode()), prepend=True)
        page.contents_add(pikepdf.Stream(pdf, b"\nQ\n"), prepend=False)
        page.mediabox = pikepdf.Array([0, 0, h, w])
        page.obj.Rotate = 90
    out = pikepdf.new()
    out.pages.extend(pdf.pages)
    import io

    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def test_rotated_pages_keep_their_boxes() -> None:
    original = FIXTURES / "quirk-landscape.pdf"
    data = rotated_copy(original)
    pdf = pikepdf.open(__import__("io").BytesIO(data))
    assert any(int(p.obj.get("/Rotate", 0)) == 90 for p in pdf.pages)
    turned = parse_report_bytes(data, file_name="rotated.pdf")
    pages = {p.number: p for p in extract_pages(data)}
    assert not problems(turned, pages)
    # the page shows as before, so every fact stands where it stood on the unturned page
    before = {(f.table, f.code, f.item, f.column, f.page): f.box for f in _report(original).facts}
    after = {(f.table, f.code, f.item, f.column, f.page): f.box for f in turned.facts}
    assert before.keys() == after.keys()
    for key, box in before.items():
        assert box is not None and after[key] is not None
        assert all(abs(a - b) < 0.5 for a, b in zip(box, after[key], strict=True)), key


@pytest.mark.parametrize("backend", ["pdfium", "pdfminer"])
def test_boxes_agree_across_text_layers(backend: str) -> None:
    # whichever text layer read the page, its boxes frame the same printed digits: the
    # other layer's words inside them read as the value too (the sample, putuo, rotated)
    from core.accounts.parse import parse_pages

    other = "pdfminer" if backend == "pdfium" else "pdfium"
    for data in (
        SAMPLE_PDF.read_bytes(),
        FILES["putuo"].read_bytes(),
        rotated_copy(FIXTURES / "quirk-landscape.pdf"),
    ):
        report = parse_pages(extract_pages(data, backend=backend))
        pages = {p.number: p for p in extract_pages(data, backend=other)}
        assert report.facts
        bad = problems(report, pages)
        assert not bad, f"{len(bad)} of {len(report.facts)}: {bad[:5]}"
