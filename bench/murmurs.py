"""Sounds that are not answers: what the skill makes of a "hmm", an "um, er", a cough
of a word, and of the sounds with no answer in ``bench.voice.noise_sounds``, in each
of its twelve questions.

A grammar decoder answers with the phrase that best fits whatever it hears, so a murmur
can come out as an answer, even a warning sign ("hmm" as "the numb"). The grammars
therefore also listen for the murmurs themselves (``intents/en/normalize.yaml``,
murmurs), which the skill takes as "still thinking". Each sound is counted as one of:

- **thinking**: heard as murmurs only; the skill waits for the answer (``listen``) or
  says "take your time" and the question again (a typed or WAV turn);
- **asked again**: nothing understood; the question is asked again;
- **taken as an answer**: understood as an answer, a yes or no, or a request (the
  harm: an answer never given, or a question skipped);
- **warning sign**: a warning sign that was never said (triage raised for nothing);
- **hurting**: heard as a sound of pain ("ow") or as the cramp being back, which the
  skill answers kindly (``bench.hurting``); asked whether a cramp is happening now, a
  yes, and asked whether it is easing, a no.

Murmurs are synthesized: flite and espeak-ng say "um", "er", "ah", "huh" and the like
as a person does, but spell out "hmm" and "mm" ("aitch em em"), so the hums are
espeak-ng phonemes ("[[hm:]]"). The development voices are those of
``bench.voice --dev``; the benchmark's are only measured.

Run: python -m bench.murmurs          (benchmark voices; writes BENCHMARKS.md)
     python -m bench.murmurs --dev    (development voices; prints only)
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from bench.report import write_section
from bench.voice import DEV_VOICES, QUESTIONS, VOICES, noise_sounds
from skill.asr.engine import hear_audio, open_recognizer
from skill.audio.wav import Audio, read_wav
from skill.nlu.understand import default_understander
from tests.voice.speech import synthesize

MURMURS = ["um", "uh", "er", "erm", "ah", "oh", "ooh", "huh", "ugh", "um uh", "ahem",
           "blah blah", "la la la", "hum", "hum hum"]
"""Said by every voice."""
HUMS = ["[[hm:]]", "[[m::]]", "[[hm: hm:]]", "[['@:m]]"]
"""Said by espeak-ng voices only, as phonemes: "hmm", "mmm", "hmm hmm", "erm"."""
OUTCOMES = ("thinking", "asked again", "taken as an answer", "warning sign", "hurting")


def sounds(voices: list[str]) -> Iterator[tuple[str, str, np.ndarray]]:
    """(kind, name, samples at 16 kHz) for every murmur in every voice."""
    for voice in voices:
        for text in MURMURS + (HUMS if voice.startswith("espeak") else []):
            yield "murmurs", f"{voice} {text}", read_wav(synthesize(text, voice), 16000).samples


def outcome(recognizer, samples: np.ndarray, question: str) -> tuple[str, str]:
    """What the skill makes of ``samples`` asked ``question``, and the words it heard."""
    recognizer.new_speaker()  # each the first answer: the grammars alone
    recognizer.prepare(question)
    heard = hear_audio(recognizer, Audio(samples, 16000), question)
    meaning = default_understander().understand(heard.text, question)
    if meaning.slots.get("red_flags"):
        return "warning sign", heard.text
    if meaning.intent in ("pain", "cramp_again") or (
            question == "cramp_now" and meaning.slots.get("cramp_now") is True) or (
            question == "relief" and meaning.slots.get("relief") == "not_easing"):
        return "hurting", heard.text
    if meaning.intent == "hesitation":
        return "thinking", heard.text
    if meaning.intent in ("unknown", "empty"):
        return "asked again", heard.text
    return "taken as an answer", heard.text


def tally(every: Iterable[tuple[str, str, np.ndarray]], shown: Callable[[str], bool]
          ) -> dict[str, Counter[str]]:
    """Each (kind, name, samples) asked every question: the outcomes by kind; those
    ``shown`` picks are printed as they come."""
    recognizer = open_recognizer("pocketsphinx")
    counts: dict[str, Counter[str]] = {}
    for kind, name, samples in every:
        for question in QUESTIONS:
            got, words = outcome(recognizer, samples, question)
            counts.setdefault(kind, Counter())[got] += 1
            if shown(got):
                print(f"  {got}: {name} asked {question}: {words!r}")
    return counts


def measure(voices: list[str], show: bool) -> dict[str, Counter[str]]:
    every = list(sounds(voices)) + [("sounds with no answer", name, samples)
                                    for name, samples in noise_sounds().items()]
    return tally(every, lambda got: show and got in ("taken as an answer", "warning sign"))


def table(counts: dict[str, Counter[str]], outcomes: tuple[str, ...] = OUTCOMES) -> str:
    out = ("| sounds | " + " | ".join(outcomes) + " |\n|---|" + "---|" * len(outcomes) + "\n")
    for kind, got in counts.items():
        total = sum(got.values())
        out += f"| {kind} ({total}) | " + " | ".join(
            f"{got[name]} ({got[name] / total:.1%})" for name in outcomes) + " |\n"
    return out


def describe(voices: list[str], counts: dict[str, Counter[str]]) -> str:
    return (
        f"What the skill makes of sounds that are not answers, asked each of its "
        f"{len(QUESTIONS)} questions: murmurs ({len(MURMURS)} said by each of "
        f"{', '.join(voices)}, and {len(HUMS)} hums by the espeak-ng voices, as phonemes, "
        f"since both synthesizers spell out \"hmm\"), and the sounds with no answer of "
        f"the voice benchmark (hiss, clicks, a chord, reversed speech, three voices at "
        f"once). Each is the first answer of a conversation. Thinking: heard as murmurs "
        f"only, so the skill waits for the answer. Taken as an answer: an answer, a yes "
        f"or no, or a request that was never said; warning sign: a warning sign that "
        f"was never said.\n\n{table(counts)}")


Measure = Callable[[list[str], bool], dict[str, Counter[str]]]
Describe = Callable[[list[str], dict[str, Counter[str]]], str]


def run(section: str, measure_with: Measure, describe_with: Describe, show: str) -> None:
    """The command line of a benchmark of what the skill makes of sounds in each
    question: ``--dev`` measures the development voices and only prints; otherwise the
    benchmark's voices, and the figures go in BENCHMARKS.md under ``section``."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--dev", action="store_true", help="development voices; print only")
    parser.add_argument("--show", action="store_true", help=show)
    args = parser.parse_args()
    voices = DEV_VOICES if args.dev else VOICES
    started = time.perf_counter()
    body = describe_with(voices, measure_with(voices, args.show))
    print(body)
    print(f"({time.perf_counter() - started:.0f} s)")
    if not args.dev:
        write_section(section, body)


def main() -> None:
    run("Sounds that are not answers", measure, describe, "print each sound taken")


if __name__ == "__main__":
    main()
