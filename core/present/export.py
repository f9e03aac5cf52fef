"""Figures -> PNG / SVG bytes through kaleido; a report's tables -> CSV and Excel bytes.

Images are drawn by kaleido in a headless Chromium (Debian's ``chromium``). A fresh browser
costs about two seconds, so one kaleido browser is started on first use and kept: it runs in
a thread of its own with its own event loop, and holds :data:`DEFAULT_TABS` tabs. Several
images asked for at once (:func:`figure_images`) are drawn side by side, one per tab, and a
tab's page is not reloaded after each image (kaleido's own habit, most of an image's cost;
see :func:`_kaleido_class`). Any thread may ask; the tabs are shared in turn.

When no Chromium-family browser is installed, :class:`ExportUnavailable` says so in plain
words instead of kaleido's own error; a browser that does not answer within
:data:`DEFAULT_TIMEOUT` seconds (its start, :data:`DEFAULT_START_TIMEOUT`) is taken as unavailable from then on.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, as_completed
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from core.present.charts import DEFAULT_EXPORT_WIDTH, DEFAULT_HEIGHT
from core.records import Report

_log = logging.getLogger(__name__)

#: Image scale: 2 × 1280 px wide is sharp on a slide and keeps Chinese legible.
DEFAULT_SCALE = 2
#: Seconds one image may take.
DEFAULT_TIMEOUT = 60.0
#: Seconds the browser may take to start with its tabs (each tab loads plotly.js; a loaded
#: two-core machine has taken over 60 s).
DEFAULT_START_TIMEOUT = 150.0
#: Tabs in the export browser: images drawn side by side (the machine has two cores).
DEFAULT_TABS = 2
#: The export browser's CPU priority (``nice``; 0 is a normal process's). It starts ahead of
#: the first click and draws the briefing pack's images in the background while readers
#: open tabs and switch pages: it then takes only the processor time they leave. A click's
#: own images are slower for it only while something else wants the processor.
DEFAULT_NICE = 10

_lock = threading.Lock()  # guards starting and stopping the browser, not the drawing
_state: dict[str, Any] = {"session": None, "broken": None}


class ExportUnavailable(Exception):
    """The server cannot draw images (no browser, or the browser does not answer)."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh} / {message_en}")


_NO_BROWSER = ExportUnavailable(
    "服务器上没有可用的 Chromium 浏览器，无法在此生成图片；可用图表右上角的相机按钮在浏览器中保存 PNG。",
    "no Chromium browser on the server, so images cannot be drawn here; "
    "use the camera button on the chart to save a PNG from your browser.",
)


def _not_answering() -> ExportUnavailable:
    return ExportUnavailable(
        "服务器上的浏览器没有响应，暂时无法生成图片；可用图表右上角的相机按钮在浏览器中保存 PNG。",
        "the server's browser does not answer, so images cannot be drawn now; "
        "use the camera button on the chart to save a PNG from your browser.",
    )


def find_browser() -> str | None:
    """Path of the Chromium-family browser kaleido would use, or None when there is none."""
    try:
        from choreographer.browsers.chromium import Chromium

        return Chromium.find_browser(skip_local=False)
    except Exception:  # a broken lookup means the same to a user as no browser
        _log.exception("looking for a browser failed")
        return None


def export_status() -> ExportUnavailable | None:
    """None when images can be drawn, else the reason (cheap: no browser is started)."""
    if _state["broken"] is not None:
        return _state["broken"]
    if find_browser() is None:
        return _NO_BROWSER
    return None


