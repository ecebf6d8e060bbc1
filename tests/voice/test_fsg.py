"""The grammar the decoder searches is rebuilt smaller (``skill.asr.fsg``): it must
take exactly the phrases it took before, each at the same best score."""

from __future__ import annotations

import heapq
import math
import tempfile
from pathlib import Path

import pytest

from skill.asr.fsg import Arc, Grammar, continuations, read_fsg, smaller, write_fsg
from skill.asr.pocketsphinx import PocketSphinxRecognizer
from skill.nlu.understand import default_understander

SMALL = """FSG_BEGIN small
NUM_STATES 9
START_STATE 0
FINAL_STATE 1
TRANSITION 0 2 0.5
TRANSITION 0 4 0.5
TRANSITION 2 3 1.0 i
TRANSITION 3 6 1.0 have
TRANSITION 4 5 1.0 i
TRANSITION 5 6 0.25 have
TRANSITION 5 7 0.75 had
TRANSITION 6 8 1.0 cramps
TRANSITION 7 8 1.0 cramps
TRANSITION 8 1 0.5
TRANSITION 8 1 0.5 now
TRANSITION 8 8 0.005 <sil>
FSG_END
"""
"""'i have cramps' two ways (at 0.5 and at 0.125), 'i had cramps', each with or without
'now' after it; and a silence the decoder adds itself, which is left out."""


def best_cost(grammar: Grammar, words: str) -> float:
    """The least cost of any path through ``grammar`` that says ``words``
    (infinite when none does)."""
    said = words.split()
    leaving: dict[int, list[Arc]] = {}
    for arc in grammar.arcs:
        leaving.setdefault(arc.source, []).append(arc)
    best = {(grammar.start, 0): 0}
    queue = [(0, grammar.start, 0)]
    while queue:
        cost, state, taken = heapq.heappop(queue)
        if cost > best[(state, taken)]:
            continue
        if state == grammar.final and taken == len(said):
            return cost
        for arc in leaving.get(state, []):
            if arc.word is None:
                step = (arc.target, taken)
            elif taken < len(said) and arc.word == said[taken]:
                step = (arc.target, taken + 1)
            else:
                continue
            if cost + arc.cost < best.get(step, math.inf):
                best[step] = cost + arc.cost
                heapq.heappush(queue, (cost + arc.cost, *step))
    return math.inf


