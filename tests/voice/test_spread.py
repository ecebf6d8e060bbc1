"""Noise-suppressed speech is flatter than clean speech; its cepstra are scaled back to
clean speech's spread before decoding (skill/asr/spread.py)."""

from __future__ import annotations

import numpy as np
import pytest

from skill.asr import spread
from skill.asr.engine import hear_audio
from skill.asr.pocketsphinx import PocketSphinxRecognizer
from skill.audio.denoise import default_denoiser
from skill.audio.floor import with_noise_floor
from skill.audio.vad import speech_and_background_power
from skill.audio.wav import read_wav
from tests.voice.speech import (
    ANSWERS_IN_NOISE,
    have_synthesizers,
    noisy,
    synthesize,
    understood,
)

pytestmark = pytest.mark.skipif(not have_synthesizers(), reason="needs flite and espeak-ng")

VOICES = ("flite:rms", "flite:awb", "espeak:en-us+f4", "espeak:en-us+m3")


def spreads(recognizer: PocketSphinxRecognizer, voice: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-cepstrum spread of the answers said clean, and said in 10 dB noise and
    suppressed (each utterance's mean taken off, as the decoder does)."""
    clean, suppressed = [], []
    for _, text, _, _ in ANSWERS_IN_NOISE:
        samples = read_wav(synthesize(text, voice), 16000).samples
        for rows, sound in (
                (clean, with_noise_floor(samples, speech_and_background_power(samples, 16000))),
                (suppressed, default_denoiser().clean(noisy(text, voice).samples, 16000))):
            cepstra = recognizer.front_end.cepstra(sound)
            rows.append(cepstra - cepstra.mean(0))
    return np.vstack(clean).std(0), np.vstack(suppressed).std(0)


@pytest.mark.parametrize("voice", VOICES)
def test_suppressed_speech_is_flatter_than_clean_and_is_scaled_back_towards_it(
        recognizer: PocketSphinxRecognizer, voice: str) -> None:
    """The factors were measured on other espeak-ng voices; flite's voices are flattened
    less, yet are still brought closer to their clean spread."""
    clean, suppressed = spreads(recognizer, voice)
    assert (suppressed < clean).sum() >= 11, suppressed / clean
    restored = spread.restore_spread(suppressed)
    off_before = np.abs(np.log(suppressed / clean)).mean()
    off_after = np.abs(np.log(restored / clean)).mean()
    assert off_after < 0.8 * off_before, (off_before, off_after)


def right_in_noise(recognizer: PocketSphinxRecognizer) -> int:
    right = 0
    for voice in VOICES:
        for question, text, slot, value in ANSWERS_IN_NOISE:
            recognizer.new_speaker()
            recognizer.prepare(question)
            heard = hear_audio(recognizer, noisy(text, voice), question)
            assert heard.denoised
            right += understood(heard.text, question, slot, value)
    return right


def test_first_answers_in_loud_noise_are_heard_better_with_the_spread_put_back(
        recognizer: PocketSphinxRecognizer, monkeypatch: pytest.MonkeyPatch) -> None:
    with_spread = right_in_noise(recognizer)
    monkeypatch.setattr(spread, "SUPPRESSED_SPREAD", (1.0,) * 13)  # measured: 38 of 48 -> 35
    without = right_in_noise(recognizer)
    assert with_spread > without, (with_spread, without)


BEFORE = [("hello there everyone", None), ("yes", 5.0),
          ("it woke me up in the middle of the night", None)]


@pytest.mark.parametrize(("question", "text", "voice"), [
    ("onset", "while i was walking", "flite:rms"),
    ("triggers", "a long drive", "flite:rms"),
    ("frequency", "most nights", "espeak:en-us+f4"),
])
def test_a_noisy_answer_is_heard_the_same_whatever_was_said_before(
        recognizer: PocketSphinxRecognizer, question: str, text: str, voice: str) -> None:
    """The first rendering of noisy speech is decoded from the skill's own cepstra, the
    other renderings through PocketSphinx's front end, which carries its cepstral mean
    and its estimate of the noise over from the last sound it was given. Unless it is
    set afresh from this utterance, these answers were heard differently depending on
    what came before ("my while asleep" or "my going up stairs"; "an long drive" or
    "a long drive"; "no thanks" or "no idea")."""
    answer = noisy(text, voice)
    heard = set()
    for before, snr in BEFORE:
        recognizer.new_speaker()
        sound = noisy(before, "flite:slt", snr) if snr else \
            read_wav(synthesize(before, "flite:slt"), 16000)
        hear_audio(recognizer, sound, question)
        recognizer.new_speaker()  # learning the voice is meant to change what is heard
        heard.add(hear_audio(recognizer, answer, question).text)
    assert len(heard) == 1, heard
