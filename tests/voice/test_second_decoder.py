"""The second decoder process (``skill/asr/helper.py``): it decodes the other renderings of
a noisy answer beside the main process, changes nothing that is heard, and when it dies
or hangs the answer is still heard, in this process."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import skill.asr.helper as helper_module
from skill.asr.engine import hear_audio, open_recognizer
from skill.asr.helper import SecondDecoder
from skill.asr.pocketsphinx import PocketSphinxRecognizer
from skill.audio.wav import read_wav
from tests.voice.speech import have_synthesizers, noisy, synthesize

pytestmark = pytest.mark.skipif(not have_synthesizers(), reason="needs flite and espeak-ng")

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = [  # (question, words, noise): the first two renderings of these disagree
    ("cramp_now", "yeah", 15.0),
    ("conditions", "no none", 15.0),
    ("relief", "it's gone", 10.0),
    ("location", "my right calf", 10.0),
    ("triggers", "tight socks", 10.0),
]


@pytest.fixture
def fresh(recognizer: PocketSphinxRecognizer) -> Iterator[SecondDecoder]:
    """A helper process of the test's own, put in the shared recogniser's place."""
    shared = recognizer.helper
    helper = SecondDecoder()
    assert helper.wait_until_working(60)
    recognizer.helper = helper
    yield helper
    recognizer.helper = shared
    helper.close()


def _hear(recognizer: PocketSphinxRecognizer, question: str, words: str, snr: float) -> str:
    """The words heard, as the first answer of a conversation (nothing learnt of the
    voice from the answers before)."""
    recognizer.new_speaker()
    recognizer.prepare(question)
    return hear_audio(recognizer, noisy(words, "flite:kal", snr), question).text


def test_noisy_answers_are_heard_the_same_with_the_second_decoder(
        recognizer: PocketSphinxRecognizer, fresh: SecondDecoder) -> None:
    for question, words, snr in ANSWERS:
        recognizer.helper = fresh
        before = fresh.answered
        with_helper = _hear(recognizer, question, words, snr)
        assert fresh.answered > before, "the helper decoded nothing"
        recognizer.helper = None
        alone = _hear(recognizer, question, words, snr)
        assert with_helper == alone, (words, with_helper, alone)


def test_clean_speech_is_never_sent_to_the_second_decoder(
        recognizer: PocketSphinxRecognizer, fresh: SecondDecoder) -> None:
    recognizer.prepare("location")
    path = synthesize("my left calf", "flite:kal")
    heard = hear_audio(recognizer, read_wav(path, 16000), "location")
    assert heard.text == "my left calf" and fresh.answered == 0


def test_an_answer_is_heard_when_the_second_decoder_has_died(
        recognizer: PocketSphinxRecognizer, fresh: SecondDecoder,
        caplog: pytest.LogCaptureFixture) -> None:
    question, words, snr = ANSWERS[3]
    recognizer.helper = None
    alone = _hear(recognizer, question, words, snr)
    recognizer.helper = fresh
    assert fresh.pid is not None
    os.kill(fresh.pid, signal.SIGKILL)
    time.sleep(0.2)
    with caplog.at_level(logging.WARNING):
        assert _hear(recognizer, question, words, snr) == alone
    assert not fresh.working and fresh.pid is None
    assert "second decoder is no longer used" in caplog.text
    assert _hear(recognizer, question, words, snr) == alone  # and so on, in this process


def test_a_second_decoder_that_stops_answering_is_given_up(
        recognizer: PocketSphinxRecognizer, fresh: SecondDecoder,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    question, words, snr = ANSWERS[4]
    recognizer.helper = None
    alone = _hear(recognizer, question, words, snr)
    recognizer.helper = fresh
    monkeypatch.setattr(helper_module, "PATIENCE_SECONDS", 0.5)
    assert fresh.pid is not None
    os.kill(fresh.pid, signal.SIGSTOP)  # alive, but never answers
    with caplog.at_level(logging.WARNING):
        assert _hear(recognizer, question, words, snr) == alone
    assert "no answer within 0.5 s" in caplog.text and fresh.pid is None


def test_a_long_answer_is_not_held_up_by_a_second_decoder_that_stopped_reading(
        fresh: SecondDecoder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(helper_module, "PATIENCE_SECONDS", 0.5)
    assert fresh.pid is not None
    os.kill(fresh.pid, signal.SIGSTOP)
    started = time.monotonic()
    fifteen_seconds = b"\0" * (2 * 16000 * 15)  # far more than a pipe holds
    assert fresh.start("location", fifteen_seconds, prime=True) is None
    assert time.monotonic() - started < 5 and fresh.pid is None


def test_ctrl_c_is_left_to_the_main_process(recognizer: PocketSphinxRecognizer,
                                            fresh: SecondDecoder) -> None:
    assert fresh.pid is not None
    os.kill(fresh.pid, signal.SIGINT)
    time.sleep(0.2)
    question, words, snr = ANSWERS[2]
    _hear(recognizer, question, words, snr)
    assert fresh.working and fresh.answered > 0


@pytest.mark.parametrize("wait", [True, False], ids=["once loaded", "while loading"])
def test_the_second_decoder_ends_with_the_program_quietly(wait: bool) -> None:
    script = ("from skill.asr.helper import SecondDecoder\n"
              "helper = SecondDecoder()\n"
              f"assert not {wait} or helper.wait_until_working(60)\n"
              "print(helper.pid)\n")
    # the helper shares the program's standard error, so this also waits for it to close
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=True)
    pid = int(done.stdout)
    deadline = time.monotonic() + 10
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(pid), "the helper outlived the program that started it"
    assert done.stderr == "", done.stderr


def _running(pid: int) -> bool:
    """Whether ``pid`` is a process still running (an ended one not yet reaped is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


def test_one_core_gets_no_second_decoder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    recognizer = open_recognizer("pocketsphinx")
    assert isinstance(recognizer, PocketSphinxRecognizer) and recognizer.helper is None


def test_the_second_decoder_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(helper_module.ENV_SWITCH, "off")
    assert helper_module.second_decoder() is None
    monkeypatch.setenv(helper_module.ENV_SWITCH, "")
    started = helper_module.second_decoder()
    assert started is not None and started.wait_until_working(60)
    started.close()
    assert started.pid is None


def test_a_second_decoder_that_cannot_start_is_done_without(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    with caplog.at_level(logging.WARNING):
        assert helper_module.second_decoder() is None
    assert "no second decoder" in caplog.text
