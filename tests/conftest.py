"""Shared helpers: a real Session driven with real text."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from skill.dialogue.session import Session, default_knowledge
from skill.dialogue.turn import Turn


@pytest.fixture(scope="session")
def knowledge():
    return default_knowledge()


def talk(lines: Iterable[str], session: Session | None = None) -> list[Turn]:
    """The greeting, then one turn per line; stops at the last turn."""
    session = session or Session()
    turns = [session.start()]
    for line in lines:
        turns.append(session.handle(line))
        if turns[-1].done:
            break
    return turns


@pytest.fixture
def converse():
    return talk
