"""Listening with a microphone: where an answer starts and ends in a quiet or a noisy
room, and noise suppression done while the answer is still being spoken.

The sound comes from synthesized speech set in a room (``in_room``) and fed frame by
frame, as the microphone gives it; only the sound device itself is stood in for."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pytest

from skill.asr.base import Heard
from skill.asr.engine import hear_audio
from skill.audio.denoise import FRAMINGS, default_denoiser
from skill.audio.endpoint import (
    AFTER_FRAMES,
    END_SILENCE_MS,
    FINISHED_PAUSE_MS,
    FRAME_MS,
    PATIENT_END_SILENCE_MS,
    Endpointer,
    SpeechDetector,
)
from skill.audio.mic import Microphone
from skill.audio.wav import Audio, read_wav
from skill.dialogue.session import Session
from skill.listen import ListenOptions, Loop, SpeakerOut, WavOut
from skill.tts.speaker import Speaker
from tests.voice.speech import (
    MICROPHONE_HISS,
    SharedRecognizer,
    frames,
    have_synthesizers,
    in_room,
    recognizer,
    synthesize,
    understood,
)

pytestmark = pytest.mark.skipif(not have_synthesizers(), reason="needs flite and espeak-ng")


def endpointer(timeout: float | None = None, suppress: bool = True,
               detect_with_rnnoise: bool = True) -> Endpointer:
    denoiser = default_denoiser()
    detector = SpeechDetector(16000, 2, denoiser if detect_with_rnnoise else None)
    return Endpointer(16000, detector, timeout, denoiser if suppress else None)


def listen(samples: np.ndarray, listener: Endpointer) -> float | None:
    """Feed the room's frames until the answer ends; when it ended (seconds into the
    sound), or None when it had not by the end of the sound."""
    for index, frame in enumerate(frames(samples)):
        if listener.push(frame):
            return (index + 1) * FRAME_MS / 1000
    return None


@pytest.mark.parametrize("snr", [None, 10.0], ids=["quiet room", "10 dB white noise"])
@pytest.mark.parametrize("voice", ["flite:kal16", "espeak:en-us+f3"])
def test_an_answer_ends_within_a_second_of_the_speaker_stopping(
        snr: float | None, voice: str) -> None:
    samples, speech_end = in_room("my left calf", voice, snr)
    listener = endpointer()
    ended = listen(samples, listener)
    assert ended is not None and speech_end < ended <= speech_end + 1.0, (ended, speech_end)
    audio = listener.audio()
    assert audio is not None
    # the whole answer is kept, with at most 0.39 s before it and a short pause after it
    kept_after = (AFTER_FRAMES + 1) * FRAME_MS / 1000
    assert audio.seconds <= (speech_end - 0.6) + 0.39 + kept_after + 0.1, audio.seconds
    heard = hear_audio(recognizer(), audio, "location")
    assert understood(heard.text, "location", "location", "calf"), heard


def test_steady_noise_no_longer_holds_an_answer_open() -> None:
    samples, speech_end = in_room("both legs", "flite:rms", 10.0)
    # webrtcvad alone calls the hiss speech: the answer would run on to the 15 s limit
    assert listen(samples, endpointer(detect_with_rnnoise=False)) is None
    assert listen(samples, endpointer()) is not None


def test_a_short_pause_inside_an_answer_does_not_cut_it() -> None:
    # flite's own silences make the pause between the two parts about half a second
    first, _ = in_room("it started", "flite:slt", before=0.6, after=0.25)
    second, second_end = in_room("last night", "flite:slt", before=0.0, after=2.0)
    samples = np.concatenate([first, second])
    listener = endpointer()
    ended = listen(samples, listener)
    assert ended is not None and ended > len(first) / 16000 + second_end
    audio = listener.audio()
    assert audio is not None and audio.seconds > len(first) / 16000 + second_end - 0.6


@pytest.mark.parametrize("detect_with_rnnoise", [True, False])
def test_silence_lets_the_wait_run_out(detect_with_rnnoise: bool) -> None:
    listener = endpointer(timeout=2.0, detect_with_rnnoise=detect_with_rnnoise)
    assert listen(np.zeros(16000 * 3, dtype=np.int16), listener) is not None
    assert listener.timed_out and listener.audio() is None


def test_noise_alone_does_not_start_an_answer() -> None:
    level = np.sqrt(np.mean(np.square(synthesize_samples("yes").astype(float))))
    hiss = np.random.default_rng(3).normal(0, level / np.sqrt(10), 16000 * 3)
    listener = endpointer(timeout=2.0)
    assert listen(hiss.astype(np.int16), listener) is not None
    assert listener.timed_out and not listener.started


def offering(timeout: float | None = None) -> tuple[Endpointer, list[tuple[int, Audio]]]:
    """An endpointer that records each utterance offered before its end, with the
    number of frames pushed by then."""
    offers: list[tuple[int, Audio]] = []
    denoiser = default_denoiser()
    listener: Endpointer = Endpointer(16000, SpeechDetector(16000, 2, denoiser), timeout,
                                      denoiser, lambda audio: offers.append((pushed[0], audio)))
    pushed = [0]
    original = listener.push

    def push(frame: bytes) -> bool:
        pushed[0] += 1
        return original(frame)

    listener.push = push  # type: ignore[method-assign]
    return listener, offers


def judged(complete: bool) -> tuple[Endpointer, list[Audio]]:
    """An endpointer whose answers, once offered, are judged ``complete`` or not."""
    offers: list[Audio] = []
    denoiser = default_denoiser()
    return Endpointer(16000, SpeechDetector(16000, 2, denoiser), None, denoiser,
                      offers.append, lambda: complete and bool(offers)), offers


def sounding(samples: np.ndarray) -> np.ndarray:
    """Where ``samples`` are louder than the silence flite pads its speech with."""
    return np.flatnonzero(np.abs(samples) > 300)


def test_an_answer_judged_complete_ends_sooner_with_the_same_sound() -> None:
    samples, _ = in_room("at night", "flite:kal16")
    waited, _ = judged(complete=False)
    sooner, offers = judged(complete=True)
    waited_end, sooner_end = listen(samples, waited), listen(samples, sooner)
    assert waited_end is not None and sooner_end is not None
    assert sooner.ended_sooner and not waited.ended_sooner
    assert sooner_end <= waited_end - 0.3, (sooner_end, waited_end)
    said = sounding(samples)[-1] / 16000
    assert sooner_end - said <= FINISHED_PAUSE_MS / 1000 + 0.1
    whole, early = waited.audio(), sooner.audio()
    assert whole is not None and early is not None
    assert np.array_equal(whole.samples, early.samples)
    assert np.array_equal(offers[-1].samples, early.samples)


def spoken(text: str) -> np.ndarray:
    """``text`` from its first sound to its last (flite pads its speech with silence)."""
    samples = synthesize_samples(text)
    loud = sounding(samples)
    return samples[loud[0]:loud[-1] + 1]


def with_a_pause(first: str, pause: float, last: str) -> np.ndarray:
    """``first``, ``pause`` seconds of silence, then ``last``, in a quiet room."""
    hush = np.zeros(16000 * 3, dtype=np.int16)
    return np.concatenate([hush[:9600], spoken(first), hush[:int(pause * 16000)],
                           spoken(last), hush])


def test_a_short_pause_does_not_end_an_answer_even_after_a_complete_phrase() -> None:
    """"my left ... calf" with 0.4 s between: even were "my left" taken as complete,
    the answer goes on; after 0.6 s of silence, it would have ended."""
    for pause, whole in [(0.4, True), (0.6, False)]:
        samples = with_a_pause("my left", pause, "calf")
        listener, _ = judged(complete=True)
        assert listen(samples, listener) is not None
        audio = listener.audio()
        assert audio is not None
        both = (len(spoken("my left")) + int(pause * 16000) + len(spoken("calf"))) / 16000
        assert (audio.seconds > both) is whole, (pause, audio.seconds, both)


def test_a_patient_endpointer_waits_out_a_long_pause_inside_an_answer() -> None:
    """"my left ... calf" with 1.2 s between the words, as someone in pain or with slow
    speech says it: the usual pause ends the answer after "my left"; for someone who
    asked for more time (``PATIENT_END_SILENCE_MS``), the answer is whole."""
    samples = with_a_pause("my left", 1.2, "calf")
    whole = len(spoken("my left")) / 16000 + 1.2
    for end_silence_ms, kept_whole in [(END_SILENCE_MS, False), (PATIENT_END_SILENCE_MS, True)]:
        denoiser = default_denoiser()
        listener = Endpointer(16000, SpeechDetector(16000, 2, denoiser), None, denoiser,
                              end_silence_ms=end_silence_ms)
        assert listen(samples, listener) is not None
        audio = listener.audio()
        assert audio is not None
        assert (audio.seconds > whole) is kept_whole, (end_silence_ms, audio.seconds)


@pytest.mark.parametrize("snr", [None, 10.0], ids=["quiet room", "10 dB white noise"])
def test_the_answer_is_offered_once_its_sound_is_final_well_before_its_end(
        snr: float | None) -> None:
    """The answer can be recognised in the pause the microphone waits out to be sure
    the user has finished (``skill.lookahead``): it is offered then, as it will end."""
    samples, _ = in_room("my left calf", "flite:kal16", snr)
    listener, offers = offering()
    ended = listen(samples, listener)
    audio = listener.audio()
    assert ended is not None and audio is not None
    # (the noise's own first frames can look like the start of an answer, and are
    # offered when they stop: a shorter sound, never taken for the answer)
    assert all(len(early.samples) < len(audio.samples) for _, early in offers[:-1])
    pushed, offered = offers[-1]
    assert np.array_equal(offered.samples, audio.samples)
    assert offered.live is audio.live
    assert ended - pushed * FRAME_MS / 1000 >= 0.4  # offered at least 0.4 s before the end


def test_an_answer_that_goes_on_after_a_pause_is_offered_again_whole() -> None:
    first, _ = in_room("it started", "flite:slt", before=0.6, after=0.5)
    second, _ = in_room("last night", "flite:slt", before=0.0, after=2.0)
    samples = np.concatenate([first, second])
    noisy = read_wav(with_noise_samples(samples), 16000).samples
    listener, offers = offering()
    listen(noisy, listener)
    audio = listener.audio()
    assert audio is not None and audio.live is not None
    assert len(offers) == 2, [round(a.seconds, 2) for _, a in offers]
    assert offers[0][1].seconds < len(first) / 16000 < audio.seconds
    assert np.array_equal(offers[1][1].samples, audio.samples)
    # the suppression started afresh for the longer answer: the same as from the whole
    for index, offset in enumerate(FRAMINGS):
        made = audio.live.rendering(index)
        assert made is not None
        assert np.array_equal(made, default_denoiser().clean(audio.samples, 16000, offset))


def with_noise_samples(samples: np.ndarray) -> Path:
    from skill.audio.wav import write_wav
    from tests.voice.speech import CACHE, with_noise

    path = CACHE / "two-parts-in-a-room.wav"
    write_wav(path, Audio(samples, 16000))
    return with_noise(path, 10.0)


def synthesize_samples(text: str) -> np.ndarray:
    return read_wav(synthesize(text, "flite:kal16"), 16000).samples


def test_noise_suppressed_while_speaking_is_the_same_as_from_the_whole_answer() -> None:
    samples, _ = in_room("a few seconds", "espeak:en-us+f4", 10.0)
    listener = endpointer()
    listen(samples, listener)
    audio = listener.audio()
    assert audio is not None and audio.live is not None
    for index, offset in enumerate(FRAMINGS):
        made = audio.live.rendering(index)
        assert made is not None
        assert np.array_equal(made, default_denoiser().clean(audio.samples, 16000, offset))
    live = hear_audio(recognizer(), audio, "duration")
    whole = hear_audio(recognizer(), Audio(audio.samples, 16000), "duration")
    assert live.denoised and live.text == whole.text


def test_a_suppression_fed_in_pieces_gives_what_one_fed_at_once_gives() -> None:
    samples, _ = in_room("the back of my thigh", "flite:awb", 10.0, after=0.3)
    for rate, piece in ((16000, 480), (16000, 1237), (8000, 333)):
        sound = samples[::2] if rate == 8000 else samples
        for offset in (0, 320):
            suppression = default_denoiser().start(rate, offset)
            assert suppression is not None
            for start in range(0, len(sound), piece):
                suppression.feed(sound[start:start + piece])
            assert np.array_equal(suppression.finish(),
                                  default_denoiser().clean(sound, rate, offset))


class FakeInput:
    """A sound device that plays ``samples`` into the microphone, then the room's hush."""

    def __init__(self, samples: np.ndarray, fail_after: int | None = None) -> None:
        self.samples = samples
        self.position = 0
        self.fail_after = fail_after
        self.PortAudioError = type("PortAudioError", (Exception,), {})

    def query_devices(self, kind: str) -> dict[str, object]:
        return {"name": "test input", "max_input_channels": 1}

    def RawInputStream(self, **options: object) -> FakeInput:  # noqa: N802 - sounddevice's name
        return self

    def __enter__(self) -> FakeInput:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def read(self, count: int) -> tuple[bytes, bool]:
        if self.fail_after is not None and self.position >= self.fail_after:
            raise self.PortAudioError("device unplugged")
        chunk = self.samples[self.position:self.position + count]
        self.position += count
        chunk = np.pad(chunk, (0, count - len(chunk)))
        return chunk.astype("<i2").tobytes(), False


