"""The shortcuts the parse takes for speed give exactly what the long way gives: the indented
JSON writer ``json.dumps``'s text, and ``report_json`` (records written straight to text) the
text of ``json.dumps(report_dict(r))``; the title matcher, which tries a title pattern only on a
line holding its required text, the titles trying every pattern finds."""

from __future__ import annotations

import gc
import json
import random
import re
import threading
import zlib
from dataclasses import replace
from decimal import Decimal
from typing import Any

from conftest import CORPUS, FIXTURES, PUTUO_PDF, SAMPLE_PDF

from core.accounts.contract import _num, _num_text, dumps_indented, report_dict, report_json
from core.accounts.parse import parse_report, parse_report_bytes
from core.errors import ReportError
from core.pdf.whole import _CHUNK_OUT, _inflate, _inflates, _NotPlain
from core.records import Check, Fact, NarrativeFigure


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


def _long_way(report: Any, indent: int | None) -> str:
    return json.dumps(report_dict(report), ensure_ascii=False, indent=indent)


def test_report_json_is_the_report_dicts_json_on_every_pdf() -> None:
    """Every report the parse reads (sample, corpus, fixtures), at every indent; not the
    scans, OCR'd for seconds each (OCR's scores and misreadings: the odd records below)."""
    fixtures = [p for p in sorted(FIXTURES.glob("*.pdf")) if "scan" not in p.name]
    paths = [SAMPLE_PDF, *sorted(CORPUS.glob("*.pdf")), *fixtures]
    read = 0
    for path in paths:
        try:
            report = parse_report(path)
        except ReportError:
            continue
        read += 1
        for indent in (2, 0, 3, None):
            assert report_json(report, indent) == _long_way(report, indent), (path, indent)
    assert read >= 40  # the fixtures a parse reads, not only refusals


def test_report_json_is_the_report_dicts_json_on_odd_records() -> None:
    """Values no real report has: a check's fact that is not among the report's facts (equal
    to one, or not), a fact printed twice, OCR scores and misreadings, odd Decimals and
    floats, text that JSON escapes, boxes of ints and no boxes."""
    report = parse_report(SAMPLE_PDF)
    first = report.facts[0]
    twin = replace(first)  # equal to facts[0], another object: written as its index
    stranger = Fact(
        "公开99",
        None,
        'p"\\',
        None,
        "x\n\u2028",
        "c",
        Decimal("-0"),
        3,
        (1, 2, 3.5, 4),
        0.25,
        Decimal("1E+2"),
    )
    odd_values = [Decimal(v) for v in ("NaN", "-Infinity", "1.5E+3", "1E-9", "-0.00", "7")]
    figures = tuple(
        NarrativeFigure("t", "amount", v, 1, "句。", box=(0.123, 1.0, 2, 3.456)) for v in odd_values
    )
    check = Check(
        "r",
        False,
        Decimal("1E+1"),
        Decimal("-0.10"),
        Decimal("0.005"),
        ("公开01",),
        facts=(twin, stranger, report.facts[-1]),
    )
    odd = replace(
        report,
        facts=(*report.facts, first, stranger),
        narrative=figures + report.narrative,
        checks=(check, *report.checks),
    )
    for indent in (2, 1, None):
        assert report_json(odd, indent) == _long_way(odd, indent)
    text = report_json(odd)
    assert '"facts": [\n        0,' in text  # the twin stands as facts[0]


def test_number_text_is_the_json_of_the_number() -> None:
    """The Decimal text shortcut against ``json.dumps(_num(d))``: every exponent and sign."""
    rng = random.Random(5)
    values = ["0", "-0", "0.00", "-0.00", "1E+1", "1.50E+3", "-2E-7", "NaN", "-NaN", "Infinity"]
    for _ in range(3000):
        digits = str(rng.randrange(10 ** rng.randrange(1, 20)))
        values.append(f"{rng.choice(['', '-'])}{digits}E{rng.randint(-30, 30)}")
        values.append(f"{rng.choice(['', '-'])}{digits[:-2] or '0'}.{digits[-2:]}")
    for v in values:
        d = Decimal(v)
        assert _num_text(d) == json.dumps(_num(d)), v
    assert _num_text(None) == "null"


