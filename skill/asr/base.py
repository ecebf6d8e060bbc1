"""What every recogniser offers, and what it returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Heard:
    text: str
    """The words recognised ("" when nothing was)."""
    confidence: float
    complete: bool
    """True when the words are a whole phrase of the question's grammar."""
    engine: str
    second_pass: bool = False
    """True when open transcription supplied the words."""


class Recognizer(Protocol):
    name: str
    sample_rate: int

    def recognize(self, pcm: bytes, expecting: str | None) -> Heard:
        """16-bit mono PCM at ``sample_rate`` in, words out."""
        ...

    def prepare(self, expecting: str | None) -> None:
        """Load what the question needs ahead of time (optional speed-up)."""
        ...
