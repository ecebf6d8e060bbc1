"""Whatever people say, in any order: no crash, contract-valid turns, triage never lowered."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.dialogue.session import Session
from skill.dialogue.slots import LIST_SLOTS, SLOT_ORDER, VOCABULARY
from skill.reasoning.triage import rank_of
from tests.dialogue.test_people import PEOPLE

KNOWN = sorted({line for person in PEOPLE.values() for line in person["lines"]} | {
    "help", "repeat", "slower", "faster", "louder", "quieter", "give me more time",
    "answer sooner", "go back", "skip", "start over", "stop",
    "yes", "no", "my calf is swollen", "chest pain", "I don't know", "",
})
TURN = st.one_of(st.sampled_from(KNOWN), st.text(max_size=80),
                 st.binary(max_size=40).map(lambda b: b.decode("utf-8", "replace")))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TURN, max_size=25))
def test_any_conversation_stays_valid_and_never_lowers_triage(lines: list[str]) -> None:
    session = Session()
    turn = session.start()
    highest = -1
    was_done = False
    for line in lines:
        turn = session.handle(line)
        assert turn.say
        assert list(turn.slots) == list(SLOT_ORDER)
        for slot, value in turn.slots.items():
            if slot in LIST_SLOTS:
                assert all(v in VOCABULARY[slot] for v in value)
            else:
                assert value is None or value in VOCABULARY[slot]
        assert rank_of(turn.triage) >= highest
        highest = rank_of(turn.triage)
        if was_done:
            assert turn.done
        was_done = turn.done
        if turn.done:
            assert turn.expecting is None
