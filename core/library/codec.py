"""A :class:`core.records.Report` to JSON text and back, exactly.

The contract's JSON (:mod:`core.accounts.contract`) is for readers outside and turns amounts
into floats; the library needs the record itself back, Decimal for Decimal, so it keeps this
form: every dataclass as an object of its fields, Decimal as its string, tuples as lists.
Fields added to the records later come back as their defaults when an older row lacks them.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from decimal import Decimal
from functools import cache
from typing import Any

from core.records import Report


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def report_to_json(report: Report) -> str:
    """The report as JSON text (Decimal kept as strings, so nothing is rounded)."""
    return json.dumps(_plain(report), ensure_ascii=False, separators=(",", ":"))


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return _build(options[0], value)
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in value)
        return tuple(_build(a, v) for a, v in zip(args, value, strict=True))
    if kind is Decimal:
        return Decimal(value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        names = {f.name for f in dataclasses.fields(kind)}
        return kind(**{k: _build(hints[k], v) for k, v in value.items() if k in names})
    return value


def report_from_json(text: str) -> Report:
    """The report back from :func:`report_to_json`'s text."""
    report: Report = _build(Report, json.loads(text))
    return report
