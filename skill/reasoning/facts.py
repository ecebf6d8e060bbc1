"""A flat view of what is known, for rules to read: ``slot -> list of values``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Facts = Mapping[str, list[Any]]


def facts_from(
    slots: Mapping[str, Any], extra: Mapping[str, Any] | None = None
) -> dict[str, list[Any]]:
    """Scalars become one-item lists, unknowns empty lists."""
    out: dict[str, list[Any]] = {}
    for source in (slots, extra or {}):
        for key, value in source.items():
            if value is None:
                out[key] = []
            elif isinstance(value, list):
                out[key] = list(value)
            else:
                out[key] = [value]
    return out
