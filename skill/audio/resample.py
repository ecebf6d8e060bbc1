"""Band-limited resampling with numpy only (windowed-sinc low-pass, then interpolation)."""

from __future__ import annotations

import numpy as np

_TAPS = 63


def resample(samples: np.ndarray, source_rate: int, target_rate: int) -> np.ndarray:
    """``samples`` (float, mono) from ``source_rate`` to ``target_rate``."""
    if source_rate == target_rate or len(samples) == 0:
        return samples.astype(np.float32)
    if target_rate < source_rate:
        samples = _low_pass(samples, cutoff=0.45 * target_rate / source_rate)
    duration = len(samples) / source_rate
    count = max(1, int(round(duration * target_rate)))
    old_times = np.arange(len(samples)) / source_rate
    new_times = np.arange(count) / target_rate
    resampled: np.ndarray = np.interp(new_times, old_times, samples).astype(np.float32)
    return resampled


def _low_pass(samples: np.ndarray, cutoff: float) -> np.ndarray:
    """``cutoff`` as a fraction of the source sample rate."""
    n = np.arange(_TAPS) - (_TAPS - 1) / 2
    kernel = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hamming(_TAPS)
    kernel /= kernel.sum()
    return np.convolve(samples, kernel, mode="same").astype(np.float32)
