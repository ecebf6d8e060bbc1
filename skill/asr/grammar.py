"""Per-question speech grammars, built from the hassil lists and templates in intents/.

Restricting what a recogniser listens for to what the current question
accepts (plus the global phrases and, always, the warning signs) is what makes
small offline models accurate. Two forms come from the same data:

- ``jsgf(expecting)``: a flat JSGF grammar for PocketSphinx:
  ``[lead] [companion] answer [follower] | [yes | no] whole | taught | request [please] |
  reply | warning``, where a lead ending in "my" or "the" takes no side starting with "both"
  or "either" ("my both calves" is nobody's answer) and no answer starting with an
  article ("the a minute"); some leads only some questions take ("i'm pregnant" when
  asked about triggers), and only a few go right before a place ("mostly calves", not
  "i am big toe"); and in "is it easing?" a verb may
  follow the place ("my calf is easing"; all in intents/en/openings.yaml). The
  companion is a slot said before the answer ("my *left* calf" when asked where), the
  follower one said after it, only after a one-word answer ("my left *calf*" when
  asked which side). A place a question also takes ("yes, my calf" when asked if it is
  a cramp now) has its own lead and companion, a side ("yes, my left calf"): the
  question's companions are for its own answers ("my calf is easing", not "my calf is
  big toe"); and of the words that are a place only when asked where ("front", "at
  the back"), other questions listen only for "leg" ("yes, my leg"). In questions
  asked as yes or no, "yes" or "no" may come before an answer said whole when it
  agrees with it ("yes that helps", "no not yet"), and "yes" or "yeah" before an
  answer that itself means yes ("yeah much better").
  Flat, short lists keep PocketSphinx fast (tens of milliseconds); nested template rules or
  thousands of alternatives make its search explode. So each slot value contributes its
  shortest few ways of being said, with "the" where people say it and the lists leave
  it out ("during the night"); the text understanding still knows all.
- ``phrases(expecting)``: whole phrases for vosk (which builds a bigram model
  from the list) and for snapping a result to the nearest phrase.

``taught`` are the example answers the skill itself offers for the question
(responses/), so whatever it tells people to say, it can hear. ``request`` are
the global phrases (help, repeat, stop...) and ``reply`` yes, no and the cramp being
back ("it's back"), from intents/en/speech.yaml: short lists on purpose, as every short
alternative is somewhere an unrelated answer can land; "please" follows only a request.
``murmur`` and ``pain`` are sounds made while thinking ("um") and in pain ("ow"), so
that they are heard as themselves (``murmur_words``, ``pain_words``).
``warning`` are the warning signs, in questions that do not ask for them: a
one-word sign only after a carrier ("my calf is swollen", "i'm breathless";
intents/en/openings.yaml), a longer one with or without, but not after a bare "the";
and a word that is a sign only with the carrier's last words ("my foot is cold": the
list holds "foot is cold"). Alone, a short word like "red" is where misheard answers
land ("rarely" heard as "red"), and "the red and swollen" where "a statin" did. In the
questions that ask for warning signs, a one-word sign or a carried one may follow a
carrier too ("my calf is swollen", "it feels cold"; ``asked_sign_carriers``).
``rival`` are answers to other questions (``rival_phrases``), so that an answer given
to the wrong question lands on itself rather than on a warning sign.

Words the recogniser cannot say are left out, with the phrases that need them
(``dropped`` lists them, for a warning).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from hassil import Intents, TextSlotList, sample_expression

from ..data import load_yaml
from ..nlu.understand import Understander
from ..responses import default_responses

_CLEAN = re.compile(r"[^a-z' ]+")
SAFETY_LISTS = ("red_flags",)
"""Lists every grammar includes, whatever was asked: a warning sign is always heard."""
ANYTHING_ELSE_LISTS = ("red_flags", "triggers", "medications", "conditions")
COMPANIONS: dict[str | None, tuple[str, ...]] = {
    "location": ("side",), "cramp_now": ("side",), "relief": ("side", "location"),
}
"""Slots often said just before an answer ("my *left* calf", "my *calf* is easing")."""
FOLLOWERS: dict[str | None, tuple[str, ...]] = {"side": ("location",)}
"""Slots often said just after the one asked ("which side?" "my left *calf*")."""
EXTRA_ANSWERS: dict[str | None, tuple[str, ...]] = {
    "cramp_now": ("location",), "relief": ("location",),
}
"""Slots whose answers a question also takes ("yes, my calf"): each with its own
companions ("yes, my *left* calf"), not the question's ("my calf is easing", not "my
calf is big toe")."""
BODY_PART_LISTS = ("location",)
"""Lists whose "front of thigh" people say as "front of my thigh" (not "couple of my times")."""
REPLIES = ("Affirm", "Deny", "CrampAgain")
"""The intents in speech.yaml said as they are (yes, no, "it's back"): "please" follows
only the others, which are requests ("slower please")."""
Run = tuple[tuple[str, ...], tuple[str, ...]]
"""Words as the lists write them, and as people also say them."""
_PRONOUNS = ("i", "it", "that", "there", "what", "he", "she", "you", "we", "they")
PHRASES_PER_VALUE = 40
RIVALS_PER_VALUE = 3
"""How many ways of saying each answer to another question a grammar listens for
(openings.yaml, rivals). Development set, seven voices, right answers with and
without them: clean 283 -> 281 of 287, 15 dB 270 -> 270, 10 dB 264 -> 263; no
false warning signs either way; warning signs said in other questions ("it feels
numb" asked where) heard 372 of 385 either way."""
SAFETY_PHRASES_PER_VALUE = 3
MURMURS_IN_A_ROW = 2
"""How many sounds made while thinking ("hmm", "um", "er") a grammar hears in a row, as
one more alternative beside the answers (``murmur_words``). Development set
(``bench.murmurs --dev``: three voices, 636 murmurs and 120 sounds with no answer, each
in all twelve questions; and 123 answers clean, at 15 and at 10 dB), murmurs taken as
an answer (of them warning signs), other sounds taken, answers right:

- without: 596 (66), 60 (8), 123 / 117 / 114;
- two in a row: 87 (10), 24 (4), 123 / 115 / 114 ("both" heard as "uh ooh" and "no,
  none" as "umm um" at 15 dB; 116 at 15 dB once a murmur heard in only some renderings
  of noisy speech gives way to words, ``PocketSphinxRecognizer._words``). Most of the
  87 are "la la la", "blah blah" and "hum hum", which are not listened for: with "la"
  and "blah" as murmurs, 54, but "nope" and "both" were heard as "la ooh" at 15 dB
  ("hum" would take "mhm", a yes); and "oh", which is not listened for either
  (normalize.yaml);
- three in a row (with "la" and "blah"): 18 (2), 24 (4), 122 / 113 / 112: the murmurs
  take the place of the words of noisy answers;
- any number: 3 of 540, answers 116 / 112 / 103.

A lower weight for the murmurs in the grammar (0.1) changed nothing: the sounds decide."""
_NUMBER_WORDS = {
    0: "zero", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
    8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve", 15: "fifteen",
    20: "twenty", 30: "thirty", 32: "thirty two", 40: "forty", 45: "forty five",
    50: "fifty", 60: "sixty",
}


