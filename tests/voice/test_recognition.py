"""Recognition with PocketSphinx and the per-question grammars, on synthesized speech."""

from __future__ import annotations

import pytest

from skill.asr.engine import hear_audio
from skill.asr.grammar import spoken_words
from skill.asr.pocketsphinx import PocketSphinxRecognizer
from skill.audio.wav import read_wav
from skill.dialogue.flow import EXPECTING
from skill.nlu.understand import default_understander
from skill.responses import default_responses
from tests.slots import holds
from tests.voice.speech import FailingRecognizer, have_synthesizers, synthesize, with_noise

pytestmark = pytest.mark.skipif(not have_synthesizers(), reason="needs flite and espeak-ng")
QUESTIONS = [q for q in dict.fromkeys(EXPECTING.values()) if q is not None]


def meaning(recognizer: PocketSphinxRecognizer, text: str, question: str, voice: str,
            words_per_minute: int = 150) -> tuple[str, dict[str, object], str]:
    path = synthesize(text, voice, words_per_minute=words_per_minute)
    heard = hear_audio(recognizer, read_wav(path), question)
    understood = default_understander().understand(heard.text, question)
    return understood.intent, understood.slots, heard.text


def misheard(recognizer: PocketSphinxRecognizer, answers: list[tuple[str, str, str, object]],
             voice: str) -> list[tuple[str, str]]:
    """The (question, said, slot, value) answers, each a whole phrase of its question's
    grammar and the first of a conversation, whose slot did not come out as ``value``
    (or, for a list slot, holding it): what was said and what was heard."""
    wrong = []
    for question, said, slot, value in answers:
        assert recognizer.accepts(question, said), said
        recognizer.new_speaker()
        _, slots, heard = meaning(recognizer, said, question, voice)
        if not holds(slots, slot, value):
            wrong.append((said, heard))
    return wrong


def test_every_example_the_skill_offers_is_a_whole_phrase_it_listens_for(
        recognizer: PocketSphinxRecognizer) -> None:
    """What the skill tells people to say, it must be able to hear."""
    for question in QUESTIONS:
        for example in default_responses().variants(f"examples.{question}"):
            assert recognizer.accepts(question, " ".join(spoken_words(example))), example


def test_every_word_in_the_grammars_can_be_said(recognizer: PocketSphinxRecognizer) -> None:
    for question in QUESTIONS:
        recognizer.prepare(question)
    assert not recognizer.builder.dropped


@pytest.mark.parametrize("voice", ["flite:slt", "flite:awb", "espeak:en-us+m3"])
def test_spoken_example_answers_that_start_with_no_are_heard_as_meant(
        recognizer: PocketSphinxRecognizer, voice: str) -> None:
    intent, slots, heard = meaning(recognizer, "no, none of those", "red_flags", voice)
    assert intent == "deny" and not slots.get("red_flags"), heard
    _, slots, heard = meaning(recognizer, "no, it's still tight", "relief", voice)
    assert slots.get("relief") == "not_easing", heard
    _, slots, heard = meaning(recognizer, "no, it happened last night", "cramp_now", voice)
    assert slots.get("cramp_now") is False and slots.get("onset") == "night", heard


@pytest.mark.parametrize(("name", "kind"), [("bendroflumethiazide", "diuretic"),
                                            ("furosemide", "diuretic"),
                                            ("losartan", "blood_pressure")])
def test_medicine_names_are_heard(recognizer: PocketSphinxRecognizer, name: str,
                                  kind: str) -> None:
    _, slots, heard = meaning(recognizer, name, "medications", "flite:slt")
    assert kind in slots.get("medications", []), heard


def test_a_phrase_the_best_path_cut_short_is_still_heard_whole(
        recognizer: PocketSphinxRecognizer) -> None:
    """This voice's best path used to stop at "after my" (the N-best list then held the
    whole phrase); without the lattice best-path pass the first pass finds it."""
    _, slots, heard = meaning(recognizer, "after my run", "onset", "espeak:en-us+m3")
    assert slots.get("onset") == "exercise" and heard == "after my run"


def test_what_is_heard_does_not_depend_on_the_answer_before(
        recognizer: PocketSphinxRecognizer) -> None:
    """The decoder carried its cepstral mean over from the last utterance, so the same
    words were heard as "my either pale" after one answer and "my left calf" after
    another; each utterance now sets its own. (Without that, this answer is heard as
    "my love of payoff" after one of these.)"""
    answer = read_wav(with_noise(synthesize("my left calf", "flite:kal16"), 20.0)).pcm()
    heard = {PocketSphinxRecognizer(default_understander()).recognize(answer, "location").text}
    for before in ["hello there everyone", "yes", "it woke me up in the middle of the night"]:
        recognizer.new_speaker()  # learning the voice is meant to change what is heard
        recognizer.recognize(read_wav(synthesize(before, "flite:slt")).pcm(), "location")
        heard.add(recognizer.recognize(answer, "location").text)
    assert heard == {"my left calf"}


def test_a_little_is_heard_as_easing(recognizer: PocketSphinxRecognizer) -> None:
    """ "Is it easing?" "Yes, a bit." Before "a bit", "a little bit" and "slightly" were
    in the relief grammar, these nine were heard as "yes my big toe", "a tingling", "yes
    my weak" and the like: 4 right and 3 warning signs never said. Now 8 right; one
    warning sign is left (espeak-ng m3's "a little bit" as "only cold feet", because
    every grammar holds the warning signs)."""
    right = warnings = 0
    for voice in ["flite:slt", "espeak:en-us+f1", "espeak:en-us+m3"]:
        for text in ["yes, a bit", "a little bit", "slightly"]:
            _, slots, heard = meaning(recognizer, text, "relief", voice)
            right += slots.get("relief") == "easing"
            warnings += "red_flags" in slots
    assert right >= 8 and warnings <= 1, (right, warnings)


BRITISH = [("location", "my calf", "location", "calf"),
           ("location", "my left calf", "location", "calf"),
           ("cramp_now", "yes in my calf", "location", "calf"),
           ("onset", "after my run", "onset", "exercise"),
           ("onset", "last night", "onset", "night"),
           ("duration", "half an hour", "duration", "over_10_minutes")]


@pytest.mark.parametrize("voice", ["espeak:en", "espeak:en-gb-x-rp"])
def test_british_vowels_are_heard(recognizer: PocketSphinxRecognizer, voice: str) -> None:
    """ "calf" as "kahf" (intents/en/pronunciations.yaml, also_said); without it, "my
    calf" was heard as "my cold feet", a warning sign."""
    right = 0
    for question, text, slot, value in BRITISH:
        _, slots, heard = meaning(recognizer, text, question, voice)
        right += slots.get(slot) == value
        assert "red_flags" not in slots, (text, heard)
    assert right >= 5, right  # measured: 5 of 6 for both voices (1 of 6 without)


