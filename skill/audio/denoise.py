"""Noise suppression for utterances heard in a noisy room: RNNoise, a small recurrent
network trained on real speech and noise (BSD licence), from the optional
``pyrnnoise`` package (``pip install ".[noise]"``).

It is meant for noisy speech only: on clean speech it costs accuracy, so callers use
it when the speech stands less than ``NOISY_SNR_DB`` above the background
(``asr.engine.hear_audio``). Without the package, speech is heard as it came.
"""

from __future__ import annotations

import ctypes
import logging
from functools import lru_cache

import numpy as np

from .resample import resample_by_factor, upsampling_kernel

_LOGGER = logging.getLogger(__name__)
RNNOISE_RATE = 48000
KEEP_ORIGINAL = 0.07
"""How much of the original sound stays under the cleaned speech. RNNoise leaves
gaps of near silence with chirps in them, which the recogniser has never heard; a
little of the room under them fits its silence model better. Chosen on the
development set (bench/voice.py --dev, 10 dB white noise, grammar pass only): 0 gave
63% of answers right, 0.05 73%, 0.1 75%, 0.2 71%, 0.3 68%, 0.5 52%."""
_DELAY_FRAMES = 2
FRAMINGS = (0, 160, 320)
"""Where RNNoise's 10 ms frames are cut against the sound, in its 48 kHz samples: the
first rendering of noisy speech, then two more cut a third and two thirds of a frame
later, which the recogniser decodes when it wants a second opinion
(``MORE_RENDERINGS`` in asr.pocketsphinx)."""


class Denoiser:
    """Takes the background noise out of an utterance, keeping its length and rate."""

    def __init__(self) -> None:
        self._library: RNNoise | None = None
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

    def _load(self) -> RNNoise | None:
        if not self._tried:
            self._tried = True
            try:
                import pyrnnoise.rnnoise as module

                self._library = RNNoise(module.LIBRNNOISE)
            except (ImportError, OSError, AttributeError) as error:
                _LOGGER.info("noise suppression off (pyrnnoise not installed: %s)", error)
        return self._library

    def clean(self, samples: np.ndarray, rate: int, offset: int = 0) -> np.ndarray:
        """16-bit ``samples`` at ``rate`` with the noise suppressed (unchanged when the
        suppressor is not installed). ``offset`` moves RNNoise's 10 ms frames that many
        of its samples (48 kHz) earlier against the sound: the same speech cut into
        frames elsewhere comes out a little differently."""
        suppression = self.start(rate, offset) if len(samples) else None
        if suppression is None:
            return samples
        suppression.feed(samples)
        return suppression.finish()

    def start(self, rate: int, offset: int = 0) -> Suppression | None:
        """A suppression to feed with an utterance's sound as it arrives (None when the
        suppressor is not installed)."""
        library = self._load()
        return Suppression(library, rate, offset) if library is not None else None

    def speech_probability(self, rate: int) -> SpeechProbability | None:
        """RNNoise's judgement of whether sound holds speech, frame by frame (None when
        the suppressor is not installed)."""
        library = self._load()
        return SpeechProbability(library, rate) if library is not None else None


class SpeechProbability:
    """How likely each short frame of a stream of sound is to hold speech, by RNNoise's
    own voice detector, which steady noise does not fool (webrtcvad calls nearly every
    frame of 10 dB white noise speech). Only the judgement is kept, not the sound."""

    def __init__(self, library: RNNoise, rate: int) -> None:
        self._library = library
        self._rate = rate
        self._pending = np.zeros(0)
        self._last = 0.0
        self._state: int | None = library.create()

    def __call__(self, samples: np.ndarray) -> float:
        """The highest probability of speech in the RNNoise frames that ``samples`` (the
        next 16-bit samples) complete; the last one when they complete none."""
        sound = resample_by_factor(samples.astype(np.float64), self._rate, RNNOISE_RATE)
        if self._state is None:
            raise RuntimeError("this judgement has been closed")
        _, probabilities, self._pending = self._library.run(self._state, self._pending, sound)
        if probabilities:
            self._last = max(probabilities)
        return self._last

    def close(self) -> None:
        if self._state is not None:
            self._library.destroy(self._state)
            self._state = None

    def __del__(self) -> None:
        self.close()


