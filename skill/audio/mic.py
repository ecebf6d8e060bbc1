"""The microphone, with voice-activity endpointing (webrtcvad) and a listening earcon."""

from __future__ import annotations

import numpy as np

from .denoise import Denoiser
from .endpoint import (
    END_SILENCE_MS,
    FRAME_MS,
    PATIENT_END_SILENCE_MS,
    EarlyHearing,
    Endpointer,
    SpeechDetector,
)
from .source import TalkOver
from .wav import Audio

BUFFER_SECONDS = 0.5
ECHO_CANCELLING = ("echo", "aec")
"""Words in an input device's name that say it takes the loudspeaker's sound out
(PipeWire's and PulseAudio's "Echo-Cancel Source", boards with "AEC" in their name)."""


class NoMicrophone(RuntimeError):
    """No usable input device (or no PortAudio)."""


class Microphone:
    def __init__(self, sample_rate: int = 16000, aggressiveness: int = 2,
                 denoiser: Denoiser | None = None) -> None:
        """``denoiser``: tell speech from steady noise by RNNoise's voice detector, and
        suppress each answer's noise while it is spoken (``audio.endpoint``)."""
        try:
            import sounddevice
        except OSError as error:  # PortAudio library missing
            raise NoMicrophone(f"no audio system (PortAudio): {error}") from error
        self.sd = sounddevice
        self.sample_rate = sample_rate
        self.speech = SpeechDetector(sample_rate, aggressiveness, denoiser)
        self.denoiser = denoiser
        self.frame = int(sample_rate * FRAME_MS / 1000)
        try:
            device = sounddevice.query_devices(kind="input")
        except (sounddevice.PortAudioError, ValueError) as error:
            raise NoMicrophone(f"no microphone found ({error})") from error
        if not device or int(device.get("max_input_channels", 0)) < 1:
            raise NoMicrophone("no microphone found")
        self.name = str(device.get("name", ""))

    @property
    def cancels_echo(self) -> bool:
        """Whether the input device says it takes the loudspeaker's sound out, so the
        user can talk over the skill (``listen.SpeakerOut.barge_in``)."""
        return any(word in self.name.lower() for word in ECHO_CANCELLING)

    def listen(self, timeout: float | None,
               early: EarlyHearing | None = None, patient: bool = False,
               talk_over: TalkOver | None = None) -> Audio | None:
        """Wait for speech (up to ``timeout`` seconds), record until a pause, return it.
        ``early``: offered the answer as soon as its sound is final, before its end is
        declared, and asked whether it is complete (``Endpointer``'s ``on_final`` and
        ``finished``). ``patient``: a longer pause ends the answer, and a complete
        answer does not end it sooner. ``talk_over``: the skill is speaking; its
        ``began`` is set the moment speech starts, and once its ``over`` is set, no
        longer waiting for speech to start (None)."""
        endpointer = Endpointer(
            self.sample_rate, self.speech, timeout, self.denoiser,
            early.offer if early is not None else None,
            early.finished if early is not None and not patient else None,
            PATIENT_END_SILENCE_MS if patient else END_SILENCE_MS)
        try:
            # Half a second of buffer: recognition started early (``early``) can keep
            # this thread from reading for as long as one decoding pass holds Python's
            # lock, and the sound must wait for it, not be lost.
            with self.sd.RawInputStream(samplerate=self.sample_rate, channels=1, dtype="int16",
                                        blocksize=self.frame, latency=BUFFER_SECONDS) as stream:
                while True:
                    data, _ = stream.read(self.frame)
                    if endpointer.push(bytes(data)):
                        break
                    if talk_over is not None:
                        if endpointer.started:
                            talk_over.began.set()
                        elif talk_over.over.is_set():
                            return None
        except self.sd.PortAudioError as error:
            endpointer.abandon()
            raise NoMicrophone(f"the microphone stopped working ({error})") from error
        return endpointer.audio()


def earcon(sample_rate: int = 22050, seconds: float = 0.12) -> np.ndarray:
    """A soft two-note chime that says 'I'm listening' (int16 samples)."""
    t = np.arange(int(sample_rate * seconds)) / sample_rate
    half = len(t) // 2
    tone = np.concatenate([np.sin(2 * np.pi * 660 * t[:half]), np.sin(2 * np.pi * 880 * t[half:])])
    envelope = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.02)
    return (0.25 * 32767 * tone * envelope).astype(np.int16)

