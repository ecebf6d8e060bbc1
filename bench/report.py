"""Write a benchmark's figures into BENCHMARKS.md, one section per benchmark."""

from __future__ import annotations

import platform
import re
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILE = ROOT / "BENCHMARKS.md"
HEADER = ("# Benchmarks\n\nFigures written by the scripts in `bench/` (run them to refresh "
          "a section). Machine: {machine}.\n")


def write_section(name: str, body: str) -> None:
    """Replace (or add) the section ``## name`` in BENCHMARKS.md."""
    machine = f"{platform.machine()}, {_cores()} cores, Python {platform.python_version()}"
    text = FILE.read_text() if FILE.exists() else HEADER.format(machine=machine)
    section = f"## {name}\n\n_{date.today().isoformat()}_\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(name)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    text = pattern.sub(section + "\n", text) if pattern.search(text) else \
        text.rstrip("\n") + "\n\n" + section
    FILE.write_text(text)


def _cores() -> int:
    import os

    return os.cpu_count() or 1
