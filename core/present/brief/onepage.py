"""一页纸: one A4 page for the leader's desk — the unit, the year, the key numbers, the flow
chart, 三公, the execution of the budget and what the checks found (PDF, and a PNG of it).

The numbers and sentences are the dashboard's own (:mod:`core.present.frames`), so the page
cannot say anything the screen does not; what the report does not state is written as 未列示.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import plotly.graph_objects as go

from core.present import charts, export, frames
from core.present.brief.layout import ACCENT, ALERT, INK, MUTED, PANEL, RULE, Run, _fit_image
from core.present.brief.pdf import _Page, _pdf_font
from core.present.brief.record import _date_text, _heading
from core.records import Report

#: A4 portrait in inches, and the margin.
A4 = (210 / 25.4, 297 / 25.4)
PAGE_MARGIN = 0.55
PAGE_WIDTH = A4[0] - 2 * PAGE_MARGIN
#: The flow chart's box on the page (x, y, w, h in inches) and its drawing size in pixels.
FLOW_BOX = (PAGE_MARGIN, 4.05, PAGE_WIDTH, 4.0)
FLOW_SIZE = (800, 450)
#: Resolution of the PNG made from the PDF.
DEFAULT_PNG_DPI = 150


def _flow_figure(report: Report) -> go.Figure | None:
    """The Sankey where the report has one, else 总览's bars; laid out for a page, not a screen."""
    built = charts.build_sankey_chart(report) or charts.build_overview_chart(report)
    if built is None:
        return None
    fig = go.Figure(built)
    fig.update_layout(title_text="", title_subtitle_text="", margin={"t": 16, "b": 16})
    return fig


