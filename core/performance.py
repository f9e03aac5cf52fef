"""绩效自评表 (stub)."""

from __future__ import annotations


def parse_performance(pages):  # type: ignore[no-untyped-def]
    return []
