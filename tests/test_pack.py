"""The briefing pack's chart images: each drawn once for the PPTX and the PDF together, the
ones drawn ahead in a session's background job reused only for that very report, and a
failed background job leaving the click to draw them, saying so in Chinese.

The drawing itself is replaced by a counter that hands back a small PNG naming the chart's
size (no browser is started): what is tested is who asks for which image how often. The
real browser's side-by-side drawing is tested at the end.
"""

from __future__ import annotations

import io
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import pytest
from PIL import Image
from pptx import Presentation

from core import PARSER_VERSION
from core.present import export
from core.present.brief import files, pictures, png_size
from core.records import Report
from core.ui import pack


class Drawer:
    """Stands in for :func:`core.present.export.figure_images`: counts each request and
    answers a blank PNG sized after the request (so each image is told apart)."""

    def __init__(self) -> None:
        self.drawn: list[tuple[int, int]] = []
        self.lock = threading.Lock()

    def __call__(self, requests: Any, drawn: Any = None) -> list[bytes]:
        out = []
        for i, request in enumerate(requests):
            # a tenth of the layout size: quick to write, still one size per chart
            size = (request.width // 10, int(request.height) // 10)
            with self.lock:
                self.drawn.append(size)
            buffer = io.BytesIO()
            Image.new("RGB", size, "white").save(buffer, "PNG")
            out.append(buffer.getvalue())
            if drawn is not None:
                drawn(i, out[-1])
        return out


@pytest.fixture(autouse=True)
def no_images_kept() -> Any:
    """Each test starts with the server's shared images empty, and leaves them so."""
    pack.shared.clear()
    yield
    pack.shared.clear()


@pytest.fixture
def drawer(monkeypatch: pytest.MonkeyPatch) -> Drawer:
    fake = Drawer()
    monkeypatch.setattr(export, "figure_images", fake)
    monkeypatch.setattr(export, "find_browser", lambda: "/usr/bin/chromium")
    return fake


def chart_count(report: Report) -> int:
    return len(pictures._charts(report))


# -- drawn once ----------------------------------------------------------------------------------


def test_each_chart_is_drawn_once_for_both_files(sample_report: Report, drawer: Drawer) -> None:
    made = files.brief_files(sample_report)
    assert [Path(name).suffix for name, _data, _mime in made] == [".pptx", ".pdf", ".xlsx"]
    # ten charts, two of them (16 经济分类 items, 10 indicators) split over two slides
    assert len(drawer.drawn) == chart_count(sample_report) == 12
    # the deck shows the twelve images drawn, each once
    deck = Presentation(io.BytesIO(made[0][1]))
    shown = [
        (shape.image.size)
        for slide in deck.slides
        for shape in slide.shapes
        if shape.shape_type == 13
    ]
    assert sorted(shown) == sorted(drawer.drawn)


def test_images_drawn_ahead_are_not_drawn_again(sample_report: Report, drawer: Drawer) -> None:
    ahead = pictures.chart_images(sample_report)
    assert len(drawer.drawn) == 12
    files.brief_files(sample_report, images=ahead)
    assert len(drawer.drawn) == 12  # none more

    # half drawn ahead: the click draws the other half, no more
    half = dict(list(ahead.items())[:4])
    files.brief_files(sample_report, images=half)
    assert len(drawer.drawn) == 12 + 8


def test_slides_carry_the_images_drawn_ahead(sample_report: Report, drawer: Drawer) -> None:
    ahead = pictures.chart_images(sample_report)
    made = files.build_brief(sample_report, images=ahead)
    chart_slides = [s for s in made.slides if s.chart]
    assert {s.chart: s.image for s in chart_slides} == ahead
    assert all(s.image_size == png_size(s.image) for s in chart_slides)


def test_progress_counts_each_image_then_each_file(sample_report: Report, drawer: Drawer) -> None:
    steps: list[tuple[int, int, str]] = []
    files.brief_files(sample_report, progress=lambda *step: steps.append(step))
    done = [d for d, _t, _w in steps]
    assert done == sorted(done)
    assert {t for _d, t, _w in steps} == {12 + 3}
    assert [w for _d, _t, w in steps[-3:]] == ["正在写 PPT", "正在写 PDF", "正在写 Excel"]
    drawing = [w for _d, _t, w in steps[:-3]]
    assert drawing[0] == "正在画图表：已画好 0/12 张"
    assert drawing[-1] == "图表已画好（12 张）"
    assert len(drawing) == 12 + 1  # before the first, then after each image

    steps.clear()
    files.brief_files(
        sample_report,
        images=pictures.chart_images(sample_report),
        progress=lambda *s: steps.append(s),
    )
    assert steps[0] == (12, 15, "图表已画好（12 张）")  # all ready: the bar starts there


# -- the background job --------------------------------------------------------------------------


def test_a_background_job_draws_each_chart_once_for_the_click(
    sample_report: Report, drawer: Drawer
) -> None:
    state: dict[str, Any] = {}
    job = pack.prepare(state, sample_report, delay=0)
    assert job is not None and job.key == (sample_report.sha256, PARSER_VERSION)
    assert pack.prepare(state, sample_report, delay=0) is job  # one job per session
    assert job.wait(60)
    images, note = pack.take(state, sample_report)
    assert note == ""
    assert set(images) == {key for key, _f, _s in pictures._charts(sample_report)}
    files.brief_files(sample_report, images=images)
    assert len(drawer.drawn) == 12  # the click drew nothing more
    assert pack.PACK_JOB not in state  # taken: the next report starts afresh


def test_a_made_pack_is_not_drawn_ahead_again(sample_report: Report, drawer: Drawer) -> None:
    state: dict[str, Any] = {}
    assert pack.prepare(state, sample_report, delay=0, done=lambda _r: True) is None
    assert drawer.drawn == []


def test_images_are_used_only_for_the_report_they_were_drawn_from(
    sample_report: Report, putuo_report: Report, drawer: Drawer, monkeypatch: pytest.MonkeyPatch
) -> None:
    state: dict[str, Any] = {}
    job = pack.prepare(state, sample_report, delay=0)
    assert job is not None and job.wait(60)
    assert pack.take(state, putuo_report) == ({}, "")

    # the same file read by another parser version is another report
    assert pack.take(state, sample_report)[0] != {}
    monkeypatch.setattr(pack, "PARSER_VERSION", PARSER_VERSION + 1)
    assert pack.take(state, sample_report) == ({}, "")


def test_a_new_report_stops_the_old_job(
    sample_report: Report, putuo_report: Report, drawer: Drawer
) -> None:
    state: dict[str, Any] = {}
    # a long delay: the first job has not drawn anything when the report changes
    first = pack.prepare(state, sample_report, delay=600)
    assert first is not None
    second = pack.prepare(state, putuo_report, delay=0)
    assert second is not None and second is not first
    assert first.stopped and first.wait(60)
    assert first.images() == {}
    assert second.wait(60)
    images, _note = pack.take(state, putuo_report)
    assert set(images) == {key for key, _f, _s in pictures._charts(putuo_report)}
    assert len(drawer.drawn) == chart_count(putuo_report)


def test_a_click_stops_the_job_after_the_image_in_hand(
    sample_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "find_browser", lambda: "/usr/bin/chromium")
    inner = Drawer()
    started, release = threading.Event(), threading.Event()

    def slow(requests: Any, drawn: Any = None) -> list[bytes]:
        started.set()
        assert release.wait(60)
        return inner(requests, drawn)

    monkeypatch.setattr(export, "figure_images", slow)
    state: dict[str, Any] = {}
    job = pack.prepare(state, sample_report, delay=0)
    assert job is not None and started.wait(60)
    job.stop()  # as take() does, before it waits
    release.set()
    images, note = pack.take(state, sample_report)
    assert (len(images), note) == (1, "")  # the image in hand is kept, no other was drawn
    assert len(inner.drawn) == 1


def test_a_failed_background_job_leaves_the_drawing_to_the_click(
    sample_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "find_browser", lambda: "/usr/bin/chromium")

    def broken(requests: Any, drawn: Any = None) -> list[bytes]:
        raise export.ExportUnavailable("服务器上的浏览器没有响应", "no answer")

    monkeypatch.setattr(export, "figure_images", broken)
    state: dict[str, Any] = {}
    job = pack.prepare(state, sample_report, delay=0)
    assert job is not None and job.wait(60)
    images, note = pack.take(state, sample_report)
    assert images == {}
    assert note == pack.FAILED_NOTE and "没有成功" in note
    drawer = Drawer()
    monkeypatch.setattr(export, "figure_images", drawer)
    files.brief_files(sample_report, images=images)
    assert len(drawer.drawn) == 12  # the click drew every one


def test_no_browser_no_background_job(
    sample_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "find_browser", lambda: None)
    state: dict[str, Any] = {}
    assert pack.prepare(state, sample_report, delay=0) is None
    assert state == {}


# -- shared across sessions ---------------------------------------------------------------------


class Serial(Drawer):
    """A :class:`Drawer` whose every image is unlike any other (its colour counts the
    images drawn), so an image can be traced to the drawing that made it."""

    def __call__(self, requests: Any, drawn: Any = None) -> list[bytes]:
        out = []
        for i, request in enumerate(requests):
            with self.lock:
                self.drawn.append((request.width // 10, int(request.height) // 10))
                n = len(self.drawn)
            buffer = io.BytesIO()
            Image.new("RGB", (8, 8), (n % 256, n // 256, 7)).save(buffer, "PNG")
            out.append(buffer.getvalue())
            if drawn is not None:  # as the export browser tells each image drawn
                drawn(i, out[-1])
        return out


@pytest.fixture
def serial(monkeypatch: pytest.MonkeyPatch) -> Serial:
    fake = Serial()
    monkeypatch.setattr(export, "figure_images", fake)
    monkeypatch.setattr(export, "find_browser", lambda: "/usr/bin/chromium")
    return fake


def test_two_sessions_on_one_report_draw_it_once(sample_report: Report, serial: Serial) -> None:
    one: dict[str, Any] = {}
    two: dict[str, Any] = {}
    first = pack.prepare(one, sample_report, delay=0)
    second = pack.prepare(two, sample_report, delay=0)
    assert first is not None and second is not None and first is not second
    assert first.wait(60) and second.wait(60)
    assert len(serial.drawn) == 12 == first.drawn + second.drawn
    taken_one, note_one = pack.take(one, sample_report)
    taken_two, note_two = pack.take(two, sample_report)
    assert (note_one, note_two) == ("", "")
    assert taken_one == taken_two
    assert set(taken_one) == {key for key, _f, _s in pictures._charts(sample_report)}
    assert len(set(taken_one.values())) == 12  # each drawn once, none twice


def test_a_job_whose_images_are_kept_draws_nothing(
    sample_report: Report, serial: Serial, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = pack.prepare({}, sample_report, delay=0)
    assert job is not None and job.wait(60)
    drawn = pack.shared.get(pack.pack_key(sample_report))

    built: list[Report] = []
    charts = pictures._charts
    monkeypatch.setattr(pictures, "_charts", lambda r: built.append(r) or charts(r))
    later: dict[str, Any] = {}
    assert pack.prepare(later, sample_report, delay=0) is None  # no job: nothing to draw
    assert later == {} and built == []  # not even its figures built
    assert len(serial.drawn) == 12
    assert pack.take(later, sample_report) == (drawn, "")  # the click takes them all


def test_images_a_click_draws_are_kept_for_the_next_session(
    sample_report: Report, serial: Serial
) -> None:
    # a click with four images drawn ahead draws the other eight itself; another session's
    # job on the same report then finds all twelve kept and draws none of them again
    ahead = dict(list(pictures.chart_images(sample_report).items())[:4])
    assert len(serial.drawn) == 12
    pack.shared.clear()
    files.brief_files(sample_report, images=ahead, keep=pack.keeper(sample_report))
    assert len(serial.drawn) == 12 + 8
    kept = pack.shared.get(pack.pack_key(sample_report))
    assert set(kept) == {key for key, _f, _s in pictures._charts(sample_report)} - set(ahead)
    job = pack.prepare({}, sample_report, delay=0)
    assert job is not None and job.wait(60)
    assert job.drawn == 4 and len(serial.drawn) == 12 + 8 + 4  # only the four not kept


def test_a_stopped_job_leaves_the_rest_to_the_next_one(
    sample_report: Report, serial: Serial
) -> None:
    # the first tab closes after its third image; a second tab draws only the other nine
    first = pack.prepare({}, sample_report, delay=0, alive=lambda: len(serial.drawn) < 3)
    assert first is not None and first.wait(60) and first.drawn == 3
    assert not pack.shared.complete(pack.pack_key(sample_report))
    second = pack.prepare({}, sample_report, delay=0)
    assert second is not None and second.wait(60)
    assert (second.drawn, len(serial.drawn)) == (9, 12)
    assert pack.shared.complete(pack.pack_key(sample_report))


def test_another_reports_images_are_never_returned(
    sample_report: Report, putuo_report: Report, serial: Serial
) -> None:
    ours: dict[str, Any] = {}
    theirs: dict[str, Any] = {}
    job = pack.prepare(theirs, sample_report, delay=0)
    assert job is not None and job.wait(60)
    sample_images = set(pack.shared.get(pack.pack_key(sample_report)).values())
    assert len(sample_images) == 12

    # a session on putuo gets putuo's images only, whatever the other session drew
    assert pack.take(ours, putuo_report) == ({}, "")
    job = pack.prepare(ours, putuo_report, delay=0)
    assert job is not None and job.wait(60)
    images, _note = pack.take(ours, putuo_report)
    assert set(images) == {key for key, _f, _s in pictures._charts(putuo_report)}
    assert not set(images.values()) & sample_images
    assert len(serial.drawn) == 12 + len(images)  # putuo's drawn for it, none reused


def test_the_shared_images_are_bounded() -> None:
    kept = pack.SharedImages(size=2)
    a, b, c = ("a" * 64, PARSER_VERSION), ("b" * 64, PARSER_VERSION), ("c" * 64, PARSER_VERSION)
    kept.put(a, "sankey", b"A")
    kept.mark_complete(a, ["sankey"])
    kept.put(b, "sankey", b"B")
    kept.mark_complete(b, ["sankey", "waterfall"])  # one chart missing: not complete
    assert kept.complete(a) and not kept.complete(b)
    assert kept.get(a) == {"sankey": b"A"}  # a used last: b goes first
    kept.put(c, "sankey", b"C")
    assert kept.keys() == [a, c]
    assert kept.get(b) == {} and not kept.has(b, "sankey")
    kept.put(b, "sankey", b"B")  # b again: a is now the least recently used
    assert kept.keys() == [c, b] and not kept.complete(a)
    assert kept.get(a) == {}
    assert pack.DEFAULT_SHARED_REPORTS == pack.shared.size


# -- the real browser: side by side, each answer where it was asked ------------------------------


def test_images_drawn_side_by_side_come_back_in_the_order_asked() -> None:
    assert export.find_browser() is not None, "make test installs Debian's chromium"
    sizes = [(300 + 40 * i, 120 + 10 * i) for i in range(5)]
    requests = [
        export.ImageRequest(go.Figure(go.Bar(y=[i, 1])), width=w, height=h, scale=1)
        for i, (w, h) in enumerate(sizes)
    ]
    told: list[int] = []
    try:
        drawn = export.figure_images(requests, lambda i, _data: told.append(i))
    finally:
        export.stop()
    assert [png_size(d) for d in drawn] == sizes
    assert sorted(told) == list(range(5))


def test_a_report_without_charts_draws_nothing(sample_report: Report, drawer: Drawer) -> None:
    empty = replace(sample_report, facts=(), tables=(), narrative=(), performance=())
    assert pictures.chart_images(empty) == {}
    assert drawer.drawn == []


def test_a_closed_tab_draws_no_more(sample_report: Report, drawer: Drawer) -> None:
    state: dict[str, Any] = {}
    job = pack.prepare(state, sample_report, delay=0, alive=lambda: len(drawer.drawn) < 3)
    assert job is not None and job.wait(60)
    assert job.stopped
    assert len(drawer.drawn) == 3 == len(job.images())  # the session went after the third


def test_images_are_the_same_without_a_reload_after_each(
    sample_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kaleido reloads a tab's page after every image; the export browser only every
    DEFAULT_RELOAD_EVERY images: the slide images must not change for it."""
    import kaleido

    assert export.find_browser() is not None, "make test installs Debian's chromium"
    reloads: list[int] = []
    original = kaleido.Kaleido._return_kaleido_tab

    async def counted(self: Any, tab: Any) -> None:
        reloads.append(1)
        await original(self, tab)

    monkeypatch.setattr(kaleido.Kaleido, "_return_kaleido_tab", counted)
    requests = [pictures._chart_request(fig) for _key, fig, _say in pictures._charts(sample_report)]
    drawn = {}
    for every in (1, 1000):
        export.stop()
        monkeypatch.setattr(export, "DEFAULT_RELOAD_EVERY", every)
        reloads.clear()
        try:
            drawn[every] = export.figure_images(requests[:4])
        finally:
            export.stop()
        assert len(reloads) == (4 if every == 1 else 0)
    assert drawn[1] == drawn[1000]


def test_nothing_is_drawn_while_another_session_runs(
    sample_report: Report, drawer: Drawer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # this session is quiet (no delay asked), but a script run goes on in another session
    pack.server_ran()
    assert not pack.wait_server_quiet(600, limit=0)
    monkeypatch.setattr(pack, "_last_run", time.monotonic() + 1e6)  # a run that goes on
    job = pack.prepare({}, sample_report, delay=0)
    assert job is not None
    assert not job.wait(0.2)  # still waiting for the server to be quiet
    job.stop()
    assert job.wait(60)
    assert drawer.drawn == []
    monkeypatch.setattr(pack, "_last_run", float("-inf"))
    assert pack.wait_server_quiet(0.5, limit=0)


def test_a_report_with_nothing_to_draw_still_stops_the_old_job(
    sample_report: Report, putuo_report: Report, drawer: Drawer
) -> None:
    state: dict[str, Any] = {}
    old = pack.prepare(state, sample_report, delay=600)  # waits: has drawn nothing
    assert old is not None
    # putuo's pack is made already: nothing to draw for it, and sample's job is not wanted
    assert pack.prepare(state, putuo_report, delay=0, done=lambda _r: True) is old
    assert old.stopped and old.wait(60)
    assert drawer.drawn == []
