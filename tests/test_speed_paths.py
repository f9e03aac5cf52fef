"""The shortcuts the parse takes for speed give exactly what the long way gives: the indented
JSON writer ``json.dumps``'s text."""

from __future__ import annotations

import json

from conftest import PUTUO_PDF, SAMPLE_PDF

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
