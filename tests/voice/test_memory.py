"""The listen loop decodes on more than one thread; its memory stays what one thread's
would be (``skill.memory``)."""

from __future__ import annotations

import ctypes
import subprocess
import sys
from pathlib import Path

import pytest

from tests.voice.speech import have_synthesizers, synthesize, with_noise

pytestmark = pytest.mark.skipif(not have_synthesizers() or not Path("/proc/self/statm").exists(),
                                reason="needs flite, espeak-ng and /proc")
ROOT = Path(__file__).resolve().parents[2]
ANSWERS = [(text, voice) for text in ("my left calf", "the back of my thigh", "yes it's easing")
           for voice in ("flite:kal", "espeak:en+f2")]
SCRIPT = """
import os, sys
from concurrent.futures import ThreadPoolExecutor
from skill.memory import fewer_allocator_arenas
if sys.argv[1] == "fewer":
    assert fewer_allocator_arenas()
from skill.asr.engine import hear_audio, open_recognizer
from skill.audio.wav import read_wav
from tests.voice.speech import synthesize, with_noise
recognizer = open_recognizer("pocketsphinx")
answers = [read_wav(with_noise(synthesize(text, voice), 10), 16000)
           for text, voice in %r]
def hear_all():
    for audio in answers:
        recognizer.prepare("location")
        hear_audio(recognizer, audio, "location")
for _ in range(2):  # as the listen loop does: on this thread, and on the lookahead's
    hear_all()
    with ThreadPoolExecutor(1) as pool:
        pool.submit(hear_all).result()
# resident now: what the threads' memory keeps (a peak could come from anything before)
with open("/proc/self/statm") as statm:
    print(int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 2**20)
"""


def resident_mb(arenas: str) -> int:
    for text, voice in ANSWERS:  # made here, so that the processes compared only decode
        with_noise(synthesize(text, voice), 10)
    result = subprocess.run([sys.executable, "-c", SCRIPT % (ANSWERS,), arenas], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return int(result.stdout.split()[-1])


@pytest.mark.skipif(not hasattr(ctypes.CDLL(None), "mallopt"), reason="not glibc")
def test_answers_decoded_on_two_threads_keep_less_memory_with_one_arena() -> None:
    fewer, as_usual = resident_mb("fewer"), resident_mb("as usual")
    assert fewer < as_usual - 10, (fewer, as_usual)