@pytest.mark.parametrize("voice", ["espeak:en-us+m3", "espeak:en-us+f1"])
def test_medicines_said_as_people_say_them_are_heard_in_noise(
        recognizer: PocketSphinxRecognizer, voice: str) -> None:
    """"a statin" is "stat-in" and "a diuretic" "dye-yuh-RET-ik" (the dictionary had
    only "stay-tin" and "dye-oo-RET-ik"). Measured at 10 dB, as the first answer of
    a conversation: 4 of 4 heard; 0 of 4 with the dictionary's own pronunciations."""
    for said, kind in [("a statin for cholesterol", "statin"), ("a diuretic", "diuretic")]:
        recognizer.new_speaker()
        path = with_noise(synthesize(said, voice), 10.0)
        heard = hear_audio(recognizer, read_wav(path), "medications")
        slots = default_understander().understand(heard.text, "medications").slots
        assert kind in slots.get("medications", []), (said, heard.text)


def test_other_ways_of_saying_a_word_are_heard_as_the_word(
        recognizer: PocketSphinxRecognizer) -> None:
    assert recognizer.decoder.lookup_word("calf(2)") == "K AA F"
    assert recognizer.accepts("location", "my left calf")


def test_answers_whole_on_their_own_take_nothing_before_them(
        recognizer: PocketSphinxRecognizer) -> None:
    """"ow" and "it is gone" are answers as they are; "an ow" or "yes my both ow" is
    nobody's answer, only where a misheard "nope" or "yes my foot" landed in noise
    (intents/en/openings.yaml). Answers that take openings still do."""
    for said in ["ow", "ouch", "it is gone", "not right now", "yes my foot", "my left calf",
                 "left leg is cramping", "i have got cramp"]:
        assert recognizer.accepts("cramp_now", said), said
    for said in ["an ow", "in the ow", "yes my ow", "yes my both ow", "an i do",
                 "left it is gone", "my not right now"]:
        assert not recognizer.accepts("cramp_now", said), said
    assert recognizer.accepts("relief", "it's still tight")
    assert not recognizer.accepts("relief", "about it's still tight")


def test_an_answer_starting_with_an_article_follows_no_lead_ending_in_one(
        recognizer: PocketSphinxRecognizer) -> None:
    """"the a minute" and "a the pill" are nobody's answers, only where noisy "just
    seconds" and "a diuretic" landed (intents/en/openings.yaml, not_after_a_determiner)."""
    for question, said in [("duration", "a minute"), ("duration", "about a minute"),
                           ("duration", "it's a minute"), ("medications", "the pill"),
                           ("medications", "i'm on the pill"),
                           ("frequency", "a few times a week")]:
        assert recognizer.accepts(question, said), said
    for question, said in [("duration", "the a minute"), ("medications", "a the pill"),
                           ("medications", "my the pill"),
                           ("frequency", "the a few times a week"),
                           ("conditions", "the an underactive thyroid")]:
        assert not recognizer.accepts(question, said), said


WITH_AN_ARTICLE = [("medications", "i take a statin", "medications", "statin"),
                   ("conditions", "i have an underactive thyroid", "conditions", "thyroid"),
                   ("frequency", "maybe a few times a week", "frequency", "several_per_week"),
                   ("medications", "i'm on a diuretic", "medications", "diuretic")]


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en-us+f1", "espeak:en-us+f4"])
def test_an_answer_with_a_lead_and_an_article_is_heard(
        recognizer: PocketSphinxRecognizer, voice: str) -> None:
    """"I take a statin" is a lead, an article and an answer; an answer took one lead, so
    the grammars could not hold it (intents/en/openings.yaml lists such leads whole).
    Measured on seven voices and nine such answers: 23 of 63 right before, 56 after."""
    wrong = misheard(recognizer, WITH_AN_ARTICLE, voice)
    assert not wrong, wrong


WITH_THE = [("onset", "during the night", "onset", "night"),
            ("onset", "on the couch", "onset", "rest"),
            ("onset", "at the gym", "onset", "exercise"),
            ("triggers", "on the plane", "triggers", ["prolonged_position"]),
            ("onset", "in the car", "onset", "rest")]


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en-us+f1", "espeak:en-us+m5"])
def test_answers_said_with_the_are_heard(recognizer: PocketSphinxRecognizer,
                                          voice: str) -> None:
    """The lists hold "during night" and "on couch" (the text understanding drops
    "the"); people say "during the night" (intents/en/openings.yaml, said_with_the).
    Measured on seven voices and ten such answers: 46 of 70 right before, 65 after;
    "during the night" was heard as "during run", "at the gym" as "at night"."""
    wrong = misheard(recognizer, WITH_THE, voice)
    assert not wrong, wrong


def test_not_right_now_has_nowhere_to_land_as_a_cramp_now(
        recognizer: PocketSphinxRecognizer) -> None:
    """Asked "a cramp right now?", espeak-ng's voices said "not right now" and "not at the
    moment" and were heard as "both right now" and "about at the moment": a cramp in both
    legs, now. Those answers take no lead or side in that question (openings.yaml,
    whole_in); the usual ones are still heard. Seven voices, 14 answers at 10 dB: 64 of
    98 right before, 71 after."""
    for made_up in ["both right now", "left right now", "about at the moment", "both now",
                    "my right often", "maybe earlier"]:
        assert not recognizer.accepts("cramp_now", made_up), made_up
    for said in ["right now", "yes right now", "not right now", "no not right now",
                 "yes my left calf", "my left calf", "both calves", "earlier", "last night"]:
        assert recognizer.accepts("cramp_now", said), said


def test_words_people_shorten_are_heard_shortened(recognizer: PocketSphinxRecognizer) -> None:
    """The lists write "it is gone" and "cannot breathe" (the text understanding spells
    contractions out); people say "it's gone" and "can't breathe". Seven voices, 19
    answers: clean 107 -> 120 of 133 right, 10 dB 88 -> 105, false warning signs at
    10 dB 7 -> 1. Nouns are not shortened: "my leg's cold" sounds like "my legs cold"."""
    for question, said in [("cramp_now", "it's gone"), ("cramp_now", "i'm cramping"),
                           ("relief", "didn't help"), ("triggers", "didn't drink enough"),
                           ("red_flags", "can't breathe"), ("duration", "won't stop"),
                           ("cramp_now", "it is gone"), ("red_flags", "cannot breathe")]:
        assert recognizer.accepts(question, said), (question, said)
    for question in ["red_flags", "cramp_now"]:
        recognizer.prepare(question)
        grammar = recognizer.builder.jsgf(question)
        assert "leg's" not in grammar and "calf's" not in grammar


NOW_AND_WHEN = [("cramp_now", "not any more", "cramp_now", False),
                ("cramp_now", "no longer", "cramp_now", False),
                ("onset", "when i sit", "onset", "rest"),
                ("onset", "when i rest", "onset", "rest"),
                ("onset", "when i wake up", "onset", "night"),
                ("onset", "when i go to bed", "onset", "night")]


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en-us+f1", "espeak:en+f3"])
def test_short_everyday_answers_about_now_and_when_are_heard(
        recognizer: PocketSphinxRecognizer, voice: str) -> None:
    """"Are you having a cramp right now?" "Not any more." "When does it come on?" "When
    I sit." Neither the text understanding nor the grammars held these. Measured on
    seven voices and nine such answers with a few usual ones: 77 of 119 right before,
    111 after (10 dB: 72 to 104)."""
    wrong = misheard(recognizer, NOW_AND_WHEN, voice)
    assert not wrong, wrong


