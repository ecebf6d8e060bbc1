"""The voice commands' wiring (listen, models, chat --wav/--say-to); parsing stays in cli.py."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .asr.engine import WavTranscriber
    from .listen import WavOut


def open_transcriber(args: argparse.Namespace) -> WavTranscriber:
    from .asr.engine import WavTranscriber
    from .asr.models import ModelError

    try:
        return WavTranscriber.open(engine=args.engine, model=args.model)
    except ModelError as error:
        raise RuntimeError(str(error)) from error


def reply_writer(folder: str) -> WavOut:
    """``--say-to DIR``: each skill turn written as a WAV file (reply-000.wav, ...)."""
    from .listen import WavOut
    from .tts.speaker import Speaker

    return WavOut(Path(folder), Speaker())


def run_listen(args: argparse.Namespace) -> int:
    from .asr.engine import open_recognizer
    from .asr.models import ModelError
    from .audio.denoise import default_denoiser
    from .audio.mic import Microphone, NoMicrophone
    from .audio.source import AudioSource, WavFiles
    from .dialogue.session import Session
    from .dialogue.turn import SpeechPart
    from .listen import ListenOptions, Loop, SpeakerOut, VoiceOut, WavOut
    from .memory import fewer_allocator_arenas
    from .responses import default_responses
    from .settings import Settings
    from .tts.speaker import Speaker, SpeechError

    fewer_allocator_arenas()  # before any thread: the listen loop decodes on three
    settings = Settings.load()
    for name in ("rate", "volume", "voice", "patient", "barge_in"):
        if getattr(args, name) is not None:
            setattr(settings, name, getattr(args, name))
    settings.within_limits()
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
    barge_in = False
    if args.from_wav:
        source = WavFiles(args.from_wav, recognizer.sample_rate)
    else:
        try:
            microphone = Microphone(recognizer.sample_rate, denoiser=default_denoiser())
        except NoMicrophone as error:
            message = default_responses().text("hands_free.no_microphone")
            sys.stderr.write(f"cramp-coach: {error}. {message}\n")
            if args.say_to:
                WavOut(Path(args.say_to), speaker).speak([SpeechPart(message)], settings.rate,
                                                         settings.volume)
            else:
                # no sound device either: the text on standard error said it
                with contextlib.suppress(Exception):
                    speaker.say(message, settings.rate, settings.volume)
            return 1
        source = microphone
        barge_in = microphone.cancels_echo if settings.barge_in is None else settings.barge_in
    out: VoiceOut = WavOut(Path(args.say_to), speaker) if args.say_to else \
        SpeakerOut(speaker, source if not args.from_wav else None, barge_in)
    session = Session(timed_hold=True, rate=settings.rate, volume=settings.volume,
                      patient=settings.patient)
    options = ListenOptions(wait=args.wait, on_turn=lambda turn: print(turn.say, flush=True))
    Loop(session, source, recognizer, out, options).run()
    settings.rate, settings.volume = session.rate, session.volume
    settings.patient = session.patient
    settings.save()
    return 0


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
