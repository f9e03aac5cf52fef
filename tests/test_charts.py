"""Chart builders, tested through fig.to_dict() against the reports' real numbers; image export."""

from __future__ import annotations

import json
import re
import struct
from dataclasses import replace
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from conftest import CORPUS

from core.accounts.parse import parse_report
from core.present import charts, export, frames
from core.records import Fact, NarrativeFigure, Report

D = Decimal


def trace(fig: go.Figure | None, i: int = 0) -> dict[str, Any]:
    assert fig is not None
    return fig.to_dict()["data"][i]  # type: ignore[no-any-return]


def layout(fig: go.Figure | None) -> dict[str, Any]:
    assert fig is not None
    return fig.to_dict()["layout"]  # type: ignore[no-any-return]


def colours_in(fig: go.Figure) -> set[str]:
    """Every colour string a figure names, template included."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and node.startswith("#"):
            found.add(node.lower())

    walk(fig.to_dict())
    return found


def all_charts(report: Report) -> dict[str, go.Figure | None]:
    figs: dict[str, go.Figure | None] = {
        "sankey": charts.build_sankey_chart(report),
        "waterfall": charts.build_waterfall_chart(report),
        "split": charts.build_spending_split_chart(report),
        "treemap": charts.build_treemap_chart(report),
        "treemap_income": charts.build_treemap_chart(report, "收入"),
        "personnel": charts.build_personnel_chart(report),
        "economic": charts.build_economic_chart(report),
        "three_public": charts.build_three_public_chart(report),
        "budget": charts.build_budget_execution_chart(report),
        "change": charts.build_item_change_chart(report),
    }
    for perf in report.performance:
        figs["gauge"] = charts.build_score_gauge_chart(report, perf)
        figs["indicators"] = charts.build_indicator_chart(report, perf)
        figs["funds"] = charts.build_fund_execution_chart(report, perf)
    return figs


# -- every figure -------------------------------------------------------------------------------


def figure_words(fig: go.Figure) -> str:
    """Every text a figure's image shows outside its data: title, subtitle, annotations."""
    lay = layout(fig)
    title = lay.get("title", {})
    parts = [title.get("text", ""), title.get("subtitle", {}).get("text", "")]
    parts += [a.get("text", "") for a in lay.get("annotations", [])]
    return " ".join(parts)


@pytest.mark.parametrize("which", ["sample", "putuo"])
def test_no_figure_asks_for_a_click(
    which: str, sample_report: Report, putuo_report: Report
) -> None:
    """An exported image (the toolbar's 下载 PNG, the download buttons, a slide) shows the
    figure as it is, where nothing can be clicked or hovered: the treemap's title said
    “点击方块看原文并进入下一级” and its subtitle “放不下名称的小方块见图下列表” in the PNG."""
    report = sample_report if which == "sample" else putuo_report
    figs = all_charts(report)
    figs["treemap_branch"] = charts.build_treemap_chart(report, "支出", "201")
    for name, fig in figs.items():
        if fig is not None:
            words = figure_words(fig)
            assert not re.search(r"点击|悬停|图下列表|click", words), (name, words)


def test_every_figure_has_the_template_title_and_source(sample_report: Report) -> None:
    built = {k: v for k, v in all_charts(sample_report).items() if v is not None}
    assert {"sankey", "waterfall", "split", "treemap", "personnel", "economic", "change"} <= set(
        built
    )
    for name, fig in built.items():
        lay = layout(fig)
        assert lay["template"]["layout"]["font"]["family"] == charts.FONT_FAMILY, name
        assert "福建省12345政务服务便民热线中心" in lay["title"]["subtitle"]["text"], name
        assert "2024 年度单位决算" in lay["title"]["subtitle"]["text"], name
        assert "PDF 第" in lay["title"]["subtitle"]["text"], name
        assert lay["height"] >= 300, name
        json.dumps(fig.to_dict())  # serialisable: no Decimal left in a figure