WHEN_I_WAS = [("onset", "when i was walking", "onset", "walking"),
              ("onset", "when i was running", "onset", "exercise"),
              ("onset", "when i was sitting", "onset", "rest"),
              ("onset", "while i was driving", "onset", "rest"),
              ("onset", "when i was in bed", "onset", "night"),
              ("onset", "when i was asleep", "onset", "night")]


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en-us+m3", "espeak:en-us+f1"])
def test_when_i_was_answers_are_heard(recognizer: PocketSphinxRecognizer, voice: str) -> None:
    """"When does it come on?" "When I was running." No grammar held these; most were
    heard as "when i walk". Seven voices, 14 such and usual answers: 81 of 119 right
    before, 111 after (10 dB: 83 to 109)."""
    wrong = misheard(recognizer, WHEN_I_WAS, voice)
    assert not wrong, wrong


MORNINGS_AND_WEEKS = [("onset", "in the morning", "onset", "night"),
                      ("onset", "early morning", "onset", "night"),
                      ("onset", "when i get into bed", "onset", "night"),
                      ("frequency", "every few weeks", "frequency", "weekly"),
                      ("frequency", "every couple of weeks", "frequency", "weekly")]


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en-us+m3", "espeak:en-us+f1"])
def test_mornings_and_every_few_weeks_are_heard(recognizer: PocketSphinxRecognizer,
                                                voice: str) -> None:
    """"When does it come on?" "In the morning." "How often?" "Every few weeks." No grammar
    held these ("when i get into bed" was past the onset grammar's forty phrases). Seven
    voices, 28 such and usual answers: 147 of 196 right before, 180 after (10 dB: 146 to
    176); "every other night" was never heard as a week."""
    wrong = misheard(recognizer, MORNINGS_AND_WEEKS, voice)
    assert not wrong, wrong


HOW_LONG_IN_NUMBERS = [("duration", "ten minutes", "duration", "minutes"),
                       ("duration", "about two minutes", "duration", "minutes"),
                       ("duration", "three or four minutes", "duration", "minutes"),
                       ("duration", "about twenty minutes", "duration", "over_10_minutes"),
                       ("duration", "fifteen minutes", "duration", "over_10_minutes"),
                       ("duration", "about thirty seconds", "duration", "seconds"),
                       ("duration", "more than ten minutes", "duration", "over_10_minutes")]


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en+f2", "espeak:en-us+f1"])
def test_how_long_said_in_numbers_is_heard(recognizer: PocketSphinxRecognizer,
                                           voice: str) -> None:
    """"How long do they last?" "About twenty minutes." No number of minutes but five was
    in the grammar: "about twenty minutes" was heard as "about one or two minutes" (a
    shorter cramp than said) and "ten minutes" as "i'm numbness". Seven voices, 18 such
    and usual answers: 85 of 126 right before, 119 after (10 dB: 86 to 112); false
    warning signs 6 to 0 clean."""
    wrong = misheard(recognizer, HOW_LONG_IN_NUMBERS, voice)
    assert not wrong, wrong


def test_openings_nobody_says_before_an_answer_are_not_listened_for(
        recognizer: PocketSphinxRecognizer) -> None:
    """"An ten minutes" is nobody's answer, only where "more than ten minutes" landed, heard
    as a shorter cramp; "i'm on a" opens an answer about medicines only ("i'm on a
    statin"), and in other questions was where "an underactive thyroid" landed ("i'm on
    a third trimester")."""
    assert recognizer.accepts("duration", "about ten minutes")
    assert not recognizer.accepts("duration", "an ten minutes")
    assert not recognizer.accepts("duration", "i'm on an minute")
    assert not recognizer.accepts("conditions", "i'm on a third trimester")
    assert recognizer.accepts("medications", "i'm on a statin")
    assert recognizer.accepts("anything_else", "i take a statin")


EVERYDAY_OPENINGS = [("cramp_now", "yeah it is", "cramp_now", True),
                     ("cramp_now", "it was earlier", "cramp_now", False),
                     ("relief", "no it still hurts", "relief", "not_easing"),
                     ("relief", "it's better now", "relief", "easing"),
                     ("side", "it's the left", "side", "left"),
                     ("frequency", "almost every night", "frequency", "daily"),
                     ("frequency", "it's the first time", "frequency", "rare")]


@pytest.mark.parametrize("voice", ["espeak:en-us+m3", "espeak:en+f2", "espeak:en-us+m5"])
def test_answers_opened_the_everyday_way_are_heard(recognizer: PocketSphinxRecognizer,
                                                   voice: str) -> None:
    """"Yeah it is", "no, it still hurts", "it's the left", "almost every night": no grammar
    held these, and "it's the left" and "it's the first time" were heard as "it's
    numbness", a warning sign never said. Seven voices, 37 such and usual answers: 196 of
    259 right before, 236 after (10 dB: 177 to 201); false warning signs 12 to 6 clean,
    21 to 16 at 10 dB."""
    wrong = misheard(recognizer, EVERYDAY_OPENINGS, voice)
    assert not wrong, wrong


DOING = [("onset", "when i'm in bed", "onset", "night"),
         ("onset", "when i'm sitting", "onset", "rest"),
         ("onset", "while i was watching tv", "onset", "rest"),
         ("onset", "when i'm walking", "onset", "walking"),
         ("onset", "while i was playing football", "onset", "exercise")]


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en-us+f1", "espeak:en-us+m3"])
def test_what_someone_was_doing_is_heard_after_when_i_was(
        recognizer: PocketSphinxRecognizer, voice: str) -> None:
    """"When does it come on?" "While I was watching TV." Only a few "when i was" answers
    were in the grammar; the rest were heard as the nearest one ("while i was walking").
    Seven voices, 20 such and usual answers: 95 of 140 right before, 121 after (10 dB:
    102 to 127). The openings go only before what someone was doing: before every
    answer, "when i was running" was heard as "when i'm while driving"."""
    wrong = misheard(recognizer, DOING, voice)
    assert not wrong, wrong
    assert not recognizer.accepts("onset", "when i'm while driving")
    assert not recognizer.accepts("onset", "when i'm at bedtime")


I_DID = [("triggers", "i ran", "triggers", "exercise"),
         ("triggers", "i played football", "triggers", "exercise"),
         ("triggers", "i didn't drink enough", "triggers", "dehydration"),
         ("triggers", "i sat for hours", "triggers", "prolonged_position"),
         ("triggers", "i overdid it", "triggers", "exercise")]


@pytest.mark.parametrize("voice", ["espeak:en-us+m3", "espeak:en-us+f1", "espeak:en-us+m5"])
def test_what_came_before_said_with_i_and_a_verb_is_heard(
        recognizer: PocketSphinxRecognizer, voice: str) -> None:
    """"Did anything come before it?" "I played football." A bare "i" before every answer
    cost more than it gave ("tight socks" heard as "i sauna"); "i" before what someone
    did only (openings.yaml, doing) does not. Seven voices, 21 such and usual answers:
    114 of 147 right before, 136 after (10 dB: 95 to 114); development set 10 dB +1."""
    wrong = misheard(recognizer, I_DID, voice)
    assert not wrong, wrong
    assert not recognizer.accepts("triggers", "i sauna")