@dataclass(frozen=True, slots=True)
class ImageRequest:
    """One image to draw: a figure and how it is drawn."""

    fig: go.Figure
    """The figure (its data and layout are drawn as they are)."""
    fmt: str = "png"
    """``png`` or ``svg``."""
    width: int = DEFAULT_EXPORT_WIDTH
    """Layout width in pixels."""
    height: int | None = None
    """Layout height in pixels; None for the figure's own (or :data:`DEFAULT_HEIGHT`)."""
    scale: float = DEFAULT_SCALE
    """Pixels per layout pixel (PNG only)."""

    def spec(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The figure as a dict and kaleido's options for it."""
        if self.fmt not in ("png", "svg"):
            raise ValueError(f"unknown image format {self.fmt!r}")
        opts = {
            "format": self.fmt,
            "width": self.width,
            "height": self.height or self.fig.layout.height or DEFAULT_HEIGHT,
            "scale": self.scale if self.fmt == "png" else 1,
        }
        return self.fig.to_dict(), opts


#: Images a tab draws between two reloads of its page (see :func:`_kaleido_class`).
DEFAULT_RELOAD_EVERY = 25


def _kaleido_class() -> Any:
    """kaleido's browser, but a tab's page is reloaded only every
    :data:`DEFAULT_RELOAD_EVERY` images, not after each one.

    The reload parses plotly.js again: on this machine it was most of an image's cost
    (6 slide images one after another: 6.8 s with a reload each, 1.4 s without, under the
    same load), and the PNGs came out byte for byte the same for all 17 chart slides of the
    sample and putuo. The occasional reload bounds whatever a page keeps between images.
    """
    import kaleido

    class _Kaleido(kaleido.Kaleido):
        _drawn: dict[int, int]

        async def _return_kaleido_tab(self, tab: Any) -> None:
            drawn = self.__dict__.setdefault("_drawn", {})
            drawn[id(tab)] = drawn.get(id(tab), 0) + 1
            if drawn[id(tab)] % DEFAULT_RELOAD_EVERY == 0:
                await super()._return_kaleido_tab(tab)  # reloads, then puts it back
            else:
                await self.tabs_ready.put(tab)

    return _Kaleido


def _lower(which: int, who: int) -> None:
    """Lower a thread's or a process group's CPU priority to :data:`DEFAULT_NICE` (never
    raise it: an unprivileged process may not, and one already lower stays so)."""
    try:
        if os.getpriority(which, who) < DEFAULT_NICE:
            os.setpriority(which, who, DEFAULT_NICE)
    except OSError:  # gone meanwhile, or not allowed: the browser then runs as it is
        _log.debug("could not lower the export browser's priority", exc_info=True)


def _lower_launchers(k: Any) -> None:
    """Lower the priority of the threads that start the browser's process (choreographer's
    process threads, which only start and wait for it): a process inherits the priority of
    the thread that starts it, so the browser and every process it starts run low from their
    first instruction (loading plotly.js into each tab is most of its start). On Linux a
    thread's priority is its own; the server's other threads keep theirs."""
    for thread in getattr(getattr(k, "_process_executor", None), "_threads", ()):
        if getattr(thread, "native_id", None) is not None:
            _lower(os.PRIO_PROCESS, thread.native_id)


def _lower_browser(k: Any) -> None:
    """Lower the started browser's process group, every process and thread in it (it is
    started in a session of its own: its group is its process id), in case it started from
    a thread :func:`_lower_launchers` did not reach."""
    process = getattr(k, "subprocess", None)
    if process is not None and process.pid:
        _lower(os.PRIO_PGRP, process.pid)


class _Session:
    """One kaleido browser with :data:`DEFAULT_TABS` tabs, driven by an event loop that runs
    in a daemon thread of its own; :meth:`submit` may be called from any thread."""

    def __init__(self, browser: str, tabs: int) -> None:

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._serve, name="kaleido-loop", daemon=True)
        self.thread.start()

        async def open_browser() -> Any:
            # mathjax=False: the default MathJax comes from a CDN, which an offline server
            # waits on. Built inside the loop: kaleido's queues belong to it.
            k = _kaleido_class()(n=tabs, timeout=DEFAULT_TIMEOUT, mathjax=False, path=browser)
            _lower_launchers(k)  # the browser is started at low priority, its start included
            await k.open()
            _lower_browser(k)
            return k

        try:
            self.kaleido = self._run(open_browser()).result(timeout=DEFAULT_START_TIMEOUT)
        except BaseException:
            self.loop.call_soon_threadsafe(self.loop.stop)
            raise

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_forever()
        finally:
            pending = [t for t in asyncio.all_tasks(self.loop) if not t.done()]
            for task in pending:
                task.cancel()
            self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.close()

    def _run(self, coroutine: Any) -> Future[Any]:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def submit(self, fig_dict: dict[str, Any], opts: dict[str, Any]) -> Future[bytes]:
        """Draw one image; the answer comes back as a future."""
        return self._run(self.kaleido.calc_fig(fig_dict, opts=opts))

    def close(self) -> None:
        """Close the browser and end the loop's thread."""
        try:
            self._run(self.kaleido.close()).result(timeout=DEFAULT_TIMEOUT)
        except Exception:  # closing is best effort: the process may be on its way out
            _log.exception("closing the export browser failed")
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=DEFAULT_TIMEOUT)


def _session() -> _Session:
    """The export browser, started on first use (about two seconds)."""
    with _lock:
        session = _state["session"]
        if session is None:
            browser = find_browser()
            if browser is None:
                raise _NO_BROWSER
            try:
                session = _Session(browser, DEFAULT_TABS)
            except FutureTimeout:
                _state["broken"] = _not_answering()
                raise _state["broken"] from None
            except Exception as exc:
                _log.exception("starting the export browser failed")
                raise _drawing_failed(exc) from exc
            _state["session"] = session
        return session


