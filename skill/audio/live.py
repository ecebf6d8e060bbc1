"""Noise suppression done while the user is still speaking.

Suppressing an utterance after it has ended took about 100 ms a second of speech
(RNNoise, ``audio.denoise``), all of it spent while the user waited for the reply.
Done on a worker thread as the microphone's frames arrive (RNNoise lets go of
Python's lock while it works), only the last few frames are left when the speaker
stops. Every rendering the recogniser may want (``denoise.FRAMINGS``) is made, and
whether the speech was noisy enough to use them is decided at the end, as for a WAV
file (``asr.engine.hear_audio``); the renderings are the same as made from the whole
sound at once.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Sequence

import numpy as np

from .denoise import FRAMINGS, Denoiser, Suppression

_LOGGER = logging.getLogger(__name__)
_END = None


class LiveSuppression:
    """The renderings of one utterance, made as its sound is fed in."""

    def __init__(self, streams: Sequence[Suppression]) -> None:
        self._streams = list(streams)
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue()
        self._results: list[np.ndarray | None] = [None] * len(self._streams)
        self._ready = [threading.Event() for _ in self._streams]
        self._discarded = False
        self._thread = threading.Thread(target=self._work, name="live-denoise", daemon=True)
        self._thread.start()

    @classmethod
    def start(cls, denoiser: Denoiser, rate: int,
              offsets: Sequence[int] = FRAMINGS) -> LiveSuppression | None:
        """One for an utterance at ``rate`` (None when the suppressor is not installed)."""
        streams = [denoiser.start(rate, offset) for offset in offsets]
        if any(stream is None for stream in streams):
            return None
        return cls([stream for stream in streams if stream is not None])

    def feed(self, samples: np.ndarray) -> None:
        """The next 16-bit samples of the utterance."""
        self._queue.put(np.array(samples, dtype=np.int16))

    def end(self) -> None:
        """The utterance is over: the worker finishes each rendering, the first first."""
        self._queue.put(_END)

    def discard(self) -> None:
        """The renderings are not wanted (clean speech): the worker stops early."""
        self._discarded = True
        self.end()

    def rendering(self, index: int) -> np.ndarray | None:
        """Rendering ``index`` (of ``FRAMINGS``), waiting for it if need be; None when it
        could not be made (the caller makes it from the whole sound instead)."""
        if not 0 <= index < len(self._streams):
            return None
        self._ready[index].wait()
        return self._results[index]

    def _work(self) -> None:
        try:
            while (samples := self._queue.get()) is not _END:
                for stream in self._streams:
                    stream.feed(samples)
            for index, stream in enumerate(self._streams):
                if self._discarded:
                    break
                self._results[index] = stream.finish()
                self._ready[index].set()
        except Exception as error:  # noqa: BLE001 - the whole sound is suppressed instead
            _LOGGER.warning("noise suppression while listening failed: %r", error)
        finally:
            for stream in self._streams:
                stream.close()
            for ready in self._ready:
                ready.set()
