"""Words from speech are judged before they are acted on (skill/hearing.py)."""

from __future__ import annotations

from skill.asr.base import NOISY_SNR_DB, Heard
from skill.dialogue.session import Session
from skill.dialogue.turn import Turn
from skill.hearing import Hearing

QUIET = NOISY_SNR_DB + 20
LOUD_ROOM = NOISY_SNR_DB - 6


def heard(text: str, snr_db: float | None = QUIET, second_pass: bool = False) -> Heard:
    return Heard(text, 0.9, not second_pass, "test", second_pass=second_pass, snr_db=snr_db)


def at_location_question() -> tuple[Session, Hearing, Turn]:
    session = Session()
    hearing = Hearing(session)
    first = session.start()
    return session, hearing, hearing.respond(heard("no"), first)


def test_stop_heard_through_noise_must_be_said_twice() -> None:
    session, hearing, turn = at_location_question()
    once = hearing.respond(heard("stop", LOUD_ROOM), turn)
    assert not once.done and session.state == "ask_location"
    assert "say it again" in once.say and once.say.endswith("?")
    twice = hearing.respond(heard("stop", LOUD_ROOM), once)
    assert twice.done


def test_stop_heard_clearly_acts_at_once() -> None:
    _, hearing, turn = at_location_question()
    assert hearing.respond(heard("stop"), turn).done


def test_start_over_through_noise_keeps_the_answers_until_said_again() -> None:
    session, hearing, turn = at_location_question()
    turn = hearing.respond(heard("my left calf"), turn)
    asked = session.state
    once = hearing.respond(heard("start over", LOUD_ROOM), turn)
    assert once.slots["location"] == "calf" and session.state == asked == "ask_onset"
    other = hearing.respond(heard("at night", LOUD_ROOM), once)  # something else in between
    assert other.slots["onset"] == "night"
    again = hearing.respond(heard("start over", LOUD_ROOM), other)
    assert "say it again" in again.say and again.slots["location"] == "calf"


def test_noisy_answer_is_said_back_before_the_reply() -> None:
    _, hearing, turn = at_location_question()
    reply = hearing.respond(heard("my left calf", LOUD_ROOM), turn)
    assert reply.slots["location"] == "calf"
    assert reply.say.startswith("It's noisy where you are") and "my left calf" in reply.say
    assert reply.parts[0].text in reply.say


def test_clear_answer_is_not_said_back_word_for_word() -> None:
    _, hearing, turn = at_location_question()
    reply = hearing.respond(heard("my left calf"), turn)
    assert "noisy" not in reply.say and "I think you said" not in reply.say


def test_open_pass_words_that_change_an_answer_are_said_back() -> None:
    _, hearing, turn = at_location_question()
    reply = hearing.respond(heard("it's in my calf", second_pass=True), turn)
    assert reply.say.startswith("I think you said: it's in my calf")


def test_noise_that_changes_nothing_is_not_said_back() -> None:
    _, hearing, turn = at_location_question()
    reply = hearing.respond(heard("mm", LOUD_ROOM), turn)
    assert "I think you said" not in reply.say


def test_warning_sign_through_noise_counts_at_once() -> None:
    _, hearing, turn = at_location_question()
    reply = hearing.respond(heard("my calf is swollen", LOUD_ROOM), turn)
    assert reply.triage == "urgent" and "swelling" in reply.slots["red_flags"]
    assert "I think you said: my calf is swollen" in reply.say and "today" in reply.say


def test_an_answer_too_faint_to_make_out_asks_the_user_to_come_closer() -> None:
    session, hearing, turn = at_location_question()
    faint = Heard("", 0.0, False, "test", snr_db=QUIET, faint=True)
    reply = hearing.respond(faint, turn)
    assert "only just hear you" in reply.say and "closer" in reply.say
    assert reply.say.endswith("?") and session.state == "ask_location"
    # and a faint answer that is understood is simply taken
    taken = hearing.respond(Heard("my left calf", 0.9, True, "test", snr_db=QUIET,
                                  faint=True), reply)
    assert taken.slots["location"] == "calf" and "hear you" not in taken.say


def test_a_plain_miss_is_not_blamed_on_the_user_being_faint() -> None:
    _, hearing, turn = at_location_question()
    reply = hearing.respond(heard(""), turn)
    assert "hear you" not in reply.say and "faint" not in reply.say
