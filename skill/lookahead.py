"""Recognising an answer in the pause before its end is declared.

The microphone keeps 300 ms of the pause after the last word, so the answer's sound is
final then; but it waits about half a second more before it is sure the user has
finished (``audio.endpoint``). The answer is recognised in that half second, on a
worker thread, so the reply is ready when the end is declared instead of starting
then. Should the user go on speaking, the answer is offered again when they pause, and
only a recognition of the whole of it is used.

The recognition also tells the microphone when the answer is complete (``finished``),
so it need not wait out the rest of the pause (``audio.endpoint``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from .asr.base import Heard
from .audio.wav import Audio

_LOGGER = logging.getLogger(__name__)


class Lookahead:
    """Recognition of answers offered early (``offer``), collected with ``heard``.

    ``hear`` is what recognises an answer; the recogniser is used on one thread at a
    time: the worker's, until ``heard`` or ``settle`` has waited for it. ``forget`` is
    called when an early recognition turns out not to be of the whole answer, so the
    recogniser does not learn the voice from it (``Recognizer.unheard``). ``complete``
    judges whether what was heard is the whole answer (``finished``); without it, no
    answer is taken as complete before its end."""

    def __init__(self, hear: Callable[[Audio], Heard], forget: Callable[[], None],
                 complete: Callable[[Heard], bool] | None = None) -> None:
        self._hear = hear
        self._forget = forget
        self._complete = complete
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lookahead")
        self._offered: list[tuple[Audio, Future[tuple[Heard, bool]]]] = []

    def offer(self, audio: Audio) -> None:
        """Start recognising ``audio``, which may turn out to be the whole answer."""
        if self._offered:
            # the sound offered before was only the first part: not learnt from before
            # this longer one is recognised (the recogniser learns from its last answer)
            self._pool.submit(self._forget)
        self._offered.append((audio, self._pool.submit(self._recognise, audio)))

    def _recognise(self, audio: Audio) -> tuple[Heard, bool]:
        """What was heard in ``audio``, and whether it is a complete answer (judged on
        this thread too: it can take tens of milliseconds the first time)."""
        heard = self._hear(audio)
        try:
            return heard, self._complete is not None and self._complete(heard)
        except Exception as error:  # noqa: BLE001 - the pause is simply waited out
            _LOGGER.error("judging whether an answer was complete failed: %r", error)
            return heard, False

    def finished(self) -> bool:
        """Whether the sound offered last has been recognised, as a complete answer.
        Never waits."""
        if not self._offered:
            return False
        job = self._offered[-1][1]
        return job.done() and job.exception() is None and job.result()[1]

    def heard(self, audio: Audio) -> Heard | None:
        """What was heard in ``audio``, when it was offered whole; None when it was
        not (the caller recognises it). Waits for every recognition under way."""
        offered = self._offered
        self._offered = []
        results = [(early, _result(job)) for early, job in offered]
        if not results:
            return None
        last, heard = results[-1]
        if heard is not None and _same_sound(last, audio):
            return heard
        self._forget()
        return None

    def settle(self) -> None:
        """Wait for any recognition under way and drop it (no answer came after all)."""
        if self._offered:
            for _, job in self._offered:
                _result(job)
            self._offered = []
            self._forget()

    def close(self) -> None:
        self.settle()
        self._pool.shutdown(wait=True)


def _result(job: Future[tuple[Heard, bool]]) -> Heard | None:
    try:
        return job.result()[0]
    except Exception as error:  # noqa: BLE001 - recognised again the usual way
        _LOGGER.error("recognising an answer early failed: %r", error)
        return None


def _same_sound(one: Audio, other: Audio) -> bool:
    return one.rate == other.rate and np.array_equal(one.samples, other.samples)
