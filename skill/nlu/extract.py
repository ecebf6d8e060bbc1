"""Find every slot value in a sentence: exact phrases, fuzzy phrases, numbers, negation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from ..data import load_yaml
from .lexicon import IGNORE, Lexicon, Meaning
from .normalize import BOUNDARY, NormalizeRules, number_value

_FUZZY_CUTOFF = 84.0
_FUZZY_CUTOFF_SHORT = 88.0
_MAX_TOKENS = 120
# Body places are tiled apart from everything else (see Extractor._exact).
PLACE_SLOTS = frozenset(["location", "side"])
_ANSWER_NO = frozenset(["no", "nope"])
"""A "no" that answers the question, rather than negating the word after it."""


@dataclass(frozen=True)
class Found:
    slot: str
    value: Any
    start: int
    end: int
    negated: bool = False
    fuzzy: bool = False


@dataclass(frozen=True)
class NumberRules:
    units: dict[str, tuple[str, list[dict[str, Any]]]]
    glue: frozenset[str]

    @classmethod
    def load(cls) -> NumberRules:
        raw = load_yaml("intents", "en", "implications.yaml")
        units: dict[str, tuple[str, list[dict[str, Any]]]] = {}
        for slot, table in raw["numbers"].items():
            for unit, steps in table.items():
                units[str(unit)] = (str(slot), list(steps))
        return cls(units=units, glue=frozenset(str(g) for g in raw["number_glue"]))

    def value(self, number: int, unit: str) -> tuple[str, str] | None:
        if unit not in self.units:
            return None
        slot, steps = self.units[unit]
        for step in steps:
            if "max" not in step or number <= int(step["max"]):
                return slot, str(step["value"])
        return None


class Extractor:
    def __init__(
        self,
        lexicon: Lexicon,
        rules: NormalizeRules,
        numbers: NumberRules,
        known_words: frozenset[str] = frozenset(),
    ) -> None:
        self.lexicon = lexicon
        self.rules = rules
        self.numbers = numbers
        self.known_words = known_words
        self._words = sorted(w for w in lexicon.vocabulary if len(w) >= 3 and not w.isdigit())

    def extract(self, tokens: list[str], expecting: str | None) -> list[Found]:
        """All slot values in ``tokens`` (from ``normalize.tokenize``), in order."""
        tokens = tokens[:_MAX_TOKENS]
        # Matching view: fillers dropped, number words as digits; remember where each came from.
        view: list[str] = []
        origin: list[int] = []
        for index, tok in enumerate(tokens):
            if tok in self.rules.fillers:
                continue
            value = self.rules.numbers.get(tok)
            keep_word = tok in ("once", "couple", "few", "several")
            view.append(str(value) if value is not None and not keep_word else tok)
            origin.append(index)

        spans = self._exact(view, expecting)
        corrected, changed = self._correct(view)
        if changed:
            fixed = self._exact(corrected, expecting)
            # keep the reading that understood more words
            if _coverage(fixed) > _coverage(spans):
                spans = [(a, b, m, a_b_changed(view, corrected, a, b)) for a, b, m, _ in fixed]
        found: list[Found] = []
        covered: set[int] = set()
        for start, end, meanings, is_fuzzy in spans:
            covered.update(range(start, end))
            for meaning in meanings:
                if meaning.slot == IGNORE:
                    continue
                found.append(Found(meaning.slot, meaning.value, origin[start],
                                   origin[end - 1] + 1, fuzzy=is_fuzzy))
        found += self._numbers(view, origin, covered)
        found.sort(key=lambda f: (f.start, f.end))
        return self._negate(tokens, found, expecting)

    # -- exact and fuzzy phrases ------------------------------------------------------
    def _usable(self, meanings: tuple[Meaning, ...], expecting: str | None) -> tuple[Meaning, ...]:
        return tuple(m for m in meanings if m.when_asked is None or m.when_asked == expecting)

    def _exact(
        self, view: list[str], expecting: str | None
    ) -> list[tuple[int, int, tuple[Meaning, ...], bool]]:
        """Longest phrases first, tiled separately for body places and for the rest.

        "I get calf cramps" is both a place (calf) and a statement about the
        cramp; one layer for each lets both be heard, while within a layer the
        longer phrase wins ("warm weather" is heat, not a warm leg).
        """
        candidates = self._candidates(view, expecting)
        chosen = []
        for layer in (PLACE_SLOTS, None):
            subset = []
            for start, end, meanings, is_fuzzy in candidates:
                kept = tuple(m for m in meanings if m.slot == IGNORE or (
                    m.slot in PLACE_SLOTS if layer else m.slot not in PLACE_SLOTS))
                if kept:
                    subset.append((start, end, kept, is_fuzzy))
            chosen += [c for c in _tile(subset)
                       if any(m.slot != IGNORE for m in c[2]) or layer is None]
        return sorted(chosen, key=lambda c: c[0])

    def _candidates(
        self, view: list[str], expecting: str | None
    ) -> list[tuple[int, int, tuple[Meaning, ...], bool]]:
        candidates = []
        phrases = self.lexicon.phrases
        for start in range(len(view)):
            for size in range(1, self.lexicon.max_len + 1):
                key = tuple(view[start : start + size])
                if len(key) < size or BOUNDARY in key:
                    break
                meanings = phrases.get(key)
                if meanings:
                    usable = self._usable(meanings, expecting)
                    if usable:
                        candidates.append((start, start + size, usable, False))
        return candidates

    def _correct(self, view: list[str]) -> tuple[list[str], bool]:
        """Replace unknown words by the nearest word the lists use ("hamstrng")."""
        corrected = list(view)
        changed = False
        for i, tok in enumerate(view):
            if (
                tok == BOUNDARY or tok.isdigit() or len(tok) < 4
                or tok in self.lexicon.vocabulary or tok in self.known_words
            ):
                continue
            cutoff = _FUZZY_CUTOFF if len(tok) >= 6 else _FUZZY_CUTOFF_SHORT
            best = process.extractOne(tok, self._words, scorer=fuzz.ratio, score_cutoff=cutoff)
            if best is not None:
                corrected[i] = best[0]
                changed = True
        return corrected, changed

    # -- numbers ----------------------------------------------------------------------
    def _numbers(self, view: list[str], origin: list[int], covered: set[int]) -> list[Found]:
        found = []
        for i, tok in enumerate(view):
            if i in covered:
                continue
            number = number_value(tok, self.rules)
            if number is None:
                continue
            j = i + 1
            while j < len(view) and j <= i + 4 and view[j] in self.numbers.glue:
                j += 1
            if j < len(view):
                hit = self.numbers.value(number, view[j])
                if hit:
                    found.append(Found(hit[0], hit[1], origin[i], origin[j] + 1))
        return found

    # -- negation ---------------------------------------------------------------------
    def _negate(self, tokens: list[str], found: list[Found], expecting: str | None) -> list[Found]:
        out: list[Found] = []
        previous: Found | None = None
        for item in found:
            negated = self._negated_by_words(tokens, item, expecting)
            if not negated and previous is not None and previous.negated:
                gap = tokens[previous.end : item.start]
                carries = self.rules.connectors | self.rules.fillers | {BOUNDARY}
                negated = previous.end <= item.start and all(tok in carries for tok in gap)
            item = Found(item.slot, item.value, item.start, item.end, negated, item.fuzzy)
            out.append(item)
            previous = item
        return out

    def _negated_by_words(self, tokens: list[str], item: Found, expecting: str | None) -> bool:
        seen = 0
        index = item.start - 1
        while index >= 0 and seen < 2:
            tok = tokens[index]
            if tok == BOUNDARY or (tok,) in self.rules.clause_breaks:
                return False
            if tok in self.rules.negators:
                if tok in _ANSWER_NO and (item.slot, item.value) in self.rules.no_agrees_with:
                    return False
                # "no, my left calf": a leading "no" answers the question; it does not
                # negate a different thing said after it (unless right next to it).
                answers_question = index == 0 and (tok in _ANSWER_NO or tok == "not")
                adjacent = index == item.start - 1
                return not (answers_question and not adjacent and item.slot != expecting)
            if tok not in self.rules.fillers and tok not in self.rules.transparent:
                seen += 1
            index -= 1
        return False


def _tile(
    candidates: list[tuple[int, int, tuple[Meaning, ...], bool]],
    taken: set[int] | None = None,
) -> list[tuple[int, int, tuple[Meaning, ...], bool]]:
    """Longest matches first; no two chosen spans overlap."""
    used = set(taken or ())
    chosen = []
    for cand in sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[0])):
        start, end = cand[0], cand[1]
        if any(i in used for i in range(start, end)):
            continue
        used.update(range(start, end))
        chosen.append(cand)
    return sorted(chosen, key=lambda c: c[0])


def _coverage(spans: list[tuple[int, int, tuple[Meaning, ...], bool]]) -> int:
    return sum(end - start for start, end, _, _ in spans)


def a_b_changed(view: list[str], corrected: list[str], start: int, end: int) -> bool:
    """True when a span relies on a corrected word."""
    return view[start:end] != corrected[start:end]