def _drawing_failed(exc: BaseException) -> ExportUnavailable:
    return ExportUnavailable(
        f"生成图片时出错（{type(exc).__name__}），请稍后再试。",
        f"drawing the image failed ({type(exc).__name__}); please try again.",
    )


def _answer(future: Future[bytes]) -> bytes:
    """A drawn image's bytes; kaleido's failure as :class:`ExportUnavailable`."""
    try:
        return future.result()
    except TimeoutError:  # kaleido's own limit for one image: the browser does not answer
        raise
    except Exception as exc:
        _log.exception("kaleido could not draw an image")
        raise _drawing_failed(exc) from exc


#: Told each time one image of a batch is drawn: (its index in the batch, its bytes).
Drawn = Callable[[int, bytes], None]


def figure_images(requests: Sequence[ImageRequest], drawn: Drawn | None = None) -> list[bytes]:
    """Draw several images at once, side by side in the export browser's tabs; their bytes
    in the order asked. ``drawn`` is called (in this thread) as each one is done, in the
    order they finish.

    Raises :class:`ExportUnavailable` when no browser can draw them, or one of them fails
    (the others are not waited for).
    """
    specs = [r.spec() for r in requests]
    problem = export_status()
    if problem is not None:
        raise problem
    if not specs:
        return []
    session = _session()
    futures = [session.submit(fig, opts) for fig, opts in specs]
    index = {id(f): i for i, f in enumerate(futures)}
    out: list[bytes | None] = [None] * len(futures)
    # every image may wait for the others ahead of it in the tabs, then take its own time
    budget = DEFAULT_TIMEOUT * (1 + len(futures) / DEFAULT_TABS)
    try:
        for future in as_completed(futures, timeout=budget):
            i = index[id(future)]
            data = _answer(future)
            out[i] = data
            if drawn is not None:
                drawn(i, data)
    except (FutureTimeout, TimeoutError):
        _state["broken"] = _not_answering()
        raise _state["broken"] from None
    finally:
        for future in futures:
            future.cancel()  # after a failure, nobody waits for the rest
    return [data for data in out if data is not None]


def figure_image(
    fig: go.Figure,
    fmt: str = "png",
    *,
    width: int = DEFAULT_EXPORT_WIDTH,
    height: int | None = None,
    scale: float = DEFAULT_SCALE,
) -> bytes:
    """The figure as PNG or SVG bytes, ``width`` layout pixels wide (× ``scale`` for PNG).

    Raises :class:`ExportUnavailable` when no browser can draw it.
    """
    request = ImageRequest(fig, fmt, width=width, height=height, scale=scale)
    return figure_images([request])[0]


def figure_png(fig: go.Figure, **kwargs: Any) -> bytes:
    """The figure as a PNG (2× scale by default)."""
    return figure_image(fig, "png", **kwargs)


def figure_svg(fig: go.Figure, **kwargs: Any) -> bytes:
    """The figure as an SVG (text kept as text: the reader needs CJK fonts)."""
    return figure_image(fig, "svg", **kwargs)


def warm_up() -> None:
    """Start the browser and draw one small image, so the first real export is quick."""
    if export_status() is not None:
        return
    try:
        figure_image(go.Figure(layout={"width": 200, "height": 100}), "png", width=200, scale=1)
    except ExportUnavailable:
        _log.warning("image export is not available on this server")


def is_started() -> bool:
    """Whether the export browser is running now (no browser is started)."""
    return _state["session"] is not None


def stop() -> None:
    """Stop the export browser, if one was started."""
    with _lock:
        session = _state["session"]
        _state["session"] = None
    if session is not None:
        session.close()


atexit.register(stop)  # else the browser's temporary folder outlives the process


# -- tables -------------------------------------------------------------------------------------


def file_stem(report: Report, name: str) -> str:
    """``unit_year_name``, safe as a file name (no slashes or spaces)."""
    parts = [report.unit or "决算报告", str(report.year or ""), name]
    stem = "_".join(p for p in parts if p)
    for bad in '/\\:*?"<>| \t\n':
        stem = stem.replace(bad, "")
    return stem


def frame_csv(frame: pd.DataFrame) -> bytes:
    """A frame as CSV in UTF-8 with a byte-order mark, so Excel opens the Chinese right."""
    return frame.to_csv(index=False).encode("utf-8-sig")
