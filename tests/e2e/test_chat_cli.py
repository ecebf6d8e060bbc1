"""``cramp-coach chat`` through pipes, exactly as CONTRACT.md sections 1 and 2 say."""

from __future__ import annotations

import json
import select
import subprocess

import pytest

from skill.dialogue.slots import LIST_SLOTS, SLOT_ORDER, VOCABULARY
from tests.e2e.cli import command, run, turns

KEYS = {"say", "heard", "expecting", "slots", "triage", "causes", "done"}
EXPECTING = {"cramp_now", "location", "side", "onset", "triggers", "medications", "conditions",
             "red_flags", "frequency", "duration", "relief", "anything_else", None}


def assert_contract(turn: dict) -> None:
    assert set(turn) >= KEYS
    assert isinstance(turn["say"], str) and turn["say"]
    assert turn["expecting"] in EXPECTING
    assert list(turn["slots"]) == list(SLOT_ORDER)
    for slot, value in turn["slots"].items():
        if slot in LIST_SLOTS:
            assert isinstance(value, list) and all(v in VOCABULARY[slot] for v in value)
        else:
            assert value is None or value in VOCABULARY[slot]
    assert turn["triage"] in (None, "emergency", "urgent", "doctor", "self_care")
    assert isinstance(turn["causes"], list) and isinstance(turn["done"], bool)


def test_echo_yes_gives_a_contract_greeting_and_reply() -> None:
    result = run(["chat", "--json"], "yes\n")
    assert result.returncode == 0, result.stderr
    first, reply = turns(result)
    for turn in (first, reply):
        assert_contract(turn)
    assert first["heard"] is None and first["expecting"] == "cramp_now"
    assert reply["heard"] == "yes" and reply["expecting"] == "relief"
    assert reply["slots"]["cramp_now"] is True
    assert "stretch" in reply["say"].lower() or "pull" in reply["say"].lower()
    assert b"Traceback" not in result.stderr


def test_whole_conversation_ends_done_with_exit_zero() -> None:
    lines = ["no", "my left calf, it woke me up", "no", "no", "no", "no", "first time",
             "seconds", "no"]
    result = run(["chat", "--json"], "\n".join(lines) + "\n")
    got = turns(result)
    assert result.returncode == 0
    assert len(got) == len(lines) + 1
    for turn in got:
        assert_contract(turn)
    assert got[-1]["done"] and got[-1]["triage"] == "self_care"
    assert got[-1]["causes"][0] == "idiopathic_night_cramps"


def test_plain_text_mode_prints_only_what_it_says() -> None:
    result = run(["chat"], "yes\n")
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Hi, I'm Cramp Coach")
    assert "\x1b[" not in result.stdout.decode()


def test_greeting_comes_before_any_input_and_each_turn_is_flushed() -> None:
    proc = subprocess.Popen(command() + ["chat", "--json"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout is not None and proc.stdin is not None
        ready, _, _ = select.select([proc.stdout], [], [], 30)
        assert ready, "no greeting before input"
        assert json.loads(proc.stdout.readline())["expecting"] == "cramp_now"
        proc.stdin.write(b"yes\n")
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], 30)
        assert ready, "reply not flushed"
        assert json.loads(proc.stdout.readline())["expecting"] == "relief"
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()


@pytest.mark.parametrize("bad", [b"\n", b"\x00\x01\x02\xff\xfe\n", b"x" * 5000 + b"\n",
                                 bytes(range(256)).replace(b"\n", b"") + b"\n",
                                 "🦵🦵 ¿qué? \u202e\n".encode()])
def test_bad_lines_get_a_reprompt_and_the_conversation_goes_on(bad: bytes) -> None:
    result = run(["chat", "--json"], b"no\nmy calf\n" + bad + b"left\n")
    got = turns(result)
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert len(got) == 5
    assert got[3]["say"] and not got[3]["done"]
    assert got[3]["slots"]["location"] == "calf"
    assert got[4]["slots"]["side"] == "left"


def test_input_ending_early_exits_zero() -> None:
    result = run(["chat", "--json"], "yes\n")
    assert result.returncode == 0
    result = run(["chat", "--json"], "")
    assert result.returncode == 0 and len(turns(result)) == 1


def test_runs_from_any_folder_with_its_data(tmp_path) -> None:
    result = run(["chat", "--json"], "yes\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(turns(result)) == 2
