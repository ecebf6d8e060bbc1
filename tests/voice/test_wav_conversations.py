"""Whole spoken conversations: synthesized WAV turns through ``cramp-coach chat --wav --json``."""

from __future__ import annotations

import pytest

from tests.e2e.cli import run, turns
from tests.voice.speech import have_synthesizers, synthesize, tone_file

pytestmark = pytest.mark.skipif(not have_synthesizers(), reason="needs flite and espeak-ng")


def spoken(lines: list[str], voices: list[str]) -> str:
    return "".join(f"{synthesize(line, voices[i % len(voices)])}\n"
                   for i, line in enumerate(lines))


def test_night_calf_cramp_spoken() -> None:
    lines = ["yes", "my left calf", "yes", "at night", "no", "no", "no", "no", "rarely",
             "a few seconds", "no"]
    result = run(["chat", "--wav", "--json"],
                 spoken(lines, ["flite:slt", "flite:kal16", "espeak:en-us+f3"]))
    got = turns(result)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    last = got[-1]
    assert got[2]["slots"]["location"] == "calf" and got[2]["slots"]["side"] == "left"
    assert last["slots"]["onset"] == "night"
    assert last["triage"] == "self_care" and last["done"]
    assert last["causes"][0] == "idiopathic_night_cramps"
    assert got[1]["heard"] == "yes"


def test_walking_pain_spoken() -> None:
    lines = ["no", "calf", "right", "when walking", "no", "no", "i smoke", "no", "weekly",
             "a few minutes", "no"]
    got = turns(run(["chat", "--wav", "--json"], spoken(lines, ["flite:awb", "flite:rms"])))
    last = got[-1]
    assert last["slots"]["onset"] == "walking"
    assert "smoking" in last["slots"]["conditions"]
    assert last["triage"] == "doctor"
    assert last["causes"][0] == "poor_circulation"


def test_swollen_calf_spoken_is_urgent_at_once() -> None:
    lines = ["no", "calf", "swollen"]
    got = turns(run(["chat", "--wav", "--json"], spoken(lines, ["flite:slt"])))
    assert got[-1]["triage"] == "urgent"
    assert "swelling" in got[-1]["slots"]["red_flags"]
    assert "today" in got[-1]["say"]


def test_junk_audio_gets_a_spoken_reprompt_and_the_conversation_goes_on(tmp_path) -> None:
    not_wav = tmp_path / "notes.wav"
    not_wav.write_text("this is not audio")
    lines = [str(tone_file("silence")), str(tone_file("noise")), str(synthesize("yes")),
             str(not_wav), str(tmp_path / "missing.wav")]
    result = run(["chat", "--wav", "--json"], "\n".join(lines) + "\n")
    got = turns(result)
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert [t["expecting"] for t in got] == ["cramp_now", "cramp_now", "cramp_now", "relief",
                                            "relief", "relief"]
    for turn in (got[1], got[2], got[4], got[5]):
        assert turn["heard"] == ""
        assert "didn't" in turn["say"] and turn["say"].endswith("?")
    assert got[3]["heard"] == "yes" and got[5]["slots"]["cramp_now"] is True


def test_a_spoken_hmm_gets_time_and_the_answers_stay() -> None:
    """A hum ("hmm", as a person hums it) in the middle of a spoken conversation: the
    skill says take your time and asks the same question again; nothing is lost."""
    lines = ["no", "[[hm:]]", "my left calf"]
    result = run(["chat", "--wav", "--json"],
                 spoken(lines, ["flite:slt", "espeak:en-us+f3", "flite:kal16"]))
    got = turns(result)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert got[2]["say"].startswith(("Take your time.", "No hurry.")), got[2]
    assert got[2]["expecting"] == got[1]["expecting"] == "location"
    assert got[2]["slots"] == got[1]["slots"] and got[2]["triage"] is None
    assert got[3]["slots"]["location"] == "calf" and got[3]["slots"]["side"] == "left"


def test_a_cramp_that_comes_back_mid_conversation_is_stretched_again_spoken() -> None:
    """Spoken: the calf is easing, "it's back" while the skill asks when the cramps come
    on, so it takes them through the stretch again; once that eases it asks the same
    question, and an "ouch" there gets a kind word, not "sorry". Nothing is lost."""
    lines = ["yes", "yes", "my left calf", "it's back", "yes", "ouch", "at night"]
    result = run(["chat", "--wav", "--json"],
                 spoken(lines, ["flite:kal16", "espeak:en-us+f3"]))
    got = turns(result)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert [t["expecting"] for t in got] == ["cramp_now", "relief", "location", "onset",
                                            "relief", "onset", "onset", "triggers"]
    assert got[4]["heard"] == "it's back" and "stretch" in got[4]["say"].lower()
    assert "ouch" in got[6]["heard"] and "sorry" not in got[6]["say"].lower()
    assert "it's back" in got[6]["say"]  # how to have the stretch again
    assert got[7]["slots"]["location"] == "calf" and got[7]["slots"]["side"] == "left"
    assert got[7]["slots"]["onset"] == "night" and got[7]["triage"] is None
