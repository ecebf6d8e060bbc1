"""The hands-free loop with WAV files standing in for the microphone (none on this machine)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from skill.asr.base import Heard
from skill.audio.source import WavFiles
from skill.audio.wav import read_wav
from skill.dialogue.session import Session
from skill.listen import ListenOptions, Loop, WavOut, complete_answer
from skill.responses import default_responses
from skill.settings import Settings
from skill.tts.speaker import Speaker
from tests.e2e.cli import run
from tests.voice.speech import recognizer, synthesize


def loop(files: list[str | None], tmp_path) -> tuple[list, WavOut]:
    out = WavOut(tmp_path, Speaker())
    session = Session(timed_hold=True)
    turns = Loop(session, WavFiles(files), recognizer(), out, ListenOptions(wait=1)).run()
    return turns, out


def test_silence_gets_reprompts_then_it_waits_for_the_wake_phrase(tmp_path) -> None:
    files = [None, None, None, str(synthesize("hello there")), str(synthesize("cramp coach")),
             str(synthesize("yes"))]
    turns, out = loop(files, tmp_path)
    says = [t.say for t in turns]
    assert "still here" in says[1] and "for example" in says[1]
    assert says[1] != says[2]  # re-prompts are not word for word the same
    # the second silence allows for a voice too faint to be found
    assert "can't hear you" not in says[1] and "closer" in says[2]
    assert "Say cramp coach when you need me" in says[3]
    assert turns[-1].expecting == "relief"  # woken, then "yes" started the stretch
    assert len(out.written) >= 5


def test_the_timed_hold_really_pauses_in_the_spoken_reply(tmp_path) -> None:
    turns, _ = loop([str(synthesize("yes"))], tmp_path)
    stretch = turns[1]
    pauses = [p.pause_after for p in stretch.parts]
    assert sum(pauses) >= 30  # about thirty seconds of hold, counted in steps
    assert any("seconds" in p.text for p in stretch.parts)


def test_listen_without_a_microphone_says_so_clearly(tmp_path) -> None:
    result = run(["listen", "--say-to", str(tmp_path)], "", timeout=120)
    assert result.returncode == 1
    assert b"no microphone" in result.stderr.lower()
    assert b"Traceback" not in result.stderr
    assert list(tmp_path.glob("*.wav"))  # and it said so out loud


def test_slower_is_remembered_between_conversations(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    files = [str(synthesize("slower please")), str(synthesize("stop"))]
    env_before = Settings.load().rate
    result = run(["listen", "--from-wav", *files, "--say-to", str(tmp_path / "out")], "",
                 timeout=300)
    assert result.returncode == 0, result.stderr.decode()[-1500:]
    import json

    saved = json.loads((tmp_path / "config" / "cramp-coach" / "settings.json").read_text())
    assert saved["rate"] < env_before
    # standard output carries what the skill says, and nothing of the speech engine's
    assert b"Audio saved" not in result.stdout, result.stdout.decode()


def test_quieter_is_heard_spoken_makes_the_replies_quieter_and_is_remembered(tmp_path,
                                                                        monkeypatch) -> None:
    """At 3 a.m. beside someone asleep: "too loud", said twice, and the skill's next
    replies are quieter, and stay so in the next conversation."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    files = [str(synthesize(text, "flite:kal16")) for text in ("too loud", "quieter please")]
    out = tmp_path / "out"
    result = run(["listen", "--from-wav", *files, str(synthesize("stop")), "--say-to", str(out)],
                 "", timeout=300)
    assert result.returncode == 0, result.stderr.decode()[-1500:]
    import json

    saved = json.loads((tmp_path / "config" / "cramp-coach" / "settings.json").read_text())
    assert 0.2 <= saved["volume"] <= 0.6
    replies = sorted(out.glob("reply-*.wav"))
    peaks = [int(np.abs(read_wav(path).samples).max()) for path in replies]
    # the greeting at full volume; after two steps down, the replies are quieter
    assert peaks[2] < 0.8 * peaks[0] and peaks[3] < 0.8 * peaks[0], peaks
    again = run(["listen", "--from-wav", str(synthesize("stop")),
                 "--say-to", str(tmp_path / "next")], "", timeout=300)
    assert again.returncode == 0
    greeting = sorted((tmp_path / "next").glob("reply-*.wav"))[0]
    assert int(np.abs(read_wav(greeting).samples).max()) < 0.8 * peaks[0]


def test_hands_free_says_back_an_answer_heard_through_noise(tmp_path) -> None:
    from tests.voice.speech import with_noise

    noisy = [str(with_noise(synthesize(text, "flite:kal16"), 15.0))
             for text in ("no", "my left calf")]
    turns, out = loop([*noisy, str(synthesize("stop"))], tmp_path)
    said = [turn.say for turn in turns]
    located = next(turn for turn in turns if turn.slots["location"] == "calf")
    assert located.say.startswith("It's noisy where you are"), said
    assert len(out.written) == len(turns)