def _random_value(rng: random.Random, depth: int) -> Any:
    kind = rng.randrange(12 if depth < 4 else 7)
    if kind == 0:
        return rng.choice(["", "公开01", 'q"\\\n\t\x00\x1f', "\u2028é", "\ud800"])
    if kind == 1:
        return rng.randint(-(10**20), 10**20)
    if kind == 2:
        return rng.choice([0.1, -0.0, 1e300, 5e-324, float("nan"), float("inf"), -float("inf")])
    if kind == 3:
        return rng.random() * 1000
    if kind in (4, 5, 6):
        return rng.choice([True, False, None])
    if kind in (7, 8):
        items = [_random_value(rng, depth + 1) for _ in range(rng.randrange(5))]
        return items if kind == 7 else tuple(items)
    keys = ["a", "数值", 'k"\n', 3, 2.5, None, True, False]
    return {rng.choice(keys): _random_value(rng, depth + 1) for _ in range(rng.randrange(6))}


def test_the_indented_json_is_json_dumps_text_on_random_values() -> None:
    """Values of every kind mixed at random, at every depth, str and int subclasses too."""

    class Text(str):
        pass

    class Flag(int):
        def __repr__(self) -> str:
            return "flag"

    rng = random.Random(9)
    for _ in range(400):
        value = _random_value(rng, 0)
        for indent in (1, 2):
            assert dumps_indented(value, " " * indent) == json.dumps(
                value, ensure_ascii=False, indent=indent
            )
    odd = {"t": [Text("x"), 1], "f": [Flag(3)], "g": {"k": Flag(4)}, Text("s"): {"a": 1.5}}
    assert dumps_indented(odd) == json.dumps(odd, ensure_ascii=False, indent=2)


def _every_pattern(text: str) -> tuple[str, str] | None:
    """match_title the long way: every title pattern compiled and tried, in order."""
    from core.tables import locate

    text = locate.despace(text)
    if not text.endswith(("表", "）", ")")) or len(text) > 70:
        return None
    for role, pattern, _ in locate._TITLES:
        m = re.fullmatch(pattern, text)
        if m:
            return role, m.group(1)
    return None


def test_the_title_matcher_finds_what_trying_every_pattern_finds() -> None:
    from core.errors import ReportError
    from core.pdf.extract import extract_pages, join_line
    from core.tables import locate
    from core.tables.templates import DEFAULT_TEMPLATES

    lines = []
    for path in [SAMPLE_PDF, *sorted(CORPUS.glob("*.pdf")), *sorted(FIXTURES.glob("*.pdf"))]:
        try:
            pages = extract_pages(path.read_bytes(), ocr=False)
        except ReportError:  # a file refused: its lines are not needed here
            continue
        lines += [join_line(ln) for p in pages for ln in p.lines()]
    # every printed title of every table set, as reports dress them
    for template in DEFAULT_TEMPLATES.values():
        for title in template.tables.values():
            for dressed in (
                title,
                f"2024年度{title}",
                f"表3：{title}（公开05表）",
                f"附表2 {title}(单位:万元)",
                f"三、高等学校{title}",
                title.replace("“", '"').replace("”", '"'),
                title.replace("三公", "“三公”"),
                title[:-1] + "总表",
                title.replace("收入", "收").replace("支出", "支"),
            ):
                lines.append(dressed)
    hits = 0
    for text in lines:
        want = _every_pattern(text)
        assert locate.match_title(text) == want, text
        hits += want is not None
    assert hits > 100  # titles were among the lines


def test_most_common_is_counters_most_common() -> None:
    """The first key counted most often, ties to the one counted first, as Counter has it."""
    from collections import Counter

    from core.accounts.meta import most_common

    rng = random.Random(3)
    for _ in range(500):
        counts = Counter(rng.choice("abcde") for _ in range(rng.randrange(1, 12)))
        assert most_common(counts) == counts.most_common(1)[0][0]


