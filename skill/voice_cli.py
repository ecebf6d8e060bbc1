"""The voice commands' wiring (listen, models, chat --wav/--say-to); parsing stays in cli.py."""

from __future__ import annotations

import argparse
import contextlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .dialogue.turn import Turn


def open_transcriber(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .asr.engine import WavTranscriber
    from .asr.models import ModelError

    try:
        return WavTranscriber.open(engine=args.engine, model=args.model)
    except ModelError as error:
        raise RuntimeError(str(error)) from error


@dataclass
class ReplyWriter:
    """``--say-to DIR``: each skill turn as a WAV file (reply-000.wav, ...)."""

    folder: Path
    speaker: object
    count: int = 0
    written: list[Path] = field(default_factory=list)

    @classmethod
    def open(cls, folder: str) -> ReplyWriter:
        from .tts.speaker import Speaker

        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        return cls(path, Speaker())

    def write(self, turn: Turn) -> Path:
        from .tts.speaker import Speaker

        assert isinstance(self.speaker, Speaker)
        path = self.folder / f"reply-{self.count:03d}.wav"
        self.count += 1
        self.written.append(self.speaker.save(turn.say, path, turn.rate))
        return path


def run_listen(args: argparse.Namespace) -> int:
    from .asr.engine import open_recognizer
    from .asr.models import ModelError
    from .audio.mic import Microphone, NoMicrophone
    from .audio.source import AudioSource, WavFiles
    from .dialogue.session import Session
    from .listen import ListenOptions, Loop, SpeakerOut, VoiceOut, WavOut
    from .responses import default_responses
    from .settings import Settings
    from .tts.speaker import Speaker, SpeechError

    settings = Settings.load()
    for name in ("rate", "volume", "voice"):
        if getattr(args, name) is not None:
            setattr(settings, name, getattr(args, name))
    try:
        speaker = Speaker(rate=settings.rate, volume=settings.volume, voice=settings.voice)
    except SpeechError as error:
        sys.stderr.write(f"cramp-coach: {error}\n")
        return 1
    try:
        recognizer = open_recognizer(args.engine, args.model)
    except ModelError as error:
        sys.stderr.write(f"cramp-coach: {error}\n")
        return 1
    source: AudioSource
    if args.from_wav:
        source = WavFiles(args.from_wav, recognizer.sample_rate)
    else:
        try:
            source = Microphone(recognizer.sample_rate)
        except NoMicrophone as error:
            message = default_responses().text("hands_free.no_microphone")
            sys.stderr.write(f"cramp-coach: {error}. {message}\n")
            if args.say_to:
                WavOut(Path(args.say_to), speaker).speak([_part(message)], settings.rate)
            else:
                # no sound device either: the text on standard error said it
                with contextlib.suppress(Exception):
                    speaker.say(message, settings.rate)
            return 1
    out: VoiceOut = WavOut(Path(args.say_to), speaker) if args.say_to else \
        SpeakerOut(speaker, source if not args.from_wav else None)
    session = Session(timed_hold=True, rate=settings.rate)
    turns = Loop(session, source, recognizer, out, ListenOptions(wait=args.wait)).run()
    for turn in turns:
        print(turn.say, flush=True)
    settings.rate = session.rate
    settings.save()
    return 0


def _part(text: str):  # type: ignore[no-untyped-def]
    from .dialogue.turn import SpeechPart

    return SpeechPart(text)


def run_models(args: argparse.Namespace) -> int:
    from .asr.models import ModelError, describe, download

    if args.models_command == "download":
        try:
            path = download(args.name, Path(args.to) if args.to else None)
        except ModelError as error:
            sys.stderr.write(f"cramp-coach: {error}\n")
            return 1
        print(f"Installed {args.name} in {path}")
        return 0
    print(describe())
    return 0