I_WAS_OR_HAD = [("triggers", "i was dehydrated", "triggers", "dehydration"),
                ("triggers", "i was sweating a lot", "triggers", "dehydration"),
                ("triggers", "i had some wine", "triggers", "alcohol"),
                ("triggers", "i went for a long walk", "triggers", "exercise")]


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en-us+f1", "espeak:en-us+m5"])
def test_what_came_before_said_as_a_sentence_is_heard(
        recognizer: PocketSphinxRecognizer, voice: str) -> None:
    """"Did anything come before it?" "I was dehydrated." "I had some wine." The triggers
    question takes "i was", "i had some" and "i went for a" before an answer
    (openings.yaml, leads_in). Seven voices, 16 such and usual answers: 84 of 112
    right before, 96 after (10 dB: 86 to 93, false warning signs 2 to 0). A bare "i"
    was tried too and not kept: "tight socks" was heard as "i sauna"."""
    wrong = misheard(recognizer, I_WAS_OR_HAD, voice)
    assert not wrong, wrong


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en-us+m3", "espeak:en-us+m5"])
def test_no_thank_you_in_noise_is_no_and_never_a_warning_sign(
        recognizer: PocketSphinxRecognizer, voice: str) -> None:
    """"Any of those?" "No thank you." No grammar held it, so at 10 dB it landed on
    "an open sore", "nine out of ten" or "no sensation": warning signs never said.
    Measured on seven voices, "no thank you" and "yes thank you" in four questions:
    27 of 42 right and 8 false warning signs before; 39 and none after."""
    for question in ["red_flags", "anything_else"]:
        recognizer.new_speaker()
        path = with_noise(synthesize("no thank you", voice), 10.0)
        heard = hear_audio(recognizer, read_wav(path), question)
        understood = default_understander().understand(heard.text, question)
        assert understood.intent == "deny" and not understood.slots, heard.text


def test_a_sign_that_names_follows_i_have_and_one_that_describes_follows_im(
        recognizer: PocketSphinxRecognizer) -> None:
    """"i'm redness" is nobody's answer: it was where a noisy "i'm pregnant" landed once
    the grammars' beams were widened (openings.yaml, naming_signs). The same holds in the
    phrase lists a vosk model is given."""
    for question in ["triggers", "conditions"]:
        for said in ["i have redness", "i've got numbness", "i'm weak", "it's red",
                     "it's swelling", "i have swelling"]:
            assert recognizer.accepts(question, said), (question, said)
        for nonsense in ["i'm redness", "it's numbness", "i have weak", "i've got red"]:
            assert not recognizer.accepts(question, nonsense), (question, nonsense)
    assert recognizer.accepts("red_flags", "my calf is swollen")
    assert not recognizer.accepts("red_flags", "my calf is numbness")
    phrases = recognizer.builder.phrases("triggers")
    assert "i have redness" in phrases and "i'm weak" in phrases
    assert "i'm redness" not in phrases and "i have weak" not in phrases


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en-us+f1"])
def test_im_pregnant_is_heard_and_not_as_a_warning_sign(
        recognizer: PocketSphinxRecognizer, voice: str) -> None:
    """"I'm" opens answers in the questions about triggers and conditions only
    (intents/en/openings.yaml, leads_in). Without it, "i'm pregnant" at 10 dB was heard
    as "i'm redness", a warning sign. Measured on seven voices and five such answers:
    at 10 dB 32 -> 34 of 35 right, false warning signs 3 -> 0; clean 34 -> 35, 1 -> 0."""
    assert recognizer.accepts("conditions", "i'm a smoker")
    assert not recognizer.accepts("red_flags", "i'm pregnant")
    for question in ["triggers", "conditions"]:
        recognizer.new_speaker()
        path = with_noise(synthesize("i'm pregnant", voice), 10.0)
        heard = hear_audio(recognizer, read_wav(path), question)
        slots = default_understander().understand(heard.text, question).slots
        assert "pregnancy" in slots.get(question, []) and "red_flags" not in slots, heard.text


def test_please_follows_requests_and_not_yes_or_no(
        recognizer: PocketSphinxRecognizer) -> None:
    """"slower please" is a request; "nothing please" is where "just seconds" landed
    in noise. The replies that hold a "please" of their own still do."""
    for said in ["slower please", "repeat please", "stop please", "yes please", "no thanks",
                 "nothing", "no"]:
        assert recognizer.accepts("duration", said), said
    for said in ["nothing please", "no please", "none please", "okay please"]:
        assert not recognizer.accepts("duration", said), said


NOT_WARNING_QUESTIONS = ["cramp_now", "relief", "location", "side", "onset", "triggers",
                         "frequency", "duration"]


def heard_as_intent_in(recognizer: PocketSphinxRecognizer, voice: str,
                      said: list[tuple[str, str]], questions: tuple[str, ...]) -> None:
    """Each phrase ``said`` by ``voice``, in each question, means its intent."""
    for text, intent in said:
        path = synthesize(text, voice)
        for question in questions:
            recognizer.new_speaker()
            recognizer.prepare(question)
            heard = hear_audio(recognizer, read_wav(path), question)
            meaning = default_understander().understand(heard.text, question)
            assert meaning.intent == intent, (text, question, heard.text)


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en-us+f1", "espeak:en-us+m5"])
def test_asking_for_more_time_is_heard_in_any_question(recognizer: PocketSphinxRecognizer,
                                                       voice: str) -> None:
    """Cut off before finishing: said in the user's words, in whatever question is
    open (the duration question too, whose answers say "more than ten minutes")."""
    heard_as_intent_in(recognizer, voice, [(text, "more_time") for text in (
        "give me more time", "let me finish", "you cut me off")],
        ("cramp_now", "location", "triggers", "duration"))


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en-us+f1", "espeak:en-us+m5"])
def test_louder_and_quieter_are_heard_in_any_question(recognizer: PocketSphinxRecognizer,
                                                      voice: str) -> None:
    """The skill too loud beside someone asleep, or too quiet to hear: said in the
    user's words, in whatever question is open."""
    heard_as_intent_in(recognizer, voice, [("too loud", "quieter"), ("quieter please", "quieter"),
                                           ("louder", "louder"), ("speak louder", "louder")],
                       ("cramp_now", "location", "red_flags", "frequency"))


def test_a_warning_sign_inside_another_answer_is_a_whole_phrase(
        recognizer: PocketSphinxRecognizer) -> None:
    """"My calf is swollen" in answer to "which leg?" is a whole phrase of every
    question's grammar; a one-word sign on its own is not, outside the warning-sign
    question (intents/en/openings.yaml)."""
    for question in NOT_WARNING_QUESTIONS:
        for said in ["my calf is swollen", "my leg feels numb", "it's red", "i'm breathless",
                     "chest pain", "it's swollen and warm", "i have chest pain"]:
            assert recognizer.accepts(question, said), (question, said)
        for alone in ["red", "weak", "the red", "my weak", "swollen"]:
            assert not recognizer.accepts(question, alone), (question, alone)
    for question in ["red_flags", "anything_else"]:
        assert recognizer.accepts(question, "swollen") and recognizer.accepts(question, "red")


