"""Where a spoken answer starts and ends in a stream of short frames (the microphone's).

A frame holds speech when webrtcvad says so and, where the noise suppressor is
installed, RNNoise's voice detector agrees: in a room with steady noise (a fan, 10 dB
below the speech) webrtcvad calls nearly every frame speech, so an answer never ended
until the 15 s limit, and the room's noise alone started one. RNNoise's detector
tells the speech from the noise there, and in a quiet room the two agree. A soft voice
is given to webrtcvad louder (``VOICE_AT_DBFS``), which otherwise takes it for silence.

An answer starts with three speech frames in a row (90 ms) and keeps the 300 ms of
sound before them, so its first sound is not cut. It ends after a pause: when at
least nine in ten of the last 900 ms of frames held no speech, so a stray frame of
noise called speech does not start the pause again. Only 300 ms of that pause is kept
(``AFTER_FRAMES``): the recogniser would spend its time searching the rest.

So the answer's sound is final 300 ms into the pause, though its end is only declared
about half a second later. The sound is offered then (``on_final``), so that the
answer can be recognised in that half second (``skill.lookahead``); should the user
go on speaking, the answer simply grows and is offered again when they pause.

When that recognition shows the answer is complete (``finished``: "at night" is, since
nothing the question's grammar could add to it would change what it means; "yes" is
not, since "yes, my calf" says more), its end is declared 450 ms into the pause
(``FINISHED_PAUSE_MS``) instead of waiting out the rest: the reply comes about a third
of a second sooner. 450 ms, not the 300 ms the sound is final at, so that a short
breath inside a longer answer still does not end it.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from typing import Protocol

import numpy as np

from .denoise import Denoiser, SpeechProbability
from .live import LiveSuppression
from .vad import level_dbfs, louder
from .wav import Audio

FRAME_MS = 30
START_FRAMES = 3
"""Speech frames in a row that start an utterance."""
BEFORE_FRAMES = 10
"""Frames kept from before the start (the start of the first word may be quiet)."""
AFTER_FRAMES = 10
"""Frames kept after the last speech frame."""
END_SILENCE_MS = 900
END_QUIET_SHARE = 0.9
"""The share of the last ``END_SILENCE_MS`` of frames with no speech that ends it."""
PATIENT_END_SILENCE_MS = 2000
"""``END_SILENCE_MS`` for someone who asked for more time ("give me more time"): people
who pause longer between words (after a stroke, with Parkinson's, or in pain at
3 a.m.) get two seconds, and no answer ends sooner for being complete."""
FINISHED_PAUSE_MS = 450
"""The pause after which a complete answer (``finished``) has ended."""
MAX_SECONDS = 15.0
VOICE_PROBABILITY = 0.5
"""RNNoise's probability of speech at which a frame can count as speech."""
SURE_VOICE_PROBABILITY = 0.9
VOICE_AT_DBFS = -35.0
MOST_VOICE_GAIN_DB = 30.0
VOICE_LEVEL_FALL_DB = 0.05
"""webrtcvad takes quiet speech for silence: at -50 dBFS (a soft voice, or one from
across the room) in a fan's noise it called 4% of its frames speech, where RNNoise's
detector called 74% of them speech. So the stream is given to webrtcvad louder, by one
gain for all its frames (the speech's loudness against the room's is kept): the gain
that brings the loudest frames RNNoise is sure are speech (``SURE_VOICE_PROBABILITY``;
taken from any frame it thought might be, faint hiss started answers) to
``VOICE_AT_DBFS``, at most ``MOST_VOICE_GAIN_DB``. That level falls
``VOICE_LEVEL_FALL_DB`` with each such frame after the loudest, so a voice that grows
softer is followed. Ordinary speech needs no gain and is given none: every frame is
judged exactly as before it. Speech at -60 dBFS in 10-15 dB noise: 2 of 10 answers
found before, 10 after."""


