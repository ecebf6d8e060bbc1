"""Voice settings remembered between conversations (speech rate, volume, voice)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from .dialogue.session import DEFAULT_RATE, MAX_RATE, MIN_RATE


def settings_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "cramp-coach" / "settings.json"


@dataclass
class Settings:
    rate: int = DEFAULT_RATE
    volume: float = 1.0
    voice: str | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or settings_path()
        try:
            raw = json.loads(path.read_text())
        except (OSError, ValueError):
            return cls()
        settings = cls()
        if isinstance(raw.get("rate"), int):
            settings.rate = max(MIN_RATE, min(MAX_RATE, raw["rate"]))
        if isinstance(raw.get("volume"), (int, float)):
            settings.volume = max(0.0, min(1.0, float(raw["volume"])))
        if isinstance(raw.get("voice"), str):
            settings.voice = raw["voice"]
        return settings

    def save(self, path: Path | None = None) -> None:
        path = path or settings_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(asdict(self), indent=2) + "\n")
        except OSError:
            pass  # a read-only home must not break a conversation