def test_a_warning_sign_in_another_answer_takes_no_bare_the(
        recognizer: PocketSphinxRecognizer) -> None:
    """"the red and swollen" or "the cold leg" is nobody's answer, only where noisy
    answers landed: flite kal's "a statin for cholesterol" at 10 dB was heard as "the
    red and swollen", a warning sign never said. "The" still goes before a place
    ("the calf swollen and warm")."""
    for question in NOT_WARNING_QUESTIONS:
        for said in ["chest pain", "i have chest pain", "it's red and swollen"]:
            assert recognizer.accepts(question, said), (question, said)
        for made_up in ["the red and swollen", "the cold leg", "the chest pain"]:
            assert not recognizer.accepts(question, made_up), (question, made_up)
    assert recognizer.accepts("relief", "the calf swollen and warm")
    recognizer.new_speaker()
    path = with_noise(synthesize("a statin for cholesterol", "flite:kal"), 10.0)
    heard = hear_audio(recognizer, read_wav(path), "medications")
    slots = default_understander().understand(heard.text, "medications").slots
    assert "statin" in slots.get("medications", []) and "red_flags" not in slots, heard.text


WARNINGS_IN_OTHER_ANSWERS = [("location", "my calf is swollen", "swelling"),
                             ("onset", "my leg feels numb", "numbness"),
                             ("cramp_now", "i have chest pain", "chest_pain"),
                             ("relief", "it's red and swollen", "redness"),
                             ("side", "it's swollen and warm", "swelling"),
                             ("frequency", "i'm short of breath", "breathless"),
                             ("triggers", "my leg feels weak", "weakness")]


def test_warning_signs_said_inside_other_answers_are_heard(
        recognizer: PocketSphinxRecognizer) -> None:
    """Measured: 33 of 35 heard; 19 before one-word signs got their openings, when "my
    calf is swollen" and "my leg feels weak" could not be heard in any question."""
    heard_signs = 0
    for voice in ["flite:slt", "flite:awb", "flite:kal16", "espeak:en-us+f1",
                  "espeak:en-us+m3"]:
        for question, text, sign in WARNINGS_IN_OTHER_ANSWERS:
            _, slots, _ = meaning(recognizer, text, question, voice)
            heard_signs += sign in slots.get("red_flags", [])
    assert heard_signs >= 31, heard_signs


ASKED_WARNINGS = [("red_flags", "my calf is swollen", "swelling"),
                  ("red_flags", "it looks red", "redness"),
                  ("red_flags", "it feels weak", "weakness"),
                  ("anything_else", "my leg feels weak", "weakness")]


def test_warning_signs_said_with_an_opening_are_heard_when_asked_for(
        recognizer: PocketSphinxRecognizer) -> None:
    """Asked for warning signs, people say "my calf is swollen" or "it feels numb".
    Those sentences were in every other question's grammar but not in this one's, so
    "my calf is swollen" was heard as "my calf is cold" (the list holds "calf is cold")
    by all seven voices tried. Measured on those seven voices, 12 answers each: 37 of 84
    right before, 69 after (43 and 71 at 10 dB). A word that names a category when
    asked ("chest", "color") takes no opening: "my leg is color" is nobody's answer."""
    for question in ["red_flags", "anything_else"]:
        for said in ["my calf is swollen", "it feels numb", "it looks red", "my leg is weak",
                     "it feels cold", "my foot is cold", "it's swollen and warm"]:
            assert recognizer.accepts(question, said), (question, said)
        for made_up in ["my leg is color", "my leg is chest", "i'm hot and swollen"]:
            assert not recognizer.accepts(question, made_up), (question, made_up)
    missed = []
    for voice in ["flite:kal", "espeak:en-us+m3", "espeak:en-us+f1"]:
        for question, text, sign in ASKED_WARNINGS:
            recognizer.new_speaker()
            _, slots, heard = meaning(recognizer, text, question, voice)
            if sign not in slots.get("red_flags", []):
                missed.append((voice, text, heard))
    assert not missed, missed  # measured: 12 of 12 heard (2 of 12 before)


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en-us+f1", "espeak:en-us+m5"])
def test_nothing_else_answers_anything_else(recognizer: PocketSphinxRecognizer,
                                            voice: str) -> None:
    """"Anything else?" "Nothing else." No grammar held it, so it was heard as "not
    enough fluids" or "i got inhalers", answers never given (intents/en/speech.yaml).
    Measured on seven voices: 6 of 7 heard as no, clean and at 10 dB (none before)."""
    recognizer.new_speaker()
    intent, slots, heard = meaning(recognizer, "nothing else", "anything_else", voice)
    assert intent == "deny" and not slots, heard


@pytest.mark.parametrize("voice", ["espeak:en-us+m3", "espeak:en-us+f1", "espeak:en-us+m5"])
def test_longer_ways_of_saying_no_to_the_warning_signs_are_not_warning_signs(
        recognizer: PocketSphinxRecognizer, voice: str) -> None:
    """"Any swelling, numbness...?" "Not that I know of." No grammar held it, so it was
    heard as "i got thick toenails" or "hot to the touch", and "nothing like that" as
    "mostly leg ulcer": all six of these were warning signs nobody had (speech.yaml,
    ``in_some_questions``)."""
    for text in ["not that i know of", "nothing like that"]:
        recognizer.new_speaker()
        intent, slots, heard = meaning(recognizer, text, "red_flags", voice)
        assert intent == "deny" and not slots, (text, heard)


def test_longer_ways_of_saying_no_are_heard_only_where_they_answer(
        recognizer: PocketSphinxRecognizer) -> None:
    """In "when does it come on?" or "how long does it last?" nobody says "not that i
    know of"; there it was where "after my run" and "just seconds" landed."""
    for question in ["red_flags", "triggers", "medications", "anything_else", "relief"]:
        assert recognizer.accepts(question, "not that i know of"), question
    for question in ["location", "side", "onset", "frequency", "duration"]:
        assert not recognizer.accepts(question, "not that i know of"), question
        assert recognizer.accepts(question, "no"), question


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en-us+f1", "espeak:en+f3"])
def test_a_cramp_now_is_heard_said_where_it_is(recognizer: PocketSphinxRecognizer,
                                              voice: str) -> None:
    """"Got a cramp right now?" "Yes, it's in my calf." No grammar held "it's in my"
    before a place: it was heard as "yes it is in spasm" or "destitute what kept" (1 of
    7 development voices right; 7 of 7 after). Asked where, "the back of my calf" was
    heard as "the back of my thigh" (the lists lacked it), a hamstring cramp."""
    recognizer.new_speaker()
    _, slots, heard = meaning(recognizer, "yes it's in my calf", "cramp_now", voice)
    assert slots.get("cramp_now") is True and slots.get("location") == "calf", heard


