"""Rank likely causes from the answers, with the answers that support each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..data import load_yaml
from .facts import Facts


@dataclass(frozen=True)
class RankedCause:
    cause: str
    score: float
    evidence: list[tuple[str, str]] = field(default_factory=list)
    """(slot, value) pairs that pointed here, strongest first."""


@dataclass(frozen=True)
class CauseRanker:
    evidence: dict[str, dict[str, dict[str, float]]]
    prior: dict[str, float]
    needs: dict[str, list[tuple[str, str]]]
    speak_at_most: int
    min_share: float
    min_score: float

    @classmethod
    def load(cls) -> CauseRanker:
        raw: dict[str, Any] = load_yaml("knowledge", "causes.yaml")
        needs: dict[str, list[tuple[str, str]]] = {}
        for cause, items in raw.get("needs", {}).items():
            needs[cause] = []
            for item in items:
                slot, value = str(item).split(".", 1)
                needs[cause].append((slot, value))
        return cls(
            evidence={
                slot: {str(value): dict(weights or {}) for value, weights in table.items()}
                for slot, table in raw["evidence"].items()
            },
            prior={k: float(v) for k, v in raw["prior"].items()},
            needs=needs,
            speak_at_most=int(raw["speak_at_most"]),
            min_share=float(raw["min_share"]),
            min_score=float(raw["min_score"]),
        )

    def rank(self, facts: Facts) -> list[RankedCause]:
        """Every cause with any support, most likely first."""
        scores: dict[str, float] = {}
        support: dict[str, list[tuple[float, str, str]]] = {}
        for slot, table in self.evidence.items():
            for value in facts.get(slot, []):
                for cause, weight in table.get(str(value), {}).items():
                    scores[cause] = scores.get(cause, 0.0) + float(weight)
                    support.setdefault(cause, []).append((float(weight), slot, str(value)))
        ranked = []
        for cause, score in scores.items():
            required = self.needs.get(cause)
            if required and not any(str(v) in map(str, facts.get(s, [])) for s, v in required):
                continue
            evidence = [(slot, value) for _, slot, value in
                        sorted(support[cause], key=lambda item: -item[0])]
            ranked.append(RankedCause(cause, score + self.prior.get(cause, 0.0), evidence))
        ranked.sort(key=lambda rc: (-rc.score, -self.prior.get(rc.cause, 0.0), rc.cause))
        return ranked

    def top(self, facts: Facts) -> list[RankedCause]:
        """The causes worth speaking: at most a few, each close enough to the best."""
        ranked = [rc for rc in self.rank(facts) if rc.score >= self.min_score]
        if not ranked:
            return []
        best = ranked[0].score
        return [rc for rc in ranked if rc.score >= self.min_share * best][: self.speak_at_most]
