"""A Session runs one conversation: text in, Turn out. Serialisable with to_dict()."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from transitions import Machine

from ..nlu.understand import Understander, Understanding, default_understander
from ..reasoning import CauseRanker, RankedCause, TriageRules, higher
from ..reasoning.facts import facts_from
from ..reasoning.triage import rank_of
from ..responses import Responses, default_responses
from .flow import EXPECTING, QUESTIONS, STATES, TRANSITIONS
from .slots import LIST_SLOTS, empty_slots, is_valid
from .turn import SpeechPart, Turn

DEFAULT_RATE = 140
"""Words per minute: calm and slow, for 3 a.m."""
RATE_STEP = 20
MIN_RATE, MAX_RATE = 80, 220
DEFAULT_VOLUME = 1.0
"""The speech engine's full volume (its scale is 0 to 1): the device's own volume sets
how loud that is."""
VOLUME_STEP = 0.2
MIN_VOLUME, MAX_VOLUME = 0.2, 1.0
"""Never silent: "quieter" said again and again must not leave the user with no voice."""
HOLD_SECONDS = 30
HOLD_STEP = 10
STEP_PAUSE = 2.0
MISSES_BEFORE_SKIP_OFFER = 2
MISSES_BEFORE_MOVING_ON = 3
SILENCES_BEFORE_CANNOT_HEAR = 2
"""The silent re-prompt (``nudge``) that also says a faint voice may not be heard."""
GLOBALS = ("help", "repeat", "slower", "faster", "louder", "quieter", "more_time",
           "less_time", "back", "skip", "start_over", "stop")
EXERCISE_TRIGGERS = frozenset(["exercise", "heat", "dehydration"])
VERSION = 1


@dataclass(frozen=True)
class Knowledge:
    """Everything loaded from the data folders, shared by all sessions."""

    understander: Understander
    responses: Responses
    ranker: CauseRanker
    triage: TriageRules


@lru_cache(maxsize=1)
def default_knowledge() -> Knowledge:
    return Knowledge(default_understander(), default_responses(), CauseRanker.load(),
                     TriageRules.load())


@dataclass
class SessionData:
    """Everything a conversation remembers (and all that to_dict saves)."""

    state: str = "greeting"
    slots: dict[str, Any] = field(default_factory=empty_slots)
    clues: list[str] = field(default_factory=list)
    relief: str | None = None
    relief_rounds: int = 0
    answered: list[str] = field(default_factory=list)
    thigh_pending: bool = False
    stretched: str | None = None
    """The place whose stretch was last guided."""
    triage: str | None = None
    announced: str | None = None
    causes: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    misses: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    last_say: str = ""
    last_parts: list[list[Any]] = field(default_factory=list)
    rate: int = DEFAULT_RATE
    volume: float = DEFAULT_VOLUME
    patient: bool = False
    """Wait longer for the user to finish speaking ("give me more time")."""
    summary_told: bool = False
    """The cramp came back after the summary was told: once it eases, the skill asks
    whether there is anything else rather than telling the summary again (unless
    something new was said, or an answer was gone back to, meanwhile)."""
    done: bool = False


class _Reply:
    """The pieces of one skill turn, in speaking order."""

    def __init__(self) -> None:
        self.parts: list[SpeechPart] = []

    def add(self, text: str, pause: float = 0.0) -> None:
        if text:
            self.parts.append(SpeechPart(text, pause))

    def clear(self) -> None:
        self.parts = []


class Session:
    """One conversation. ``start()`` gives the greeting, ``handle(text)`` each reply."""

    def __init__(
        self,
        *,
        timed_hold: bool = False,
        knowledge: Knowledge | None = None,
        data: SessionData | None = None,
        rate: int | None = None,
        volume: float | None = None,
        own_voice: bool = True,
        patient: bool | None = None,
    ) -> None:
        """``own_voice``: whether this program speaks the replies and listens for the
        answers, so that slower, faster, louder, quieter and more time are its to
        change; not where a host speaks in its own voice and decides when the user has
        finished (a smart speaker over Wyoming), where saying so is all it can do.
        ``patient``: wait longer for the user to finish speaking (remembered)."""
        self.k = knowledge or default_knowledge()
        self.timed_hold = timed_hold
        self.own_voice = own_voice
        self.data = data or SessionData()
        self._faint = False
        """The turn being handled was spoken very faintly (``handle``)."""
        if rate is not None:
            self.data.rate = rate_within_limits(rate)
        if volume is not None:
            self.data.volume = volume_within_limits(volume)
        if patient is not None:
            self.data.patient = patient
        self.state: str = self.data.state
        self.machine = Machine(
            model=self,
            states=STATES,
            transitions=TRANSITIONS,
            initial=self.data.state,
            auto_transitions=False,
            model_attribute="state",
        )

    # -- public API ----------------------------------------------------------------
    @property
    def expecting(self) -> str | None:
        return None if self.data.done else EXPECTING[self.state]

    @property
    def done(self) -> bool:
        return self.data.done

    @property
    def rate(self) -> int:
        return self.data.rate

    @property
    def volume(self) -> float:
        return self.data.volume

    @property
    def patient(self) -> bool:
        """Whether to wait longer for the user to finish speaking."""
        return self.data.patient

    def start(self) -> Turn:
        """The first turn: greeting and first question."""
        reply = _Reply()
        reply.add(self._say("greeting"))
        return self._finish(reply, heard=None, remember=True)

    def open(self, text: str | None) -> Turn:
        """Start with the user's first words (a smart speaker has no greeting turn).

        "I've got a cramp in my left calf" gets a full answer at once; words the
        skill cannot use yet get the greeting instead of a "sorry".
        """
        self.start()
        turn = self.handle(text)
        if self.state == "greeting" and not turn.done and self.data.misses:
            self.data.misses = 0
            reply = _Reply()
            reply.add(self._say("greeting"))
            return self._finish(reply, turn.heard)
        return turn

    def handle(self, text: str | None, faint: bool = False) -> Turn:
        """One user turn (typed or transcribed) in, one skill turn out. ``faint``: the
        words were spoken so quietly that, if they are not understood, the user is asked
        to come closer or speak up rather than simply to say them again."""
        heard = "" if text is None else str(text)
        reply = _Reply()
        understanding = self.k.understander.understand(heard, self.expecting)
        state_before = self.state
        self._faint = faint
        try:
            turn = self._respond(understanding, heard, reply)
        finally:
            self._faint = False
        if self.state != state_before and not turn.done:
            self.data.misses = 0
        return turn

    def _respond(self, understanding: Understanding, heard: str, reply: _Reply) -> Turn:
        if self.data.done:
            # The conversation is over, but a warning sign still counts.
            self._merge(understanding)
            if not self._safety(reply):
                reply.add(self._say("goodbye"))
            return self._finish(reply, heard)
        if understanding.intent in GLOBALS:
            self._global(understanding.intent, reply)
            return self._finish(reply, heard, remember=understanding.intent != "repeat")
        if understanding.intent == "hesitation":
            # "hmm", "um": still thinking. Not a miss, and nothing changes.
            reply.add(self._say("hands_free.thinking"))
            reply.add(self._question())
            return self._finish(reply, heard, remember=False)
        if understanding.intent == "pain" and self.state != "greeting":
            # "ow", "ouch": a kind word, not "sorry"; not a miss, and nothing changes.
            reply.add(self._say("relief.hurts" if self.state == "relief" else "pain.heard"))
            reply.add(self._question())
            return self._finish(reply, heard)
        changed = self._merge(understanding)
        if changed - {"relief", "cramp_now"}:
            self.data.summary_told = False  # the summary would say something new
        if self._safety(reply):
            return self._finish(reply, heard)
        if self._cramp_is_back(understanding):
            self._begin_relief(reply, again=True)
            return self._finish(reply, heard)
        handler = {
            "greeting": self._in_greeting,
            "relief": self._in_relief,
            "summary": self._in_summary,
        }.get(self.state, self._in_question)
        handler(understanding, changed, reply)
        self._safety(reply)  # relief that failed can itself raise the level
        return self._finish(reply, heard)

    def nudge(self, silences: int) -> Turn:
        """Nothing was said: re-prompt with examples, not word for word (no miss counted).
        At the second silence in a row, say that a voice may be too faint to hear."""
        reply = _Reply()
        if silences >= 3:
            reply.add(self._say("hands_free.stay"))
        else:
            reply.add(self._say("hands_free.silence"))
            if silences == SILENCES_BEFORE_CANNOT_HEAR:
                reply.add(self._say("hands_free.cannot_hear"))
            reply.add(self._say("reprompt.examples", examples=self._examples(self.expecting)))
            reply.add(self._question())
        return self._finish(reply, heard=None, remember=False)

    def doubt(self, heard: str, key: str) -> Turn:
        """Words that may be misheard: say so (``key``), ask the question again; nothing changes."""
        reply = _Reply()
        reply.add(self._say(key, heard=heard))
        reply.add(self._question())
        return self._finish(reply, heard=heard, remember=False)

    def to_dict(self) -> dict[str, Any]:
        self.data.state = self.state
        return {"version": VERSION, "timed_hold": self.timed_hold, "own_voice": self.own_voice,
                **copy.deepcopy(self.data.__dict__)}

    @classmethod
    def from_dict(cls, saved: dict[str, Any], knowledge: Knowledge | None = None) -> Session:
        fields = {k: v for k, v in saved.items() if k in SessionData.__dataclass_fields__}
        data = SessionData(**copy.deepcopy(fields))
        if data.state not in STATES:
            raise ValueError(f"unknown state {data.state!r} in a saved session")
        return cls(timed_hold=bool(saved.get("timed_hold", False)), knowledge=knowledge,
                   data=data, own_voice=bool(saved.get("own_voice", True)))

    def _fire(self, trigger: str) -> None:
        """Fire a trigger declared in flow.TRANSITIONS (transitions adds it to the model)."""
        if not self.machine.events.get(trigger):
            raise ValueError(f"no trigger {trigger!r} in the flow")
        getattr(self, trigger)()

    # -- conditions used by the flow (transitions calls these by name) -------------
    def _unasked(self, slot: str) -> bool:
        return slot not in self.data.answered

    def needs_duration_now(self) -> bool:
        return self.data.relief == "failed" and self.data.slots["duration"] is None \
            and self._unasked("duration")

    def needs_location(self) -> bool:
        return self.data.slots["location"] is None and self._unasked("location")

    def needs_side(self) -> bool:
        return self.data.slots["side"] is None and self._unasked("side")

    def needs_onset(self) -> bool:
        return self.data.slots["onset"] is None and self._unasked("onset")

    def needs_triggers(self) -> bool:
        return not self.data.slots["triggers"] and self._unasked("triggers")

    def _plainly_exercise(self) -> bool:
        """An exercise cramp with an exercise trigger: medicines and conditions add little."""
        triggers = set(self.data.slots["triggers"])
        return self.data.slots["onset"] == "exercise" and bool(triggers) \
            and triggers <= EXERCISE_TRIGGERS

    def needs_medications(self) -> bool:
        return not self.data.slots["medications"] and self._unasked("medications") \
            and not self._plainly_exercise()

    def needs_conditions(self) -> bool:
        return not self.data.slots["conditions"] and self._unasked("conditions") \
            and not self._plainly_exercise()

    def needs_red_flags(self) -> bool:
        return self._unasked("red_flags")

    def needs_frequency(self) -> bool:
        return self.data.slots["frequency"] is None and self._unasked("frequency")

    def needs_duration(self) -> bool:
        return self.data.slots["duration"] is None and self._unasked("duration")

    # -- understanding into memory -------------------------------------------------
    def _merge(self, u: Understanding) -> set[str]:
        """Store what was said; returns the slots that changed."""
        changed: set[str] = set()
        slots = self.data.slots
        for slot, value in u.slots.items():
            if slot == "clues":
                for clue in value:
                    if clue not in self.data.clues:
                        self.data.clues.append(clue)
                        changed.add("clues")
            elif slot == "relief":
                if self.state == "relief":
                    self.data.relief = value if self.data.relief != "failed" else "failed"
                    changed.add("relief")
            elif slot == "location" and value == "thigh":
                if slots["location"] not in ("front_thigh", "back_thigh"):
                    self.data.thigh_pending = True
                    changed.add("thigh")
            elif slot in LIST_SLOTS:
                for item in value:
                    if is_valid(slot, item) and item not in slots[slot]:
                        slots[slot].append(item)
                        changed.add(slot)
            elif is_valid(slot, value) and slots.get(slot) != value:
                slots[slot] = value
                changed.add(slot)
                if slot == "location":
                    self.data.thigh_pending = False
        for slot, values in u.negated.items():
            if slot in LIST_SLOTS and slot != "red_flags":  # a red flag heard is kept
                for item in values:
                    if item in slots[slot]:
                        slots[slot].remove(item)
                        changed.add(slot)
        return changed

    def _facts(self) -> dict[str, list[Any]]:
        return facts_from(self.data.slots, {"clues": self.data.clues,
                                            "relief": self.data.relief})

    # -- safety: red flags in every state ------------------------------------------
    def _safety(self, reply: _Reply) -> bool:
        """Raise triage at once; announce a new emergency or urgent level. True if it spoke."""
        judged = self.k.triage.judge(self._facts())
        if judged is None:
            return False
        self.data.triage = higher(self.data.triage, judged.level)
        level = self.data.triage
        if rank_of(level) < rank_of("urgent") or rank_of(self.data.announced) >= rank_of(level):
            return False
        self.data.announced = level
        reason = judged.reasons[0] if judged.level == level else "clot"
        key = f"triage.{level}.{reason}"
        reply.clear()
        reply.add(self._say(key))
        if level == "emergency":
            self.data.causes = list(self.k.responses.field(key, "causes") or [])
            self.data.done = True
            self._fire("emergency")
            return True
        if self.data.done:
            return True
        reply.add(self._say("triage.urgent.now"))
        self._fire("urgent_summary")
        self._summary(reply, brief=True)
        return True

    # -- states --------------------------------------------------------------------
    def _in_greeting(self, u: Understanding, changed: set[str], reply: _Reply) -> None:
        cramp = self.data.slots["cramp_now"]
        if "cramp_now" not in changed:
            if u.yes_no == "affirm" or u.intent in ("affirm", "cramp_again", "pain"):
                cramp = True
            elif u.yes_no == "deny" or u.intent == "deny":
                cramp = False
            self.data.slots["cramp_now"] = cramp
        if cramp is True:
            self._begin_relief(reply)
        elif cramp is False:
            self._ack(changed - {"cramp_now"}, reply)
            self._next_question(reply)
        elif changed:
            self._ack(changed, reply)
            reply.add(self._say("ask.cramp_now"))
        else:
            self._reprompt(u, reply)

    def _cramp_is_back(self, u: Understanding) -> bool:
        """The cramp has come back, or is still going, in a state the flow takes back
        to the stretch from (the questions, the summary: ``cramp_again``)."""
        return u.cramping and "cramp_again" in self.machine.get_triggers(self.state)

    def _begin_relief(self, reply: _Reply, again: bool = False) -> None:
        """The guided stretch: first thing for a cramp happening now, and again when it
        comes back later in the conversation, before any more questions."""
        if again:
            self.data.summary_told = self.state == "summary"
            self.data.slots["cramp_now"] = True
            self.data.relief = None
            self.data.relief_rounds = 0
        self._enter_history("relief")
        stretched_before = self.data.stretched is not None  # "again" only if it was
        self._fire("cramp_again" if again else "cramp_now")
        reply.add(self._say("relief.again" if again and stretched_before else "relief.start"))
        location = self.data.slots["location"]
        if location is None and not self.data.thigh_pending:
            reply.add(self._say("relief.default_place"))
        else:
            reply.add(self._where_text())
        self._stretch(reply, alternative=False)

    def _stretch(self, reply: _Reply, alternative: bool) -> None:
        location = self.data.slots["location"] or "calf"
        if self.data.thigh_pending:
            reply.add(self._say("ask.location_thigh"))
            return
        self.data.stretched = location
        item = self.k.responses.item(f"stretch.{location}")
        steps = item["alternative"] if alternative else item["steps"]
        for step in steps:
            reply.add(step, STEP_PAUSE)
        if self.timed_hold:
            reply.add(self._say("hold.start"), HOLD_STEP)
            for seconds in range(HOLD_STEP, HOLD_SECONDS, HOLD_STEP):
                reply.add(self._say("hold.count", seconds=seconds), HOLD_STEP)
            reply.add(self._say("hold.release"), STEP_PAUSE)
        else:
            reply.add(self._say("hold.untimed"))
        if alternative:
            reply.add(self._say("warmth"))
        else:
            reply.add(self._say("rub"))
        reply.add(self._say("ask.relief"))

    def _in_relief(self, u: Understanding, changed: set[str], reply: _Reply) -> None:
        new_place = (self.data.slots["location"] or "calf") != self.data.stretched
        if "thigh" in changed or ("location" in changed and new_place):
            reply.add(self._where_text())
            self._stretch(reply, alternative=False)
            return
        relief = self.data.relief if "relief" in changed else None
        if relief is None and u.intent in ("affirm", "deny", "cramp_again"):
            relief = "easing" if u.intent == "affirm" else "not_easing"
        if relief == "easing":
            self.data.relief = "easing"
            reply.add(self._say("relief.easing"))
            self._next_question(reply)
        elif relief == "not_easing":
            self.data.relief_rounds += 1
            if self.data.relief_rounds < 2:
                self.data.relief = "not_easing"
                reply.add(self._say("relief.round_two"))
                self._stretch(reply, alternative=True)
            else:
                self.data.relief = "failed"
                reply.add(self._say("relief.failed"))
                self._next_question(reply)
        elif changed:
            self._ack(changed, reply)
            reply.add(self._say("ask.relief"))
        else:
            self._reprompt(u, reply)

    def _in_question(self, u: Understanding, changed: set[str], reply: _Reply) -> None:
        slot = EXPECTING[self.state]
        assert slot is not None
        is_list = slot in LIST_SLOTS
        denied = u.intent == "deny" or u.yes_no == "deny"
        if slot in changed:
            self._answered(slot)
            self._ack(changed, reply)
            self._next_question(reply)
        elif is_list and (slot in u.negated or (denied and not changed)):
            self._answered(slot)
            self._ack(changed, reply)
            if not changed:
                reply.add(self._say("ack.none"))
            self._next_question(reply)
        elif slot == "location" and "thigh" in changed:
            reply.add(self._say("ask.location_thigh"))
        elif is_list and u.intent == "affirm":
            reply.add(self._say("ask.red_flags_which" if slot == "red_flags" else "ask.which",
                                examples=self._examples(slot)))
        elif changed:
            self._ack(changed, reply)
            reply.add(self._question())
        else:
            self._reprompt(u, reply)

    def _in_summary(self, u: Understanding, changed: set[str], reply: _Reply) -> None:
        if changed - {"thigh"}:
            reply.add(self._say("anything_else.noted"))
            self._summary(reply, brief=rank_of(self.data.triage) >= rank_of("urgent"))
        elif u.intent == "deny" or u.yes_no == "deny":
            self._goodbye(reply)
        elif u.intent == "affirm":
            reply.add(self._say("anything_else.go_ahead"))
        else:
            self.data.misses += 1
            if self.data.misses >= MISSES_BEFORE_SKIP_OFFER:
                self._goodbye(reply)
            else:
                reply.add(self._say("anything_else.unknown"))
                reply.add(self._say("ask.anything_else"))

    # -- moving on -----------------------------------------------------------------
    def _answered(self, slot: str) -> None:
        if slot not in self.data.answered:
            self.data.answered.append(slot)

    def _next_question(self, reply: _Reply) -> None:
        self._fire("next_question")
        self.data.misses = 0
        if self.state == "summary" and self.data.summary_told:
            self.data.summary_told = False  # told before the cramp came back
            reply.add(self._question())
            return
        if self.state == "summary":
            self._summary(reply, brief=False)
            return
        self._enter_history(self.state)
        reply.add(self._question())

    def _enter_history(self, state: str) -> None:
        if not self.data.history or self.data.history[-1] != state:
            self.data.history.append(state)

    def _question(self) -> str:
        state = self.state
        if state == "greeting":
            return self._say("ask.cramp_now")
        if state == "relief":
            return self._say("ask.relief")
        if state == "summary":
            return self._say("ask.anything_else")
        if state == "ask_location" and self.data.thigh_pending:
            return self._say("ask.location_thigh")
        if state == "ask_duration" and self.data.relief == "failed":
            return self._say("relief.ask_how_long")
        if state == "ask_red_flags" and self.data.slots["red_flags"]:
            return self._say("ask.red_flags_more")
        return self._say(f"ask.{EXPECTING[state]}")

    def _summary(self, reply: _Reply, brief: bool) -> None:
        facts = self._facts()
        judged = self.k.triage.judge(facts)
        self.data.triage = higher(self.data.triage, judged.level if judged else "self_care")
        level = self.data.triage
        top = self.k.ranker.top(facts)
        if level == "urgent" and "blood_clot" in [c.cause for c in self.k.ranker.rank(facts)]:
            clot = next(c for c in self.k.ranker.rank(facts) if c.cause == "blood_clot")
            top = [clot] + [c for c in top if c.cause != "blood_clot"]
        if brief:
            top = top[:1]
        self.data.causes = [c.cause for c in top]
        if not brief:
            if level == "doctor":
                reasons = judged.reasons if judged and judged.level == "doctor" else []
                because = " and ".join(self._say(f"because.{r}") for r in reasons[:2])
                reply.add(self._say("triage.doctor", because=because or
                                    self._say("because.condition")))
                reply.add(self._say("triage.doctor.tell"))
            elif level == "self_care":
                reply.add(self._say("triage.self_care"))
        self._say_causes(top, reply)
        if not brief:
            self._say_prevention(top, reply)
        if "blood_clot" in self.data.causes:
            reply.add(self._say("relief.summary_now_no_rub"))
        elif not brief and self.data.slots["cramp_now"] is not True:
            reply.add(self._say("relief.summary_now"))
        reply.add(self._say("disclaimer"))
        reply.add(self._say("ask.anything_else"))

    def _say_causes(self, top: list[RankedCause], reply: _Reply) -> None:
        responses = self.k.responses
        if not top:
            reply.add(self._say("cause.unclear"))
            return
        lines = []
        for ranked in top:
            name = responses.field(f"cause.{ranked.cause}", "name")
            evidence = next((self._say(f"evidence.{slot}.{value}")
                             for slot, value in ranked.evidence
                             if responses.has(f"evidence.{slot}.{value}")), "")
            key = "cause.line" if evidence else "cause.line_plain"
            lines.append(self._say(key, name=name, evidence=evidence))
        if len(lines) == 1:
            reply.add(self._say("cause.intro_one") + " " + lines[0])
            return
        reply.add(self._say("cause.intro"))
        for line in lines:
            reply.add(line[0].upper() + line[1:])

    def _say_prevention(self, top: list[RankedCause], reply: _Reply) -> None:
        lines = []
        for ranked in top:
            line = self.k.responses.field(f"cause.{ranked.cause}", "prevent")
            if line and line not in lines:
                lines.append(line)
        if not lines:
            lines.append(self._say("prevent.general"))
        reply.add(self._say("prevent.intro"))
        for line in lines:
            reply.add(str(line))

    def _goodbye(self, reply: _Reply) -> None:
        level = self.data.triage
        if rank_of(level) >= rank_of("urgent"):
            key = f"triage.{level}." + ("lungs" if level == "emergency" else "clot")
            action = self.k.responses.field(key, "action") or ""
            reply.add(self._say("goodbye.after_warning", action=action))
        elif self.state != "summary" and level is None:
            reply.add(self._say("goodbye.early"))
        else:
            reply.add(self._say("goodbye"))
        self.data.done = True
        self._fire("finish")

    # -- global intents, in every state --------------------------------------------
    def _global(self, intent: str, reply: _Reply) -> None:
        if intent == "repeat":
            if self.data.last_say:
                for text, pause in self.data.last_parts:
                    reply.add(str(text), float(pause))
            else:
                reply.add(self._say("global.nothing_to_repeat"))
                reply.add(self._question())
        elif intent == "help":
            reply.add(self._say("help.intro", examples=self._examples(self.expecting)))
            reply.add(self._say("help.globals"))
            reply.add(self._question())
        elif intent in ("slower", "faster", "louder", "quieter"):
            self._change_voice(intent, reply)
            reply.add(self._question())
        elif intent in ("more_time", "less_time"):
            self._change_patience(intent, reply)
            reply.add(self._question())
        elif intent == "back":
            self._go_back(reply)
        elif intent == "skip":
            self._skip(reply)
        elif intent == "start_over":
            self._start_over(reply)
        elif intent == "stop":
            self._goodbye(reply)

    def _change_voice(self, intent: str, reply: _Reply) -> None:
        """Slower, faster, louder or quieter, in steps, within limits (saying so there)."""
        if not self.own_voice:
            reply.add(self._say("global.voice_not_ours"))
            return
        rate, volume = self.data.rate, self.data.volume
        if intent in ("slower", "faster"):
            step = -RATE_STEP if intent == "slower" else RATE_STEP
            self.data.rate = rate_within_limits(rate + step)
        else:
            step_volume = -VOLUME_STEP if intent == "quieter" else VOLUME_STEP
            self.data.volume = volume_within_limits(volume + step_volume)
        changed = (self.data.rate, self.data.volume) != (rate, volume)
        reply.add(self._say(f"global.{intent}" if changed else f"global.{intent}.limit"))

    def _change_patience(self, intent: str, reply: _Reply) -> None:
        """"Give me more time" (``more_time``): wait longer for the user to finish
        speaking; "answer sooner" (``less_time``): back to the usual pause."""
        patient = intent == "more_time"
        if not self.own_voice:
            reply.add(self._say("global.listening_not_ours"))
        elif self.data.patient == patient:
            reply.add(self._say(f"global.{intent}.already"))
        else:
            self.data.patient = patient
            reply.add(self._say(f"global.{intent}"))

    def _go_back(self, reply: _Reply) -> None:
        self.data.summary_told = False  # an answer may change: the summary is told again
        history = self.data.history
        if self.state != "summary" and history and history[-1] == self.state:
            history.pop()
        target = history.pop() if history else "greeting"
        if target == self.state == "greeting":
            reply.add(self._say("global.back_none"))
            reply.add(self._question())
            return
        slot = EXPECTING[target]
        if slot in self.data.answered:
            self.data.answered.remove(slot)
        self._fire(f"revisit_{target}")
        self._enter_history(target)
        reply.add(self._say("global.back"))
        if target == "relief":
            self._stretch(reply, alternative=self.data.relief_rounds > 0)
        else:
            reply.add(self._question())

    def _skip(self, reply: _Reply, announce: bool = True) -> None:
        if self.state == "summary":
            self._goodbye(reply)
            return
        if announce:
            reply.add(self._say("global.skip"))
        slot = EXPECTING[self.state]
        if slot in QUESTIONS:
            self._answered(slot)
        self.data.thigh_pending = False
        self._next_question(reply)

    def _start_over(self, reply: _Reply) -> None:
        kept_flags = list(self.data.slots["red_flags"])
        kept = SessionData(triage=self.data.triage, announced=self.data.announced,
                           rate=self.data.rate, volume=self.data.volume,
                           patient=self.data.patient, counts=self.data.counts)
        kept.slots["red_flags"] = kept_flags
        self.data = kept
        self._fire("start_over")
        reply.add(self._say("global.start_over"))
        if kept_flags:
            reply.add(self._say("global.start_over_keep_flag"))
        reply.add(self._say("ask.cramp_now"))

    # -- speaking helpers ----------------------------------------------------------
    def _say(self, key: str, **fill: Any) -> str:
        count = self.data.counts.get(key, 0)
        self.data.counts[key] = count + 1
        return self.k.responses.text(key, count, **fill)

    def _examples(self, expecting: str | None) -> str:
        key = f"examples.{expecting}"
        if not expecting or not self.k.responses.has(key):
            return ", ".join(self.k.responses.variants("examples.anything_else"))
        options = self.k.responses.variants(key)
        return ", or ".join([", ".join(options[:-1]), options[-1]]) if len(options) > 1 \
            else options[0]

    def _where_text(self) -> str:
        location = self.data.slots["location"]
        if location is None:
            return ""
        side = self.data.slots["side"]
        names = self.k.responses.names
        if side in ("left", "right"):
            where = names["location_with_side"][location].format(side=side)
        elif side == "both":
            where = names["side_plural"][location]
        else:
            where = self.k.responses.name("location", location)
        return self._say("ack.location", where=where)

    def _ack(self, changed: set[str], reply: _Reply) -> None:
        """Say back briefly what was just understood."""
        if changed & {"location", "side"} and self.data.slots["location"]:
            reply.add(self._where_text())
        if "onset" in changed and self.data.slots["onset"]:
            reply.add(self._say("ack.onset", onset=self.k.responses.name(
                "onset", self.data.slots["onset"])))
        items: list[str] = []
        already = " ".join(part.text for part in reply.parts)
        for slot in ("triggers", "medications", "conditions"):
            if slot in changed:
                for value in self.data.slots[slot]:
                    name = self.k.responses.name(slot, value)
                    if name not in items and name not in already:  # "with exercise"
                        items.append(name)
        if items:
            reply.add(self._say("ack.list", items=_join_and(items)))
        for slot in ("frequency", "duration"):
            if slot in changed and self.data.slots[slot]:
                reply.add(self._say("ack.value", value=self.k.responses.name(
                    slot, self.data.slots[slot])))
        if "red_flags" in changed:
            reply.add(self._say("ack.flag"))
        if not reply.parts and changed - {"thigh", "relief", "cramp_now"}:
            reply.add(self._say("ack.generic"))

    def _reprompt(self, u: Understanding, reply: _Reply) -> None:
        self.data.misses += 1
        if self.data.misses >= MISSES_BEFORE_MOVING_ON and self.state != "summary":
            # Never loop: after a few misses, leave this question and go on.
            reply.add(self._say("reprompt.moving_on"))
            self._skip(reply, announce=False)
            return
        if self._faint:
            reply.add(self._say("reprompt.faint"))
        elif u.intent == "empty":
            reply.add(self._say("reprompt.empty"))
        else:
            reply.add(self._say("reprompt.unknown"))
        reply.add(self._say("reprompt.examples", examples=self._examples(self.expecting)))
        if self.data.misses >= MISSES_BEFORE_SKIP_OFFER and self.state != "summary":
            reply.add(self._say("reprompt.offer_skip"))
        reply.add(self._question())

    def _finish(self, reply: _Reply, heard: str | None, remember: bool = True) -> Turn:
        parts = tuple(reply.parts)
        say = " ".join(part.text for part in parts)
        if remember and say:
            self.data.last_say = say
            self.data.last_parts = [[p.text, p.pause_after] for p in parts]
        self.data.state = self.state
        slots = copy.deepcopy(self.data.slots)
        return Turn(
            say=say,
            heard=heard,
            expecting=self.expecting,
            slots=slots,
            triage=self.data.triage,
            causes=list(self.data.causes),
            done=self.data.done,
            parts=parts,
            rate=self.data.rate,
            volume=self.data.volume,
            patient=self.data.patient,
        )


def rate_within_limits(rate: int) -> int:
    """A speech rate brought within ``MIN_RATE`` and ``MAX_RATE``."""
    return max(MIN_RATE, min(MAX_RATE, int(rate)))


def volume_within_limits(volume: float) -> float:
    """A volume brought within ``MIN_VOLUME`` and ``MAX_VOLUME`` (never silent), rounded
    so that steps land on the same values every time."""
    return round(max(MIN_VOLUME, min(MAX_VOLUME, float(volume))), 2)


def _join_and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