@pytest.mark.parametrize("voice", ["espeak:en-us+m3", "espeak:en+f2", "espeak:en-us+m5"])
def test_the_back_of_the_calf_is_the_calf(recognizer: PocketSphinxRecognizer,
                                          voice: str) -> None:
    """Heard as "the back of my thigh" before "back of calf" was in the lists."""
    recognizer.new_speaker()
    _, slots, heard = meaning(recognizer, "the back of my calf", "location", voice)
    assert slots.get("location") == "calf", heard


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en+f2", "espeak:en-us+m5"])
def test_two_warning_signs_said_together_are_both_heard(recognizer: PocketSphinxRecognizer,
                                                        voice: str) -> None:
    """"it's swollen and warm" is a whole phrase of the warning-sign question, but the
    grammar search's beams were so tight that the right path was pruned on the way
    through it and no whole phrase was left: heard as "the cold leg", "a excruciating",
    or words the understanding could not place (5 of 7 development voices; 0 after)."""
    recognizer.new_speaker()
    _, slots, heard = meaning(recognizer, "it's swollen and warm", "red_flags", voice)
    assert set(slots.get("red_flags", [])) == {"swelling", "warmth"}, heard


OTHER_ANSWERS = ["rarely", "every week", "a few seconds", "the right one", "I smoke",
                 "in bed", "it woke me up at night", "yes it's easing", "my left calf"]


OUT_OF_STEP_VOICES = ["espeak:en", "flite:kal", "espeak:en-us+m3", "espeak:en+f2",
                      "espeak:en-us+f1", "espeak:en-us+f4", "espeak:en+f3", "espeak:en-us+m5"]


def test_answers_to_another_question_seldom_become_warning_signs(
        recognizer: PocketSphinxRecognizer) -> None:
    """When a conversation gets out of step, an answer lands on the wrong question.
    espeak-ng's default voice at its own pace, in four questions: "rarely" was heard as
    "red" (urgent: a possible clot), "in bed" as "in the red", "I smoke" as "my each leg
    weak": 19 warning signs never said, of 36. With one-word signs heard only after an
    opening ("it's red"): 3. That voice was the luckiest of eight: all eight at their own
    pace gave 47 of 288, and 51 since the grammars' beams were widened (that voice 3 ->
    10, the other seven 44 -> 41; at a calmer 150 words a minute 34 -> 35). Most are
    "a few seconds" heard as "it feels red and hot", with nowhere else to land. Since
    every grammar also hears other questions' answers (openings.yaml, rivals): 20. The
    bound holds that gain: without the rivals it was 51, without the openings about
    half."""
    invented = []
    for voice in OUT_OF_STEP_VOICES:
        for question in ["cramp_now", "relief", "location", "side"]:
            for text in OTHER_ANSWERS:
                recognizer.new_speaker()  # each the first answer: the grammars alone
                _, slots, heard = meaning(recognizer, text, question, voice, 175)
                if slots.get("red_flags"):
                    invented.append((voice, question, text, heard))
    assert len(invented) <= 0.1 * len(OUT_OF_STEP_VOICES) * 4 * len(OTHER_ANSWERS), invented


def test_speech_the_grammar_finds_no_path_for_is_not_a_crash(
        recognizer: PocketSphinxRecognizer) -> None:
    """This utterance left PocketSphinx with no N-best list at all, which raised a
    TypeError and would have ended the conversation."""
    _, slots, _ = meaning(recognizer, "rarely", "medications", "espeak:en", 175)
    assert "red_flags" not in slots


def test_an_utterance_the_recogniser_fails_on_is_taken_as_not_heard(
        caplog: pytest.LogCaptureFixture) -> None:
    """The question is asked again; the conversation and its answers go on."""
    heard = hear_audio(FailingRecognizer(), read_wav(synthesize("my calf")), "location")
    assert heard.text == "" and heard.snr_db is not None
    assert "the recogniser failed" in caplog.text


def test_a_side_is_never_heard_after_my_or_the(recognizer: PocketSphinxRecognizer) -> None:
    """People say "my left calf" and "both my calves", never "my both calves"; "yes, in
    my calf" is an answer to "is it cramping now?" too."""
    for said in ["my left calf", "the right leg", "both calves", "it's both calves",
                 "yes in my calf", "yes my foot"]:
        assert recognizer.accepts("location" if "yes" not in said else "cramp_now", said)
    for said in ["my both toe", "my either thigh", "the both calves", "in my each leg"]:
        assert not recognizer.accepts("location", said), said


@pytest.mark.parametrize(("voice", "text", "place"), [
    ("espeak:en-us+f2", "my foot", "foot"),
    ("espeak:en-us+f2", "yes my foot", "foot"),
    ("espeak:en+f4", "my thigh", "thigh"),
])
def test_a_place_said_alone_is_not_heard_with_a_side_never_said(
        recognizer: PocketSphinxRecognizer, voice: str, text: str, place: str) -> None:
    """These were heard as "my both toe", "yes my both toe" and "my either thigh": the
    right place, but "both legs" too, which no one said (and which matters: a cramp in
    one leg and in both point to different causes)."""
    question = "cramp_now" if text.startswith("yes") else "location"
    _, slots, heard = meaning(recognizer, text, question, voice)
    assert slots.get("location") == place and "side" not in slots, heard


RELIEF_WITH_A_PLACE = [("my calf still hurts", "not_easing"), ("my calf is easing", "easing"),
                       ("my leg is still tight", "not_easing"),
                       ("the left one is better", "easing")]


@pytest.mark.parametrize("voice", ["flite:rms", "espeak:en-us+f2", "espeak:en-us+m3"])
def test_is_it_easing_answered_with_the_place_is_not_heard_as_a_warning_sign(
        recognizer: PocketSphinxRecognizer, voice: str) -> None:
    """Asked "is it easing?", people name the place: "my calf is easing". Before the
    place and a verb could come before the answer (intents/en/openings.yaml, linked),
    the nearest phrases were warning signs: "my calf is tingling", "my foot is pale".
    On ten voices, 38 of 70 such clean answers raised a warning sign no one said; now
    none does, and 65 are right instead of 24."""
    right = 0
    for text, relief in RELIEF_WITH_A_PLACE:
        _, slots, heard = meaning(recognizer, text, "relief", voice)
        assert "red_flags" not in slots, (text, heard)
        right += slots.get("relief") == relief
    assert right >= 3, right


def test_a_warning_sign_named_with_the_place_is_still_heard_when_asked_if_it_eases(
        recognizer: PocketSphinxRecognizer) -> None:
    for said in ["my calf is easing", "my foot still hurts", "the left one feels better"]:
        assert recognizer.accepts("relief", said), said
    for said in ["my calf is swollen", "my leg is numb", "my leg feels weak"]:
        assert recognizer.accepts("relief", said), said
        _, slots, heard = meaning(recognizer, said, "relief", "flite:awb")
        assert slots.get("red_flags"), (said, heard)


def test_which_side_is_heard_with_the_place_said_after_it(
        recognizer: PocketSphinxRecognizer) -> None:
    """Asked which side, people name the place too: "my left calf". The place could only
    come before the side ("my calf left", which nobody says), so these were heard as
    other sides or none ("my lifts calf", "the left and right"): on five voices, 16 of
    40 such answers gave both side and place, and 2 a side never said; now 38, and
    none."""
    for said in ["my left calf", "left calf", "both calves", "the right one"]:
        assert recognizer.accepts("side", said), said
    for said in ["my calf left", "my both legs", "the either leg"]:
        assert not recognizer.accepts("side", said), said
    places = 0
    for voice in ["flite:rms", "flite:awb", "espeak:en-us+f2"]:
        for text, side, place in [("my left calf", "left", "calf"),
                                  ("left calf", "left", "calf"),
                                  ("my right foot", "right", "foot"),
                                  ("both calves", "both", "calf"),
                                  ("my right thigh", "right", "thigh")]:
            _, slots, heard = meaning(recognizer, text, "side", voice)
            assert slots.get("side") == side and "red_flags" not in slots, (voice, heard)
            places += slots.get("location") == place
    # measured: 13 of 15 (two voices hear "my right thigh" as "my right side")
    assert places >= 12, places