def spoken_words(text: str) -> list[str]:
    """Lower-case words as a recogniser says them ("10" -> "ten")."""
    out = []
    for token in text.lower().replace("-", " ").split():
        if token.isdigit():
            out.extend(_NUMBER_WORDS.get(int(token), token).split())
        else:
            token = _CLEAN.sub("", token).strip("'")
            if token:
                out.append(token)
    return out


@dataclass
class GrammarBuilder:
    understander: Understander
    known: Callable[[str], bool] = field(default=lambda word: True)
    """Whether the recogniser can say a word (its dictionary)."""
    dropped: set[str] = field(default_factory=set)
    """Words left out because the recogniser does not know them."""
    taught: Callable[[str | None], list[str]] = field(default=lambda asked: _examples(asked))
    """The example answers the skill offers for a question."""
    _made: dict[tuple[str, int, bool], list[str]] = field(default_factory=dict, repr=False)
    """Each list's phrases, worked out once (``_list_phrases``)."""

    @property
    def intents(self) -> Intents:
        return self.understander.all_intents

    def answer_lists(self, expecting: str | None, extra: bool = True) -> list[str]:
        """The slot lists a question accepts as answers, with those of the slots it also
        takes if ``extra`` (the safety lists it does not ask for are ``warning_lists``)."""
        slots: tuple[str, ...] = ANYTHING_ELSE_LISTS \
            if expecting in (None, "anything_else") else (expecting or "",)
        if extra:
            slots += EXTRA_ANSWERS.get(expecting, ())
        wanted = [name for slot in slots
                  for name in (slot, f"{slot}_when_asked", f"{slot}_ambiguous")
                  if isinstance(self.intents.slot_lists.get(name), TextSlotList)]
        return wanted

    def warning_lists(self, expecting: str | None) -> list[str]:
        """The safety lists this question does not ask for: heard as warnings, not answers."""
        if expecting in (None, "anything_else"):
            return []
        return [name for name in SAFETY_LISTS if name != expecting]

    # -- JSGF for PocketSphinx -----------------------------------------------------
    def jsgf(self, expecting: str | None) -> str:
        signs = self.warning_phrases(expecting)
        groups = self._answer_groups(expecting)
        said = [p for phrases in groups for p in phrases]
        asked_signs = self.asked_sign_words(expecting)
        answers = [p for p in groups[0] if not self._whole(p, expecting)]
        places = [p for phrases in groups[1:] for p in phrases if not self._whole(p, expecting)]
        wholes = [p for p in said if self._whole(p, expecting)]
        companions = self._companion_phrases(expecting)
        place_companions = self._slot_phrases(COMPANIONS.get("location", ()))
        leads = [lead for lead in self._openings["leads"]
                 if lead not in self._openings.get(f"leads_not_in:{expecting}", [])]
        leads += self._openings.get(f"leads_in:{expecting}", [])
        determiner_leads = [p for p in leads if self._ends_in_determiner(p)]
        open_leads = self._open_leads(leads, expecting)
        place_open_leads = self._open_leads(leads, "location")
        yes_no = expecting in self._openings["yes_or_no"]
        rules = {
            "lead": _alternatives(p for p in leads if p in determiner_leads or p in open_leads),
            "open_lead": _alternatives(open_leads),
            "determiner_lead": _alternatives(determiner_leads),
            "companion": _alternatives(companions),
            "determined_companion": _alternatives(p for p in companions
                                                  if self._after_a_determiner(p)),
            "place_lead": _alternatives(p for p in leads
                                        if p in determiner_leads or p in place_open_leads),
            "place_open_lead": _alternatives(place_open_leads),
            "place_companion": _alternatives(place_companions if places else []),
            "determined_place_companion": _alternatives(
                p for p in place_companions if places and self._after_a_determiner(p)),
            "place_answer": _alternatives(places),
            "determined_place_answer": _alternatives(p for p in places
                                                     if self._after_a_determiner(p)),
            "link": _alternatives(self._openings.get(f"linked:{expecting}", [])),
            "doing_lead": _alternatives(self._openings.get(f"doing:{expecting}", [])),
            "doing": _alternatives(p for p in answers
                                   if self._starts_with(p, f"doing_before:{expecting}")),
            "place_opening": _alternatives(self._openings.get(f"doing_place:{expecting}", [])),
            "place_side": _alternatives(p for p in place_companions
                                        if " " not in p and self._after_a_determiner(p)),
            "place": _alternatives(p for p in self._slot_phrases(("location",))
                                   if self._after_a_determiner(p)),
            "answer": _alternatives(answers),
            "determined_answer": _alternatives(p for p in answers
                                               if self._after_a_determiner(p)),
            "follower": _alternatives(self._follower_phrases(expecting)),
            "bare_answer": _alternatives(p for p in answers if " " not in p),
            "determined_bare_answer": _alternatives(
                p for p in answers if " " not in p and self._after_a_determiner(p)),
            "whole": _alternatives(wholes),
            "after_yes": _alternatives(self._after_yes(said, expecting) if yes_no else []),
            "after_no": _alternatives(p for p in wholes if yes_no and
                                      self._agrees(p, "no", None, expecting)),
            "taught": _alternatives(self.taught_phrases(expecting)),
            "request": _alternatives(self.request_phrases()),
            "reply": _alternatives(self.reply_phrases(expecting)),
            "carrier": _alternatives(self._openings["warning_carriers"] if signs else []),
            "asked_carrier": _alternatives(self._openings["asked_sign_carriers"]
                                           if asked_signs else []),
            "asked_sign": _alternatives(p for p in asked_signs if self._describes(p)),
            "asked_carried_sign": _alternatives(self.asked_carried_signs(expecting)),
            "describing_carrier": _alternatives(
                p for p in self._openings["warning_carriers"]
                if signs and p not in self._openings["naming_carriers"]),
            "describing_word": _alternatives(p for p in signs
                                             if " " not in p and self._describes(p)),
            "naming_carrier": _alternatives(p for p in self._openings["naming_carriers"]
                                            if signs and p in self._openings["warning_carriers"]),
            "naming_word": _alternatives(p for p in signs if " " not in p and self._names(p)),
            "warning_phrase": _alternatives(p for p in signs if " " in p),
            "carried_sign": _alternatives(self.carried_signs(expecting)),
            "rival": _alternatives(self.rival_phrases(expecting)),
        }
        top = [head for prefix in ("", "place_") if (head := _answer_head(rules, prefix))]
        if rules["follower"] and rules["bare_answer"]:
            # "which side?" "my left calf": a place after a one-word answer only
            # ("both legs foot" is nobody's answer; an optional place after every
            # answer took the end of "the right one" as another word)
            top.append("([<open_lead>] <bare_answer> | <determiner_lead> "
                       "<determined_bare_answer>) <follower>"
                       if rules["determined_bare_answer"]
                       else "[<open_lead>] <bare_answer> <follower>")
        if rules["doing_lead"] and rules["doing"]:
            # "when i'm sitting", not "when i'm at bedtime"; "i've got a cramp in my calf"
            place = " [<place_opening> [<place_side>] <place>]" if rules["place_opening"] else ""
            top.append(f"<doing_lead> <doing>{place}")
        if rules["asked_sign"]:
            top.append("<asked_carrier> <asked_sign>")  # asked for: "my calf is swollen"
        if rules["asked_carried_sign"]:
            top.append("<asked_carried_sign>")  # asked for: "it feels cold"
        if rules["whole"]:
            top.append("<whole>")  # "ow", "it is gone": nothing goes before them
        if rules["after_yes"]:
            top.append(f"{_alternatives(self._openings['yes_words'])} <after_yes>")
            # "yes that helps", "yeah it is", not "yes it is gone"
        if rules["after_no"]:
            top.append("no <after_no>")  # "no not yet", not "no that helps"
        if rules["taught"]:
            top.append("<taught>")
        if rules["request"]:
            top.append("<request> [please]")  # "slower please", "repeat please"
        if rules["reply"]:
            top.append("<reply>")  # yes and no: "nothing please" is nobody's answer
        if rules["warning_phrase"]:
            # "the calf swollen and warm": a longer sign may also follow the companion slot;
            # not a bare "the" ("the red and swollen" was where noisy answers landed)
            place = next((name for name in ("companion", "place_companion", "follower")
                          if rules[name]), "")
            before = f"[the] <{place}> | " if place else ""
            top.append(f"[{before}<carrier>] <warning_phrase>")
        if rules["describing_word"]:
            top.append("<describing_carrier> <describing_word>")  # "it's red", "i'm weak"
        if rules["naming_word"]:
            top.append("<naming_carrier> <naming_word>")  # "i have redness"
        if rules["carried_sign"]:
            top.append("<carried_sign>")  # "my foot is cold", "my leg feels hot"
        if rules["rival"]:
            top.append("<rival>")  # out of step: "a few seconds" asked where it is
        rules["murmur"] = _alternatives(self.murmur_words())
        if rules["murmur"]:
            # "hmm", "um er": heard as themselves, not as the answer they sound most like
            top.append(" ".join(["<murmur>"] + ["[<murmur>]"] * (MURMURS_IN_A_ROW - 1)))
        rules["pain"] = _alternatives(self.pain_words())
        if rules["pain"]:
            top.append("<pain> [<pain>]")  # "ow", "ouch ouch": it hurts
        lines = ["#JSGF V1.0;", "grammar cramp;", "public <s> = " + " | ".join(top) + ";"]
        lines += [f"<{name}> = {body};" for name, body in rules.items()
                  if body and f"<{name}>" in lines[-1]]
        return "\n".join(lines) + "\n"

    def rival_phrases(self, expecting: str | None) -> list[str]:
        """Answers to other questions (openings.yaml, rivals), so that one given to the
        wrong question lands on itself, not on a warning sign: the phrases of two words
        or more this grammar does not already hold, none of them a warning sign, and
        none in the questions that ask for warning signs."""
        if expecting in (None, "anything_else", *SAFETY_LISTS):
            return []
        own = set(self.answer_phrases(expecting) + self.taught_phrases(expecting)
                  + self.common_phrases() + self.reply_phrases(expecting))
        rivals = [phrase for slot in self._openings["rivals"]
                  if slot != expecting and slot not in EXTRA_ANSWERS.get(expecting, ())
                  for phrase in self._slot_phrases((slot,), RIVALS_PER_VALUE)
                  if " " in phrase and phrase not in own]
        return [phrase for phrase in dict.fromkeys(rivals)
                if not self.understander.understand(phrase, expecting).slots.get("red_flags")]

    def murmur_words(self) -> list[str]:
        """The sounds made while thinking that the grammars listen for (normalize.yaml,
        murmurs) and the recogniser can say; those it cannot are simply left out."""
        return sorted(w for w in self.understander.rules.murmurs_heard if self.known(w))

    def pain_words(self) -> list[str]:
        """The sounds of pain that the grammars listen for (normalize.yaml, pain_sounds)
        and the recogniser can say, up to two in a row ("ow ow").

        Development set (``bench.hurting --dev``, three voices, six sounds of pain in
        all twelve questions), heard as pain before -> after: 8 -> 143 of 216, warning
        signs 14 -> 1; murmurs (``bench.murmurs --dev``) heard as pain 55 of 636 ("oh" and
        "uh" as "ow ow"), warning signs 10 -> 8; answers clean / 15 / 10 dB unchanged.
        Not listened for: "argh" ("er" and "ugh" were heard as it: 81 murmurs heard as
        pain with it); one sound only: 97 of 216 heard."""
        return sorted(w for w in self.understander.rules.pain_sounds_heard if self.known(w))

    def answer_phrases(self, expecting: str | None) -> list[str]:
        """The shortest few ways of saying each value the question accepts."""
        return [p for phrases in self._answer_groups(expecting) for p in phrases]

    def _answer_groups(self, expecting: str | None, per_value: int = PHRASES_PER_VALUE
                       ) -> list[list[str]]:
        """The question's answers by the slot they answer: its own first, then those of
        each slot it also takes (EXTRA_ANSWERS), as said outside their own question."""
        own: list[str] = []
        for name in self.answer_lists(expecting, extra=False):
            own.extend(p for p in self._list_phrases(name, per_value, exact_list=True)
                       if p not in own)
        groups = [own]
        for slot in EXTRA_ANSWERS.get(expecting, ()):
            seen = {p for phrases in groups for p in phrases}
            groups.append([p for p in self._slot_phrases((slot,), per_value) if p not in seen])
        return groups

    def asked_sign_phrases(self, expecting: str | None,
                           per_value: int = PHRASES_PER_VALUE) -> list[str]:
        """The warning signs a question asks for (the warning-sign question, "anything
        else?"), from the sign lists themselves: not the words that answer the
        question's categories ("chest", "color"), as "my leg is color" is where "my leg
        is cold" landed."""
        return [p for name in self.answer_lists(expecting) if name in SAFETY_LISTS
                for p in self._list_phrases(name, per_value, exact_list=True)]

    def asked_sign_words(self, expecting: str | None) -> list[str]:
        """The one-word signs of ``asked_sign_phrases``, said after a carrier in those
        questions: "my calf is swollen", "it feels numb"."""
        return [p for p in self.asked_sign_phrases(expecting) if " " not in p]

    def asked_carried_signs(self, expecting: str | None) -> list[str]:
        """In the questions that ask for warning signs, a carrier with a word that is a
        sign with the carrier's last words ("it feels cold": the list holds "feels
        cold")."""
        return _carried(self._openings["asked_sign_carriers"],
                        self.asked_sign_phrases(expecting, per_value=10_000),
                        self.asked_sign_words(expecting), self._said_after)

    def warning_phrases(self, expecting: str | None,
                        per_value: int = SAFETY_PHRASES_PER_VALUE) -> list[str]:
        """The shortest few ways of saying each warning sign the question does not ask for."""
        return list(dict.fromkeys(p for name in self.warning_lists(expecting) for p in
                                  self._list_phrases(name, per_value, exact_list=True)))

    def carried_signs(self, expecting: str | None) -> list[str]:
        """A carrier with a word that makes a warning sign only after it: "my foot is
        cold" because the list holds "foot is cold", "my leg feels hot" because it holds
        "feels hot" (alone, "cold" or "hot" is no warning sign: "i'm cold" is not)."""
        return _carried(self._openings["warning_carriers"],
                        self.warning_phrases(expecting, per_value=10_000),
                        [sign for sign in self.warning_phrases(expecting) if " " not in sign],
                        self._said_after)

    def common_phrases(self) -> list[str]:
        """The global phrases and yes/no every grammar listens for (speech.yaml)."""
        return list(dict.fromkeys(self.request_phrases() + self.reply_phrases()))

    def request_phrases(self) -> list[str]:
        """The global requests (help, repeat, stop...): "please" may follow them."""
        return list(self._common[0])

    def reply_phrases(self, expecting: str | None = None) -> list[str]:
        """Yes and no, which are said as they are, with the longer ways of saying no
        that ``expecting`` also hears (speech.yaml, ``in_some_questions``)."""
        return list(dict.fromkeys(self._common[1] + self._replies_in.get(expecting, ())))

    @cached_property
    def _openings(self) -> dict[str, list[str]]:
        """openings.yaml, read once: the leads and the warning carriers, as the
        recogniser can say them, and the words that start an answer whole on its own."""
        data = load_yaml("intents", "en", "openings.yaml")
        openings = {key: self._sayable(str(p) for p in data[key])
                    for key in ("leads", "warning_carriers", "asked_sign_carriers",
                                "naming_carriers")}
        for key in ("said_with_the", "said_with_a"):
            openings[key] = _spoken(data.get(key) or [])
        for key in ("whole_on_their_own", "determiners", "not_after_a_determiner",
                    "naming_signs", "naming_and_describing"):
            openings[key] = _spoken(data[key])
        openings["yes_or_no"] = [str(question) for question in data.get("yes_or_no") or []]
        openings["rivals"] = [str(slot) for slot in data.get("rivals") or []]
        openings["yes_words"] = self._sayable(str(word) for word in data["yes_words"])
        openings["said_in_any_question"] = _spoken(data["said_in_any_question"])
        for key in ("leads_in", "leads_not_in", "linked", "open_leads_before"):
            # per question or slot: "leads_in:triggers"
            for question, phrases in (data.get(key) or {}).items():
                openings[f"{key}:{question}"] = self._sayable(str(p) for p in phrases)
        for question, words in (data.get("whole_in") or {}).items():
            openings[f"whole_in:{question}"] = _spoken(words)
        for question, doing in (data.get("doing") or {}).items():
            openings[f"doing:{question}"] = self._sayable(str(lead) for lead in doing["leads"])
            openings[f"doing_before:{question}"] = _spoken(doing["before"])
            openings[f"doing_place:{question}"] = self._sayable(
                str(opening) for opening in doing.get("place_after") or [])
        return openings

    def _describes(self, word: str) -> bool:
        """Whether a one-word sign describes the leg, said after "it's" or "my calf is"."""
        return word not in self._openings["naming_signs"]

    def _names(self, word: str) -> bool:
        """Whether a one-word sign names what is wrong, said after "i have"."""
        return (word in self._openings["naming_signs"]
                or word in self._openings["naming_and_describing"])

    def _said_after(self, carrier: str, sign: str) -> bool:
        """Whether ``sign`` may follow ``carrier``: any longer sign, and a one-word one
        that names what is wrong after "i have", one that describes the leg after the
        others ("it's red", "i have redness"; not "i'm redness")."""
        if " " in sign:
            return True
        if carrier in self._openings["naming_carriers"]:
            return self._names(sign)
        return self._describes(sign)

    def _open_leads(self, leads: list[str], slot: str | None) -> list[str]:
        """The leads that do not end in "my" or "the", as said right before an answer
        of ``slot`` (openings.yaml, open_leads_before: "mostly calves", not "i am
        calves")."""
        allowed = self._openings.get(f"open_leads_before:{slot}")
        return [lead for lead in leads if not self._ends_in_determiner(lead)
                and (allowed is None or lead in allowed)]

    def _ends_in_determiner(self, lead: str) -> bool:
        return lead.split()[-1] in self._openings["determiners"]

    def _agrees(self, phrase: str, reply: str, opposite: str | None,
                expecting: str | None) -> bool:
        """Whether ``reply`` ("yes", "no") may come before an answer said whole: the
        two mean what the answer means alone, and the ``opposite`` reply before it
        would not ("no that helps" contradicts itself; "yes not yet" is where a
        misheard "no not yet" lands just as well, so "not yet" only follows "no")."""
        def meant(text: str) -> tuple[str, dict[str, object]]:
            understood = self.understander.understand(text, expecting)
            return understood.intent, understood.slots

        if phrase.split()[0] in ("yes", "no"):
            return False
        alone = meant(phrase)
        return meant(f"{reply} {phrase}") == alone and (
            opposite is None or meant(f"{opposite} {phrase}") != alone)

    def _after_yes(self, said: list[str], expecting: str | None) -> list[str]:
        """What may follow a way of saying yes: an answer said whole that agrees with it
        ("yes that helps", "yeah it is"), an answer that itself means yes ("yeah much
        better", "yes slightly"), and the rest of an answer the lists write with "yes"
        ("yes a bit", so "yeah a bit" too)."""
        rest = [p.split(" ", 1)[1] for p in said if p.startswith("yes ")]
        agreeing = [p for p in said if (self._whole(p, expecting) or self._means_yes(
            p, expecting)) and self._agrees(p, "yes", "no", expecting)]
        return list(dict.fromkeys(rest + agreeing))

    def _means_yes(self, phrase: str, expecting: str | None) -> bool:
        return self.understander.understand(phrase, expecting).yes_no == "affirm"

    def _starts_with(self, phrase: str, key: str) -> bool:
        """Whether a phrase's first word is one openings.yaml lists under ``key``."""
        return phrase.split()[0] in self._openings.get(key, [])

    def _after_a_determiner(self, phrase: str) -> bool:
        """Whether a phrase may follow "my" or "the" ("left leg", not "both legs")."""
        return not self._starts_with(phrase, "not_after_a_determiner")

    def _whole(self, phrase: str, expecting: str | None) -> bool:
        """Whether an answer is said as it is, with no lead or side before it."""
        return self._starts_with(phrase, "whole_on_their_own") or \
            self._starts_with(phrase, f"whole_in:{expecting}")

    @cached_property
    def _speech(self) -> dict[str, Any]:
        """speech.yaml, read once: the phrases every question hears, by intent, and
        ``in_some_questions``."""
        spoken: dict[str, Any] = load_yaml("intents", "en", "speech.yaml")
        return spoken

    @cached_property
    def _common(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """speech.yaml as (requests, replies): every question's grammar uses the same
        lists."""
        def said(replies: bool) -> tuple[str, ...]:
            return tuple(self._sayable(dict.fromkeys(
                phrase for intent, phrases in self._speech.items()
                if intent != "in_some_questions" and (intent in REPLIES) == replies
                for phrase in _spoken(phrases))))
        return said(replies=False), said(replies=True)

    @cached_property
    def _replies_in(self) -> dict[str | None, tuple[str, ...]]:
        """speech.yaml's ``in_some_questions``: the replies each question hears besides
        every question's. Each group names its intent, for the people who edit it and
        for a test that checks the phrases mean it; all are replies (yes or no), said
        as they are."""
        heard: dict[str | None, list[str]] = {}
        for group in self._speech.get("in_some_questions") or []:
            for question in group["questions"]:
                heard.setdefault(str(question), []).extend(_spoken(group["phrases"]))
        return {question: tuple(self._sayable(dict.fromkeys(phrases)))
                for question, phrases in heard.items()}

    def taught_phrases(self, expecting: str | None) -> list[str]:
        """The example answers the skill offers for this question, as words."""
        return self._sayable(dict.fromkeys(" ".join(spoken_words(example))
                                           for example in self.taught(expecting)))

    # -- phrase lists for vosk -----------------------------------------------------
    def phrases(self, expecting: str | None) -> list[str]:
        """Whole phrases for a phrase-list recogniser: every way the lists allow."""
        out = [p for phrases in self._answer_groups(expecting, per_value=10_000)
               for p in phrases]
        for sign in self.warning_phrases(expecting, per_value=10_000):
            if " " in sign:
                out.append(sign)
            out += [f"{carrier} {sign}" for carrier in self._openings["warning_carriers"]
                    if self._said_after(carrier, sign)]
        out += self.carried_signs(expecting)
        out += [f"{carrier} {sign}" for sign in self.asked_sign_words(expecting)
                for carrier in self._openings["asked_sign_carriers"]
                if self._said_after(carrier, sign)]
        out += self.asked_carried_signs(expecting)
        out += self._companion_phrases(expecting) + self._follower_phrases(expecting)
        out += self.taught_phrases(expecting)
        out += [f"{p}{suffix}" for p in self.request_phrases() for suffix in ("", " please")]
        out += self.reply_phrases(expecting)
        out += self.rival_phrases(expecting)
        out += self.murmur_words() + self.pain_words()
        return list(dict.fromkeys(out))

    def _companion_phrases(self, expecting: str | None) -> list[str]:
        return self._slot_phrases(COMPANIONS.get(expecting, ()))

    def _follower_phrases(self, expecting: str | None) -> list[str]:
        return self._slot_phrases(FOLLOWERS.get(expecting, ()))

    def _slot_phrases(self, slots: tuple[str, ...], per_value: int = PHRASES_PER_VALUE
                      ) -> list[str]:
        """The phrases of slots another question is about ("my *left* calf" when asked
        where, "yes, my *calf*" when asked if it is a cramp now). Their "when asked"
        phrases mean something only when that question is asked ("front", "at the back"
        when asked where): of those, only the ones people say in any answer
        (openings.yaml, said_in_any_question: "yes, my leg")."""
        out = []
        for slot in slots:
            asked_only = set(self._list_phrases(f"{slot}_when_asked", per_value, exact_list=True))
            asked_only -= set(self._openings["said_in_any_question"])
            asked_only -= set(self._list_phrases(slot, per_value, exact_list=True))
            asked_only -= set(self._list_phrases(f"{slot}_ambiguous", per_value, exact_list=True))
            out += [p for p in self._list_phrases(slot, per_value) if p not in asked_only]
        return out

    def _list_phrases(self, name: str, per_value: int, exact_list: bool = False) -> list[str]:
        """A list's phrases as the grammars use them, worked out once per list: every
        question's grammar takes the warning-sign lists."""
        key = (name, per_value, exact_list)
        if key not in self._made:
            self._made[key] = self._make_list_phrases(name, per_value, exact_list)
        return list(self._made[key])

    def _make_list_phrases(self, name: str, per_value: int, exact_list: bool) -> list[str]:
        names = [name] if exact_list else [name, f"{name}_when_asked", f"{name}_ambiguous"]
        out: dict[str, None] = {}
        for list_name in names:
            slot_list = self.intents.slot_lists.get(list_name)
            if not isinstance(slot_list, TextSlotList):
                continue
            for value in slot_list.values:
                # in the order the list writes them: the most usual ways first
                options = dict.fromkeys(" ".join(spoken_words(text)) for text in
                                        sample_expression(value.text_in, language="en"))
                ordered = self._also_said(self._sayable(options)[:per_value],
                                          self._shortened)
                if name in BODY_PART_LISTS:
                    ordered = _with_possessives(ordered)
                out.update(dict.fromkeys(self._also_said(ordered, self._with_articles)))
        return list(out)

    def _also_said(self, phrases: list[str], runs: dict[str, list[Run]]) -> list[str]:
        """Each phrase, then the same phrase said another way where it holds one of the
        ``runs`` of words (indexed by their first word), if the recogniser can say it."""
        out = []
        for phrase in phrases:
            out.append(phrase)
            words = phrase.split()
            said: list[str] = []
            while words:
                for run, instead in runs.get(words[0], []):
                    if tuple(words[:len(run)]) == run:
                        said += instead
                        words = words[len(run):]
                        break
                else:
                    said.append(words.pop(0))
            if said != phrase.split():
                out += self._sayable([" ".join(said)])
        return out

    @cached_property
    def _shortened(self) -> dict[str, list[Run]]:
        """The lists write words out ("it is gone", "cannot breathe"), as the text
        understanding reads them; people say "it's gone" and "can't breathe". So the
        understanding's spellings out (normalize.yaml), reversed, for a pronoun with its
        verb and a verb with "not". Not for nouns: "my leg's cold" sounds like "my legs
        cold"."""
        runs: dict[tuple[str, ...], tuple[str, ...]] = {}
        for short, long in self.understander.rules.replace.items():
            if len(short) == 1 and short[0][0].isalpha() and "'" in short[0] and (
                    long[0] in _PRONOUNS or long[-1] == "not" or long == ("cannot",)):
                runs.setdefault(long, short)
        return _by_first_word(runs)

    @cached_property
    def _with_articles(self) -> dict[str, list[Run]]:
        """The lists leave out "the" and "a" ("during night", "have got cramp"), as the
        text understanding drops them; people say "during the night" and "i've got a
        cramp" (openings.yaml, said_with_the and said_with_a)."""
        runs: dict[tuple[str, ...], tuple[str, ...]] = {}
        for key, article in (("said_with_the", "the"), ("said_with_a", "a")):
            for first, second in (pair.split() for pair in self._openings[key]):
                runs[(first, second)] = (first, article, second)
        return _by_first_word(runs)

    def _sayable(self, phrases: Iterable[str]) -> list[str]:
        kept = []
        for phrase in phrases:
            words = spoken_words(phrase)
            if not words:
                continue
            unknown = [w for w in words if not self.known(w)]
            if unknown:
                self.dropped.update(unknown)
            else:
                kept.append(" ".join(words))
        return kept


def _spoken(words: Iterable[object]) -> list[str]:
    """Words and phrases from openings.yaml or speech.yaml as a recogniser says them
    ("10" -> "ten")."""
    return [" ".join(spoken_words(str(word))) for word in words]


def _by_first_word(runs: dict[tuple[str, ...], tuple[str, ...]]) -> dict[str, list[Run]]:
    """Runs of words and what is said instead, looked up by the run's first word."""
    out: dict[str, list[Run]] = {}
    for run, instead in runs.items():
        out.setdefault(run[0], []).append((run, instead))
    return out


def _examples(expecting: str | None) -> list[str]:
    responses = default_responses()
    key = f"examples.{expecting or 'anything_else'}"
    return list(responses.variants(key)) if responses.has(key) else []


def _carried(carriers: list[str], signs: list[str], words: list[str],
             said_after: Callable[[str, str], bool]) -> list[str]:
    """Each carrier with the word that follows its last words in a sign ("my foot is" and
    "foot is cold" give "my foot is cold"), but not where the word is a sign on its own
    (in ``words``) that the grammar already takes after that carrier (``said_after``)."""
    already = {f"{carrier} {word}" for carrier in carriers for word in words
               if said_after(carrier, word)}
    out = []
    for carrier in carriers:
        said_words = carrier.split()
        for start in range(1, len(said_words)):
            said = " ".join(said_words[start:]) + " "
            out += [carrier + " " + sign[len(said):] for sign in signs
                    if sign.startswith(said) and " " not in sign[len(said):]]
    return [phrase for phrase in dict.fromkeys(out) if phrase not in already]


def _with_possessives(phrases: list[str]) -> list[str]:
    """The lists are written without fillers ("front of thigh"); people say "front of
    my thigh" or "the back of the leg"."""
    out = []
    for phrase in phrases:
        out.append(phrase)
        if " of " in f" {phrase} ":
            out.append(phrase.replace(" of ", " of my ", 1))
    return out


def _answer_head(rules: dict[str, str], prefix: str) -> str:
    """The answers of one group (the question's own, or with ``prefix`` "place_" the
    places it also takes) after a lead and a companion: "my left calf", "both calves",
    "it's both calves", not "my both calves"; "my calf is easing" where the question
    has a linking verb. Empty if the group has no answers."""
    answer, determined_answer = f"{prefix}answer", f"determined_{prefix}answer"
    if not rules[answer]:
        return ""
    link = " [<link>]" if rules["link"] and not prefix else ""
    companion = f" [<{prefix}companion>{link}]" if rules[f"{prefix}companion"] else ""
    determined = f" [<determined_{prefix}companion>{link}]" \
        if rules[f"determined_{prefix}companion"] else ""
    open_lead = f"[<{prefix}open_lead>]" if rules[f"{prefix}open_lead"] else ""
    if rules[determined_answer] == rules[answer] and not companion:
        return f"[<{prefix}lead>] <{answer}>"
    if rules[determined_answer] == rules[answer]:
        # the answers once, after either kind of lead: written out after each, they
        # made the decoder's graph twice as large and noisy answers slower
        return f"({(open_lead + companion).strip()} | <determiner_lead>{determined}) <{answer}>"
    if rules[determined_answer]:  # "both legs" but not "my both legs"
        return (f"({(open_lead + companion + ' ').lstrip()}<{answer}> | "
                f"<determiner_lead>{determined} <{determined_answer}>)")
    return f"{(open_lead + companion + ' ').lstrip()}<{answer}>"


def _alternatives(phrases: Iterable[str]) -> str:
    kept = list(dict.fromkeys(p for p in phrases if p))
    return "(" + " | ".join(kept) + ")" if kept else ""