def write_one_page(report: Report, *, today: date | None = None) -> bytes:
    """The one-page summary as an A4 PDF, the CJK font embedded.

    Raises :class:`core.present.export.ExportUnavailable` when the flow chart cannot be drawn.
    """
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    problem = export.export_status()
    if problem is not None:
        raise problem
    font = _pdf_font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(A4[0] * 72, A4[1] * 72), initialFontName=font)
    canvas.setTitle(f"{report.unit} {_heading(report)} 一页纸")
    canvas.setAuthor("决算看板")
    page = _Page(canvas, font, height=A4[1])
    x0, width = PAGE_MARGIN, PAGE_WIDTH

    # -- head: unit, year, where from ----------------------------------------------------------
    page.rect((0, 0, A4[0], 0.12), ACCENT)
    top = 0.38
    top += page.text((x0, top, width, 0.8), Run(report.unit or "决算报告", 19, INK, True))
    page.runs(x0, top + 0.02, [Run(f"{_heading(report)} · 一页纸", 12, ACCENT, True)])
    generated = _date_text(today or date.today())
    source = f"{report.file_name or '上传的 PDF'}（共 {report.pages} 页） · 生成于 {generated}"
    page.runs(x0 + width, top + 0.04, [Run(source, 8, MUTED)], align="right")
    top += 0.34

    # -- the answer in one sentence --------------------------------------------------------------
    top += page.text(
        (x0, top, width, 1), Run(frames.balance_sentence(report), 11, INK), spacing=1.45
    )
    top += 0.08

    # -- key numbers: 4 × 2 cards ----------------------------------------------------------------
    kpis = frames.find_kpis(report)
    gap, card_h = 0.12, 0.92
    card_w = (width - 3 * gap) / 4
    for i, kpi in enumerate(kpis[:8]):
        row, col = divmod(i, 4)
        x, y = x0 + col * (card_w + gap), top + row * (card_h + gap)
        page.rect((x, y, card_w, card_h), PANEL)
        page.rect((x, y, 0.045, card_h), ACCENT)
        page.runs(x + 0.14, y + 0.1, [Run(kpi.label, 8.5, MUTED)])
        known = kpi.value is not None
        page.runs(
            x + 0.14,
            y + 0.32,
            [Run(kpi.headline, 13 if known else 11, INK if known else MUTED, known)],
        )
        change = "与上年持平" if kpi.flat else (kpi.change_words or "")
        # no change stated: the card's remark as 总览 shows it (a blank row reckoned as zero,
        # the parts of a ratio), where two lines hold it; a 0.00 never stands unexplained
        if not change and kpi.note and len(page.wrap(Run(kpi.note, 7, MUTED), card_w - 0.2)) <= 2:
            change = kpi.note
        if change:
            page.text((x + 0.14, y + 0.62, card_w - 0.2, 0.3), Run(change, 7, MUTED), spacing=1.2)
    top += 2 * card_h + gap + 0.12

    # -- the flow chart --------------------------------------------------------------------------
    page.runs(x0, top, [Run("资金从哪里来、花到哪里去", 11, INK, True)])
    fig = _flow_figure(report)
    box = (x0, top + 0.28, width, FLOW_BOX[3])
    if fig is None:
        page.text(box, Run("未列示：报告中没有读到收入和支出的金额，画不出流向。", 10, MUTED))
    else:
        png = export.figure_png(fig, width=FLOW_SIZE[0], height=FLOW_SIZE[1], scale=2)
        from core.present.brief.pictures import png_size

        x, y, w, h = _fit_image(png_size(png), box)
        canvas.drawImage(
            ImageReader(io.BytesIO(png)), page.pt(x), page.y(y + h), page.pt(w), page.pt(h)
        )
    top = box[1] + (box[3] if fig is not None else 0.3) + 0.15
    page.rect((x0, top, width, 0.01), RULE)
    top += 0.14

    # -- 三公 and the budget, side by side -------------------------------------------------------
    half = (width - 0.3) / 2
    left = _three_public_lines(report)
    right = _budget_lines(report)
    page.runs(x0, top, [Run("“三公”经费", 11, INK, True)])
    page.runs(x0 + half + 0.3, top, [Run("预算执行", 11, INK, True)])
    y_left = y_right = top + 0.3
    for line in left:
        y_left += page.text((x0, y_left, half, 1), Run(line, 8.5, INK), spacing=1.35) + 0.03
    for line in right:
        y_right += (
            page.text((x0 + half + 0.3, y_right, half, 1), Run(line, 8.5, INK), spacing=1.35) + 0.03
        )
    top = max(y_left, y_right) + 0.1
    page.rect((x0, top, width, 0.01), RULE)
    top += 0.14

    # -- what the checks found -------------------------------------------------------------------
    page.runs(x0, top, [Run("数据核验", 11, INK, True)])
    top += 0.3
    for line, alert in _check_lines(report):
        if top > A4[1] - 0.75:
            break
        colour = ALERT if alert else INK
        top += page.text((x0, top, width, 1), Run(line, 8.5, colour), spacing=1.35) + 0.03

    # -- foot --------------------------------------------------------------------------------------
    page.rect((x0, A4[1] - 0.5, width, 0.01), RULE)
    page.runs(
        x0,
        A4[1] - 0.42,
        [
            Run(
                "金额单位：万元；页码为 PDF 页码。数字均取自原始 PDF，由决算看板生成，与看板各页一致。",
                7.5,
                MUTED,
            )
        ],
    )
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _three_public_lines(report: Report) -> list[str]:
    state = frames.three_public_state(report)
    if state.state != "spent":
        return [state.words]
    frame = frames.three_public_frame(report)
    lines = []
    for _, row in frame.iterrows():
        text = f"{row['项目']}：决算 {frames.format_amount(row['决算数'])} 万元"
        if row["预算数"]:
            text += f"，预算 {frames.format_amount(row['预算数'])} 万元"
            if row["完成预算"] is not None:
                text += f"，完成 {frames.format_percent(row['完成预算'])}"
        else:
            text += "（未列示预算数）"
        lines.append(text)
    return lines


