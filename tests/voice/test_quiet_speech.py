"""Someone who speaks softly (at night, so as not to wake anyone, or from across the
room) is heard as well as someone who speaks up; a silent microphone is still heard as
nothing."""

from __future__ import annotations

import numpy as np
import pytest

from skill.asr.engine import hear_audio
from skill.audio.denoise import default_denoiser
from skill.audio.gain import MAX_GAIN_DB, SPEECH_DBFS, quiet_speech_gain
from skill.audio.mic import Microphone
from skill.audio.vad import louder, speech_and_background_power
from skill.audio.wav import Audio, read_wav, write_wav
from skill.dialogue.session import Session
from skill.listen import ListenOptions, Loop, WavOut
from skill.tts.speaker import Speaker
from tests.e2e.cli import run, turns
from tests.voice.speech import (
    MICROPHONE_HISS,
    have_synthesizers,
    in_room,
    recognizer,
    softly,
    speech_dbfs,
    synthesize,
    understood,
    with_noise,
)
from tests.voice.test_endpointing import FakeInput, PacedInput, plug_in

pytestmark = pytest.mark.skipif(not have_synthesizers(), reason="needs flite and espeak-ng")

# Answers of this test's own (not the benchmark's, the development set's, nor another
# test's).
ANSWERS = [
    ("location", "my left foot", "location", "foot"),
    ("side", "left leg", "side", "left"),
    ("onset", "during exercise", "onset", "exercise"),
    ("relief", "yes it's better", "relief", "easing"),
    ("triggers", "i drank alcohol", "triggers", "alcohol"),
    ("duration", "a couple of minutes", "duration", "minutes"),
    ("conditions", "i have diabetes", "conditions", "diabetes"),
    ("medications", "a water pill", "medications", "diuretic"),
]
VOICES = ["flite:kal16", "espeak:en-us+m1"]
def gain_for(samples: np.ndarray) -> float:
    """How many times louder the skill makes ``samples`` before it hears them."""
    return quiet_speech_gain(speech_and_background_power(samples, 16000))


def right_answers(dbfs: float | None, snr: float | None = None) -> int:
    """How many of ``ANSWERS`` are understood, said by ``VOICES`` with speech at ``dbfs``
    (None: as synthesized, about -16 dBFS) over ``snr`` dB of white noise."""
    right = 0
    for voice in VOICES:
        for question, text, slot, value in ANSWERS:
            path = synthesize(text, voice)
            samples = read_wav(with_noise(path, snr) if snr else path, 16000).samples
            if dbfs is not None:
                samples = softly(samples, dbfs)
            recognizer().new_speaker()
            heard = hear_audio(recognizer(), Audio(samples, 16000), question)
            right += understood(heard.text, question, slot, value)
    return right


def test_quiet_speech_is_brought_up_and_ordinary_speech_left_alone() -> None:
    samples = read_wav(synthesize("my left foot", "flite:kal16"), 16000).samples
    assert gain_for(samples) == 1.0
    assert louder(samples, 1.0) is samples
    quiet = softly(samples, -55.0)
    made = louder(quiet, gain_for(quiet))
    # the recognition says so, so that a miss can ask the user to come closer
    assert hear_audio(recognizer(), Audio(quiet, 16000), "location").faint
    assert not hear_audio(recognizer(), Audio(samples, 16000), "location").faint
    assert abs(speech_dbfs(made) - SPEECH_DBFS) < 1.0
    assert made.dtype == np.int16 and len(made) == len(quiet)


def test_a_silent_microphones_hiss_is_not_made_into_speech() -> None:
    hiss = np.random.default_rng(3).normal(0, MICROPHONE_HISS, 32000).astype(np.int16)
    gain = gain_for(hiss)
    assert gain <= 10 ** (MAX_GAIN_DB / 20) + 1e-6
    assert speech_dbfs(louder(hiss, gain)) < -40  # faint it was, faint it stays
    for question in ("cramp_now", "location", "red_flags"):
        assert hear_audio(recognizer(), Audio(hiss, 16000), question).text == ""
    zeros = np.zeros(32000, dtype=np.int16)
    assert hear_audio(recognizer(), Audio(zeros, 16000), "location").text == ""


def faint_sounds() -> dict[str, np.ndarray]:
    """Faint sounds that are not speech, as a bedroom microphone picks them up."""
    rng = np.random.default_rng(5)
    t = np.arange(32000) / 16000
    return {
        "clicks": np.where(rng.random(len(t)) > 0.995, rng.normal(0, 200, len(t)), 0.0),
        "a chord": sum(np.sin(2 * np.pi * f * t) for f in (262, 330, 392))
        * 50 * (np.sin(2 * np.pi * 2 * t) > 0),
    }


