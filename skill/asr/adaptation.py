"""Learning the speaker's voice during a conversation (feature-space MLLR, Gales 1998).

After each answer heard as a whole phrase of its question's grammar, the recogniser
says which phone each frame belongs to; this module gathers, per cepstrum, the
statistics of one linear map that brings this speaker's cepstra closest to the
model's Gaussians of those phones, and re-estimates the map. Later answers are
decoded through it. Nothing but the skill's own results is learnt from, so a voice
the model already hears well is barely changed, and one it mishears is pulled
towards the voices it was trained on (BENCHMARKS.md, "Voice").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .sphinx_model import PhoneGaussians

MIN_FRAMES = 300
"""Aligned speech (about three short answers) before a map is used: fewer frames
give a map that fits those answers rather than the voice."""
PRIOR_FRAMES = 300
"""How strongly the map is held towards changing nothing. Without it, voices the
model already heard well lost answers (nine development voices in conversations of
12 answers, clean: 340 of 369 right with no adaptation, 341 without the prior, 346
with 300 frames, 344 with 1000; no voice lost an answer with 300)."""
ROUNDS = 20
CHUNK_FRAMES = 100
MIN_FIT = -1.6
"""How much worse, on average per frame, the aligned phones may score than the best
phone for the frame before an answer is not learnt from. A grammar turns any speech
into some phrase of it; learning from speech that was not that phrase would teach
the wrong voice. Four development voices: of answers heard right, 90% scored above
-1.65 clean and -1.4 at 10 dB; of sentences the grammars have no phrase for, half
scored below -2.1 clean and -1.7 at 10 dB."""


def fit(per_phone: np.ndarray, placed: Sequence[tuple[int, int, int]]) -> float:
    """Mean, over the frames placed on phones, of the log-likelihood of the frame's
    phone minus that of the best phone (0 at best; lower for words that do not fit)."""
    best = per_phone.max(1)
    gaps = [per_phone[start:end, book] - best[start:end] for book, start, end in placed]
    return float(np.concatenate(gaps).mean())


@dataclass(frozen=True)
class PhoneSpan:
    phone: str
    """the model's phone name (a base phone, or one with its context after "(")"""
    start: int
    """first frame"""
    frames: int


class SpeakerAdaptation:
    """One speaker's statistics, and the map they give (identity until enough)."""

    def __init__(self, model: PhoneGaussians) -> None:
        self.model = model
        size = model.means.shape[-1]
        self.g = np.zeros((size, size + 1, size + 1))
        self.k = np.zeros((size, size + 1))
        self.frames = 0
        self.matrix = np.eye(size)

    @property
    def adapted(self) -> bool:
        return not np.array_equal(self.matrix, np.eye(len(self.matrix)))

    def apply(self, cepstra: np.ndarray) -> np.ndarray:
        return cepstra @ self.matrix.T

    def learn(self, cepstra: np.ndarray, spans: Sequence[PhoneSpan]) -> bool:
        """Add one answer's frames, each counted against its phone's Gaussians. Returns
        False, learning nothing, when no frame was placed on a phone or the words fit
        the sound too poorly to trust."""
        m = self.model
        # The model's features have each utterance's mean taken off, and so do these.
        x = cepstra - cepstra.mean(0) if len(cepstra) else cepstra
        placed = [(book, span.start, min(span.start + span.frames, len(x)))
                  for span in spans
                  if (book := m.phones.get(span.phone.split("(")[0])) is not None
                  and 0 <= span.start < len(x) and span.frames > 0]
        if not placed:
            return False
        phone_of_frame = np.zeros(len(x), dtype=int)
        for book, start, end in placed:
            phone_of_frame[start:end] = book
        per_phone, own = self._scores(x, phone_of_frame)
        if fit(per_phone, placed) < MIN_FIT:
            return False
        for book, start, end in placed:
            frames = x[start:end]
            weights = np.exp(own[start:end] - own[start:end].max(1, keepdims=True))
            weights /= weights.sum(1, keepdims=True)
            extended = np.concatenate([np.ones((len(frames), 1)), frames], 1)
            self.g += np.einsum("ti,tj,tk->ijk", weights @ m.inverse_variances[book],
                                extended, extended)
            self.k += np.einsum("ti,tj->ij",
                                weights @ (m.means[book] * m.inverse_variances[book]),
                                extended)
            self.frames += len(frames)
        if self.frames >= MIN_FRAMES:
            estimate = self._estimate()
            if estimate is not None:
                self.matrix = estimate
        return True

    def _scores(self, x: np.ndarray, phone_of_frame: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
        """Log-likelihoods of each frame: under each phone (frame x phone), and under
        each Gaussian of the phone it was placed on (frame x Gaussian). Worked out
        a few frames at a time, to keep memory small for long answers."""
        m = self.model
        books, gaussians, size = m.means.shape
        inverse = m.inverse_variances.reshape(-1, size)
        means = m.means.reshape(-1, size)
        constant = m.log_norms.reshape(-1) - 0.5 * (means ** 2 * inverse).sum(-1)
        per_phone = np.empty((len(x), books))
        own = np.empty((len(x), gaussians))
        for start in range(0, len(x), CHUNK_FRAMES):
            part = x[start:start + CHUNK_FRAMES]
            scores = (constant - 0.5 * (part ** 2) @ inverse.T
                      + part @ (means * inverse).T).reshape(len(part), books, gaussians)
            peak = scores.max(-1)
            per_phone[start:start + len(part)] = peak + np.log(
                np.exp(scores - peak[..., None]).sum(-1))
            own[start:start + len(part)] = scores[np.arange(len(part)),
                                                  phone_of_frame[start:start + len(part)]]
        return per_phone, own

    def _estimate(self) -> np.ndarray | None:
        """Row by row maximum likelihood update (Gales 1998, diagonal covariances);
        None when the statistics give no usable map."""
        size = len(self.matrix)
        w = np.concatenate([np.zeros((size, 1)), np.eye(size)], 1)
        # Held towards the identity map: as if PRIOR_FRAMES more frames, with this
        # speaker's spread, had been heard that the model fits as they are.
        g, k = self.g.copy(), self.k.copy()
        frames = self.frames + PRIOR_FRAMES
        for i in range(size):
            prior = PRIOR_FRAMES / self.frames * np.diag(np.diag(self.g[i]))
            g[i] += prior
            k[i, i + 1] += prior[i + 1, i + 1] - PRIOR_FRAMES
        try:
            inverses = [np.linalg.inv(g[i]) for i in range(size)]
            for _ in range(ROUNDS):
                for i in range(size):
                    a = w[:, 1:]
                    cofactors = np.concatenate([[0.0],
                                                (np.linalg.det(a) * np.linalg.inv(a).T)[i]])
                    e1 = cofactors @ inverses[i] @ cofactors
                    e2 = cofactors @ inverses[i] @ k[i]
                    w[i] = (self._step(e1, e2, frames) * cofactors + k[i]) @ inverses[i]
        except np.linalg.LinAlgError:
            return None
        matrix = w[:, 1:]  # the offset is taken off again by mean normalisation
        if not np.isfinite(matrix).all() or abs(np.linalg.det(matrix)) < 1e-6:
            return None
        return matrix

    def _step(self, e1: float, e2: float, frames: float) -> float:
        """The root of the row's quadratic that gives the higher likelihood."""
        root = np.sqrt(e2 ** 2 + 4 * e1 * frames)
        return float(max((-e2 + root) / (2 * e1), (-e2 - root) / (2 * e1),
                         key=lambda c: frames * np.log(abs(c * e1 + e2))
                         - c * c * e1 / 2))