class Suppression:
    """One utterance's sound with the noise taken out, made as the sound arrives: each
    of RNNoise's 10 ms frames is cleaned as soon as the sound it needs is in, so when
    the speaker stops only the last few frames are left to do (RNNoise takes about
    0.7 ms a frame here, ``RNNoise``, so about 70 ms for each second of speech done at
    the end).
    Fed in one piece or in many, the result is the same."""

    def __init__(self, library: RNNoise, rate: int, offset: int = 0) -> None:
        self._library = library
        self._rate = rate
        self._factor = RNNOISE_RATE // rate if RNNOISE_RATE % rate == 0 else 0
        """How many of RNNoise's samples to one of the sound's (0: not a whole number,
        and the sound is resampled in one piece at the end)."""
        self._frame = library.frame_size
        self._kernel = upsampling_kernel(self._factor) if self._factor > 1 else np.ones(1)
        self._samples = np.zeros(rate, dtype=np.int16)
        self._count = 0
        self._upsampled = 0
        """Samples at RNNoise's rate made so far (each needs the sound a little past it)."""
        self._pending = np.zeros(offset)
        """Sound at RNNoise's rate not yet cleaned: less than a frame."""
        self._cleaned: list[np.ndarray] = []
        self._offset = offset
        self._state: int | None = library.create()

    def feed(self, samples: np.ndarray) -> None:
        """The next part of the utterance (16-bit samples at the rate given)."""
        if self._state is None:
            raise RuntimeError("this suppression has finished")
        if self._count + len(samples) > len(self._samples):
            grown = np.zeros(2 * (self._count + len(samples)), dtype=np.int16)
            grown[:self._count] = self._samples[:self._count]
            self._samples = grown
        self._samples[self._count:self._count + len(samples)] = samples
        self._count += len(samples)
        if self._factor:
            # a sample is final once the filter's half-width of sound after it is in
            self._suppress(self._upsample(self._factor * self._count - len(self._kernel) // 2))

    def finish(self) -> np.ndarray:
        """The whole utterance, cleaned: the same length and rate as fed."""
        if self._state is None:
            raise RuntimeError("this suppression has finished")
        original = self._samples[:self._count].astype(np.float64)
        if self._factor:
            rest = self._upsample(self._factor * self._count)
        else:
            rest = resample_by_factor(original, self._rate, RNNOISE_RATE)
        length = self._upsampled if self._factor else len(rest)  # at RNNoise's rate
        # RNNoise gives the sound back two frames (20 ms) late: pad the end to match
        self._suppress(np.concatenate([rest, np.zeros((-self._offset - length) % self._frame
                                                      + _DELAY_FRAMES * self._frame)]))
        self._library.destroy(self._state)
        self._state = None
        cleaned = np.concatenate(self._cleaned) if self._cleaned else np.zeros(0)
        delay = _DELAY_FRAMES * self._frame + self._offset
        speech = resample_by_factor(cleaned[delay:delay + length].astype(np.float64),
                                    RNNOISE_RATE, self._rate)[:len(original)]
        speech = np.pad(speech, (0, len(original) - len(speech)))
        mixed = speech + KEEP_ORIGINAL * original
        return np.clip(np.round(mixed), -32768, 32767).astype(np.int16)

    def close(self) -> None:
        """Let go of RNNoise's state without finishing (the sound was not wanted)."""
        if self._state is not None:
            self._library.destroy(self._state)
            self._state = None

    def _upsample(self, end: int) -> np.ndarray:
        """The sound at RNNoise's rate from where the last call stopped up to ``end``
        (its samples there), zero-stuffed and low-passed as ``resample_by_factor``
        does, from only the samples each output needs."""
        start = self._upsampled
        if end <= start:
            return np.zeros(0)
        half = len(self._kernel) // 2
        first = start - half  # the stuffed sound that outputs start..end need
        stuffed = np.zeros(end - start + 2 * half)
        positions = np.arange(-(-max(first, 0) // self._factor),
                              min(self._count, (end + half - 1) // self._factor + 1))
        stuffed[positions * self._factor - first] = self._samples[positions]
        self._upsampled = end
        upsampled: np.ndarray = np.convolve(stuffed, self._kernel * self._factor,
                                            mode="valid")
        return upsampled

    def _suppress(self, sound: np.ndarray) -> None:
        """Clean every whole frame of ``sound`` (after what was left over last time)."""
        assert self._state is not None
        cleaned, _, self._pending = self._library.run(self._state, self._pending, sound)
        self._cleaned.append(cleaned)


class RNNoise:
    """RNNoise's C library, from the one ``pyrnnoise`` ships, called directly.

    pyrnnoise's own ``process_mono_frame`` converts, checks and copies each 10 ms frame
    in Python: 0.96 ms a frame here, of which RNNoise itself takes 0.68. Here a whole
    stretch of sound is converted once and RNNoise cleans it in place, frame by frame,
    with the same conversions, so the sound comes out exactly as pyrnnoise's would."""

    def __init__(self, path: str) -> None:
        library = ctypes.CDLL(path)  # its own handle: the argument types set here are ours
        library.rnnoise_create.argtypes = [ctypes.c_void_p]
        library.rnnoise_create.restype = ctypes.c_void_p
        library.rnnoise_destroy.argtypes = [ctypes.c_void_p]
        library.rnnoise_destroy.restype = None
        library.rnnoise_get_frame_size.restype = ctypes.c_int
        library.rnnoise_process_frame.argtypes = [ctypes.c_void_p] * 3
        library.rnnoise_process_frame.restype = ctypes.c_float
        self._library = library
        self.frame_size = int(library.rnnoise_get_frame_size())
        """Samples in one of RNNoise's 10 ms frames (at ``RNNOISE_RATE``)."""

    def create(self) -> int:
        state: int | None = self._library.rnnoise_create(None)
        if not state:
            raise MemoryError("RNNoise could not make its state")
        return state

    def destroy(self, state: int) -> None:
        self._library.rnnoise_destroy(state)

    def run(self, state: int, pending: np.ndarray, sound: np.ndarray
            ) -> tuple[np.ndarray, list[float], np.ndarray]:
        """Each whole frame of ``pending`` then ``sound`` (at RNNoise's rate) through
        ``state``: the cleaned sound (16-bit, whole frames), each frame's probability
        of speech, and what is left over, less than a frame, for next time."""
        sound = np.concatenate([pending, sound])
        whole = len(sound) - len(sound) % self.frame_size
        frames = np.ascontiguousarray(
            np.clip(sound[:whole], -32768, 32767).astype(np.int16).astype(np.float32))
        process = self._library.rnnoise_process_frame
        start = frames.ctypes.data
        step = self.frame_size * frames.itemsize
        probabilities = [float(process(state, at, at))
                         for at in range(start, start + frames.nbytes, step)]
        return frames.astype(np.int16), probabilities, sound[whole:]


@lru_cache(maxsize=1)
def default_denoiser() -> Denoiser:
    return Denoiser()