def test_a_murmur_before_the_answer_gets_no_reply_and_the_answer_is_taken(tmp_path) -> None:
    """"hmm" (a hum, not the letters), then "no": the skill says nothing to the hum,
    goes on listening, and answers the "no"."""
    files = [str(synthesize("[[hm:]]", "espeak:en-us+f3")), str(synthesize("um er", "flite:rms")),
             str(synthesize("no")), str(synthesize("stop"))]
    turns, out = loop(files, tmp_path)
    said = [turn.say for turn in turns]
    assert [turn.heard for turn in turns[1:]] == ["no", "stop"], said
    assert turns[1].slots["cramp_now"] is False
    assert not any("Take your time" in text for text in said)
    assert len(out.written) == len(turns)


def test_it_gets_ready_for_the_answer_while_it_is_still_speaking(monkeypatch) -> None:
    """Learning the voice and making the question's grammar happen during the question,
    so listening starts the moment the question ends (before, up to 0.4 s of silence
    came first, and the start of a quick answer was lost)."""
    shared = recognizer()
    ready: dict[str | None, threading.Event] = {}
    prepare = shared.prepare

    def prepare_and_tell(expecting: str | None) -> None:
        prepare(expecting)
        ready.setdefault(expecting, threading.Event()).set()

    monkeypatch.setattr(shared, "prepare", prepare_and_tell)
    session = Session()
    during: list[tuple[str | None, bool]] = []

    class Loudspeaker:
        unsaid = ()
        cut_short = False

        def speak(self, parts, rate, volume, early=None, patient=False,  # noqa: ANN001, ANN201
                  talk_over=True):  # noqa: ANN001
            expecting = session.expecting
            # a loudspeaker takes seconds to say a question; the answer is ready within it
            got_ready = ready.setdefault(expecting, threading.Event()).wait(timeout=20)
            during.append((expecting, got_ready))
            return None

        def chime(self) -> None:
            return None

    files = [str(synthesize(text, "flite:kal")) for text in ["yes", "my left calf"]]
    Loop(session, WavFiles(files), shared, Loudspeaker(), ListenOptions(wait=1)).run()
    assert during[:3] == [("cramp_now", True), ("relief", True), ("relief", True)]


@pytest.mark.parametrize(("question", "heard", "complete"), [
    ("onset", Heard("at night", 0.9, True, "pocketsphinx"), True),
    # a question that takes several things: the next may follow a pause
    ("triggers", Heard("alcohol", 0.9, True, "pocketsphinx"), False),
    # words the grammar does not hold, from the open transcription: it may go on
    ("onset", Heard("at night", 0.4, False, "pocketsphinx", second_pass=True), False),
    ("onset", Heard("", 0.0, False, "pocketsphinx"), False),
])
def test_only_a_complete_answer_to_a_one_thing_question_ends_the_pause_sooner(
        question: str, heard: Heard, complete: bool) -> None:
    assert recognizer().finished("triggers", "alcohol")  # complete as a phrase
    assert complete_answer(recognizer(), heard, question) is complete


def test_more_time_is_remembered_and_can_be_turned_off_from_the_command_line(
        tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    settings = tmp_path / "config" / "cramp-coach" / "settings.json"
    asked = run(["listen", "--from-wav", str(synthesize("give me more time", "flite:kal16")),
                 str(synthesize("stop")), "--say-to", str(tmp_path / "one")], "", timeout=300)
    assert asked.returncode == 0, asked.stderr.decode()[-1500:]
    assert "wait longer" in asked.stdout.decode()
    assert Settings.load(settings).patient
    reset = run(["listen", "--no-patient", "--from-wav", str(synthesize("stop")),
                 "--say-to", str(tmp_path / "two")], "", timeout=300)
    assert reset.returncode == 0
    assert not Settings.load(settings).patient


def test_a_cramp_coming_back_wakes_it_while_it_waits_for_the_wake_phrase(tmp_path) -> None:
    """After the silent re-prompts it waits for "cramp coach"; "it's back" wakes it as
    well, and goes straight to the stretch, without the wake phrase."""
    files = [str(synthesize("no")), None, None, None, str(synthesize("hello there")),
             str(synthesize("it's back", "flite:kal16"))]
    turns, _ = loop(files, tmp_path)
    assert "Say cramp coach when you need me" in turns[-2].say
    first_step = default_responses().item("stretch.calf")["steps"][0]
    assert turns[-1].expecting == "relief" and first_step in turns[-1].say
