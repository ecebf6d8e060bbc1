"""Microphone conditions: the benchmark's short answers as real microphones and rooms
give them, not as a synthesizer writes them.

Each answer (``bench/spoken_answers.yaml``, the five benchmark voices) is changed as a
microphone or room would change it, over the microphone's own faint hiss (about -80
dBFS: no microphone gives digital silence), then heard as a conversation hears it:

- spoken softly: the speech (its loudest tenth of 20 ms frames) scaled to a level,
  clean and in white noise 15 dB below the speech (``skill/audio/gain.py``);
- a DC offset, as many cheap microphones add (``skill/audio/offset.py``);
- mains hum (50 Hz and four harmonics);
- a reverberant room (a decaying echo tail as strong as the direct sound);
- clipped (the speech twice as loud as the sound card can take);
- a telephone band (through 8 kHz, as a Bluetooth headset's hands-free mode gives).

Also: sounds with no answer in them (``bench.voice.noise_sounds``) spoken softly, and
how many of them are heard as an answer, or as a warning sign; and soft answers in a
room, found by the microphone's endpointing (``skill/audio/endpoint.py``) before they
are heard, as ``cramp-coach listen`` finds them.

Run: python -m bench.microphone   (about fifteen minutes)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from bench.report import write_section
from bench.voice import ANSWERS, QUESTIONS, VOICES, noise_sounds
from skill.asr.engine import hear_audio, open_recognizer
from skill.audio.resample import resample
from skill.audio.wav import Audio, read_wav
from skill.nlu.understand import default_understander
from tests.nlu.test_heldout import understood
from tests.voice.speech import MICROPHONE_HISS, softly, synthesize, with_noise

RATE = 16000
Change = Callable[[np.ndarray], np.ndarray]


def _int16(samples: np.ndarray) -> np.ndarray:
    return np.clip(np.round(samples), -32768, 32767).astype(np.int16)


def _hiss(length: int) -> np.ndarray:
    return np.random.default_rng(length).normal(0, MICROPHONE_HISS, length)


def at_level(dbfs: float) -> Change:
    return lambda samples: softly(samples, dbfs, seed=len(samples))


def offset(value: float) -> Change:
    return lambda samples: _int16(samples + value + _hiss(len(samples)))


def hum(dbfs: float, mains: float = 50.0) -> Change:
    def change(samples: np.ndarray) -> np.ndarray:
        t = np.arange(len(samples)) / RATE
        tone = sum(np.sin(2 * np.pi * mains * k * t) / k for k in range(1, 6))
        tone = tone / np.sqrt(np.mean(tone ** 2)) * 32768 * 10 ** (dbfs / 20)
        return _int16(samples + tone + _hiss(len(samples)))
    return change


def room(seconds: float) -> Change:
    """A room whose echo decays by 60 dB in ``seconds``, its tail as strong as the
    direct sound (a speaker a metre or two from the microphone)."""
    def change(samples: np.ndarray) -> np.ndarray:
        length = int(seconds * RATE)
        tail = np.random.default_rng(3).normal(0, 1, length) \
            * np.exp(-6.9 * np.arange(length) / length)
        tail[:int(0.003 * RATE)] = 0.0
        tail /= np.sqrt(np.sum(tail ** 2))
        tail[0] = 1.0
        wet = np.convolve(samples.astype(np.float64), tail)
        wet *= np.max(np.abs(samples)) / max(float(np.max(np.abs(wet))), 1.0)
        return _int16(wet + _hiss(len(wet)))
    return change


def clipped(samples: np.ndarray) -> np.ndarray:
    return _int16(samples * 2.0 + _hiss(len(samples)))


def telephone(samples: np.ndarray) -> np.ndarray:
    narrow = resample(_int16(samples + _hiss(len(samples))), RATE, 8000)
    return resample(narrow, 8000, RATE)


CONDITIONS: list[tuple[str, str, float | None, Change | None]] = [
    ("as synthesized (speech about -16 dBFS)", "clean", None, None),
    ("spoken softly: speech at -40 dBFS", "clean", None, at_level(-40.0)),
    ("spoken softly: speech at -50 dBFS", "clean", None, at_level(-50.0)),
    ("spoken softly: speech at -60 dBFS", "clean", None, at_level(-60.0)),
    ("as synthesized", "15 dB white noise", 15.0, None),
    ("spoken softly: speech at -50 dBFS", "15 dB white noise", 15.0, at_level(-50.0)),
    ("a DC offset of 1000 (-30 dBFS)", "clean", None, offset(1000.0)),
    ("mains hum at -35 dBFS", "clean", None, hum(-35.0)),
    ("a reverberant room, 0.4 s", "clean", None, room(0.4)),
    ("a reverberant room, 0.6 s", "clean", None, room(0.6)),
    ("clipped: twice too loud", "clean", None, clipped),
    ("telephone band (8 kHz)", "clean", None, telephone),
]


def right_answers(recognizer, change: Change | None, snr: float | None
                  ) -> tuple[int, int, int]:
    """Right, said back as noisy, out of how many."""
    right = noisy = total = 0
    for voice in VOICES:
        for expecting, text, spec in ANSWERS:
            path = synthesize(text, voice)
            samples = read_wav(with_noise(path, snr) if snr else path, RATE).samples
            if change is not None:
                samples = change(samples)
            recognizer.new_speaker()
            recognizer.prepare(expecting)
            heard = hear_audio(recognizer, Audio(samples, RATE), expecting)
            right += understood(expecting, heard.text, spec)
            noisy += heard.noisy
            total += 1
    return right, noisy, total


def faint_sounds(recognizer, dbfs: float) -> tuple[int, int, int]:
    """Of the sounds with no answer, heard in every question at ``dbfs``: how many were
    heard as words, how many as a warning sign, out of how many."""
    words = warnings = total = 0
    for samples in noise_sounds().values():
        quiet = at_level(dbfs)(samples)
        for question in QUESTIONS:
            recognizer.prepare(question)
            heard = hear_audio(recognizer, Audio(quiet, RATE), question)
            meaning = default_understander().understand(heard.text, question)
            words += bool(heard.text)
            warnings += bool(meaning.slots.get("red_flags"))
            total += 1
    return words, warnings, total


MICROPHONE_ROOMS: list[tuple[str, float | None, float | None]] = [
    ("ordinary speech (about -20 dBFS)", None, 15.0),
    ("spoken softly: speech at -60 dBFS", -60.0, None),
    ("spoken softly: speech at -60 dBFS", -60.0, 15.0),
]


def from_the_microphone(recognizer, dbfs: float | None, snr: float | None
                        ) -> tuple[int, int, int]:
    """Each answer in a room (0.6 s before it, 2.5 s after), at ``dbfs`` over ``snr``
    dB of white noise, fed to the microphone's endpointing frame by frame; one speech
    detector per voice, as one microphone stream follows one speaker. Found, right, out
    of how many."""
    from skill.audio.denoise import default_denoiser
    from skill.audio.endpoint import Endpointer, SpeechDetector
    from tests.voice.speech import frames, in_room

    found = right = total = 0
    for voice in VOICES:
        detector = SpeechDetector(RATE, 2, default_denoiser())
        for expecting, text, spec in ANSWERS:
            samples, _ = in_room(text, voice, snr)
            if dbfs is not None:
                samples = at_level(dbfs)(samples)
            listener = Endpointer(RATE, detector, 8.0, default_denoiser())
            for frame in frames(samples):
                if listener.push(frame):
                    break
            audio = listener.audio()
            total += 1
            if audio is None:
                continue
            found += 1
            recognizer.new_speaker()
            recognizer.prepare(expecting)
            right += understood(expecting, hear_audio(recognizer, audio, expecting).text,
                                spec)
    return found, right, total


def main() -> None:
    recognizer = open_recognizer("pocketsphinx")
    rows = []
    for name, background, snr, change in CONDITIONS:
        right, noisy, total = right_answers(recognizer, change, snr)
        row = (f"| {name} | {background} | {right}/{total} ({100 * right / total:.1f}%) "
               f"| {noisy} |")
        print(row, flush=True)
        rows.append(row)
    words, warnings, total = faint_sounds(recognizer, -50.0)
    faint = (f"Sounds with no answer in them (hiss, clicks, a chord, reversed speech, three "
             f"voices at once; `bench.voice.noise_sounds`) spoken softly (-50 dBFS), in "
             f"each of the 12 questions: heard as words {words} of {total}, as a warning "
             f"sign {warnings}.")
    print(faint)
    rooms = []
    for name, dbfs, snr in MICROPHONE_ROOMS:
        found, right, total = from_the_microphone(recognizer, dbfs, snr)
        background = "quiet room" if snr is None else f"{snr:g} dB white noise"
        row = f"| {name} | {background} | {found}/{total} | {right}/{total} |"
        print(row, flush=True)
        rooms.append(row)
    body = ("The benchmark's 43 short answers, five voices, as microphones and rooms give "
            "them, over a microphone's own faint hiss (`python -m bench.microphone`; the "
            "module's docstring says how each is made). Said back as noisy: answers the "
            "skill measured under 18 dB and so said back (\"it's noisy where you are, I "
            "think you said...\").\n\n"
            "| answers | background | right | said back as noisy |\n|---|---|---|---|\n"
            + "\n".join(rows) + "\n\n" + faint + "\n\n"
            "From the microphone: each answer in a room, fed to the microphone's "
            "endpointing frame by frame (`skill/audio/endpoint.py`), then heard.\n\n"
            "| answers | room | found | right |\n|---|---|---|---|\n" + "\n".join(rooms))
    write_section("Microphone conditions", body)


if __name__ == "__main__":
    main()
