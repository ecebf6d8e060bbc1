"""pyttsx3 writes real speech: right format, right length, not silence; rate changes it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from skill.audio.wav import read_wav
from skill.tts.speaker import Speaker
from tests.e2e.cli import run, turns


@pytest.fixture(scope="module")
def speaker() -> Speaker:
    return Speaker()


def test_a_reply_becomes_a_real_wav(speaker: Speaker, tmp_path) -> None:
    path = speaker.save("Let's ease it right now. Pull your foot up towards your shin.",
                        tmp_path / "reply.wav", rate=140)
    audio = read_wav(path)
    assert audio.rate == 22050
    assert 2.0 < audio.seconds < 12.0
    assert np.sqrt(np.mean(audio.samples.astype(float) ** 2)) > 300  # not silence


def test_slower_speech_lasts_longer(speaker: Speaker, tmp_path) -> None:
    text = "Hold the stretch for about thirty seconds, breathing slowly."
    slow = read_wav(speaker.save(text, tmp_path / "slow.wav", rate=100)).seconds
    fast = read_wav(speaker.save(text, tmp_path / "fast.wav", rate=200)).seconds
    assert slow > 1.5 * fast


def test_quieter_speech_is_quieter(speaker: Speaker, tmp_path) -> None:
    text = "Hold the stretch for about thirty seconds, breathing slowly."
    full = read_wav(speaker.save(text, tmp_path / "full.wav", volume=1.0)).samples
    low = read_wav(speaker.save(text, tmp_path / "low.wav", volume=0.4)).samples
    def level(samples: np.ndarray) -> float:
        return float(np.sqrt(np.mean(samples.astype(float) ** 2)))
    assert 0.25 < level(low) / level(full) < 0.6
    assert level(low) > 100  # quieter, not silent


class SoundDevice:
    """The sound device this machine lacks: keeps what it is given to play."""

    def __init__(self, fails: bool = False) -> None:
        self.fails = fails
        self.played: list[tuple[np.ndarray, int]] = []

    def play(self, samples: np.ndarray, rate: int) -> None:
        if self.fails:
            raise OSError("no default output device")
        self.played.append((np.asarray(samples), rate))

    def wait(self) -> None:
        return None


def test_speech_is_played_through_the_sound_device(
        speaker: Speaker, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    """pyttsx3's espeak driver played speech by running aplay, which a fresh machine
    may lack ("aplay: not found": the skill spoke without a sound). The speech goes to
    the sound device through PortAudio instead, as the microphone is read."""
    device = SoundDevice()
    monkeypatch.setitem(sys.modules, "sounddevice", device)
    speaker.say("Rub the muscle gently and keep it warm.", rate=140)
    assert len(device.played) == 1
    samples, rate = device.played[0]
    assert rate == 22050 and 1.5 < len(samples) / rate < 8.0
    assert np.sqrt(np.mean(samples.astype(float) ** 2)) > 300  # speech, not silence
    assert "aplay" not in capfd.readouterr().err


def test_without_a_sound_device_speaking_goes_on_and_says_so_once(
        speaker: Speaker, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    from skill.audio import playback

    monkeypatch.setattr(playback, "_warned", False)
    monkeypatch.setitem(sys.modules, "sounddevice", SoundDevice(fails=True))
    speaker.say("Okay.")
    speaker.say("Where is the cramp?")
    assert [r.message for r in caplog.records].count(
        "speech could not be played (no sound device?): no default output device") == 1


def test_say_to_writes_one_wav_per_turn_and_keeps_json_clean(tmp_path) -> None:
    result = run(["chat", "--json", "--say-to", str(tmp_path)], "yes\nslower\n")
    got = turns(result)  # every stdout line is JSON: nothing else leaked into it
    assert len(got) == 3
    files = sorted(tmp_path.glob("reply-*.wav"))
    assert len(files) == 3
    lengths = [read_wav(f).seconds for f in files]
    assert lengths[1] > lengths[0]  # the stretch guidance is longer than the greeting
    assert all(length > 1.0 for length in lengths)


def test_espeak_never_reads_past_the_text_it_is_given() -> None:
    """pyttsx3 told espeak-ng each text was ten times its length, and espeak-ng copied
    that much: now and then past mapped memory, and the skill died mid-conversation
    (a segmentation fault, 6 of 80 `listen` conversations). A long text makes the
    overrun certain, so this shows it is gone; the text is queued, then cancelled."""
    script = ("import os\n"
              "from skill.tts.speaker import Speaker\n"
              "from pyttsx3.drivers import _espeak\n"
              "Speaker()\n"
              "_espeak.Synth(b'calf ' * 40_000)\n"
              "_espeak.Cancel()\n"
              "print('alive', flush=True)\n"
              "os._exit(0)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], timeout=120, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "alive", done.returncode
