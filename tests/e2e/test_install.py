"""How the skill is installed: from the checkout by scripts/setup, and as a wheel for
a device (a smart speaker) with no checkout beside it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.e2e.cli import OFFLINE_HOOK, ROOT, command, turns


def test_the_installed_command_looks_for_models_in_the_checkouts_models_folder(
        tmp_path) -> None:
    # models/README.md: a vosk model unpacked into this models/ folder is found,
    # from whatever folder the command is run
    env_home = {"XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run([*command(), "models"], capture_output=True, cwd=tmp_path,
                            env={**os.environ, **env_home}, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert str(ROOT / "models") in result.stdout.decode()


def test_edits_to_the_checkouts_phrases_and_replies_reach_the_installed_command(
        tmp_path) -> None:
    # a clinician edits responses/ or intents/ and runs .venv/bin/cramp-coach:
    # the command reads the checkout's files, not a copy made at install time
    result = subprocess.run(
        [sys.executable, "-c", "from skill.data import data_root; print(data_root())"],
        capture_output=True, cwd=tmp_path, timeout=60, check=False,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",
                                                              "CRAMP_COACH_DATA")})
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.decode().strip()) == ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(ROOT)], check=True, capture_output=True,
                   timeout=300)
    return next(out.glob("cramp_coach-*.whl"))


def test_a_wheel_carries_the_phrases_replies_and_knowledge(wheel) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for folder in ("intents/en", "responses/en", "knowledge"):
        assert any(name.startswith(f"skill/_data/{folder}/") and name.endswith(".yaml")
                   for name in names), folder


def test_a_skill_installed_from_the_wheel_talks_with_no_checkout_beside_it(
        wheel, tmp_path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(OFFLINE_HOOK), str(target)])}
    env.pop("CRAMP_COACH_DATA", None)
    result = subprocess.run([sys.executable, "-m", "skill", "chat", "--json"],
                            input=b"yes\nit's not easing\n", capture_output=True,
                            cwd=elsewhere, env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert len(turns(result)) == 3
    located = subprocess.run(
        [sys.executable, "-c", "import skill; print(skill.__file__)"], capture_output=True,
        cwd=elsewhere, env=env, timeout=60, check=True)
    assert Path(located.stdout.decode().strip()).is_relative_to(target)
