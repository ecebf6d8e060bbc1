"""Experiment, not part of the skill: would learning each speaker's voice during a
conversation help PocketSphinx hear them?

The method is feature-space MLLR (fMLLR, Gales 1998). After each answer heard as a
whole phrase of the question's grammar, the words are aligned to the sound, phone by
phone, and the skill learns one 13 x 13 linear map that brings this speaker's cepstra
closest to the model's own Gaussians. Later answers are decoded through that map. It
learns only from its own results, never from the right answers, and only from answers
already heard (causal), and it starts again every ``--turns`` answers, as a new
conversation would.

PocketSphinx cannot take such a map on raw audio, so this script computes the
cepstra itself (the model's feat.params front end, checked against PocketSphinx's own
output first) and decodes them with ``process_cep``. Development voices and answers
only (``bench/dev_answers.yaml``); the benchmark's held-out set is not touched.

Run: python -m bench.adaptation [--noise 10] [--turns 12]
"""

from __future__ import annotations

import argparse
import shutil
import struct
import tempfile
from pathlib import Path

import numpy as np
from pocketsphinx import Decoder, get_model_path

from bench.report import write_section
from bench.voice import DEV_ANSWERS, correct
from skill.asr.base import Heard
from skill.asr.engine import hear_audio, open_recognizer
from skill.asr.pocketsphinx import PocketSphinxRecognizer
from skill.audio.wav import Audio, read_wav
from tests.voice.speech import synthesize, with_noise

MODEL = Path(get_model_path()) / "en-us" / "en-us"
VOICES = ["flite:kal", "espeak:en-us+m3", "espeak:en+f2", "espeak:en-us+f1",
          "espeak:en-us+f4", "espeak:en+f3", "espeak:en-us+m5"]
MIN_FRAMES = 300
"""Frames of aligned speech (about three short answers) before a map is used."""

# -- the model's front end (feat.params: 130-6800 Hz, 25 filters, DCT, lifter 22) ------
RATE, FFT, FRAME, SHIFT, FILTERS, CEPSTRA = 16000, 512, 410, 160, 25, 13


def _mel(hz: float) -> float:
    return 2595.0 * float(np.log10(1.0 + hz / 700.0))


def _hz(mel: float) -> float:
    return 700.0 * (10 ** (mel / 2595.0) - 1.0)


