"""Sound out through the sound device (PortAudio, as the microphone uses)."""

from __future__ import annotations

import logging

import numpy as np

_LOGGER = logging.getLogger(__name__)
_warned = False


def play_sound(samples: np.ndarray, rate: int) -> bool:
    """Play 16-bit ``samples`` and return when they have been played; False when no
    sound device could play them (said once in the log: what the skill says is still
    printed)."""
    global _warned
    try:
        import sounddevice

        sounddevice.play(samples, rate)
        sounddevice.wait()
    except Exception as error:  # noqa: BLE001 - no speaker must never end the conversation
        if not _warned:
            _warned = True
            _LOGGER.warning("speech could not be played (no sound device?): %s", error)
        return False
    return True
