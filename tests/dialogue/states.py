"""How to bring a real conversation to each state, by talking to it."""

from __future__ import annotations

from skill.dialogue.session import Session

_QUESTIONNAIRE = ["no", "calf", "left", "at night", "no", "no", "no", "no", "about once a week",
                  "a few minutes", "no"]
PATHS: dict[str, list[str]] = {
    "greeting": [],
    "relief": ["yes"],
    "ask_location": _QUESTIONNAIRE[:1],
    "ask_side": _QUESTIONNAIRE[:2],
    "ask_onset": _QUESTIONNAIRE[:3],
    "ask_triggers": _QUESTIONNAIRE[:4],
    "ask_medications": _QUESTIONNAIRE[:5],
    "ask_conditions": _QUESTIONNAIRE[:6],
    "ask_red_flags": _QUESTIONNAIRE[:7],
    "ask_frequency": _QUESTIONNAIRE[:8],
    "ask_duration": _QUESTIONNAIRE[:9],
    "summary": _QUESTIONNAIRE[:10],
    "done": _QUESTIONNAIRE,
}


def session_in(state: str) -> Session:
    session = Session()
    session.start()
    for line in PATHS[state]:
        session.handle(line)
    assert session.state == state, (state, session.state)
    return session
