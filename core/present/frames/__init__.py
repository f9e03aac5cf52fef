"""Records -> pandas DataFrames, in one place: one module per page of the dashboard.

Every view of a :class:`~core.records.Report` that the dashboard draws or shows as a table is
made in this package. Amounts stay exact :class:`~decimal.Decimal` values in 万元 inside these
frames, so a table shows the cents as printed and a sum never drifts; :func:`to_float` turns a
column into floats for drawing only. Every row keeps the 1-based PDF page its number was read
from.

Nothing here decides how a number looks on screen except :mod:`.numbers`
(:func:`format_amount`, :func:`format_percent`, :func:`format_pages`), which the charts and the
pages share so that a number reads the same everywhere (two decimals, thousands separators).

| module | what it makes |
| --- | --- |
| ``numbers`` | formatting, shares, floats for drawing |
| ``lookup`` | one fact or stated figure: a 公开01 row, a table's 合计, the narrative |
| ``overview`` | 总览's headline figures (:class:`Kpi`) |
| ``balance`` | 收支平衡: Sankey links, waterfall steps, 基本/项目支出 |
| ``classification`` | 功能分类 类→款→项 |
| ``personnel`` | 人员经费, 公用经费, 经济分类 |
| ``three_public`` | 三公 |
| ``performance`` | 绩效自评 |
| ``budget`` | 预算执行 |
| ``checks`` | 数据核验 |
| ``raw`` | 原始数据 |

Import from the package (``from core.present import frames``; ``frames.find_kpis``): the
modules are how the code is kept, not a second interface.
"""

from core.present.frames.balance import *  # noqa: F403
from core.present.frames.budget import *  # noqa: F403
from core.present.frames.checks import *  # noqa: F403
from core.present.frames.classification import *  # noqa: F403
from core.present.frames.lookup import *  # noqa: F403
from core.present.frames.numbers import *  # noqa: F403
from core.present.frames.overview import *  # noqa: F403
from core.present.frames.performance import *  # noqa: F403
from core.present.frames.personnel import *  # noqa: F403
from core.present.frames.raw import *  # noqa: F403
from core.present.frames.three_public import *  # noqa: F403
