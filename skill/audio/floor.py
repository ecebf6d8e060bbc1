"""A quiet room's background under speech that has none.

Synthesized speech, and audio from front ends that gate or suppress noise, holds
stretches of exact digital silence, which no microphone produces. PocketSphinx's model
was trained on recordings, where the quietest moments still hold the room; on digital
silence its features leave anything it has seen, and short answers are misheard. A
faint steady hiss, 50 dB below the speech, puts them back in range without being
anything a listener would call noise. On the development set (bench/voice.py --dev,
clean speech, three voices) 86% of short answers were right without it and 93% with
it (a floor 40 dB down gave 89%, 45 dB 93%, 55 dB 90%, 60 dB 91%). Speech that
already has a background at or above that level is returned unchanged.
"""

from __future__ import annotations

import numpy as np

FLOOR_BELOW_SPEECH_DB = 50.0
_SEED = 0
"""The hiss is the same every time: the same audio is always heard the same way."""


def with_noise_floor(samples: np.ndarray, measured: tuple[float, float] | None) -> np.ndarray:
    """16-bit ``samples`` with a background at least ``FLOOR_BELOW_SPEECH_DB`` below
    their speech level. ``measured`` is their speech and background power, as
    ``vad.speech_and_background_power`` gives it (None: too short to measure)."""
    if measured is None:
        return samples
    speech, background = measured
    wanted = speech / 10 ** (FLOOR_BELOW_SPEECH_DB / 10)
    if background >= wanted:
        return samples
    hiss = np.random.default_rng(_SEED).normal(0.0, np.sqrt(wanted - background), len(samples))
    return np.clip(np.round(samples.astype(np.float64) + hiss), -32768, 32767).astype(np.int16)
