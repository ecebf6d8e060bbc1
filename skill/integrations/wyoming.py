"""Cramp Coach as a Wyoming intent-handling service (Home Assistant and other voice hosts).

The host sends a ``transcript`` (with ``context.conversation_id`` and the
device or satellite id); we answer with ``handled`` (what to speak) or
``not-handled`` (a helpful sentence). ``describe`` gets an ``info`` with one
``handle`` program. One dialogue session per conversation id, kept in a
SessionStore; without an id, one session per connection.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any

from wyoming.asr import Transcript
from wyoming.error import Error
from wyoming.event import Event
from wyoming.handle import Handled, NotHandled
from wyoming.info import Attribution, Describe, HandleModel, HandleProgram, Info
from wyoming.ping import Ping, Pong
from wyoming.server import AsyncEventHandler

from .. import __version__
from ..dialogue.session import Session
from ..dialogue.turn import Turn
from ..responses import Responses, default_responses
from .sessions import SessionStore

_LOGGER = logging.getLogger(__name__)
MAX_TRANSCRIPT_CHARS = 2000
"""Longer transcripts are cut (no one speaks that much in one turn)."""


@dataclass(frozen=True)
class ServiceInfo:
    name: str = "cramp-coach"
    description: str = "Talks you through a leg cramp, then asks what you need to know"
    url: str = "https://github.com/cramp-coach/cramp-coach"

    def info(self) -> Info:
        attribution = Attribution(name="Cramp Coach", url=self.url)
        model = HandleModel(
            name="cramp-coach-en",
            description="Leg cramp relief, questions and triage (English)",
            attribution=attribution,
            installed=True,
            version=__version__,
            languages=["en"],
        )
        program = HandleProgram(
            name=self.name,
            description=self.description,
            attribution=attribution,
            installed=True,
            version=__version__,
            models=[model],
            supports_handled_streaming=False,
            supports_home_control=False,
        )
        return Info(handle=[program])


class CrampCoachHandler(AsyncEventHandler):
    """One connection. Tolerates malformed lines: logs them, answers with an error, goes on."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        store: SessionStore,
        service: ServiceInfo,
        responses: Responses | None = None,
    ) -> None:
        super().__init__(reader, writer)
        self.store = store
        self.service = service
        self.responses = responses or default_responses()
        self._own_session: Session | None = None
        self._spoken_hint = False

    async def run(self) -> None:
        try:
            while True:
                try:
                    event = await read_event(self.reader)
                except MalformedEvent as error:
                    _LOGGER.warning("malformed event ignored: %s", error)
                    await self.write_event(Error(text=str(error), code="malformed-event").event())
                    continue
                if event is None:
                    break
                if not await self.handle_event(event):
                    break
        except (ConnectionError, asyncio.IncompleteReadError) as error:
            _LOGGER.info("client went away: %s", error)
        finally:
            await self.disconnect()
            self.writer.close()

    async def handle_event(self, event: Event) -> bool:
        if Describe.is_type(event.type):
            await self.write_event(self.service.info().event())
        elif Transcript.is_type(event.type):
            await self.write_event(self.answer(event.data or {}))
        elif Ping.is_type(event.type):
            await self.write_event(Pong(text=(event.data or {}).get("text")).event())
        else:
            _LOGGER.debug("ignoring event of type %r", event.type)
        return True

    def answer(self, data: dict[str, Any]) -> Event:
        """One transcript in, one handled or not-handled out."""
        text = data.get("text")
        raw_context = data.get("context")
        context: dict[str, Any] = raw_context if isinstance(raw_context, dict) else {}
        if not isinstance(text, str):
            text = ""
        text = text[:MAX_TRANSCRIPT_CHARS]
        conversation_id = _clean_id(context.get("conversation_id"))
        device = _clean_id(context.get("satellite_id")) or _clean_id(context.get("device_id"))
        if conversation_id:
            session, is_new = self.store.get(conversation_id, device)
        else:
            own = self._own_session
            is_new = own is None or own.done
            session = host_voiced_session() if own is None or own.done else own
            self._own_session = session
        reply_context: dict[str, Any] = {"conversation_id": conversation_id} \
            if conversation_id else {}
        if is_new and not text.strip():
            return NotHandled(text=self._text("speaker.not_heard"),
                              context=reply_context or None).event()
        turn = session.open(text) if is_new else session.handle(text)
        # What the skill knows, for hosts that want it (Home Assistant ignores it).
        state = turn.to_json_dict()
        del state["say"]
        reply_context["cramp_coach"] = state
        return Handled(text=self.speakable(turn, first=is_new), context=reply_context).event()

    def speakable(self, turn: Turn, first: bool) -> str:
        """The reply for a speaker: plain sentences, and how to answer when it asks."""
        texts = [part.text for part in turn.parts] or [turn.say]
        if turn.expecting is not None and first:
            # the hint goes just before the closing question, so the reply ends on it
            texts.insert(len(texts) - 1, self._text("speaker.answer_hint"))
        return " ".join(" ".join(texts).split())

    def _text(self, key: str) -> str:
        return self.responses.text(key)


