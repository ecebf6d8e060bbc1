"""Understanding: from a user's words to an intent and slot values."""

from .understand import Understanding, Understander

__all__ = ["Understanding", "Understander"]
