"""Speech with no background at all (digital silence between words, as synthesizers
and noise-gating front ends give) is given a faint one before it is recognised."""

from __future__ import annotations

import numpy as np
import pytest

from skill.asr.engine import hear_audio
from skill.audio.floor import FLOOR_BELOW_SPEECH_DB, with_noise_floor
from skill.audio.vad import estimate_snr_db, speech_and_background_power
from skill.audio.wav import read_wav
from tests.voice.speech import have_synthesizers, recognizer, synthesize, understood, with_noise

pytestmark = pytest.mark.skipif(not have_synthesizers(), reason="needs flite and espeak-ng")

# Answers of this test's own (not the benchmark's, the development set's or the
# noise suppression test's).
ANSWERS = [
    ("cramp_now", "yes right now", "cramp_now", True),
    ("location", "my right foot", "location", "foot"),
    ("location", "the back of my leg", "location", "calf"),
    ("side", "the left leg", "side", "left"),
    ("onset", "in bed at night", "onset", "night"),
    ("onset", "after a run", "onset", "exercise"),
    ("relief", "no it still hurts", "relief", "not_easing"),
    ("frequency", "a few times a week", "frequency", "several_per_week"),
    ("triggers", "i sat for hours", "triggers", "prolonged_position"),
    ("duration", "less than a minute", "duration", "seconds"),
    ("medications", "blood pressure pills", "medications", "blood_pressure"),
    ("conditions", "my kidneys are bad", "conditions", "kidney"),
    ("triggers", "it was very hot", "triggers", "heat"),
    ("location", "the top of my thigh", "location", "front_thigh"),
]


def floored(samples: np.ndarray) -> np.ndarray:
    return with_noise_floor(samples, speech_and_background_power(samples, 16000))


def espeak_samples(text: str = "my left calf") -> np.ndarray:
    return read_wav(synthesize(text, "espeak:en-us"), 16000).samples


def test_digital_silence_gets_a_faint_background_and_the_speech_is_kept() -> None:
    samples = espeak_samples()
    assert np.mean(samples == 0) > 0.2  # espeak-ng leaves stretches of exact zeros
    out = floored(samples)
    assert out.dtype == np.int16 and len(out) == len(samples)
    assert np.mean(out == 0) < 0.05
    assert abs(estimate_snr_db(out, 16000) - FLOOR_BELOW_SPEECH_DB) < 3
    # the speech itself is untouched to the ear: what was added is 50 dB down
    added = out.astype(float) - samples
    assert np.sqrt(np.mean(added ** 2)) < 0.01 * np.sqrt(np.mean(samples.astype(float) ** 2))


def test_speech_with_a_background_of_its_own_is_left_as_it_is() -> None:
    samples = read_wav(with_noise(synthesize("my left calf", "espeak:en-us"), 30.0)).samples
    assert np.array_equal(floored(samples), samples)


def test_the_same_audio_is_always_given_the_same_background() -> None:
    samples = espeak_samples()
    assert np.array_equal(floored(samples), floored(samples))


@pytest.mark.parametrize("length", [0, 10, 1000])
def test_audio_too_short_to_measure_is_left_as_it_is(length: int) -> None:
    samples = np.zeros(length, dtype=np.int16)
    assert np.array_equal(floored(samples), samples)


def test_synthesized_answers_are_heard_better_with_the_background() -> None:
    right = {"as it came": 0, "with background": 0}
    for voice in ("espeak:en", "espeak:en-us", "espeak:en-us+m1"):
        for question, text, slot, value in ANSWERS:
            audio = read_wav(synthesize(text, voice), 16000)
            recognizer().new_speaker()  # the background alone, nothing learnt of the voice
            recognizer().prepare(question)
            as_it_came = recognizer().recognize(audio.pcm(), question)
            heard = hear_audio(recognizer(), audio, question)
            right["as it came"] += understood(as_it_came.text, question, slot, value)
            right["with background"] += understood(heard.text, question, slot, value)
    # measured when it was added: 27 of 42 right as the synthesizer wrote them, 38 with
    # the background; on 2026-11-30, 32 and 36 (the triggers grammar now also hears "it
    # was very hot" as written, as "i was really hot")
    assert right["with background"] >= 34, right
    assert right["with background"] >= right["as it came"] + 3, right


def test_clean_speech_is_still_measured_as_clean() -> None:
    heard = hear_audio(recognizer(), read_wav(synthesize("my left calf", "espeak:en-us")),
                       "location")
    assert not heard.noisy and not heard.denoised
    assert understood(heard.text, "location", "location", "calf")
