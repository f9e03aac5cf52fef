"""Shared fixtures: where the sample, the corpus and the golden files are."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(TESTS))

SAMPLE_PDF = ROOT / "sample_data" / "fujian-12345-2024-danwei-juesuan.pdf"
GOLDEN = TESTS / "golden"
FIXTURES = TESTS / "fixtures"


def find_corpus() -> Path:
    """The shared corpus folder: beside the repo (../shared/corpus) as CI lays it out."""
    for base in (ROOT.parent / "shared" / "corpus", ROOT / ".." / "shared" / "corpus"):
        if base.is_dir():
            return base.resolve()
    return ROOT.parent / "shared" / "corpus"


CORPUS = find_corpus()


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS
