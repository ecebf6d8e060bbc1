"""Cause ranking and triage rules from knowledge/."""

from __future__ import annotations

from skill.reasoning import CauseRanker, TriageRules, higher
from skill.reasoning.facts import facts_from

RANKER = CauseRanker.load()
TRIAGE = TriageRules.load()


def top(**slots: object) -> list[str]:
    return [c.cause for c in RANKER.top(facts_from(slots))]


def level(**slots: object) -> str | None:
    judged = TRIAGE.judge(facts_from(slots))
    return judged.level if judged else None


def test_exercise_points_first_to_tired_muscles() -> None:
    assert top(onset="exercise", triggers=["exercise"])[0] == "muscle_fatigue"


def test_walking_pain_with_smoking_points_to_circulation() -> None:
    assert top(onset="walking", conditions=["smoking"])[0] == "poor_circulation"


def test_look_alikes_need_their_own_evidence() -> None:
    assert "blood_clot" not in top(onset="night", clues=["recent_travel"])
    assert "restless_legs" not in top(onset="rest")
    assert top(onset="rest", clues=["urge_to_move"])[0] == "restless_legs"


def test_at_most_three_causes_are_spoken() -> None:
    assert len(top(onset="night", triggers=["exercise", "heat", "alcohol"],
                   medications=["diuretic"], conditions=["kidney"])) <= 3


def test_each_cause_carries_the_answers_behind_it() -> None:
    ranked = RANKER.top(facts_from({"medications": ["statin"], "onset": "night"}))
    medication = next(c for c in ranked if c.cause == "medication")
    assert ("medications", "statin") in medication.evidence


def test_triage_levels() -> None:
    assert level(red_flags=["chest_pain"]) == "emergency"
    assert level(red_flags=["breathless", "swelling"]) == "emergency"
    assert level(red_flags=["cold"]) == "emergency"
    assert level(red_flags=["swelling"]) == "urgent"
    assert level(relief=["not_easing"], duration=["over_10_minutes"]) == "urgent"
    assert level(red_flags=["sores"], onset=["rest"]) == "urgent"
    assert level(red_flags=["sores"]) == "doctor"
    assert level(red_flags=["numbness"]) == "doctor"
    assert level(frequency=["daily"]) == "doctor"
    assert level(frequency=["weekly"]) == "doctor"  # regular, no clear reason
    assert level(frequency=["weekly"], triggers=["exercise"]) is None
    assert level(onset=["night"], frequency=["rare"]) is None


def test_higher_never_lowers() -> None:
    assert higher("urgent", "doctor") == "urgent"
    assert higher(None, "self_care") == "self_care"
    assert higher("doctor", "emergency") == "emergency"
