"""Everything spoken lives in responses/, carries a source, and never gives unsafe advice."""

from __future__ import annotations

import re

import pytest

from skill.dialogue.flow import QUESTIONS
from skill.dialogue.slots import CAUSES, VOCABULARY
from skill.reasoning import TriageRules
from skill.reasoning.causes import CauseRanker
from skill.responses import default_responses

R = default_responses()


def _all_text() -> list[tuple[str, str]]:
    out = []
    for key, item in R.items.items():
        for name in ("say", "steps", "alternative", "name", "prevent", "action"):
            value = item.get(name)
            for text in ([value] if isinstance(value, str) else value or []):
                out.append((key, text))
    return out


def test_every_response_names_its_source() -> None:
    missing = [key for key, item in R.items.items() if not item.get("source")]
    assert not missing


@pytest.mark.parametrize("pattern", [
    r"\bquinine\b", r"\bstop taking\b", r"\bprescri\w+ (you|a)\b", r"\bwait and see\b",
    r"\bdefinitely (have|is)\b", r"\byou have (a|an) (clot|dvt|disease)\b",
    r"\bmagnesium (tablets|supplements)\b",
])
def test_nothing_unsafe_is_ever_said(pattern: str) -> None:
    hits = [(k, t) for k, t in _all_text() if re.search(pattern, t, re.IGNORECASE)]
    assert not hits


def test_medicine_advice_says_never_to_stop_alone() -> None:
    text = R.field("cause.medication", "prevent")
    assert "Don't stop" in text and "doctor or pharmacist" in text


def test_every_cause_question_and_reason_has_words() -> None:
    for cause in CAUSES:
        assert R.field(f"cause.{cause}", "name") and R.field(f"cause.{cause}", "prevent")
    for question in QUESTIONS:
        assert R.variants(f"ask.{question}") and R.variants(f"examples.{question}")
    for location in VOCABULARY["location"]:
        assert R.item(f"stretch.{location}")["steps"]
    for rule in TriageRules.load().rules:
        key = (f"because.{rule.reason}" if rule.level == "doctor"
               else f"triage.{rule.level}.{rule.reason}")
        assert R.has(key), key
    for slot, table in CauseRanker.load().evidence.items():
        for value in table:
            if slot != "red_flags" or value != "severe_pain":
                assert R.has(f"evidence.{slot}.{value}"), (slot, value)


def test_spoken_sentences_are_short_for_someone_in_pain() -> None:
    long = [(k, s) for k, t in _all_text() for s in re.split(r"(?<=[.?!])\s+", t)
            if len(s.split()) > 30]
    assert not long


def test_no_markup_reaches_the_speaker() -> None:
    assert not [(k, t) for k, t in _all_text() if re.search(r"[<>*_#`\[\]]", t)]
