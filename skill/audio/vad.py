"""Is there any speech in this audio? (webrtcvad when present, else energy)."""

from __future__ import annotations

import numpy as np

FRAME_MS = 30
MIN_SPEECH_FRACTION = 0.1
SILENCE_DBFS = -50.0


def level_dbfs(samples: np.ndarray) -> float:
    if len(samples) == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(samples.astype(np.float64)))))
    return float(20 * np.log10(max(rms, 1e-9) / 32768.0))


def speech_fraction(pcm: bytes, rate: int) -> float:
    """The share of 30 ms frames webrtcvad calls speech (1.0 when it is not installed)."""
    try:
        import webrtcvad
    except ImportError:
        return 1.0
    if rate not in (8000, 16000, 32000, 48000):
        return 1.0
    vad = webrtcvad.Vad(2)
    frame = int(rate * FRAME_MS / 1000) * 2
    frames = [pcm[i:i + frame] for i in range(0, len(pcm) - frame + 1, frame)]
    if not frames:
        return 0.0
    return float(sum(vad.is_speech(f, rate) for f in frames)) / len(frames)


def has_speech(samples: np.ndarray, rate: int) -> bool:
    """False for silence and near-silence; noise is left to the recogniser to reject."""
    if level_dbfs(samples) < SILENCE_DBFS:
        return False
    return speech_fraction(samples.astype("<i2").tobytes(), rate) >= MIN_SPEECH_FRACTION
