"""The state machine: every state is reachable, none is a dead end, saved sessions resume."""

from __future__ import annotations

import json
from collections import deque

import pytest

from skill.dialogue.flow import STATES, TRANSITIONS, mermaid, sources
from skill.dialogue.session import Session
from tests.dialogue.states import PATHS, session_in


def _graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {state: set() for state in STATES}
    for transition in TRANSITIONS:
        for source in STATES if sources(transition) == ["*"] else sources(transition):
            edges[source].add(transition["dest"])
    return edges


def test_every_state_can_reach_done_in_the_declared_machine() -> None:
    edges = _graph()
    for state in STATES:
        seen, queue = {state}, deque([state])
        while queue:
            for nxt in edges[queue.popleft()] - seen:
                seen.add(nxt)
                queue.append(nxt)
        assert "done" in seen, state


def test_every_state_is_reached_by_a_real_conversation() -> None:
    assert set(PATHS) == set(STATES)
    for state in STATES:
        session_in(state)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("answer", ["skip", "no", "I don't know", "banana telephone"])
def test_no_dead_ends_from_any_state(state: str, answer: str) -> None:
    session = session_in(state)
    for _ in range(60):
        turn = session.handle(answer)
        if turn.done:
            break
    else:
        pytest.fail(f"stuck in {session.state} answering {answer!r}: {turn.say}")


def test_relief_paths_reach_the_questions() -> None:
    session = session_in("relief")
    assert session.handle("yes it's easing").expecting == "location"
    session = session_in("relief")
    session.handle("no")
    turn = session.handle("still no better")
    assert turn.expecting == "duration" and turn.triage == "doctor"


def test_a_saved_session_resumes_exactly() -> None:
    lines = ["no", "my left calf", "it woke me up", "I had a few beers", "a statin", "no",
             "no", "most nights", "minutes", "no"]
    straight = Session()
    straight.start()
    resumed = Session()
    resumed.start()
    for line in lines:
        expected = straight.handle(line)
        saved = json.loads(json.dumps(resumed.to_dict()))
        resumed = Session.from_dict(saved)
        got = resumed.handle(line)
        assert got.to_json_dict() == expected.to_json_dict()


def test_restoring_rejects_an_unknown_state() -> None:
    saved = Session().to_dict()
    saved["state"] = "nowhere"
    with pytest.raises(ValueError):
        Session.from_dict(saved)


def test_the_diagram_is_drawn_from_the_declaration() -> None:
    diagram = mermaid()
    assert diagram.startswith("stateDiagram-v2")
    for state in STATES:
        assert state in diagram