def _filterbank(lower: float = 130.0, upper: float = 6800.0) -> np.ndarray:
    """Triangles of unit area, edges rounded to FFT bins, as sphinx's fe builds them."""
    step = RATE / FFT
    low, width = _mel(lower), (_mel(upper) - _mel(lower)) / (FILTERS + 1)
    bank = np.zeros((FILTERS, FFT // 2 + 1))
    for i in range(FILTERS):
        left, centre, right = (int(_hz(low + (i + j) * width) / step + 0.5) * step
                               for j in range(3))
        for k in range(FFT // 2 + 1):
            hz = k * step
            if hz < left:
                continue
            if hz > right or k == FFT // 2:
                break
            area = 2 / (right - left)
            bank[i, k] = min((hz - left) / (centre - left), (right - hz) / (right - centre)) * area
    return bank


_BANK = _filterbank()
_DCT = np.cos(np.pi / FILTERS * np.arange(CEPSTRA)[:, None] * (np.arange(FILTERS) + 0.5))
_DCT *= np.sqrt(2.0 / FILTERS)
_DCT[0] = np.sqrt(1.0 / FILTERS)
_LIFTER = 1 + 22 / 2 * np.sin(np.arange(CEPSTRA) * np.pi / 22)
_WINDOW = 0.54 - 0.46 * np.cos(2 * np.pi * np.arange(FRAME) / (FRAME - 1))


def cepstra(samples: np.ndarray) -> np.ndarray:
    """13 cepstra per 10 ms frame, as PocketSphinx computes them (without its noise
    removal, which changed no figure here)."""
    x = samples.astype(np.float64)
    emphasised = np.concatenate([x[:1], x[1:] - 0.97 * x[:-1]])
    count = 1 + (len(x) - FRAME) // SHIFT if len(x) >= FRAME else 0
    frames = emphasised[np.arange(FRAME)[None, :] + SHIFT * np.arange(count)[:, None]]
    power = np.abs(np.fft.rfft(frames * _WINDOW, FFT)) ** 2
    return (np.log(power @ _BANK.T + 1e-4) @ _DCT.T) * _LIFTER


def pocketsphinx_cepstra(samples: np.ndarray) -> np.ndarray:
    """PocketSphinx's own cepstra for the same sound (its -mfclogdir output), with its
    noise removal off (the model's feat.params turns it on, and overrides the caller)."""
    with tempfile.TemporaryDirectory() as folder:
        model = Path(folder) / "model"
        shutil.copytree(MODEL, model)
        params = model / "feat.params"
        params.write_text(params.read_text().replace("-remove_noise yes", "-remove_noise no"))
        decoder = Decoder(loglevel="FATAL", samprate=RATE, hmm=str(model), mfclogdir=folder)
        decoder.start_utt()
        decoder.process_raw(Audio(samples, RATE).pcm(), no_search=True, full_utt=True)
        decoder.end_utt()
        data = next(Path(folder).glob("*.mfc")).read_bytes()
    return np.frombuffer(data[4:], dtype=">f4").reshape(-1, CEPSTRA).astype(np.float64)


# -- the model's Gaussians (static stream) and phones ------------------------------------
def _gaussians(name: str) -> np.ndarray:
    """means or variances: codebook x density x 13, first (static) stream."""
    data = (MODEL / name).read_bytes()
    start = data.index(b"endhdr\n") + 7 + 4  # after the header and byte-order word
    codebooks, streams, density = struct.unpack("<3i", data[start:start + 12])
    widths = struct.unpack(f"<{streams}i", data[start + 12:start + 12 + 4 * streams])
    values = np.frombuffer(data, dtype="<f4", count=codebooks * density * sum(widths),
                           offset=start + 16 + 4 * streams)
    per_codebook = values.reshape(codebooks, density * sum(widths))
    return per_codebook[:, :density * widths[0]].reshape(codebooks, density, widths[0])


def _phones() -> dict[str, int]:
    """The model's base phones and their codebooks (the mdef's list, in order)."""
    data = (MODEL / "mdef").read_bytes()
    start = data.index(b"END FILE FORMAT DESCRIPTION") + 28
    while data[start] == 0:
        start += 1
    count = struct.unpack("<i", data[start:start + 4])[0]
    names = data[start + 40:].split(b"\0")[:count]
    return {name.decode(): book for book, name in enumerate(names)}


MEANS = _gaussians("means").astype(np.float64)
_VARIANCES = _gaussians("variances").astype(np.float64)
_UNUSED = (_VARIANCES <= 0).any(-1)
INVERSE_VARIANCES = 1 / np.maximum(_VARIANCES, 1e-3)
LOG_NORMS = 0.5 * np.log(INVERSE_VARIANCES).sum(-1) - 1e9 * _UNUSED
PHONES = _phones()


class Adaptation:
    """fMLLR statistics for one speaker, and the map they give."""

    def __init__(self) -> None:
        self.g = np.zeros((CEPSTRA, CEPSTRA + 1, CEPSTRA + 1))
        self.k = np.zeros((CEPSTRA, CEPSTRA + 1))
        self.frames = 0
        self.matrix = np.eye(CEPSTRA)

    def learn(self, features: np.ndarray, phones: list[tuple[str, int, int]]) -> None:
        x = features - features.mean(0)  # the model's features are mean-normalised
        for name, start, length in phones:
            base = name.split("(")[0]
            frames = x[start:start + length]
            book = PHONES.get(base)
            if book is None or not len(frames):
                continue
            scores = LOG_NORMS[book][None] - 0.5 * (
                (frames[:, None, :] - MEANS[book][None]) ** 2 * INVERSE_VARIANCES[book][None]
            ).sum(-1)
            weights = np.exp(scores - scores.max(1, keepdims=True))
            weights /= weights.sum(1, keepdims=True)
            extended = np.concatenate([np.ones((len(frames), 1)), frames], 1)
            self.g += np.einsum("ti,tj,tk->ijk", weights @ INVERSE_VARIANCES[book],
                                extended, extended)
            self.k += np.einsum("ti,tj->ij", weights @ (MEANS[book] * INVERSE_VARIANCES[book]),
                                extended)
            self.frames += len(frames)
        if self.frames >= MIN_FRAMES:
            self.matrix = self._estimate()

    def _estimate(self, rounds: int = 20) -> np.ndarray:
        """Row-by-row maximum likelihood update (Gales 1998, diagonal covariances)."""
        w = np.concatenate([np.zeros((CEPSTRA, 1)), np.eye(CEPSTRA)], 1)
        inverses = [np.linalg.inv(self.g[i]) for i in range(CEPSTRA)]
        for _ in range(rounds):
            for i in range(CEPSTRA):
                a = w[:, 1:]
                cofactors = np.concatenate([[0.0], (np.linalg.det(a) * np.linalg.inv(a).T)[i]])
                e1 = cofactors @ inverses[i] @ cofactors
                e2 = cofactors @ inverses[i] @ self.k[i]
                root = np.sqrt(e2 ** 2 + 4 * e1 * self.frames)
                alpha = max(((-e2 + root) / (2 * e1), (-e2 - root) / (2 * e1)),
                            key=lambda c: self.frames * np.log(abs(c * e1 + e2)) - c * c * e1 / 2)
                w[i] = (alpha * cofactors + self.k[i]) @ inverses[i]
        return w[:, 1:]  # the offset is taken off again by mean normalisation


class Aligner:
    """Which phone the model puts on each frame, for words already recognised."""

    def __init__(self) -> None:
        self.decoder = Decoder(loglevel="FATAL", samprate=RATE)

    def phones(self, features: np.ndarray, words: str) -> list[tuple[str, int, int]]:
        data = features.astype(np.float32).tobytes()
        try:
            self.decoder.set_align_text(words)
            self._pass(data)  # the words first
            if self.decoder.hyp() is None:
                return []
            self.decoder.set_alignment()
            self._pass(data)  # then the phones within them (hyp() here would crash)
            alignment = self.decoder.get_alignment()
        except RuntimeError:
            return []
        return [(p.name, p.start, p.duration) for p in alignment.phones()] if alignment else []

    def _pass(self, data: bytes) -> None:
        self.decoder.start_utt()
        self.decoder.process_cep(data, full_utt=True)
        self.decoder.end_utt()


def decode(recognizer: PocketSphinxRecognizer, features: np.ndarray, question: str) -> str:
    search = recognizer._search(question)
    recognizer.decoder.activate_search(search)
    recognizer.decoder.start_utt()
    recognizer.decoder.process_cep(features.astype(np.float32).tobytes(), full_utt=True)
    recognizer.decoder.end_utt()
    hyp = recognizer.decoder.hyp()
    return hyp.hypstr.strip() if hyp is not None else ""


class _Capture:
    """Stands where the recogniser would, to keep the sound ``hear_audio`` hands it."""

    name = "capture"
    sample_rate = RATE

    def __init__(self) -> None:
        self.pcm = b""

    def recognize(self, pcm: bytes, expecting: str | None) -> Heard:
        self.pcm = pcm
        return Heard("", 0.0, False, self.name)

    def prepare(self, expecting: str | None) -> None:
        pass


def voice_features(text: str, voice: str, snr: float | None, question: str) -> np.ndarray:
    """Cepstra of the sound a conversation would decode: ``hear_audio``'s own front end
    (speech gate, faint floor under clean speech, suppression of noisy speech)."""
    path = synthesize(text, voice)
    capture = _Capture()
    hear_audio(capture, read_wav(with_noise(path, snr) if snr else path, RATE), question)
    return cepstra(np.frombuffer(capture.pcm, dtype="<i2"))


def run(snr: float | None, turns: int) -> tuple[list[str], int, int, int]:
    recognizer = open_recognizer("pocketsphinx")
    assert isinstance(recognizer, PocketSphinxRecognizer)
    aligner = Aligner()
    rows, before, after = [], 0, 0
    for voice in VOICES:
        right = [0, 0]
        for index, (question, text, spec) in enumerate(DEV_ANSWERS):
            if index % turns == 0:
                adaptation = Adaptation()  # a new conversation
            features = voice_features(text, voice, snr, question)
            if not len(features):  # nothing but silence or noise: nothing heard
                continue
            plain = decode(recognizer, features, question)
            adapted = decode(recognizer, features @ adaptation.matrix.T, question)
            right[0] += correct(plain, question, spec)
            right[1] += correct(adapted, question, spec)
            if adapted and recognizer.accepts(question, adapted):
                adaptation.learn(features, aligner.phones(features, adapted))
        rows.append(f"| {voice} | {right[0]} | {right[1]} |")
        before, after = before + right[0], after + right[1]
        print(rows[-1], flush=True)
    return rows, before, after, len(VOICES) * len(DEV_ANSWERS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--noise", type=float, default=None, help="white noise at this SNR (dB)")
    parser.add_argument("--turns", type=int, default=12, help="answers per conversation")
    args = parser.parse_args()
    sample = read_wav(synthesize("my left calf is swollen", "flite:kal"), RATE).samples
    ours, theirs = cepstra(sample), pocketsphinx_cepstra(sample)
    gap = float(np.abs(ours - theirs[:len(ours)]).max())
    print(f"front end: {len(ours)} frames, largest difference from PocketSphinx's {gap:.4f}")
    rows, before, after, total = run(args.noise, args.turns)
    condition = "clean" if args.noise is None else f"{args.noise:g} dB white noise"
    summary = (f"all voices: {before}/{total} ({before / total:.1%}) -> "
               f"{after}/{total} ({after / total:.1%})")
    print(summary)
    write_section(f"Speaker adaptation experiment ({condition}, {args.turns} answers "
                  "per conversation)",
                  f"Not part of the skill: `bench/adaptation.py` (its docstring says how). "
                  f"Development voices and answers only; both columns go through the same "
                  f"front end (own cepstra, largest difference from PocketSphinx's "
                  f"{gap:.4f}; the skill itself still gives PocketSphinx the raw audio).\n\n"
                  "| voice | answers right, no adaptation | with fMLLR learnt during the "
                  "conversation |\n|---|---|---|\n" + "\n".join(rows) + f"\n\n{summary}.")


if __name__ == "__main__":
    main()
