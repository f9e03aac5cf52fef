"""Load (issue 9): sessions at once see only their own report, and one hostile upload among
them leaves the others' times within 2× of a quiet run (bench/load.py drives the browser)."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from bench import hostile
from bench.appserver import CHROMIUM
from bench.load import run_load

pytestmark = pytest.mark.browser

ORDINARY = 4


def assert_isolated(run) -> None:  # type: ignore[no-untyped-def]
    for s in run.sessions:
        if s.hostile:
            continue
        assert not s.error, f"session {s.index}: {s.error}"
        assert s.shown == s.file_name, f"session {s.index} shows {s.shown!r}, not {s.file_name!r}"


def test_sessions_are_isolated_and_a_hostile_upload_slows_no_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert CHROMIUM.exists(), "make test installs Debian's chromium at /usr/bin/chromium"
    # the app's limits, tightened so the hostile session ends within the test's time
    monkeypatch.setenv("JUESUAN_PARSE_SECONDS", "40")
    quiet = run_load(ORDINARY)
    assert_isolated(quiet)

    bad = hostile.glyphs(tmp_path / "glyphs.pdf")
    loud = run_load(ORDINARY + 1, hostile_file=bad)
    assert_isolated(loud)
    (worst,) = [s for s in loud.sessions if s.hostile]
    assert "上限" in worst.error and "limit" in worst.error, worst.error
    assert not worst.shown  # it keeps showing the sample it had, no one else's report

    print("quiet", quiet.summary())
    print("one hostile", loud.summary())
    assert statistics.median(loud.times()) <= 2 * statistics.median(quiet.times())
    # the server itself never held the hostile file's cost
    assert loud.server_rss_mb_peak - loud.server_rss_mb_before < 200
