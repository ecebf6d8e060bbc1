"""The per-question grammars: what they let a recogniser hear, and what they must not."""

from __future__ import annotations

import re

from skill.asr.grammar import GrammarBuilder, spoken_words
from skill.nlu.understand import default_understander

BUILDER = GrammarBuilder(default_understander())


def test_every_grammar_hears_warning_signs_and_the_global_phrases() -> None:
    for question in ["cramp_now", "relief", "location", "side", "onset", "frequency"]:
        grammar = BUILDER.jsgf(question)
        for phrase in ["chest pain", "swollen", "numb", "repeat", "help", "stop", "yes", "no"]:
            assert re.search(rf"[(|] ?{phrase} ?[|)]", grammar), (question, phrase)


def test_a_question_hears_its_own_answers_and_companions() -> None:
    grammar = BUILDER.jsgf("location")
    assert "<companion>" in grammar and "left" in grammar and "calf" in grammar
    assert "front of my thigh" in BUILDER.answer_phrases("location")


def test_no_answer_can_start_with_no() -> None:
    """"no" before an answer could turn a "no" into its opposite, or invent a warning sign."""
    lead = re.search(r"<lead> = \((.*?)\);", BUILDER.jsgf("cramp_now"))
    assert lead is not None
    assert not [w for w in lead.group(1).split(" | ") if w.split()[0] == "no"]


def test_unknown_words_are_left_out_and_reported() -> None:
    builder = GrammarBuilder(default_understander(), known=lambda word: word != "calf")
    phrases = builder.answer_phrases("location")
    assert "calf" not in " ".join(phrases).split()
    assert "calf" in builder.dropped


def test_numbers_are_spoken_as_words() -> None:
    assert spoken_words("10 minutes") == ["ten", "minutes"]
    assert spoken_words("It's 3 AM!") == ["it's", "three", "am"]
