"""The hands-free conversation loop: listen, understand, reply, until done.

Wiring only: audio comes from an AudioSource (the microphone, or WAV files in
tests), words from a Recognizer, replies from the Session, speech out through
a VoiceOut (the loudspeaker, or WAV files). Rules for 3 a.m.:

- after a question, wait (``wait`` seconds, default 8) for an answer; silence
  gets a re-prompt that adds examples; after two silent re-prompts, "I'll stay
  here, say cramp coach when you need me", then keep listening for that;
- the timed hold really pauses, and the user can talk during it (barge-in): the
  hold ends and what they said is answered;
- where the microphone does not hear the skill's own voice (a headset, or a device
  that cancels its echo), the user can talk over the skill while it speaks too
  (``barge_in``): it stops talking at once and answers what they said;
- a sound that cut the skill off but meant nothing (a cough, a creak of the bed), or a
  listener's "okay" or "mm hmm" while the skill explains (before it asks its
  question), is not answered: the skill goes on from the sentence it was cut off in;
  after ``FALSE_STARTS`` such sounds in a row, it says the rest of that reply
  without stopping;
- what was understood is said back ("Okay, your left calf"); when the words came
  from the open second pass or through loud noise, it says what it thinks it
  heard, so "go back" can undo it (hearing.py);
- an answer that says all it can ends sooner (``complete_answer``); after "give me
  more time" (``Session.patient``), none does, a longer pause ends an answer, and
  the wait for one is half as long again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rapidfuzz import fuzz

from .asr.base import Heard, Recognizer
from .asr.engine import hear_audio
from .audio.endpoint import EarlyHearing
from .audio.source import AudioSource, TalkOver, WavFiles
from .audio.wav import Audio
from .dialogue.session import Session
from .dialogue.slots import LIST_SLOTS
from .dialogue.turn import SpeechPart, Turn
from .hearing import Hearing
from .lookahead import Lookahead
from .nlu.understand import Understanding, default_understander
from .responses import default_responses
from .tts.speaker import Speaker

_LOGGER = logging.getLogger(__name__)
WAKE_PHRASES = ("cramp coach", "hey cramp coach", "coach")
SILENT_REPROMPTS = 2
PATIENT_WAIT = 1.5
"""How much longer the wait for an answer is for someone who asked for more time."""
FALSE_STARTS = 2
"""Sounds in a row that meant nothing, after which the rest of a reply is said without
stopping (a partner snoring, a door banging in the wind)."""


class VoiceOut(Protocol):
    unsaid: Sequence[SpeechPart]
    """The parts the last ``speak`` did not finish saying because the user talked: the
    one it was cut off in (or, in a hold, the one after it) and those after it."""
    cut_short: bool
    """Whether the user talked over the speech itself (not in a hold)."""

    def speak(self, parts: Sequence[SpeechPart], rate: int, volume: float,
              early: EarlyHearing | None = None, patient: bool = False,
              talk_over: bool = True) -> Audio | None:
        """Say the parts (pausing where asked) at ``rate`` (words per minute) and
        ``volume`` (0 to 1); return anything the user said meanwhile (offered to
        ``early`` as soon as its sound is final, and waited for ``patient``ly, as
        ``AudioSource.listen`` does). ``talk_over``: the user may cut the speech off
        by talking, where the output allows it (``SpeakerOut.barge_in``)."""
        ...

    def chime(self) -> None:
        ...


@dataclass
class ListenOptions:
    wait: float = 8.0
    """Seconds to wait for an answer before a gentle re-prompt (no hard limit overall);
    half as long again for someone who asked for more time."""
    on_turn: Callable[[Turn], None] | None = None
    """Called with every skill turn as it is spoken (the CLI prints them)."""


@dataclass
class Loop:
    session: Session
    source: AudioSource
    recognizer: Recognizer
    out: VoiceOut
    options: ListenOptions
    _using: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    """Held while the recogniser is in use: by this thread, by the one that gets it
    ready while the skill speaks (``_say``), or by the lookahead's."""
    _lookahead: Lookahead | None = field(default=None, init=False, repr=False)

    def run(self) -> list[Turn]:
        self._lookahead = Lookahead(self.hear, self.recognizer.unheard, self.complete)
        try:
            return self._run(self._lookahead)
        finally:
            self._lookahead.close()
            self._lookahead = None

    def _run(self, lookahead: Lookahead) -> list[Turn]:
        turns: list[Turn] = []
        hearing = Hearing(self.session)
        self.recognizer.new_speaker()
        pending = self._say(self.session.start(), turns)
        silences = 0
        false_starts = 0
        thinking = False
        while not turns[-1].done:
            if pending is None:
                with self._using:
                    self.recognizer.prepare(self.session.expecting)
                if not thinking:  # after a "hmm" it is still listening: no new chime
                    self.out.chime()
                # recognised while the microphone waits to be sure the answer is over
                patient = self.session.patient
                wait = self.options.wait * (PATIENT_WAIT if patient else 1.0)
                pending = self.source.listen(wait, lookahead, patient)
            if pending is None:
                lookahead.settle()
                if isinstance(self.source, WavFiles) and self.source.exhausted:
                    break
                silences += 1
                false_starts = 0
                thinking = False
                # what the user says over the re-prompt is answered (``barge_in``)
                pending = self._say(self.session.nudge(silences), turns)
                if pending is None and silences > SILENT_REPROMPTS:
                    woke, pending = self._wait_for_wake()
                    if not woke:
                        break
                    silences = 0
                continue
            silences = 0
            heard = lookahead.heard(pending) or self.hear(pending)
            pending = None
            meaning = self.session.k.understander.understand(heard.text,
                                                             self.session.expecting)
            if self.out.unsaid and not self._worth_answering(meaning):
                # a cough or a creak cut the skill off: it goes on where it stopped
                false_starts += 1
                pending = self._go_on(turns[-1], false_starts < FALSE_STARTS)
                continue
            false_starts = 0
            thinking = meaning.intent == "hesitation"
            if thinking:
                continue  # "hmm", "um": the answer is still to come; go on listening
            pending = self._say(hearing.respond(heard, turns[-1]), turns)
        return turns

    def _worth_answering(self, meaning: Understanding) -> bool:
        """Whether what was heard (``meaning``), said before the skill had finished its
        reply, is to be answered: anything understood, except a yes or no said over the
        skill's speech before it reached its last sentence (a listener's "okay" or "mm
        hmm" while it explains, not an answer to a question it has not asked yet), and
        a lone "ow" or "ouch" (the stretch it is explaining hurts: it goes on with it)."""
        if meaning.intent in ("unknown", "empty", "hesitation", "pain"):
            return False
        nod = meaning.intent in ("affirm", "deny") and not meaning.slots.get("red_flags")
        return not (nod and self.out.cut_short and len(self.out.unsaid) > 1)

    def _go_on(self, turn: Turn, talk_over: bool) -> Audio | None:
        """Say the rest of ``turn`` from where the user's sound cut it off."""
        return self.out.speak(self.out.unsaid, turn.rate, turn.volume, self._lookahead,
                              turn.patient, talk_over)

    def _say(self, turn: Turn, turns: list[Turn]) -> Audio | None:
        """Speak ``turn``; meanwhile the recogniser gets ready for the answer (learns the
        voice from the last one, makes the question's grammar the first time it is
        asked), so that is done while the skill talks, not in the silence after it."""
        turns.append(turn)
        if self.options.on_turn is not None:
            self.options.on_turn(turn)
        if turn.done:
            return self.out.speak(turn.parts, turn.rate, turn.volume)
        ready = threading.Thread(target=self._prepare, args=(self.session.expecting,),
                                 name="prepare", daemon=True)
        ready.start()
        try:
            # an answer given during the stretch hold is recognised early too
            return self.out.speak(turn.parts, turn.rate, turn.volume, self._lookahead,
                                  turn.patient)
        finally:
            ready.join()

    def _prepare(self, expecting: str | None) -> None:
        try:
            with self._using:
                self.recognizer.prepare(expecting)
        except Exception as error:  # noqa: BLE001 - tried again before listening
            _LOGGER.error("could not get ready for the answer while speaking: %r", error)

    def hear(self, audio: Audio) -> Heard:
        with self._using:
            return hear_audio(self.recognizer, audio, self.session.expecting)

    def complete(self, heard: Heard) -> bool:
        """Whether ``heard`` is the whole answer, so the microphone need not wait out
        the rest of the pause (``complete_answer``)."""
        with self._using:
            return complete_answer(self.recognizer, heard, self.session.expecting)

    def _wait_for_wake(self) -> tuple[bool, Audio | None]:
        """Listen without limit for the wake phrase (or a warning sign, or the cramp
        coming back).

        Returns (woke, what to answer). The wake phrase gets "I'm here" and the
        question again; a warning sign, and "it's back" or "I've got a cramp", are
        answered at once (the stretch first); other talk in the room is ignored, and
        so is a lone "ow", which a snore or a creak can be taken for.
        """
        while True:
            audio = self.source.listen(None, patient=self.session.patient)
            if audio is None:
                if isinstance(self.source, WavFiles) and self.source.exhausted:
                    return False, None
                continue
            words = self.hear(audio).text.lower()
            if words and any(fuzz.partial_ratio(p, words) >= 85 for p in WAKE_PHRASES):
                back = SpeechPart(default_responses().text("hands_free.back"))
                question = self.session.nudge(1).parts[-1]
                # what the user says over it is the answer (``barge_in``)
                return True, self.out.speak([back, question], self.session.rate,
                                            self.session.volume, self._lookahead,
                                            self.session.patient)
            # only the wake phrase wakes it, a warning sign (always heard), or the cramp
            meaning = self.session.k.understander.understand(words, self.session.expecting)
            if meaning.slots.get("red_flags") or meaning.cramping:
                return True, audio


