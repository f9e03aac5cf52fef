"""Comparisons on the library, done in DuckDB SQL: one unit across years, units side by side.

Headline figures come from the ``metrics`` table, which holds for each report the very
figures its 总览 shows (:func:`core.present.frames.find_kpis`), so a number compared here is
the number on the report's own page. The functional classes (类) come from 公开03's facts.

Units are matched across years by :func:`core.library.store.unit_key` (full-width forms,
spaces and punctuation folded), and through ``unit_links`` where a rename was linked by hand.
Where one unit has several reports for one year, the one imported last stands for it.

A year with no report of its own is filled from the next year's report where its text states
the change on last year (本年数 − 增减额 = 上年数): such rows carry ``basis`` 推算 and name the
report and page they come from; they are never mixed up with a year that has its report.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from core.library.store import Library

#: The headline figures compared, in the order they are shown.
METRICS: tuple[str, ...] = (
    "本年收入",
    "本年支出",
    "年末结转和结余",
    "人员经费占基本支出",
    "三公经费",
    "三公经费预算",
    "绩效自评得分",
)

_UNITS = """
reports_u AS (
    SELECT r.*, coalesce(l.canonical, r.unit_key) AS ukey
    FROM reports r LEFT JOIN unit_links l ON l.alias = r.unit_key
),
-- one report per unit and year: the one imported last
chosen AS (
    SELECT * FROM reports_u WHERE year IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY ukey, year ORDER BY imported_at DESC, sha256) = 1
)
"""

#: 公开03's total column, most specific first (as frames.total_column chooses).
_TOTAL_PREF = """
CASE f.col WHEN '本年支出合计' THEN 1 WHEN '合计' THEN 2 WHEN '小计' THEN 3
           WHEN '支出合计' THEN 4 ELSE 9 END
"""


def units(library: Library) -> pd.DataFrame:
    """Every unit in the library: 单位键, 单位 (the latest name), 年度 (sorted list), 份数."""
    return library.query(
        f"""
        WITH {_UNITS}
        SELECT ukey AS 单位键,
               arg_max(unit, year) AS 单位,
               list(DISTINCT year ORDER BY year) AS 年度,
               count(*) AS 份数
        FROM chosen GROUP BY ukey ORDER BY 单位
        """
    )


def years(library: Library) -> list[int]:
    """The years the library holds reports for, latest first."""
    frame = library.query(
        "SELECT DISTINCT year FROM reports WHERE year IS NOT NULL ORDER BY year DESC"
    )
    return [int(y) for y in frame["year"]]


def unit_years(library: Library, ukey: str) -> pd.DataFrame:
    """One unit across years, long form: 年度, 指标, 数值, 单位, 依据 (报告 or 推算), 说明,
    页码, sha256. A 推算 row fills a year without its own report from the next year's text."""
    return library.query(
        f"""
        WITH {_UNITS},
        mine AS (SELECT * FROM chosen WHERE ukey = ?),
        own AS (
            SELECT m.year AS 年度, x.metric AS 指标, x.value AS 数值, x.unit AS 单位,
                   '报告' AS 依据, x.source AS 说明, x.pages AS 页码, m.sha256
            FROM mine m JOIN metrics x USING (sha256)
            WHERE x.value IS NOT NULL
        ),
        stated AS (
            SELECT m.year - 1 AS 年度, x.metric AS 指标, x.value - x.change AS 数值,
                   x.unit AS 单位, '推算' AS 依据,
                   m.year || ' 年报告说明：本年数 ' || CAST(x.value AS DECIMAL(18,2))
                     || ' 减比上年增减 ' || CAST(x.change AS DECIMAL(18,2)) AS 说明,
                   CAST(x.change_page AS VARCHAR) AS 页码, m.sha256
            FROM mine m JOIN metrics x USING (sha256)
            WHERE x.value IS NOT NULL AND x.change IS NOT NULL AND x.unit = '万元'
        )
        SELECT * FROM own
        UNION ALL
        SELECT * FROM stated s
        WHERE NOT EXISTS (SELECT 1 FROM mine m WHERE m.year = s.年度)
        ORDER BY 指标, 年度
        """,
        [ukey],
    )


