"""Each test starts with a recogniser that has learnt nothing of anyone's voice."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.voice.speech import recognizer


@pytest.fixture(autouse=True)
def _new_speaker() -> Iterator[None]:
    if recognizer.cache_info().currsize:
        recognizer().new_speaker()
    yield
