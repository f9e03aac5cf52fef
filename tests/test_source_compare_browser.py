"""溯源 from the library's comparison charts in a real browser: a bar of 单位对比 opens the
printed cell in the report it stands for (not the report on screen), and a share made of
cells says how it is made and shows the cell it is taken of.

The crop shown is checked as in test_source_browser: the fact its label names, the PDF's own
words inside that fact's box reading as the number clicked, and the picture that box's
highlighted crop, pixel for pixel. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import base64
import io
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from browserkit import open_until_shown, served_tab
from conftest import CORPUS, SAMPLE_PDF
from PIL import Image
from test_source_browser import (
    ARTIFACTS,
    CROPS_JS,
    _parse_bytes,
    _parsed,
    dialog_drawn,
    shown_crops,
    visit,
)

from bench.appserver import settle
from bench.source_bench import close_dialog
from core.accounts.parse import parse_report
from core.library.store import Library
from core.present import pageview
from core.ui.source import fact_label

pytestmark = pytest.mark.browser

PUTUO = CORPUS / "putuo-shehuigongzuobu-2024-bumen-juesuan.pdf"


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    # a library of its own holding two reports of one year: the sample (the report on
    # screen) and putuo, whose PDF the server must find in the library's folder
    folder = Path(tempfile.mkdtemp(prefix="juesuan-library-compare-"))
    lib = Library(folder)
    lib.add(parse_report(PUTUO), PUTUO.read_bytes())
    lib.add(_parse_bytes(SAMPLE_PDF.read_bytes(), SAMPLE_PDF.name), SAMPLE_PDF.read_bytes())
    with served_tab(folder, ARTIFACTS / "streamlit-source-compare.log") as tab:
        yield tab


def _chart(tab: Any, title: str) -> Any:
    chart = tab.locator('[data-testid="stPlotlyChart"]').filter(has_text=title).first
    chart.scroll_into_view_if_needed()
    return chart


def _bar_of(chart: Any, unit: str, trace_index: int = 0) -> tuple[Any, Any]:
    """The bar drawn for ``unit`` in the chart's trace, and its value as plotly holds it."""
    i, value = chart.locator(".js-plotly-plot").evaluate(
        f"gd => {{ const t = gd.data[{trace_index}]; const i = t.y.indexOf({unit!r});"
        " return [i, t.x[i]]; }"
    )
    assert i >= 0, unit
    bars = chart.locator(".barlayer .trace").nth(trace_index).locator(".point path")
    return bars.nth(i), value


def test_click_a_bar_of_another_report(page: Any) -> None:
    """单位对比's 本年收入 bar of putuo opens putuo's 公开01 cell, though the sample is the
    report on screen."""
    visit(page, "单位对比")
    putuo = parse_report(PUTUO)
    chart = _chart(page, "本年收入")
    bar, value = _bar_of(chart, putuo.unit)
    open_until_shown(page, lambda: bar.click(force=True))
    crops = shown_crops(page, PUTUO)
    page.screenshot(path=str(ARTIFACTS / "source-compare-bar.png"))
    drawn = Decimal(str(round(value, 2)))
    assert [(f.table, f.item, f.value) for f, _ in crops] == [("公开01", "本年收入合计", drawn)]
    dialog = page.locator('[role="dialog"]').inner_text()
    assert putuo.unit in dialog and "2024" in dialog
    close_dialog(page)


def test_the_same_bar_of_a_comparison_clicked_again_opens_again(page: Any) -> None:
    """A library chart is drawn as the dashboard's are: 单位对比's 本年收入 bar of the sample
    (one no other test clicks), clicked, closed and clicked again, opens its printed cell both
    times."""
    visit(page, "单位对比")
    sample = parse_report(SAMPLE_PDF)
    chart = _chart(page, "本年收入")
    opened = []
    for _ in range(2):
        settle(page)  # the chart drawn (anew), its click handlers bound
        bar, value = _bar_of(chart, sample.unit)
        # a plain click, not open_until_shown: a click tried again would hide the fault
        bar.click(force=True)
        opened.append([(f.table, f.item, f.value) for f, _ in shown_crops(page, SAMPLE_PDF)])
        close_dialog(page)
    drawn = Decimal(str(round(value, 2)))
    assert opened == [[("公开01", "本年收入合计", drawn)]] * 2, opened


