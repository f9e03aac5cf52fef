"""``make run``: ``streamlit run app.py``, with the app's modules imported before it listens.

Streamlit runs app.py only when a tab opens, so the first tab after a start would wait for
the imports: pandas, plotly, DuckDB, Streamlit's own elements and the app's modules, about
a second of CPU before the first figure. This launcher imports them first — app.py's and
every view's imports, read from their source (a view is a script: running it would draw) —
then hands over to Streamlit's own command line with the same arguments, in this process, so
the first tab finds them imported; beside the server's start it reads what that tab reads
from the report library, and it starts the export browser (for PNGs and the briefing pack,
at low CPU priority) and waits for it, so no tab competes with that start. The server
listens once the imports are done and the export browser is up; ``streamlit run app.py``
still works, its first tab then paying for the imports (and its export browser starting a
few seconds after its first page, once the server is quiet).

    python serve.py [options of streamlit run]     # as: streamlit run app.py [options]

It stands beside app.py, not in core.ui: importing that package is part of the preload, and
Streamlit's cache decorators there log that no server runs yet, which is true before it does.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import logging
import os
import sys
import threading
from pathlib import Path

_log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent
APP = ROOT / "app.py"

#: Imported too: what the first page of a session reaches for but does not import at the top
#: (the report library's decoder, the parse cache) and Streamlit's elements the pages draw.
EXTRA = (
    "core.library.codec",
    "core.library.store",
    "core.ui.jobs",
    "core.jobs",
    "streamlit.elements.metric",
    "streamlit.elements.widgets.file_uploader",
    "streamlit.elements.widgets.selectbox",
    "streamlit.elements.html",
    "streamlit.elements.arrow",
    "pyarrow.pandas_compat",  # DuckDB's results as pandas frames (the library's listing)
    # met by a server's first run, ~40 ms of imports on an idle machine: the tab icon read
    # by set_page_config (Pillow's image plugins), the check of the pages' material icons,
    # and the briefing section's look for an export browser (choreographer)
    "PIL.BmpImagePlugin",
    "PIL.GifImagePlugin",
    "PIL.JpegImagePlugin",
    "PIL.PpmImagePlugin",
    "PIL.PngImagePlugin",
    "streamlit.material_icon_names",
    "choreographer.browsers.chromium",
)


def modules_of(script: Path) -> list[str]:
    """The modules a script imports at its top level, in order (``from a import b`` names
    ``a.b`` too, since ``b`` may be a module)."""
    tree = ast.parse(script.read_text(encoding="utf-8"), filename=str(script))
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module == "__future__":
                continue
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def preload(root: Path = ROOT) -> list[str]:
    """Import what app.py and the views import, and :data:`EXTRA`; the modules imported.

    A name that is not a module (``from core import ui`` names ``core.ui``, but
    ``from pathlib import Path`` names no module ``pathlib.Path``) is skipped; a module
    that fails to import is logged and skipped: the app's first run will say what is wrong.
    """
    scripts = [root / "app.py", *sorted((root / "views").glob("*.py"))]
    wanted = [name for script in scripts for name in modules_of(script)] + list(EXTRA)
    # st.cache_data says at each decoration that there is no server yet: true, and harmless
    # (its storage is chosen at the first call, inside the server); Streamlit's command line
    # sets its loggers' levels again when it starts
    importlib.import_module("streamlit.runtime.caching.cache_data_api")
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    return _import_all(wanted)


def _import_all(wanted: list[str]) -> list[str]:
    done: list[str] = []
    for name in dict.fromkeys(wanted):
        if name in sys.modules:
            done.append(name)
            continue
        parent = name.rpartition(".")[0]
        if (
            parent
            and parent in sys.modules
            and hasattr(sys.modules[parent], name[len(parent) + 1 :])
        ):
            if not isinstance(getattr(sys.modules[parent], name[len(parent) + 1 :]), type(sys)):
                continue  # a class or function of the parent, not a module
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:
            continue  # ``from x import name`` where name is not a module
        except Exception:
            _log.exception("preloading %s failed", name)
            continue
        done.append(name)
    return done


def index_module_files() -> None:
    """Have :mod:`inspect` learn the file of every module imported so far.

    The first element a server's first tab draws makes Streamlit (1.67) look at the call
    stack once (``inspect.stack()``, to warn a user who runs an app as a plain script), and
    inspect then finds the file of each of the ~1,400 preloaded modules, resolving every
    path (a few thousand ``lstat`` calls): 0.2–0.5 s of the first tab's time to its first
    KPI. Done here, before the server listens, the tab's look costs milliseconds (inspect
    keeps what it learnt, per module).
    """
    # a code object from no file: inspect finds no module for it by its name, so it goes
    # through every module loaded, learning each one's file
    inspect.getmodule(compile("", "<index module files>", "exec"))


def _read_library() -> None:
    try:
        from core.ui import library

        library.warm_up()
    except Exception:  # the first tab meets it again, and says what is wrong
        _log.exception("reading the report library ahead of the first tab failed")


#: Seconds the server waits, before it listens, for the export browser it starts beside the
#: preload (two or three seconds on an idle machine); past them it listens all the same and
#: the browser goes on starting, at its low priority.
EXPORT_START_WAIT = 20.0


def _start_export() -> None:
    try:
        from core import ui

        ui.warm_export_now()
    except Exception:  # a warm-up only: the first image says what is wrong
        _log.exception("starting the export browser ahead of the first tab failed")


def start_export() -> threading.Thread | None:
    """Start the export browser (kaleido's Chromium, for PNGs and the briefing pack) and the
    pack's font in the background, unless the warm-ups are turned off
    (``JUESUAN_WARM_EXPORT=0``); the thread, to wait for before the server listens.

    Started once the first tab is drawn, the browser's start (a Chromium loading plotly.js
    into two tabs: two to three seconds of CPU) met the next tabs on the same two cores: at
    idle, a second tab took 1.6× the minimal app's time to its first KPI, a first tab 1.4×.
    """
    if os.environ.get("JUESUAN_WARM_EXPORT", "1") == "0":
        return None
    thread = threading.Thread(target=_start_export, name="export-warm-up", daemon=True)
    thread.start()
    return thread


def main(argv: list[str] | None = None) -> int:
    """Preload, then ``streamlit run app.py`` with ``argv`` (default: this command's)."""
    args = sys.argv[1:] if argv is None else argv
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    preload()
    export = start_export()  # after the preload: its imports are the preload's
    # what the first tab reads from the report library, read beside the server's start (a
    # library another process holds locked would otherwise keep the server from listening)
    threading.Thread(target=_read_library, name="library-warm-up", daemon=True).start()
    from streamlit.web import cli

    if export is not None:
        export.join(EXPORT_START_WAIT)
    index_module_files()  # after the last import before the server: see its docstring
    sys.argv = ["streamlit", "run", str(APP), *args]
    cli.main(prog_name="streamlit")  # click: exits with the server
    return 0


if __name__ == "__main__":
    sys.exit(main())
