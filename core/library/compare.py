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

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd

from core.library.store import Library
from core.present import trace
from core.records import Fact, NarrativeFigure, Report

if TYPE_CHECKING:
    from core.present.frames import Kpi

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
    占比 (percent of the year's 类 together, to the cent), sha256 (the year's report)."""
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
                    AS DECIMAL(9, 2)) AS 占比,
               sha256
        FROM cls GROUP BY year, code, sha256 ORDER BY code, year
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
    (the reason, as 总览 gives it), sha256. A 0.00 in the table is then no printed zero."""
    where = "AND c.ukey IN (SELECT unnest(?))" if ukeys else ""
    params: list[object] = [year] + ([list(ukeys)] if ukeys else [])
    return library.query(
        f"""
        WITH {_UNITS}
        SELECT c.unit AS 单位, x.metric AS 指标, x.value AS 数值, x.note AS 说明, c.sha256
        FROM chosen c JOIN metrics x USING (sha256)
        WHERE c.year = ? {where} AND x.value IS NOT NULL AND x.note LIKE '%推算%'
        ORDER BY 单位, 指标
        """,
        params,
    )


def class_shares(library: Library, year: int, ukeys: Sequence[str] | None = None) -> pd.DataFrame:
    """Each unit's 类 shares of its 公开03 spending in one year: 单位, 单位键, 类编码, 类名称,
    金额, 占比, sha256 (the report they come from)."""
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
                    AS DECIMAL(9, 2)) AS 占比,
               sha256
        FROM cls GROUP BY unit, ukey, code, sha256 ORDER BY 单位, 类编码
        """,
        params,
    )


# -- keys: each compared number back to the printed cells of its own report -----------------------

#: Reads a stored report by its sha256 (the library's, or a cache in front of it); None (or
#: KeyError) when it is gone.
Loader = Callable[[str], Report | None]


def _unit_of(kpi_unit: str) -> str:
    return kpi_unit if kpi_unit in ("%", "分") else "万元"


def _stated(
    report: Report, value: Decimal, pages: Sequence[int], unit: str
) -> list[NarrativeFigure]:
    page = pages[0] if pages else None
    return [n for n in trace.stated(report, value=value, page=page) if n.unit == _unit_of(unit)]


def _personnel_key(report: Report, text: str, note: str) -> str:
    """人员经费占基本支出 is a ratio: the key names the 人员经费 cell and the whole it is taken
    of (公开05's 基本支出, else 人员经费 + 公用经费), and says so."""
    from core.present import frames

    split = frames.personnel_public_frame(report)
    facts: list[Fact] = []
    figures: list[NarrativeFigure] = []
    base = frames.find_total(report, "公开05", "基本支出")
    use_base = frames.basic_spending(report) is not None and base is not None
    for label, value, pages, source in zip(
        split["类别"], split["金额"], split["页码"], split["来源"], strict=True
    ):
        if label != "人员经费" and use_base:
            continue
        if source == "说明":
            figures += trace.stated(report, value=value, page=pages[0], topic=label, kind="amount")
        else:
            facts += [
                f
                for f in trace.cells(report, "公开06", page=pages[0], value=value)
                if f.code is None and f.item.startswith(label)
            ]
    if use_base and base is not None:
        facts.append(base)
    return trace.point_key(facts, figures, report=report.sha256, note=f"{text} = {note}")


#: report_keys of the reports last asked about, by sha256 (with the very Report object).
_KEYS: OrderedDict[str, tuple[Report, dict[str, str]]] = OrderedDict()
_KEYS_LOCK = threading.Lock()


def report_keys(report: Report) -> dict[str, str]:
    """:func:`_report_keys`, kept for the last reports asked about (a page of the library
    draws the same reports' points on every rerun)."""
    with _KEYS_LOCK:
        held = _KEYS.get(report.sha256)
        if held is not None and held[0] is report:
            _KEYS.move_to_end(report.sha256)
            return held[1]
    keys = _report_keys(report)
    with _KEYS_LOCK:  # the app's sessions share it
        _KEYS[report.sha256] = (report, keys)
        while len(_KEYS) > 64:
            _KEYS.popitem(last=False)
    return keys


def _report_keys(report: Report) -> dict[str, str]:
    """For each headline figure the library holds of a report (its ``metrics`` rows: the
    总览 cards but the count of problems, and 三公经费预算), the key of the printed cells (or
    stated figures, or 总分) of ``report`` it is, or is worked out of (with how); the empty
    key (for this report) where it has none."""
    from core.library.store import three_public_budget
    from core.present import frames

    sha = report.sha256
    out: dict[str, str] = {}
    for kpi in frames.find_kpis(report):
        if kpi.unit == "个":
            continue  # the count of problems: no printed cell
        key = trace.point_key(report=sha)
        if kpi.value is None:
            pass
        elif kpi.label == "人员经费占基本支出":
            key = _personnel_key(report, kpi.text, kpi.note)
        elif kpi.label == "绩效自评得分" and kpi.source != "说明":
            perf = next(
                (p for p in report.performance if p.total_score == kpi.value and p.total_page),
                None,
            )
            if perf is not None:
                key = trace.point_key(totals=[perf], report=sha)
        elif kpi.label == "三公经费" and kpi.source != "说明":
            facts = trace.cells(report, "公开07", value=kpi.value, item="合计", column="决算数")
            key = trace.point_key(facts, report=sha)
        elif kpi.facts:
            key = trace.point_key(kpi.facts, report=sha)
        elif kpi.source == "说明":
            key = trace.point_key((), _stated(report, kpi.value, kpi.pages, kpi.unit), report=sha)
        elif kpi.label == "年末结转和结余" and kpi.note:
            # a blank row worked out as zero from the table's own totals (see the card's note)
            parts = [
                frames.find_fact_01(report, "支出", name)
                for name in ("总计", "支出总计", "本年支出合计", "结余分配")
            ]
            key = trace.point_key(
                [f for f in parts if f is not None], report=sha, note=f"0.00 = {kpi.note}"
            )
        if kpi.value is not None and key == trace.point_key(report=sha) and kpi.note:
            # no cell behind the figure (a blank 公开07 read as none spent): say why
            key = trace.point_key(report=sha, note=f"{kpi.text}：{kpi.note}")
        out[kpi.label] = key
    budget = three_public_budget(report)
    if budget is not None:
        value = budget[0]
        # 公开07's 预算数 cell where printed, else the text's 全年预算数 (as the budget is taken)
        facts = trace.cells(report, "公开07", value=value, item="合计", column="预算数")
        figures = (
            [] if facts else trace.stated(report, value=value, topic="三公经费", kind="budget")
        )
        out["三公经费预算"] = trace.point_key(facts, figures, report=sha)
    return out


def _loader(library: Library, load: Loader | None) -> Callable[[str], dict[str, str]]:
    read = _reader(library, load)
    held: dict[str, dict[str, str]] = {}

    def keys_of(sha: str) -> dict[str, str]:
        if sha not in held:
            report = read(sha)
            # a report removed meanwhile: its points name nothing
            held[sha] = report_keys(report) if report is not None else {}
        return held[sha]

    return keys_of


def _reader(library: Library, load: Loader | None) -> Callable[[str], Report | None]:
    def read(sha: str) -> Report | None:
        try:
            return (load or library.report)(sha)
        except KeyError:
            return None

    return read


def year_keys(library: Library, frame: pd.DataFrame, load: Loader | None = None) -> list[str]:
    """The key of each row of :func:`unit_years`: a report's own figure names its cells; a
    year worked out of the next year's text (推算) names that report's figure and the change
    its text states, and says how."""
    keys_of = _loader(library, load)
    out = []
    for sha, metric, basis, year, value, note in zip(
        frame["sha256"],
        frame["指标"],
        frame["依据"],
        frame["年度"],
        frame["数值"],
        frame["说明"],
        strict=True,
    ):
        own = keys_of(str(sha)).get(str(metric), trace.point_key(report=str(sha)))
        if basis != "推算":
            out.append(own)
            continue
        report = _reader(library, load)(str(sha))
        if report is None:
            out.append(trace.point_key(report=str(sha)))
            continue
        kpi = next((k for k in _kpis(report) if k.label == metric and k.change is not None), None)
        change = [kpi.change_figure] if kpi is not None and kpi.change_figure else []
        out.append(
            trace.merge_keys(
                [own, trace.point_key((), change)],
                report=str(sha),
                note=f"{int(year)} 年{metric} {_amount(value)} 万元据次年报告推算：{note}",
            )
        )
    return out


def _kpis(report: Report) -> list[Kpi]:
    from core.present import frames

    return frames.find_kpis(report)


def unit_keys(
    library: Library, frame: pd.DataFrame, metric: str, load: Loader | None = None
) -> list[str]:
    """The key of ``metric`` in each row of :func:`compare_units` (row by row)."""
    keys_of = _loader(library, load)
    return [
        keys_of(str(sha)).get(metric, trace.point_key(report=str(sha))) for sha in frame["sha256"]
    ]


def class_keys(library: Library, classes: pd.DataFrame, load: Loader | None = None) -> list[str]:
    """The key of each row of :func:`unit_classes`: the 类's printed cells of 公开03 in the
    year's report (its 金额; where it is several cells, their sum, said so)."""
    read = _reader(library, load)
    held: dict[str, Report | None] = {}
    out = []
    for sha, code in zip(classes["sha256"], classes["类编码"], strict=True):
        sha = str(sha)
        if sha not in held:
            held[sha] = read(sha)
        report = held[sha]
        mine = [f for f in _class_cells(report) if f.code == code] if report is not None else []
        note = f"{code} 为 {len(mine)} 个单元格之和" if len(mine) > 1 else ""
        out.append(trace.point_key(mine, report=sha, note=note))
    return out


def share_keys(library: Library, shares: pd.DataFrame, load: Loader | None = None) -> list[str]:
    """The key of each row of :func:`class_shares`: the 类's printed cells of 公开03 (the total
    column the share was taken in), and how the share is worked out of them."""
    read = _reader(library, load)
    held: dict[str, Report | None] = {}
    out = []
    for sha, code, name, amount, pct in zip(
        shares["sha256"],
        shares["类编码"],
        shares["类名称"],
        shares["金额"],
        shares["占比"],
        strict=True,
    ):
        sha = str(sha)
        if sha not in held:
            held[sha] = read(sha)
        report = held[sha]
        if report is None:
            out.append(trace.point_key(report=sha))
            continue
        facts = _class_cells(report)
        mine = [f for f in facts if f.code == code]
        whole = sum((f.value for f in facts), Decimal(0))
        note = (
            f"{code} {name} 占比 {pct}% = 该类 {_amount(amount)} ÷ 各类合计 {_amount(whole)} 万元"
            f"（{len({f.code for f in facts})} 个类之和）"
        )
        out.append(trace.point_key(mine, report=sha, note=note))
    return out


_TOTAL_ORDER = ("本年支出合计", "合计", "小计", "支出合计")


def _class_cells(report: Report) -> list[Fact]:
    """公开03's 类 rows in its total column, as :func:`class_shares` takes them (the columns
    of the first kind :data:`_TOTAL_PREF` ranks, any other column last)."""
    rows = [f for f in report.facts_of("公开03") if f.code and len(f.code) == 3]

    def rank(f: Fact) -> int:
        return _TOTAL_ORDER.index(f.column) if f.column in _TOTAL_ORDER else len(_TOTAL_ORDER)

    best = min((rank(f) for f in rows), default=0)
    return [f for f in rows if rank(f) == best]


def _amount(value: Decimal) -> str:
    from core.present.frames import format_amount

    return format_amount(Decimal(value))