def test_figures_ignore_the_streamlit_default_template(sample_report: Report) -> None:
    # Importing st.plotly_chart makes Streamlit's placeholder template the process default;
    # its colours (#000001 …) come out near-black in exported images.
    import streamlit.elements.plotly_chart  # noqa: F401

    assert pio.templates.default == "streamlit"
    for name, fig in all_charts(sample_report).items():
        if fig is None:
            continue
        placeholders = {c for c in colours_in(fig) if c.startswith("#0000") and len(c) == 7}
        assert not placeholders, (name, placeholders)
        assert layout(fig)["template"]["layout"]["colorway"][0] == charts.PALETTE["blue"]


def test_builders_return_none_when_there_is_nothing_to_draw(sample_report: Report) -> None:
    nothing = replace(sample_report, tables=(), facts=(), narrative=(), performance=(), checks=())
    assert all(fig is None for fig in all_charts(nothing).values())


# -- 收支平衡 -------------------------------------------------------------------------------------


def test_sankey_of_the_sample(sample_report: Report) -> None:
    data = trace(charts.build_sankey_chart(sample_report))
    labels = data["node"]["label"]
    assert data["type"] == "sankey"
    assert "一般公共预算财政拨款收入  <b>243.54</b>" in labels
    assert "收支总计  <b>319.08</b>" in labels
    assert "年末结转和结余  <b>107.98</b>" in labels
    assert sorted(data["link"]["value"]) == sorted(
        [243.54, 75.54, 182.29, 8.91, 4.65, 15.25, 107.98]
    )
    middle = next(i for i, label in enumerate(labels) if label.startswith("收支总计"))
    links = list(
        zip(data["link"]["source"], data["link"]["target"], data["link"]["value"], strict=True)
    )
    assert sum(v for _, t, v in links if t == middle) == pytest.approx(319.08)  # 243.54 + 75.54
    assert sum(v for s, _, v in links if s == middle) == pytest.approx(319.08)  # classes + 年末
    assert ["一般公共服务支出" in c[1] for c in data["link"]["customdata"]].count(True) == 1
    assert all(c[3] == "PDF 第 5 页" for c in data["link"]["customdata"])


def test_sankey_of_putuo(putuo_report: Report) -> None:
    data = trace(charts.build_sankey_chart(putuo_report))
    assert "收支总计  <b>307.82</b>" in data["node"]["label"]
    assert 264.87 in data["link"]["value"]


def test_sankey_caption_names_only_the_carry_over_drawn(
    sample_report: Report, putuo_report: Report
) -> None:
    """putuo has no 年初结转和结余 row: its caption must not promise one on the left."""
    assert "收入来源和年初结转和结余" in charts.sankey_caption(sample_report)
    assert "本年支出和年末结转和结余" in charts.sankey_caption(sample_report)
    said = charts.sankey_caption(putuo_report)
    assert "结转" not in said and said.startswith(
        "左侧为收入来源，右侧为按功能分类（类）的本年支出；"
    )
    xinan = parse_report(CORPUS / "xinan-daxue-2023-bumen-juesuan.pdf")
    said = charts.sankey_caption(xinan)  # 高等学校: 上年结转, 结余分配
    assert "上年结转和结余" in said and "年初" not in said and "结余分配" in said


def test_waterfall_of_the_sample(sample_report: Report) -> None:
    fig = charts.build_waterfall_chart(sample_report)
    data = trace(fig)
    assert data["measure"] == ["absolute", "relative", "relative", "absolute"]
    assert data["y"] == [75.54, 243.54, -211.09, 107.98]
    assert data["text"] == ["75.54", "+243.54", "-211.09", "107.98"]
    # the one-cent rounding gap between the computed and the printed closing is spelt out
    notes = [a["text"] for a in layout(fig).get("annotations", [])]
    assert any("推算为 107.99 万元" in n and "表中列 107.98 万元" in n for n in notes)


