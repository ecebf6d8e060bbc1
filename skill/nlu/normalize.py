"""Tidy raw text: case, punctuation, contractions, numbers, junk."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..data import load_yaml

# Longest input we read; anything past it is dropped (a turn is a sentence or two).
MAX_CHARS = 600
BOUNDARY = ","
_WORD = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*|[,.;:!?]")
_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class NormalizeRules:
    replace: dict[tuple[str, ...], tuple[str, ...]]
    numbers: dict[str, int]
    fillers: frozenset[str]
    negators: frozenset[str]
    clause_breaks: frozenset[tuple[str, ...]]
    known_words: frozenset[str] = field(default=frozenset())
    transparent: frozenset[str] = field(default=frozenset())
    connectors: frozenset[str] = field(default=frozenset())
    max_replace: int = field(default=2)
    no_agrees_with: frozenset[tuple[str, object]] = field(default=frozenset())
    """(slot, value) pairs that a "no" before them agrees with rather than negates."""
    murmurs: frozenset[str] = field(default=frozenset())
    """Sounds made while thinking ("hmm", "um"): said alone, the answer is still to come."""
    murmurs_heard: frozenset[str] = field(default=frozenset())
    """The murmurs the speech grammars listen for."""
    pain_sounds: frozenset[str] = field(default=frozenset())
    """Sounds of pain ("ow", "ouch"): said alone, the person is hurting."""
    pain_sounds_heard: frozenset[str] = field(default=frozenset())
    """The sounds of pain the speech grammars listen for."""

    @classmethod
    def load(cls) -> NormalizeRules:
        raw = load_yaml("intents", "en", "normalize.yaml")
        replace = {
            tuple(str(key).split()): tuple(str(value).split())
            for key, value in raw["replace"].items()
        }
        return cls(
            replace=replace,
            numbers={str(k): int(v) for k, v in raw["numbers"].items()},
            fillers=frozenset(str(f) for f in raw["fillers"]),
            negators=frozenset(str(word) for word in raw["negators"]),
            clause_breaks=frozenset(tuple(str(c).split()) for c in raw["clause_breaks"]),
            known_words=frozenset(str(raw.get("known_words", "")).split()),
            transparent=frozenset(str(w) for w in raw.get("negation_reaches_over", [])),
            connectors=frozenset(str(w) for w in raw.get("negation_carries_over", [])),
            max_replace=max(len(k) for k in replace),
            no_agrees_with=frozenset((str(slot), value)
                                     for slot, values in raw.get("no_agrees_with", {}).items()
                                     for value in values),
            murmurs=_sounds(raw, "murmurs"),
            murmurs_heard=_sounds(raw, "murmurs") - _sounds(raw, "murmurs_not_listened_for"),
            pain_sounds=_sounds(raw, "pain_sounds"),
            pain_sounds_heard=_sounds(raw, "pain_sounds")
            - _sounds(raw, "pain_sounds_not_listened_for"),
        )


def _sounds(raw: dict[str, Any], key: str) -> frozenset[str]:
    """A list of words in normalize.yaml (none if it is not there)."""
    return frozenset(str(word) for word in raw.get(key, []))


def clean_text(text: str) -> str:
    """Lower-case, fold accents and typographic quotes, drop control and binary junk."""
    text = text[:MAX_CHARS]
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text.lower()


def is_junk(text: str) -> bool:
    """True when there is nothing word-like to understand (empty, symbols, binary)."""
    letters = sum(ch.isalpha() for ch in text)
    if letters == 0:
        return True
    printable = sum(ch.isprintable() and not ch.isspace() for ch in text)
    return letters < 0.5 * max(printable, 1) and letters < 3


def tokenize(text: str, rules: NormalizeRules) -> list[str]:
    """Words with contractions expanded; punctuation becomes one boundary token."""
    raw = [BOUNDARY if tok in ",.;:!?" else tok for tok in _WORD.findall(clean_text(text))]
    raw = [tok.replace("'s", "") if tok.endswith("'s") and (tok,) not in rules.replace else tok
           for tok in raw]
    out: list[str] = []
    i = 0
    while i < len(raw):
        for size in range(rules.max_replace, 0, -1):
            key = tuple(raw[i : i + size])
            if len(key) == size and key in rules.replace:
                out.extend(rules.replace[key])
                i += size
                break
        else:
            out.append(raw[i].replace("'", ""))
            i += 1
    # collapse repeated boundaries and trim them at the ends
    tidy: list[str] = []
    for tok in out:
        if tok == BOUNDARY and (not tidy or tidy[-1] == BOUNDARY):
            continue
        tidy.append(tok)
    while tidy and tidy[-1] == BOUNDARY:
        tidy.pop()
    return tidy


def plain_text(tokens: list[str]) -> str:
    """The tokens as one string with boundaries removed (what templates match)."""
    return " ".join(tok for tok in tokens if tok != BOUNDARY)


def number_value(token: str, rules: NormalizeRules) -> int | None:
    if _DIGITS.match(token):
        return int(token)
    return rules.numbers.get(token)


def matching_tokens(tokens: list[str], rules: NormalizeRules) -> list[str]:
    """Tokens for phrase matching: fillers dropped, number words as digits."""
    out = []
    for tok in tokens:
        if tok in rules.fillers:
            continue
        value = rules.numbers.get(tok)
        out.append(str(value) if value is not None and tok not in ("once", "couple", "few",
                                                                       "several") else tok)
    return out
