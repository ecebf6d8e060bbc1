"""Measure ``asr.spread.SUPPRESSED_SPREAD``: how much narrower each cepstrum of speech
is once it has been through white noise and noise suppression than the same speech
clean.

Ten espeak-ng voices that neither the development set nor the benchmark uses say a
sample of the grammars' phrases (none of the development or benchmark answers), clean
and in white noise at 10 and 15 dB; the noisy copies are suppressed as a conversation
suppresses them. Each factor is the standard deviation of the clean speech's cepstrum
over that of the suppressed speech, each utterance's mean taken off. The clean copy
has the faint floor a conversation gives clean speech (``audio.floor``).

Run: python -m bench.suppressed_spread   (about three minutes; prints the factors)
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from bench.voice import ANSWERS, DEV_ANSWERS, QUESTIONS
from skill.asr.cepstra import FrontEnd
from skill.asr.grammar import GrammarBuilder
from skill.asr.sphinx_model import read_settings
from skill.asr.spread import SUPPRESSED_SPREAD
from skill.audio.denoise import default_denoiser
from skill.audio.floor import with_noise_floor
from skill.audio.vad import speech_and_background_power
from skill.audio.wav import read_wav
from skill.nlu.understand import default_understander
from tests.voice.speech import synthesize, with_noise

VOICES = ["espeak:en-us+m1", "espeak:en-us+m2", "espeak:en+m4", "espeak:en-us+m6",
          "espeak:en-us+m7", "espeak:en-us+f5", "espeak:en-us+Annie", "espeak:en+Steph",
          "espeak:en-us+Paul", "espeak:en-us+Linda"]
"""None of them speaks in the development set or the benchmark (bench/voice.py)."""
PER_QUESTION = 8
NOISE_DB = (10.0, 15.0)


def phrases() -> list[str]:
    """A few of each question's grammar phrases and taught examples, in a fixed draw."""
    builder = GrammarBuilder(default_understander())
    measured = {text for _, text, _ in DEV_ANSWERS} | {text for _, text, _ in ANSWERS}
    draw = random.Random(0)
    out: list[str] = []
    for question in QUESTIONS:
        candidates = [p for p in builder.answer_phrases(question)
                      + builder.taught_phrases(question) if p not in measured]
        draw.shuffle(candidates)
        out += candidates[:PER_QUESTION]
    return list(dict.fromkeys(out))


def measure() -> np.ndarray:
    from pocketsphinx import Decoder

    model = Decoder(loglevel="FATAL").config["hmm"]
    front_end = FrontEnd(read_settings(Path(model)))
    denoiser = default_denoiser()
    if not denoiser.load():
        raise SystemExit("noise suppression is not installed (the 'noise' extra)")
    def centred(samples: np.ndarray) -> np.ndarray:
        cepstra = front_end.cepstra(samples)
        return cepstra - cepstra.mean(0)

    said = phrases()
    clean_rows, suppressed_rows = [], []
    for index, voice in enumerate(VOICES):
        for text in said:
            path = synthesize(text, voice)
            clean = read_wav(path, 16000).samples
            clean_rows.append(centred(
                with_noise_floor(clean, speech_and_background_power(clean, 16000))))
            for snr in NOISE_DB:
                noisy = read_wav(with_noise(path, snr, seed=1 + index), 16000).samples
                suppressed_rows.append(centred(denoiser.clean(noisy, 16000)))
    spread: np.ndarray = np.vstack(clean_rows).std(0) / np.vstack(suppressed_rows).std(0)
    return spread


def main() -> None:
    spread = measure()
    print("measured:", ", ".join(f"{value:.2f}" for value in spread))
    print("in use:  ", ", ".join(f"{value:.2f}" for value in SUPPRESSED_SPREAD))


if __name__ == "__main__":
    main()
