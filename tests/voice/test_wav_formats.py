"""WAV files as recording apps and audio editors save them, not only 16-bit PCM."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from skill.audio.resample import resample
from skill.audio.wav import AudioError, read_wav
from tests.e2e.cli import run, turns
from tests.voice.speech import have_synthesizers, synthesize

pytestmark = pytest.mark.skipif(not have_synthesizers(), reason="needs flite and espeak-ng")


def riff(fmt: bytes, data: bytes, data_size: int | None = None,
         before_data: bytes = b"") -> bytes:
    size = len(data) if data_size is None else data_size
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + before_data + \
        b"data" + struct.pack("<I", size) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def fmt_chunk(tag: int, channels: int, rate: int, bits: int, sub_tag: int | None = None) -> bytes:
    block = channels * bits // 8
    head = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    if sub_tag is None:
        return head
    guid_tail = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
    return head + struct.pack("<HHI", 22, bits, 0) + struct.pack("<H", sub_tag) + guid_tail


def encode(samples: np.ndarray, kind: str) -> bytes:
    """``samples`` (float, -1..1, frames x channels) as the bytes of one sample format."""
    if kind == "pcm8":
        return np.round(samples * 127 + 128).astype(np.uint8).tobytes()
    if kind == "pcm24":
        ints = np.round(samples * (2 ** 23 - 1)).astype("<i4").tobytes()
        return b"".join(ints[i:i + 3] for i in range(0, len(ints), 4))
    if kind == "pcm32":
        return np.round(samples * (2 ** 31 - 1)).astype("<i4").tobytes()
    return samples.astype("<f4" if kind == "float32" else "<f8").tobytes()


FORMATS = {"pcm8": (1, 8), "pcm24": (1, 24), "pcm32": (1, 32), "float32": (3, 32),
           "float64": (3, 64)}


def speech(text: str = "my left calf") -> np.ndarray:
    return read_wav(synthesize(text, "flite:slt")).samples.astype(np.float32) / 32768.0


def saved(tmp_path: Path, kind: str, rate: int = 16000, channels: int = 1,
          extensible: bool = False, text: str = "my left calf") -> Path:
    tag, bits = FORMATS[kind]
    mono = speech(text)
    if rate != 16000:
        mono = resample(mono, 16000, rate)
    frames = np.repeat(mono[:, None], channels, axis=1)
    fmt = fmt_chunk(0xFFFE, channels, rate, bits, tag) if extensible else \
        fmt_chunk(tag, channels, rate, bits)
    path = tmp_path / f"{kind}-{rate}-{channels}{'-ext' if extensible else ''}.wav"
    path.write_bytes(riff(fmt, encode(frames, kind), before_data=b"LIST\x04\x00\x00\x00INFO"))
    return path


@pytest.mark.parametrize("kind", list(FORMATS))
@pytest.mark.parametrize(("rate", "channels", "extensible"),
                         [(16000, 1, False), (48000, 2, True)])
def test_other_sample_formats_read_as_the_same_sound(tmp_path: Path, kind: str, rate: int,
                                                     channels: int, extensible: bool) -> None:
    original = speech()
    got = read_wav(saved(tmp_path, kind, rate, channels, extensible), 16000)
    assert got.rate == 16000
    n = min(len(got.samples), len(original))
    assert abs(len(got.samples) - len(original)) <= 2
    match = np.corrcoef(got.samples[:n].astype(np.float64), original[:n])[0, 1]
    assert match > 0.99, match


def test_a_float_stereo_recording_is_heard_in_a_conversation(tmp_path: Path) -> None:
    lines = [saved(tmp_path, "float32", 48000, 2, text="yes"),
             saved(tmp_path, "pcm24", 44100, 1, text="my left calf")]
    got = turns(run(["chat", "--wav", "--json"], "".join(f"{p}\n" for p in lines)))
    assert got[1]["heard"] == "yes"
    assert got[2]["slots"]["location"] == "calf" and got[2]["slots"]["side"] == "left"


def test_twelve_bit_sound_in_sixteen_bit_samples_is_read(tmp_path: Path) -> None:
    """The WAV format stores 12-bit sound in two bytes per sample, the high bits used."""
    original = read_wav(synthesize("my left calf", "flite:slt")).samples
    twelve = (original & ~0xF).astype("<i2")
    paths = {bits: tmp_path / f"{bits}.wav" for bits in (12, 16)}
    for bits, path in paths.items():
        path.write_bytes(riff(struct.pack("<HHIIHH", 1, 1, 16000, 32000, 2, bits),
                              twelve.tobytes()))
    assert np.array_equal(read_wav(paths[12]).samples, read_wav(paths[16]).samples)
    assert np.abs(read_wav(paths[12]).samples.astype(int) - twelve).max() <= 1


def test_a_recording_cut_off_before_its_end_gives_what_it_holds(tmp_path: Path) -> None:
    data = encode(speech()[:, None], "float32")
    path = tmp_path / "cut.wav"
    path.write_bytes(riff(fmt_chunk(3, 1, 16000, 32), data, data_size=len(data) * 4))
    assert len(read_wav(path).samples) == len(speech())


@pytest.mark.parametrize("content", [
    riff(fmt_chunk(2, 1, 16000, 4), b"\x00" * 100),  # ADPCM: not read
    riff(fmt_chunk(3, 1, 16000, 16), b"\x00" * 100),  # 16-bit float: not read
    b"RIFF\x10\x00\x00\x00WAVEdata\x04\x00\x00\x00\x00\x00\x00\x00",  # sound before format
    b"RIFF\x04\x00\x00\x00WAVE",  # no sound at all
    b"RIFX" + b"\x00" * 40,
    b"",
])
def test_files_that_cannot_be_heard_are_refused_with_a_reason(tmp_path: Path,
                                                              content: bytes) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError):
        read_wav(path, 16000)
