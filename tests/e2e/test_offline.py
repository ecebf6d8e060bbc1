"""No network while the skill runs: the whole conversation works with sockets forbidden."""

from __future__ import annotations

import socket

import pytest

from skill.dialogue.session import Session
from tests.e2e.cli import run, turns


class _NoSocket(socket.socket):
    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("the skill tried to open a socket")


def test_a_full_conversation_opens_no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "socket", _NoSocket)
    monkeypatch.setattr(socket, "create_connection",
                        lambda *a, **k: (_ for _ in ()).throw(AssertionError("network")))
    session = Session()
    session.start()
    for line in ["yes", "left calf", "yes", "at night", "no", "a statin", "no", "no",
                 "most nights", "minutes", "no"]:
        turn = session.handle(line)
    assert turn.done and turn.triage == "doctor"


def test_the_program_runs_with_the_network_cut_off() -> None:
    result = run(["chat", "--json"], "yes\nit's easing\n", offline=True)
    assert result.returncode == 0, result.stderr
    assert "network use while offline" not in result.stderr.decode()
    assert len(turns(result)) == 3
