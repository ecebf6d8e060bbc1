"""What the recogniser heard, judged before the dialogue acts on it (voice turns only).

A grammar decoder always answers with one of its phrases, and in a noisy room
that can be the wrong one (BENCHMARKS.md: about half of short answers are wrong
at 15 dB). So, when the words may be wrong (a noisy utterance, or words from
the open second pass), the skill says what it heard before its answer, so the
user can hear a mistake and say "go back". Stop and start over heard through
noise would throw the conversation away: they are acted on only when said
twice in a row. A warning sign is never held back: it counts at once. Words spoken
so faintly that they had to be made louder (``audio.gain``), if not understood, get
"I could only just hear you" and a request to come closer, not a plain "say again".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .asr.base import Heard
from .dialogue.session import Session
from .dialogue.turn import SpeechPart, Turn
from .responses import default_responses

CONFIRM_TWICE = frozenset({"stop", "start_over"})


@dataclass
class Hearing:
    session: Session
    _held: str | None = None
    """A stop or start over heard once through noise, waiting to be said again."""

    def respond(self, heard: Heard, previous: Turn) -> Turn:
        """The session's answer to ``heard`` (``previous`` is the last skill turn)."""
        if heard.noisy and heard.text:
            intent = self.session.k.understander.understand(
                heard.text, self.session.expecting).intent
            if intent in CONFIRM_TWICE and self._held != intent:
                self._held = intent
                return self.session.doubt(heard.text, "hands_free.noisy_again")
        self._held = None
        turn = self.session.handle(heard.text, faint=heard.faint)
        return say_back(turn, heard, previous)


def say_back(turn: Turn, heard: Heard, previous: Turn) -> Turn:
    """``turn`` with "I think you said ..." first, when unsure words changed an answer."""
    if not heard.text or turn.slots == previous.slots:
        return turn
    if heard.noisy:
        key = "hands_free.noisy"
    elif heard.second_pass:
        key = "hands_free.not_sure"
    else:
        return turn
    parts = (SpeechPart(default_responses().text(key, heard=heard.text)), *turn.parts)
    return replace(turn, say=" ".join(part.text for part in parts), parts=parts)
