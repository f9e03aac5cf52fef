"""The facts as an Excel workbook (openpyxl): 概况, one sheet per 公开 table, 全部数据, 数据核验."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from core.present import frames
from core.present.brief.layout import _em
from core.present.brief.record import _heading
from core.present.frames import format_pages
from core.records import STANDARD_TABLES, Report

# -- the workbook -------------------------------------------------------------------------------

#: Sheet names of the workbook besides one per 公开 table.
OVERVIEW_SHEET, FACTS_SHEET, CHECKS_SHEET = "概况", "全部数据", "数据核验"
AMOUNT_FORMAT = "#,##0.00"
_TEXT_COLUMNS = ("分区", "上级", "编码", "项目", "表", "栏目", "规则", "类别", "状态", "涉及表")


def write_workbook(report: Report) -> bytes:
    """The facts as an Excel workbook (openpyxl).

    Sheets: 概况 (the report and its tables), one per 公开 table present (rows as the table
    reads, one column per printed amount column, amounts as numbers to the cent in 万元, and
    the PDF page), 全部数据 (every fact with its page, one row each, in report order) and
    数据核验 (every check).
    """
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = OVERVIEW_SHEET
    _overview_sheet(sheet, report)
    for table_id in STANDARD_TABLES:
        info = report.table(table_id)
        if info is None:
            continue
        ws = book.create_sheet(table_id)
        head = f"{frames.table_title(report, table_id)}"
        where = f"{report.unit}　{_heading(report)}　金额单位：万元　PDF {format_pages(info.pages)}"
        frame = frames.table_frame(report, table_id)
        if frame.empty or not report.facts_of(table_id):
            note = info.note or ("本表无数据" if info.empty else "表中未读到金额")
            _write_frame(ws, pd.DataFrame({"说明": [note]}), head, where, amounts=())
            continue
        amounts = [c for c in frame.columns if c not in ("分区", "上级", "编码", "项目", "页码")]
        _write_frame(ws, frame, head, where, amounts=amounts)
    facts = frames.facts_frame(report).rename(columns={"金额": "金额（万元）"})
    _write_frame(book.create_sheet(FACTS_SHEET), facts, None, None, amounts=("金额（万元）",))
    checks = frames.checks_frame(report)
    _write_frame(
        book.create_sheet(CHECKS_SHEET),
        checks,
        None,
        None,
        amounts=("应为", "实为", "差额", "容差"),
        precise=("容差",),
    )
    book.properties.title = f"{report.unit} {_heading(report)} 数据"
    book.properties.creator = "决算看板"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _overview_sheet(ws: Any, report: Report) -> None:
    from openpyxl.styles import Font

    ws["A1"] = report.unit
    ws["A1"].font = Font(size=14, bold=True)
    rows = [
        ("年度", report.year or "未识别"),
        ("类型", report.scope),
        ("原始文件", report.file_name),
        ("页数", report.pages),
        ("原表金额单位", report.source_unit),
        ("本数据表金额单位", "万元"),
        ("文件校验码（SHA-256）", report.sha256),
    ]
    for i, (key, value) in enumerate(rows, start=2):
        ws.cell(row=i, column=1, value=key)
        ws.cell(row=i, column=2, value=value)
    start = len(rows) + 3
    _write_frame(ws, frames.tables_frame(report), None, None, amounts=(), start=start)
    ws.column_dimensions["A"].width = 22


def _write_frame(
    ws: Any,
    frame: pd.DataFrame,
    head: str | None,
    where: str | None,
    *,
    amounts: Sequence[str],
    precise: Sequence[str] = (),
    start: int = 1,
) -> None:
    """A frame as a sheet: optional title lines, a bold header, amounts to the cent, filters."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    row = start
    if head:
        ws.cell(row=row, column=1, value=head).font = Font(size=14, bold=True)
        row += 1
    if where:
        ws.cell(row=row, column=1, value=where).font = Font(color="5B6675")
        row += 1
    if head or where:
        row += 1
    header_row = row
    fill = PatternFill("solid", fgColor="EEF2F7")
    for c, name in enumerate(frame.columns, start=1):
        label = f"{name}（万元）" if name in amounts and "万元" not in str(name) else str(name)
        cell = ws.cell(row=row, column=c, value=label)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for values in frame.itertuples(index=False):
        row += 1
        for c, (name, value) in enumerate(zip(frame.columns, values, strict=True), start=1):
            cell = ws.cell(row=row, column=c, value=_cell_value(value))
            if name in amounts:
                # a tolerance is half a cent per amount summed: show its third decimal
                cell.number_format = AMOUNT_FORMAT + ("0" if name in precise else "")
            elif name in _TEXT_COLUMNS:
                cell.number_format = "@"
    for c, name in enumerate(frame.columns, start=1):
        letter = get_column_letter(c)
        if name in amounts:
            width = 16.0
        elif name in ("项目", "规则", "名称", "说明"):
            width = 44.0 if name != "规则" else 60.0
        else:
            longest = max([_em(str(name)), *(_em(str(v)) for v in frame[name].head(200))])
            width = min(max(8.0, longest * 2 + 2), 30.0)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, width)
    if start == 1:
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if len(frame):
        last = get_column_letter(len(frame.columns))
        ws.auto_filter.ref = f"A{header_row}:{last}{row}"


def _cell_value(value: Any) -> Any:
    """Exact amounts stay Decimal (written as numbers); missing cells stay empty."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, Decimal | str | int | float):
        return value
    try:
        return value.item()  # numpy scalars
    except AttributeError:
        return str(value)