@pytest.mark.parametrize("name", ["clicks", "a chord"])
def test_faint_sounds_that_are_not_speech_are_still_heard_as_nothing(name: str) -> None:
    # made louder, such sounds were heard as answers, some as warning signs ("i'm red
    # and hot"), until quiet sounds had to sound like speech first
    hiss = np.random.default_rng(9).normal(0, MICROPHONE_HISS, 32000)
    samples = np.round(faint_sounds()[name] + hiss).astype(np.int16)
    assert gain_for(samples) > 1.0  # quiet enough to be made louder
    for question in ("cramp_now", "location", "side", "onset", "relief", "red_flags",
                     "anything_else"):
        recognizer().prepare(question)
        assert hear_audio(recognizer(), Audio(samples, 16000), question).text == "", question


def test_softly_spoken_answers_are_heard_as_well_as_ordinary_ones() -> None:
    # measured when it was added: 16 of 16 at full level; at -55 dBFS 15, and none
    # before quiet speech was made louder (it was taken for silence)
    full = right_answers(None)
    assert full >= 15
    assert right_answers(-55.0) >= full - 1


def test_softly_spoken_answers_in_noise_are_heard_too() -> None:
    # 15 dB white noise: noise suppression took quiet speech for noise alone
    # (measured when it was added: 16 of 16 at full level, 16 at -55 dBFS, none before)
    full = right_answers(None, 15.0)
    assert right_answers(-55.0, 15.0) >= full - 2


@pytest.mark.parametrize("text, question, value, snr", [
    ("the right one", "side", "right", 10.0),
    ("my left calf", "location", "calf", 15.0),
])
def test_the_microphone_finds_and_hears_a_soft_answer_in_a_noisy_room(
        monkeypatch: pytest.MonkeyPatch, text: str, question: str, value: str,
        snr: float) -> None:
    # speech at -60 dBFS, a fan's noise under it: webrtcvad took such frames for silence,
    # so the microphone did not find the answer at all (measured when the stream's gain
    # for webrtcvad was added, ten such rooms, three voices: 7 not found and 1 misheard
    # before, all 10 found and understood after)
    room, _ = in_room(text, "flite:kal16", snr)
    plug_in(monkeypatch, FakeInput(softly(room, -60.0)))
    audio = Microphone(16000, denoiser=default_denoiser()).listen(8.0)
    assert audio is not None
    heard = hear_audio(recognizer(), audio, question)
    assert heard.faint and understood(heard.text, question, question, value), heard


@pytest.mark.parametrize("dbfs", [-60.0, -70.0])
def test_a_faint_steady_hiss_starts_no_answer(monkeypatch: pytest.MonkeyPatch,
                                              dbfs: float) -> None:
    # a fan far off in a quiet room: the gain that lets webrtcvad hear a soft voice is
    # set only from frames RNNoise is sure are speech; set from any frame it thought
    # might be, it started answers on such hiss (found when it was added)
    rng = np.random.default_rng(6)
    hiss = rng.normal(0, 32768 * 10 ** (dbfs / 20), 16000 * 8) + rng.normal(0, 3, 16000 * 8)
    plug_in(monkeypatch, FakeInput(np.round(hiss).astype(np.int16)))
    assert Microphone(16000, denoiser=default_denoiser()).listen(6.0) is None


def test_a_softly_spoken_conversation(tmp_path) -> None:
    lines = ["yes", "my left calf", "yes", "at night", "no", "no", "no", "no", "rarely",
             "a few seconds", "no"]
    files = []
    for index, line in enumerate(lines):
        samples = read_wav(synthesize(line, "flite:kal16"), 16000).samples
        path = tmp_path / f"turn-{index}.wav"
        write_wav(path, Audio(softly(samples, -55.0), 16000))
        files.append(f"{path}\n")
    got = turns(run(["chat", "--wav", "--json"], "".join(files)))
    assert got[2]["slots"]["location"] == "calf" and got[2]["slots"]["side"] == "left"
    assert got[-1]["slots"]["onset"] == "night"
    assert got[-1]["triage"] == "self_care" and got[-1]["done"]


def test_a_softly_spoken_conversation_from_the_microphone(
        monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """``cramp-coach listen``'s loop, the microphone at a real device's pace: each soft
    answer is found, recognised early in the pause (its suppression made again for the
    louder sound) and understood."""
    rooms = [softly(in_room(text, "flite:kal16", None, before=0.6, after=2.5)[0], -50.0)
             for text in ("no", "my left calf", "stop")]
    plug_in(monkeypatch, PacedInput(np.concatenate(rooms)))
    microphone = Microphone(16000, denoiser=default_denoiser())
    turns = Loop(Session(), microphone, recognizer(), WavOut(tmp_path, Speaker()),
                 ListenOptions(wait=8.0)).run()
    assert turns[-1].done
    assert turns[-1].slots["cramp_now"] is False
    assert (turns[-1].slots["location"], turns[-1].slots["side"]) == ("calf", "left")
