"""From one user turn to an Understanding: intent, slot values, negations."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from hassil import Intents, recognize, sample_intents
from rapidfuzz import fuzz, process

from ..data import load_yaml, yaml_files
from .extract import Extractor, Found, NumberRules
from .lexicon import Lexicon
from .normalize import BOUNDARY, NormalizeRules, is_junk, plain_text, tokenize

# Slots whose value is a list (CONTRACT.md), plus the skill's own "clues".
LIST_SLOTS = frozenset(["triggers", "medications", "conditions", "red_flags", "clues"])
SCALAR_SLOTS = frozenset(
    ["cramp_now", "location", "side", "onset", "frequency", "duration", "relief"]
)
# hassil intent name -> the skill's intent name
GLOBAL_INTENTS = {
    "Help": "help",
    "Repeat": "repeat",
    "Slower": "slower",
    "Faster": "faster",
    "Louder": "louder",
    "Quieter": "quieter",
    "MoreTime": "more_time",
    "LessTime": "less_time",
    "GoBack": "back",
    "Skip": "skip",
    "StartOver": "start_over",
    "Stop": "stop",
    "Wake": "repeat",
}
YES_NO = {"Affirm": "affirm", "Deny": "deny"}
CRAMP_AGAIN = "CrampAgain"
"""The cramp is back or still going ("it's back", "it's still cramping"): it outranks an
answer found in the same words ("back" is also a place), except in the questions it
answers itself (asked whether it is easing, "it's still cramping" is a no)."""
_ANSWERED_BY_CRAMP_AGAIN = ("cramp_now", "relief")
INTENT_NAMES = {**GLOBAL_INTENTS, **YES_NO, CRAMP_AGAIN: "cramp_again"}
"""Each intent of intents.yaml, as ``Understanding.intent`` names it."""
_YES_WORDS = frozenset(["yes", "sure", "correct", "absolutely", "definitely", "indeed"])
_NO_WORDS = frozenset(["no", "nope", "negative"])
_GLOBAL_FUZZY_CUTOFF = 88.0


@dataclass
class Understanding:
    """What one turn meant."""

    intent: str
    """inform, affirm, deny, a global intent (help, repeat, slower, faster, louder,
    quieter, more_time, less_time, back, skip, start_over, stop), cramp_again (the
    cramp is back or still going), hesitation (only sounds made while thinking: "hmm",
    "um"), pain (only sounds of pain: "ow", "ouch"), unknown, or empty."""
    text: str = ""
    slots: dict[str, Any] = field(default_factory=dict)
    """Values said positively: a scalar per slot, a list for list slots."""
    negated: dict[str, list[Any]] = field(default_factory=dict)
    """Values said with a negation ("no swelling")."""
    yes_no: str | None = None
    """affirm or deny, when the turn also said yes or no."""
    confidence: float = 1.0
    exact: bool = False
    """True when a template matched the whole turn."""

    def has(self, slot: str) -> bool:
        return slot in self.slots

    @property
    def cramping(self) -> bool:
        """The cramp is happening now: back again ("it's back"), or said to be ("I've
        got a cramp")."""
        return self.intent == "cramp_again" or self.slots.get("cramp_now") is True


class Understander:
    """Loads intents/ once; ``understand(text, expecting)`` is then fast and pure."""

    def __init__(self) -> None:
        self.rules = NormalizeRules.load()
        files = yaml_files("intents", "en")
        hassil_files = [p for p in files if p.name in ("intents.yaml", "lists.yaml",
                                                       "answers.yaml")]
        self.all_intents = Intents.from_files(hassil_files)
        global_files = [p for p in files if p.name == "intents.yaml"]
        self.global_intents = Intents.from_files(global_files)
        self.lexicon = Lexicon.build(self.all_intents, self.rules)
        samples = list(sample_intents(self.global_intents, language="en"))
        self._global_samples = [" ".join(text.split()) for _, text in samples]
        self._global_names = [name for name, _ in samples]
        known = {w for text in self._global_samples for w in text.split()}
        known |= set(self.rules.known_words)
        self.extractor = Extractor(self.lexicon, self.rules, NumberRules.load(), frozenset(known))
        self.implications = [
            (rule["if"], rule["then"])
            for rule in load_yaml("intents", "en", "implications.yaml")["implies"]
        ]

    def understand(self, text: str | None, expecting: str | None = None) -> Understanding:
        raw = text or ""
        if not raw.strip() or is_junk(raw):
            return Understanding("empty", text=raw.strip()[:200], confidence=0.0)
        tokens = tokenize(raw, self.rules)
        plain = plain_text(tokens)
        if not plain:
            return Understanding("empty", text=raw.strip()[:200], confidence=0.0)

        hit = recognize(plain, self.global_intents, language="en")
        if hit is None:  # "mm hmm" is a yes, a hit
            # "hmm", "um, er": still thinking; "um, no", "er, stop": the words alone
            thinking = self._set_aside(tokens, self.rules.murmurs, expecting,
                                       Understanding("hesitation", plain, confidence=0.0))
            if thinking is not None:
                return thinking
        intent_name = hit.intent.name if hit else None
        found = self.extractor.extract(tokens, expecting)
        fuzzy_used = any(f.fuzzy for f in found)
        exact_answer = bool(found) and not fuzzy_used and _all_understood(tokens, found, self.rules)
        if intent_name in YES_NO and not exact_answer:
            # A whole yes/no sentence outranks a bare answer found inside it: "i do
            # not think so" is a no, not the "i do" of "are you cramping now?".
            # A warning sign is never dropped.
            found = [f for f in found if f.slot == "red_flags"]
        slots, negated = self._collect(found)
        confidence = 1.0 if (hit or exact_answer) else (0.7 if fuzzy_used else 0.85)

        if intent_name == CRAMP_AGAIN and "red_flags" not in slots and not (
                expecting in _ANSWERED_BY_CRAMP_AGAIN and _fills(slots, negated, expecting)):
            return Understanding("cramp_again", plain, exact=True)
        if hit is None and not (slots or negated):
            # "ow", "ouch": it hurts; "ow, no", "ouch, stop": the words alone
            hurting = self._set_aside(tokens, self.rules.pain_sounds, expecting,
                                      Understanding("pain", plain))
            if hurting is not None:
                return hurting
        if intent_name in GLOBAL_INTENTS and not _fills(slots, negated, expecting):
            return Understanding(GLOBAL_INTENTS[intent_name], plain, exact=True)

        yes_no = YES_NO.get(intent_name or "") or _leading_yes_no(tokens)
        if slots or negated:
            return Understanding("inform", plain, slots, negated, yes_no, confidence,
                                 exact=bool(exact_answer or hit))
        if yes_no:
            return Understanding(yes_no, plain, yes_no=yes_no, confidence=confidence,
                                 exact=bool(hit))

        best = process.extractOne(plain, self._global_samples, scorer=fuzz.ratio,
                                  score_cutoff=_GLOBAL_FUZZY_CUTOFF)
        if best is not None:
            name = self._global_names[best[2]]
            mapped = INTENT_NAMES.get(name)
            if mapped:
                return Understanding(mapped, plain, yes_no=YES_NO.get(name),
                                     confidence=best[1] / 100.0)
        return Understanding("unknown", plain, confidence=0.0)

    def _set_aside(self, tokens: list[str], sounds: frozenset[str], expecting: str | None,
                   alone: Understanding) -> Understanding | None:
        """The turn understood with ``sounds`` set aside, as if said without them; if
        nothing else was said, ``alone``; None if none of them was said."""
        rest = [tok for tok in tokens if tok not in sounds]
        if len(rest) == len(tokens):
            return None
        if not plain_text(rest):
            return alone
        return replace(self.understand(" ".join(rest), expecting), text=alone.text)

    def _collect(self, found: list[Found]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        slots: dict[str, Any] = {}
        negated: dict[str, list[Any]] = {}
        for item in found:
            if item.negated:
                negated.setdefault(item.slot, [])
                if item.value not in negated[item.slot]:
                    negated[item.slot].append(item.value)
                continue
            if item.slot in LIST_SLOTS:
                values = slots.setdefault(item.slot, [])
                if item.value not in values:
                    values.append(item.value)
            elif item.slot not in slots:
                slots[item.slot] = item.value
        # "no easing" is not easing
        if "relief" not in slots and "easing" in negated.get("relief", []):
            slots["relief"] = "not_easing"
        for condition, then in self.implications:
            (if_slot, if_value), = condition.items()
            present = slots.get(if_slot)
            if present == if_value or (isinstance(present, list) and if_value in present):
                for slot, value in then.items():
                    if slot in LIST_SLOTS:
                        values = slots.setdefault(slot, [])
                        if value not in values and value not in negated.get(slot, []):
                            values.append(value)
                    else:
                        slots.setdefault(slot, value)
        # a value said both ways ("not the left, the right") counts as said
        for slot, values in list(negated.items()):
            said = slots.get(slot)
            said_list = said if isinstance(said, list) else [said]
            kept = [v for v in values if v not in said_list]
            if kept:
                negated[slot] = kept
            else:
                del negated[slot]
        return slots, negated


def _fills(slots: dict[str, Any], negated: dict[str, list[Any]], expecting: str | None) -> bool:
    return bool(expecting) and (expecting in slots or expecting in negated)


def _leading_yes_no(tokens: list[str]) -> str | None:
    if not tokens:
        return None
    first = tokens[0]
    if first in _YES_WORDS:
        return "affirm"
    if first in _NO_WORDS:
        return "deny"
    return None


def _all_understood(tokens: list[str], found: list[Found], rules: NormalizeRules) -> bool:
    """True when every word is part of a phrase understood, a filler or a yes/no."""
    covered = {i for item in found for i in range(item.start, item.end)}
    return all(
        i in covered or tok in rules.fillers or tok in _YES_WORDS or tok in _NO_WORDS
        or tok == BOUNDARY or tok in rules.negators
        for i, tok in enumerate(tokens)
    )


@lru_cache(maxsize=1)
def default_understander() -> Understander:
    return Understander()
