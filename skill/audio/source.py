"""Where a spoken turn comes from: the microphone, or WAV files standing in for it."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from .endpoint import EarlyHearing
from .wav import Audio, AudioError, read_wav


@dataclass
class TalkOver:
    """Listening while the skill speaks (barge-in). The source sets ``began`` as soon as
    the user starts to speak, so the skill stops talking; the skill sets ``over`` when
    it has finished, and a source still waiting for speech then stops listening."""

    began: threading.Event = field(default_factory=threading.Event)
    over: threading.Event = field(default_factory=threading.Event)


class AudioSource(Protocol):
    sample_rate: int

    def listen(self, timeout: float | None,
               early: EarlyHearing | None = None, patient: bool = False,
               talk_over: TalkOver | None = None) -> Audio | None:
        """The next utterance, or None when nothing was said before ``timeout`` seconds.
        ``early`` may be offered the utterance before it is returned, as soon as its sound
        is final, and asked whether it is complete (the microphone does, while it waits
        to be sure the user has finished). ``patient``: the user asked for more time to
        finish speaking (the microphone waits out a longer pause). ``talk_over``: the
        skill is speaking meanwhile (a source that cannot tell may ignore it)."""
        ...


class WavFiles:
    """Turns from WAV files in order; an empty name stands for silence (a timeout)."""

    def __init__(self, paths: Iterable[str | Path | None], sample_rate: int = 16000) -> None:
        self.sample_rate = sample_rate
        self._paths: Iterator[str | Path | None] = iter(paths)
        self.exhausted = False

    def listen(self, timeout: float | None,
               early: EarlyHearing | None = None, patient: bool = False,
               talk_over: TalkOver | None = None) -> Audio | None:
        try:
            path = next(self._paths)
        except StopIteration:
            self.exhausted = True
            return None
        if not path:
            return None
        try:
            return read_wav(path, self.sample_rate)
        except AudioError:
            return Audio(np.zeros(0, dtype=np.int16), self.sample_rate)
