"""Safety and global phrases behave the same in every state."""

from __future__ import annotations

import pytest

from skill.dialogue.flow import STATES
from skill.dialogue.session import Session
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
                                    "faster", "quieter please", "louder"])
def test_help_repeat_speed_and_volume_keep_state_and_slots(state: str, phrase: str) -> None:
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


@pytest.mark.parametrize("state", LIVE_STATES)
def test_quieter_and_louder_change_the_volume_and_ask_the_question_again(state: str) -> None:
    session = session_in(state)
    start = session.volume
    quieter = session.handle("you're too loud")
    assert quieter.volume < start
    assert quieter.expecting == session.expecting
    assert session.handle("speak up please").volume == start


@pytest.mark.parametrize("state", LIVE_STATES)
def test_more_time_makes_it_wait_longer_for_the_user_and_asks_the_question_again(
        state: str) -> None:
    session = session_in(state)
    expecting, slots = session.expecting, session.to_dict()["slots"]
    turn = session.handle("give me more time")
    assert turn.patient and session.patient
    assert "wait longer" in turn.say
    assert turn.expecting == expecting and session.to_dict()["slots"] == slots
    assert "already" in session.handle("you cut me off").say
    assert session.handle("i was not finished").patient  # it stays so
    back = session.handle("you can answer sooner")
    assert not back.patient and back.expecting == expecting
    assert "already" in session.handle("don't wait so long").say


def test_the_volume_goes_down_in_steps_and_never_to_silence() -> None:
    session = Session()
    session.start()
    volumes = [session.handle("quieter").volume for _ in range(8)]
    assert volumes == sorted(volumes, reverse=True)
    assert len(set(volumes)) >= 4  # steps a person can hear, not one jump
    assert volumes[-1] == volumes[-2] > 0.1
    assert "as quiet as" in session.handle("turn it down").say
    louder = [session.handle("louder").volume for _ in range(8)]
    assert louder[-1] == 1.0
    assert "as loud as" in session.handle("louder").say


def test_start_over_keeps_the_voice_the_user_asked_for() -> None:
    session = Session()
    session.start()
    session.handle("quieter")
    session.handle("slower")
    session.handle("let me finish")
    volume, rate = session.volume, session.rate
    turn = session.handle("start over")
    assert (turn.volume, turn.rate) == (volume, rate) != (1.0, Session().rate)
    assert turn.patient


def test_where_a_host_speaks_and_listens_the_skill_says_it_cannot_change_that() -> None:
    session = Session(own_voice=False)
    first = session.start()
    for phrase in ("slower", "too loud", "faster please", "louder"):
        turn = session.handle(phrase)
        assert "can't change how i sound" in turn.say.lower()
        assert turn.expecting == "cramp_now" and turn.say.endswith("?")
        assert (turn.rate, turn.volume) == (first.rate, first.volume)
    turn = session.handle("give me more time")
    assert "decides when you've finished" in turn.say and not turn.patient
    assert turn.expecting == "cramp_now" and turn.say.endswith("?")


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


@pytest.mark.parametrize("state", LIVE_STATES)
def test_a_murmur_while_thinking_gets_time_not_a_miss(state: str) -> None:
    """"hmm", "um, er": the person is thinking. The skill gives them time and asks the
    same question again, with no "sorry", changes nothing, and never moves on because
    of it."""
    session = session_in(state)
    before = session.to_dict()
    expecting = session.expecting
    for murmur in ["hmm", "um, er", "hmm", "uh"]:
        turn = session.handle(murmur)
        assert turn.parts[0].text in ("Take your time.", "No hurry."), turn.say
        assert len(turn.parts) == 2 and turn.expecting == expecting  # then the question
        assert "sorry" not in turn.say.lower()
        assert session.state == state and turn.slots == before["slots"]
        assert turn.triage == before["triage"]
    if state.startswith("ask_"):  # two misses from moving on, as if nobody had murmured
        session.handle("banana telephone")
        session.handle("banana telephone")
        assert session.state == state


@pytest.mark.parametrize(("state", "after"), [("greeting", "relief"),
                                              ("ask_location", "ask_side")])
