"""Saying it hurts: what the skill makes of "ow", "ouch", and of "it's back" (the
cramp has come back), in each of its twelve questions.

A cramp often comes back, or never quite lets go, while the skill asks its questions.
Said in the person's own words ("it's back", "it's cramping again"), the skill takes
them through the stretch again before it asks anything more; a sound of pain alone
("ow", "ouch") gets a kind word and how to ask for the stretch again (asked whether the
cramp is easing: a reminder to hold it gently). Each utterance is counted as one of:

- **hurting**: understood as pain or as the cramp being back (asked whether a cramp is
  happening now: a yes; asked whether it is easing: a no);
- **thinking**: heard as murmurs only;
- **asked again**: nothing understood; the question is asked again;
- **taken as an answer**: understood as an answer, a yes or no, or a request;
- **warning sign**: a warning sign that was never said (triage raised for nothing).

The phrases the grammars listen for are ``CrampAgain`` in ``intents/en/speech.yaml``;
"it's happening again", "oh no, not again" and "it's locking up again" are not among
them (heard, if at all, through the open transcription). The development voices are those of
``bench.voice --dev``; the benchmark's are only measured.

Run: python -m bench.hurting          (benchmark voices; writes BENCHMARKS.md)
     python -m bench.hurting --dev    (development voices; prints only)
"""

from __future__ import annotations

from collections import Counter

from bench.murmurs import OUTCOMES, run, table, tally
from bench.voice import QUESTIONS
from skill.audio.wav import read_wav
from tests.voice.speech import synthesize

HURTING_FIRST = ("hurting", *(name for name in OUTCOMES if name != "hurting"))

PAIN = ["ow", "ouch", "ow ow", "ow ow ow", "ouch ouch", "argh"]
CRAMP_AGAIN = ["it's back", "the cramp is back", "it came back", "it's cramping again",
               "it's still cramping", "another cramp", "oh no it's back", "here it goes again",
               "it's starting again"]
"""As the grammars listen for them."""
CRAMP_AGAIN_UNLISTED = ["it's happening again", "oh no not again", "it's locking up again"]
"""Ways of saying it that the grammars do not hold."""
KINDS = {"sounds of pain": PAIN, "the cramp is back": CRAMP_AGAIN,
         "the cramp is back, in other words": CRAMP_AGAIN_UNLISTED}


def measure(voices: list[str], show: bool) -> dict[str, Counter[str]]:
    every = ((kind, f"{voice} {text!r}", read_wav(synthesize(text, voice), 16000).samples)
             for kind, texts in KINDS.items() for voice in voices for text in texts)
    return tally(every, lambda got: show and got != "hurting")


def describe(voices: list[str], counts: dict[str, Counter[str]]) -> str:
    return (
        f"What the skill makes of a person saying it hurts, asked each of its "
        f"{len(QUESTIONS)} questions, said by {', '.join(voices)}: sounds of pain "
        f"({', '.join(repr(t) for t in PAIN)}), the cramp being back in the words the "
        f"grammars listen for ({', '.join(repr(t) for t in CRAMP_AGAIN)}) and in others "
        f"({', '.join(repr(t) for t in CRAMP_AGAIN_UNLISTED)}). Each is the first answer "
        f"of a conversation. Hurting: understood as pain or as the cramp being back (the "
        f"skill takes them through the stretch again, or tells them how to ask for it). "
        f"The other columns are as in \"Sounds that are not answers\".\n\n"
        f"{table(counts, HURTING_FIRST)}")


def main() -> None:
    run("Saying it hurts", measure, describe, "print each one not heard as hurting")


if __name__ == "__main__":
    main()
