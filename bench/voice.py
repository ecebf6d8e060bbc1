"""Voice benchmark: spoken slot accuracy per engine and voice (clean and 10 dB white
noise), time from the end of the user's audio to the reply text and to the first
spoken audio (WAV files, and answers fed at speaking pace as from the microphone),
model load time, peak memory, cold start to the first prompt.

Run: python -m bench.voice            (PocketSphinx with grammars, five voices)
     python -m bench.voice --quick    (fewer voices, for a quick look)
"""

from __future__ import annotations

import argparse
import functools
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from bench.report import write_section
from skill.asr.base import Heard
from skill.asr.engine import hear_audio, open_recognizer
from skill.audio.wav import Audio, read_wav
from skill.dialogue.session import Session
from skill.nlu.understand import default_understander
from skill.tts.speaker import Speaker
from tests.nlu.test_heldout import HELDOUT, understood
from tests.voice.speech import synthesize, with_noise

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = yaml.safe_load((ROOT / "bench" / "spoken_answers.yaml").read_text())
VOICES = ["flite:slt", "flite:kal16", "flite:rms", "flite:awb", "espeak:en-us+f3"]
QUESTIONS = ["cramp_now", "relief", "location", "side", "onset", "triggers", "medications",
             "conditions", "red_flags", "frequency", "duration", "anything_else"]
DEV_ANSWERS = yaml.safe_load((ROOT / "bench" / "dev_answers.yaml").read_text())
DEV_VOICES = ["flite:kal", "espeak:en-us+m3", "espeak:en+f2"]
"""Grammar changes are tried on the development set, spoken by other voices; the
benchmark's set and voices are only measured."""


