"""A second PocketSphinx decoder in its own process, for the other renderings of a noisy
answer.

A noisy answer is decoded at least twice: its suppressed sound, and the same sound
suppressed on frames cut elsewhere (``MORE_RENDERINGS`` in ``asr.pocketsphinx``). One
after the other, that is most of the wait between the end of the answer and the reply.
PocketSphinx holds Python's lock while it decodes, so a thread cannot decode beside the
main one (two decoders on two threads took longer than one after the other); a process
can, on a second core. It has its own decoder, made the same way, and hears through
PocketSphinx's own front end only, as the other renderings always are: nothing learnt
of the speaker's voice is needed there.

The helper is a speed-up, never a dependency. Until it has loaded, or once it has
failed (died, or not answered within ``PATIENCE_SECONDS``), answers are decoded in
this process alone, as before.

It runs as ``python -m skill.asr.helper`` and speaks over its standard input and
output: each message a 4-byte length, then the message pickled. (Not
``multiprocessing``: it would start the helper by importing the program's main
module again, which fails for a script without a ``__main__`` guard.)
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

_LOGGER = logging.getLogger(__name__)

ENV_SWITCH = "CRAMP_COACH_SECOND_DECODER"
"""Set to "off" to do without the second decoder (it uses about 150 MB of memory)."""
PATIENCE_SECONDS = 5.0
"""The longest the helper may take over one rendering before it is given up for good
(decoding one takes about 0.2 s; building a question's grammar for the first time
about 0.3 s more)."""
_LENGTH = struct.Struct("!I")


@dataclass
class Pending:
    """A rendering the helper is decoding."""

    helper: SecondDecoder
    number: int

    def words(self) -> str | None:
        """The whole phrase the helper heard ("" for none); None when it failed."""
        return self.helper.result(self.number)


def second_decoder() -> SecondDecoder | None:
    """A second decoder, started, where it can run beside this process: on a machine
    with two cores or more, from a Python program (not a frozen one, where
    ``sys.executable`` is the program itself), unless ``CRAMP_COACH_SECOND_DECODER`` is
    "off". None otherwise, or when it cannot be started."""
    if os.environ.get(ENV_SWITCH, "").strip().lower() in ("off", "0", "no", "false"):
        _LOGGER.info("second decoder off (%s)", ENV_SWITCH)
        return None
    if _cores() < 2 or getattr(sys, "frozen", False):
        return None
    try:
        return SecondDecoder()
    except OSError as error:
        _LOGGER.warning("no second decoder (%r); noisy answers are decoded one rendering "
                        "after another", error)
        return None


def _cores() -> int:
    """The processor cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class SecondDecoder:
    """The client side: sends renderings to the helper process and reads its answers."""

    def __init__(self) -> None:
        """Start the helper process (it loads in the background; ``working`` says when
        it is ready). Raises OSError when it cannot be started."""
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root,
                                                          env.get("PYTHONPATH")]))
        self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
            [sys.executable, "-m", "skill.asr.helper"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, env=env, bufsize=0)
        self._ready = False
        self._count = 0
        self.answered = 0
        """How many renderings the helper has decoded."""

    @property
    def pid(self) -> int | None:
        """The helper's process id; None once it has been given up or closed."""
        return self._process.pid if self._process is not None else None

    @property
    def working(self) -> bool:
        """Loaded and not failed: renderings sent now are decoded there."""
        if self._process is None:
            return False
        if not self._ready:
            if self._process.poll() is not None:
                self._give_up(f"it ended on starting (exit status {self._process.returncode})")
            elif self._waiting(0.0):
                self._ready = self._receive() == ("ready",)
        return self._ready

    def wait_until_working(self, seconds: float) -> bool:
        """Wait for the helper to load (tests and benchmarks; the skill never waits)."""
        deadline = time.monotonic() + seconds
        while not self.working and self._process is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.working

    def prepare(self, expecting: str | None) -> None:
        """Build the question's grammar there too, ahead of its answer."""
        self._send(("prepare", expecting))

    def start(self, expecting: str | None, pcm: bytes, prime: bool) -> Pending | None:
        """Begin decoding ``pcm`` against the question's grammar (PocketSphinx's front
        end set from it first when ``prime``); None when the helper is not working."""
        if not self.working:
            return None
        self._count += 1
        if not self._send(("decode", self._count, expecting, pcm, prime)):
            return None
        return Pending(self, self._count)

    def result(self, number: int) -> str | None:
        """The answer to request ``number``; None when the helper failed. Answers to
        earlier requests that were never read (their utterance was given up) are
        passed over."""
        while self._process is not None:
            if not self._waiting(PATIENCE_SECONDS):
                self._give_up(f"no answer within {PATIENCE_SECONDS:g} s")
                return None
            reply = self._receive()
            if reply is None:
                return None
            if reply[0] == "heard" and reply[1] == number:
                self.answered += 1
                return str(reply[2])
            if reply[0] != "heard" or reply[1] > number:
                self._give_up(f"it answered out of turn ({reply[:2]!r})")
        return None

    def close(self) -> None:
        """Stop the helper (it also stops by itself when this process ends)."""
        if self._process is not None:
            self._send(("stop",))
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=2.0)
            self._stop()

    def _send(self, message: tuple[Any, ...]) -> bool:
        """Send ``message``; False (and the helper given up) when it cannot be, or when
        the helper has not taken it within ``PATIENCE_SECONDS``: a long answer fills
        the pipe, and a helper that has stopped reading must not stop this process."""
        if self._process is None or self._process.stdin is None:
            return False
        data = _framed(message)
        descriptor = self._process.stdin.fileno()
        deadline = time.monotonic() + PATIENCE_SECONDS
        try:
            os.set_blocking(descriptor, False)
            while data:
                _, writable, _ = select.select([], [descriptor], [],
                                               max(0.0, deadline - time.monotonic()))
                if not writable:
                    self._give_up(f"it took nothing within {PATIENCE_SECONDS:g} s")
                    return False
                data = data[os.write(descriptor, data):]
        except (OSError, ValueError) as error:
            self._give_up(f"it could not be reached ({error!r})")
            return False
        return True

    def _waiting(self, seconds: float) -> bool:
        """Whether something can be read from the helper within ``seconds``."""
        assert self._process is not None and self._process.stdout is not None
        readable, _, _ = select.select([self._process.stdout], [], [], seconds)
        return bool(readable)

    def _receive(self) -> tuple[Any, ...] | None:
        assert self._process is not None and self._process.stdout is not None
        try:
            return _read(self._process.stdout)
        except (OSError, EOFError, pickle.UnpicklingError) as error:
            self._give_up(f"it stopped ({error!r})")
            return None

    def _give_up(self, why: str) -> None:
        _LOGGER.warning("the second decoder is no longer used: %s; noisy answers are "
                        "decoded one rendering after another", why)
        self._stop()

    def _stop(self) -> None:
        process, self._process = self._process, None
        self._ready = False
        if process is None:
            return
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()


