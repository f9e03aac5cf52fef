"""Building the pack: :func:`build_brief` and the fixed slides (title, 主要数字, 数据核验, 资料来源)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from core.accounts.checks import summarize
from core.present import export, frames
from core.present.brief.pictures import _chart_slide, _charts, draw_charts
from core.present.brief.record import (
    CHECKS,
    FIGURES,
    SOURCES,
    TITLE,
    Brief,
    Card,
    Slide,
    _date_text,
    _heading,
)
from core.present.brief.takeaways import _growth_words
from core.present.frames import format_amount, format_pages
from core.records import STANDARD_TABLES, Report

# -- building -----------------------------------------------------------------------------------


#: Told how far the pack has come: (steps done, steps in all, what is being done).
Progress = Callable[[int, int, str], None]


def build_brief(
    report: Report,
    *,
    today: date | None = None,
    progress: Progress | None = None,
    images: Mapping[str, bytes] | None = None,
    keep: Callable[[str, bytes], None] | None = None,
) -> Brief:
    """The pack for this report: fixed slides around one slide per chart the report can draw.

    Each chart is drawn here once (the PPTX and the PDF show the same PNG), all of them side
    by side in the export browser's tabs, but for those in ``images``: drawn before for this
    same report (:func:`core.present.brief.pictures.chart_images`), keyed by chart.
    ``progress`` is told (images drawn, images in all, what is being done); ``keep`` is
    handed each image drawn here, by chart key (:func:`~core.present.brief.pictures.draw_charts`).
    Raises :class:`core.present.export.ExportUnavailable` when no browser can draw them.
    """
    problem = export.export_status()
    if problem is not None:
        raise problem
    generated = today or date.today()
    found = _charts(report)

    def drawn(done: int, total: int) -> None:
        if progress is not None:
            progress(done, total, _drawing_text(done, total))

    drawn_images = draw_charts(found, ready=images, progress=drawn, keep=keep)
    chart_slides = [_chart_slide(key, fig, say, drawn_images[key]) for key, fig, say in found]
    slides = (
        _title_slide(report, generated),
        _figures_slide(report),
        *chart_slides,
        _checks_slide(report),
        *_problem_slides(report),
        _sources_slide(report, generated),
    )
    return Brief(
        unit=report.unit,
        year=report.year,
        scope=report.scope,
        file_name=report.file_name,
        generated=generated,
        slides=slides,
    )


def _drawing_text(done: int, total: int) -> str:
    """What the progress bar says while the charts are drawn."""
    if done == total:
        return f"图表已画好（{total} 张）"
    return f"正在画图表：已画好 {done}/{total} 张"


def _title_slide(report: Report, generated: date) -> Slide:
    source = f"数据来源：{report.file_name or '上传的 PDF'}（共 {report.pages} 页）"
    return Slide(
        kind=TITLE,
        title=report.unit or "决算报告",
        takeaway=_heading(report),
        lines=("决算简报", source, f"生成日期：{_date_text(generated)}"),
    )


def _change_text(change: Decimal | None, growth: Decimal | None, delta: str | None) -> str:
    """How a stated change on last year reads; flat only when the narrative says zero."""
    if delta is None:
        return ""
    if (change is None or change == 0) and (growth is None or growth == 0):
        return "与上年持平"
    return f"较上年 {delta}"


def _figures_slide(report: Report) -> Slide:
    kpis = frames.find_kpis(report)
    cards = []
    for kpi in kpis:
        value, _, unit = kpi.text.partition(" ")
        # "未列示" only where nothing else is said: a count of checks has no page, and is no
        # figure the report failed to print
        where = f"见 PDF {format_pages(kpi.pages)}" if kpi.pages else ""
        note = "　".join(p for p in (where, kpi.note) if p) or "报告中未列示"
        cards.append(
            Card(kpi.label, value, unit, _change_text(kpi.change, kpi.growth, kpi.delta), note)
        )
    parts = []
    said = ("收入总计", "本年支出", "年末结转和结余")
    for kpi in sorted(kpis, key=lambda k: said.index(k.label) if k.label in said else 9):
        if kpi.label not in said or kpi.value is None:
            continue
        growth = _growth_words(kpi.growth, kpi.change)
        parts.append(f"{kpi.label} {kpi.text}" + (f"（{growth}）" if growth else ""))
    pages = sorted({p for kpi in kpis for p in kpi.pages})
    return Slide(
        kind=FIGURES,
        title="主要数字",
        takeaway="，".join(parts) or "报告中没有读到收支总数。",
        cards=tuple(cards),
        pages=tuple(pages),
        source=f"数据来源：{report.file_name or '原始 PDF'}（PDF {format_pages(pages)}）　金额单位：万元"
        if pages
        else "",
    )


def _checks_slide(report: Report) -> Slide:
    counts = summarize(report.checks)
    total = sum(counts.values())
    ok = counts["passed"] + counts["rounding"]
    if total == 0:
        takeaway = "本报告没有可核对的勾稽关系。"
    elif ok == total:
        takeaway = f"{total} 项勾稽关系全部通过" + (
            f"，其中 {counts['rounding']} 项为四舍五入尾差" if counts["rounding"] else ""
        )
    else:
        bad = []
        if counts["failed"]:
            bad.append(f"{counts['failed']} 项未通过")
        if counts["missing"]:
            bad.append(f"缺 {counts['missing']} 张标准表")
        takeaway = f"{total} 项勾稽关系中 {ok} 项通过，" + "，".join(bad)
    table: list[tuple[str, ...]] = [("类别", "核对项", "通过", "尾差通过", "未通过或缺表")]
    checks = frames.checks_frame(report)
    for kind, group in checks.groupby("类别", sort=False):
        states = list(group["状态"])
        table.append(
            (
                str(kind),
                str(len(states)),
                str(states.count("通过")),
                str(states.count("尾差通过")),
                str(states.count("未通过") + states.count("缺表")),
            )
        )
    lines = []
    problems = checks.loc[checks["状态"].isin(["未通过", "缺表"])]
    for _, row in problems.head(5).iterrows():
        if row["状态"] == "缺表":
            lines.append(f"缺表：{row['规则']}")
        else:
            where = f"，PDF {row['页码']}" if row["页码"] else ""
            lines.append(
                f"未通过：{row['规则']}（应为 {format_amount(row['应为'])}，"
                f"表中为 {format_amount(row['实为'])}{where}）"
            )
    if len(problems) > 5:
        lines.append(f"另有 {len(problems) - 5} 项，见数据表“数据核验”页。")
    if counts["rounding"]:
        lines.append("尾差：表中各数已四舍五入到分，相加时出现的几分钱差额，在容差之内，属正常。")
    pages = sorted({p for c in report.checks for p in c.pages})
    return Slide(
        kind=CHECKS,
        title="数据核验",
        takeaway=takeaway,
        table=tuple(table),
        lines=tuple(lines),
        pages=tuple(pages),
        source="核验各表内平衡、表间勾稽、说明与表中数字是否一致；明细见数据表“数据核验”页",
    )


def _sources_slide(report: Report, generated: date) -> Slide:
    table: list[tuple[str, ...]] = [("表", "名称", "PDF 页码", "说明")]
    pages: set[int] = set()
    for table_id, title in STANDARD_TABLES.items():
        info = report.table(table_id)
        if info is None:
            table.append((table_id, title, "未找到", ""))
            continue
        pages.update(info.pages)
        note = "本表无数据" if info.empty else ""
        if not info.empty and not any(f.value for f in report.facts_of(table_id)):
            note = "金额均为零"
        table.append((table_id, info.title, format_pages(info.pages), note))
    for perf in report.performance:
        pages.update(perf.pages)
        name = perf.title or "绩效自评表"
        table.append(("绩效", name, format_pages(perf.pages), perf.project or ""))
    text_pages = sorted({n.page for n in report.narrative} - pages)
    if text_pages:
        table.append(("说明", "决算说明（文字部分）", _page_runs(text_pages), "文中数字"))
    name = report.file_name or "上传的 PDF"
    lines = (
        f"原表金额单位：{report.source_unit}，本简报统一为万元；页码均为 PDF 页码。"
        "图表与看板同源，由决算看板根据原始 PDF 自动生成。",
    )
    return Slide(
        kind=SOURCES,
        title="资料来源",
        takeaway=f"数字均取自 {name}（共 {report.pages} 页），可按页码核对原表",
        table=tuple(table),
        lines=lines,
        pages=tuple(sorted(pages | set(text_pages))),
        source=f"原始文件：{name}　生成日期：{_date_text(generated)}",
    )


def _page_runs(pages: Sequence[int]) -> str:
    """``第 3、17–20 页``: runs of consecutive pages joined."""
    runs: list[list[int]] = []
    for page in sorted(set(pages)):
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    return "第 " + "、".join(parts) + " 页"


def _problem_slides(report: Report) -> list[Slide]:
    """One slide per failed check: both printed figures cropped from the PDF, side by side."""
    from core.present import pageview, trace
    from core.present.brief.layout import DEFAULT_PDF_FONTS
    from core.present.brief.pictures import png_size
    from core.present.brief.record import MAX_PROBLEM_SLIDES, PROBLEM
    from core.present.brief.takeaways import _amount

    data = pageview.pdf_bytes(report.sha256)
    font = next((str(p) for p in DEFAULT_PDF_FONTS if p.exists()), None)
    failed = [c for c in report.checks if not c.ok and c.kind not in ("missing", "damaged", "ocr")]
    slides = []
    for check in failed[:MAX_PROBLEM_SLIDES]:
        found, expected = trace.facts_for_check(report, check)
        panels = []
        for name, value, facts in (
            ("表中印出", check.found, found),
            ("应为", check.expected, expected),
        ):
            crops = []
            if data is not None:
                # the terms on one page share one crop, every one outlined
                for page in sorted({f.page for f in facts})[:2]:
                    boxes = [f.box for f in facts if f.page == page and f.box is not None]
                    if boxes:
                        crops.append(pageview.render_crop(data, page, boxes, zoom="row").image)
            if data is None:
                note = "PDF 原文未载入，无法附上原文截图"
            elif value is None:
                note = "报告中没有这一项"
            else:
                note = "由多项相加得出，PDF 中没有单独印出"
            pages = "、".join(sorted({f"第 {f.page} 页" for f in facts}))
            panels.append((f"{name} {_amount(value)}　{pages}".rstrip(), crops, note))
        image = pageview.png_bytes(pageview.compose_panels(panels, font))
        gap = check.gap
        slides.append(
            Slide(
                kind=PROBLEM,
                title=f"核验未通过：{check.rule}",
                takeaway=(
                    f"应为 {_amount(check.expected)}，表中为 {_amount(check.found)}"
                    + (f"，相差 {format_amount(gap, sign=True)} 万元" if gap is not None else "")
                ),
                image=image,
                image_size=png_size(image),
                pages=tuple(check.pages),
                source="左为表中印出的数，右为按勾稽关系应有的数；框出的是 PDF 原页上的单元格",
            )
        )
    return slides
