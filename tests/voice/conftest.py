"""Each test starts with a recogniser that has learnt nothing of anyone's voice."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from skill.asr.pocketsphinx import PocketSphinxRecognizer
from tests.voice import speech


@pytest.fixture(autouse=True)
def _new_speaker() -> Iterator[None]:
    if speech.recognizer.cache_info().currsize:
        speech.recognizer().new_speaker()
    yield


@pytest.fixture
def recognizer() -> PocketSphinxRecognizer:
    """The recogniser the voice tests share (``speech.recognizer``), as a new
    conversation: nothing learnt of any voice."""
    shared = speech.recognizer()
    assert isinstance(shared, PocketSphinxRecognizer)
    return shared