def test_click_a_share_made_of_cells(page: Any) -> None:
    """A 类 share of 单位对比 is no printed cell: the dialog says how it is made and shows the
    类's printed cell of 公开03 in that unit's report."""
    visit(page, "单位对比")
    sample = parse_report(SAMPLE_PDF)
    chart = _chart(page, "支出结构")
    name = chart.locator(".js-plotly-plot").evaluate("gd => gd.data[0].name")
    bar, share = _bar_of(chart, sample.unit)
    open_until_shown(page, lambda: bar.click(force=True))
    crops = shown_crops(page, SAMPLE_PDF)
    page.screenshot(path=str(ARTIFACTS / "source-compare-share.png"))
    dialog = page.locator('[role="dialog"]').inner_text()
    assert "计算方法" in dialog and f"{share:.2f}%" in dialog and "各类合计" in dialog
    (cell,) = [f for f, _ in crops]
    assert cell.table == "公开03" and f"{cell.code} {cell.item}" == name
    close_dialog(page)


def test_click_a_bar_of_the_class_small_multiples(page: Any) -> None:
    """跨年's 功能分类 small multiples (altair) open the 类's printed cell of that year's
    report on a click."""
    visit(page, "跨年")
    sample = parse_report(SAMPLE_PDF)
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    charts.last.scroll_into_view_if_needed()
    bars = charts.last.locator(".mark-rect path")
    bars.first.wait_for(timeout=60_000)
    open_until_shown(page, lambda: bars.first.click(force=True))
    crops = shown_crops(page, SAMPLE_PDF)
    page.screenshot(path=str(ARTIFACTS / "source-years-classes.png"))
    (cell,) = [f for f, _ in crops]
    # the first panel is the lowest 类 code the sample prints in 公开03
    first = min(f.code for f in sample.facts_of("公开03") if f.code and len(f.code) == 3)
    assert (cell.table, cell.code) == ("公开03", first), cell
    close_dialog(page)


def test_the_same_small_multiples_mark_clicked_twice_opens_twice(page: Any) -> None:
    """Streamlit reports a vega selection only when it changes: the same bar clicked again
    opened nothing. Click a bar, close the dialog, click that bar again: the dialog opens
    again, with the same printed cell's crop."""
    visit(page, "跨年")
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    charts.last.scroll_into_view_if_needed()
    bars = charts.last.locator(".mark-rect path")
    bars.nth(1).wait_for(timeout=60_000)
    opened = []
    for _ in range(2):
        # a plain click, not open_until_shown: its second click would hide the fault
        bars.nth(1).click(force=True)
        (cell,) = [f for f, _ in shown_crops(page, SAMPLE_PDF)]
        opened.append(cell)
        close_dialog(page)
        settle(page)  # the chart drawn anew under its new key, nothing selected
        bars.nth(1).wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "source-years-classes-twice.png"))
    assert opened[0] == opened[1] and opened[0].table == "公开03", opened


def test_click_a_year_worked_out_of_the_next_years_text(page: Any) -> None:
    """跨年's hollow point (a year with no report, worked out of the next year's text) says
    how it is made and shows both: the next year's printed cell and the change its text
    states, each outlined on its page; the drawn value is the one less the other."""
    visit(page, "跨年")
    report, _, data = _parsed(SAMPLE_PDF)
    chart = _chart(page, "历年收支")
    index, x, y = chart.locator(".js-plotly-plot").evaluate(
        "gd => { const i = gd.data.findIndex(t => t.name === '本年支出');"
        " const t = gd.data[i]; const j = t.marker.color.indexOf('white');"
        " return [i, t.x[j], t.y[j]]; }"
    )
    assert x == report.year - 1
    points = chart.locator(".scatterlayer .trace").nth(index).locator("path.point")
    j = chart.locator(".js-plotly-plot").evaluate(
        f"gd => gd.data[{index}].marker.color.indexOf('white')"
    )
    open_until_shown(page, lambda: points.nth(j).click(force=True))
    dialog_drawn(page)
    page.screenshot(path=str(ARTIFACTS / "source-years-worked-out.png"))
    dialog = page.locator('[role="dialog"]').inner_text()
    assert "计算方法" in dialog and "据次年报告推算" in dialog, dialog
    shown = dict(page.evaluate(CROPS_JS))
    (spent,) = [f for f in report.facts if f.table == "公开01" and f.item == "本年支出合计"]
    (change,) = [n for n in report.narrative if n.topic == "本年支出" and n.kind == "change"]
    assert spent.value - change.value == Decimal(str(round(y, 2)))
    fact_src = shown[fact_label(report, spent).replace("**", "")]
    assert _image(fact_src) == _picture(
        pageview.render_crop(data, spent.page, [spent.box], zoom="cell").image
    )
    (said,) = [src for label, src in shown.items() if label.startswith("说明 · 本年支出")]
    assert change.box is not None
    assert _image(said) == _picture(
        pageview.render_crop(data, change.page, [change.box], zoom="row").image
    )
    close_dialog(page)


def _image(src: str) -> bytes:
    assert src.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB")
    return _picture(image)


def _picture(image: Image.Image) -> bytes:
    return image.convert("RGB").tobytes() + repr(image.size).encode()
