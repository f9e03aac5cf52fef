"""Figures stated in the report's text sections (stub)."""
from __future__ import annotations
def parse_narrative(pages, located):  # type: ignore[no-untyped-def]
    return []
