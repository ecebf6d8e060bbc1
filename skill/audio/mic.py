"""The microphone, with voice-activity endpointing (webrtcvad) and a listening earcon."""

from __future__ import annotations

import collections
import time

import numpy as np

from .wav import Audio

FRAME_MS = 30
START_FRAMES = 3
"""Speech frames in a row that start an utterance."""
END_SILENCE_MS = 900
MAX_SECONDS = 15.0


class NoMicrophone(RuntimeError):
    """No usable input device (or no PortAudio)."""


class Microphone:
    def __init__(self, sample_rate: int = 16000, aggressiveness: int = 2) -> None:
        try:
            import sounddevice
        except OSError as error:  # PortAudio library missing
            raise NoMicrophone(f"no audio system (PortAudio): {error}") from error
        import webrtcvad

        self.sd = sounddevice
        self.sample_rate = sample_rate
        self.vad = webrtcvad.Vad(aggressiveness)
        self.frame = int(sample_rate * FRAME_MS / 1000)
        try:
            device = sounddevice.query_devices(kind="input")
        except (sounddevice.PortAudioError, ValueError) as error:
            raise NoMicrophone(f"no microphone found ({error})") from error
        if not device or int(device.get("max_input_channels", 0)) < 1:
            raise NoMicrophone("no microphone found")

    def listen(self, timeout: float | None) -> Audio | None:
        """Wait for speech (up to ``timeout`` seconds), record until a pause, return it."""
        started = time.monotonic()
        ring: collections.deque[bytes] = collections.deque(maxlen=START_FRAMES + 10)
        voiced: list[bytes] = []
        speaking = False
        trailing = 0
        end_frames = END_SILENCE_MS // FRAME_MS
        try:
            with self.sd.RawInputStream(samplerate=self.sample_rate, channels=1, dtype="int16",
                                        blocksize=self.frame) as stream:
                while True:
                    data, _ = stream.read(self.frame)
                    chunk = bytes(data)
                    is_speech = self.vad.is_speech(chunk, self.sample_rate)
                    if not speaking:
                        ring.append(chunk)
                        recent = list(ring)[-START_FRAMES:]
                        if is_speech and len(recent) == START_FRAMES and all(
                                self.vad.is_speech(c, self.sample_rate) for c in recent):
                            speaking = True
                            voiced.extend(ring)
                        elif timeout is not None and time.monotonic() - started > timeout:
                            return None
                        continue
                    voiced.append(chunk)
                    trailing = 0 if is_speech else trailing + 1
                    if trailing >= end_frames or \
                            len(voiced) * FRAME_MS / 1000 > MAX_SECONDS:
                        break
        except self.sd.PortAudioError as error:
            raise NoMicrophone(f"the microphone stopped working ({error})") from error
        samples = np.frombuffer(b"".join(voiced), dtype="<i2")
        return Audio(samples.copy(), self.sample_rate)


def earcon(sample_rate: int = 22050, seconds: float = 0.12) -> np.ndarray:
    """A soft two-note chime that says 'I'm listening' (int16 samples)."""
    t = np.arange(int(sample_rate * seconds)) / sample_rate
    half = len(t) // 2
    tone = np.concatenate([np.sin(2 * np.pi * 660 * t[:half]), np.sin(2 * np.pi * 880 * t[half:])])
    envelope = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.02)
    return (0.25 * 32767 * tone * envelope).astype(np.int16)


def play(samples: np.ndarray, sample_rate: int) -> None:
    """Play int16 samples; silently does nothing without an output device."""
    try:
        import sounddevice

        sounddevice.play(samples, sample_rate)
        sounddevice.wait()
    except Exception:  # noqa: BLE001 - an earcon must never stop the conversation
        return
