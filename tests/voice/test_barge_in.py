"""Talking over the skill while it speaks (barge-in), where the microphone does not hear
the skill's own voice: it stops talking the moment the user starts, and answers what
they said; a sound that meant nothing (a cough) does not throw its reply away.

The sound device is the one part made up here (this machine has no loudspeaker and no
microphone): a room on a wall clock, where the user's words are said at set times and
what the skill plays takes as long as it would. Everything else is real: pyttsx3's
speech, the microphone's endpointing, PocketSphinx and the conversation."""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass

import numpy as np
import pytest

from skill.audio.denoise import default_denoiser
from skill.audio.mic import Microphone, NoMicrophone
from skill.audio.wav import read_wav
from skill.dialogue.session import Session
from skill.dialogue.turn import Turn
from skill.listen import ListenOptions, Loop, SpeakerOut
from skill.settings import Settings
from skill.tts.speaker import Speaker
from tests.e2e.cli import run
from tests.voice.speech import MICROPHONE_HISS, have_synthesizers, recognizer, synthesize

pytestmark = pytest.mark.skipif(not have_synthesizers(), reason="needs flite and espeak-ng")
RATE = 16000


@dataclass
class Played:
    """One sound the loudspeaker was given: when it started, how long it was, and when
    it was stopped (None: it played to its end)."""

    start: float
    seconds: float
    stopped: float | None = None

    @property
    def cut_short(self) -> bool:
        return self.stopped is not None and self.stopped < self.start + self.seconds - 0.05


class Room:
    """A sound device in a quiet room: a microphone that hears the user's words at the
    times set (seconds from when the room was made) over a faint hiss, and a
    loudspeaker whose sound the microphone does not hear (a headset, or echo
    cancellation)."""

    def __init__(self, said: list[tuple[float, np.ndarray]], name: str = "test input",
                 seconds: float = 60.0) -> None:
        self.t0 = time.monotonic()
        rng = np.random.default_rng(3)
        sound = rng.normal(0, MICROPHONE_HISS, int(seconds * RATE))
        for at, samples in said:
            start = int(at * RATE)
            sound[start:start + len(samples)] += samples
        self.sound = np.clip(sound, -32768, 32767).astype(np.int16)
        self.name = name
        self.played: list[Played] = []
        self._lock = threading.Lock()
        self.PortAudioError = type("PortAudioError", (Exception,), {})

    def now(self) -> float:
        return time.monotonic() - self.t0

    def begin(self) -> None:
        """The room's time starts now (the conversation is about to start)."""
        self.t0 = time.monotonic()

    # the microphone
    def query_devices(self, kind: str) -> dict[str, object]:
        return {"name": self.name, "max_input_channels": 1}

    def RawInputStream(self, **options: object) -> InputStream:  # noqa: N802 - sounddevice's
        return InputStream(self)

    # the loudspeaker
    def play(self, samples: np.ndarray, rate: int) -> None:
        with self._lock:
            self.played.append(Played(self.now(), len(samples) / rate))

    def get_stream(self) -> Room:
        return self

    @property
    def active(self) -> bool:
        last = self.played[-1]
        return last.stopped is None and self.now() < last.start + last.seconds

    def stop(self) -> None:
        with self._lock:
            if self.played and self.played[-1].stopped is None:
                self.played[-1].stopped = self.now()

    def wait(self) -> None:
        while self.active:
            time.sleep(0.005)


class InputStream:
    """The microphone's stream, from the moment it is opened, at a real device's pace."""

    def __init__(self, room: Room) -> None:
        self.room = room
        frame = RATE * 30 // 1000  # opened on a frame of the room's sound: the same
        self.position = int(room.now() * RATE) // frame * frame  # sound, run after run

    def __enter__(self) -> InputStream:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def read(self, count: int) -> tuple[bytes, bool]:
        if self.position + count > len(self.room.sound):  # so that a test cannot hang
            raise self.room.PortAudioError("the room's time is up")
        wait = (self.position + count) / RATE - self.room.now()
        if wait > 0:
            time.sleep(wait)
        chunk = self.room.sound[self.position:self.position + count]
        self.position += count
        return np.pad(chunk, (0, count - len(chunk))).astype("<i2").tobytes(), False


