"""单位对比 in the briefing pack: a comparison slide, and a short pack around it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go

from core.present import export
from core.present.brief.pictures import _chart_png, png_size
from core.present.brief.record import CHART, TITLE, Brief, Slide, _date_text
from core.present.compare_charts import reckoned_notes
from core.present.frames import format_amount


def comparison_slide(
    frame: pd.DataFrame,
    metric: str,
    year: int,
    fig: go.Figure,
    reckoned: pd.DataFrame | None = None,
) -> Slide:
    """A 单位对比 slide: the comparison chart of one figure across units of one year, with
    the highest and lowest named in the takeaway (units that do not state it are named too).

    ``frame`` is :func:`core.library.compare.compare_units`'s; ``fig`` the chart drawn from it
    (with ``reckoned``, it says under its bars which figure is reckoned, not printed);
    ``reckoned`` (:func:`core.library.compare.reckoned`): such a figure named in the takeaway
    says （推算）.
    """
    notes = reckoned_notes(reckoned, metric)
    shas = list(frame["sha256"]) if "sha256" in frame.columns else [""] * len(frame)
    stated = [
        (u, v, str(h) in notes)
        for u, v, h in zip(frame["单位"], frame[metric], shas, strict=True)
        if v is not None
    ]
    absent = [u for u, v in zip(frame["单位"], frame[metric], strict=True) if v is None]
    unit = "%" if metric.endswith("占基本支出") else ("分" if metric.endswith("得分") else " 万元")

    def shown(v: Decimal, worked_out: bool) -> str:
        return f"{format_amount(v)}{unit}" + ("，推算" if worked_out else "")

    if stated:
        top = max(stated, key=lambda r: r[1])
        low = min(stated, key=lambda r: r[1])
        takeaway = f"{len(stated)} 个单位中{metric}最高为{top[0]}（{shown(top[1], top[2])}）"
        if len(stated) > 1:
            takeaway += f"，最低为{low[0]}（{shown(low[1], low[2])}）"
    else:
        takeaway = f"所选单位的报告均未列示{metric}"
    if absent:
        takeaway += f"；{'、'.join(absent)}未列示"
    png = _chart_png(fig)
    return Slide(
        kind=CHART,
        title=f"{year} 年度单位对比：{metric}",
        takeaway=takeaway,
        image=png,
        image_size=png_size(png),
        source=f"数据来源：报告库中各单位 {year} 年度决算报告",
        chart="compare",
    )


def build_comparison_brief(
    frame: pd.DataFrame,
    metric: str,
    year: int,
    fig: go.Figure,
    *,
    reckoned: pd.DataFrame | None = None,
    today: date | None = None,
) -> Brief:
    """A short pack for a comparison: a title slide and the comparison slide (``reckoned``:
    as :func:`comparison_slide`)."""
    problem = export.export_status()
    if problem is not None:
        raise problem
    generated = today or date.today()
    title = Slide(
        kind=TITLE,
        title=f"{year} 年度单位对比",
        takeaway=f"{len(frame)} 个单位",
        lines=("决算简报", "数据来源：报告库", f"生成日期：{_date_text(generated)}"),
    )
    return Brief(
        unit="单位对比",
        year=year,
        scope="决算",
        file_name="报告库",
        generated=generated,
        slides=(title, comparison_slide(frame, metric, year, fig, reckoned)),
    )