def complete_answer(recognizer: Recognizer, heard: Heard, expecting: str | None) -> bool:
    """Whether the user has finished answering once they pause after ``heard``: its
    words are a whole phrase of the question's grammar that nothing the grammar could
    add would change the meaning of (``Recognizer.finished``: "at night" and "my left
    calf", not "my left", nor "yes", which "yes, my calf" goes on from; nor "um", after
    which the answer is still to come). Not when the question takes several things
    ("alcohol ... and hot weather"): the next may follow a pause."""
    return heard.complete and not heard.second_pass and expecting not in LIST_SLOTS \
        and recognizer.finished(expecting, heard.text) \
        and default_understander().understand(heard.text, expecting).intent != "hesitation"


class SpeakerOut:
    """The loudspeaker. Pauses (the timed hold) listen, so the user can talk over them;
    with ``barge_in``, so does the speech itself: the moment the microphone hears the
    user start to speak, the skill stops talking and listens to the end of what they
    say. Only for a microphone that does not hear the skill (a headset, or a device
    that cancels its own echo): otherwise the skill's own voice would stop it."""

    def __init__(self, speaker: Speaker, source: AudioSource | None = None,
                 barge_in: bool = False) -> None:
        self.speaker = speaker
        self.source = source
        self.barge_in = barge_in
        self.unsaid: Sequence[SpeechPart] = ()
        self.cut_short = False

    def speak(self, parts: Sequence[SpeechPart], rate: int, volume: float,
              early: EarlyHearing | None = None, patient: bool = False,
              talk_over: bool = True) -> Audio | None:
        import time

        self.unsaid, self.cut_short = (), False
        for index, part in enumerate(parts):
            if self.barge_in and talk_over and self.source is not None:
                heard = self._say_over(self.source, part, rate, volume, early, patient)
                if heard is not None:
                    self.unsaid, self.cut_short = tuple(parts[index:]), True
                    return heard  # barge-in: the user spoke over the skill
            else:
                self.speaker.say(part.text, rate, volume)
            if part.pause_after <= 0:
                continue
            if self.source is not None:
                heard = self.source.listen(part.pause_after, early, patient)
                if heard is not None:
                    self.unsaid = tuple(parts[index + 1:])
                    return heard  # barge-in: the user spoke during the hold
            else:
                time.sleep(part.pause_after)
        return None

    def _say_over(self, source: AudioSource, part: SpeechPart, rate: int, volume: float,
                  early: EarlyHearing | None, patient: bool) -> Audio | None:
        """Say ``part`` while the microphone listens; stop the moment the user speaks,
        and return what they said (None when they did not)."""
        talk_over = TalkOver()
        said: list[Audio | None] = []

        def listen() -> None:
            try:
                said.append(source.listen(None, early, patient, talk_over))
            except Exception as error:  # noqa: BLE001 - the speech goes on; the next
                # listen for the answer reports a microphone that stopped working
                _LOGGER.error("could not listen while speaking: %r", error)

        listener = threading.Thread(target=listen, name="talk-over", daemon=True)
        listener.start()
        try:
            self.speaker.say(part.text, rate, volume, stop=talk_over.began)
        finally:
            talk_over.over.set()
            listener.join()
        return said[0] if said else None

    def chime(self) -> None:
        from .audio.mic import earcon
        from .audio.playback import play_sound

        play_sound(earcon(), 22050)


class WavOut:
    """Each reply written as a WAV file in a folder (headless use and tests)."""

    def __init__(self, folder: Path, speaker: Speaker) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.speaker = speaker
        self.count = 0
        self.written: list[Path] = []
        self.unsaid: Sequence[SpeechPart] = ()
        self.cut_short = False

    def speak(self, parts: Sequence[SpeechPart], rate: int, volume: float,
              early: EarlyHearing | None = None, patient: bool = False,
              talk_over: bool = True) -> Audio | None:
        text = " ".join(part.text for part in parts)
        path = self.folder / f"reply-{self.count:03d}.wav"
        self.count += 1
        self.written.append(self.speaker.save(text, path, rate, volume))
        return None

    def chime(self) -> None:
        return None
