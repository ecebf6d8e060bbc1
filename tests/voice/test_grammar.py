"""The per-question grammars: what they let a recogniser hear, and what they must not."""

from __future__ import annotations

import re

from skill.asr.grammar import REPLIES, GrammarBuilder, spoken_words
from skill.asr.pocketsphinx import PocketSphinxRecognizer
from skill.dialogue.flow import EXPECTING
from skill.nlu.understand import default_understander

UNDERSTANDER = default_understander()
BUILDER = GrammarBuilder(UNDERSTANDER)


def test_every_grammar_hears_warning_signs_and_the_global_phrases() -> None:
    for question in ["cramp_now", "relief", "location", "side", "onset", "frequency"]:
        grammar = BUILDER.jsgf(question)
        for phrase in ["chest pain", "swollen", "numb", "repeat", "help", "stop", "yes", "no"]:
            assert re.search(rf"[(|] ?{phrase} ?[|)]", grammar), (question, phrase)


def test_a_question_hears_its_own_answers_and_companions() -> None:
    grammar = BUILDER.jsgf("location")
    assert "<companion>" in grammar and "left" in grammar and "calf" in grammar
    assert "front of my thigh" in BUILDER.answer_phrases("location")


def test_only_body_parts_get_a_possessive() -> None:
    """"front of my thigh", but never "couple of my times" or "ten out of my ten"."""
    assert "back of my leg" in BUILDER.answer_phrases("location")
    for question in ["frequency", "duration", "onset", "red_flags"]:
        made_up = [p for p in BUILDER.answer_phrases(question) + BUILDER.phrases(question)
                   if " of my " in p and not p.endswith("worst pain of my life")
                   and not UNDERSTANDER.understand(p, "location").slots.get("location")]
        assert not made_up, (question, made_up[:5])


def test_no_lead_can_start_with_no() -> None:
    """"no" before any answer could turn a "no" into its opposite, or invent a warning sign;
    whole phrases that start with "no" are listed one by one (see below)."""
    for question in ["cramp_now", "onset"]:  # with and without a side before the answer
        leads = re.findall(r"<\w*lead> = \((.*?)\);", BUILDER.jsgf(question))
        assert leads, question
        assert not [w for body in leads for w in body.split(" | ") if w.split()[0] == "no"]


def test_no_side_follows_my_or_the_as_no_one_says_it() -> None:
    """"my left calf", "both calves", "it's both calves", but not "my both calves" or
    "the either leg": those were where a misheard "my foot" landed ("my both toe"),
    with a side never said (intents/en/openings.yaml)."""
    grammar = BUILDER.jsgf("location")
    determined = re.search(r"<determined_companion> = \((.*?)\);", grammar)
    open_side = re.search(r"<companion> = \((.*?)\);", grammar)
    leads = re.search(r"<determiner_lead> = \((.*?)\);", grammar)
    assert determined and open_side and leads
    assert {"left", "right leg"} <= set(determined.group(1).split(" | "))
    assert not {"both", "either", "each leg", "two legs"} & set(determined.group(1).split(" | "))
    assert {"both", "either leg"} <= set(open_side.group(1).split(" | "))
    assert {"my", "the", "in my", "yes my"} <= set(leads.group(1).split(" | "))


def test_unknown_words_are_left_out_and_reported() -> None:
    builder = GrammarBuilder(default_understander(), known=lambda word: word != "calf")
    phrases = builder.answer_phrases("location")
    assert "calf" not in " ".join(phrases).split()
    assert "calf" in builder.dropped


def test_numbers_are_spoken_as_words() -> None:
    assert spoken_words("10 minutes") == ["ten", "minutes"]
    assert spoken_words("It's 3 AM!") == ["it's", "three", "am"]


QUESTIONS = list(dict.fromkeys(EXPECTING.values()))


def test_whole_phrases_starting_with_no_mean_no_and_never_a_warning_sign() -> None:
    understander = default_understander()
    for question in QUESTIONS:
        phrases = BUILDER.taught_phrases(question) + BUILDER.common_phrases()
        for phrase in [p for p in phrases if p.split()[0] in ("no", "nope")]:
            meaning = understander.understand(phrase, question)
            assert not meaning.slots.get("red_flags"), (question, phrase)
            assert meaning.yes_no == "deny" or meaning.intent in ("deny", "skip"), \
                (question, phrase)


