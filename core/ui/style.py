"""The app's few style rules and Chinese texts Streamlit offers no API for.

Streamlit (1.67) draws the file uploader's button and limit line in English and has no
parameter for them: CSS hides the English and writes the Chinese in its place (the browser
test reads the result). The rest: the one-sentence answer on 总览, KPI figures and labels that wrap
instead of ending in "…" on a 1280-pixel projector, and a select box's choices (the report
switcher's long unit names) wrapped onto a second line instead of cut (the box itself is a
text input, which cannot wrap: the sidebar names the report in full under it); in a folded
markdown table, the first column (a table's id, 公开01) and the headers on one line.
"""

from __future__ import annotations

import math

import streamlit as st

#: A KPI card's value at most this size (rem); smaller where the card is too narrow for it.
KPI_VALUE_REM = 1.6
#: The widths (half em) :func:`kpi_fit_key` sorts a card's value into: one size rule each.
KPI_FIT_HALF_EMS = range(8, 49)


def value_em(text: str) -> float:
    """How wide ``text`` is drawn in the app's sans font, in em (a little on the wide side):
    a CJK character 1, a digit 0.52, a comma, point or space 0.25, % 0.85, another 0.6."""
    return sum(
        1.0
        if ord(c) > 0x2E7F
        else 0.52
        if c.isdigit()
        else 0.25
        if c in ",. "
        else 0.85
        if c == "%"
        else 0.6
        for c in text
    )


def kpi_fit_key(values: list[str]) -> str:
    """The key prefix of a row of KPI cards showing ``values``: its cards' values take the
    size that fits the widest of them in its card (:data:`KPI_FIT_HALF_EMS`)."""
    widest = max((value_em(v) for v in values), default=0.0)
    half_ems = max(KPI_FIT_HALF_EMS.start, min(KPI_FIT_HALF_EMS.stop - 1, math.ceil(widest * 2)))
    return f"kpi-em{half_ems}-"


# A card named by kpi_fit_key measures its width (a size container); its value's font is
# the smaller of the usual size and the size at which the row's widest value fills the card
# (西南大学's "430,725.03 万元" ran 10 px past its card at 1280).
_KPI_FIT = "\n".join(
    f'[class*="st-key-kpi-em{n}-"] {{ container-type: inline-size; }}\n'
    f'[class*="st-key-kpi-em{n}-"] [data-testid="stMetricValue"] {{ '
    f"font-size: min({KPI_VALUE_REM}rem, {200 / n:.2f}cqi); }}"
    for n in KPI_FIT_HALF_EMS
)

#: What the uploader's button and limit line say instead of "Upload" and "50MB per file • PDF".
UPLOAD_BUTTON = "选择文件"
UPLOAD_LIMIT = "PDF，每个不超过 50MB"

CSS = f"""
<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{
  font-size: 0 !important; line-height: 0;
}}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "{UPLOAD_BUTTON}"; font-size: 0.875rem; line-height: 1.6;
}}
[data-testid="stFileUploaderDropzoneInstructions"] span {{
  font-size: 0 !important;
}}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "{UPLOAD_LIMIT}"; font-size: 0.8rem;
}}
[data-testid="stMetricValue"] {{ font-size: {KPI_VALUE_REM}rem; }}
[data-testid="stMetricValue"] > div {{ white-space: normal; overflow: visible; }}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  height: auto !important;
}}
[data-testid="stSelectboxVirtualDropdown"] [role="option"] {{
  height: auto !important; max-height: none !important; min-height: 2.5rem !important;
}}
[data-testid="stSelectboxVirtualDropdown"] [role="option"] > div {{
  height: auto !important; max-height: none !important; line-height: 1.4 !important;
  padding-top: 4px; padding-bottom: 4px;
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}}
.juesuan-bars {{ margin: 0.6rem 0 1rem; }}
.juesuan-bars-title {{ font-weight: 600; margin-bottom: 0.4rem; }}
.juesuan-bar {{ display: flex; align-items: center; gap: 0.6rem; margin: 0.35rem 0; }}
.juesuan-bar-name {{ flex: 0 0 8.5em; text-align: right; }}
.juesuan-bar-track {{ flex: 1 1 auto; }}
.juesuan-bar-track span {{ display: block; height: 1.6rem; border-radius: 2px; }}
.juesuan-bar-value {{ flex: 0 0 9em; font-variant-numeric: tabular-nums; }}
[data-testid="stExpander"] table td:first-child, [data-testid="stExpander"] table th {{
  white-space: nowrap;
}}
{_KPI_FIT}
.juesuan-lead, .juesuan-lead p {{ font-size: 1.3rem !important; line-height: 1.7; font-weight: 500; margin: 0.2rem 0 0.9rem; }}
</style>
"""


#: Streamlit's grid (1.67) wraps a cell's text only in rows taller than 4rem (64 px); one
#: wrapped line takes about 20 px.
WRAP_ROW_HEIGHT = 64
WRAP_LINE_HEIGHT = 20


def wrap_row_height(lines: int) -> int:
    """A table row height in which a cell's text wraps onto ``lines`` lines."""
    return max(WRAP_ROW_HEIGHT + 1, 16 + WRAP_LINE_HEIGHT * lines)


def table_height(rows: int, row_height: int, header: int = 38) -> int:
    """A table's height (px) that shows ``rows`` rows of ``row_height`` with no scrolling."""
    return header + rows * row_height + 2


def apply() -> None:
    """Write the style rules into the page (once per run; Streamlit keeps one copy)."""
    st.html(CSS)
