"""Read a WAV file as 16-bit mono PCM at the rate a recognizer wants."""

from __future__ import annotations

import struct
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from .resample import resample

if TYPE_CHECKING:
    from .live import LiveSuppression

MAX_SECONDS = 60.0
"""A user's turn longer than this is cut (protects memory against huge files)."""


class AudioError(ValueError):
    """The file cannot be used as a spoken turn (missing, not a WAV, unreadable)."""


@dataclass(frozen=True)
class Audio:
    samples: np.ndarray
    """int16 mono samples."""
    rate: int
    live: LiveSuppression | None = field(default=None, compare=False, repr=False)
    """Its noise suppressed while it was recorded (``audio.live``), when it was."""

    @property
    def seconds(self) -> float:
        return len(self.samples) / float(self.rate) if self.rate else 0.0

    def pcm(self) -> bytes:
        return self.samples.astype("<i2").tobytes()


def read_wav(path: str | Path, rate: int | None = None) -> Audio:
    """The WAV at ``path`` as mono int16, resampled to ``rate`` when given.

    Besides the 16-bit PCM the contract names, 8-, 24- and 32-bit PCM and 32- or
    64-bit float are read (what recording apps and audio editors save), in plain
    or extensible WAV headers, with any number of channels (mixed down)."""
    path = Path(path)
    if not path.is_file():
        raise AudioError(f"no such file: {path}")
    try:
        with path.open("rb") as handle:
            form, data = _read_riff(handle, path.name)
    except OSError as error:
        raise AudioError(f"not a readable WAV file: {path.name} ({error})") from error
    samples = _to_float(data, form)
    if form.channels > 1:
        samples = samples[: len(samples) - len(samples) % form.channels]
        samples = samples.reshape(-1, form.channels).mean(axis=1)
    source_rate = form.rate
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


@dataclass(frozen=True)
class _Format:
    tag: int
    channels: int
    rate: int
    bits: int

    @property
    def frame_bytes(self) -> int:
        return self.channels * (self.bits // 8)


_PCM, _FLOAT, _EXTENSIBLE = 1, 3, 0xFFFE
_READABLE = {(_PCM, 8), (_PCM, 16), (_PCM, 24), (_PCM, 32), (_FLOAT, 32), (_FLOAT, 64)}


def _read_riff(handle: BinaryIO, name: str) -> tuple[_Format, bytes]:
    """The format and the sound of a RIFF WAVE file (at most ``MAX_SECONDS``). A data
    chunk that claims more than the file holds (a recording cut off) gives what is there."""
    head = handle.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise AudioError(f"not a readable WAV file: {name}")
    form: _Format | None = None
    while len(chunk := handle.read(8)) == 8:
        kind, size = chunk[:4], int.from_bytes(chunk[4:], "little")
        if kind == b"fmt ":
            body = handle.read(size + (size & 1))
            if len(body) < 16:
                break
            tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", body[:16])
            if tag == _EXTENSIBLE and len(body) >= 26:
                tag = int.from_bytes(body[24:26], "little")  # the sub-format's own tag
            # 12- or 20-bit sound is stored in whole bytes, left-justified: read the bytes
            form = _Format(tag, channels, rate, (bits + 7) // 8 * 8)
        elif kind == b"data":
            if form is None:
                break
            if (form.tag, form.bits) not in _READABLE or form.channels < 1 or form.rate <= 0:
                raise AudioError(f"unsupported WAV format in {name} "
                                 f"(format {form.tag}, {form.bits} bits)")
            limit = int(MAX_SECONDS * form.rate) * form.frame_bytes
            data = handle.read(min(size, limit))
            return form, data[: len(data) - len(data) % form.frame_bytes]
        else:
            handle.seek(size + (size & 1), 1)
    raise AudioError(f"not a readable WAV file: {name} (no format or no sound in it)")


def _to_float(raw: bytes, form: _Format) -> np.ndarray:
    if form.tag == _FLOAT:
        samples = np.frombuffer(raw, dtype="<f4" if form.bits == 32 else "<f8")
        return np.clip(np.nan_to_num(samples.astype(np.float32)), -1.0, 1.0)
    if form.bits == 8:
        return (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    if form.bits == 16:
        return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    if form.bits == 24:
        bytes3 = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        value = bytes3[:, 0] | (bytes3[:, 1] << 8) | (bytes3[:, 2] << 16)
        value = np.where(value >= 1 << 23, value - (1 << 24), value)
        return value.astype(np.float32) / float(1 << 23)
    return np.frombuffer(raw, dtype="<i4").astype(np.float32) / 2147483648.0
