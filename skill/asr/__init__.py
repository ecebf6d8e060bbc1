"""Speech recognition: a Recognizer protocol with vosk and PocketSphinx engines."""

from .base import Heard, Recognizer

__all__ = ["Heard", "Recognizer"]
