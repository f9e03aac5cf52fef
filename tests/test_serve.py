"""serve.py (``make run``): the app's modules imported before the server listens, so the
first tab after a start does not wait for them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT))

import serve  # noqa: E402


def test_modules_of_reads_a_scripts_imports_without_running_it(tmp_path: Path) -> None:
    script = tmp_path / "page.py"
    script.write_text(
        "from __future__ import annotations\n"
        "import json, os.path\n"
        "from core.present import charts, frames\n"
        "from .local import thing\n"
        "raise SystemExit('a view draws when run')\n",
        encoding="utf-8",
    )
    assert serve.modules_of(script) == [
        "json",
        "os.path",
        "core.present",
        "core.present.charts",
        "core.present.frames",
    ]


def test_preload_imports_what_the_app_and_every_view_import() -> None:
    """In a fresh interpreter: after preload, each module app.py and the views import is
    there (a name that is no module, such as pathlib.Path, is skipped), and no view ran."""
    wanted = sorted(
        {n for s in [ROOT / "app.py", *(ROOT / "views").glob("*.py")] for n in serve.modules_of(s)}
    )
    code = (
        "import sys, serve\n"
        "done = serve.preload()\n"
        f"wanted = {wanted!r}\n"
        "missing = [n for n in wanted if n not in sys.modules and n.rpartition('.')[0] not in"
        " sys.modules]\n"
        "print('missing', missing)\n"
        "print('loaded', all(m in sys.modules for m in ('pandas', 'plotly', 'duckdb')))\n"
        "print('charts', 'core.present.charts' in done, 'views' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines == ["missing []", "loaded True", "charts True False"], out.stdout
    assert "No runtime found" not in out.stderr  # the cache decorators' warning is kept quiet


def test_inspect_knows_every_preloaded_modules_file(tmp_path: Path) -> None:
    """In a fresh interpreter running a script file, as the server runs serve.py: after
    preload and index_module_files, inspect knows the file of every module loaded, so
    Streamlit's one look at the stack during the first tab's first element resolves none of
    them again (it resolved ~1,400 there, 0.2–0.5 s)."""
    script = tmp_path / "start.py"
    script.write_text(
        "import inspect, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "import serve\n"
        "serve.preload()\n"
        "def unknown():\n"
        "    return [n for n, m in list(sys.modules.items()) if isinstance(getattr(m, '__file__',"
        " None), str) and inspect._filesbymodname.get(n) != m.__file__]\n"
        "print('before', len(unknown()) > 1000)\n"
        "serve.index_module_files()\n"
        "print('after', unknown())\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["before True", "after []"], out.stdout


def test_make_run_and_the_benchmarks_start_the_app_through_serve(tmp_path: Path) -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(BIN)/python serve.py --server.port $(PORT)" in makefile
    from bench.appserver import command

    assert command()[1:] == [str(ROOT / "serve.py")]
    assert command(ROOT / "app.py")[1:] == [str(ROOT / "serve.py")]
    other = tmp_path / "minimal_app.py"
    assert command(other)[1:] == ["-m", "streamlit", "run", str(other)]


def test_the_export_browser_starts_before_the_server_listens_unless_turned_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from core import ui

    started: list[str] = []
    monkeypatch.setattr(ui, "warm_export_now", lambda: started.append("export"))
    monkeypatch.setenv("JUESUAN_WARM_EXPORT", "0")
    assert serve.start_export() is None
    assert started == []
    monkeypatch.setenv("JUESUAN_WARM_EXPORT", "1")
    thread = serve.start_export()
    assert thread is not None
    thread.join(60)
    assert started == ["export"]
