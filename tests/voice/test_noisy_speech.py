"""Speech in a noisy room: the noise is measured, and what was heard is said back."""

from __future__ import annotations

import pytest

from skill.audio.vad import estimate_snr_db
from skill.audio.wav import read_wav
from tests.e2e.cli import run, turns
from tests.voice.speech import have_synthesizers, synthesize, with_noise

pytestmark = pytest.mark.skipif(not have_synthesizers(), reason="needs flite and espeak-ng")


@pytest.mark.parametrize("voice", ["flite:kal16", "flite:slt", "espeak:en-us+f3"])
def test_noise_level_is_measured_from_the_utterance(voice: str) -> None:
    clean = synthesize("my left calf", voice)
    measured = {snr: estimate_snr_db(read_wav(with_noise(clean, snr)).samples, 16000)
                for snr in (10.0, 20.0, 30.0)}
    assert estimate_snr_db(read_wav(clean).samples, 16000) > 40
    for snr, got in measured.items():
        assert abs(got - snr) < 4, measured


def test_answer_heard_through_noise_is_said_back_and_kept() -> None:
    voice = "flite:kal16"
    lines = [with_noise(synthesize(text, voice), 15.0) for text in ("no", "my left calf")]
    got = turns(run(["chat", "--wav", "--json"], "".join(f"{p}\n" for p in lines)))
    assert got[2]["slots"]["location"] == "calf" and got[2]["slots"]["side"] == "left"
    assert got[2]["say"].startswith("It's noisy where you are, so I may have misheard. "
                                    "I think you said: my left calf.")


def test_clear_answer_is_not_said_back() -> None:
    lines = [synthesize(text, "flite:kal16") for text in ("no", "my left calf")]
    got = turns(run(["chat", "--wav", "--json"], "".join(f"{p}\n" for p in lines)))
    assert got[2]["slots"]["location"] == "calf"
    assert "noisy" not in got[2]["say"] and "I think you said" not in got[2]["say"]
