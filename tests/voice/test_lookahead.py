"""An answer recognised in the pause before its end is declared (``skill.lookahead``):
used only when it is the whole answer, and never in place of it otherwise."""

from __future__ import annotations

import functools
import threading
import time

import numpy as np
import pytest

from skill.asr.base import Heard
from skill.asr.engine import hear_audio
from skill.audio.wav import Audio, read_wav
from skill.lookahead import Lookahead
from tests.voice.speech import have_synthesizers, recognizer, synthesize

pytestmark = pytest.mark.skipif(not have_synthesizers(), reason="needs flite and espeak-ng")


def answer(text: str) -> Audio:
    return read_wav(synthesize(text, "flite:kal16"), 16000)


def hear(question: str, audio: Audio) -> Heard:
    return hear_audio(recognizer(), audio, question)


def test_an_answer_offered_whole_is_heard_as_it_would_be_after_its_end() -> None:
    recognizer().new_speaker()
    recognizer().prepare("location")
    audio = answer("my left calf")
    lookahead = Lookahead(functools.partial(hear, "location"), recognizer().unheard)
    lookahead.offer(audio)
    early = lookahead.heard(Audio(audio.samples.copy(), audio.rate))
    lookahead.close()
    assert early is not None and early.text == hear("location", audio).text


def test_an_answer_that_went_on_is_not_taken_from_its_first_part() -> None:
    """"my left ..." offered at a pause, then "... calf": the first part's words are
    dropped (and not learnt from); the caller recognises the whole answer."""
    recognizer().new_speaker()
    recognizer().prepare("location")
    whole = answer("my left calf")
    first_part = Audio(whole.samples[:len(whole.samples) // 2], whole.rate)
    forgotten: list[bool] = []

    def forget() -> None:
        forgotten.append(True)
        recognizer().unheard()

    lookahead = Lookahead(functools.partial(hear, "location"), forget)
    lookahead.offer(first_part)
    assert lookahead.heard(whole) is None
    assert forgotten == [True]
    assert lookahead.heard(whole) is None  # nothing is kept from one answer to the next
    lookahead.close()


def test_a_recognition_that_fails_early_leaves_the_answer_to_be_recognised_as_usual() -> None:
    def failing(audio: Audio) -> Heard:
        raise RuntimeError("the decoder fell over")

    audio = Audio(np.zeros(16000, dtype=np.int16), 16000)
    lookahead = Lookahead(failing, lambda: None)
    lookahead.offer(audio)
    assert lookahead.heard(audio) is None
    lookahead.close()


def test_no_answer_after_an_offer_drops_it() -> None:
    dropped: list[bool] = []
    lookahead = Lookahead(functools.partial(hear, "location"), lambda: dropped.append(True))
    lookahead.offer(answer("my foot"))
    lookahead.settle()
    assert dropped == [True]
    lookahead.close()


def test_the_first_part_of_an_answer_is_dropped_before_the_whole_is_recognised() -> None:
    """Offered at a pause, then again whole: the whole is heard exactly as if the first
    part had never been offered (the voice is not learnt from the first part first)."""
    whole = answer("the back of my thigh")
    first_part = Audio(whole.samples[:len(whole.samples) * 2 // 5], whole.rate)
    alone = Lookahead(functools.partial(hear, "location"), recognizer().unheard)
    recognizer().new_speaker()
    recognizer().prepare("location")
    alone.offer(whole)
    expected = alone.heard(whole)
    alone.close()

    events: list[str] = []

    def hear_noting(audio: Audio) -> Heard:
        events.append(f"hear {len(audio.samples)}")
        return hear("location", audio)

    def forget() -> None:
        events.append("forget")
        recognizer().unheard()

    lookahead = Lookahead(hear_noting, forget)
    recognizer().new_speaker()
    recognizer().prepare("location")
    lookahead.offer(first_part)
    lookahead.offer(whole)
    heard = lookahead.heard(whole)
    lookahead.close()
    assert events == [f"hear {len(first_part.samples)}", "forget", f"hear {len(whole.samples)}"]
    assert heard is not None and expected is not None and heard.text == expected.text


def test_an_answer_is_finished_once_recognised_and_judged_complete() -> None:
    """The microphone asks, frame after frame, without waiting: False while the
    recognition is under way, then what ``complete`` made of the words."""
    recognizer().new_speaker()
    recognizer().prepare("onset")
    release = threading.Event()

    def hear_when_released(audio: Audio) -> Heard:
        release.wait()
        return hear("onset", audio)

    judged: list[str] = []

    def complete(heard: Heard) -> bool:
        judged.append(threading.current_thread().name)
        return heard.text == "at night"

    lookahead = Lookahead(hear_when_released, recognizer().unheard, complete)
    assert not lookahead.finished()  # nothing offered
    audio = answer("at night")
    lookahead.offer(audio)
    assert not lookahead.finished()  # still being recognised
    release.set()
    deadline = time.monotonic() + 30
    while not lookahead.finished() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert lookahead.finished()
    assert judged and judged[0].startswith("lookahead")  # judged on the worker thread
    heard = lookahead.heard(audio)
    assert heard is not None and heard.text == "at night"
    assert not lookahead.finished()  # taken: nothing is on offer any more
    lookahead.close()


def test_an_answer_that_went_on_is_not_finished_until_the_whole_is_recognised() -> None:
    recognizer().prepare("onset")
    whole = answer("at night")
    first_part = Audio(whole.samples[:len(whole.samples) // 2], whole.rate)
    release = threading.Event()
    heard_sounds: list[int] = []

    def hear_noting(audio: Audio) -> Heard:
        heard_sounds.append(len(audio.samples))
        if len(heard_sounds) > 1:
            release.wait()
        return Heard("at night", 1.0, True, "test")

    lookahead = Lookahead(hear_noting, lambda: None, lambda heard: True)
    lookahead.offer(first_part)
    lookahead.offer(whole)
    while len(heard_sounds) < 2:  # the first part is recognised; the whole's is waiting
        time.sleep(0.01)
    assert not lookahead.finished()
    release.set()
    lookahead.settle()


def test_a_judgement_that_fails_leaves_the_answer_heard_but_not_finished() -> None:
    judging = threading.Event()

    def failing(heard: Heard) -> bool:
        judging.set()
        raise RuntimeError("the grammar is gone")

    audio = answer("at night")
    lookahead = Lookahead(lambda sound: Heard("at night", 1.0, True, "test"), lambda: None,
                          failing)
    lookahead.offer(audio)
    assert judging.wait(30)
    time.sleep(0.05)  # the recognition returns as soon as the judgement fails
    assert not lookahead.finished()
    heard = lookahead.heard(audio)
    assert heard is not None and heard.text == "at night"
    lookahead.close()
