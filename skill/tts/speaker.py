"""pyttsx3, made dependable: every utterance finished before the next, rate always applied.

pyttsx3 2.99 with espeak-ng can return from ``runAndWait`` before the audio or
file is finished and can drop a rate set right before speaking; so we set the
rate, volume and voice on every utterance and wait for the driver's
``finished-utterance`` event (and for the file to stop growing). ``save_to_file``
prints to standard output: that is kept off it. Without a system espeak-ng,
the PyPI package ``espeakng-loader`` supplies the library and its data.

pyttsx3's espeak driver plays what it says by running ``aplay`` (alsa-utils), which
a fresh machine may not have: the skill then spoke without a sound. With that driver,
speech is written to a WAV file and played through PortAudio (``audio.playback``),
as the microphone is read.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from ..audio.playback import play_sound
from ..audio.wav import AudioError, read_wav

_LOGGER = logging.getLogger(__name__)
WAIT_SECONDS = 30.0


class SpeechError(RuntimeError):
    """No text-to-speech engine could be started."""


def _use_bundled_espeak() -> None:
    """Point pyttsx3 at espeakng-loader's library and data (no system package needed)."""
    try:
        import espeakng_loader
    except ImportError as error:
        raise SpeechError("no espeak-ng found: install the espeak-ng system package or "
                          "the espeakng-loader Python package") from error
    os.environ.setdefault("ESPEAK_DATA_PATH", str(espeakng_loader.get_data_path()))
    library = str(espeakng_loader.get_library_path())
    from pyttsx3.drivers import _espeak

    _espeak.dll = _espeak.cdll.LoadLibrary(library)


def _give_espeak_the_true_text_size() -> None:
    """pyttsx3's espeak binding tells espeak-ng that each text is ten times as long as it
    is (``len(text) * 10`` bytes). With the output pyttsx3 asks for, espeak-ng queues the
    text, and copies that many bytes to do so: it reads past the end of the text, now and
    then into memory that is not mapped, and the program dies (a segmentation fault in
    ``espeak_Synth``: 6 of 80 ``cramp-coach listen`` conversations here). Its ``Synth``
    is replaced with one that gives the true size."""
    from pyttsx3.drivers import _espeak

    _espeak.Synth = _synth


def _synth(text: str | bytes, position: int = 0, position_type: int = 1,
           end_position: int = 0, flags: int = 0, user_data: Any = None) -> Any:
    """pyttsx3's ``_espeak.Synth`` (``position_type`` 1: in characters), telling espeak-ng
    the text's true size, its closing zero byte included."""
    from pyttsx3.drivers import _espeak

    data = text.encode("utf-8") if isinstance(text, str) else text
    return _espeak.cSynth(data, len(data) + 1, position, position_type, end_position, flags,
                          None, user_data)