def test_a_yes_or_an_answer_said_with_murmurs_is_still_heard(state: str, after: str) -> None:
    session = session_in(state)
    session.handle("mm hmm" if state == "greeting" else "um, er, my calf")
    assert session.state == after


QUESTION_STATES = [s for s in STATES if s.startswith("ask_")] + ["summary"]


@pytest.mark.parametrize("state", QUESTION_STATES)
def test_a_cramp_that_comes_back_is_stretched_first_then_the_questions_go_on(
        state: str) -> None:
    """Relief first, again: "it's back" during the questions (or after the summary)
    takes the person through the stretch before anything more is asked; once it
    eases, the skill asks what it was asking, and after the summary only whether there
    is anything else (the summary is not told twice). Nothing said is lost."""
    session = session_in(state)
    before = session.to_dict()
    expecting = session.expecting
    turn = session.handle("oh no, it's back")
    assert session.state == "relief" and turn.expecting == "relief"
    assert "stretch" in turn.say.lower() and "sorry" not in turn.say.lower()
    assert turn.slots == {**before["slots"], "cramp_now": True}
    assert turn.triage == before["triage"]
    turn = session.handle("yes it's easing now")
    assert session.state == state and turn.expecting == expecting
    assert "likely causes" not in turn.say  # in the summary, not told twice
    assert turn.causes == before["causes"]


@pytest.mark.parametrize("state", QUESTION_STATES)
def test_a_sound_of_pain_during_the_questions_gets_a_kind_word_not_a_miss(
        state: str) -> None:
    """"Ow", "ouch": no "sorry", how to have the stretch again, the same question;
    nothing changes, and it never makes the skill move on."""
    session = session_in(state)
    before = session.to_dict()
    expecting = session.expecting
    for sound in ["ouch", "ow ow", "argh", "ouch"]:
        turn = session.handle(sound)
        assert "sorry" not in turn.say.lower()
        assert "it's back" in turn.say
        assert session.state == state and turn.expecting == expecting
        assert turn.slots == before["slots"] and turn.triage == before["triage"]
    if state.startswith("ask_"):  # two misses from moving on, as if nobody had said ouch
        session.handle("banana telephone")
        session.handle("banana telephone")
        assert session.state == state


def test_ouch_while_stretching_gets_encouragement_and_counts_no_round() -> None:
    session = session_in("relief")
    turn = session.handle("ouch")
    assert session.state == "relief" and turn.expecting == "relief"
    assert "breathe" in turn.say and "sorry" not in turn.say.lower()
    assert session.to_dict()["relief_rounds"] == 0


@pytest.mark.parametrize("said", ["it's still cramping", "it's getting worse", "it's back"])
def test_still_cramping_while_stretching_means_not_easing(said: str) -> None:
    session = session_in("relief")
    session.handle(said)
    assert session.to_dict()["relief_rounds"] == 1 and session.state == "relief"


@pytest.mark.parametrize("said", ["argh", "it's back", "it's still cramping"])
def test_pain_or_a_cramp_again_at_the_greeting_starts_the_stretch(said: str) -> None:
    session = session_in("greeting")
    turn = session.handle(said)
    assert session.state == "relief" and turn.slots["cramp_now"] is True


def test_after_the_summary_a_cramp_back_then_a_changed_answer_tells_the_summary_again(
        ) -> None:
    """The summary is not told twice for a cramp that came back, but it is when an
    answer changed meanwhile (gone back to): the advice may differ."""
    session = session_in("summary")
    session.handle("it's back")
    assert session.handle("go back").expecting == "duration"
    turn = session.handle("just a few seconds")
    assert "likely cause" in turn.say and turn.slots["duration"] == "seconds"


def test_a_cramp_that_starts_during_the_questions_is_not_called_back_again() -> None:
    """No cramp at first ("no"), then one during the questions: the stretch starts as
    it would have at the greeting; "again" is for one stretched before."""
    session = session_in("ask_onset")
    first = session.handle("I've got a cramp now").parts[0].text
    assert session.state == "relief" and "again" not in first
    session.handle("yes")
    again = session.handle("it's back").parts[0].text
    assert "again" in again
