"""Voice settings remembered between conversations (speech rate, volume, voice,
whether to wait longer for the user to finish speaking, and whether the user may talk
over the skill while it speaks)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from .dialogue.session import (
    DEFAULT_RATE,
    DEFAULT_VOLUME,
    rate_within_limits,
    volume_within_limits,
)


def settings_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "cramp-coach" / "settings.json"


@dataclass
class Settings:
    rate: int = DEFAULT_RATE
    volume: float = DEFAULT_VOLUME
    voice: str | None = None
    patient: bool = False
    barge_in: bool | None = None
    """Whether the user may talk over the skill while it speaks; None: only when the
    microphone says it cancels echo (``Microphone.cancels_echo``)."""

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or settings_path()
        try:
            raw = json.loads(path.read_text())
        except (OSError, ValueError):
            return cls()
        settings = cls()
        if isinstance(raw.get("rate"), int):
            settings.rate = raw["rate"]
        if isinstance(raw.get("volume"), (int, float)):
            settings.volume = float(raw["volume"])
        if isinstance(raw.get("voice"), str):
            settings.voice = raw["voice"]
        if isinstance(raw.get("patient"), bool):
            settings.patient = raw["patient"]
        if isinstance(raw.get("barge_in"), bool):
            settings.barge_in = raw["barge_in"]
        return settings.within_limits()

    def within_limits(self) -> Settings:
        """Rate and volume brought within what the skill speaks at (never silent)."""
        self.rate = rate_within_limits(self.rate)
        self.volume = volume_within_limits(self.volume)
        return self

    def save(self, path: Path | None = None) -> None:
        path = path or settings_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(asdict(self), indent=2) + "\n")
        except OSError:
            pass  # a read-only home must not break a conversation