def spoken(text: str, voice: str = "flite:kal16") -> np.ndarray:
    return read_wav(synthesize(text, voice), RATE).samples


class Watching(SpeakerOut):
    """The loudspeaker, noting the sentences it is asked to say, in order."""

    def __init__(self, speaker: Speaker, source: Microphone, barge_in: bool) -> None:
        super().__init__(speaker, source, barge_in)
        self.asked: list[list[str]] = []

    def speak(self, parts, rate, volume, early=None, patient=False,  # noqa: ANN001, ANN201
              talk_over=True):  # noqa: ANN001
        self.asked.append([part.text for part in parts])
        return super().speak(parts, rate, volume, early, patient, talk_over)


def listening(monkeypatch: pytest.MonkeyPatch, room: Room, barge_in: bool = True) -> Loop:
    """``cramp-coach listen``'s loop in ``room``, its loudspeaker ``Watching``, ready to
    run (the room's time starts now)."""
    monkeypatch.setitem(sys.modules, "sounddevice", room)
    microphone = Microphone(RATE, denoiser=default_denoiser())
    out = Watching(Speaker(), microphone, barge_in=barge_in)
    session = Session(timed_hold=True)
    recognizer().prepare(session.expecting)
    room.begin()
    return Loop(session, microphone, recognizer(), out,
                ListenOptions(wait=3.0, on_turn=lambda turn: print(
                    f"{room.now():.2f}", turn.say, room.played)))


def conversation(monkeypatch: pytest.MonkeyPatch, room: Room, barge_in: bool = True
                 ) -> tuple[list[Turn], list[Played]]:
    return listening(monkeypatch, room, barge_in).run(), room.played


