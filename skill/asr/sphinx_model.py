"""What speaker adaptation needs from a PocketSphinx acoustic model folder: the front
end's settings (``feat.params``), each phone's Gaussians for the static cepstra
(``means``, ``variances``) and the phones' names (``mdef``).

Only phonetically tied models ("ptm", one codebook of Gaussians per base phone, as the
PyPI wheel's en-us model is) are read; anything else raises ``ModelFormatError``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np


class ModelFormatError(ValueError):
    """The model folder is not one this reader understands."""


@dataclass(frozen=True)
class FrontEndSettings:
    """How the model's cepstra were computed (PocketSphinx's defaults for 16 kHz,
    overridden by the model's ``feat.params``)."""

    lower_hz: float = 133.33334
    upper_hz: float = 6855.4976
    filters: int = 40
    lifter: int = 0
    transform: str = "legacy"
    cepstra: int = 13


def read_settings(folder: Path) -> FrontEndSettings:
    words = (folder / "feat.params").read_text().split()
    given = dict(zip(words[::2], words[1::2], strict=False))
    defaults = FrontEndSettings()
    return FrontEndSettings(
        lower_hz=float(given.get("-lowerf", defaults.lower_hz)),
        upper_hz=float(given.get("-upperf", defaults.upper_hz)),
        filters=int(given.get("-nfilt", defaults.filters)),
        lifter=int(given.get("-lifter", defaults.lifter)),
        transform=given.get("-transform", defaults.transform),
        cepstra=int(given.get("-ceplen", defaults.cepstra)),
    )


@dataclass(frozen=True)
class PhoneGaussians:
    """Per base phone, its codebook's Gaussians over the static cepstra."""

    means: np.ndarray
    """phone codebook x Gaussian x cepstrum"""
    inverse_variances: np.ndarray
    log_norms: np.ndarray
    """log of each Gaussian's normalising factor (very low for unused Gaussians)"""
    phones: dict[str, int]
    """base phone name -> codebook"""


def read_gaussians(folder: Path, cepstra: int = 13) -> PhoneGaussians:
    if "ptm" not in (folder / "feat.params").read_text():
        raise ModelFormatError(f"{folder}: not a phonetically tied (ptm) model")
    phones = _phones(folder / "mdef")
    means = _static_stream(folder / "means", cepstra)
    variances = _static_stream(folder / "variances", cepstra)
    if means.shape[0] != len(phones) or means.shape != variances.shape:
        raise ModelFormatError(f"{folder}: {means.shape[0]} codebooks for {len(phones)} phones")
    unused = (variances <= 0).any(-1)
    inverse = 1.0 / np.maximum(variances, 1e-3)
    return PhoneGaussians(means=means, inverse_variances=inverse,
                          log_norms=0.5 * np.log(inverse).sum(-1) - 1e9 * unused,
                          phones=phones)


def _static_stream(path: Path, cepstra: int) -> np.ndarray:
    """A Gaussian parameter file: codebook x density x the first stream's values."""
    data = path.read_bytes()
    try:
        start = data.index(b"endhdr\n") + len(b"endhdr\n") + 4  # after the byte-order word
    except ValueError:
        raise ModelFormatError(f"{path}: no header") from None
    codebooks, streams, density = struct.unpack_from("<3i", data, start)
    widths = struct.unpack_from(f"<{streams}i", data, start + 12)
    if widths[0] != cepstra:
        raise ModelFormatError(f"{path}: first stream has {widths[0]} values, not {cepstra}")
    values = np.frombuffer(data, dtype="<f4", count=codebooks * density * sum(widths),
                           offset=start + 16 + 4 * streams)
    per_codebook = values.reshape(codebooks, density * sum(widths))
    static = per_codebook[:, :density * cepstra].reshape(codebooks, density, cepstra)
    return static.astype(np.float64)


def _phones(path: Path) -> dict[str, int]:
    """Base phone names in the binary mdef's order (which is their codebooks' order)."""
    data = path.read_bytes()
    if data[:4] != b"BMDF":
        raise ModelFormatError(f"{path}: not a binary model definition")
    header_length = struct.unpack_from("<i", data, 8)[0]
    start = 12 + header_length
    count = struct.unpack_from("<i", data, start)[0]
    names = data[start + 40:].split(b"\0")[:count]  # after ten counts
    return {name.decode("ascii"): book for book, name in enumerate(names)}