YES_OR_NO_WITH_MORE = [("relief", "yes that helps", "easing"),
                       ("relief", "yes it helped", "easing"),
                       ("relief", "no not yet", "not_easing"),
                       ("relief", "no not really", "not_easing"),
                       ("relief", "yes that worked", "easing"),
                       ("relief", "no not much", "not_easing"), ("cramp_now", "yes it hurts", True),
                       ("cramp_now", "no it stopped", False), ("cramp_now", "no not now", False),
                       ("cramp_now", "yes it is cramping", True)]


def test_yes_or_no_followed_by_more_is_heard_when_it_agrees(
        recognizer: PocketSphinxRecognizer) -> None:
    """"Is it easing?" "Yes, that helps." Answers said whole could not follow "yes" or
    "no", so these landed on the nearest phrase with a lead: "yes my calves", "yes it's
    still tight", "no idea". On six voices 79 of 102 yes-or-no answers were right and 9
    wrong; now 96 and 3. Only a reply that agrees may come first: not "no that helps"."""
    for question, said in [("relief", "yes that helps"), ("relief", "no not yet"),
                           ("cramp_now", "no it stopped")]:
        assert recognizer.accepts(question, said), said
    for question, said in [("relief", "no that helps"), ("relief", "yes not yet"),
                           ("cramp_now", "yes it stopped"), ("relief", "yes yes a bit")]:
        assert not recognizer.accepts(question, said), said
    right = 0
    for voice in ["flite:rms", "flite:slt", "espeak:en-us+m3"]:
        for question, text, wanted in YES_OR_NO_WITH_MORE:
            intent, slots, heard = meaning(recognizer, text, question, voice)
            got = slots.get(question)
            if got is None and intent in ("affirm", "deny"):
                got = ("easing" if intent == "affirm" else "not_easing") \
                    if question == "relief" else intent == "affirm"
            assert got in (None, wanted) and "red_flags" not in slots, (voice, text, heard)
            right += got == wanted
    # measured: 30 of 30 (17 before)
    assert right >= 28, right


def test_a_warning_sign_said_as_my_foot_is_cold_is_heard_in_any_question(
        recognizer: PocketSphinxRecognizer) -> None:
    """"Cold" or "hot" alone is no warning sign ("i'm cold"), so no grammar held "my foot
    is cold" or "my leg feels hot" outside the warning-sign question, and these were
    heard as other answers. A carrier now takes such a word when the list holds the
    carrier's last words with it ("foot is cold", "feels hot"). On six voices, 41 of 48
    volunteered warning signs heard instead of 18 (27 of 48 at 10 dB, 13 before)."""
    for question, said in [("location", "my foot is cold"), ("onset", "my leg feels hot"),
                           ("relief", "it feels cold")]:
        assert recognizer.accepts(question, said), said
    for question, said in [("location", "i'm cold"), ("location", "it's cold")]:
        assert not recognizer.accepts(question, said), said
    heard = 0
    for voice in ["flite:rms", "flite:slt", "espeak:en-us+m3"]:
        for question, text, sign in [("location", "my foot is cold", "cold"),
                                     ("onset", "my leg feels hot", "warmth"),
                                     ("relief", "my calf is hot", "warmth"),
                                     ("triggers", "it feels cold", "cold"),
                                     ("side", "my leg is cold", "cold"),
                                     ("duration", "my feet are cold", "cold")]:
            _, slots, _ = meaning(recognizer, text, question, voice)
            heard += sign in (slots.get("red_flags") or [])
    # measured: 16 of 18 (flite:slt hears "cold" as "pale", still a warning sign)
    assert heard >= 15, heard



YES_AND_MORE = [("relief", "yeah a bit", "relief", "easing"),
                ("relief", "yeah a little", "relief", "easing"),
                ("relief", "yes slightly", "relief", "easing"),
                ("relief", "yeah much better", "relief", "easing")]


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en-us+m3", "espeak:en-us+m5"])
def test_yes_with_a_few_words_more_is_heard_when_asked_if_it_is_easing(
        recognizer: PocketSphinxRecognizer, voice: str) -> None:
    """"Is it easing?" "Yeah, a bit." Only "yes a bit" and "yes a little" were in the
    grammar, as the lists write them, and "yes thanks" nowhere ("yes thirty days").
    Seven voices, 29 such and usual answers: 179 of 203 right before, 185 after (10 dB:
    168 to 171); development set identical."""
    wrong = misheard(recognizer, YES_AND_MORE, voice)
    assert not wrong, wrong
    for said in ("yes thanks", "yeah thanks"):
        assert recognizer.accepts("relief", said)
        intent, _, heard = meaning(recognizer, said, "relief", voice)
        assert intent == "affirm", heard


HAVE_A_CRAMP = [("cramp_now", "i've got a cramp", "cramp_now", True),
                ("cramp_now", "i have a cramp", "cramp_now", True),
                ("cramp_now", "yes i've got a cramp", "cramp_now", True),
                ("cramp_now", "i'm having a cramp", "cramp_now", True),
                ("cramp_now", "i've got a charley horse", "cramp_now", True)]


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en-us+m3", "espeak:en-us+f4"])
def test_ive_got_a_cramp_is_heard_as_a_cramp_now(recognizer: PocketSphinxRecognizer,
                                                 voice: str) -> None:
    """The first thing most people will say. The lists write "have got cramp" (the text
    understanding drops "a"), so no grammar held "i've got a cramp": it was heard as "i
    got to" or "i got had cramp", a cramp in the past, and the stretch was not offered.
    Seven voices, 24 such and usual answers: 133 of 168 right before, 148 after (10 dB:
    99 to 105). "I had a cramp" is left out on purpose: "i have a cramp" was heard as it
    when it was in."""
    wrong = misheard(recognizer, HAVE_A_CRAMP, voice)
    assert not wrong, wrong
    assert not recognizer.accepts("cramp_now", "i had a cramp")


CRAMP_AND_PLACE = [("cramp_now", "i've got a cramp in my calf", "location", "calf"),
                   ("cramp_now", "i have a cramp in my foot", "location", "foot"),
                   ("cramp_now", "i've got a cramp in my right foot", "side", "right"),
                   ("cramp_now", "i've got a cramp in the back of my thigh", "location",
                    "back_thigh")]


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en+f2", "espeak:en-us+m5"])
def test_where_the_cramp_is_is_heard_after_ive_got_a_cramp(
        recognizer: PocketSphinxRecognizer, voice: str) -> None:
    """"I've got a cramp in my left calf": the cramp was heard, the place was not (the
    skill stretched the calf it assumed and asked where later). Now a place may follow
    the cramp-now answers that start with have, got or having (openings.yaml,
    place_after). Seven voices, 32 such and usual answers: 150 of 224 right before, 198
    after (10 dB: 112 to 142)."""
    wrong = misheard(recognizer, CRAMP_AND_PLACE, voice)
    assert not wrong, wrong
    _, slots, heard = meaning(recognizer, "i've got a cramp in my right foot", "cramp_now",
                              voice)
    assert slots.get("cramp_now") is True, heard