def test_waterfall_labels_stay_clear_of_the_title_and_the_note(sample_report: Report) -> None:
    """At half width (1280 px screen) the +243.54 over the highest bar ran into the subtitle and
    the tilted step names ran over the rounding note: the axis reaches above the highest
    level (75.54 + 243.54 = 319.08) with room for its label, and the names sit on short lines."""
    fig = charts.build_waterfall_chart(sample_report)
    y_range = layout(fig)["yaxis"]["range"]
    assert y_range[0] == 0 and y_range[1] >= 319.08 * 1.15
    xaxis = layout(fig)["xaxis"]
    assert xaxis["tickangle"] == 0
    assert "年初结转<br>和结余" in xaxis["ticktext"]
    note = next(a for a in layout(fig)["annotations"] if "推算" in a["text"])
    assert note["yshift"] <= -60  # below two lines of step names
    # the ticks read 300 or 600,000, never an English SI "600k"
    axis = charts.DEFAULT_TEMPLATE.layout.yaxis
    assert axis.exponentformat == "none" and axis.separatethousands is True


def test_waterfall_says_why_a_blank_end_stands_where_it_does(putuo_report: Report) -> None:
    """putuo's 公开01 leaves 年初 and 年末结转和结余 blank (总计 = 本年收入合计 = 307.82): the
    bars were labelled 0.00 as if printed and nothing under the chart said why. The bars say
    空白 / 推算, and the note, inside the figure so the exported image has it, says why."""
    fig = charts.build_waterfall_chart(putuo_report)
    data = trace(fig)
    assert data["text"] == ["空白", "+307.82", "-307.82", "推算<br>0.00"]
    notes = " ".join(a["text"] for a in layout(fig).get("annotations", []))
    assert "年初结转和结余：表中空白" in notes and "年末结转和结余：表中空白" in notes
    assert [c[2] for c in data["customdata"]][0] == "表中空白"  # hover: no "空白 万元"
    # each note line fits a half-width chart at 1280 px (the page puts it beside another)
    for line in notes.split("<br>"):
        assert charts.text_px(line, 13) <= charts.HALF_WIDTH_1280 - 56, line


def test_waterfall_with_no_end_of_the_balance_known(putuo_report: Report) -> None:
    """Without 总计 the blank 年初 cannot be told from a missing one: neither end is drawn as
    a number (no bar height reckoned from an unknown start), and the note says so."""
    facts = tuple(
        f for f in putuo_report.facts if not (f.table == "公开01" and f.item in ("总计", "合计"))
    )
    fig = charts.build_waterfall_chart(replace(putuo_report, facts=facts))
    data = trace(fig)
    assert data["text"][0] == "未列示" and data["text"][-1] == "未列示"
    assert data["y"][-1] == 0.0
    notes = " ".join(a["text"] for a in layout(fig).get("annotations", []))
    assert "表中未列示" in notes and "0.00" not in notes


def test_spending_split(sample_report: Report, putuo_report: Report) -> None:
    data = trace(charts.build_spending_split_chart(sample_report))
    assert data["y"] == ["基本支出", "项目支出"]
    assert data["x"] == [211.09, 0.0]
    assert data["text"][0] == "211.09 万元 · 100.00%"
    data = trace(charts.build_spending_split_chart(putuo_report))
    assert data["text"] == ["105.58 万元 · 34.30%", "202.24 万元 · 65.70%"]
    assert data["marker"]["color"] == [charts.PALETTE["blue"], charts.PALETTE["amber"]]


# -- 功能分类 -------------------------------------------------------------------------------------


def test_treemap_of_the_sample(sample_report: Report) -> None:
    data = trace(charts.build_treemap_chart(sample_report))
    by_id = dict(zip(data["ids"], range(len(data["ids"])), strict=True))
    assert data["type"] == "treemap"
    assert data["branchvalues"] == "total"
    assert data["labels"][0] == "本年支出合计　211.09 万元"  # a branch says its total
    assert data["values"][0] == pytest.approx(211.10)  # the printed leaves, summed
    i = by_id["2010350"]
    assert data["parents"][i] == "20103"
    assert data["labels"][i] == "事业运行"
    assert data["values"][i] == 182.29
    assert data["customdata"][i][:4] == ["2010350", "项", "182.29", "86.36%"]
    assert data["customdata"][0][2] == "211.09"  # the root shows the printed 合计
    assert data["pathbar"]["visible"] is True
    # every item is 基本支出: a 项目支出 colour scale would mean nothing, so each 类 has a colour
    assert "colorscale" not in data["marker"]
    assert data["pathbar"]["side"] == "bottom"  # clear of the title block
    # a branch shows its total on its header line
    assert data["labels"][by_id["201"]].endswith(" 万元")