@dataclass
class Scores:
    right: int = 0
    total: int = 0
    asked_again: int = 0
    """Nothing understood: the question is asked again (harmless)."""
    wrong_said_back: int = 0
    """Wrong, but said back first because the audio was noisy (skill/hearing.py)."""
    false_warnings: int = 0
    """A warning sign understood from an answer that held none."""
    not_warnings: int = 0
    times: list[float] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    def add(self, other: Scores) -> None:
        """Count ``other``'s answers in with these (its times are kept apart)."""
        for name in ("right", "total", "asked_again", "wrong_said_back", "false_warnings",
                     "not_warnings"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def accuracy(recognizer, items, voice: str, snr: float | None,
             show: bool = False) -> tuple[float, list[float]]:
    scores = score(recognizer, items, voice, snr, show)
    return scores.accuracy, scores.times


CONVERSATIONS = 4
"""A voice's answers, taken in conversation order, make this many conversations (each
goes through the questions in order, as the skill asks them, about 11 answers)."""


def in_conversations(items: list) -> list[tuple[bool, object]]:
    """The items reordered into conversations: (whether a new one starts, item)."""
    out = []
    for first in range(CONVERSATIONS):
        out += [(index == first, items[index]) for index in range(first, len(items),
                                                                    CONVERSATIONS)]
    return out


def score(recognizer, items, voice: str, snr: float | None, show: bool = False,
          conversations: bool = False) -> Scores:
    """Each item spoken by ``voice`` (with white noise at ``snr`` dB), through the same
    speech gate and recogniser as a conversation, then understood. Each answer is the
    first of its conversation (nothing learnt yet of the voice), or with
    ``conversations`` the answers are taken in conversations, during which the
    recogniser learns the voice (asr.adaptation)."""
    out = Scores()
    ordered = in_conversations(items) if conversations else [(True, x) for x in items]
    for new, (expecting, text, spec) in ordered:
        if new:
            recognizer.new_speaker()
        path = synthesize(text, voice)
        if snr is not None:
            path = with_noise(path, snr)
        audio = read_wav(path, recognizer.sample_rate)
        recognizer.prepare(expecting)
        started = time.perf_counter()
        heard = hear_audio(recognizer, audio, expecting)
        meaning = default_understander().understand(heard.text, expecting)
        out.times.append((time.perf_counter() - started) * 1000)
        hit = understood(expecting, heard.text, spec)
        out.total += 1
        out.right += hit
        if not hit and meaning.intent in ("unknown", "empty", "hesitation"):
            out.asked_again += 1
        elif not hit and heard.noisy:
            out.wrong_said_back += 1
        if not spec.startswith("red_flags"):
            out.not_warnings += 1
            out.false_warnings += bool(meaning.slots.get("red_flags"))
        if show and not hit:
            print(f"  miss {voice} {expecting}: {text!r} heard as {heard.text!r}")
    return out


def develop(show: bool, conversations: bool) -> None:
    """Accuracy on the development set, clean and at 15 and 10 dB; nothing is written."""
    recognizer = open_recognizer("pocketsphinx")
    for snr in (None, 15.0, 10.0):
        total = Scores()
        for voice in DEV_VOICES:
            got = score(recognizer, DEV_ANSWERS, voice, snr, show, conversations)
            total.add(got)
            print(f"dev {voice} {'clean' if snr is None else f'{snr:g} dB'}: "
                  f"{got.accuracy:.1%}")
        print(f"dev all voices {'clean' if snr is None else f'{snr:g} dB'}: "
              f"{total.accuracy:.1%}, asked again {total.asked_again / total.total:.1%}, "
              f"false warning signs {total.false_warnings}/{total.not_warnings}", flush=True)


TIMED_ANSWERS = ["yes", "my left calf", "yes it's easing", "at night", "no", "no", "no", "no",
                 "once a week", "a few minutes", "no"]
"""One conversation's answers, in the skill's order, for the timings."""


def reply_latency(recognizer, speaker: Speaker, snr: float | None = None
                  ) -> tuple[list[float], list[float], list[float]]:
    """End of the user's audio -> reply text, and -> first spoken audio ready, through
    the same path as a conversation (``hear_audio``: speech gate, level, background,
    and for noisy speech suppression and its other renderings); and the time taken to
    prepare for each answer, which includes learning the voice from the one before
    (``cramp-coach listen`` does it before it listens again)."""
    to_text, to_audio, learning = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for round_no in range(3):
            session = Session()
            session.start()
            recognizer.new_speaker()
            for i, line in enumerate(TIMED_ANSWERS):
                path = synthesize(line, VOICES[round_no])
                if snr is not None:
                    path = with_noise(path, snr)
                audio = read_wav(path, recognizer.sample_rate)
                started = time.perf_counter()
                recognizer.prepare(session.expecting)
                learning.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                heard = hear_audio(recognizer, audio, session.expecting)
                turn = session.handle(heard.text)
                to_text.append((time.perf_counter() - started) * 1000)
                speaker.save(turn.parts[0].text, Path(tmp) / f"{round_no}-{i}.wav", turn.rate)
                to_audio.append((time.perf_counter() - started) * 1000)
                if turn.done:
                    break
    return to_text, to_audio, learning


def live_latency(recognizer, snr: float | None = None) -> dict[str, list[float]]:
    """As ``cramp-coach listen`` hears an answer: the room's sound (the answer with 0.4 s
    before it and 2 s after, silent or in white noise) is fed to the microphone's
    endpointing in 30 ms frames at the pace it is spoken, so noise suppression runs
    while the answer is spoken, and the answer is recognised in the pause before its
    end is declared (``skill.lookahead``), as from the microphone. The same answer, as
    its WAV file, is heard in the same state of the conversation just before, for
    comparison. Returns, per answer: the time from the end of the speech to the end
    of the answer being found (in the sound's own time: the pause the endpointing
    waits for), from then to the reply text ("live"), the WAV file's time ("file"),
    whether each was understood as its clean recording is ("live right", "file
    right"), whether it had been recognised whole before its end ("early"), and whether
    its end came sooner because it was recognised as a complete answer ("sooner")."""
    from skill.audio.denoise import default_denoiser
    from skill.audio.endpoint import FRAME_MS, Endpointer, SpeechDetector
    from skill.listen import complete_answer
    from skill.lookahead import Lookahead
    from tests.voice.speech import frames, in_room

    got: dict[str, list[float]] = {key: [] for key in ("to end", "live", "file", "live right",
                                                       "file right", "early", "sooner")}
    for round_no in range(3):
        session = Session()
        session.start()
        recognizer.new_speaker()
        detector = SpeechDetector(recognizer.sample_rate, 2, default_denoiser())
        for line in TIMED_ANSWERS:
            expecting = session.expecting
            path = synthesize(line, VOICES[round_no])
            recognizer.prepare(expecting)
            clean = _meaning(hear_audio(recognizer, read_wav(path, recognizer.sample_rate),
                                        expecting).text, expecting)
            recognizer.prepare(expecting)
            started = time.perf_counter()
            from_file = hear_audio(recognizer, read_wav(with_noise(path, snr) if snr else path,
                                                        recognizer.sample_rate), expecting)
            file_meaning = _meaning(from_file.text, expecting)
            got["file"].append((time.perf_counter() - started) * 1000)
            got["file right"].append(file_meaning == clean)
            samples, speech_end = in_room(line, VOICES[round_no], snr, before=0.4, after=2.0)
            recognizer.prepare(expecting)
            lookahead = Lookahead(functools.partial(_hear, recognizer, expecting),
                                  recognizer.unheard,
                                  functools.partial(complete_answer, recognizer,
                                                    expecting=expecting))
            listener = Endpointer(recognizer.sample_rate, detector, 8.0, default_denoiser(),
                                  lookahead.offer, lookahead.finished)
            started = time.perf_counter()
            for index, frame in enumerate(frames(samples)):
                time.sleep(max(0.0, started + index * FRAME_MS / 1000 - time.perf_counter()))
                if listener.push(frame):
                    got["to end"].append((index + 1) * FRAME_MS / 1000 - speech_end)
                    got["sooner"].append(listener.ended_sooner)
                    break
            audio = listener.audio()
            if audio is None:
                lookahead.close()
                continue
            ended = time.perf_counter()
            early = lookahead.heard(audio)
            heard = early or hear_audio(recognizer, audio, expecting)
            lookahead.close()
            got["early"].append(early is not None)
            turn = session.handle(heard.text)
            got["live"].append((time.perf_counter() - ended) * 1000)
            got["live right"].append(_meaning(heard.text, expecting) == clean)
            if turn.done:
                break
    return got


def _median_where(values: list[float], flags: list[float], flag: bool) -> float:
    """The median of the ``values`` whose flag is ``flag`` (nan when there are none)."""
    chosen = [value for value, mark in zip(values, flags, strict=True) if bool(mark) is flag]
    return statistics.median(chosen) if chosen else float("nan")


def _hear(recognizer, expecting: str | None, audio: Audio) -> Heard:
    return hear_audio(recognizer, audio, expecting)


def _meaning(text: str, expecting: str | None) -> tuple:
    meaning = default_understander().understand(text, expecting)
    return meaning.intent, meaning.slots, meaning.negated, meaning.yes_no


def noise_sounds() -> dict[str, np.ndarray]:
    """Sounds with no answer in them, as a bedroom microphone picks them up: loud hiss,
    soft hiss, clicks, a chord, reversed speech, three voices at once (1-3 s each)."""
    rng = np.random.default_rng(11)
    out: dict[str, np.ndarray] = {}
    speech = read_wav(synthesize("my left calf is cramping badly", "flite:slt"), 16000).samples
    out["reversed speech"] = speech[::-1].copy()
    out["three voices at once"] = np.clip(speech.astype(float) + np.roll(speech, 3000)
                                          + np.roll(speech, 7000), -32768, 32767)
    for seconds in (1.0, 3.0):
        n = int(16000 * seconds)
        t = np.arange(n) / 16000
        out[f"loud hiss {seconds:g} s"] = np.clip(rng.normal(0, 30000, n), -32768, 32767)
        out[f"soft hiss {seconds:g} s"] = rng.normal(0, 1500, n)
        out[f"clicks {seconds:g} s"] = np.where(rng.random(n) > 0.995, rng.normal(0, 20000, n),
                                                rng.normal(0, 30, n))
        out[f"chord {seconds:g} s"] = sum(np.sin(2 * np.pi * f * t) for f in (262, 330, 392)) \
            * 5000 * (np.sin(2 * np.pi * 2 * t) > 0)
    return {name: np.asarray(x).astype(np.int16) for name, x in out.items()}


def noise_latency(recognizer) -> list[float]:
    """End of a sound with no answer in it -> reply text, in every question."""
    times = []
    for samples in noise_sounds().values():
        for question in QUESTIONS:
            recognizer.prepare(question)
            started = time.perf_counter()
            heard = hear_audio(recognizer, Audio(samples, 16000), question)
            Session().handle(heard.text)
            times.append((time.perf_counter() - started) * 1000)
    return times


def cold_start_seconds() -> float:
    """A new process until the greeting's audio file is written (chat --say-to)."""
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "skill", "chat", "--say-to", tmp],
                       input=b"", capture_output=True, check=True, cwd=ROOT)
        assert (Path(tmp) / "reply-000.wav").exists()
        return time.perf_counter() - started