class Speaker:
    def __init__(self, rate: int = 140, volume: float = 1.0, voice: str | None = None) -> None:
        import pyttsx3

        self.rate = rate
        self.volume = volume
        self.voice = voice
        self._finished = threading.Event()
        try:
            self.engine: Any = pyttsx3.init()
        except Exception:  # noqa: BLE001 - pyttsx3 raises many kinds when espeak is missing
            _use_bundled_espeak()
            try:
                self.engine = pyttsx3.init()
            except Exception as error:  # noqa: BLE001
                raise SpeechError(f"text-to-speech could not start: {error}") from error
        self._espeak = type(self._driver()).__module__ == "pyttsx3.drivers.espeak"
        if self._espeak:
            _give_espeak_the_true_text_size()
        self.engine.connect("finished-utterance", self._on_finished)

    def _driver(self) -> Any:
        """pyttsx3's driver object under the engine (None if this pyttsx3 hides it)."""
        return getattr(getattr(self.engine, "proxy", None), "_driver", None)

    def _on_finished(self, name: Any = None, completed: Any = True) -> None:
        self._finished.set()

    def _apply(self, rate: int | None, volume: float | None) -> None:
        """Set rate, volume and voice before the next utterance, for certain (``rate``
        and ``volume`` None: the speaker's own).

        Through pyttsx3's command queue a property can wait behind a late event
        of the last utterance and miss the next one; between utterances (the
        last one has finished) the driver takes them directly.
        """
        self._forget_last_utterance()
        driver = self._driver()
        target = driver if driver is not None and hasattr(driver, "setProperty") \
            else self.engine
        wanted = int(rate or self.rate)
        loudness = float(self.volume if volume is None else volume)
        for _ in range(50):
            target.setProperty("rate", wanted)
            target.setProperty("volume", loudness)
            if self.voice:
                target.setProperty("voice", self.voice)
            time.sleep(0.005)
            if int(target.getProperty("rate")) == wanted and \
                    abs(float(target.getProperty("volume")) - loudness) < 0.01:
                return
        _LOGGER.warning("the speech engine did not take rate %s and volume %s", wanted, loudness)

    def _run(self) -> None:
        """Run the queued utterance and wait for the driver to say it has finished.

        The espeak driver prints "Audio saved to ..." just before it says so, at times
        after ``runAndWait`` has returned: all of it goes to standard error, off
        standard output, which may be carrying JSON."""
        with contextlib.redirect_stdout(sys.stderr):
            self.engine.runAndWait()
            self._finished.wait(WAIT_SECONDS)

    def _forget_last_utterance(self) -> None:
        """pyttsx3's espeak driver keeps the last text and file and, on every later
        run, speaks (or saves) them again, at whatever rate is set by then. Clear them."""
        driver = self._driver()
        for name in ("_text_to_say", "_save_file"):
            if driver is not None and hasattr(driver, name):
                setattr(driver, name, None)

    def voices(self) -> list[str]:
        return [str(v.id) for v in self.engine.getProperty("voices")]

    def say(self, text: str, rate: int | None = None, volume: float | None = None,
            stop: threading.Event | None = None) -> None:
        """Speak and return when the speech has finished, or as soon as ``stop`` is set
        (the user began to talk over the skill: barge-in)."""
        if not text.strip() or (stop is not None and stop.is_set()):
            return
        if self._espeak:
            self._play(text, rate, volume, stop)
            return
        self._apply(rate, volume)
        self._finished.clear()
        self.engine.say(text)
        watcher = None
        if stop is not None:  # other drivers speak themselves: stopped through pyttsx3
            watcher = threading.Thread(target=self._stop_when, args=(stop,), daemon=True,
                                       name="stop-speaking")
            watcher.start()
        self._run()
        while self.engine.isBusy():
            time.sleep(0.01)
        if watcher is not None:
            self._finished.set()
            watcher.join()
        self._forget_last_utterance()

    def _stop_when(self, stop: threading.Event) -> None:
        """Stop the driver's speech when ``stop`` is set before the utterance finishes."""
        while not self._finished.is_set():
            if stop.wait(0.01):
                self.engine.stop()
                return

    def _play(self, text: str, rate: int | None, volume: float | None,
              stop: threading.Event | None = None) -> None:
        """Synthesize ``text`` to a file, then play it through the sound device."""
        with tempfile.TemporaryDirectory(prefix="cramp-coach-say-") as folder:
            path = self.save(text, Path(folder) / "say.wav", rate, volume)
            try:
                audio = read_wav(path)
            except AudioError as error:
                _LOGGER.warning("speech was not synthesized: %s", error)
                return
        play_sound(audio.samples, audio.rate, stop)

    def save(self, text: str, path: Path, rate: int | None = None,
             volume: float | None = None) -> Path:
        """Write the speech to a WAV file (22,050 Hz mono with espeak-ng)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)  # so that waiting for the file means this utterance
        self._apply(rate, volume)
        self._finished.clear()
        self.engine.save_to_file(text, str(path))
        self._run()
        _wait_until_written(path, self._finished.is_set())
        self._forget_last_utterance()
        return path


def _wait_until_written(path: Path, finished: bool) -> None:
    """The file exists and, unless the driver has said it ``finished`` (it writes the
    file whole first), its size has stopped changing."""
    deadline = time.monotonic() + WAIT_SECONDS
    last = -1
    while time.monotonic() < deadline:
        size = path.stat().st_size if path.exists() else -1
        if size > 44 and (finished or size == last):
            return
        last = size
        time.sleep(0.02)
    raise SpeechError(f"speech file {path} was not written")
