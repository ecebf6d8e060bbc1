"""Phrase index built from the hassil slot lists in intents/.

Every ``in`` template of every list value is expanded into the plain phrases
it allows; each phrase maps to the slot values it means. The free-text
matcher, the fuzzy fallback and the speech grammars all read this index, so
editing ``intents/en/lists.yaml`` changes all of them at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from hassil import Intents, TextSlotList, sample_expression

from .normalize import NormalizeRules, matching_tokens, tokenize

WHEN_ASKED = "_when_asked"
AMBIGUOUS = "_ambiguous"
IGNORE = "ignore"


@dataclass(frozen=True)
class Meaning:
    slot: str
    value: str | bool
    when_asked: str | None = None
    """Only counts while the skill has just asked about this (``expecting``)."""


@dataclass(frozen=True)
class Lexicon:
    phrases: dict[tuple[str, ...], tuple[Meaning, ...]]
    surface: dict[tuple[str, ...], str]
    """The phrase as written in the list (before normalisation), for grammars."""
    max_len: int
    vocabulary: frozenset[str]

    @classmethod
    def build(cls, intents: Intents, rules: NormalizeRules) -> Lexicon:
        phrases: dict[tuple[str, ...], list[Meaning]] = defaultdict(list)
        surface: dict[tuple[str, ...], str] = {}
        for list_name, slot_list in intents.slot_lists.items():
            if not isinstance(slot_list, TextSlotList):
                continue
            slot, when_asked = _slot_of(list_name)
            for value in slot_list.values:
                for text in sample_expression(value.text_in, language="en"):
                    key = tuple(matching_tokens(tokenize(text, rules), rules))
                    if not key:
                        continue
                    meaning = Meaning(slot, value.value_out, when_asked)
                    if meaning not in phrases[key]:
                        phrases[key].append(meaning)
                    surface.setdefault(key, " ".join(text.split()))
        vocabulary = frozenset(tok for key in phrases for tok in key)
        return cls(
            phrases={key: tuple(meanings) for key, meanings in phrases.items()},
            surface=surface,
            max_len=max(len(key) for key in phrases),
            vocabulary=vocabulary,
        )

    def phrases_for(self, slot: str, expecting: str | None = None) -> list[str]:
        """Surface phrases that fill ``slot`` (for help examples and grammars)."""
        out = []
        for key, meanings in self.phrases.items():
            if any(m.slot == slot and m.when_asked in (None, expecting) for m in meanings):
                out.append(self.surface[key])
        return out


def _slot_of(list_name: str) -> tuple[str, str | None]:
    if list_name.endswith(WHEN_ASKED):
        slot = list_name[: -len(WHEN_ASKED)]
        return slot, slot
    if list_name.endswith(AMBIGUOUS):
        return list_name[: -len(AMBIGUOUS)], None
    return list_name, None