def _framed(message: tuple[Any, ...]) -> bytes:
    """``message`` as sent: its length, then the message pickled."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(data)) + data


def _write(stream: IO[bytes], message: tuple[Any, ...]) -> None:
    data = memoryview(_framed(message))
    while data:
        written = stream.write(data)
        data = data[written if written is not None else len(data):]
    stream.flush()


def _read(stream: IO[bytes]) -> tuple[Any, ...]:
    (size,) = _LENGTH.unpack(_read_exactly(stream, _LENGTH.size))
    message = pickle.loads(_read_exactly(stream, size))
    assert isinstance(message, tuple)
    return message


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    data = b""
    while len(data) < size:
        more = stream.read(size - len(data))
        if not more:
            raise EOFError("the pipe closed")
        data += more
    return data


def serve() -> None:
    """The helper process: a decoder made as the main one is, answering requests on
    standard input until it closes or the helper is told to stop. It ends quietly
    when the main process has gone, and with one line in the log on any failure: the
    main process then goes on without it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the main process
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # anything printed goes to standard error, never into the replies
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    try:
        _answer(requests, replies)
    except (EOFError, BrokenPipeError):
        pass  # the main process has ended
    except Exception as error:  # noqa: BLE001 - reported once; the main process goes on
        _LOGGER.warning("the second decoder stopped: %r", error)


def _answer(requests: IO[bytes], replies: IO[bytes]) -> None:
    from ..nlu.understand import default_understander
    from .pocketsphinx import PocketSphinxRecognizer

    recognizer = PocketSphinxRecognizer(default_understander(), open_pass=False)
    _write(replies, ("ready",))
    while True:
        message = _read(requests)
        if message[0] == "prepare":
            recognizer.prepare(message[1])
        elif message[0] == "decode":
            _, number, expecting, pcm, prime = message
            _write(replies, ("heard", number, recognizer.whole_phrase(pcm, expecting, prime)))
        else:
            return


if __name__ == "__main__":
    serve()
