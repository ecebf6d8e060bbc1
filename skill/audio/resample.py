"""Band-limited resampling with numpy only (windowed-sinc low-pass, then interpolation,
or zero-stuffing and decimation between whole-multiple rates)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

_TAPS = 63
_SHARP_TAPS = 97


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


def resample_by_factor(samples: np.ndarray, source_rate: int, target_rate: int) -> np.ndarray:
    """``samples`` (float, mono) between rates one of which is a whole multiple of the
    other (16 kHz to 48 kHz and back), by zero-stuffing or decimation around a sharper
    low-pass filter; any other pair of rates goes through ``resample``."""
    low, high = sorted((source_rate, target_rate))
    if high % low:
        return resample(samples, source_rate, target_rate).astype(np.float64)
    factor = high // low
    if factor == 1:
        return samples
    kernel = upsampling_kernel(factor)
    if target_rate > source_rate:
        stuffed = np.zeros(len(samples) * factor)
        stuffed[::factor] = samples
        upsampled: np.ndarray = np.convolve(stuffed, kernel * factor, mode="same")
        return upsampled
    filtered: np.ndarray = np.convolve(samples, kernel, mode="same")
    return filtered[::factor]


def upsampling_kernel(factor: int) -> np.ndarray:
    """The low-pass filter ``resample_by_factor`` uses between rates ``factor`` apart."""
    return _kernel(0.95 / (2 * factor), _SHARP_TAPS, np.blackman)


def _low_pass(samples: np.ndarray, cutoff: float) -> np.ndarray:
    """``cutoff`` as a fraction of the source sample rate."""
    kernel = _kernel(cutoff, _TAPS, np.hamming)
    return np.convolve(samples, kernel, mode="same").astype(np.float32)


def _kernel(cutoff: float, taps: int, window: Callable[[int], np.ndarray]) -> np.ndarray:
    """A windowed-sinc low-pass filter; ``cutoff`` as a fraction of the sample rate."""
    n = np.arange(taps) - (taps - 1) / 2
    kernel = 2 * cutoff * np.sinc(2 * cutoff * n) * window(taps)
    result: np.ndarray = kernel / kernel.sum()
    return result
