"""PocketSphinx: the embedded English default. Its PyPI wheel ships a US-English model."""

from __future__ import annotations

import itertools
import logging
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
from pocketsphinx import Decoder, FsgModel

from ..data import load_yaml
from ..nlu.understand import Understander
from .adaptation import PhoneSpan, SpeakerAdaptation
from .base import Heard
from .cepstra import FRAME, FrontEnd
from .fsg import Grammar, continuations, read_fsg, smaller, write_fsg
from .grammar import GrammarBuilder
from .helper import Pending, SecondDecoder
from .sphinx_model import read_gaussians, read_settings
from .spread import restore_spread

_LOGGER = logging.getLogger(__name__)
SAMPLE_RATE = 16000
Decoded = tuple[bytes, bool]
"""A rendering the helper process decoded, and whether it primed its front end on it."""
# Tight beams keep the open transcription fast (the grammars' own are GRAMMAR_BEAMS). A
# larger word and phone insertion penalty and a lighter grammar weight stop noise
# being read as extra short words. Chosen on the development set only
# (bench/voice.py --dev, 3 voices; clean / 10 dB white noise): the defaults gave
# 83.7% / 39.0% of answers right, these 86.2% / 52.8%, with false warning signs
# on non-warning answers 4 -> 5 of 114 clean and 3 -> 3 at 10 dB.
# No second "best path" search over a word lattice after the first pass: building
# the lattice took seconds on noise (7 s for 2 s of clicks), and the first pass's
# own best path was right more often (nine development voices, clean / 15 / 10 dB:
# 338 -> 341, 299 -> 304, 283 -> 287 of 369; false warning signs 2 -> 2, 5 -> 6,
# 5 -> 8 of 342; on the benchmark, end of speech to reply text 169 -> 69 ms median).
_DECODER_OPTIONS = {"beam": 1e-30, "pbeam": 1e-30, "wbeam": 1e-20,
                    "wip": 3.0, "pip": 2.0, "lw": 4.0, "bestpath": False}
GRAMMAR_BEAMS = {"beam": 1e-50, "pbeam": 1e-50, "wbeam": 1e-40}
"""Wider beams for the question grammars than for the open transcription: a search
keeps the beams in force when it is added, so these are set once the decoder (and
with it the open transcription, kept fast with the tight ones) is made. With the tight
beams the grammar search lost the right path on its way through longer phrases and
ended with no whole phrase at all: "swollen and warm" (in the grammar) for four of
seven development voices, clean. Development set, seven voices, right / false warning
signs / asked again, tight -> these beams: clean 270/0/6 -> 283/0/0 of 287, 15 dB
263/1/5 -> 270/0/1, 10 dB 257/1/3 -> 263/1/1, in conversations clean 275/0/3 ->
282/0/0 and 10 dB 260/1/2 -> 264/1/1. Also measured: 1e-48 with a word beam of 1e-30
(clean 281, 10 dB 258 with 5 false warning signs: the word beam matters), 1e-60 (as
these, and slower) and 1e-80 (10 dB +1 or 2, slower still), a tight phone beam
(clean 278, 5 false warning signs at 10 dB). The cost is time: interleaved on the same
answers (three voices), end of speech to reply text 62 -> 84 ms median clean and
265 -> 300 ms at 10 dB."""
OPEN_SEARCH = "_default"
PRIME_SEARCH = "_prime"
PRIME_GRAMMAR = "#JSGF V1.0;\ngrammar prime;\npublic <prime> = no;\n"
"""What is searched while the decoder's front end is set from an utterance
(``_raw_pass``): the front end does not depend on the search, but the decoder searches
the utterance when it ends, and a one-word grammar makes that about 10 ms instead of
as long as the question's own search (about 50 ms for a noisy answer, 300 ms for the
open transcription's)."""
MORE_RENDERINGS = 2
"""Noisy speech: how many other renderings of an utterance may be decoded when the
first ones disagree (``asr.engine.hear_audio`` supplies them); of the whole phrases
heard, the one that best fits the first rendering is taken. Development set (nine
voices, conversations of 12 answers): 10 dB white noise 289 -> 305 of 369 answers
right, 15 dB 310 -> 324, false warning signs unchanged (5 and 2 of 342); clean speech
is never rendered twice. Decoding both always instead of stopping when the first two
agree gained one answer, four renderings two.

The first two agree when they mean the same (``_same_meaning``), not only when their
words do: a third rendering had been decoded for 119 of 287 development answers at
10 dB, 38 of them where the first two meant the same ("nope" and "no"). Now 81, and
end of speech to reply text at 10 dB is 269 -> 241 ms median alone and 301 -> 279 ms in
conversations; answers right 258 -> 257 alone and 261 -> 260 in conversations (one
where two renderings agreed on the wrong answer and a third had rescued it), 15 dB
and clean unchanged. Taking the answer two of three renderings meant, instead of the
best fit, lost five answers and added two false warning signs."""