def _budget_lines(report: Report) -> list[str]:
    """The budget against what was spent: the text's whole, the scorecard's funds, the 项.

    年初预算 and 全年预算 each where stated; a budget not stated is not written as 0."""
    amount = frames.format_amount
    overall = frames.budget_overall(report)
    lines = []
    stated = [
        f"{name} {amount(overall[kind].value)} 万元"
        for kind, name in (("initial_budget", "年初预算"), ("budget", "全年预算"))
        if kind in overall
    ]
    if stated and "actual" in overall:
        text = (
            f"一般公共预算财政拨款支出：{'，'.join(stated)}，"
            f"决算 {amount(overall['actual'].value)} 万元"
        )
        if "rate" in overall:
            text += f"，完成 {frames.format_percent(overall['rate'].value)}"
        first = overall.get("budget") or overall["initial_budget"]
        lines.append(text + f"（第 {first.page} 页）")
    perf = frames.main_performance(report)
    if perf is not None:
        for fund in perf.funds:
            if not fund.full_year_budget and not fund.executed and not fund.initial_budget:
                continue
            budgets = [
                f"{name} {amount(value)} 万元"
                for name, value in (
                    ("年初预算", fund.initial_budget),
                    ("全年预算", fund.full_year_budget),
                )
                if value is not None
            ]
            text = f"{fund.name}：{'，'.join(budgets) or '预算未列示'}，执行 {amount(fund.executed)} 万元"
            if fund.execution_rate is not None:
                text += f"，执行率 {frames.format_percent(fund.execution_rate)}"
            lines.append(text + f"（绩效自评表，第 {fund.page} 页）")
    rows = frames.budget_execution_frame(report)
    kinds = [c for c in ("年初预算数", "全年预算数") if rows[c].notna().any()]
    if kinds:
        lines.append(
            f"说明列出 {len(rows)} 个项目的{'和'.join(kinds)}，逐项对比见看板“预算执行”页。"
        )
    return lines or ["未列示：报告没有写出预算数与执行数。"]


def _check_lines(report: Report) -> list[tuple[str, bool]]:
    counts = frames.check_counts(report)
    total = sum(counts.values())
    if total == 0:
        return [
            ("没有可核对的数字：报告中没有读到金额，因此没有做任何核对（这不等于没有问题）。", True)
        ]
    findings = frames.find_findings(report)
    problems = [f for f in findings if f.state in ("failed", "missing")]
    tails = [f for f in findings if f.state == "rounding"]
    head = f"核对了 {total} 项，" + (
        f"发现 {len(problems)} 个问题，需要对照原表核实。" if problems else "没有发现问题。"
    )
    if tails:
        head += f"另有 {len(tails)} 处几分钱的四舍五入尾差，属正常。"
    lines = [(head, bool(problems))]
    for f in problems[:5]:
        where = f"（{frames.format_pages(f.pages)}）" if f.pages else ""
        lines.append((f"· {f.sentence}{where}", True))
    if len(problems) > 5:
        lines.append((f"· 另有 {len(problems) - 5} 个问题，见看板“数据核验”页。", True))
    return lines


def one_page_png(pdf: bytes, dpi: int = DEFAULT_PNG_DPI) -> bytes:
    """The one-page PDF drawn as a PNG (PDFium), for a message or a screen."""
    import pypdfium2 as pdfium

    from core.pdf.lock import PDFIUM_LOCK

    with PDFIUM_LOCK:  # PDFium is not thread-safe: one lock for the whole process
        document = pdfium.PdfDocument(pdf)
        try:
            page = document[0]
            image = page.render(scale=dpi / 72).to_pil()
            page.close()
        finally:
            document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def one_page_files(report: Report, *, today: date | None = None) -> list[tuple[str, bytes, str]]:
    """The summary as (file name, bytes, MIME type): the PDF and its PNG."""
    from core.present.brief.files import file_stem

    pdf = write_one_page(report, today=today)
    stem = file_stem(report, "一页纸")
    return [
        (f"{stem}.pdf", pdf, "application/pdf"),
        (f"{stem}.png", one_page_png(pdf), "image/png"),
    ]


def write_one_page_files(report: Report, out_dir: Path) -> list[Path]:
    """Write ``<unit>_<year>_一页纸.pdf`` and ``.png`` into out_dir; return their paths."""
    files = one_page_files(report)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data, _mime in files:
        path = out_dir / name
        path.write_bytes(data)
        paths.append(path)
    return paths