FLOOR_SECONDS = 3.0
STAND_OUT_DB = 3.0
"""A frame can start an answer only when it stands ``STAND_OUT_DB`` above the quietest
frame of the last ``FLOOR_SECONDS`` (the room's own level). A steady sound, a fan's
noise or a silent microphone's hiss, never does so, however long it lasts; RNNoise's
detector becomes sure of it now and then (about once in 100 s of steady white noise,
at every level from -80 to -40 dBFS), and at -80 dBFS the gain for webrtcvad then made
the hiss loud enough for it too: started there, an "answer" of hiss lasted 5.7 s. Speech
rises above the room by more than that even at 5 dB (its loud frames); once an answer
has started, every frame is judged as before, so its end is found as it was. A new
microphone's first frames cannot start one either (a fan's noise did, in its first 0.4
s): the first frame sets the room's level, and a voice already speaking then starts an
answer at its first syllables 3 dB louder than what came before (the sound before the
start is kept, ``BEFORE_FRAMES``)."""


class EarlyHearing(Protocol):
    """What takes an answer's sound as soon as it is final, before its end is declared
    (``skill.lookahead``), and can tell once it was recognised as a complete answer."""

    def offer(self, audio: Audio) -> None:
        ...

    def finished(self) -> bool:
        ...


class SpeechDetector:
    """Whether each frame of a stream holds speech (see above). Keep one per stream of
    sound: both detectors follow the sound from frame to frame."""

    def __init__(self, rate: int, aggressiveness: int = 2,
                 denoiser: Denoiser | None = None) -> None:
        import webrtcvad

        self.rate = rate
        self._vad = webrtcvad.Vad(aggressiveness)
        self._voice: SpeechProbability | None = \
            denoiser.speech_probability(rate) if denoiser is not None else None
        self._voice_level: float | None = None
        """The loudest level (dBFS) of frames RNNoise called speech, falling slowly."""
        self._levels: collections.deque[float] = collections.deque(
            maxlen=int(FLOOR_SECONDS * 1000 / FRAME_MS))
        self.stands_out = True
        """Whether the last frame stood above the room's own level (``STAND_OUT_DB``)."""

    def __call__(self, frame: bytes) -> bool:
        samples = np.frombuffer(frame, dtype="<i2")
        level = level_dbfs(samples)
        self._levels.append(level)
        self.stands_out = level >= min(self._levels) + STAND_OUT_DB
        if self._voice is None:
            return bool(self._vad.is_speech(frame, self.rate))
        probability = self._voice(samples)  # fed every frame: it follows the sound
        voiced = probability >= VOICE_PROBABILITY
        if probability >= SURE_VOICE_PROBABILITY:
            self._voice_level = level if self._voice_level is None else \
                max(level, self._voice_level - VOICE_LEVEL_FALL_DB)
        # webrtcvad too is fed every frame: it adapts to the sound as it goes
        speech = bool(self._vad.is_speech(self._louder(samples, frame), self.rate))
        return voiced and speech

    def _louder(self, samples: np.ndarray, frame: bytes) -> bytes:
        """``frame`` with the stream's gain for webrtcvad (see ``VOICE_AT_DBFS``)."""
        if self._voice_level is None or self._voice_level >= VOICE_AT_DBFS - 1.0:
            return frame
        gain_db = min(VOICE_AT_DBFS - self._voice_level, MOST_VOICE_GAIN_DB)
        return louder(samples, 10 ** (gain_db / 20)).astype("<i2").tobytes()


