"""One skill turn: what it says and what it knows (CONTRACT.md section 2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SpeechPart:
    """A piece of a reply, and how long to stay quiet after it (the timed hold)."""

    text: str
    pause_after: float = 0.0


@dataclass(frozen=True)
class Turn:
    say: str
    heard: str | None
    expecting: str | None
    slots: dict[str, Any]
    triage: str | None
    causes: list[str]
    done: bool
    parts: tuple[SpeechPart, ...] = field(default=(), compare=False)
    rate: int = 0
    """The speech rate (words per minute) the voice layer should use."""
    volume: float = 1.0
    """The speech volume (0 to 1) the voice layer should use."""
    patient: bool = False
    """Whether the voice layer should wait longer for the user to finish speaking."""

    def to_json_dict(self) -> dict[str, Any]:
        """Exactly the contract's fields."""
        return {
            "say": self.say,
            "heard": self.heard,
            "expecting": self.expecting,
            "slots": self.slots,
            "triage": self.triage,
            "causes": list(self.causes),
            "done": self.done,
        }
