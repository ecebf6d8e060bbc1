"""Read a WAV file as 16-bit mono PCM at the rate a recognizer wants."""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .resample import resample

MAX_SECONDS = 60.0
"""A user's turn longer than this is cut (protects memory against huge files)."""


class AudioError(ValueError):
    """The file cannot be used as a spoken turn (missing, not a WAV, unreadable)."""


@dataclass(frozen=True)
class Audio:
    samples: np.ndarray
    """int16 mono samples."""
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / float(self.rate) if self.rate else 0.0

    def pcm(self) -> bytes:
        return self.samples.astype("<i2").tobytes()


def read_wav(path: str | Path, rate: int | None = None) -> Audio:
    """The WAV at ``path`` as mono int16, resampled to ``rate`` when given."""
    path = Path(path)
    if not path.is_file():
        raise AudioError(f"no such file: {path}")
    try:
        with wave.open(str(path), "rb") as handle:
            channels = handle.getnchannels()
            width = handle.getsampwidth()
            source_rate = handle.getframerate()
            frames = min(handle.getnframes(), int(MAX_SECONDS * source_rate))
            raw = handle.readframes(frames)
    except (wave.Error, EOFError, OSError) as error:
        raise AudioError(f"not a readable WAV file: {path.name} ({error})") from error
    if width not in (1, 2, 4) or channels < 1 or source_rate <= 0:
        raise AudioError(f"unsupported WAV format in {path.name}")
    samples = _to_float(raw, width)
    if channels > 1:
        samples = samples[: len(samples) - len(samples) % channels]
        samples = samples.reshape(-1, channels).mean(axis=1)
    if rate and rate != source_rate:
        samples = resample(samples, source_rate, rate)
        source_rate = rate
    return Audio(np.clip(samples * 32767.0, -32768, 32767).astype(np.int16), source_rate)


def write_wav(path: str | Path, audio: Audio) -> None:
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(audio.rate)
        handle.writeframes(audio.pcm())


def _to_float(raw: bytes, width: int) -> np.ndarray:
    if width == 1:
        return (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    if width == 2:
        return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    return np.frombuffer(raw, dtype="<i4").astype(np.float32) / 2147483648.0