def test_treemap_labels_every_box_or_folds_it(sample_report: Report) -> None:
    """The sample's 类 are 86 %, 7 %, 4 % and 2 % of the map: before, the two smallest boxes
    (and the 7 % one's amount) had no label at all. Now the two smallest are one box, named,
    that opens on a click; the map is drawn one level at a time, and the subtitle says so."""
    fig = charts.build_treemap_chart(sample_report)
    data = trace(fig)
    by_id = dict(zip(data["ids"], range(len(data["ids"])), strict=True))
    assert data["maxdepth"] == 2  # one level at a time: each box is drawn whole
    folded = by_id["root/其他"]
    assert data["labels"][folded] == "较小的 2 项　13.56 万元"  # 8.91 + 4.65
    assert data["parents"][by_id["208"]] == data["parents"][by_id["210"]] == "root/其他"
    assert data["parents"][by_id["221"]] == "root"
    assert data["customdata"][folded][2:4] == ["13.56", "6.42%"]
    # a box beside the big one is a narrow strip: its name in short lines and its share
    assert data["texttemplate"][by_id["221"]] == "<b>住房保障<br>支出</b><br>%{customdata[3]}"
    assert "万元" in data["texttemplate"][by_id["201"]]
    subtitle = layout(fig)["title"]["subtitle"]["text"]
    assert "较小的科目合在" in subtitle
    # the list under the map gives each 类 the share the map gives it
    listed = frames.branch_table(sample_report).set_index("科目")
    assert listed.loc["201 一般公共服务支出", "占比"] == D("86.36")
    assert data["customdata"][by_id["201"]][3] == "86.36%"
    # every class is still there, inside the folded box or beside it
    assert {"201", "208", "210", "221"} <= set(data["ids"])


def test_treemap_of_putuo_is_coloured_by_project_share(putuo_report: Report) -> None:
    data = trace(charts.build_treemap_chart(putuo_report))
    colour = dict(zip(data["ids"], data["marker"]["colors"], strict=True))
    assert colour["2013999"] == 1.0
    assert colour["2013901"] == 0.0
    assert colour["201"] == pytest.approx(202.24 / 264.87)


def test_treemap_income_side(sample_report: Report) -> None:
    fig = charts.build_treemap_chart(sample_report, "收入")
    data = trace(fig)
    assert data["labels"][0] == "本年收入合计　243.54 万元"
    assert data["values"][0] == pytest.approx(243.54)
    assert "公开02" in layout(fig)["title"]["subtitle"]["text"]


# -- 人员与公用 -----------------------------------------------------------------------------------


def test_personnel_ring(sample_report: Report, putuo_report: Report) -> None:
    fig = charts.build_personnel_chart(sample_report)
    data = trace(fig)
    assert data["labels"] == ["人员经费", "公用经费"]
    assert data["values"] == [197.34, 13.75]
    assert data["text"][0] == "197.34 万元<br>93.49%"
    assert "<b>211.09</b>" in layout(fig)["annotations"][0]["text"]
    # the middle shows 基本支出 as printed (105.58), not the sum of the parts (105.59)
    assert (
        "<b>105.58</b>"
        in layout(charts.build_personnel_chart(putuo_report))["annotations"][0]["text"]
    )


