"""Noise suppression for utterances heard in a noisy room: RNNoise, a small recurrent
network trained on real speech and noise (BSD licence), from the optional
``pyrnnoise`` package (``pip install ".[noise]"``).

It is meant for noisy speech only: on clean speech it costs accuracy, so callers use
it when the speech stands less than ``NOISY_SNR_DB`` above the background
(``asr.engine.hear_audio``). Without the package, speech is heard as it came.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from types import ModuleType
from typing import Any

import numpy as np

from .resample import resample_by_factor

_LOGGER = logging.getLogger(__name__)
RNNOISE_RATE = 48000
KEEP_ORIGINAL = 0.07
"""How much of the original sound stays under the cleaned speech. RNNoise leaves
gaps of near silence with chirps in them, which the recogniser has never heard; a
little of the room under them fits its silence model better. Chosen on the
development set (bench/voice.py --dev, 10 dB white noise, grammar pass only): 0 gave
63% of answers right, 0.05 73%, 0.1 75%, 0.2 71%, 0.3 68%, 0.5 52%."""
_DELAY_FRAMES = 2


class Denoiser:
    """Takes the background noise out of an utterance, keeping its length and rate."""

    def __init__(self) -> None:
        self._module: ModuleType | None = None
        self._tried = False

    @classmethod
    def off(cls) -> Denoiser:
        """One that never suppresses (as when the package is not installed)."""
        denoiser = cls()
        denoiser._tried = True
        return denoiser

    @property
    def available(self) -> bool:
        return self._load() is not None

    def load(self) -> bool:
        """Load the suppressor now (about a quarter of a second), not on first use."""
        return self.available

    def _load(self) -> ModuleType | None:
        if not self._tried:
            self._tried = True
            try:
                import pyrnnoise.rnnoise as module
            except (ImportError, OSError) as error:
                _LOGGER.info("noise suppression off (pyrnnoise not installed: %s)", error)
            else:
                self._module = module
        return self._module

    def clean(self, samples: np.ndarray, rate: int, offset: int = 0) -> np.ndarray:
        """16-bit ``samples`` at ``rate`` with the noise suppressed (unchanged when the
        suppressor is not installed). ``offset`` moves RNNoise's 10 ms frames that many
        of its samples (48 kHz) earlier against the sound: the same speech cut into
        frames elsewhere comes out a little differently."""
        module = self._load()
        if module is None or len(samples) == 0:
            return samples
        original = samples.astype(np.float64)
        upsampled = resample_by_factor(original, rate, RNNOISE_RATE)
        frame = int(module.FRAME_SIZE)
        # RNNoise gives the sound back two frames (20 ms) late: pad the end to match
        padded = np.concatenate([np.zeros(offset), upsampled,
                                 np.zeros((-offset - len(upsampled)) % frame
                                          + _DELAY_FRAMES * frame)])
        pcm = np.clip(padded, -32768, 32767).astype(np.int16)
        state: Any = module.create()
        try:
            cleaned = np.concatenate([
                module.process_mono_frame(state, pcm[start:start + frame])[0]
                for start in range(0, len(pcm), frame)])
        finally:
            module.destroy(state)
        delay = _DELAY_FRAMES * frame + offset
        speech = resample_by_factor(cleaned[delay:delay + len(upsampled)].astype(np.float64),
                                    RNNOISE_RATE, rate)[:len(original)]
        speech = np.pad(speech, (0, len(original) - len(speech)))
        mixed = speech + KEEP_ORIGINAL * original
        return np.clip(np.round(mixed), -32768, 32767).astype(np.int16)


@lru_cache(maxsize=1)
def default_denoiser() -> Denoiser:
    return Denoiser()
