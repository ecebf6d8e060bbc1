"""Where speech models are found, which engine is used, and fetching official vosk models."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .vosk import is_vosk_model, supports_runtime_grammar

ENV_MODEL = "CRAMP_COACH_MODEL"
ENV_INDEX = "CRAMP_COACH_MODEL_INDEX"
OFFICIAL_INDEX = "https://alphacephei.com/vosk/models/model-list.json"
PROJECT_MODELS = Path(__file__).resolve().parents[2] / "models"


class ModelError(RuntimeError):
    """A model cannot be found, fetched or used; the message says what to do."""


def user_models_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "cramp-coach" / "models"


def search_dirs() -> list[Path]:
    return [PROJECT_MODELS, user_models_dir()]


@dataclass(frozen=True)
class FoundModel:
    path: Path
    source: str
    grammar: bool


def installed_models() -> list[FoundModel]:
    found = []
    for folder in search_dirs():
        if folder.is_dir():
            for child in sorted(folder.iterdir()):
                if child.is_dir() and is_vosk_model(child):
                    found.append(FoundModel(child, str(folder), supports_runtime_grammar(child)))
    return found


def find_vosk_model(explicit: str | None = None) -> FoundModel | None:
    """--model, then CRAMP_COACH_MODEL, then models/ and the user's data folder."""
    for source, value in (("--model", explicit), (ENV_MODEL, os.environ.get(ENV_MODEL))):
        if value:
            path = Path(value).expanduser()
            if not is_vosk_model(path):
                raise ModelError(f"{source} points to {path}, which is not a vosk model folder "
                                 "(it needs am/final.mdl and conf/)")
            return FoundModel(path, source, supports_runtime_grammar(path))
    models = installed_models()
    return models[0] if models else None


def choose_engine(engine: str = "auto", model: str | None = None) -> tuple[str, Path | None]:
    """Which engine a conversation uses, and the vosk model path if vosk."""
    if engine == "pocketsphinx":
        return "pocketsphinx", None
    found = find_vosk_model(model)
    if found is not None:
        return "vosk", found.path
    if engine == "vosk":
        raise ModelError("no vosk model is installed; see models/README.md, or run "
                         "'cramp-coach models download vosk-model-small-en-us-0.15'")
    return "pocketsphinx", None


def describe() -> str:
    lines = []
    models = installed_models()
    env = os.environ.get(ENV_MODEL)
    if env:
        lines.append(f"{ENV_MODEL}={env}")
    if models:
        lines.append("Installed vosk models:")
        for found in models:
            kind = "phrase lists (small/lgraph)" if found.grammar else "open transcription only"
            lines.append(f"  {found.path.name}  in {found.source}  [{kind}]")
    else:
        lines.append("No vosk model installed (looked in: "
                     + ", ".join(str(d) for d in search_dirs()) + ").")
    try:
        engine, path = choose_engine("auto")
    except ModelError as error:
        engine, path = "none", None
        lines.append(str(error))
    lines.append(f"Engine that would be used: {engine}" + (f" ({path})" if path else
                                                             " (embedded US-English model)"))
    return "\n".join(lines)


def download(name: str, target: Path | None = None, index_url: str | None = None,
             progress: bool = True) -> Path:
    """Fetch an official vosk model by name, check its MD5 sum, unpack it."""
    target = target or user_models_dir()
    index_url = index_url or os.environ.get(ENV_INDEX) or OFFICIAL_INDEX
    try:
        with urllib.request.urlopen(index_url, timeout=20) as response:
            index = json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot reach the model list at {index_url} ({error}). "
                         "Check the network connection, or install a model by hand "
                         "(models/README.md).") from error
    entry = next((e for e in index if isinstance(e, dict) and e.get("name") == name), None)
    if entry is None:
        names = ", ".join(sorted(str(e.get("name")) for e in index if isinstance(e, dict)
                                 and str(e.get("lang", "")).startswith("en")))
        raise ModelError(f"no model called {name!r}. English models: {names}")
    url = str(entry["url"])
    expected_md5 = str(entry.get("md5", "")).lower()
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target) as tmp:
        archive = Path(tmp) / f"{name}.zip"
        try:
            _fetch(url, archive, int(entry.get("size", 0) or 0), progress)
        except OSError as error:
            raise ModelError(f"download of {url} failed ({error})") from error
        actual = hashlib.md5(archive.read_bytes()).hexdigest()  # noqa: S324 - as published
        if expected_md5 and actual != expected_md5:
            raise ModelError(f"checksum mismatch for {name}: got {actual}, expected "
                             f"{expected_md5}; the file was not installed")
        with zipfile.ZipFile(archive) as bundle:
            for member in bundle.namelist():
                resolved = (Path(tmp) / member).resolve()
                if not str(resolved).startswith(str(Path(tmp).resolve())):
                    raise ModelError(f"unsafe path {member!r} in the archive")
            bundle.extractall(tmp)
        unpacked = Path(tmp) / name
        if not is_vosk_model(unpacked):
            candidates = [p for p in Path(tmp).iterdir() if p.is_dir() and is_vosk_model(p)]
            if not candidates:
                raise ModelError(f"{name} did not unpack into a vosk model")
            unpacked = candidates[0]
        final = target / name
        if final.exists():
            shutil.rmtree(final)
        shutil.move(str(unpacked), final)
    return final


def _fetch(url: str, destination: Path, size_hint: int, progress: bool) -> None:
    with urllib.request.urlopen(url, timeout=60) as response, destination.open("wb") as out:
        total = int(response.headers.get("Content-Length") or size_hint or 0)
        done = 0
        while True:
            block = response.read(1 << 16)
            if not block:
                break
            out.write(block)
            done += len(block)
            if progress:
                _progress_bar(done, total)
    if progress:
        sys.stderr.write("\n")


def _progress_bar(done: int, total: int) -> None:
    if total:
        filled = int(30 * done / total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] "
                         f"{done / 1e6:6.1f} / {total / 1e6:.1f} MB")
    else:
        sys.stderr.write(f"\r{done / 1e6:6.1f} MB")
    sys.stderr.flush()
