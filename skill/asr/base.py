"""What every recogniser offers, and what it returns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

NOISY_SNR_DB = 18.0
"""Below this, noise is suppressed before recognition (asr.engine.hear_audio) and what
was heard is said back: even suppressed, 15 dB speech gives 77% of short answers
right against 95% clean (bench/voice.py). Chosen when, without suppression, 15 dB
gave 53% right, 20 dB 66% and clean 88%."""


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
    snr_db: float | None = None
    """How far the speech stood above the background (None when not measured)."""
    denoised: bool = False
    """True when the background noise was suppressed before recognition."""
    faint: bool = False
    """True when the speech was so quiet it was made louder first (``audio.gain``)."""

    @property
    def noisy(self) -> bool:
        return self.snr_db is not None and too_noisy(self.snr_db)


def too_noisy(snr_db: float) -> bool:
    """Too noisy to trust: the grammar can turn noise into a phrase (BENCHMARKS.md)."""
    return snr_db < NOISY_SNR_DB


class Recognizer(Protocol):
    name: str
    sample_rate: int

    def recognize(self, pcm: bytes, expecting: str | None,
                  alternatives: Iterable[bytes] = (), suppressed: bool = False) -> Heard:
        """16-bit mono PCM at ``sample_rate`` in, words out. ``alternatives`` are other
        renderings of the same utterance (noisy speech suppressed differently), made
        only as the recogniser draws on them; it may ignore them. ``suppressed``: the
        utterance had its background noise suppressed (it and the renderings)."""
        ...

    def prepare(self, expecting: str | None) -> None:
        """Load what the question needs ahead of time (optional speed-up)."""
        ...

    def new_speaker(self) -> None:
        """A new conversation: forget what was learnt of the last speaker's voice."""
        ...

    def finished(self, expecting: str | None, words: str) -> bool:
        """Whether ``words`` are a whole phrase of the question's grammar that nothing
        the grammar could add to would mean anything else: the answer is complete,
        should the user pause after it."""
        ...

    def unheard(self) -> None:
        """The last utterance recognised was not the answer after all (the user went on
        speaking): learn nothing from it."""
        ...