def test_any_topic_matches_where_one_of_the_topics_does() -> None:
    """The one-search test that lets a sentence skip the topics one by one: it matches a text
    exactly when one of the topics does, on every line of the real reports and on pieces of
    the topics' own names."""
    from core.accounts.narrative import _ANY_TOPIC_RE, _TOPIC_RES, DEFAULT_TOPICS
    from core.pdf.extract import extract_pages

    texts = [name for _, name in DEFAULT_TOPICS]
    texts += [name[k:] + "，" + name[:k] for _, name in DEFAULT_TOPICS for k in range(len(name))]
    for path in [SAMPLE_PDF, *sorted(CORPUS.glob("*.pdf"))]:
        texts += [t for p in extract_pages(path.read_bytes(), ocr=False) for t in p.line_texts()]
    found = 0
    for text in texts:
        one = any(topic_re.search(text) for topic_re, _ in _TOPIC_RES)
        assert (_ANY_TOPIC_RE.search(text) is not None) == one, text
        found += one
    assert 0 < found < len(texts)  # both ways seen


def _parse_seeing_the_collector(data: bytes) -> tuple[list[bool], Exception | None]:
    """Parse ``data``, noting at each page read whether the cyclic collector was on."""
    seen: list[bool] = []
    try:
        parse_report_bytes(
            data, file_name="x.pdf", on_page=lambda done, total: seen.append(gc.isenabled())
        )
    except ReportError as exc:
        return seen, exc
    return seen, None


def test_a_parse_on_the_main_thread_pauses_the_collector_and_restores_it() -> None:
    assert gc.isenabled()
    seen, error = _parse_seeing_the_collector(SAMPLE_PDF.read_bytes())
    assert error is None and seen and not any(seen)
    assert gc.isenabled()
    # a refused file: restored all the same
    seen, error = _parse_seeing_the_collector((FIXTURES / "error-not_juesuan.pdf").read_bytes())
    assert error is not None and seen and not any(seen)
    assert gc.isenabled()
    seen, error = _parse_seeing_the_collector(b"%PDF-1.4 nothing more")
    assert error is not None
    assert gc.isenabled()
    # off before: left off (not turned on at the end)
    gc.disable()
    try:
        seen, error = _parse_seeing_the_collector(SAMPLE_PDF.read_bytes())
        assert error is None and not gc.isenabled()
    finally:
        gc.enable()


def test_a_parse_on_another_thread_leaves_the_collector_alone() -> None:
    got: list[tuple[list[bool], Exception | None]] = []
    thread = threading.Thread(
        target=lambda: got.append(_parse_seeing_the_collector(SAMPLE_PDF.read_bytes()))
    )
    thread.start()
    thread.join()
    seen, error = got[0]
    assert error is None and seen and all(seen)
    assert gc.isenabled()


def test_a_stream_checked_in_pieces_gets_the_verdict_of_one_inflated_whole() -> None:
    rng = random.Random(7)
    bound = 3 * _CHUNK_OUT
    cases = []
    for size in (
        0,
        1,
        _CHUNK_OUT - 1,
        _CHUNK_OUT,
        _CHUNK_OUT + 1,
        2 * _CHUNK_OUT,
        bound,
        bound + 1,
    ):
        # compressible (long matches that end past a piece's end) and not
        for raw in (bytes(size), rng.randbytes(size), b"BT (ab) Tj ET\n" * (size // 14)):
            packed = zlib.compress(raw)
            cases += [
                packed,
                packed[:-1],
                packed[: len(packed) // 2],
                packed + b"x",
                packed + b" \n",
            ]
            if len(packed) > 8:
                flipped = bytearray(packed)
                flipped[len(packed) // 2] ^= 0x10
                cases.append(bytes(flipped))
    verdicts = set()
    for packed in cases:
        whole_ok = _verdict(_inflate, packed, bound)
        assert _verdict(_inflates, packed, bound) == whole_ok, packed[:20]
        verdicts.add(whole_ok)
    assert verdicts == {True, False}


def _verdict(check: Any, packed: bytes, bound: int) -> bool:
    try:
        check(packed, bound)
    except _NotPlain:
        return False
    except zlib.error:
        return False
    return True
