"""One dialogue Session per conversation, with idle expiry and a cap on how many are kept."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from ..dialogue.session import Session

DEFAULT_IDLE_SECONDS = 600.0
DEFAULT_MAX_SESSIONS = 1000


@dataclass
class _Entry:
    session: Session
    last_used: float
    device: str | None


class SessionStore:
    """Sessions by conversation id, least recently used first.

    A speaker whose host gives every follow-up a new conversation id (Home
    Assistant does, when it does not keep the microphone open) still continues
    its own unfinished conversation: a new id from the same device or
    satellite picks up that device's live session.
    """

    def __init__(
        self,
        idle_seconds: float = DEFAULT_IDLE_SECONDS,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
        clock: Callable[[], float] = time.monotonic,
        make_session: Callable[[], Session] = Session,
    ) -> None:
        self.idle_seconds = idle_seconds
        self.max_sessions = max_sessions
        self.clock = clock
        self.make_session = make_session
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._by_device: dict[str, str] = {}

    def __len__(self) -> int:
        self.expire()
        return len(self._entries)

    def get(self, conversation_id: str, device: str | None = None) -> tuple[Session, bool]:
        """The session for this conversation, and whether it is new."""
        self.expire()
        now = self.clock()
        entry = self._entries.get(conversation_id)
        if entry is None and device and device in self._by_device:
            previous_id = self._by_device[device]
            previous = self._entries.get(previous_id)
            if previous is not None and not previous.session.done:
                del self._entries[previous_id]
                entry = previous
        if entry is not None and entry.session.done:
            # a finished conversation is not resumed: the next words start a new one
            self._drop(conversation_id)
            entry = None
        is_new = entry is None
        if entry is None:
            entry = _Entry(self.make_session(), now, device)
        entry.last_used = now
        self._entries[conversation_id] = entry
        self._entries.move_to_end(conversation_id)
        if device:
            self._by_device[device] = conversation_id
        while len(self._entries) > self.max_sessions:
            oldest = next(iter(self._entries))
            self._drop(oldest)
        return entry.session, is_new

    def expire(self) -> None:
        limit = self.clock() - self.idle_seconds
        while self._entries:
            oldest_id, oldest = next(iter(self._entries.items()))
            if oldest.last_used > limit:
                break
            self._drop(oldest_id)

    def _drop(self, conversation_id: str) -> None:
        entry = self._entries.pop(conversation_id, None)
        if entry is not None and entry.device and \
                self._by_device.get(entry.device) == conversation_id:
            del self._by_device[entry.device]
