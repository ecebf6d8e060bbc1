"""Understanding: from a user's words to an intent and slot values."""

from .understand import Understander, Understanding

__all__ = ["Understanding", "Understander"]
