"""人员与公用: 人员经费 against 公用经费, and the 经济分类 款 of 公开06."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from core.present.frames.lookup import (
    _first,
    find_narrative,
    find_total,
    table_title,
)
from core.present.frames.numbers import (
    ZERO,
    part_share,
    to_float,
)
from core.records import (
    Report,
)

#: 经济分类 类 names (2024 科目), for a 公开06 that prints no 类 row.
DEFAULT_ECONOMIC_CLASSES: dict[str, str] = {
    "301": "工资福利支出",
    "302": "商品和服务支出",
    "303": "对个人和家庭的补助",
    "307": "债务利息及费用支出",
    "309": "资本性支出（基本建设）",
    "310": "资本性支出",
    "312": "对企业补助",
    "313": "对社会保障基金补助",
    "399": "其他支出",
}


# -- 人员与公用 -----------------------------------------------------------------------------------


def basic_spending(report: Report) -> Decimal | None:
    """基本支出 as 公开05 prints it: the one whole every 人员经费 share is taken of.

    公开06's 人员经费 + 公用经费 may differ from it by a rounding cent; two wholes gave two
    shares (90.32% on one page, 90.31% on another).
    """
    base = find_total(report, "公开05", "基本支出")
    return base.value if base is not None and base.value else None


def personnel_public_frame(report: Report) -> pd.DataFrame:
    """人员经费 and 公用经费 (公开06 人员经费合计 / 公用经费合计, else the narrative).

    Columns: 类别, 金额, 占比 (of :func:`basic_spending`, else of the two summed), 页码 (a
    tuple), 来源.
    """
    columns = ["类别", "金额", "占比", "页码", "来源"]
    rows: list[tuple[str, Decimal, tuple[int, ...], str]] = []
    for label in ("人员经费", "公用经费"):
        fact = _first(
            f for f in report.facts_of("公开06") if f.code is None and f.item.startswith(label)
        )
        if fact is not None:
            rows.append((label, fact.value, (fact.page,), table_title(report, "公开06")))
            continue
        stated = find_narrative(report, (label,), "amount")
        if stated is not None:
            rows.append((label, stated.value, (stated.page,), "说明"))
    whole = basic_spending(report) or sum((r[1] for r in rows), ZERO)
    # a share only among figures of one source (公开06, or the narrative): never mixed
    same = len({r[3] for r in rows}) == 1
    return pd.DataFrame(
        [(label, v, part_share(v, whole) if same else None, p, s) for label, v, p, s in rows],
        columns=columns,
    )


def economic_frame(report: Report, *, include_zero: bool = False) -> pd.DataFrame:
    """Every 经济分类 款 of 公开06 (301xx, 302xx, 303xx, 310xx …), largest first.

    Columns: 编码, 名称, 类编码, 类名称, 金额, 页码. Zero rows are left out unless asked.
    """
    columns = ["编码", "名称", "类编码", "类名称", "金额", "页码"]
    facts = [f for f in report.facts_of("公开06") if f.code]
    classes = dict(DEFAULT_ECONOMIC_CLASSES)
    classes.update({f.code: f.item for f in facts if f.code and len(f.code) == 3 and f.item})
    rows = [
        (f.code, f.item, f.code[:3], classes.get(f.code[:3], f.code[:3]), f.value, f.page)
        for f in facts
        if f.code and len(f.code) == 5 and (include_zero or f.value != 0)
    ]
    frame = pd.DataFrame(rows, columns=columns)
    if frame.empty:
        return frame
    frame["_v"] = to_float(frame["金额"])
    frame = frame.sort_values(["_v", "编码"], ascending=[False, True], kind="stable")
    return frame.drop(columns="_v").reset_index(drop=True)
