"""vosk (Kaldi): the primary engine when a vosk model is installed.

Per question, the recogniser is limited to the phrases that question accepts
(``KaldiRecognizer(model, rate, json.dumps(phrases))``), which small and
lookahead ("lgraph") models support at run time. vosk builds a bigram model
from the list, so results can be sequences not in it: they are snapped to the
nearest phrase. Words the model does not know are dropped from the list with a
warning; the model's own unknown-word symbol (``[unk]`` or ``<UNK>``) is added.
Models whose graph cannot change at run time (large models) transcribe openly
and the text understanding does the rest.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from .base import Heard

_LOGGER = logging.getLogger(__name__)
CHUNK_BYTES = 8000
"""Audio is fed in chunks, as it would stream from a microphone."""
SNAP_CUTOFF = 75.0
UNKNOWN_SYMBOLS = ("[unk]", "<UNK>", "<unk>")


def is_vosk_model(path: Path) -> bool:
    return (path / "am" / "final.mdl").is_file() and (path / "conf").is_dir()


def supports_runtime_grammar(path: Path) -> bool:
    """Lookahead models (HCLr.fst + Gr.fst) take a phrase list; HCLG.fst models do not."""
    graph = path / "graph"
    return (graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file()


def model_sample_rate(path: Path, default: int = 16000) -> int:
    conf = path / "conf" / "mfcc.conf"
    if conf.is_file():
        for line in conf.read_text().splitlines():
            if line.startswith("--sample-frequency="):
                return int(float(line.split("=", 1)[1]))
    return default


@lru_cache(maxsize=2)
def load_model(path: Path) -> Any:
    """One loaded model per folder per process (a model can take hundreds of MB)."""
    from vosk import Model, SetLogLevel

    SetLogLevel(-2)
    return Model(str(path))


class VoskRecognizer:
    name = "vosk"

    def __init__(self, model_path: Path, phrases_for: Callable[[str | None], list[str]],
                 open_pass: bool = True) -> None:
        from vosk import KaldiRecognizer

        self._recognizer_class = KaldiRecognizer
        self.path = Path(model_path).resolve()
        self.model = load_model(self.path)
        self.sample_rate = model_sample_rate(self.path)
        self.grammar = supports_runtime_grammar(self.path)
        self.phrases_for = phrases_for
        self.open_pass = open_pass
        self.unknown = next((s for s in UNKNOWN_SYMBOLS if self.knows(s)), "[unk]")
        self._phrases: dict[str | None, list[str]] = {}
        if not self.grammar:
            _LOGGER.info("vosk model %s cannot take phrase lists at run time (no HCLr.fst/"
                         "Gr.fst): using open transcription and text understanding",
                         self.path.name)

    def knows(self, word: str) -> bool:
        return int(self.model.vosk_model_find_word(word)) >= 0

    def phrases(self, expecting: str | None) -> list[str]:
        if expecting not in self._phrases:
            kept, dropped = [], set()
            for phrase in self.phrases_for(expecting):
                missing = [w for w in phrase.split() if not self.knows(w)]
                if missing:
                    dropped.update(missing)
                else:
                    kept.append(phrase)
            if dropped:
                _LOGGER.warning("left out of the vosk grammar, not in the model's vocabulary: "
                                "%s", ", ".join(sorted(dropped)[:40]))
            self._phrases[expecting] = kept
        return self._phrases[expecting]

    def prepare(self, expecting: str | None) -> None:
        self.phrases(expecting)

    def new_speaker(self) -> None:
        """Nothing is carried from one answer to the next here: each answer gets a new
        KaldiRecognizer (which adapts within the answer, where the model has an
        i-vector extractor)."""

    def finished(self, expecting: str | None, words: str) -> bool:
        """Whether ``words`` are a phrase of the question's list that no longer phrase
        starts with (the understanding is not consulted here, so "my left calf" waits
        out the pause, as "my left calf muscle" is on the list)."""
        phrases = self.phrases(expecting) if self.grammar else []
        return words in phrases and not any(phrase.startswith(words + " ")
                                            for phrase in phrases)

    def unheard(self) -> None:
        """Nothing was learnt from it (``new_speaker``)."""

    def _decode(self, pcm: bytes, phrases: list[str] | None) -> str:
        if phrases:
            recognizer = self._recognizer_class(self.model, float(self.sample_rate),
                                                json.dumps(phrases + [self.unknown],
                                                           ensure_ascii=False))
        else:
            recognizer = self._recognizer_class(self.model, float(self.sample_rate))
        for start in range(0, len(pcm), CHUNK_BYTES):
            recognizer.AcceptWaveform(pcm[start:start + CHUNK_BYTES])
        result = json.loads(recognizer.FinalResult())
        return str(result.get("text", "")).strip()

    def recognize(self, pcm: bytes, expecting: str | None,
                  alternatives: Iterable[bytes] = (), suppressed: bool = False) -> Heard:
        """Words in ``pcm``; other renderings of it are not consulted (vosk gives no
        score that would choose between their phrases), and suppressed speech is
        decoded as it is (``asr.spread`` is measured for PocketSphinx's features)."""
        phrases = self.phrases(expecting) if self.grammar else []
        if phrases:
            text = self._decode(pcm, phrases)
            words = [w for w in text.split() if w not in UNKNOWN_SYMBOLS]
            if words and len(words) == len(text.split()):
                best = process.extractOne(" ".join(words), phrases, scorer=fuzz.ratio,
                                          score_cutoff=SNAP_CUTOFF)
                if best is not None:
                    return Heard(str(best[0]), best[1] / 100.0, True, self.name)
            if not self.open_pass:
                return Heard("", 0.0, False, self.name)
            _LOGGER.info("vosk grammar gave %r; transcribing openly", text)
        open_text = self._decode(pcm, None)
        return Heard(open_text, 0.4 if open_text else 0.0, False, self.name,
                     second_pass=bool(phrases))