def test_economic_bars(sample_report: Report) -> None:
    fig = charts.build_economic_chart(sample_report)
    assert fig is not None
    data = fig.to_dict()["data"]
    assert [t["name"] for t in data] == ["301 工资福利支出", "302 商品和服务支出"]
    assert data[0]["y"][0] == "奖金" and data[0]["x"][0] == 43.33
    order = layout(fig)["yaxis"]["categoryarray"]
    assert order[:3] == ["奖金", "绩效工资", "基本工资"]
    assert 0.0 not in data[0]["x"]
    shown = sum(len(t["x"]) for t in data)
    with_zero = charts.build_economic_chart(sample_report, include_zero=True)
    assert with_zero is not None
    assert sum(len(t["x"]) for t in with_zero.to_dict()["data"]) > shown


# -- 三公 -----------------------------------------------------------------------------------------


def test_three_public_none_when_nothing_was_spent(
    sample_report: Report, putuo_report: Report
) -> None:
    assert charts.build_three_public_chart(sample_report) is None  # printed zeros
    assert charts.build_three_public_chart(putuo_report) is None  # 本表无数据


def test_three_public_bars_with_budget() -> None:
    rows = [
        ("合计", "预算数", "12.00"),
        ("合计", "决算数", "9.50"),
        ("因公出国（境）费", "预算数", "5.00"),
        ("因公出国（境）费", "决算数", "3.00"),
        ("公务用车购置及运行维护费", "预算数", "4.00"),
        ("公务用车购置及运行维护费", "决算数", "4.00"),
        ("公务用车购置费", "决算数", "0.00"),
        ("公务用车运行维护费", "决算数", "4.00"),
        ("公务接待费", "预算数", "3.00"),
        ("公务接待费", "决算数", "2.50"),
    ]
    facts = tuple(Fact("公开07", None, None, None, i, c, D(v), 14) for i, c, v in rows)
    report = Report("某单位", 2024, "部门决算", "万元", 20, (), facts, (), ())
    fig = charts.build_three_public_chart(report)
    budget, actual = trace(fig, 0), trace(fig, 1)
    assert budget["name"] == "预算数" and actual["name"] == "决算数"
    assert budget["x"][0] == 12.0 and actual["x"][0] == 9.5
    assert actual["text"][0] == "9.50（79.17%）"
    assert actual["y"][3] == "　其中：公务用车购置费"


# -- 绩效自评 -------------------------------------------------------------------------------------


def test_score_gauge(sample_report: Report) -> None:
    perf = frames.main_performance(sample_report)
    assert perf is not None
    fig = charts.build_score_gauge_chart(sample_report, perf)
    data = trace(fig)
    assert data["type"] == "indicator"
    assert data["value"] == 96.62
    assert [s["range"] for s in data["gauge"]["steps"]] == [[0, 60], [60, 80], [80, 90], [90, 100]]
    notes = " ".join(a["text"] for a in layout(fig)["annotations"])
    assert "<b>优</b>" in notes and "优 ≥90" in notes and "差 <60" in notes
    assert "单位：分" in layout(fig)["title"]["subtitle"]["text"]


def test_indicator_and_fund_bars(sample_report: Report) -> None:
    perf = frames.main_performance(sample_report)
    assert perf is not None
    fig = charts.build_indicator_chart(sample_report, perf)
    weights, scores = trace(fig, 0), trace(fig, 1)
    # the indicators, then the funds block's 预算执行率 (10 points, 6.62 earned)
    assert weights["x"] == [2.0, 2.0, 2.0, 20.0, 6.0, 10.0, 8.0, 30.0, 10.0, 10.0]
    assert scores["x"][:-1] == weights["x"][:-1]  # every indicator earned its full weight
    assert scores["x"][-1] == 6.62
    # the bars add up to the 总分
    assert sum(scores["x"]) == pytest.approx(float(perf.total_score))
    assert "20 / 20" in scores["text"]
    fig = charts.build_fund_execution_chart(sample_report, perf)
    initial, full_year, executed = trace(fig, 0), trace(fig, 1), trace(fig, 2)
    assert [initial["name"], full_year["name"], executed["name"]] == [
        "年初预算数",
        "全年预算数",
        "全年执行数",
    ]
    assert executed["x"] == [211.09]
    assert executed["text"] == ["211.09"]
    # each budget says how much of it was spent: 211.09 / 243.54, and the printed 执行率
    assert initial["text"] == ["243.54 · 完成 86.68%"]
    assert full_year["text"] == ["319.08 · 完成 66.16%"]


