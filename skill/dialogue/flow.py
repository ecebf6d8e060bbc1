"""The conversation's states and transitions, declared as data (transitions library style).

Read it top to bottom: the greeting asks whether a cramp is happening; a cramp
now goes to relief (the guided stretch) first, and so does a cramp that comes back
later (``cramp_again``); then ``next_question`` goes to
the first question whose answer is still needed, in QUESTIONS order, and
finally to the summary. An emergency, stop, or the end of the summary goes to
``done``. ``start_over`` returns to the greeting from anywhere, and
``revisit_<state>`` re-opens an earlier question (go back).
"""

from __future__ import annotations

from typing import Any

# The questions, in the order they are asked; each is asked only while needed.
QUESTIONS = [
    "location",
    "side",
    "onset",
    "triggers",
    "medications",
    "conditions",
    "red_flags",
    "frequency",
    "duration",
]

STATES = ["greeting", "relief", *[f"ask_{q}" for q in QUESTIONS], "summary", "done"]

# What each state has just asked about (CONTRACT.md "expecting").
EXPECTING: dict[str, str | None] = {
    "greeting": "cramp_now",
    "relief": "relief",
    **{f"ask_{q}": q for q in QUESTIONS},
    "summary": "anything_else",
    "done": None,
}

TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "cramp_now", "source": "greeting", "dest": "relief"},
    # The cramp comes back during the questions or after the summary: stretch again,
    # then on with the questions still needed.
    {"trigger": "cramp_again", "source": [f"ask_{q}" for q in QUESTIONS] + ["summary"],
     "dest": "relief"},
    # next_question: the first question still needed, else the summary.
    # A cramp that will not ease asks how long it has lasted before anything else.
    {"trigger": "next_question", "source": "*", "dest": "ask_duration",
     "conditions": "needs_duration_now"},
    *[
        {"trigger": "next_question", "source": "*", "dest": f"ask_{q}",
         "conditions": f"needs_{q}"}
        for q in QUESTIONS
    ],
    {"trigger": "next_question", "source": "*", "dest": "summary"},
    {"trigger": "urgent_summary", "source": "*", "dest": "summary"},
    {"trigger": "emergency", "source": "*", "dest": "done"},
    {"trigger": "finish", "source": "*", "dest": "done"},
    {"trigger": "start_over", "source": "*", "dest": "greeting"},
    *[{"trigger": f"revisit_{state}", "source": "*", "dest": state}
      for state in STATES if state not in ("summary", "done")],
]


def sources(transition: dict[str, Any]) -> list[str]:
    """The states a transition leaves from, as declared: ``["*"]`` for any state."""
    source = transition["source"]
    return list(source) if isinstance(source, list) else [str(source)]


def mermaid() -> str:
    """A Mermaid state diagram drawn from the declaration above ("*" is "any state")."""
    lines = ["stateDiagram-v2", "    [*] --> greeting", '    state "any state" as any']
    for transition in TRANSITIONS:
        trigger = str(transition["trigger"])
        if trigger.startswith("revisit_"):
            continue
        label = trigger
        if "conditions" in transition:
            label += f" [{transition['conditions']}]"
        for source in sources(transition):
            lines.append(f"    {'any' if source == '*' else source} --> "
                         f"{transition['dest']}: {label}")
    lines.append("    any --> any: revisit_STATE (go back)")
    lines.append("    done --> [*]")
    return "\n".join(lines) + "\n"
