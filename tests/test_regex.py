"""core.regex: compiled programs kept on disk give the very patterns re.compile gives."""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
from array import array
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_PDF

from core import regex

PATTERNS = [
    (r"[\u4e00-\u9fff]", 0),
    (r"^(\d{2,7})(?=[\u4e00-\u9fff（(])", 0),
    (r"(?P<a>\d{4})年度|年度(?P<b>\d{4})", 0),
    (r"abc|ABC", re.IGNORECASE),
    (rb"trailer\s*<<(.*?)>>", re.DOTALL),
    (r"(?x) a \s+ b  # verbose", 0),
]


def _parse_json(pycache: Path) -> str:
    """``python -m core parse`` of the sample, writing bytecode (and programs) under pycache."""
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(pycache))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run(
        [sys.executable, "-m", "core", "parse", str(SAMPLE_PDF), "--format", "json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def test_a_parse_stores_its_patterns_and_each_equals_re_compile(tmp_path: Path) -> None:
    first = _parse_json(tmp_path)
    stored = list(tmp_path.rglob("regex-programs.*.bin"))
    assert len(stored) == 1
    tag, programs = marshal.loads(stored[0].read_bytes())
    assert tag == regex.DEFAULT_TAG
    assert len(programs) > 100  # the parse's own patterns, table titles and CJK classes among them
    assert any("\\u4e00-\\u9fff" in p for p, _ in programs if isinstance(p, str))
    for (pattern, flags), program in programs.items():
        assert regex._rebuild(pattern, program) == re.compile(pattern, flags), pattern
    # a second process reads them back instead of compiling: the same report
    assert _parse_json(tmp_path) == first


def test_store_round_trip_gives_re_compile_patterns(tmp_path: Path) -> None:
    path = str(tmp_path / "store.bin")
    learn = regex.ProgramStore(path)
    for pattern, flags in PATTERNS:
        assert learn.compile(pattern, flags) == re.compile(pattern, flags)
    learn.save()
    read = regex.ProgramStore(path)
    for pattern, flags in PATTERNS:
        got = read.compile(pattern, flags)
        assert got == re.compile(pattern, flags)
        assert got.groupindex == re.compile(pattern, flags).groupindex
    assert not read._new  # all of them came from the file


def test_two_processes_learning_merge_into_the_file(tmp_path: Path) -> None:
    path = str(tmp_path / "store.bin")
    one, two = regex.ProgramStore(path), regex.ProgramStore(path)
    one.compile(r"[\u4e00-\u9fff]+", 0)
    two.compile(r"\d+年", 0)
    one.save()
    two.save()
    _, programs = marshal.loads(Path(path).read_bytes())
    assert set(programs) == {(r"[\u4e00-\u9fff]+", 0), (r"\d+年", 0)}


@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncated", "foreign", "bad_program", "wrong_shape"],
)
def test_a_damaged_or_foreign_store_falls_back_to_re_compile(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "store.bin"
    learn = regex.ProgramStore(str(path))
    for pattern, flags in PATTERNS:
        learn.compile(pattern, flags)
    learn.save()
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"\x00not marshal at all" * 10)
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "foreign":  # another Python or another re: same shape, other tag
        _, programs = marshal.loads(data)
        path.write_bytes(marshal.dumps((("3.0", "cpython-30"), programs)))
    elif damage == "bad_program":  # code the C engine refuses
        tag, programs = marshal.loads(data)
        bad = array(regex._CODE, [999999, 1, 2]).tobytes()
        programs = {k: (p[0], bad, p[2], p[3], p[4]) for k, p in programs.items()}
        path.write_bytes(marshal.dumps((tag, programs)))
    else:
        path.write_bytes(marshal.dumps([1, 2, 3]))
    read = regex.ProgramStore(str(path))
    for pattern, flags in PATTERNS:
        assert read.compile(pattern, flags) == re.compile(pattern, flags)
    read.save()  # and the file is sound again
    tag, programs = marshal.loads(path.read_bytes())
    assert tag == regex.DEFAULT_TAG and len(programs) == len(PATTERNS)


def test_an_unwritable_store_still_compiles(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the store's folder would be")
    store = regex.ProgramStore(str(blocker / "sub" / "store.bin"))
    assert store.compile(r"[\u4e00-\u9fff]", 0) == re.compile(r"[\u4e00-\u9fff]")
    store.save()  # fails quietly
    assert blocker.read_text().startswith("a file")


def test_module_functions_answer_as_re_does() -> None:
    text = "2024年度 收入 12.50万元，支出 3万元"
    assert regex.search(r"\d+万元", text).group() == re.search(r"\d+万元", text).group()  # type: ignore[union-attr]
    assert regex.match(r"\d{4}", text).group() == "2024"  # type: ignore[union-attr]
    assert regex.fullmatch(r"\d+", text) is None
    assert regex.findall(r"(\d+(?:\.\d+)?)万元", text) == ["12.50", "3"]
    assert [m.span() for m in regex.finditer(r"\d+", text)] == [
        m.span() for m in re.finditer(r"\d+", text)
    ]
    assert regex.split(r"[ ，]", text, 1) == re.split(r"[ ，]", text, maxsplit=1)
    assert regex.sub(r"\d", "#", text, 2) == re.sub(r"\d", "#", text, count=2)
    assert regex.search(r"ABC", "xabc", re.IGNORECASE) is not None
    compiled = re.compile("a")
    assert regex.compile(compiled) is compiled
    with pytest.raises(ValueError):
        regex.compile(compiled, re.IGNORECASE)


def test_threads_compiling_at_once_get_re_compile_patterns() -> None:
    from concurrent.futures import ThreadPoolExecutor

    patterns = [rf"(?P<n>\d{{{i}}})[\u4e00-\u9fff]{{1,{i + 1}}}x{i}" for i in range(1, 41)]

    def both(pattern: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
        return regex.compile(pattern), re.compile(pattern)

    with ThreadPoolExecutor(8) as pool:
        pairs = list(pool.map(both, patterns * 4))
    assert all(ours == theirs for ours, theirs in pairs)
    assert all(regex.compile(p) is regex.compile(p) for p in patterns)


def test_the_parse_path_compiles_through_core_regex() -> None:
    """A pattern compiled by re directly would be compiled again in every process."""
    direct = re.compile(
        r"\bre\.(?:compile|search|match|fullmatch|sub|subn|findall|finditer|split)\("
    )
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for package in ("pdf", "tables", "accounts")
        for path in sorted((ROOT / "core" / package).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if direct.search(line)
    ]
    assert found == []
