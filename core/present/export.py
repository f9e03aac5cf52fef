"""Figures -> PNG / SVG bytes through kaleido; a report's tables -> CSV and Excel bytes.

Images are drawn by kaleido in a headless Chromium (Debian's ``chromium``). A fresh browser
costs about two seconds, so one kaleido server is started on first use and reused for every
image after (``kaleido.start_sync_server``). Its requests go through one lock: kaleido's sync
server hands answers back through a single queue and must not be asked by two threads at once.
When no Chromium-family browser is installed, :class:`ExportUnavailable` says so in plain
words instead of kaleido's own error; a browser that does not answer within
:data:`DEFAULT_TIMEOUT` seconds is taken as unavailable from then on.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from core.present.charts import DEFAULT_EXPORT_WIDTH, DEFAULT_HEIGHT
from core.records import Report

_log = logging.getLogger(__name__)

#: Image scale: 2 × 1280 px wide is sharp on a slide and keeps Chinese legible.
DEFAULT_SCALE = 2
#: Seconds one image may take, the browser's start included.
DEFAULT_TIMEOUT = 60.0

_lock = threading.Lock()
_state: dict[str, Any] = {"started": False, "broken": None}


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


def _ensure_server(browser: str) -> None:
    import kaleido

    if not _state["started"]:
        # mathjax=False: the default MathJax comes from a CDN, which an offline server waits on.
        kaleido.start_sync_server(n=1, timeout=DEFAULT_TIMEOUT, mathjax=False, path=browser)
        _state["started"] = True


def _calc(fig_dict: dict[str, Any], opts: dict[str, Any]) -> bytes:
    import kaleido

    return kaleido.calc_fig_sync(fig_dict, opts=opts)


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
    if fmt not in ("png", "svg"):
        raise ValueError(f"unknown image format {fmt!r}")
    problem = export_status()
    if problem is not None:
        raise problem
    browser = find_browser()
    assert browser is not None
    fig_dict = fig.to_dict()
    opts = {
        "format": fmt,
        "width": width,
        "height": height or fig.layout.height or DEFAULT_HEIGHT,
        "scale": scale if fmt == "png" else 1,
    }
    with _lock:
        _ensure_server(browser)
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kaleido-call")
        future = pool.submit(_calc, fig_dict, opts)
        try:
            data = future.result(timeout=DEFAULT_TIMEOUT)
        except FutureTimeout:
            _state["broken"] = ExportUnavailable(
                "服务器上的浏览器没有响应，暂时无法生成图片；可用图表右上角的相机按钮在浏览器中保存 PNG。",
                "the server's browser does not answer, so images cannot be drawn now; "
                "use the camera button on the chart to save a PNG from your browser.",
            )
            raise _state["broken"] from None
        except Exception as exc:
            _log.exception("kaleido could not draw a %s", fmt)
            raise ExportUnavailable(
                f"生成图片时出错（{type(exc).__name__}），请稍后再试。",
                f"drawing the image failed ({type(exc).__name__}); please try again.",
            ) from exc
        finally:
            pool.shutdown(wait=False)
    return data


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


def stop() -> None:
    """Stop the kaleido server, if one was started."""
    import kaleido

    with _lock:
        if _state["started"]:
            kaleido.stop_sync_server(silence_warnings=True)
            _state["started"] = False


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