def unit_classes(library: Library, ukey: str) -> pd.DataFrame:
    """One unit's functional classes (类, 公开03) across years: 年度, 类编码, 类名称, 金额,
    占比 (percent of the year's 类 together, to the cent)."""
    return library.query(
        f"""
        WITH {_UNITS},
        mine AS (SELECT * FROM chosen WHERE ukey = ?),
        cls AS (
            SELECT m.year, f.sha256, f.code, f.item, f.value, {_TOTAL_PREF} AS pref
            FROM mine m JOIN facts f USING (sha256)
            WHERE f.table_id = '公开03' AND length(f.code) = 3
            QUALIFY pref = min(pref) OVER (PARTITION BY f.sha256)
        )
        SELECT year AS 年度, code AS 类编码, any_value(item) AS 类名称, sum(value) AS 金额,
               CAST(100 * sum(value) / sum(sum(value)) OVER (PARTITION BY year)
                    AS DECIMAL(9, 2)) AS 占比
        FROM cls GROUP BY year, code ORDER BY code, year
        """,
        [ukey],
    )


def compare_units(library: Library, year: int, ukeys: Sequence[str] | None = None) -> pd.DataFrame:
    """Several units of one year side by side, one row each: 单位, the :data:`METRICS`, 问题
    (failed checks and missing tables; empty where no amount was read, so nothing was
    checked), 未通过, 缺表, sha256. Absent figures stay empty."""
    picks = ", ".join(f"max(x.value) FILTER (WHERE x.metric = '{m}') AS \"{m}\"" for m in METRICS)
    where = "AND c.ukey IN (SELECT unnest(?))" if ukeys else ""
    params: list[object] = [year] + ([list(ukeys)] if ukeys else [])
    return library.query(
        f"""
        WITH {_UNITS}
        SELECT c.unit AS 单位, c.ukey AS 单位键, {picks},
               -- a report with no amounts read (a blank template) was not checked: no count
               CASE WHEN c.facts = 0 THEN NULL ELSE c.problems END AS 问题,
               c.failed AS 未通过, c.missing AS 缺表, c.sha256
        FROM chosen c LEFT JOIN metrics x USING (sha256)
        WHERE c.year = ? {where}
        GROUP BY ALL ORDER BY 单位
        """,
        params,
    )


def reckoned(library: Library, year: int, ukeys: Sequence[str] | None = None) -> pd.DataFrame:
    """The figures of :func:`compare_units` that the report prints nowhere as such, reckoned
    from others (a blank 年末结转和结余 row of 公开01, from its totals): 单位, 指标, 数值, 说明
    (the reason, as 总览 gives it). A 0.00 in the table is then no printed zero."""
    where = "AND c.ukey IN (SELECT unnest(?))" if ukeys else ""
    params: list[object] = [year] + ([list(ukeys)] if ukeys else [])
    return library.query(
        f"""
        WITH {_UNITS}
        SELECT c.unit AS 单位, x.metric AS 指标, x.value AS 数值, x.note AS 说明
        FROM chosen c JOIN metrics x USING (sha256)
        WHERE c.year = ? {where} AND x.value IS NOT NULL AND x.note LIKE '%推算%'
        ORDER BY 单位, 指标
        """,
        params,
    )


def class_shares(library: Library, year: int, ukeys: Sequence[str] | None = None) -> pd.DataFrame:
    """Each unit's 类 shares of its 公开03 spending in one year: 单位, 类编码, 类名称, 金额, 占比."""
    where = "AND c.ukey IN (SELECT unnest(?))" if ukeys else ""
    params: list[object] = [year] + ([list(ukeys)] if ukeys else [])
    return library.query(
        f"""
        WITH {_UNITS},
        cls AS (
            SELECT c.unit, c.ukey, f.sha256, f.code, f.item, f.value, {_TOTAL_PREF} AS pref
            FROM chosen c JOIN facts f USING (sha256)
            WHERE c.year = ? {where} AND f.table_id = '公开03' AND length(f.code) = 3
            QUALIFY pref = min(pref) OVER (PARTITION BY f.sha256)
        )
        SELECT unit AS 单位, ukey AS 单位键, code AS 类编码, any_value(item) AS 类名称,
               sum(value) AS 金额,
               CAST(100 * sum(value) / sum(sum(value)) OVER (PARTITION BY ukey)
                    AS DECIMAL(9, 2)) AS 占比
        FROM cls GROUP BY unit, ukey, code ORDER BY 单位, 类编码
        """,
        params,
    )