# -- 预算执行 -------------------------------------------------------------------------------------


def test_budget_execution_bars(putuo_report: Report) -> None:
    fig = charts.build_budget_execution_chart(putuo_report)
    # putuo states each 项's 全年预算 only: no 年初预算 series drawn at zero beside it
    assert len(fig.to_dict()["data"]) == 2  # type: ignore[union-attr]
    budget, actual = trace(fig, 0), trace(fig, 1)
    assert budget["name"] == "全年预算数" and actual["name"] == "决算数"
    assert budget["x"][0] == 52.0 and actual["x"][0] == 51.32
    assert budget["text"][0] == "52.00 · 完成 98.69%"
    assert budget["y"][0] == "行政运行"
    assert 202.24 in budget["x"]
    assert "各项目全年预算数与决算数" in layout(fig)["title"]["text"]


def _narrated(*figures: NarrativeFigure) -> Report:
    return Report("某单位", 2024, "部门决算", "万元", 20, (), (), (), figures)


def test_budget_execution_with_initial_budgets_only() -> None:
    """A report that states each 项's 年初预算 and 决算 (no 全年预算): the chart draws 年初预算数
    against 决算数 with the completion, and no 全年预算数 bars at zero."""
    said = "年初预算为 120.00 万元，支出决算为 118.75 万元。"
    fig = charts.build_budget_execution_chart(
        _narrated(
            NarrativeFigure(
                "功能分类项", "initial_budget", D("120.00"), 19, said, "2080505", "养老"
            ),
            NarrativeFigure("功能分类项", "actual", D("118.75"), 19, said, "2080505", "养老"),
        )
    )
    data = fig.to_dict()["data"]  # type: ignore[union-attr]
    assert [t["name"] for t in data] == ["年初预算数", "决算数"]
    assert data[0]["x"] == [120.0] and data[1]["x"] == [118.75]
    assert data[0]["text"] == ["120.00 · 完成 98.96%"]
    assert "全年预算数" not in layout(fig)["title"]["text"]
    assert "各项目年初预算数与决算数" in layout(fig)["title"]["text"]


def test_budget_execution_says_a_missing_budget_is_not_stated() -> None:
    """One 项 with a 全年预算, another with a 年初预算 only: each missing budget says 未列示,
    never 0.00, and no completion is made up for it."""
    a = "全年预算为 52.00 万元，支出决算为 51.32 万元。"
    b = "年初预算为 9.00 万元，支出决算为 6.18 万元。"
    fig = charts.build_budget_execution_chart(
        _narrated(
            NarrativeFigure("功能分类项", "budget", D("52.00"), 18, a, "2013901", "行政运行"),
            NarrativeFigure("功能分类项", "actual", D("51.32"), 18, a, "2013901", "行政运行"),
            NarrativeFigure("功能分类项", "initial_budget", D("9.00"), 19, b, "2080505", "养老"),
            NarrativeFigure("功能分类项", "actual", D("6.18"), 19, b, "2080505", "养老"),
        )
    )
    initial, full_year, actual = (trace(fig, i) for i in range(3))
    assert initial["text"] == ["未列示", "9.00 · 完成 68.67%"]
    assert full_year["text"] == ["52.00 · 完成 98.69%", "未列示"]
    assert "未列示" in initial["hovertext"][0] and "0.00" not in initial["hovertext"][0]
    assert actual["text"] == ["51.32", "6.18"]


def test_item_change_bars(sample_report: Report) -> None:
    fig = charts.build_item_change_chart(sample_report)
    bars, notes = trace(fig, 0), trace(fig, 1)
    change = dict(zip(bars["y"], bars["x"], strict=True))
    assert change["提租补贴"] == -0.17
    assert change["住房公积金"] == 5.49
    assert "  -0.17（-6.62%）" in notes["text"]
    assert min(notes["x"]) == 0.0  # a decrease is labelled right of the zero line


