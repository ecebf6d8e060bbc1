"""What the tests compare a slot with."""

from __future__ import annotations

from collections.abc import Mapping


def holds(slots: Mapping[str, object], slot: str, value: object) -> bool:
    """Whether ``slot`` is ``value`` or, for a list slot, holds it."""
    got = slots.get(slot)
    return got == value or isinstance(got, list) and value in got