def letters(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """Stand in for the sounds a word starts and ends with."""
    return frozenset(word[0]), frozenset(word[-1])


def test_a_phrase_said_two_ways_keeps_its_better_score_and_shares_its_words() -> None:
    original = read_fsg(SMALL)
    small = smaller(original, letters)
    for phrase in ["i have cramps", "i had cramps", "i have cramps now", "i had cramps now"]:
        assert best_cost(small, phrase) == best_cost(original, phrase) < math.inf, phrase
    assert best_cost(original, "i have cramps") == round(-math.log(0.25) / 1e-6)
    for phrase in ["i have", "cramps", "i have had cramps", "i had cramps now now"]:
        assert best_cost(small, phrase) == math.inf, phrase
    # one "i" and one "have", not one for each way of saying the phrase; but "cramps"
    # after "have" and after "had" stay apart, as the words before end in other sounds
    # (here, letters)
    words = [arc.word for arc in small.arcs]
    assert (words.count("i"), words.count("have"), words.count("cramps")) == (1, 1, 2)
    no_sounds = (frozenset[str](), frozenset[str]())
    same_sounds = [arc.word for arc in smaller(original, lambda word: no_sounds).arcs]
    assert same_sounds.count("cramps") == 1
    # "i" then "have" or "got": the two ways in stay apart, as the words after start
    # with other sounds
    got = read_fsg(SMALL.replace(" had", " got"))
    assert [arc.word for arc in smaller(got, letters).arcs].count("i") == 2
    assert [arc.word for arc in smaller(got, lambda word: no_sounds).arcs].count("i") == 1
    assert all(arc.word != "<sil>" for arc in small.arcs)


def test_a_smaller_grammar_written_out_reads_back_the_same() -> None:
    small = smaller(read_fsg(SMALL), letters)
    again = read_fsg(write_fsg(small))
    for phrase in ["i have cramps", "i had cramps now", "i have"]:
        assert best_cost(again, phrase) == pytest.approx(best_cost(small, phrase), abs=2)


@pytest.mark.parametrize("question", ["cramp_now", "relief", "location", "red_flags"])
def test_a_question_grammar_takes_the_same_phrases_at_the_same_scores_with_fewer_states(
        recognizer: PocketSphinxRecognizer, question: str, tmp_path: Path) -> None:
    path = tmp_path / "original.fsg"
    recognizer.decoder.parse_jsgf(recognizer.builder.jsgf(question)).writefile(str(path))
    original = read_fsg(path.read_text(encoding="utf-8"))
    small = smaller(original, recognizer.sounds)
    assert small.states * 5 < original.states * 3
    phrases = (recognizer.builder.answer_phrases(question)[:40]
               + recognizer.builder.phrases(question)[:40]
               + ["yes my left calf", "i have a cramp in my calf", "chest pain", "repeat that"])
    taken = [phrase for phrase in phrases if best_cost(original, phrase) < math.inf]
    assert len(taken) > 40
    for phrase in taken:
        assert best_cost(small, phrase) == best_cost(original, phrase), phrase
        assert recognizer.accepts(question, phrase), phrase
    for phrase in ["calf calf", "my calf is big toe", "no no no no cramp", "i am toe"]:
        assert not recognizer.accepts(question, phrase), phrase
        assert best_cost(small, phrase) == best_cost(original, phrase) == math.inf, phrase


def test_a_grammar_that_cannot_be_merged_is_still_listened_for(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """No room for the merging's scratch file: the question is heard all the same."""
    monkeypatch.setattr(tempfile, "tempdir", "/nonexistent/cramp-coach")
    fresh = PocketSphinxRecognizer(default_understander())
    assert fresh.accepts("location", "my left calf")
    assert not fresh.accepts("location", "calf calf")
    assert "grammar left unmerged" in caplog.text


def test_a_grammar_with_a_loop_is_merged_without_changing_its_phrases() -> None:
    """No question's grammar repeats today; one that did ("again and again") would be
    merged the slower way, with the same result."""
    looped = read_fsg(SMALL.replace("TRANSITION 8 1 0.5 now", "TRANSITION 8 8 0.5 again"))
    small = smaller(looped, letters)
    for phrase in ["i have cramps", "i had cramps again", "i have cramps again again"]:
        assert best_cost(small, phrase) == best_cost(looped, phrase) < math.inf, phrase
    for phrase in ["i have cramps now", "again", "i have again cramps"]:
        assert best_cost(small, phrase) == best_cost(looped, phrase) == math.inf, phrase
    assert small.states < looped.states


def test_what_can_follow_some_words_is_every_way_on_to_the_end_of_a_phrase() -> None:
    grammar = read_fsg(SMALL)
    assert continuations(grammar, ["i", "have"]) == {("cramps",), ("cramps", "now")}
    assert continuations(grammar, ["i", "had", "cramps"]) == {("now",)}
    assert continuations(grammar, ["i", "had", "cramps", "now"]) == set()
    assert continuations(grammar, ["cramps"]) == set()  # starts no phrase
    # too many ways on, or one too long, is not an answer: None
    assert continuations(grammar, ["i"]) == {("have", "cramps"), ("have", "cramps", "now"),
                                             ("had", "cramps"), ("had", "cramps", "now")}
    assert continuations(grammar, ["i"], most=3) is None
    assert continuations(grammar, ["i"], longest=2) is None
    looped = read_fsg(SMALL.replace("TRANSITION 8 1 0.5 now", "TRANSITION 8 8 0.5 again"))
    assert continuations(looped, ["i", "had", "cramps"]) is None