class Endpointer:
    """Finds one utterance in frames of ``FRAME_MS`` pushed in as they are recorded.

    With a ``denoiser``, the utterance's noise is suppressed while it is spoken
    (``audio.live``), ready for when it turns out to be noisy."""

    def __init__(self, rate: int, is_speech: Callable[[bytes], bool],
                 timeout: float | None = None, denoiser: Denoiser | None = None,
                 on_final: Callable[[Audio], None] | None = None,
                 finished: Callable[[], bool] | None = None,
                 end_silence_ms: int = END_SILENCE_MS) -> None:
        """``on_final``: called with the utterance as ``audio`` would give it, each time
        its sound stops growing (``AFTER_FRAMES`` into a pause) before its end.
        ``finished``: asked during the pause after the sound was offered, whether it
        was recognised as a complete answer; if so, the answer ends
        ``FINISHED_PAUSE_MS`` into the pause. ``end_silence_ms``: the pause that ends
        any answer (``END_SILENCE_MS``, or ``PATIENT_END_SILENCE_MS``)."""
        self.rate = rate
        self._is_speech = is_speech
        self._timeout = timeout
        self._denoiser = denoiser
        self._on_final = on_final
        self._finished = finished
        self._offered = 0
        """How many frames the sound had when last offered to ``on_final``."""
        self._before: collections.deque[tuple[bytes, bool]] = collections.deque(
            maxlen=START_FRAMES + BEFORE_FRAMES)
        self._frames: list[bytes] = []
        self._recent: collections.deque[bool] = collections.deque(
            maxlen=end_silence_ms // FRAME_MS)
        self._waited = 0
        self._last_speech = 0
        self._fed = 0
        self._live: LiveSuppression | None = None
        self._live_finished = False
        """The suppression was finished for the sound offered; more sound needs another."""
        self.started = False
        self.ended = False
        self.timed_out = False
        self.ended_sooner = False
        """The answer was complete (``finished``), so its end came sooner."""

    def push(self, frame: bytes) -> bool:
        """Take the next frame; True once the utterance has ended (or none came in
        time), when ``audio`` has it."""
        if self.ended:
            return True
        speech = self._is_speech(frame)
        if not self.started:
            # only a sound that rises above the room's own level starts an answer
            self._waiting(frame, speech and getattr(self._is_speech, "stands_out", True))
        else:
            self._speaking(frame, speech)
        return self.ended

    def _waiting(self, frame: bytes, speech: bool) -> None:
        self._before.append((frame, speech))
        self._waited += 1
        recent = list(self._before)[-START_FRAMES:]
        if len(recent) == START_FRAMES and all(flag for _, flag in recent):
            self.started = True
            if self._denoiser is not None:
                self._live = LiveSuppression.start(self._denoiser, self.rate)
            for sound, flag in self._before:
                self._add(sound, flag)
        elif self._timeout is not None and self._waited * FRAME_MS / 1000 > self._timeout:
            self.ended = self.timed_out = True

    def _speaking(self, frame: bytes, speech: bool) -> None:
        self._add(frame, speech)
        self._recent.append(speech)
        quiet = self._recent.count(False)
        if (len(self._recent) == self._recent.maxlen
                and quiet >= END_QUIET_SHARE * self._recent.maxlen) \
                or len(self._frames) * FRAME_MS / 1000 > MAX_SECONDS:
            self.ended = True
            self._finish_live()
        elif self._on_final is not None and self._kept() < len(self._frames) \
                and self._kept() != self._offered:
            self._offered = self._kept()
            self._finish_live()
            self._on_final(self._audio())
        elif self._finished is not None and self._offered == self._kept() \
                and len(self._frames) - 1 - self._last_speech >= FINISHED_PAUSE_MS // FRAME_MS \
                and self._finished():
            self.ended = self.ended_sooner = True

    def _finish_live(self) -> None:
        """The sound fed so far is the whole utterance, unless more comes."""
        if self._live is not None and not self._live_finished:
            self._live.end()
            self._live_finished = True

    def _add(self, frame: bytes, speech: bool) -> None:
        """Keep ``frame``; the suppression is fed only the frames the utterance will
        keep: up to ``AFTER_FRAMES`` past the last speech so far."""
        self._frames.append(frame)
        if speech:
            self._last_speech = len(self._frames) - 1
        kept = self._kept()
        if self._live is None or kept == self._fed:
            return
        if self._live_finished and self._denoiser is not None:
            # the answer went on after it was offered: suppress all of it afresh (on the
            # worker thread, much faster than it is spoken)
            self._live = LiveSuppression.start(self._denoiser, self.rate)
            self._live_finished = False
            self._fed = 0
            if self._live is None:
                return
        for sound in self._frames[self._fed:kept]:
            self._live.feed(np.frombuffer(sound, dtype="<i2"))
        self._fed = kept

    def _kept(self) -> int:
        """How many frames the utterance keeps if it ends now."""
        return min(len(self._frames), self._last_speech + AFTER_FRAMES + 1)

    def abandon(self) -> None:
        """The recording broke off: let go of the suppression under way."""
        self.ended = True
        if self._live is not None:
            self._live.discard()

    def audio(self) -> Audio | None:
        """The utterance (None until it has ended, or when none came in time)."""
        if not self.ended or not self.started:
            return None
        return self._audio()

    def _audio(self) -> Audio:
        samples = np.frombuffer(b"".join(self._frames[:self._kept()]), dtype="<i2").copy()
        return Audio(samples, self.rate, live=self._live)
