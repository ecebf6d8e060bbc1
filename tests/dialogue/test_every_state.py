"""Safety and global phrases behave the same in every state."""

from __future__ import annotations

import pytest

from skill.dialogue.flow import STATES
from tests.dialogue.states import session_in

LIVE_STATES = [s for s in STATES if s != "done"]


@pytest.mark.parametrize("state", STATES)
def test_chest_pain_in_any_state_is_an_emergency_at_once(state: str) -> None:
    session = session_in(state)
    turn = session.handle("now I've got chest pain and I can't breathe")
    assert turn.triage == "emergency"
    assert turn.done
    assert "emergency number" in turn.say


@pytest.mark.parametrize("state", STATES)
def test_a_swollen_hot_calf_in_any_state_is_urgent_at_once(state: str) -> None:
    session = session_in(state)
    turn = session.handle("it's my calf and it's all swollen and hot")
    assert turn.triage == "urgent"
    assert "today" in turn.say
    assert "massage" in turn.say
    assert "swelling" in turn.slots["red_flags"]


@pytest.mark.parametrize("state", LIVE_STATES)
def test_triage_is_never_lowered(state: str) -> None:
    session = session_in(state)
    session.handle("my calf is swollen")
    for line in ["no swelling actually", "no", "skip", "start over", "no", "go back"]:
        turn = session.handle(line)
        assert turn.triage in ("urgent", "emergency"), line


@pytest.mark.parametrize("state", LIVE_STATES)
@pytest.mark.parametrize("phrase", ["help", "what can I say", "repeat that", "slower",
                                    "faster"])
def test_help_repeat_and_speed_keep_state_and_slots(state: str, phrase: str) -> None:
    session = session_in(state)
    before = session.to_dict()["slots"]
    turn = session.handle(phrase)
    assert session.state == state
    assert turn.slots == before
    assert turn.say
    assert not turn.done


@pytest.mark.parametrize("state", LIVE_STATES)
def test_help_gives_examples_for_the_current_question(state: str) -> None:
    session = session_in(state)
    turn = session.handle("what can I say")
    assert "for example" in turn.say.lower()
    assert turn.expecting == session.expecting


@pytest.mark.parametrize("state", LIVE_STATES)
def test_repeat_says_the_last_turn_again(state: str) -> None:
    session = session_in(state)
    last = session.to_dict()["last_say"]
    assert session.handle("say that again").say == last


@pytest.mark.parametrize("state", LIVE_STATES)
def test_slower_and_faster_change_the_speech_rate(state: str) -> None:
    session = session_in(state)
    start = session.rate
    assert session.handle("slower please").rate < start
    assert session.handle("faster").rate == start


@pytest.mark.parametrize("state", [s for s in LIVE_STATES if s != "greeting"])
def test_go_back_reopens_the_previous_question_and_keeps_slots(state: str) -> None:
    session = session_in(state)
    before = session.to_dict()["slots"]
    turn = session.handle("go back")
    assert turn.slots == before
    assert session.state != state or state == "summary"
    assert turn.expecting is not None


@pytest.mark.parametrize("state", LIVE_STATES)
def test_skip_moves_on_and_keeps_slots(state: str) -> None:
    session = session_in(state)
    before = session.to_dict()["slots"]
    turn = session.handle("skip")
    assert turn.slots == before
    assert session.state != state


@pytest.mark.parametrize("state", LIVE_STATES)
def test_start_over_clears_answers_and_asks_again(state: str) -> None:
    session = session_in(state)
    turn = session.handle("start over")
    assert session.state == "greeting"
    assert turn.expecting == "cramp_now"
    assert turn.slots["location"] is None and turn.slots["onset"] is None


@pytest.mark.parametrize("state", LIVE_STATES)
def test_stop_ends_and_keeps_slots(state: str) -> None:
    session = session_in(state)
    before = session.to_dict()["slots"]
    turn = session.handle("stop")
    assert turn.done and turn.slots == before
    assert turn.expecting is None


@pytest.mark.parametrize("state", LIVE_STATES)
@pytest.mark.parametrize("junk", ["", "\x00\xff\xfe", "x" * 5000, "🦵" * 50,
                                  "lorem ipsum dolor sit amet", "calf " * 1200])
def test_junk_gets_a_spoken_reprompt_and_keeps_slots(state: str, junk: str) -> None:
    session = session_in(state)
    before = session.to_dict()["slots"]
    turn = session.handle(junk)
    assert turn.say
    if "calf" not in junk:
        assert turn.slots == before


@pytest.mark.parametrize("state", [s for s in LIVE_STATES if s.startswith("ask_")])
def test_misses_add_examples_then_offer_to_skip(state: str) -> None:
    session = session_in(state)
    first = session.handle("banana telephone")
    second = session.handle("banana telephone")
    assert "for example" in first.say.lower()
    assert first.say != second.say
    assert "skip" in second.say.lower()
    assert session.state == state
    third = session.handle("banana telephone")
    assert "move on" in third.say.lower()
    assert session.state != state
