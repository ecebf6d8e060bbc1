"""Cepstra as PocketSphinx computes them from 16 kHz audio, so that the skill can map
them (speaker adaptation, ``asr.adaptation``) before the decoder sees them.

Checked against PocketSphinx's own output (tests/voice/test_adaptation.py). One
difference: PocketSphinx's noise removal (``-remove_noise``, on in the wheel's model)
is not done. Noisy speech has its background suppressed before this point
(``asr.engine.hear_audio``); decoding these cepstra instead of the sound gave 340 of
369 development answers right clean (the same as before) and 289 instead of 286 at
10 dB, but individual noisy answers differ, so the recogniser uses them only once it
has a map of the speaker's voice to apply.
"""

from __future__ import annotations

import numpy as np

from .sphinx_model import FrontEndSettings, ModelFormatError

SAMPLE_RATE = 16000
FFT = 512
FRAME = 410
"""samples in a window (PocketSphinx's -wlen 0.025625 s at 16 kHz)"""
SHIFT = 160
"""samples between frames (-frate 100)"""
PRE_EMPHASIS = 0.97
LOG_FLOOR = 1e-4


def _mel(hz: float) -> float:
    return 2595.0 * float(np.log10(1.0 + hz / 700.0))


def _hz(mel: float) -> float:
    return 700.0 * (10 ** (mel / 2595.0) - 1.0)


class FrontEnd:
    """Audio samples in, one row of cepstra per 10 ms frame out."""

    def __init__(self, settings: FrontEndSettings) -> None:
        if settings.transform != "dct":
            raise ModelFormatError(f"front end transform {settings.transform!r} is not "
                                   "reproduced here (only 'dct')")
        self.settings = settings
        self.bank = _filterbank(settings)
        count, filters = settings.cepstra, settings.filters
        dct = np.cos(np.pi / filters * np.arange(count)[:, None]
                     * (np.arange(filters) + 0.5)) * np.sqrt(2.0 / filters)
        dct[0] = np.sqrt(1.0 / filters)
        self.dct = dct
        lifter = settings.lifter
        self.lifter = (1 + lifter / 2 * np.sin(np.arange(count) * np.pi / lifter)
                       if lifter else np.ones(count))
        self.window = 0.54 - 0.46 * np.cos(2 * np.pi * np.arange(FRAME) / (FRAME - 1))

    def cepstra(self, samples: np.ndarray) -> np.ndarray:
        """frames x cepstra; no rows for sound shorter than one window."""
        x = samples.astype(np.float64)
        if len(x) < FRAME:
            return np.zeros((0, self.settings.cepstra))
        emphasised = np.concatenate([x[:1], x[1:] - PRE_EMPHASIS * x[:-1]])
        count = 1 + (len(x) - FRAME) // SHIFT
        frames = emphasised[np.arange(FRAME)[None, :] + SHIFT * np.arange(count)[:, None]]
        power: np.ndarray = np.abs(np.fft.rfft(frames * self.window, FFT)) ** 2
        cepstra: np.ndarray = (np.log(power @ self.bank.T + LOG_FLOOR) @ self.dct.T)
        return cepstra * self.lifter


def _filterbank(settings: FrontEndSettings) -> np.ndarray:
    """Mel triangles of unit area, edges rounded to FFT bins, as sphinx's fe builds them."""
    step = SAMPLE_RATE / FFT
    bins = FFT // 2 + 1
    low = _mel(settings.lower_hz)
    width = (_mel(settings.upper_hz) - low) / (settings.filters + 1)
    bank = np.zeros((settings.filters, bins))
    hz = np.arange(bins) * step
    for i in range(settings.filters):
        left, centre, right = (int(_hz(low + (i + j) * width) / step + 0.5) * step
                               for j in range(3))
        rising = (hz - left) / (centre - left)
        falling = (right - hz) / (right - centre)
        inside = (hz >= left) & (hz <= right) & (np.arange(bins) < FFT // 2)
        bank[i] = np.where(inside, np.minimum(rising, falling) * 2 / (right - left), 0.0)
    return bank