def plug_in(monkeypatch: pytest.MonkeyPatch, device: FakeInput) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", device)


def test_the_microphone_hears_an_answer_in_a_noisy_room(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from skill.audio.mic import Microphone

    samples, _ = in_room("my right foot", "flite:rms", 10.0)
    plug_in(monkeypatch, FakeInput(samples))
    audio = Microphone(16000, denoiser=default_denoiser()).listen(8.0)
    assert audio is not None and audio.live is not None
    heard = hear_audio(recognizer(), audio, "location")
    assert heard.denoised
    assert understood(heard.text, "location", "location", "foot"), heard


def test_a_microphone_that_stops_working_is_reported(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from skill.audio.mic import Microphone, NoMicrophone

    samples, _ = in_room("my right foot", "flite:rms", 10.0)
    plug_in(monkeypatch, FakeInput(samples, fail_after=16000))
    with pytest.raises(NoMicrophone, match="stopped working"):
        Microphone(16000, denoiser=default_denoiser()).listen(8.0)


class PacedInput(FakeInput):
    """The sound device at the pace a real one gives its frames."""

    def read(self, count: int) -> tuple[bytes, bool]:
        time.sleep(count / 16000)
        return super().read(count)


class Watched(SharedRecognizer):
    """The shared recogniser, noting where in the room's sound each recognition began."""

    def __init__(self, device: FakeInput) -> None:
        self.device = device
        self.began: list[int] = []

    def recognize(self, pcm: bytes, expecting: str | None,
                  alternatives: Iterable[bytes] = (), suppressed: bool = False) -> Heard:
        self.began.append(self.device.position)
        return super().recognize(pcm, expecting, alternatives, suppressed)


def paced_microphone(monkeypatch: pytest.MonkeyPatch, answers: list[str]
                     ) -> tuple[Microphone, Watched, list[tuple[int, bool]]]:
    """A microphone in a quiet room where ``answers`` are said one after another (flite
    kal16), at a real device's pace; the shared recogniser, watched; and, for each time
    the microphone listened, where in the sound it stopped and whether it heard speech."""
    rooms = [in_room(text, "flite:kal16", None, before=0.6, after=2.5)[0] for text in answers]
    device = PacedInput(np.concatenate(rooms))
    plug_in(monkeypatch, device)
    microphone = Microphone(16000, denoiser=default_denoiser())
    listened: list[tuple[int, bool]] = []
    listen_to = microphone.listen

    def listen_noting_the_end(timeout: float | None, early=None,  # noqa: ANN001
                              patient: bool = False) -> Audio | None:
        audio = listen_to(timeout, early, patient)
        listened.append((device.position, audio is not None))
        return audio

    monkeypatch.setattr(microphone, "listen", listen_noting_the_end)
    return microphone, Watched(device), listened


def recognised_before_their_ends(watched: Watched, listened: list[tuple[int, bool]]) -> None:
    """Each answer heard was recognised after the listening before it and before its own
    end was declared, and nothing was recognised again after."""
    ends = [0] + [position for position, _ in listened]
    answered = [(ends[index], end) for index, (end, heard) in enumerate(listened) if heard]
    for start, end in answered:
        assert any(start <= began < end for began in watched.began), (watched.began, listened)
    assert len(watched.began) == len(answered), (watched.began, listened)


def test_each_spoken_answer_is_recognised_before_its_end_is_declared(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """From the microphone, the reply does not wait for recognition to start once the
    user has finished: each answer was recognised in the pause the microphone waits out
    (``skill.lookahead``), and the conversation understood it as usual."""
    microphone, watched, listened = paced_microphone(monkeypatch, ["no", "my left calf", "stop"])
    turns = Loop(Session(), microphone, watched, WavOut(tmp_path, Speaker()),
                 ListenOptions(wait=8.0)).run()
    assert turns[-1].done
    assert turns[-1].slots["cramp_now"] is False
    assert (turns[-1].slots["location"], turns[-1].slots["side"]) == ("calf", "left")
    assert [heard for _, heard in listened] == [True, True, True]
    recognised_before_their_ends(watched, listened)


def test_a_complete_answer_is_replied_to_sooner_than_one_that_could_go_on(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """"My calf" could go on ("my calf is swollen"), so the microphone waits out the
    whole pause; "the left one" says all that answer can, so its end comes 450 ms into
    the pause, once it is recognised. Each is understood as before."""
    answers = ["no", "my calf", "the left one", "stop"]
    microphone, _, listened = paced_microphone(monkeypatch, answers)
    turns = Loop(Session(), microphone, recognizer(), WavOut(tmp_path, Speaker()),
                 ListenOptions(wait=8.0)).run()
    assert (turns[-1].slots["location"], turns[-1].slots["side"]) == ("calf", "left")
    waits, start = [], 0.0
    for text, (position, _) in zip(answers, listened, strict=True):
        room, _ = in_room(text, "flite:kal16", None, before=0.6, after=2.5)
        said = sounding(room)[-1] / 16000  # the speech's last sound
        waits.append(position / 16000 - (start + said))
        start += len(room) / 16000
    calf, left = waits[1], waits[2]
    assert calf > 0.7 and left < calf - 0.25, waits
    assert left < FINISHED_PAUSE_MS / 1000 + 0.3, waits


def test_after_give_me_more_time_a_long_pause_inside_an_answer_does_not_cut_it(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Spoken, "give me more time"; then "my left ... calf" with 1.2 s between the words
    is heard whole from the microphone, and the next wait for an answer is longer."""
    hush = np.zeros(16000, dtype=np.int16)
    rooms = [in_room("no", "flite:kal16", None, before=0.6, after=2.5)[0],
             in_room("give me more time", "flite:kal16", None, before=0.6, after=2.5)[0],
             with_a_pause("my left", 1.2, "calf"), hush,
             in_room("stop", "flite:kal16", None, before=0.6, after=2.5)[0]]
    plug_in(monkeypatch, FakeInput(np.concatenate(rooms)))
    microphone = Microphone(16000, denoiser=default_denoiser())
    waits: list[tuple[float | None, bool]] = []
    listen_to = microphone.listen

    def listen_noting(timeout: float | None, early=None, patient=False) -> Audio | None:  # noqa: ANN001
        waits.append((timeout, patient))
        return listen_to(timeout, early, patient)

    monkeypatch.setattr(microphone, "listen", listen_noting)
    turns = Loop(Session(), microphone, recognizer(), WavOut(tmp_path, Speaker()),
                 ListenOptions(wait=8.0)).run()
    assert "wait longer" in turns[2].say
    assert (turns[3].slots["location"], turns[3].slots["side"]) == ("calf", "left")
    assert waits[:2] == [(8.0, False), (8.0, False)]
    assert waits[2] == (12.0, True)


def test_an_answer_during_the_stretch_hold_is_recognised_before_its_end_is_declared(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Mid-cramp, "it's easing" said over the timed hold is answered as fast as any
    other answer. (The loudspeaker is the real one; this machine has no sound device,
    so its speech is not heard, and the hold's listening goes on at once.)"""
    microphone, watched, listened = paced_microphone(monkeypatch,
                                                     ["yes", "it's easing", "stop"])
    turns = Loop(Session(timed_hold=True), microphone, watched,
                 SpeakerOut(Speaker(), microphone), ListenOptions(wait=8.0)).run()
    assert turns[-1].done
    assert any("easing" in (turn.heard or "") for turn in turns), [t.heard for t in turns]
    # the hold's short pauses end in silence too: three of the listenings heard answers
    assert sum(heard for _, heard in listened) == 3, listened
    recognised_before_their_ends(watched, listened)


@pytest.mark.parametrize(("dbfs", "seed"), [(None, 1), (-50.0, 2), (-40.0, 3)])
def test_a_long_wait_in_a_steady_noise_hears_nothing(monkeypatch: pytest.MonkeyPatch,
                                                     dbfs: float | None, seed: int) -> None:
    """A minute of a silent microphone's hiss, or of a fan's steady noise: no answer
    starts. RNNoise's detector becomes sure of such a sound now and then (within the
    minute in each of these), and an "answer" had started then: one of the silent
    microphone's hiss, 28 s in, lasted 5.7 s (``STAND_OUT_DB``)."""
    length = 16000 * 60
    rng = np.random.default_rng(seed)
    sound = rng.normal(0, MICROPHONE_HISS, length)
    if dbfs is not None:
        sound += np.random.default_rng(seed + 10).normal(0, 32768 * 10 ** (dbfs / 20), length)
    plug_in(monkeypatch, FakeInput(np.clip(np.round(sound), -32768, 32767).astype(np.int16)))
    assert Microphone(16000, denoiser=default_denoiser()).listen(59.0) is None