def host_voiced_session() -> Session:
    """A conversation whose replies the host speaks in its own voice: how fast or loud
    is the host's to change, not the skill's, and so is how long it waits for the user
    to finish speaking (``Session.own_voice``)."""
    return Session(own_voice=False)


class MalformedEvent(ValueError):
    """A line that is not a Wyoming event."""


async def read_event(reader: asyncio.StreamReader) -> Event | None:
    """Read one event; None at the end of the stream; MalformedEvent for junk lines."""
    try:
        line = await reader.readline()
    except ValueError as error:  # a line longer than the reader's limit
        raise MalformedEvent(f"line too long: {error}") from error
    if not line:
        return None
    try:
        header = json.loads(line)
    except ValueError as error:
        raise MalformedEvent(f"not JSON: {line[:80]!r}") from error
    if not isinstance(header, dict) or not isinstance(header.get("type"), str):
        raise MalformedEvent(f"no event type: {line[:80]!r}")
    raw_data = header.get("data")
    data: dict[str, Any] = raw_data if isinstance(raw_data, dict) else {}
    data_length = header.get("data_length")
    if isinstance(data_length, int) and data_length > 0:
        extra = await reader.readexactly(data_length)
        try:
            more = json.loads(extra)
        except ValueError as error:
            raise MalformedEvent("event data is not JSON") from error
        if isinstance(more, dict):
            data.update(more)
    payload_length = header.get("payload_length")
    payload = None
    if isinstance(payload_length, int) and payload_length > 0:
        payload = await reader.readexactly(payload_length)
    return Event(type=header["type"], data=data, payload=payload)


def _clean_id(value: Any) -> str | None:
    if isinstance(value, (str, int)) and str(value).strip():
        return str(value)[:200]
    return None


async def serve(
    uri: str,
    idle_seconds: float,
    max_sessions: int,
    zeroconf_name: str | None = None,
) -> None:
    """Run the service until stopped."""
    from functools import partial

    from wyoming.server import AsyncServer, AsyncTcpServer

    store = SessionStore(idle_seconds=idle_seconds, max_sessions=max_sessions,
                         make_session=host_voiced_session)
    service = ServiceInfo()
    if uri.startswith("stdio://"):
        await _serve_stdio(store, service)
        return
    server = AsyncServer.from_uri(uri)
    if zeroconf_name is not None and isinstance(server, AsyncTcpServer):
        await _announce(server.port, zeroconf_name or None)
    _LOGGER.info("Cramp Coach Wyoming service ready on %s", uri)
    await server.run(partial(CrampCoachHandler, store=store, service=service))


async def _serve_stdio(store: SessionStore, service: ServiceInfo) -> None:
    """One connection over standard input and output (a host that starts us as a program)."""
    import sys

    from wyoming.event import async_get_stdin

    loop = asyncio.get_running_loop()
    reader = await async_get_stdin()
    transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin,
                                                        sys.stdout)
    writer = asyncio.StreamWriter(transport, protocol, None, loop)
    await CrampCoachHandler(reader, writer, store=store, service=service).run()


async def _announce(port: int, name: str | None) -> None:
    try:
        from wyoming.zeroconf import HomeAssistantZeroconf
    except ImportError:
        _LOGGER.warning("zeroconf is not installed (pip install zeroconf); not announcing")
        return
    await HomeAssistantZeroconf(port=port, name=name).register_server()
    _LOGGER.info("announced on zeroconf as %s", name or "this machine")
