"""Find the data folders (intents/, responses/, knowledge/) and read YAML."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

_PACKAGE_DIR = Path(__file__).resolve().parent
_FOLDERS = ("intents", "responses", "knowledge")


@lru_cache(maxsize=1)
def data_root() -> Path:
    """The folder that holds intents/, responses/ and knowledge/.

    An installed wheel carries them in ``skill/_data``; a source checkout has
    them beside the package. ``CRAMP_COACH_DATA`` overrides both.
    """
    override = os.environ.get("CRAMP_COACH_DATA")
    candidates = [Path(override)] if override else []
    candidates += [_PACKAGE_DIR / "_data", _PACKAGE_DIR.parent]
    for candidate in candidates:
        if all((candidate / name).is_dir() for name in _FOLDERS):
            return candidate
    raise FileNotFoundError(
        "Cramp Coach cannot find its intents/, responses/ and knowledge/ folders "
        f"(looked in: {', '.join(str(c) for c in candidates)})"
    )


def data_path(*parts: str) -> Path:
    return data_root().joinpath(*parts)


def load_yaml(*parts: str) -> Any:
    with data_path(*parts).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def yaml_files(*parts: str) -> list[Path]:
    """Every YAML file in a data folder, in name order."""
    return sorted(data_path(*parts).glob("*.yaml"))
