"""Ten realistic people, start to finish: the right triage and causes at the end."""

from __future__ import annotations

import pytest

from tests.conftest import talk

PEOPLE = {
    "night calf cramp": dict(
        lines=["I've got a cramp in my calf", "yes, it's easing now", "the left one",
               "it woke me up", "no", "no", "no", "no, none of those", "hardly ever",
               "a couple of minutes", "no thanks"],
        triage="self_care", first_cause="idiopathic_night_cramps",
        slots={"location": "calf", "side": "left", "onset": "night", "cramp_now": True},
    ),
    "exercise in the heat": dict(
        lines=["no", "my right calf cramped during my run, it was really hot and I sweated a lot",
               "no", "first time", "a minute or so", "no"],
        triage="self_care", first_cause="muscle_fatigue",
        causes={"muscle_fatigue", "dehydration", "electrolyte_imbalance"},
        slots={"onset": "exercise", "side": "right"},
    ),
    "walking pain eased by rest": dict(
        lines=["not right now",
               "my calf hurts when I walk a block and it goes away when I stop and rest",
               "the left", "no", "no", "I smoke", "no", "most days", "a few minutes",
               "no"],
        triage="doctor", first_cause="poor_circulation",
        slots={"onset": "walking", "conditions": ["smoking"]},
    ),
    "swollen warm calf after a flight": dict(
        lines=["no", "my left calf is swollen and warm since my long flight yesterday"],
        triage="urgent", first_cause="blood_clot", end_early=True,
        slots={"red_flags": ["swelling", "warmth"], "side": "left"},
    ),
    "chest pain": dict(
        lines=["yes", "my calf hurts and now I've got chest pain"],
        triage="emergency", first_cause="blood_clot", done=True,
    ),
    "cold pale leg": dict(
        lines=["my right leg suddenly went cold and pale and it really hurts"],
        triage="emergency", first_cause="poor_circulation", done=True,
    ),
    "water pill": dict(
        lines=["no", "calf", "both", "at night in bed", "no", "I take a water pill for my blood "
               "pressure", "no", "no", "most nights", "a few minutes", "no"],
        triage="doctor", first_cause="medication",
        slots={"medications": ["diuretic"], "frequency": "several_per_week"},
    ),
    "statin": dict(
        lines=["no", "my calves have been cramping since I started taking a statin",
               "both", "anytime", "no", "no", "a few times a week", "seconds", "no"],
        triage="doctor", first_cause="medication",
        slots={"medications": ["statin"], "triggers": ["new_medication"]},
    ),
    "pregnancy": dict(
        lines=["not at the moment", "I'm 32 weeks pregnant and get calf cramps at night",
               "right", "no", "no", "once a week", "a minute", "no"],
        triage="self_care", first_cause="pregnancy",
        slots={"triggers": ["pregnancy"], "onset": "night"},
    ),
    "numb tingling feet": dict(
        lines=["no", "I get foot cramps and my feet are numb and tingly, I have diabetes",
               "both", "at night", "no", "no", "no", "a few times a week", "minutes", "no"],
        triage="doctor", first_cause="peripheral_neuropathy",
        slots={"red_flags": ["numbness", "tingling"], "conditions": ["diabetes"]},
    ),
}


@pytest.mark.parametrize("name", list(PEOPLE))
def test_person_reaches_the_right_triage_and_causes(name: str) -> None:
    person = PEOPLE[name]
    turns = talk(person["lines"])
    last = turns[-1]
    transcript = "\n".join(f"> {t.heard}\n{t.say}" for t in turns)
    assert last.triage == person["triage"], transcript
    assert last.causes, transcript
    assert last.causes[0] == person["first_cause"], transcript
    if "causes" in person:
        assert set(last.causes) == person["causes"], transcript
    for slot, value in person.get("slots", {}).items():
        got = last.slots[slot]
        if isinstance(value, list):
            assert set(value) <= set(got), (slot, got, transcript)
        else:
            assert got == value, (slot, got, transcript)
    if person.get("done") or not person.get("end_early"):
        assert last.done, transcript


def test_relief_comes_before_any_question_when_cramping_now() -> None:
    turns = talk(["I've got a cramp"])
    say = turns[1].say.lower()
    assert "pull the foot up towards your shin" in say
    assert turns[1].expecting == "relief"
    assert "?" in say and say.index("pull") < say.index("?")


def test_stretch_follows_the_place_said() -> None:
    turns = talk(["yes, a cramp in the front of my thigh"])
    assert "heel up towards your bottom" in turns[1].say
    turns = talk(["yes", "actually it's my foot"])
    assert "toes up towards your shin" in turns[2].say


def test_not_easing_twice_raises_triage_to_doctor_and_then_urgent_past_ten_minutes() -> None:
    turns = talk(["yes", "no", "no, still cramping"])
    assert turns[-1].triage == "doctor"
    assert turns[-1].expecting == "duration"
    turns = talk(["yes", "no", "no, still cramping", "about fifteen minutes"])
    assert turns[-1].triage == "urgent"
    assert "urgent" in turns[-1].say


def test_not_easing_said_as_a_recogniser_writes_it_still_counts() -> None:
    # speech comes without commas: "no it still hurts", not "no, it still hurts"
    turns = talk(["yes", "no it still hurts"])
    assert turns[-1].expecting == "relief" and "step that leg back" in turns[-1].say
    turns = talk(["yes", "no it still hurts", "nope still tight"])
    assert turns[-1].triage == "doctor" and turns[-1].expecting == "duration"


def test_volunteered_information_is_never_asked_again() -> None:
    turns = talk(["no", "my left calf cramps at night after long runs"])
    asked = [t.expecting for t in turns[2:]]
    assert turns[-1].slots["location"] == "calf"
    assert "location" not in asked and "side" not in asked and "onset" not in asked


def test_summary_says_not_a_diagnosis_once() -> None:
    turns = talk(PEOPLE["night calf cramp"]["lines"][:-1])
    said = " ".join(t.say for t in turns)
    assert said.count("not a diagnosis") == 1
    assert turns[-1].expecting == "anything_else"


def test_what_was_understood_is_said_back_in_plain_words() -> None:
    turns = talk(["no", "my thigh", "the back", "after football", "both"])
    assert turns[3].say.startswith("Okay, the back of your thigh.")
    assert "Noted: exercise" not in turns[4].say  # said once, as "with exercise"
    assert turns[5].say.startswith("Okay, the back of both thighs.")


def test_a_frequency_answer_does_not_change_when_cramps_come_on() -> None:
    turns = talk(["no", "calf", "left", "during my run", "no", "no", "every night"])
    assert turns[-1].slots["frequency"] == "daily"
    assert turns[-1].slots["onset"] == "exercise"
