"""The spread of noise-suppressed speech's cepstra, put back before decoding.

Noise suppression (``audio.denoise``) leaves speech flatter than it was: frame to
frame, each cepstrum varies less than the same speech recorded clean, most of all in
the higher cepstra, which carry the shape of the spectrum that tells phones apart.
The acoustic model was trained on clean speech, so suppressed speech is scaled back
to the spread clean speech has, one factor per cepstrum.

The factors are measured, not tuned: ten espeak-ng voices that neither the
development set nor the benchmark uses said 94 of the grammars' phrases, clean and in
white noise at 10 and 15 dB; each factor is the standard deviation of the clean
speech's cepstrum over that of the same speech noisy and suppressed (each
utterance's mean taken off). ``python -m bench.suppressed_spread`` measures them
again. flite's voices are flattened less than espeak-ng's, but these factors still
bring them closer to their clean spread (tests/voice/test_spread.py).

Only the first rendering of noisy speech is decoded from these cepstra; the other
renderings are still heard through PocketSphinx's own front end
(``asr.pocketsphinx``). Development set, seven voices, answers each the first of its
conversation: 10 dB 242 -> 250 of 287 right, 15 dB 254 -> 261; in conversations
(where the speaker's map learns much of the same) 248 -> 251 and 262 -> 262. Warning
signs understood from answers with none rose by one or two (of 245) in each. On the
benchmark's voices: 10 dB 73.0% -> 74.9% alone, 75.3% -> 75.8% in conversations,
15 dB 84.7% -> 87.4%, and those warning signs fell (3 -> 0, 1 -> 0 and 2 -> 1 of
190). Scaling by the factors' square root, or their power 1.5, gave 245 and 242 at
10 dB on the development set.
"""

from __future__ import annotations

import numpy as np

SUPPRESSED_SPREAD = (1.44, 1.19, 1.23, 1.52, 1.50, 1.91, 1.69, 1.71, 1.76, 1.76, 1.72,
                     1.77, 1.57)
"""Clean speech's spread over suppressed speech's, for each of the 13 cepstra."""


def restore_spread(cepstra: np.ndarray) -> np.ndarray:
    """Cepstra of noise-suppressed speech (frames x 13) scaled to clean speech's spread.

    A scale about zero: the decoder and the speaker adaptation take each utterance's
    mean off, so the mean needs no care."""
    restored: np.ndarray = cepstra * np.asarray(SUPPRESSED_SPREAD)
    return restored
