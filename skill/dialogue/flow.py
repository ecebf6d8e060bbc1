"""The conversation's states and transitions, declared as data (transitions library style).

Read it top to bottom: the greeting asks whether a cramp is happening; a cramp
now goes to relief (the guided stretch) first; then ``next_question`` goes to
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
    {"trigger": "restretch", "source": "relief", "dest": "relief"},
    # next_question: the first question still needed, else the summary
    *[
        {"trigger": "next_question", "source": "*", "dest": f"ask_{q}",
         "conditions": f"needs_{q}"}
        for q in ["duration_now", *QUESTIONS]
    ],
    {"trigger": "next_question", "source": "*", "dest": "summary"},
    {"trigger": "urgent_summary", "source": "*", "dest": "summary"},
    {"trigger": "emergency", "source": "*", "dest": "done"},
    {"trigger": "finish", "source": "*", "dest": "done"},
    {"trigger": "start_over", "source": "*", "dest": "greeting"},
    *[{"trigger": f"revisit_{state}", "source": "*", "dest": state}
      for state in STATES if state not in ("summary", "done")],
]
# "duration_now" is the duration question asked straight after a cramp that will
# not ease (a cramp past ten minutes is urgent); it shares the ask_duration state.
for _transition in TRANSITIONS:
    if _transition.get("dest") == "ask_duration_now":
        _transition["dest"] = "ask_duration"


def mermaid() -> str:
    """A Mermaid state diagram drawn from the declaration above."""
    lines = ["stateDiagram-v2", "    [*] --> greeting"]
    seen: set[tuple[str, str, str]] = set()
    for transition in TRANSITIONS:
        trigger = str(transition["trigger"])
        if trigger.startswith("revisit_"):
            continue
        sources = STATES if transition["source"] == "*" else [transition["source"]]
        for source in sources:
            dest = str(transition["dest"])
            if source in ("done",) or (transition["source"] == "*" and source == dest):
                continue
            if transition["source"] == "*" and trigger in ("start_over",) and source != "summary":
                continue
            if transition["source"] == "*" and trigger in ("emergency", "finish",
                                                             "urgent_summary") \
                    and source not in ("greeting", "relief", "summary"):
                continue
            label = trigger + (f" [{transition['conditions']}]" if "conditions" in transition
                               else "")
            key = (source, dest, label)
            if key not in seen:
                seen.add(key)
                lines.append(f"    {source} --> {dest}: {label}")
    lines.append("    done --> [*]")
    lines.append("    note right of summary: any state also takes help, repeat, slower,"
                 " faster, go back, skip, start over, stop")
    return "\n".join(lines) + "\n"
