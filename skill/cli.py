"""The command line: argument parsing and wiring only."""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Iterable
from typing import TextIO

from .dialogue.session import Session
from .dialogue.turn import Turn
from .hearing import Hearing


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cramp-coach",
        description="Cramp Coach: an offline voice assistant that talks you through a leg cramp.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    chat = sub.add_parser("chat", help="a conversation over standard input and output")
    chat.add_argument("--json", action="store_true", help="one JSON object per skill turn")
    chat.add_argument("--wav", action="store_true",
                      help="each input line is the path of a WAV file holding the user's turn")
    chat.add_argument("--engine", choices=["auto", "vosk", "pocketsphinx"], default="auto")
    chat.add_argument("--model", help="path of a vosk model folder")
    chat.add_argument("--say-to", metavar="DIR",
                      help="also write each reply as a WAV file in DIR (text-to-speech)")

    wyoming = sub.add_parser("wyoming", help="serve smart speakers over the Wyoming protocol")
    wyoming.add_argument("--uri", default="tcp://127.0.0.1:10700",
                         help="tcp://HOST:PORT, unix://PATH or stdio:// (default %(default)s)")
    wyoming.add_argument("--idle-timeout", type=float, default=600.0, metavar="SECONDS",
                         help="forget a conversation idle this long (default %(default)s)")
    wyoming.add_argument("--max-sessions", type=int, default=1000,
                         help="most conversations kept at once (default %(default)s)")
    wyoming.add_argument("--zeroconf", nargs="?", const="", metavar="NAME",
                         help="announce the service for Home Assistant discovery")
    wyoming.add_argument("--debug", action="store_true", help="log every event")

    listen = sub.add_parser("listen", help="a spoken conversation: microphone in, speech out")
    listen.add_argument("--engine", choices=["auto", "vosk", "pocketsphinx"], default="auto")
    listen.add_argument("--model", help="path of a vosk model folder")
    listen.add_argument("--wait", type=float, default=8.0, metavar="SECONDS",
                        help="how long to wait for an answer before a gentle re-prompt")
    listen.add_argument("--rate", type=int, help="speech rate in words per minute "
                        "(remembered; saying 'slower' or 'faster' changes it too)")
    listen.add_argument("--volume", type=float,
                        help="0.2 to 1.0, of the device's own volume (remembered; saying "
                             "'louder' or 'quieter' changes it too)")
    listen.add_argument("--voice", help="a pyttsx3 voice id (remembered)")
    listen.add_argument("--patient", action=argparse.BooleanOptionalAction, default=None,
                        help="wait longer for you to finish speaking (remembered; saying "
                             "'give me more time' or 'answer sooner' changes it too)")
    listen.add_argument("--barge-in", action=argparse.BooleanOptionalAction, default=None,
                        help="let you talk over the skill while it speaks: only for a "
                             "headset, or a microphone that cancels the skill's echo "
                             "(remembered; on by itself for an echo-cancelling input)")
    listen.add_argument("--say-to", metavar="DIR",
                        help="write replies as WAV files in DIR instead of playing them")
    listen.add_argument("--from-wav", nargs="+", metavar="WAV",
                        help="take the user's turns from these WAV files instead of a "
                        "microphone ('' stands for silence)")

    models = sub.add_parser("models", help="list speech models, or download a vosk model")
    models_sub = models.add_subparsers(dest="models_command")
    fetch = models_sub.add_parser("download", help="fetch an official vosk model")
    fetch.add_argument("name", help="for example vosk-model-small-en-us-0.15")
    fetch.add_argument("--to", metavar="DIR", help="where to install (default: user data)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "chat":
        return run_chat(args, sys.stdin, sys.stdout)
    if args.command == "wyoming":
        return run_wyoming(args)
    if args.command == "listen":
        from .voice_cli import run_listen

        return run_listen(args)
    if args.command == "models":
        from .voice_cli import run_models

        return run_models(args)
    return 2


def run_wyoming(args: argparse.Namespace) -> int:
    import asyncio
    import logging

    from .integrations.wyoming import serve

    logging.basicConfig(level=logging.DEBUG if args.debug else logging.INFO,
                        stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("transitions").setLevel(logging.WARNING)
    try:
        asyncio.run(serve(args.uri, args.idle_timeout, args.max_sessions, args.zeroconf))
    except KeyboardInterrupt:
        pass
    except OSError as error:
        sys.stderr.write(f"cramp-coach: cannot serve on {args.uri}: {error}\n")
        return 1
    return 0


def _input_lines(stream: TextIO) -> Iterable[str]:
    """Lines of standard input, whatever bytes they hold (binary junk becomes text)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        for line in stream:
            yield line.rstrip("\r\n")
        return
    for raw in buffer:
        yield raw.decode("utf-8", errors="replace").rstrip("\r\n")


def emit(turn: Turn, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(turn.to_json_dict(), ensure_ascii=False) + "\n")
    else:
        out.write(turn.say + "\n")
    out.flush()


def run_chat(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    from .voice_cli import open_transcriber, reply_writer

    try:
        transcriber = open_transcriber(args) if args.wav else None
        writer = reply_writer(args.say_to) if args.say_to else None
    except Exception as error:  # noqa: BLE001 - a clear line, never a traceback
        sys.stderr.write(f"cramp-coach: {error}\n")
        return 1
    session = Session()
    hearing = Hearing(session)
    turn = session.start()
    for line in itertools.chain([None], _input_lines(stdin)):
        if line is not None:
            turn = hearing.respond(transcriber.hear(line, session.expecting), turn) \
                if transcriber else session.handle(line)
        if writer is not None:
            writer.speak(turn.parts, turn.rate, turn.volume)
        emit(turn, args.json, stdout)
        if turn.done:
            break
    return 0
