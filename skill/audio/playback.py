"""Sound out through the sound device (PortAudio, as the microphone uses)."""

from __future__ import annotations

import logging
import threading

import numpy as np

_LOGGER = logging.getLogger(__name__)
_warned = False
POLL_SECONDS = 0.01
"""How often playback that may be stopped (barge-in) looks whether it should stop."""


def play_sound(samples: np.ndarray, rate: int, stop: threading.Event | None = None) -> bool:
    """Play 16-bit ``samples`` and return when they have been played, or as soon as
    ``stop`` is set (the user began to talk over the skill); False when no sound device
    could play them (said once in the log: what the skill says is still printed)."""
    global _warned
    try:
        import sounddevice

        if stop is not None and stop.is_set():
            return True
        sounddevice.play(samples, rate)
        if stop is None:
            sounddevice.wait()
        else:
            while sounddevice.get_stream().active:
                if stop.wait(POLL_SECONDS):
                    sounddevice.stop()
                    break
    except Exception as error:  # noqa: BLE001 - no speaker must never end the conversation
        if not _warned:
            _warned = True
            _LOGGER.warning("speech could not be played (no sound device?): %s", error)
        return False
    return True
