"""Talking over the skill while it speaks (``cramp-coach listen --barge-in``).

Two questions, over the microphone's own faint hiss (about -80 dBFS):

- **How soon the skill stops** when the user starts talking: the skill says one of its
  long sentences, through ``SpeakerOut`` and the microphone's endpointing, on a sound
  device that runs on the wall clock (``tests/voice/test_barge_in.py``'s room; this
  machine has no loudspeaker nor microphone); the benchmark voices say a word or an
  answer 1 s or 2.5 s into it. Measured from the start of the user's first word to the
  moment the playback was stopped.
- **What stops it when nobody is talking to it**: sounds of a bedroom (a fan's steady
  noise at several levels, the sounds with no answer in ``bench.voice.noise_sounds``)
  and the skill's own voice coming back into the microphone at several levels, as echo
  cancellation that is not perfect leaves it, each played under the skill's replies.
  Counted as the microphone's endpointing counts them (a barge-in is the start of an
  utterance), over 30 s or more of each.

Run: python -m bench.barge_in   (about five minutes)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

from bench.report import write_section
from bench.voice import VOICES, noise_sounds
from skill.audio.denoise import default_denoiser
from skill.audio.endpoint import FRAME_MS, Endpointer, SpeechDetector
from skill.audio.mic import Microphone
from skill.audio.wav import read_wav
from skill.dialogue.session import Session
from skill.dialogue.turn import SpeechPart
from skill.listen import SpeakerOut
from skill.tts.speaker import Speaker
from tests.voice.speech import MICROPHONE_HISS, frames, softly, synthesize
from tests.voice.test_barge_in import Room, said_between

RATE = 16000
SENTENCE = ("Grab your toes, or loop a towel or belt around the ball of your foot, and pull "
            "the foot up towards your shin.")
SAID_OVER = ["stop", "slower", "no", "my left calf"]
AT_SECONDS = (1.0, 2.5)


def how_soon(speaker: Speaker) -> tuple[list[float], int, int]:
    """Seconds from the start of the user's words to the playback stopped, for each
    voice, word and moment; how many times it stopped, and of how many."""
    delays: list[float] = []
    stopped = tries = 0
    for voice in VOICES:
        for words in SAID_OVER:
            samples = read_wav(synthesize(words, voice), RATE).samples
            begins, _ = said_between(samples)
            for at in AT_SECONDS:
                room = Room([(at, samples)], seconds=at + 12.0)
                sys.modules["sounddevice"] = room  # type: ignore[assignment]
                microphone = Microphone(RATE, denoiser=default_denoiser())
                out = SpeakerOut(speaker, microphone, barge_in=True)
                room.begin()
                out.speak([SpeechPart(SENTENCE)], 140, 1.0)
                tries += 1
                first = room.played[0]
                if first.cut_short and first.stopped is not None:
                    stopped += 1
                    delays.append(first.stopped - (at + begins))
    return delays, stopped, tries


def replies() -> np.ndarray:
    """The skill's voice saying its replies to a night calf cramp (16 kHz)."""
    session = Session(timed_hold=True)
    texts = [session.start().say]
    for answer in ("yes", "it's easing", "at night", "no", "no"):
        texts.append(session.handle(answer).say)
    speaker = Speaker()
    with tempfile.TemporaryDirectory() as folder:
        sounds = [read_wav(speaker.save(text, Path(folder) / f"{n}.wav"), RATE).samples
                  for n, text in enumerate(texts)]
    return np.concatenate(sounds)


def starts(sound: np.ndarray) -> int:
    """How many utterances the microphone's endpointing starts in ``sound`` (each would
    stop the skill's speech), listening again after each, as ``SpeakerOut`` does."""
    detector = SpeechDetector(RATE, 2, default_denoiser())
    count = 0
    endpointer = Endpointer(RATE, detector)
    for frame in frames(sound, FRAME_MS):
        if endpointer.push(frame):
            count += 1  # it started, and ended: listen for the next
            endpointer = Endpointer(RATE, detector)
    return count + endpointer.started


def in_the_room(length: int, under: np.ndarray, seed: int) -> np.ndarray:
    sound = np.random.default_rng(seed).normal(0, MICROPHONE_HISS, length) + under[:length]
    return np.clip(np.round(sound), -32768, 32767).astype(np.int16)


def false_stops(voice: np.ndarray) -> list[tuple[str, float, int]]:
    """(what was in the room, seconds of it, utterances started) with nobody talking."""
    length = len(voice)
    rows: list[tuple[str, float, int]] = []
    rng = np.random.default_rng(5)
    rows.append(("the microphone's hiss alone", length / RATE,
                 starts(in_the_room(length, np.zeros(length), 1))))
    for dbfs in (-50, -40, -30):
        fan = rng.normal(0, 1.0, length)
        rows.append((f"a fan's steady noise at {dbfs} dBFS", length / RATE,
                     starts(softly(fan, dbfs, seed=2))))
    for name, sound in noise_sounds().items():
        repeated = np.tile(np.concatenate([sound.astype(np.float64), np.zeros(RATE)]),
                           30 * RATE // (len(sound) + RATE) + 1)
        rows.append((name + ", again and again", len(repeated) / RATE,
                     starts(in_the_room(len(repeated), repeated, 3))))
    for dbfs in (-60, -50, -40, -30):
        rows.append((f"the skill's own voice back at {dbfs} dBFS", length / RATE,
                     starts(softly(voice, dbfs, seed=4))))
    return rows


def main() -> None:
    delays, stopped, tries = how_soon(Speaker())
    voice = replies()
    rows = false_stops(voice)
    lines = [
        "`python -m bench.barge_in`: talking over the skill while it speaks "
        "(`cramp-coach listen --barge-in`, for a headset or an echo-cancelling "
        "microphone). The sound device runs on the wall clock; pyttsx3, the "
        "microphone's endpointing and the conversation are real.",
        "",
        "**How soon it stops.** The five benchmark voices said "
        f"{', '.join(repr(w) for w in SAID_OVER)} "
        f"{' s and '.join(f'{a:g}' for a in AT_SECONDS)} s into a long sentence: it stopped "
        f"{stopped} times of {tries}.",
        "",
        "| from the start of the user's first word to the speech stopped | figure |",
        "|---|---|",
        f"| median | {statistics.median(delays) * 1000:.0f} ms |" if delays else "| median | - |",
        f"| slowest | {max(delays) * 1000:.0f} ms |" if delays else "| slowest | - |",
        "",
        "**What stops it when nobody is talking to it** (an utterance started, as the "
        "microphone's endpointing starts one, while the skill's replies to a night calf "
        "cramp were said):",
        "",
        "| in the room | seconds | times it would have stopped |",
        "|---|---|---|",
    ]
    lines += [f"| {name} | {seconds:.0f} | {count} |" for name, seconds, count in rows]
    body = "\n".join(lines)
    print(body)
    write_section("Talking over the skill (barge-in)", body)


if __name__ == "__main__":
    main()