def listen_cold_start_seconds() -> float:
    """``cramp-coach listen`` (recogniser loaded too) until its greeting WAV exists."""
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "skill", "listen", "--say-to", tmp,
                                 "--from-wav", str(synthesize("stop"))], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        first = Path(tmp) / "reply-000.wav"
        while not first.exists() and proc.poll() is None:
            time.sleep(0.01)
        elapsed = time.perf_counter() - started
        proc.wait(timeout=60)
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--dev", action="store_true",
                        help="only the development set (for trying grammar changes)")
    parser.add_argument("--show", action="store_true", help="print each miss")
    parser.add_argument("--conversations", action="store_true",
                        help="with --dev: answers in conversations (the voice is learnt)")
    args = parser.parse_args()
    if args.dev:
        develop(args.show, args.conversations)
        return
    voices = VOICES[:2] if args.quick else VOICES

    started = time.perf_counter()
    recognizer = open_recognizer("pocketsphinx")
    load_s = time.perf_counter() - started
    grammar_started = time.perf_counter()
    for question in QUESTIONS:
        recognizer.prepare(question)
    grammars_s = time.perf_counter() - grammar_started
    helper = getattr(recognizer, "helper", None)
    helper_ready = helper is not None and helper.working
    if helper is not None:  # the skill speaks its greeting for seconds meanwhile
        helper.wait_until_working(30)

    rows = []
    all_times: list[float] = []
    by_noise: dict[str, Scores] = {}
    for voice in voices:
        per_noise = {}
        for label, snr, together in (("clean", None, False), ("15 dB", 15.0, False),
                                     ("10 dB", 10.0, False),
                                     ("clean, in conversations", None, True),
                                     ("10 dB, in conversations", 10.0, True)):
            got = score(recognizer, ANSWERS, voice, snr, conversations=together)
            per_noise[label] = got
            by_noise.setdefault(label, Scores()).add(got)
            all_times += got.times
        free, t3 = accuracy(recognizer, [tuple(x) for x in HELDOUT], voice, None)
        all_times += t3
        figures = [per_noise[label].accuracy for label in
                   ("clean", "10 dB", "clean, in conversations", "10 dB, in conversations")]
        rows.append((voice, *figures, free))
        print(voice, " ".join(f"{x:.1%}" for x in rows[-1][1:]), flush=True)
    speaker = Speaker()
    to_text, to_audio, learning = reply_latency(recognizer, speaker)
    noisy_text, noisy_audio, _ = reply_latency(recognizer, speaker, 10.0)
    on_noise = noise_latency(recognizer)
    live = {label: live_latency(recognizer, snr) for label, snr in (("clean", None),
                                                                     ("10 dB", 10.0))}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    helper_mb = _peak_mb(helper.pid) if helper is not None and helper.pid else 0.0
    cold = cold_start_seconds()
    listen_cold = listen_cold_start_seconds()

    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
    table = ("| voice | short answers, clean | short answers, 10 dB white noise | the same "
             "answers in conversations, clean | in conversations, 10 dB | free held-out "
             "sentences, clean |\n|---|---|---|---|---|---|\n")
    table += "".join(f"| {r[0]} | " + " | ".join(f"{x:.1%}" for x in r[1:]) + " |\n"
                     for r in rows)
    table += (f"| **all voices** | **{mean([r[1] for r in rows]):.1%}** (target 95%) | "
              f"**{mean([r[2] for r in rows]):.1%}** (target 90%) | "
              f"**{mean([r[3] for r in rows]):.1%}** (target 95%) | "
              f"**{mean([r[4] for r in rows]):.1%}** (target 90%) | "
              f"{mean([r[5] for r in rows]):.1%} |\n")
    outcomes = ("| speech | right | not understood, asked again | wrong, but said back first "
                "(noisy) | wrong, not said back | warning sign understood from an answer with "
                "none |\n|---|---|---|---|---|---|\n")
    for label, got in by_noise.items():
        silent = got.total - got.right - got.asked_again - got.wrong_said_back
        outcomes += (f"| {label} | {got.right / got.total:.1%} | "
                     f"{got.asked_again / got.total:.1%} | "
                     f"{got.wrong_said_back / got.total:.1%} | {silent / got.total:.1%} | "
                     f"{got.false_warnings}/{got.not_warnings} "
                     f"({got.false_warnings / got.not_warnings:.1%}) |\n")
    body = (
        f"Engine: PocketSphinx {_version('pocketsphinx')} with per-question grammars (the "
        f"embedded default; no English vosk model can be fetched on this machine). Speech "
        f"synthesized with flite and espeak-ng, 16 kHz mono. Slot accuracy: the slot value "
        f"the skill understood from the recognised words. "
        f"{len(ANSWERS)} short answers (`bench/spoken_answers.yaml`), each heard as the "
        f"first answer of a conversation, and again taken in {CONVERSATIONS} "
        f"conversations per voice (each through the questions in the skill's order), "
        f"during which the recogniser learns the voice (`skill/asr/adaptation.py`); "
        f"{len(HELDOUT)} free sentences (`tests/nlu/heldout.yaml`, many with words outside "
        f"the grammar, so they test the open second pass).\n\n{table}\n"
        f"What becomes of the short answers, all voices together. Below 18 dB "
        f"(measured from the utterance) the skill says what it heard before it answers, "
        f"so a wrong guess can be heard and undone with go back; a warning sign still "
        f"counts at once.\n\n{outcomes}\n"
        f"| timing | median | p95 |\n|---|---|---|\n"
        f"| recognise + understand, one utterance | {statistics.median(all_times):.0f} ms | "
        f"{p95(all_times):.0f} ms |\n"
        f"| end of the user's audio to reply text | {statistics.median(to_text):.0f} ms "
        f"(target under 300 ms) | {p95(to_text):.0f} ms |\n"
        f"| end of the user's audio to the first spoken audio (pyttsx3 WAV of the first "
        f"sentence) | {statistics.median(to_audio):.0f} ms | "
        f"{p95(to_audio):.0f} ms |\n"
        f"| the same two, answers in 10 dB white noise (suppressed; a second rendering "
        f"decoded beside the first in the second decoder process, a third when they "
        f"disagree) | {statistics.median(noisy_text):.0f} ms "
        f"and {statistics.median(noisy_audio):.0f} ms | {p95(noisy_text):.0f} ms and "
        f"{p95(noisy_audio):.0f} ms |\n"
        + "".join(
            f"| from the microphone, {label} (noise suppressed while the answer is spoken, "
            f"`skill/audio/endpoint.py`, and the answer recognised in the pause before its "
            f"end is declared, `skill/lookahead.py`: {sum(got['early']):.0f} of "
            f"{len(got['early'])} answers): end of the answer found to reply text; the same "
            f"answers as whole WAV files, in the same questions | "
            f"{statistics.median(got['live']):.0f} ms; {statistics.median(got['file']):.0f} ms "
            f"| {p95(got['live']):.0f} ms; {p95(got['file']):.0f} ms |\n"
            f"| from the microphone, {label}: end of speech to the end of the answer found "
            f"(the pause it waits for; {sum(got['sooner']):.0f} of {len(got['sooner'])} "
            f"answers recognised as complete in time to end sooner, median "
            f"{_median_where(got['to end'], got['sooner'], True) * 1000:.0f} ms, the rest "
            f"{_median_where(got['to end'], got['sooner'], False) * 1000:.0f} ms, "
            f"`FINISHED_PAUSE_MS`); answers understood as their clean recording is: "
            f"{sum(got['live right']):.0f} of {len(got['live right'])} from the microphone, "
            f"{sum(got['file right']):.0f} of {len(got['file right'])} as WAV files | "
            f"{statistics.median(got['to end']) * 1000:.0f} ms | "
            f"{p95(got['to end']) * 1000:.0f} ms |\n"
            for label, got in live.items()) +
        f"| learning the voice from an answer, and the next question's grammar "
        f"(`listen` does it after speaking the reply, before it listens again) | "
        f"{statistics.median(learning):.0f} ms | "
        f"{p95(learning):.0f} ms |\n"
        f"| end of a sound with no answer in it (hiss, clicks, a chord, reversed speech, "
        f"babble; {len(noise_sounds())} sounds x {len(QUESTIONS)} questions) to reply text "
        f"| {statistics.median(on_noise):.0f} ms | "
        f"{p95(on_noise):.0f} ms (slowest "
        f"{max(on_noise):.0f} ms) |\n\n"
        f"| start-up | figure |\n|---|---|\n"
        f"| recogniser load (PocketSphinx model, dictionary, understanding) | "
        f"{load_s * 1000:.0f} ms |\n"
        f"| all twelve question grammars compiled | {grammars_s * 1000:.0f} ms |\n"
        f"| cold start of `cramp-coach chat --say-to` to the greeting's audio | "
        f"{cold:.2f} s |\n"
        f"| cold start of `cramp-coach listen` (recogniser loaded) to the greeting's audio "
        f"| {listen_cold:.2f} s (target under 3 s) |\n"
        f"| peak memory of this benchmark process | {peak_mb:.0f} MB |\n"
        f"| the second decoder process (`skill/asr/helper.py`, decodes other renderings "
        f"of noisy answers beside this one): loaded by the time the grammars were "
        f"compiled; its peak memory | {'yes' if helper_ready else 'no'}; "
        f"{helper_mb:.0f} MB |\n"
    )
    print(body)
    write_section("Voice (speech in and out)", body)


def _peak_mb(pid: int) -> float:
    """A running process's peak resident memory (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def p95(times: list[float]) -> float:
    """The 95th percentile, by rank (no interpolation)."""
    return sorted(times)[int(.95 * (len(times) - 1))]


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


if __name__ == "__main__":
    main()
