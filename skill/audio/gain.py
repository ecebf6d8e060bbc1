"""Quiet speech made louder before it is judged and recognised.

Someone who speaks softly at night, so as not to wake anyone, or from across the room
to a smart speaker, reaches the microphone 30-40 dB below ordinary speech. The
microphone's endpointing still finds such an answer, but it was then thrown away as
silence (under -50 dBFS), and noise suppression took quiet speech in noise for noise
alone. So an utterance whose speech is quieter than ``QUIET_DBFS`` is scaled up until
its speech stands at ``SPEECH_DBFS`` (at most ``MAX_GAIN_DB``), as a sound card's
automatic gain would have done, provided it sounds like speech (``sounds_like_speech``,
the microphone's own test). The recogniser normalises loudness itself, so nothing
louder is touched.

Development answers (three voices, 41 answers each, a microphone's faint self-noise
under them; ``python -m bench.microphone`` measures the benchmark's): speech at -50
dBFS, 0 of 123 right before, 120 after; at -62 dBFS, 0 and 110; in 15 dB white noise at
-50 dBFS, 0 and 116, against 118 at full level. The microphone's endpointing finds
answers down to about -60 dBFS in a quiet room and -50 dBFS in that noise.
"""

from __future__ import annotations

import numpy as np

from .denoise import Denoiser
from .endpoint import FRAME_MS, SpeechDetector

QUIET_DBFS = -40.0
"""Speech (its loudest tenth of frames) quieter than this is made louder. Speech at
-40 dBFS was heard as well as at full level."""
SPEECH_DBFS = -25.0
"""Where quiet speech is brought to."""
MAX_GAIN_DB = 40.0
"""No more than this, so that a silent microphone's faint hiss stays faint."""
VOICED_FRAMES = 6
"""Frames in a row (180 ms) the microphone's speech detector must call speech for a
quiet sound to be taken as speech. Made louder, faint sounds that are not speech
(clicks, a chord, hiss) were heard as answers, some as warning signs; their longest
runs were 3-5 frames, quiet answers' (three voices, 41 answers, -50 and -62 dBFS) 7
or more."""


def quiet_speech_gain(measured: tuple[float, float] | None) -> float:
    """How many times louder an utterance should be made (1.0: leave it as it is), from
    its speech and background power (``vad.speech_and_background_power``; None: too
    short to measure)."""
    if measured is None:
        return 1.0
    speech_dbfs = 10 * np.log10(measured[0] / 32768.0 ** 2)
    if speech_dbfs >= QUIET_DBFS:
        return 1.0
    return float(10 ** (min(SPEECH_DBFS - speech_dbfs, MAX_GAIN_DB) / 20))


def sounds_like_speech(samples: np.ndarray, rate: int, denoiser: Denoiser | None) -> bool:
    """Whether ``samples`` hold ``VOICED_FRAMES`` frames in a row that the microphone's
    speech detector (``audio.endpoint``) calls speech."""
    if rate not in (8000, 16000, 32000, 48000):
        return True  # webrtcvad cannot judge it: left to the recogniser, as before
    try:
        detect = SpeechDetector(rate, 2, denoiser)
    except ImportError:  # no webrtcvad: left to the recogniser, as before
        return True
    size = rate * FRAME_MS // 1000
    run = 0
    for start in range(0, len(samples) - size + 1, size):
        run = run + 1 if detect(samples[start:start + size].astype("<i2").tobytes()) else 0
        if run >= VOICED_FRAMES:
            return True
    return False