# -- export -------------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _stop_export_browser() -> Any:
    """Close the export browser once this module is done (else its temp folder outlives it)."""
    yield
    export.stop()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_png_and_svg_export(sample_report: Report, tmp_path: Any) -> None:
    fig = charts.build_waterfall_chart(sample_report)
    assert fig is not None
    png = export.figure_png(fig)
    assert png_size(png) == (2 * charts.DEFAULT_EXPORT_WIDTH, 2 * 480)
    assert len(png) > 20_000
    svg = export.figure_svg(fig).decode("utf-8")
    assert svg.lstrip().startswith("<svg")
    assert "结转结余的来龙去脉" in svg and "107.98" in svg
    assert charts.PALETTE["teal"].lower() in svg.lower() or "rgb(42, 157, 143)" in svg
    (tmp_path / "waterfall.png").write_bytes(png)


def test_export_says_plainly_when_there_is_no_browser(
    sample_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "find_browser", lambda: None)
    problem = export.export_status()
    assert isinstance(problem, export.ExportUnavailable)
    assert "Chromium" in problem.message_zh
    fig = charts.build_waterfall_chart(sample_report)
    assert fig is not None
    with pytest.raises(export.ExportUnavailable, match="没有可用的 Chromium"):
        export.figure_png(fig)


def test_export_rejects_unknown_formats(sample_report: Report) -> None:
    fig = charts.build_waterfall_chart(sample_report)
    assert fig is not None
    with pytest.raises(ValueError, match="'gif'"):
        export.figure_image(fig, "gif")


def test_modebar_camera_config() -> None:
    config = charts.export_config("单位_2024_收支流向")
    assert config["toImageButtonOptions"] == {
        "format": "png",
        "filename": "单位_2024_收支流向",
        "scale": 3,
    }
    assert config["displaylogo"] is False


# -- 看板 II ------------------------------------------------------------------------------------


def test_toolbar_speaks_chinese_offline() -> None:
    config = charts.export_config("x")
    assert config["locale"] == "zh-CN"
    words = config["locales"]["zh-CN"]["dictionary"]
    # the English texts of the plotly.js Streamlit bundles, as its modebar asks for them
    assert words["Download plot as a PNG"] == "下载图表（PNG 图片）"
    assert words["Zoom"] == "缩放" and words["Pan"] == "平移"


def test_overview_chart_leaves_out_what_is_not_printed(
    sample_report: Report, putuo_report: Report, template_report: Report
) -> None:
    data = trace(charts.build_overview_chart(sample_report))
    assert data["y"] == ["年初结转和结余", "本年收入", "本年支出", "年末结转和结余"]
    assert data["x"] == [75.54, 243.54, 211.09, 107.98]
    assert data["text"][1] == "243.54 万元"
    # putuo's 公开01 leaves 年初 and 年末 blank: no bar drawn as zero
    assert trace(charts.build_overview_chart(putuo_report))["y"] == ["本年收入", "本年支出"]
    assert charts.build_overview_chart(template_report) is None


def test_personnel_ring_and_card_say_the_same_share(putuo_report: Report) -> None:
    data = trace(charts.build_personnel_chart(putuo_report))
    kpi = {k.label: k for k in frames.find_kpis(putuo_report)}["人员经费占基本支出"]
    assert data["text"][0].endswith(kpi.text)  # 90.32% on both
    assert data["automargin"] is True  # the outside label is not cut
    # a small slice's three-line label above the ring stays under the subtitle (it overlapped
    # the source line): the ring ends well below the plot's top
    assert data["domain"]["y"][1] <= 0.75


def test_treemap_of_a_branch(putuo_report: Report) -> None:
    data = trace(charts.build_treemap_chart(putuo_report, "支出", "201"))
    assert data["level"] == "201"


