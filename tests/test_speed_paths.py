"""The shortcuts the parse takes for speed give exactly what the long way gives: the regex
cache the compiler's patterns, the indented JSON writer ``json.dumps``'s text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import PUTUO_PDF, ROOT, SAMPLE_PDF

from core import _regex_cache
from core.accounts.contract import dumps_indented, report_dict
from core.accounts.parse import parse_report


def test_the_indented_json_is_json_dumps_text() -> None:
    for path in (SAMPLE_PDF, PUTUO_PDF):
        d = report_dict(parse_report(path))
        assert dumps_indented(d) == json.dumps(d, ensure_ascii=False, indent=2)
    odd = {
        "a": [1, 2.5, float("nan"), float("inf"), -float("inf"), True, None, (), {}, {"k": [{}]}],
        7: 'é"\n\u2028\\',
        2.5: -0.0,
        None: 1e300,
        True: [[]],
        False: 10**30,
        "z": (1, (2, [3])),
    }
    for indent in (2, 4):
        assert dumps_indented(odd, " " * indent) == json.dumps(
            odd, ensure_ascii=False, indent=indent
        )


def test_cached_patterns_are_the_compilers() -> None:
    """Every pattern the parse compiled, built again from its cache entry after a trip
    through the file's format, equals what the compiler builds."""
    import _sre
    import marshal
    import re

    assert _regex_cache._original is not None  # installed in this process
    parse_report(SAMPLE_PDF)
    entries = dict(_regex_cache._entries)
    assert len(entries) > 100
    for (pattern, flags), entry in entries.items():
        again = _sre.compile(pattern, *marshal.loads(marshal.dumps(entry)))
        compiled = _regex_cache._original(pattern, flags)
        assert again == compiled and again.groupindex == compiled.groupindex, pattern
    assert re.compile(r"(?P<y>\d{4})年").match("2024年")["y"] == "2024"


def _parse_in_process(env: dict[str, str]) -> str:
    code = (
        "import sys; from core.accounts.contract import report_json;"
        "from core.accounts.parse import parse_report; from core import _regex_cache as c;"
        f"n = c._loaded; sys.stdout.write(str(n) + '\\n' + report_json(parse_report("
        f"{str(SAMPLE_PDF)!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout


def test_a_second_process_reads_the_cache_and_parses_alike(tmp_path: Path) -> None:
    env = dict(os.environ, JUESUAN_CACHE=str(tmp_path))
    first = _parse_in_process(env)
    assert first.split("\n", 1)[0] == "0"  # nothing stored yet
    assert list(tmp_path.glob("regex-*.marshal"))  # written at exit
    second = _parse_in_process(env)
    assert int(second.split("\n", 1)[0]) > 100  # the patterns came from the file
    off = _parse_in_process(dict(env, JUESUAN_REGEX_CACHE="0"))
    assert first.split("\n", 1)[1] == second.split("\n", 1)[1] == off.split("\n", 1)[1]