def said_between(samples: np.ndarray) -> tuple[float, float]:
    """When the words start and end in ``samples`` (seconds; the synthesizers leave
    silence around them)."""
    frames = samples[:len(samples) // 160 * 160].astype(np.float64).reshape(-1, 160)
    level = 10 * np.log10(np.mean(frames ** 2, axis=1) + 1.0)
    loud = np.flatnonzero(level > level.max() - 30.0)
    return loud[0] * 0.01, (loud[-1] + 1) * 0.01


def test_saying_stop_over_the_greeting_stops_it_at_once_and_ends(
        monkeypatch: pytest.MonkeyPatch) -> None:
    stop = spoken("stop")
    room = Room([(1.5, stop)], seconds=20.0)
    turns, played = conversation(monkeypatch, room)
    greeting = played[0]
    assert greeting.cut_short, played
    begins, ends = said_between(stop)
    # it stops while the word is being said, not after the whole greeting (within
    # half a second of its end at most: bench/barge_in.py measures how soon)
    assert greeting.stopped is not None and greeting.stopped < 1.5 + ends + 0.5
    assert greeting.stopped > 1.5 + begins
    assert turns[-1].done and len(turns) == 2  # the greeting, then goodbye at once
    assert turns[-1].slots["cramp_now"] is None


def test_an_answer_said_over_a_question_is_taken_and_the_rest_is_not_said(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The greeting asks "are you having a leg cramp right now?"; the user says "no"
    before it has finished, and the skill goes on to its next question at once; a
    "stop" over that question ends the conversation."""
    room = Room([(2.0, spoken("no", "flite:awb")), (5.5, spoken("stop please"))])
    turns, played = conversation(monkeypatch, room)
    assert played[0].cut_short and played[1].cut_short
    assert turns[1].slots["cramp_now"] is False
    assert turns[-1].done and len(turns) == 3


def test_without_barge_in_the_skill_says_its_whole_reply(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The microphone hears the loudspeaker (no echo cancellation): nothing listens
    while the skill speaks, so its own voice cannot cut it off; the stop comes after."""
    room = Room([(1.5, spoken("stop")), (7.0, spoken("stop please"))])
    turns, played = conversation(monkeypatch, room, barge_in=False)
    assert not any(sound.cut_short for sound in played)
    assert turns[-1].done and len(turns) == 2


def test_an_okay_over_the_stretch_instructions_does_not_lose_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A listener's "okay" while the skill explains the stretch stops it, but is not
    taken as the answer to "is it easing?", which it has not asked yet: the skill says
    the sentence it was cut off in again, and goes on."""
    room = Room([(2.0, spoken("yes")), (6.0, spoken("okay")), (14.0, spoken("stop please"))])
    loop = listening(monkeypatch, room)
    turns = loop.run()
    out = loop.out
    assert isinstance(out, Watching)
    stretch = out.asked[1]
    assert stretch[0].startswith("Let's ease it")
    cut = out.asked[2]  # the rest of the stretch, from the sentence the okay cut off
    assert cut == stretch[stretch.index(cut[0]):] and len(cut) > 2
    assert any(sound.cut_short for sound in room.played[1:3])
    # greeting, stretch, goodbye: "okay" was not taken as "it's easing" (nor was it
    # answered with "sorry, say that again")
    assert turns[-1].done and len(turns) == 3


def test_an_ouch_while_the_skill_explains_the_stretch_does_not_lose_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Stretching a cramp hurts: an "ouch" said over the stretch instructions stops the
    skill, which then says the sentence it was cut off in again and goes on, as after a
    cough; the "ouch" is not answered with "is it easing?" before the stretch is told.
    (flite kal16's "ouch", this file's usual voice, is heard as "arch", a place, in the
    questions that take one: test_recognition.py.)"""
    room = Room([(2.0, spoken("yes")), (6.0, spoken("ouch", "flite:rms")),
                 (14.0, spoken("stop please"))])
    loop = listening(monkeypatch, room)
    turns = loop.run()
    out = loop.out
    assert isinstance(out, Watching)
    stretch = out.asked[1]
    cut = out.asked[2]  # the rest of the stretch, from the sentence the ouch cut off
    assert cut == stretch[stretch.index(cut[0]):] and len(cut) > 2
    assert any(sound.cut_short for sound in room.played[1:3])
    assert turns[-1].done and len(turns) == 3  # greeting, stretch, goodbye


def test_the_microphone_says_whether_it_cancels_echo(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name, cancels in (("Echo-Cancel Source", True), ("ReSpeaker 4 Mic AEC", True),
                          ("USB PnP Sound Device: Audio (hw:1,0)", False)):
        monkeypatch.setitem(sys.modules, "sounddevice", Room([], name, seconds=1.0))
        assert Microphone(RATE).cancels_echo is cancels


def test_barge_in_is_set_from_the_command_line_and_remembered(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    settings = tmp_path / "config" / "cramp-coach" / "settings.json"
    assert Settings.load(settings).barge_in is None  # by itself: the microphone's name
    for flag, wanted in (("--barge-in", True), ("--no-barge-in", False)):
        done = run(["listen", flag, "--from-wav", str(synthesize("stop please")),
                    "--say-to", str(tmp_path / flag)], "", timeout=300)
        assert done.returncode == 0, done.stderr.decode()[-1500:]
        assert Settings.load(settings).barge_in is wanted


def test_speech_stops_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    room = Room([], seconds=1.0)
    monkeypatch.setitem(sys.modules, "sounddevice", room)
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    began = time.monotonic()
    Speaker().say("Sit up with that leg straight out in front of you, and pull the foot up "
                  "towards your shin.", stop=stop)
    assert time.monotonic() - began < 2.0
    assert room.played[0].cut_short


def test_after_two_sounds_that_meant_nothing_it_finishes_the_sentence(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone who keeps saying "okay" while the skill explains (or a partner talking
    in their sleep) would otherwise never let it finish: the third "okay" in a row no
    longer cuts it off."""
    okay = spoken("okay")
    room = Room([(2.0, spoken("yes")), (6.0, okay), (9.0, okay), (12.0, okay)],
                seconds=20.0)
    loop = listening(monkeypatch, room)
    with pytest.raises(NoMicrophone):  # the room's time is up, in the stretch's holds
        loop.run()
    out = loop.out
    assert isinstance(out, Watching)
    explained = out.asked[1][1]
    assert explained.startswith("Most cramps")
    assert out.asked[2][0] == out.asked[3][0] == explained  # said again, twice
    said = [sound for sound in room.played[1:] if sound.seconds > 5.0][:3]  # that sentence
    assert [sound.cut_short for sound in said] == [True, True, False]