class PocketSphinxRecognizer:
    name = "pocketsphinx"
    sample_rate = SAMPLE_RATE

    def __init__(self, understander: Understander, open_pass: bool = True,
                 helper: SecondDecoder | None = None) -> None:
        self.helper = helper
        """A second decoder in its own process (``asr.helper``), which decodes the other
        renderings of a noisy answer while this one decodes the first."""
        # without the open transcription its language model is never loaded (70 MB)
        no_model = {} if open_pass else {"lm": None}
        self.decoder = Decoder(samprate=SAMPLE_RATE, loglevel="FATAL", **_DECODER_OPTIONS,
                               **no_model)
        self.open_pass = open_pass
        extra = _extra_words(self.decoder)
        for index, (word, phones) in enumerate(extra):
            # rebuilding the search once, after the last word, keeps start-up fast
            self.decoder.add_word(word, phones, update=index == len(extra) - 1)
        self.decoder.add_jsgf_string(PRIME_SEARCH, PRIME_GRAMMAR)
        for option, beam in GRAMMAR_BEAMS.items():  # for the searches added from now on
            self.decoder.config[option] = beam
        self.builder = GrammarBuilder(
            understander, known=lambda word: self.decoder.lookup_word(word) is not None)
        self._loaded: set[str] = set()
        self._shapes: dict[str, Grammar] = {}
        """Each search's grammar as states and transitions (``finished``)."""
        self._finished: dict[tuple[str, str], bool] = {}
        self._sounds: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self._warned: set[str] = set()
        model = Path(self.decoder.config["hmm"])
        self.front_end = FrontEnd(read_settings(model))
        self.gaussians = read_gaussians(model)
        self.speaker = SpeakerAdaptation(self.gaussians)
        self._to_learn: tuple[bytes, str, bool] | None = None

    def _search(self, expecting: str | None) -> str:
        name = f"q_{expecting or 'none'}"
        if name not in self._loaded:
            model, shape = self._grammar(self.builder.jsgf(expecting))
            self.decoder.add_fsg(name, model)
            if shape is not None:
                self._shapes[name] = shape
            self._loaded.add(name)
            new = self.builder.dropped - self._warned
            if new:
                _LOGGER.warning("left out of the grammar, not in the PocketSphinx dictionary: "
                                "%s", ", ".join(sorted(new)))
                self._warned |= new
        return name

    def _grammar(self, jsgf: str) -> tuple[FsgModel, Grammar | None]:
        """The decoder's own finite-state form of ``jsgf``, with its states merged where
        no path changes (``asr.fsg``): the same phrases, heard the same way, searched
        faster; and its states and transitions. Should merging fail, the grammar as
        PocketSphinx made it, and None (no answer is then taken as ``finished``)."""
        original: FsgModel = self.decoder.parse_jsgf(jsgf)
        try:
            with tempfile.TemporaryDirectory(prefix="cramp-grammar-") as folder:
                path = Path(folder) / "grammar.fsg"
                original.writefile(str(path))
                small = smaller(read_fsg(path.read_text(encoding="utf-8")), self.sounds)
                path.write_text(write_fsg(small), encoding="utf-8")
                model: FsgModel = self.decoder.read_fsg(str(path))
        except Exception as error:  # noqa: BLE001 - nothing lost but speed
            _LOGGER.warning("grammar left unmerged (%r); decoding will be slower", error)
            return original, None
        return model, small

    def finished(self, expecting: str | None, words: str) -> bool:
        """Whether ``words`` are a whole phrase of the question's grammar that nothing
        the grammar could add would change the meaning of: "at night" (no longer phrase
        starts with it) and "my left calf" ("my left calf muscle" means the same), not
        "yes", which "yes, my calf" goes on from, nor "no", which "no feeling" does."""
        search = self._search(expecting)
        key = (search, words)
        if key not in self._finished:
            shape = self._shapes.get(search)
            after = continuations(shape, words.split()) if shape is not None else None
            self._finished[key] = after is not None and self.accepts(expecting, words) \
                and all(self._same_meaning(words, " ".join([words, *more]), expecting)
                        for more in after)
        return self._finished[key]

    def sounds(self, word: str) -> tuple[frozenset[str], frozenset[str]]:
        """The sounds ``word`` can start with, and those it can end with, in any of its
        pronunciations."""
        if word not in self._sounds:
            said = [phones.split() for phones in _pronunciations(self.decoder, word)]
            self._sounds[word] = (frozenset(phones[0] for phones in said),
                                  frozenset(phones[-1] for phones in said))
        return self._sounds[word]

    def prepare(self, expecting: str | None) -> None:
        if self.helper is not None:
            self.helper.prepare(expecting)
        self._learn()
        self._search(expecting)

    def new_speaker(self) -> None:
        """Forget what was learnt of the last speaker's voice."""
        self.speaker = SpeakerAdaptation(self.gaussians)
        self._to_learn = None

    def unheard(self) -> None:
        self._to_learn = None

    def accepts(self, expecting: str | None, words: str) -> bool:
        """Whether ``words`` are a whole phrase of the question's grammar."""
        return bool(self.decoder.get_fsg(self._search(expecting)).accept(words))

    def _features(self, pcm: bytes, suppressed: bool) -> np.ndarray | None:
        """The cepstra the decoder is given instead of the sound: those of
        noise-suppressed speech with their spread put back (``asr.spread``), and once a
        map of this speaker's voice has been learnt, through it. None: the sound
        itself is decoded.

        (PocketSphinx's own front end removes some noise that the skill's does not;
        on clean speech that was a wash on the development set, but individual answers
        differ, so until adaptation starts clean speech is heard exactly as before.)"""
        if not (suppressed or self.speaker.adapted):
            return None
        cepstra = self._cepstra(pcm, suppressed)
        return self.speaker.apply(cepstra) if self.speaker.adapted else cepstra

    def _cepstra(self, pcm: bytes, suppressed: bool) -> np.ndarray:
        """The skill's own cepstra of an utterance, with the spread put back when it was
        noise-suppressed: what is decoded and what the speaker's map is learnt from."""
        cepstra = self.front_end.cepstra(np.frombuffer(pcm, dtype="<i2"))
        return restore_spread(cepstra) if suppressed else cepstra

    def _decode(self, pcm: bytes, features: np.ndarray | None, search: str,
                prime: bool = True) -> tuple[str, float]:
        """The best path through ``search``, from ``features`` (``_features``) or,
        when there are none, from the sound itself."""
        self.decoder.activate_search(search)
        if features is None:
            self._raw_pass(pcm, prime)
        else:
            # One pass over the whole utterance: the decoder takes each utterance's
            # own cepstral mean off, as the model was trained (-cmn batch).
            self._pass(features.astype(np.float32).tobytes())
        hyp = self.decoder.hyp()
        return (hyp.hypstr.strip(), float(hyp.prob)) if hyp is not None else ("", 0.0)

    def _raw_pass(self, pcm: bytes, prime: bool = True) -> None:
        """Run the active search over the sound, through PocketSphinx's own front end.

        The front end carries its cepstral mean and its estimate of the noise over from
        the sound before, so the same words could be heard differently after a different
        answer. With ``prime`` it starts afresh and a first pass sets it from this
        utterance, searching only a one-word grammar (``PRIME_SEARCH``), which leaves the
        front end as any search would. It is not needed when the pass before was over
        another rendering of the same utterance (on the development set, leaving it out
        there lost no answer at 10 dB and gained seven at 15 dB)."""
        if prime:
            self._prime(pcm)
        self.decoder.start_utt()
        self.decoder.process_raw(pcm, full_utt=True)
        self.decoder.end_utt()

    def _prime(self, pcm: bytes) -> None:
        """Start PocketSphinx's front end afresh, set from ``pcm``."""
        self.decoder.reinit_feat()
        self._front_end_pass(pcm)

    def _front_end_pass(self, pcm: bytes) -> None:
        """Take PocketSphinx's front end through ``pcm`` as a pass of any search would,
        searching only the one-word ``PRIME_SEARCH``."""
        search = self.decoder.current_search()
        self.decoder.activate_search(PRIME_SEARCH)
        self.decoder.start_utt()
        self.decoder.process_raw(pcm, no_search=True, full_utt=True)
        self.decoder.end_utt()
        self.decoder.activate_search(search)

    def recognize(self, pcm: bytes, expecting: str | None,
                  alternatives: Iterable[bytes] = (), suppressed: bool = False) -> Heard:
        self._learn()
        search = self._search(expecting)
        if len(pcm) // 2 < FRAME:  # shorter than one analysis window: nothing to hear
            return Heard("", 0.0, False, self.name)
        features = self._features(pcm, suppressed)
        others = self._other_phrases(alternatives, expecting, primed=features is None)
        text, confidence = self._decode(pcm, features, search)
        # A whole path through the grammar is the trustworthy signal; the posterior
        # probability is not, with the beams that keep decoding fast. (Looking
        # down the N-best list for a whole phrase when the best path stopped short
        # helped while the lattice best-path pass was on; without it, it changed no
        # answer on twelve voices, and building the list took seconds on noise.)
        fsg = self.decoder.get_fsg(search)
        elsewhere: list[Decoded] = []
        phrases, agree = self._more_phrases(others,
                                            [text] if text and fsg.accept(text) else [],
                                            expecting, elsewhere)
        if phrases:
            if not agree:
                self._as_if_decoded_here(elsewhere)
            chosen = phrases[0] if agree else self._best_fit(pcm, self._words(phrases,
                                                                              expecting))
            if not self._murmured(chosen, expecting):  # a "hmm" tells little of a voice
                self._to_learn = (pcm, chosen, suppressed)  # learnt before the next answer
            return Heard(chosen, max(confidence, 0.5), True, self.name)
        if not self.open_pass:
            return Heard("", confidence, False, self.name)
        # No whole phrase (silence, noise, or words the grammar lacks): transcribe
        # freely and let the text understanding judge.
        open_text, open_confidence = self._decode(pcm, features, OPEN_SEARCH)
        _LOGGER.info("grammar gave partial %r; open transcription gave %r", text, open_text)
        return Heard(open_text, min(open_confidence, 0.4), False, self.name, second_pass=True)

    def _more_phrases(self, others: Iterator[tuple[str, Decoded | None]], heard: list[str],
                      expecting: str | None, elsewhere: list[Decoded]
                      ) -> tuple[list[str], bool]:
        """The phrases ``heard`` with the whole phrases heard in other renderings of the
        utterance (noise suppressed on frames cut elsewhere; ``_other_phrases``), and
        whether they all mean the same: the next rendering is decoded only while they
        disagree on what was meant (``_same_meaning``), at most ``MORE_RENDERINGS`` of
        them. The renderings the helper process decoded, with whether it primed its
        front end on them, are added to ``elsewhere``. (``others`` holds whole phrases
        only: ``whole_phrase``, here or in the helper.)"""
        phrases = list(heard)
        agree = True  # a third phrase is only looked for when the first two disagree
        for taken, (text, there) in enumerate(others, start=1):
            if there is not None:
                elsewhere.append(there)
            if text:
                phrases.append(text)
                if len(phrases) == 2:
                    agree = self._same_meaning(phrases[0], phrases[1], expecting)
            if taken >= MORE_RENDERINGS or (len(phrases) >= 2 and agree):
                break
        return phrases, agree

    def _other_phrases(self, alternatives: Iterable[bytes], expecting: str | None,
                       primed: bool) -> Iterator[tuple[str, Decoded | None]]:
        """The whole phrase heard in each other rendering in turn ("" for none), each
        decoded only when drawn on, and, when the helper process decoded it, the
        rendering and whether the helper primed its front end on it. They are heard
        through PocketSphinx's own front end, whose cepstral mean is set from the
        utterance first unless the first rendering was heard that way (``primed``).

        With a helper process that is working, the first other rendering is sent to it
        now, so that it is decoded there while this process decodes the first rendering
        (end of speech to reply text, BENCHMARKS.md), and the later ones go there too,
        where the front end carries over from it. Should the helper fail, the rendering
        is decoded here.

        (Heard through the skill's cepstra with their spread put back, as the first
        rendering is, they did much worse: development set, 10 dB, 229 of 287 answers
        right instead of 249, and 246 when only the best fit used them.)"""
        renderings = iter(alternatives)
        ahead: Pending | None = None
        if self.helper is not None and self.helper.working:
            first = next(renderings, None)
            if first is not None:
                ahead = self.helper.start(expecting, first, prime=not primed)
                renderings = itertools.chain([first], renderings)
        return self._phrases_in(renderings, ahead, expecting, primed)

    def _phrases_in(self, renderings: Iterator[bytes], ahead: Pending | None,
                    expecting: str | None, primed: bool
                    ) -> Iterator[tuple[str, Decoded | None]]:
        """``_other_phrases``: ``ahead`` is the first rendering, already sent to the
        helper; the helper takes the later ones only while it has taken all before."""
        helper = self.helper if ahead is not None else None
        for taken, other in enumerate(renderings, start=1):
            prime = not primed and taken == 1
            if taken == 1:
                pending = ahead
            else:
                pending = helper.start(expecting, other, prime) if helper is not None else None
            words = pending.words() if pending is not None else None
            if words is not None:
                yield words, (other, prime)
            else:
                helper = None
                yield self.whole_phrase(other, expecting, prime), None

    def whole_phrase(self, pcm: bytes, expecting: str | None, prime: bool) -> str:
        """The phrase of the question's grammar heard in ``pcm`` through PocketSphinx's
        own front end (``_raw_pass``); "" when no whole phrase was."""
        search = self._search(expecting)
        text, _ = self._decode(pcm, None, search, prime)
        return text if text and self.decoder.get_fsg(search).accept(text) else ""

    def _words(self, phrases: list[str], expecting: str | None) -> list[str]:
        """Of the phrases heard in different renderings of a noisy utterance, those that
        are words, when some are and none of those is a warning sign: a murmur heard in
        only some renderings is speech the noise blurred (flite rms's "no" at 10 dB was
        "mm ooh" in one rendering and "no" in two, and the murmur fitted the first best)."""
        words = [p for p in phrases if not self._murmured(p, expecting)]
        signs = any(self.builder.understander.understand(p, expecting).slots.get("red_flags")
                    for p in words)
        return words if words and not signs else phrases

    def _murmured(self, words: str, expecting: str | None) -> bool:
        """Whether ``words`` are only sounds made while thinking ("hmm", "um er")."""
        return self.builder.understander.understand(words, expecting).intent == "hesitation"

    def _same_meaning(self, one: str, other: str, expecting: str | None) -> bool:
        """Whether two phrases mean the same as answers to the question: "nope" and
        "no", "a rarely" and "rarely". Deciding between them, by another rendering or
        by how well each fits the sound, would change nothing the skill does."""
        if one == other:
            return True
        first = self.builder.understander.understand(one, expecting)
        second = self.builder.understander.understand(other, expecting)
        return (first.intent, first.slots, first.negated, first.yes_no) == \
            (second.intent, second.slots, second.negated, second.yes_no)

    def _as_if_decoded_here(self, elsewhere: list[Decoded]) -> None:
        """Take this decoder's front end through the renderings the helper process
        decoded, as decoding them here would have: ``_best_fit`` carries its state
        over from them, so the phrase chosen is the same with the helper as without."""
        for pcm, prime in elsewhere:
            if prime:
                self._prime(pcm)
            self._front_end_pass(pcm)  # as the decoding pass took it

    def _best_fit(self, pcm: bytes, phrases: list[str]) -> str:
        """Of phrases heard in different renderings of one utterance, the one whose
        sounds best fit the first rendering (the phrases are aligned to it in turn;
        the grammar's weights play no part)."""
        scores: dict[str, float] = {}
        for words in dict.fromkeys(phrases):
            try:
                self.decoder.set_align_text(words)
                self._raw_pass(pcm, prime=False)
            except RuntimeError:
                continue
            hyp = self.decoder.hyp()
            if hyp is not None:
                scores[words] = float(hyp.score)
        return max(scores, key=scores.__getitem__) if scores else phrases[0]

    def _learn(self) -> None:
        """Learn the voice from the last answer heard as a whole phrase. Done when the
        next question is prepared, while the reply is spoken, not while the user waits."""
        if self._to_learn is None:
            return
        pcm, words, suppressed = self._to_learn
        self._to_learn = None
        cepstra = self._cepstra(pcm, suppressed)
        if not self.speaker.learn(cepstra, self._phones(cepstra, words)):
            _LOGGER.debug("not learnt from: %r does not fit its sound well enough", words)

    def _phones(self, cepstra: np.ndarray, words: str) -> list[PhoneSpan]:
        """Which phone of ``words`` the model puts on each frame (empty when the words
        cannot be aligned to the sound)."""
        data = cepstra.astype(np.float32).tobytes()
        try:
            self.decoder.set_align_text(words)
            self._pass(data)  # the words first
            if self.decoder.hyp() is None:
                return []
            self.decoder.set_alignment()
            self._pass(data)  # then the phones within them (hyp() here would crash)
            alignment = self.decoder.get_alignment()
        except RuntimeError:
            return []
        if alignment is None:
            return []
        return [PhoneSpan(p.name, p.start, p.duration) for p in alignment.phones()]

    def _pass(self, data: bytes) -> None:
        self.decoder.start_utt()
        self.decoder.process_cep(data, full_utt=True)
        self.decoder.end_utt()


def _extra_words(decoder: Decoder) -> list[tuple[str, str]]:
    """Words from ``pronunciations.yaml`` the dictionary lacks, and other ways of saying
    words it has (as "calf(2)", which the decoder reports as "calf")."""
    data = load_yaml("intents", "en", "pronunciations.yaml")
    extra = [(str(word), str(phones)) for word, phones in data["pronunciations"].items()
             if decoder.lookup_word(str(word)) is None]
    for word, phones in (data.get("also_said") or {}).items():
        known = _pronunciations(decoder, str(word))
        if known and str(phones) not in known:
            extra.append((f"{word}({len(known) + 1})", str(phones)))
    return extra


def _pronunciations(decoder: Decoder, word: str) -> list[str]:
    """Every way the dictionary says ``word`` ("calf", then "calf(2)", ...), as phones."""
    said: list[str] = []
    while (phones := decoder.lookup_word(word if not said else f"{word}({len(said) + 1})")):
        said.append(phones)
    return said