def test_the_few_global_phrases_listened_for_mean_what_they_say() -> None:
    """intents/en/speech.yaml: each phrase is understood as its intent."""
    from skill.data import load_yaml
    from skill.nlu.understand import INTENT_NAMES

    understander = default_understander()
    names = INTENT_NAMES
    spoken = load_yaml("intents", "en", "speech.yaml")
    some = spoken.pop("in_some_questions")
    for intent, phrases in spoken.items():
        for phrase in phrases:
            for question in ("location", "anything_else"):
                assert understander.understand(phrase, question).intent == names[intent], \
                    (intent, phrase, question)
    for group in some:
        intent = group["intent"]
        assert intent in REPLIES, intent  # heard as replies, said as they are
        for phrase in group["phrases"]:
            for question in group["questions"]:
                meaning = understander.understand(phrase, question)
                assert names[intent] in (meaning.intent, meaning.yes_no), \
                    (intent, phrase, question)
                assert not meaning.slots, (intent, phrase, question)


def test_short_confusable_words_are_not_in_the_speech_grammars() -> None:
    """"hamstring" was heard as "cancel", "i'm pregnant" as "bye": both end the talk."""
    common = BUILDER.common_phrases()
    for word in ["cancel", "bye", "exit", "quit", "end", "undo", "huh", "pardon"]:
        assert word not in common


def test_a_place_asked_about_elsewhere_takes_a_side_not_another_place(
        recognizer: PocketSphinxRecognizer) -> None:
    """"Is it easing?" "My calf is easing", "my left calf"; not "my calf is big toe" or
    "the calf is shin", where "it's easing" landed: a place the question also takes has
    a side before it, and only the question's own answers follow a place and a verb."""
    for said in ("my calf is easing", "my left calf", "my foot still hurts",
                 "the left one is better", "my leg is easing"):
        assert recognizer.accepts("relief", said), said
    for said in ("my calf is big toe", "the calf is shin", "my foot feels toes", "calf calf"):
        assert not recognizer.accepts("relief", said), said
    for said in ("yes my calf", "yes my left calf", "my right foot"):
        assert recognizer.accepts("cramp_now", said), said


def test_front_and_back_are_places_only_when_asked_where(
        recognizer: PocketSphinxRecognizer) -> None:
    """"At the back" answers "where is it?", and nothing else: "it's easing" was heard
    as "the calf in front" when asked if it eases. "Leg" is said in any answer."""
    for said in ("at the back", "the front", "my leg"):
        assert recognizer.accepts("location", said), said
    for question in ("relief", "cramp_now", "side"):
        for said in ("the calf in front", "at the back", "my left front", "rear"):
            assert not recognizer.accepts(question, said), (question, said)
    for said in ("yes my leg", "yes my left leg"):
        assert recognizer.accepts("cramp_now", said), said
    assert recognizer.accepts("side", "my left leg")
    assert "the calf in front" not in BUILDER.phrases("relief")


def test_only_a_few_leads_go_right_before_a_place(recognizer: PocketSphinxRecognizer) -> None:
    """"Mostly calves", "it's both legs", "just toes"; not "i am big toe" or "about
    thigh", where a misheard "a bit" and "calf" landed."""
    for said in ("mostly calves", "it's both legs", "just toes", "it's my calf", "calf"):
        assert recognizer.accepts("location", said), said
    for question in ("location", "relief", "cramp_now"):
        for said in ("i am big toe", "about thigh", "i have toe", "i had calf"):
            assert not recognizer.accepts(question, said), (question, said)


def test_an_answer_to_another_question_has_somewhere_to_land(
        recognizer: PocketSphinxRecognizer) -> None:
    """Out of step, "a few seconds" asked where the cramp is came out as "it feels red
    and hot": it had nowhere else to land. Each question now also hears the other
    questions' answers of two words or more, and the understanding takes them for the
    question they answer."""
    for question in ["cramp_now", "relief", "location", "side", "onset"]:
        for phrase, slot in [("few seconds", "duration"), ("every week", "frequency"),
                             ("during the night", "onset"), ("both legs", "side")]:
            if UNDERSTANDER.understand(phrase, question).slots.get(slot) is None:
                continue
            assert recognizer.accepts(question, phrase), (question, phrase)
            assert phrase in BUILDER.phrases(question), (question, phrase)  # vosk's list
    # never in the questions that ask for warning signs, and never a warning sign
    assert not BUILDER.rival_phrases("red_flags") and not BUILDER.rival_phrases("anything_else")
    for question in set(EXPECTING.values()):
        for phrase in BUILDER.rival_phrases(question):
            assert " " in phrase, (question, phrase)  # "right" was heard as "thigh"
            assert not UNDERSTANDER.understand(phrase, question).slots.get("red_flags"), phrase