A_BIT = [("relief", "a bit", "relief", "easing"),
         ("relief", "a little", "relief", "easing"),
         ("relief", "a bit better", "relief", "easing")]


@pytest.mark.parametrize("voice", ["espeak:en-us+m3", "espeak:en-us+f1"])
def test_a_bit_is_not_heard_as_a_place_when_asked_if_it_is_easing(
        recognizer: PocketSphinxRecognizer, voice: str) -> None:
    """"Is it easing?" "A bit." It was heard as "an big toe" or "legal": the relief
    question took "a" before a place, which nobody says. It no longer takes leads that
    end in "a" (openings.yaml, leads_not_in); "a bit better" is in the lists whole.
    Seven voices, 29 such and usual answers: 185 of 203 right before, 187 after (10 dB:
    171 to 173)."""
    wrong = misheard(recognizer, A_BIT, voice)
    assert not wrong, wrong
    assert not recognizer.accepts("relief", "an big toe")


PLACES = [("location", "calf", "location", "calf"),
          ("relief", "my calf is easing", "relief", "easing"),
          ("relief", "my foot still hurts", "relief", "not_easing")]


@pytest.mark.parametrize("voice", ["flite:kal", "espeak:en-us+m3"])
def test_a_place_is_not_heard_where_no_one_puts_one(
        recognizer: PocketSphinxRecognizer, voice: str) -> None:
    """"Where is it?" "Calf." was heard as "i have toe", and "my calf is easing" as "my
    calf at the front": any lead could go before a place, a place could follow a place
    and a verb, and "front" was a place in every question. Now only a few leads go right
    before a place, a place the question also takes has a side before it, and "front"
    or "at the back" are places only when asked where (openings.yaml). Seven voices, 42
    such and usual answers: 254 of 294 right before and after clean (one answer gained,
    one out of the grammar lost), 206 -> 214 at 10 dB; development set identical."""
    wrong = misheard(recognizer, PLACES, voice)
    assert not wrong, wrong


SAME_OR_EASING = [("relief", "it's the same", "relief", "not_easing"),
                  ("relief", "it's starting to ease", "relief", "easing")]


@pytest.mark.parametrize("voice", ["espeak:en+f3", "espeak:en-us+m5"])
def test_it_is_the_same_is_not_heard_as_easing(recognizer: PocketSphinxRecognizer,
                                               voice: str) -> None:
    """"Is it easing?" "It's the same." No grammar held it, and it was heard as "it's
    letting go": the skill moved on while the cramp held. "It hurts" was understood as
    nothing; "sort of" and "it's starting to ease" were in no list (lists.yaml). Seven
    voices, 37 such and usual answers: 217 of 259 right before, 231 after (10 dB: 207
    to 216); development set identical."""
    wrong = misheard(recognizer, SAME_OR_EASING, voice)
    assert not wrong, wrong


@pytest.mark.parametrize(("question", "words", "finished"), [
    ("onset", "at night", True),  # nothing follows it
    ("location", "my left calf", True),  # "my left calf muscle" means the same
    ("relief", "yes it's easing", True),  # and "yes it's easing off"
    ("location", "my calf", False),  # "my calf is swollen" says more
    ("cramp_now", "yes", False),  # "yes my calf"
    ("red_flags", "no", False),  # "no feeling" is a warning sign
    ("location", "calf calf", False),  # no phrase at all
])
def test_an_answer_is_finished_when_nothing_the_grammar_could_add_changes_it(
        recognizer: PocketSphinxRecognizer, question: str, words: str, finished: bool) -> None:
    """What lets the microphone end an answer sooner (``audio.endpoint``)."""
    assert recognizer.finished(question, words) is finished



MURMURED = [("um", "flite:slt"), ("er", "flite:awb"), ("uh", "flite:kal16"),
            ("um uh", "flite:rms"), ("[[hm: hm:]]", "espeak:en-us+f4"),
            ("[[hm:]]", "espeak:en-us+f3"), ("[[m::]]", "espeak:en-us+f4"),
            ("ah", "espeak:en-us+f4")]
"""Sounds made while thinking, as the test voices make them (flite and espeak-ng spell
out "hmm", so the hums are espeak-ng phonemes)."""


def test_murmurs_are_heard_as_thinking_not_as_answers(
        recognizer: PocketSphinxRecognizer) -> None:
    """Asked any question, "um", "er" or a hum is mostly heard as someone thinking, and
    seldom as an answer or a warning sign. Before the grammars listened for murmurs, the
    benchmark voices' murmurs were taken as answers 80% of the time, and 17% as warning
    signs ("hmm" as "the numb"; BENCHMARKS.md). Measured here: 69 of 96 heard as
    thinking, 12 not heard at all (a long "mmm"); taken: flite slt's "um" as "none" in
    every question, kal16's "uh" as "both" once and as "breath" (a warning sign) twice,
    in the questions that take it alone."""
    outcomes: dict[str, list[tuple[str, str, str]]] = {}
    for text, voice in MURMURED:
        for question in QUESTIONS:
            recognizer.new_speaker()
            intent, slots, heard = meaning(recognizer, text, question, voice)
            kind = "warning" if slots.get("red_flags") else intent
            outcomes.setdefault(kind, []).append((text, question, heard))
    said = len(MURMURED) * len(QUESTIONS)
    assert len(outcomes.get("warning", [])) <= 2, outcomes["warning"]
    taken = [x for kind, xs in outcomes.items()
             if kind not in ("hesitation", "unknown", "empty") for x in xs]
    assert len(taken) <= 0.2 * said, taken
    assert len(outcomes.get("hesitation", [])) >= 0.7 * said


HURTING = [("ouch", "flite:kal16"), ("ow ow", "flite:rms"), ("ouch", "espeak:en-us+f4"),
           ("it's back", "flite:slt"), ("it's back", "flite:kal16"),
           ("it's cramping again", "flite:awb"), ("here it goes again", "espeak:en-us+f3")]


def test_ouch_and_its_back_are_heard_as_hurting_in_every_question(
        recognizer: PocketSphinxRecognizer) -> None:
    """Every grammar listens for sounds of pain and for the cramp being back. Before
    they did, "it's back" came out as answers in most questions and as a warning sign
    in about one in four (development voices, ``bench.hurting``). Measured here: 77 of
    84 heard as hurting, none as a warning sign; where a place is an answer, kal16's
    "ouch" came out as "arch" and rms's "ow ow" as "both toe"."""
    hurting, other = 0, []
    for text, voice in HURTING:
        for question in QUESTIONS:
            recognizer.new_speaker()
            intent, slots, heard = meaning(recognizer, text, question, voice)
            assert not slots.get("red_flags"), (text, voice, question, heard)
            if intent in ("pain", "cramp_again") or slots.get("cramp_now") is True \
                    or slots.get("relief") == "not_easing":
                hurting += 1
            else:
                other.append((text, voice, question, heard))
    assert hurting >= 0.85 * len(HURTING) * len(QUESTIONS), other