def drawn_box_text(fig: go.Figure, width: int) -> list[tuple[str, float]]:
    """Each treemap box's text as the exported SVG draws it at ``width`` px: (text, px), the
    size after plotly's own shrinking to fit (font-size × the text's scale)."""
    svg = export.figure_svg(fig, width=width).decode("utf-8")
    found = []
    pattern = (
        r'<text[^>]*class="slicetext"[^>]*font-size: ([0-9.]+)px[^>]*'
        r'transform="([^"]*)"[^>]*>(.*?)</text>'
    )
    for size, transform, inner in re.findall(pattern, svg):
        text = re.sub(r"<[^>]+>", "", inner).strip()
        scale = re.search(r"scale\(([0-9.e-]+)\)", transform)
        if text:  # the boxes below the level in view are drawn empty
            found.append((text, float(size) * (float(scale.group(1)) if scale else 1.0)))
    return found


@pytest.mark.parametrize(
    "pdf", ["xinan-daxue-2023-bumen-juesuan.pdf", "putuo-shehuigongzuobu-2024-bumen-juesuan.pdf"]
)
def test_treemap_big_boxes_read_large_at_1280(pdf: str) -> None:
    """西南大学's 教育支出 fills 93 % of the map, yet its name was drawn at 12 px: with
    ``uniformtext`` every box took the size of the narrowest box's text. Drawn as at 1280×720
    (818 px), a box of a third of the map or more reads at 20 px or more, and no box's text
    is shrunk below 11 px."""
    from core.accounts.parse import parse_report

    report = parse_report(CORPUS / pdf)
    fig = charts.build_treemap_chart(report, "支出")
    assert fig is not None
    data = trace(fig)
    kids = [i for i, p in enumerate(data["parents"]) if p == "root"]
    biggest = max(kids, key=lambda i: data["values"][i])
    assert data["values"][biggest] >= data["values"][0] / 3  # both: one 类 is most of the map
    name = data["labels"][biggest].split("　")[0]
    drawn = drawn_box_text(fig, charts.FULL_WIDTH_1280)
    assert len(drawn) >= 3, drawn  # the root's header and two boxes at least
    assert all(px >= 11 for _t, px in drawn), drawn
    assert [px for text, px in drawn if text.startswith(name)][0] >= 20, drawn


@pytest.mark.parametrize("which", ["sample", "putuo"])
def test_every_chart_has_room_under_its_subtitle(
    which: str, sample_report: Report, putuo_report: Report
) -> None:
    """plotly centred the title block in the top margin, so a three-line subtitle's last line
    (数据来源) sat on the plot: 经济分类's first bar touched it. Drawn as on a 1280 px screen
    and on a wide one, the subtitle's last line ends at least 16 px above the plot."""
    report = sample_report if which == "sample" else putuo_report
    for name, fig in all_charts(report).items():
        if fig is None:
            continue
        lines = (fig.layout.title.subtitle.text or "").count("<br>") + 1
        for width in (charts.FULL_WIDTH_1280, 1500):
            svg = export.figure_svg(fig, width=width).decode("utf-8")
            found = re.search(r'<text class="gtitle-subtitle"[^>]* y="([0-9.]+)"', svg)
            assert found is not None, name
            size = float(fig.layout.title.subtitle.font.size)
            bottom = float(found.group(1)) + 1.3 * size * (lines - 1) + 0.3 * size  # descent
            top = float(fig.layout.margin.t)  # automargin only ever pushes the plot lower
            assert bottom + 16 <= top, (name, width, bottom, top)


@pytest.mark.parametrize("width", [4, 8, 14])
def test_wrapped_names_leave_no_character_alone(width: int) -> None:
    """西南大学's waterfall named its step 使用非财/政拨款结/余: a name wrapped over lines
    never ends in a line of one character, and no line is wider than asked."""
    for name in ("使用非财政拨款结余", "社会保障和就业支出", "住房保障支出", "一般公共服务支出"):
        lines = charts.base._wrap(name, width).split("<br>")
        assert "".join(lines) == name
        assert all(len(line) <= width for line in lines), lines
        assert len(lines) == 1 or min(len(line) for line in lines) >= 2, lines
