"""Run the real ``cramp-coach`` program, as an integration or a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OFFLINE_HOOK = Path(__file__).parent / "offline_hook"


def command() -> list[str]:
    """The installed console script when there is one, else ``python -m skill``."""
    script = Path(sys.executable).with_name("cramp-coach")
    return [str(script)] if script.exists() else [sys.executable, "-m", "skill"]


def run(args: list[str], stdin: bytes | str, *, offline: bool = True, cwd: Path | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ)
    if offline:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(OFFLINE_HOOK),
                                                          env.get("PYTHONPATH", "")]))
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(command() + args, input=data, capture_output=True, env=env,
                          cwd=str(cwd or ROOT), timeout=timeout, check=False)


def turns(result: subprocess.CompletedProcess[bytes]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.decode().splitlines() if line.strip()]
