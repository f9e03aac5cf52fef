"""Shared fixtures: where the sample, the corpus and the golden files are."""

from __future__ import annotations

import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from core.records import Performance

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


# AppTest runs the app with a runtime: keep it from starting the export browser in the
# background (tests that export start it themselves; the browser test's server warms up).
os.environ.setdefault("JUESUAN_WARM_EXPORT", "0")
# no pause after 总览's KPI cards in a session's first run (there is no browser to wait for)
os.environ.setdefault("JUESUAN_REST_PAUSE", "0")

PUTUO_PDF = CORPUS / "putuo-shehuigongzuobu-2024-bumen-juesuan.pdf"


@pytest.fixture(scope="session")
def sample_report():
    """The bundled sample, parsed once for the dashboard tests."""
    from core.accounts.parse import parse_report

    return parse_report(SAMPLE_PDF)


@pytest.fixture(scope="session")
def putuo_report():
    """The Shanghai 部门决算 from the corpus, parsed once for the dashboard tests."""
    assert PUTUO_PDF.is_file(), f"corpus report not found: {PUTUO_PDF}"
    from core.accounts.parse import parse_report

    return parse_report(PUTUO_PDF)


# -- scorecards: records and hand-written JSON in one comparable shape -------------------------

FUND_KEYS = ("initial_budget", "full_year_budget", "executed", "weight", "execution_rate", "score")
INDICATOR_KEYS = ("level1", "level2", "level3", "target", "actual", "weight", "score", "note")


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def fund_rows(perf: Performance) -> list[dict]:
    """A scorecard's funds block as plain dicts."""
    return [{"name": f.name, **{k: getattr(f, k) for k in FUND_KEYS}} for f in perf.funds]


def expected_fund_rows(funds: list[dict]) -> list[dict]:
    """Hand-written funds (numbers as strings, None for blank) in :func:`fund_rows` shape."""
    return [{"name": f["name"], **{k: _dec(f.get(k)) for k in FUND_KEYS}} for f in funds]


def indicator_rows(perf: Performance) -> list[tuple]:
    """A scorecard's indicators as tuples."""
    return [tuple(getattr(i, k) for k in INDICATOR_KEYS) for i in perf.indicators]


def expected_indicator_rows(indicators: list[dict]) -> list[tuple]:
    """Hand-written indicators in :func:`indicator_rows` shape (weight and score as Decimal)."""
    return [
        tuple(_dec(i[k]) if k in ("weight", "score") else i[k] for k in INDICATOR_KEYS)
        for i in indicators
    ]


TEMPLATE_PDF = CORPUS / "bumen-juesuan-template-2024.pdf"


@pytest.fixture(scope="session")
def template_report():
    """The blank 部门决算 template from the corpus: every table, not one amount."""
    assert TEMPLATE_PDF.is_file(), f"corpus report not found: {TEMPLATE_PDF}"
    from core.accounts.parse import parse_report

    return parse_report(TEMPLATE_PDF)


# -- the report library: never the user's own ---------------------------------------------------

# A server started by a test (the browser test) uses a library of this session's own.
os.environ["JUESUAN_LIBRARY"] = tempfile.mkdtemp(prefix="juesuan-library-")


@pytest.fixture(autouse=True)
def _own_library(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test starts with an empty library of its own (AppTest's app opens on it)."""
    folder = tmp_path_factory.mktemp("library")
    monkeypatch.setenv("JUESUAN_LIBRARY", str(folder))
    return folder


def fact_counts(facts: Iterable[Any]) -> Counter:
    """Facts as a multiset of (table, section, parent, code, item, column, value, page), from
    records or from contract / expected-JSON dicts alike, so two readings compare whole."""
    keys = ("table", "section", "parent", "code", "item", "column", "value", "page")
    rows = (
        tuple(f[k] for k in keys) if isinstance(f, dict) else tuple(getattr(f, k) for k in keys)
        for f in facts
    )
    return Counter((*r[:6], Decimal(str(r[6])), r[7]) for r in rows)
