"""Open the recogniser a conversation uses, and turn WAV files into words."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..audio.denoise import FRAMINGS, Denoiser, default_denoiser
from ..audio.floor import with_noise_floor
from ..audio.gain import quiet_speech_gain, sounds_like_speech
from ..audio.live import LiveSuppression
from ..audio.offset import without_offset
from ..audio.vad import has_speech, level_dbfs, louder, snr_db, speech_and_background_power
from ..audio.wav import Audio, AudioError, read_wav
from ..nlu.understand import Understander, default_understander
from .base import Heard, Recognizer, too_noisy
from .grammar import GrammarBuilder
from .models import choose_engine

_LOGGER = logging.getLogger(__name__)


def open_recognizer(engine: str = "auto", model: str | None = None,
                    understander: Understander | None = None) -> Recognizer:
    understander = understander or default_understander()
    kind, path = choose_engine(engine, model)
    suppresses = default_denoiser().load()
    if kind == "vosk":
        from .vosk import VoskRecognizer

        assert path is not None
        builder = GrammarBuilder(understander)
        return VoskRecognizer(path, builder.phrases)
    from .helper import second_decoder
    from .pocketsphinx import PocketSphinxRecognizer

    # other renderings of an answer exist only where noise is suppressed; the helper
    # builds its grammars from the default understanding
    helper = second_decoder() if suppresses and understander is default_understander() \
        else None
    return PocketSphinxRecognizer(understander, helper=helper)


NOTHING = Heard("", 0.0, False, "none")
NOISE_ONLY_DROP_DB = 15.0
"""When noise suppression takes the level down by this much, nothing but noise was
there: speech keeps most of its level (at most 9.3 dB lost, even at 0 dB SNR, on six
development voices), white noise alone loses 18-23 dB. Such a sound is not decoded:
searching noise took seconds."""
OTHER_FRAMINGS = FRAMINGS[1:]
"""Noisy speech is also suppressed with RNNoise's 10 ms frames cut elsewhere
(``audio.denoise.FRAMINGS``); the recogniser decodes these renderings when it wants a
second opinion (``MORE_RENDERINGS`` in asr.pocketsphinx)."""


def hear_audio(recognizer: Recognizer, audio: Audio, expecting: str | None,
               denoiser: Denoiser | None = None) -> Heard:
    """Words in an utterance, and how noisy it was; nothing for silence or for noise
    alone (never guessed at), nor when the recogniser fails on it.

    A microphone's DC offset is taken off first (``audio.offset``), and quiet speech is
    made louder (``audio.gain``). Noisy speech has its background suppressed before it
    is recognised (10 dB white noise: 70% of short answers right instead of 21%,
    BENCHMARKS.md); clean speech is not suppressed, where suppression would only cost
    accuracy, but speech with no background at all (digital silence between words) is
    given a faint one (``audio.floor``). The recogniser may ask for other renderings of
    noisy speech (``OTHER_FRAMINGS``) when it is unsure of the first.
    """
    denoiser = denoiser or default_denoiser()
    centred = without_offset(audio.samples, audio.rate)
    if centred is not audio.samples:  # the live suppression may stay: RNNoise filters it
        audio = Audio(centred, audio.rate, live=audio.live)
    measured = speech_and_background_power(audio.samples, audio.rate)
    gain = quiet_speech_gain(measured)
    faint = gain != 1.0
    if faint:
        # suppression made while it was spoken was of the quiet sound: made again
        _discard(audio.live)
        audio = Audio(louder(audio.samples, gain), audio.rate)
        if not sounds_like_speech(audio.samples, audio.rate, denoiser):
            return Heard("", 0.0, False, recognizer.name)
        measured = speech_and_background_power(audio.samples, audio.rate)
    if not has_speech(audio.samples, audio.rate):
        _discard(audio.live)
        return Heard("", 0.0, False, recognizer.name)
    level = round(snr_db(measured), 1)
    denoised = too_noisy(level) and denoiser.available
    if denoised:
        cleaned, alternatives = _suppressed(denoiser, audio)
        if level_dbfs(audio.samples) - level_dbfs(cleaned) >= NOISE_ONLY_DROP_DB:
            return Heard("", 0.0, False, recognizer.name, snr_db=level, denoised=True,
                         faint=faint)
        audio = Audio(cleaned, audio.rate)
    else:
        _discard(audio.live)
        audio = Audio(with_noise_floor(audio.samples, measured), audio.rate)
        alternatives = iter(())
    try:
        heard = recognizer.recognize(audio.pcm(), expecting, alternatives, denoised)
    except Exception as error:  # noqa: BLE001 - one utterance lost, never the conversation
        _LOGGER.error("the recogniser failed on an utterance, taken as not heard: %r", error)
        heard = Heard("", 0.0, False, recognizer.name)
    return replace(heard, snr_db=level, denoised=denoised, faint=faint)


def _suppressed(denoiser: Denoiser, audio: Audio) -> tuple[np.ndarray, Iterator[bytes]]:
    """The noisy utterance suppressed, and its other renderings as the recogniser asks
    for them: as made while it was spoken (``audio.live``), else made now."""
    live = audio.live
    first = live.rendering(0) if live is not None else None
    if live is None or first is None:
        # the first other rendering is always wanted: made on the other core meanwhile
        second = _rendering_in_background(denoiser, audio, OTHER_FRAMINGS[0])
        return denoiser.clean(audio.samples, audio.rate), _renderings(denoiser, audio, second)
    return first, _live_renderings(denoiser, audio, live)


def _renderings(denoiser: Denoiser, audio: Audio, second: Future[bytes]
                ) -> Iterator[bytes]:
    """The noisy utterance suppressed on other framings: the first as made in the
    background (``second``), the others only when asked for (each about 55 ms for a
    second of speech)."""
    yield second.result()
    for offset in OTHER_FRAMINGS[1:]:
        yield _rendering(denoiser, audio, offset)


def _live_renderings(denoiser: Denoiser, audio: Audio, live: LiveSuppression
                     ) -> Iterator[bytes]:
    for index, offset in enumerate(OTHER_FRAMINGS, start=1):
        made = live.rendering(index)
        yield Audio(made, audio.rate).pcm() if made is not None else \
            _rendering(denoiser, audio, offset)


def _discard(live: LiveSuppression | None) -> None:
    if live is not None:
        live.discard()


def _rendering(denoiser: Denoiser, audio: Audio, offset: int) -> bytes:
    return Audio(denoiser.clean(audio.samples, audio.rate, offset), audio.rate).pcm()


_BACKGROUND: ThreadPoolExecutor | None = None


def _rendering_in_background(denoiser: Denoiser, audio: Audio, offset: int
                             ) -> Future[bytes]:
    """``_rendering`` on a worker thread. RNNoise lets go of Python's lock while it
    works, so on a machine with two cores both renderings are ready in about the time
    of one (10 dB answers: end of speech to reply text 327 -> 299 ms median on 66 timed
    answers, BENCHMARKS.md)."""
    global _BACKGROUND
    if _BACKGROUND is None:
        _BACKGROUND = ThreadPoolExecutor(max_workers=1, thread_name_prefix="denoise")
    return _BACKGROUND.submit(_rendering, denoiser, audio, offset)


@dataclass
class WavTranscriber:
    """``chat --wav``: each line names a WAV file holding the user's turn."""

    recognizer: Recognizer

    @classmethod
    def open(cls, engine: str = "auto", model: str | None = None) -> WavTranscriber:
        return cls(open_recognizer(engine, model))

    def hear(self, line: str, expecting: str | None) -> Heard:
        """The words in the WAV file a line names; nothing for a bad path or silence."""
        path = line.strip()
        if not path or len(path) > 4096 or "\x00" in path:
            return NOTHING
        try:
            audio = read_wav(Path(path), self.recognizer.sample_rate)
        except AudioError as error:
            _LOGGER.info("%s", error)
            return NOTHING
        return hear_audio(self.recognizer, audio, expecting)

    def transcribe(self, line: str, expecting: str | None) -> str:
        return self.hear(line, expecting).text
