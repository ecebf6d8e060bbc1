"""Quiet speech: the benchmark's short answers spoken softly, as someone who keeps their
voice down at night, or speaks from across the room, reaches the microphone.

Each answer (``bench/spoken_answers.yaml``, the five benchmark voices) is scaled so
that its speech (the loudest tenth of 20 ms frames) stands at a given level, with a
microphone's own faint hiss under it (about -80 dBFS: no microphone gives digital
silence), clean and in white noise 15 dB below the speech. Also: sounds with no answer
in them (``bench.voice.noise_sounds``) at the quietest level, and how many of them are
heard as an answer, or as a warning sign.

Run: python -m bench.quiet_speech   (about five minutes)
"""

from __future__ import annotations

import numpy as np

from bench.report import write_section
from bench.voice import ANSWERS, QUESTIONS, VOICES, noise_sounds
from skill.asr.engine import hear_audio, open_recognizer
from skill.audio.vad import speech_and_background_power
from skill.audio.wav import Audio, read_wav
from skill.nlu.understand import default_understander
from tests.nlu.test_heldout import understood
from tests.voice.speech import synthesize, with_noise

LEVELS = [None, -40.0, -50.0, -60.0]
"""Speech level in dBFS (None: as synthesized, about -16 dBFS)."""
NOISY_LEVELS = [None, -50.0]
HISS = 3.0
"""The microphone's own noise: standard deviation in 16-bit steps."""


def at_level(samples: np.ndarray, dbfs: float | None) -> np.ndarray:
    if dbfs is None:
        return samples
    measured = speech_and_background_power(samples, 16000)
    assert measured is not None
    scale = 10 ** ((dbfs - 10 * np.log10(measured[0] / 32768.0 ** 2)) / 20)
    hiss = np.random.default_rng(len(samples)).normal(0, HISS, len(samples))
    return np.clip(np.round(samples * scale + hiss), -32768, 32767).astype(np.int16)


def right_answers(recognizer, dbfs: float | None, snr: float | None) -> tuple[int, int]:
    right = total = 0
    for voice in VOICES:
        for expecting, text, spec in ANSWERS:
            path = synthesize(text, voice)
            samples = read_wav(with_noise(path, snr) if snr else path, 16000).samples
            recognizer.new_speaker()
            recognizer.prepare(expecting)
            heard = hear_audio(recognizer, Audio(at_level(samples, dbfs), 16000), expecting)
            right += understood(expecting, heard.text, spec)
            total += 1
    return right, total


def faint_sounds(recognizer, dbfs: float) -> tuple[int, int, int]:
    """Of the sounds with no answer, heard in every question at ``dbfs``: how many were
    heard as words, how many as a warning sign, out of how many."""
    words = warnings = total = 0
    for samples in noise_sounds().values():
        quiet = at_level(samples, dbfs)
        for question in QUESTIONS:
            recognizer.prepare(question)
            heard = hear_audio(recognizer, Audio(quiet, 16000), question)
            meaning = default_understander().understand(heard.text, question)
            words += bool(heard.text)
            warnings += bool(meaning.slots.get("red_flags"))
            total += 1
    return words, warnings, total


def main() -> None:
    recognizer = open_recognizer("pocketsphinx")
    rows = []
    for snr, levels in ((None, LEVELS), (15.0, NOISY_LEVELS)):
        for dbfs in levels:
            right, total = right_answers(recognizer, dbfs, snr)
            speech = "as synthesized (about -16 dBFS)" if dbfs is None else f"{dbfs:g} dBFS"
            noise = "clean" if snr is None else f"{snr:g} dB white noise"
            row = f"| {speech} | {noise} | {right}/{total} ({100 * right / total:.1f}%) |"
            print(row, flush=True)
            rows.append(row)
    words, warnings, total = faint_sounds(recognizer, -50.0)
    faint = (f"Sounds with no answer in them (hiss, clicks, a chord, reversed speech, three "
             f"voices at once; `bench.voice.noise_sounds`) at -50 dBFS, in each of the 12 "
             f"questions: heard as words {words} of {total}, as a warning sign {warnings}.")
    print(faint)
    body = ("The benchmark's 43 short answers, five voices, spoken softly: the speech "
            "scaled to the level given, over a microphone's own faint hiss "
            "(`python -m bench.quiet_speech`). Quiet speech is made louder before it is "
            "recognised (`skill/audio/gain.py`).\n\n"
            "| speech level | background | answers right |\n|---|---|---|\n"
            + "\n".join(rows) + "\n\n" + faint)
    write_section("Quiet speech", body)


if __name__ == "__main__":
    main()
