"""Triage: the highest level whose rule holds. Never lowered by the caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..data import load_yaml
from .facts import Facts

LEVELS = ("self_care", "doctor", "urgent", "emergency")


def rank_of(level: str | None) -> int:
    return LEVELS.index(level) if level in LEVELS else -1


def higher(current: str | None, new: str | None) -> str | None:
    """The more serious of two levels (None is below everything)."""
    return new if rank_of(new) > rank_of(current) else current


@dataclass(frozen=True)
class Triage:
    level: str
    reasons: list[str]
    """The reasons of every rule that holds at this level, in rule order."""


@dataclass(frozen=True)
class Rule:
    level: str
    reason: str
    when: dict[str, list[str]]

    def holds(self, facts: Facts) -> bool:
        for slot, wanted in self.when.items():
            have = [str(v) for v in facts.get(slot, [])]
            if "none" in wanted and not have:
                continue
            if not any(value in have for value in wanted):
                return False
        return True


@dataclass(frozen=True)
class TriageRules:
    rules: list[Rule]

    @classmethod
    def load(cls) -> TriageRules:
        raw: dict[str, Any] = load_yaml("knowledge", "triage.yaml")
        rules = [
            Rule(str(r["level"]), str(r["reason"]),
                 {str(k): [str(x) for x in v] for k, v in r["when"].items()})
            for r in raw["rules"]
        ]
        for rule in rules:
            if rule.level not in LEVELS:
                raise ValueError(f"unknown triage level {rule.level!r} in knowledge/triage.yaml")
        return cls(rules)

    def judge(self, facts: Facts) -> Triage | None:
        """The highest level any rule gives, or None when no rule holds."""
        best: Triage | None = None
        for rule in self.rules:
            if not rule.holds(facts):
                continue
            if best is None or rank_of(rule.level) > rank_of(best.level):
                best = Triage(rule.level, [rule.reason])
            elif rule.level == best.level and rule.reason not in best.reasons:
                best.reasons.append(rule.reason)
        return best
