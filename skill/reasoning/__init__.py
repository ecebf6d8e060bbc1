"""Cause ranking and triage, both read from knowledge/."""

from .causes import CauseRanker, RankedCause
from .triage import LEVELS, Triage, TriageRules, higher

__all__ = ["LEVELS", "CauseRanker", "RankedCause", "Triage", "TriageRules", "higher"]
