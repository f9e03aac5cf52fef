"""原始数据: each table as parsed, every fact and every stated figure with its page."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from core.present.frames.numbers import (
    format_pages,
)
from core.records import (
    Report,
)
from core.tables.templates import shown_tables

# -- 原始数据 -------------------------------------------------------------------------------------


def facts_frame(report: Report) -> pd.DataFrame:
    """Every fact, the tidy long form: 表, 分区, 上级, 编码, 项目, 栏目, 金额, 页码."""
    return pd.DataFrame(
        [
            (
                f.table,
                f.section or "",
                f.parent or "",
                f.code or "",
                f.item,
                f.column,
                f.value,
                f.page,
            )
            for f in report.facts
        ],
        columns=["表", "分区", "上级", "编码", "项目", "栏目", "金额", "页码"],
    )


def table_frame(report: Report, table_id: str) -> pd.DataFrame:
    """One table as parsed, rows and columns in print order, amounts exact.

    Index-free columns: (分区,) (上级,) (编码,) 项目, one column per printed amount column, 页码.
    The 分区/上级/编码 columns appear only where the table uses them.
    """
    facts = report.facts_of(table_id)
    if not facts:
        return pd.DataFrame([], columns=["项目", "页码"])
    keys: dict[tuple[str, str, str, str], dict[str, Decimal | int]] = {}
    amount_cols = list(dict.fromkeys(f.column for f in facts))
    for f in facts:
        key = (f.section or "", f.parent or "", f.code or "", f.item)
        row = keys.setdefault(key, {})
        row[f.column] = f.value
        row.setdefault("页码", f.page)
    rows = [{"分区": k[0], "上级": k[1], "编码": k[2], "项目": k[3], **v} for k, v in keys.items()]
    frame = pd.DataFrame(rows, columns=["分区", "上级", "编码", "项目", *amount_cols, "页码"])
    for optional in ("分区", "上级", "编码"):
        if (frame[optional] == "").all():
            frame = frame.drop(columns=optional)
    frame = frame.astype({c: object for c in amount_cols})
    frame[amount_cols] = frame[amount_cols].where(frame[amount_cols].notna(), None)
    return frame


def narrative_frame(report: Report) -> pd.DataFrame:
    """Every narrative figure in page order: 主题, 类型, 数值, 单位, 编码, 项目, 页码, 原文."""
    kinds = {
        "amount": "金额",
        "change": "增减额",
        "growth": "增减率",
        "budget": "全年预算数",
        "initial_budget": "年初预算数",
        "actual": "决算数",
        "count": "数量",
        "rate": "比率",
        "share": "占比",
    }
    return pd.DataFrame(
        [
            (
                n.topic,
                kinds.get(n.kind, n.kind),
                n.value,
                n.unit,
                n.code or "",
                n.item or "",
                n.page,
                n.sentence,
            )
            for n in sorted(report.narrative, key=lambda n: n.page)
        ],
        columns=["主题", "类型", "数值", "单位", "编码", "项目", "页码", "原文"],
    )


def tables_frame(report: Report) -> pd.DataFrame:
    """The report's tables and where each stands: 表, 名称, 页码, 数据项, 说明.

    The tables of the report's template come first, in its order; only those can be 未找到
    (a 高等学校四表 report has no 公开04, and does not lack one). Then the tables found that
    the template does not name (a table with a role of its own)."""
    rows = []
    found = {t.id: t.title for t in report.tables}
    for table_id, title in shown_tables(report.template, found).items():
        info = report.table(table_id)
        if info is None:
            rows.append((table_id, title, "未找到", 0, ""))
            continue
        n = len(report.facts_of(table_id))
        rows.append(
            (
                table_id,
                info.title,
                format_pages(info.pages),
                n,
                info.note or ("本表无数据" if info.empty else ""),
            )
        )
    return pd.DataFrame(rows, columns=["表", "名称", "页码", "数据项", "说明"])
