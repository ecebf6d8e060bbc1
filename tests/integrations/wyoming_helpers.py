"""Talk to the real Wyoming service with the wyoming library's own client and events."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from functools import partial
from typing import Any

from wyoming.asr import Transcript
from wyoming.client import AsyncClient
from wyoming.event import Event

from skill.integrations.sessions import SessionStore
from skill.integrations.wyoming import CrampCoachHandler, ServiceInfo
from tests.e2e.cli import command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def in_process_server(store: SessionStore) -> AsyncIterator[str]:
    """The real handler on a real loopback socket, inside this event loop."""
    factory = partial(CrampCoachHandler, store=store, service=ServiceInfo())

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await factory(reader, writer).run()

    server = await asyncio.start_server(on_connect, host="127.0.0.1", port=0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"tcp://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


@contextlib.contextmanager
def server_process(uri: str) -> Iterator[subprocess.Popen[bytes]]:
    """``cramp-coach wyoming`` as its own program."""
    proc = subprocess.Popen(command() + ["wyoming", "--uri", uri], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=dict(os.environ))
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


async def wait_until_up(uri: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            async with AsyncClient.from_uri(uri):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)


async def say(uri: str, text: str, conversation_id: str | None = None,
              **context: Any) -> Event:
    """One Home Assistant style exchange: a new connection, a transcript, one answer."""
    if conversation_id is not None:
        context["conversation_id"] = conversation_id
    async with AsyncClient.from_uri(uri) as client:
        await client.write_event(Transcript(text, context=context or None,
                                            language="en").event())
        event = await asyncio.wait_for(client.read_event(), timeout=30)
    assert event is not None
    return event
