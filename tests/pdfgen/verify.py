"""Check a rendered PDF against what the generator says it holds (with pdfplumber)."""

from __future__ import annotations

import io
from collections import defaultdict

import pdfplumber

from .render import Rendered


def check_pdf(pdf: bytes, rendered: Rendered, tol: float = 1.5) -> list[str]:
    """Problems found: page count and orientation, and every expected fact's printed text
    as one pdfplumber word on the expected page at the position it was drawn."""
    problems: list[str] = []
    by_page: dict[int, list[dict]] = defaultdict(list)
    for fact, cell in zip(rendered.facts, rendered.cells, strict=True):
        if fact["page"] != cell["page"]:
            problems.append(f"fact/cell page mismatch {fact}")
        by_page[cell["page"]].append(dict(cell, fact=fact))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        if len(doc.pages) != rendered.page_count:
            problems.append(f"{len(doc.pages)} pages, expected {rendered.page_count}")
        for n, page in enumerate(doc.pages, 1):
            w, h = rendered.page_sizes[n - 1]
            if abs(float(page.width) - w) > 1 or abs(float(page.height) - h) > 1:
                problems.append(f"page {n}: size {page.width}x{page.height}, expected {w}x{h}")
            if not by_page.get(n):
                continue
            for cell in by_page[n]:
                if not (0 <= cell["x0"] and cell["x1"] <= w and 0 <= cell["top"] <= h):
                    problems.append(f"page {n}: {cell['text']!r} drawn off the page")
            words = page.extract_words()
            for cell in by_page[n]:
                hit = [
                    wd
                    for wd in words
                    if wd["text"] == cell["text"]
                    and abs(wd["x0"] - cell["x0"]) < tol
                    and abs(wd["top"] - cell["top"]) < tol
                ]
                if len(hit) != 1:
                    near = [
                        wd["text"]
                        for wd in words
                        if abs(wd["top"] - cell["top"]) < tol and abs(wd["x0"] - cell["x0"]) < 20
                    ]
                    problems.append(
                        f"page {n}: {cell['text']!r} for {cell['fact']} not found "
                        f"as one word (nearby: {near})"
                    )
    return problems
