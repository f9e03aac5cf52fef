"""Numbers as they read on screen: amounts to the cent in 万元, percents, scores, pages.

The charts, the pages and the briefing share these, so a number reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)

# -- formatting ---------------------------------------------------------------------------------


def format_amount(value: Decimal | float | int | None, *, sign: bool = False) -> str:
    """An amount as ``1,234.56`` (two decimals, thousands separators); ``—`` when unknown."""
    if value is None:
        return "—"
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    cents = exact.quantize(CENT, rounding=ROUND_HALF_UP)
    text = f"{cents:,.2f}"
    if sign and cents > 0:
        text = "+" + text
    return text


def format_percent(value: Decimal | float | None, *, sign: bool = False) -> str:
    """A percent figure (already ×100) as ``93.49%``; ``—`` when unknown."""
    if value is None:
        return "—"
    return format_amount(value, sign=sign) + "%"


def format_score(value: Decimal | float | None) -> str:
    """A score or weight as printed, without trailing zeros (``20``, ``6.62``); ``—`` when unknown."""
    if value is None:
        return "—"
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    text = f"{exact.quantize(CENT, rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_pages(pages: Iterable[int]) -> str:
    """``第 5 页``, ``第 8–9 页`` or ``第 5、7 页``; empty when no page is known."""
    ordered = sorted(set(pages))
    if not ordered:
        return ""
    if len(ordered) > 1 and ordered[-1] - ordered[0] == len(ordered) - 1:
        return f"第 {ordered[0]}–{ordered[-1]} 页"
    return "第 " + "、".join(str(p) for p in ordered) + " 页"


def share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole × 100 to the cent, or None when whole is zero or unknown."""
    if part is None or whole is None or whole == 0:
        return None
    return (part * HUNDRED / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def part_share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole × 100 for a part of a whole read from the same table: None when either
    is unknown or negative, the whole is zero, or the part is larger than the whole (a
    misread figure, never a share above 100 %)."""
    if part is None or whole is None or part < 0 or whole <= 0 or part > whole:
        return None
    return share(part, whole)


def share_whole(printed: Decimal | None, parts: Sequence[Decimal]) -> Decimal:
    """The whole the parts of one table are shares of: the printed total, unless it falls
    short of the parts' sum by more than their rounding (a misread total), then that sum."""
    total = sum(parts, ZERO)
    if printed is None or printed < total - CENT / 2 * len(parts):
        return total
    return printed


def to_float(values: Iterable[Decimal | float | int | None]) -> list[float]:
    """Amounts as floats, for drawing only (None becomes 0.0)."""
    return [float(v) if v is not None else 0.0 for v in values]
