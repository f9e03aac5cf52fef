"""Synthetic 决算 report PDFs with known facts, for testing the parser.

spec = consistent_report(7)                       # amounts satisfy every identity
spec = with_layout(spec, "公开03", ruled=False)   # change how a table prints
pdf = render_pdf(spec)                            # bytes
facts = expected_facts(spec)                      # what a correct parser reads
bad, should_fail = plant_error(spec, "03-item-basic")
"""

from .identities import PLANT_SITES, Identity, failing, identities, plant_error, planted_key
from .render import (
    Rendered,
    expected_facts,
    expected_report,
    fmt_amount,
    render,
    render_budget_pdf,
    render_pdf,
)
from .spec import (
    AMOUNT_UNITS,
    COVERS,
    SCOPES,
    TABLE_IDS,
    TEMPLATE_NAMES,
    TEMPLATES,
    ZERO_STYLES,
    Layout,
    Narrative,
    ReportSpec,
    Row,
    TableSpec,
    as_template,
    cell_values,
    consistent_report,
    keep_tables,
    norm_name,
    printed_columns,
    set_value,
    with_layout,
)

__all__ = [
    "AMOUNT_UNITS",
    "COVERS",
    "PLANT_SITES",
    "SCOPES",
    "TABLE_IDS",
    "TEMPLATES",
    "TEMPLATE_NAMES",
    "ZERO_STYLES",
    "Identity",
    "Layout",
    "Narrative",
    "Rendered",
    "ReportSpec",
    "Row",
    "TableSpec",
    "as_template",
    "cell_values",
    "consistent_report",
    "expected_facts",
    "expected_report",
    "failing",
    "fmt_amount",
    "identities",
    "keep_tables",
    "norm_name",
    "plant_error",
    "planted_key",
    "printed_columns",
    "render",
    "render_budget_pdf",
    "render_pdf",
    "set_value",
    "with_layout",
]
