"""A microphone's DC offset taken off before an utterance is measured and recognised.

Many cheap microphones and sound cards add a constant to every sample. The recogniser
does not mind (its pre-emphasis takes it off), but everything that measures loudness
did: the offset counted as background, so clean speech from such a microphone was
measured as noisy (120 of 123 development answers, with an offset of 1000, about
-30 dBFS), said back with "it's noisy where you are", sent through noise suppression,
and denied the faint background the recogniser needs (``audio.floor``).

The offset is read from the quietest frames, where there is no speech: speech's own
waveform is lopsided enough that the mean of a whole short answer is not zero (up to
175 in the benchmark's synthesized answers), but the room between the words averages
out. Only an offset clearly larger than that room's own wobble is taken off, so audio
with none is left exactly as it is.
"""

from __future__ import annotations

import numpy as np

FRAME_MS = 20
QUIET_SHARE = 0.1
"""The quietest tenth of frames (by their spread, which an offset does not change)."""
SURE = 6.0
"""Standard errors the quiet frames' mean must stand from zero to count as an offset."""
BELOW_SPEECH_DB = 30.0
"""Offsets more than this below the speech (its loudest tenth of frames) change no
measurement that matters, and synthesizers leave small ones (flite's voices: 2 to 17),
so they are left alone."""


def dc_offset(samples: np.ndarray, rate: int) -> float:
    """The constant added to ``samples`` (0.0 when there is none to speak of)."""
    size = max(1, rate * FRAME_MS // 1000)
    count = len(samples) // size
    if count < 5:
        return 0.0
    frames = samples[:count * size].astype(np.float64).reshape(count, size)
    spread = frames.std(axis=1)
    quiet = frames[np.argsort(spread)[:max(1, int(count * QUIET_SHARE))]]
    offset = float(quiet.mean())
    wobble = float(quiet.std()) / np.sqrt(quiet.size)
    speech = float(np.percentile(spread, 90))
    smallest = max(SURE * wobble, speech / 10 ** (BELOW_SPEECH_DB / 20), 1.0)
    return offset if abs(offset) >= smallest else 0.0


def without_offset(samples: np.ndarray, rate: int) -> np.ndarray:
    """16-bit ``samples`` with their DC offset taken off (the same array when none)."""
    offset = dc_offset(samples, rate)
    if offset == 0.0:
        return samples
    return np.clip(np.round(samples - offset), -32768, 32767).astype(np.int16)
