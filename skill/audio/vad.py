"""Is there any speech in this audio, and how far does it stand above the noise?"""

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


def louder(samples: np.ndarray, gain: float) -> np.ndarray:
    """16-bit ``samples`` made ``gain`` times louder (clipped at full scale; the same
    array when ``gain`` is 1)."""
    if gain == 1.0:
        return samples
    scaled = np.round(samples.astype(np.float64) * gain)
    return np.clip(scaled, -32768, 32767).astype(np.int16)


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


SNR_FRAME_MS = 20
MAX_SNR_DB = 99.0


def speech_and_background_power(samples: np.ndarray, rate: int) -> tuple[float, float] | None:
    """Mean power of an utterance's loud frames (its speech) and of its quiet frames (the
    room): the loudest and quietest tenth of 20 ms frames. An utterance always holds
    some of both (endpointing keeps a little lead-in). None when it is too short."""
    size = max(1, rate * SNR_FRAME_MS // 1000)
    count = len(samples) // size
    if count < 5:
        return None
    frames = samples[:count * size].astype(np.float64).reshape(count, size)
    energy = np.mean(np.square(frames), axis=1) + 1e-3
    return float(np.percentile(energy, 90)), float(np.percentile(energy, 10))


def estimate_snr_db(samples: np.ndarray, rate: int) -> float:
    """Speech-to-noise ratio of an utterance; digital silence gives ``MAX_SNR_DB``."""
    return snr_db(speech_and_background_power(samples, rate))


def snr_db(powers: tuple[float, float] | None) -> float:
    """The speech-to-noise ratio of ``speech_and_background_power``'s measurement."""
    if powers is None:
        return MAX_SNR_DB
    speech, noise = powers
    return float(min(MAX_SNR_DB, 10 * np.log10(speech / noise)))
