"""A question's grammar with far fewer states: the same phrases, heard the same way.

PocketSphinx turns a JSGF grammar into a finite-state grammar with many states: each
alternative and optional part gets states of its own, joined by empty (null)
transitions, and a rule used in several places is copied into each. Its search does
some work for every state on every frame of sound, whether the state is in play or
not (it keeps its word history per state and per sound), so decoding time grows with
the number of states: the cramp-now grammar had 3,043 states, and 3,000 more that
no path reaches made the search of 1.4 s of noisy speech 145 -> 233 ms.

Here states are merged where no path changes: two states entered the same ways (the
same words or empty transitions, at the same costs, from the same states), and two
that lead on the same ways. Every phrase keeps all its paths, each cost paid where it
was before. But PocketSphinx models the first sound of each word leaving a state for
the sounds the words entering it end with, and the last sound of each word entering
it for the sounds the words leaving it start with; so states are merged only where
those sounds are the same. Merging without the first condition changed the scores
and 14 of 287 clean development answers; without the second, 3 of the benchmark's
645 noisy answers ("both legs" heard as "cold leg", a warning sign never said). With
both, the development set (287 answers by seven voices, clean, 15 and 10 dB, alone
and in conversations) is understood exactly as before, and the only differences in
those 645 answers are spellings of words said alike ("grey" for "gray"): which of
two paths with the same score wins depends on how the states are numbered.
Cramp-now: 3,043 -> 1,048 states; the twelve question grammars: 18,597 -> 7,186.

Silence, noise and alternative pronunciations are left out here; the decoder adds
them to every state itself, as it did before.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

FILLERS = ("<sil>", "[NOISE]")
COST_UNIT = 1e-6
"""Costs are whole numbers of millionths of a natural log (the negative log of a
transition's probability), so that sums and comparisons are exact; the decoder's own
log arithmetic is far coarser (base 1.0001)."""


@dataclass(frozen=True)
class Arc:
    source: int
    target: int
    cost: int
    """The transition's probability as a cost, in ``COST_UNIT``."""
    word: str | None
    """None for an empty (null) transition."""


@dataclass(frozen=True)
class Grammar:
    states: int
    start: int
    final: int
    arcs: tuple[Arc, ...]


def read_fsg(text: str) -> Grammar:
    """A grammar in PocketSphinx's FSG text format (``FsgModel.writefile``), without the
    filler words and alternative pronunciations the decoder adds itself."""
    states = start = final = -1
    arcs = []
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "NUM_STATES":
            states = int(parts[1])
        elif parts[0] == "START_STATE":
            start = int(parts[1])
        elif parts[0] == "FINAL_STATE":
            final = int(parts[1])
        elif parts[0] == "TRANSITION":
            word = parts[4] if len(parts) > 4 else None
            if word in FILLERS or (word is not None and word.endswith(")")):
                continue
            probability = float(parts[3])
            if probability > 0:
                cost = round(-math.log(probability) / COST_UNIT)
                arcs.append(Arc(int(parts[1]), int(parts[2]), cost, word))
    if min(states, start, final) < 0:
        raise ValueError("not a finite-state grammar: no states, start or final state")
    return Grammar(states, start, final, tuple(arcs))


Way = tuple[str | None, int, int]
"""A transition out of a state: its word (None for an empty one), cost and target."""
Sounds = tuple[frozenset[str], frozenset[str]]
"""The sounds a word can start with, and those it can end with."""


def smaller(grammar: Grammar, sounds: Callable[[str], Sounds]) -> Grammar:
    """``grammar`` with states merged wherever the paths through them stay the same: two
    states with the same ways in (the same words, or empty transitions, at the same
    costs from the same states) when the words that lead on from them start with the
    same sounds, and two with the same ways on when the words that lead into them end
    with the same sounds (``sounds`` of a word, asked for each word transition: cache
    it if it is slow). Every path keeps its costs, paid where they were paid before."""
    leaving: list[set[Way]] = [set() for _ in range(grammar.states)]
    for arc in grammar.arcs:
        leaving[arc.source].add((arc.word, arc.cost, arc.target))
    ways = [frozenset(out) for out in leaving]
    start, final = grammar.start, grammar.final
    # Once each way: for all twelve questions a second round merged nothing more (and
    # it could only make the grammar smaller, never change what it takes).
    sounds_before, sounds_after = _sounds_around(ways, sounds)
    group = _same_ways_in(ways, start, final, sounds_after)
    ways, start, final = _merge(ways, start, final, group)
    # states entered the same ways are entered after the same sounds
    merged_before = dict(zip(group, sounds_before, strict=True))
    ways, start, final = _merge(ways, start, final, _same_ways_on(
        ways, final, [merged_before[state] for state in range(len(ways))]))
    cheapest: dict[tuple[int, int, str | None], int] = {}
    for state, out in enumerate(ways):
        for word, cost, target in out:  # the decoder keeps only the cheapest of these too
            cheapest[(state, target, word)] = min(cost, cheapest.get((state, target, word), cost))
    return Grammar(len(ways), start, final, tuple(
        Arc(state, target, cost, word)
        for (state, target, word), cost in sorted(cheapest.items(),
                                                  key=lambda arc: (arc[0][:2], arc[0][2] or ""))))


def _sounds_around(ways: list[frozenset[Way]], sounds: Callable[[str], Sounds]
                   ) -> tuple[list[frozenset[str]], list[frozenset[str]]]:
    """For each state, the sounds the words that lead into it end with, and those the
    words that lead on from it start with (directly or through empty transitions).
    PocketSphinx models the first sound of each word leaving a state for the first,
    and the last sound of each word entering it for the second."""
    before: list[set[str]] = [set() for _ in ways]
    after: list[set[str]] = [set() for _ in ways]
    for state, out in enumerate(ways):
        for word, _, target in out:
            if word is not None:
                first, last = sounds(word)
                after[state] |= first
                before[target] |= last
    changed = True
    while changed:
        changed = False
        for state, out in enumerate(ways):
            for word, _, target in out:
                if word is None and not (before[state] <= before[target]
                                         and after[target] <= after[state]):
                    before[target] |= before[state]
                    after[state] |= after[target]
                    changed = True
    return [frozenset(heard) for heard in before], [frozenset(heard) for heard in after]


def _same_ways_on(ways: list[frozenset[Way]], final: int,
                  sounds_before: list[frozenset[str]]) -> list[int]:
    """A group for each state: states in one group have the same ways on (the same
    words at the same costs to states of the same group) and the same
    ``sounds_before``."""
    return _grouped([(state == final, sounds_before[state]) for state in range(len(ways))],
                    [list(out) for out in ways])


def _same_ways_in(ways: list[frozenset[Way]], start: int, final: int,
                  sounds_after: list[frozenset[str]]) -> list[int]:
    """A group for each state: states in one group have the same ways in (the same
    words at the same costs from states of the same group) and the same
    ``sounds_after``."""
    entering: list[list[Way]] = [[] for _ in ways]
    for state, out in enumerate(ways):
        for word, cost, target in out:
            entering[target].append((word, cost, state))
    return _grouped([(state == start, state == final, sounds_after[state])
                     for state in range(len(ways))], entering)


def _grouped(first: Sequence[Hashable], ways: list[list[Way]]) -> list[int]:
    """The fewest groups, within the ``first`` grouping, whose states have the same
    ``ways`` (words and costs to or from states of the same groups). In one pass when
    the grammar has no loops (each state after all those its ways lead to), else by
    splitting the ``first`` grouping until nothing changes (Moore's method)."""
    order = _after_their_ways(ways)
    numbers: dict[object, int] = {}
    group = [-1] * len(ways)
    if order is not None:
        for state in order:
            key = (first[state], frozenset((word, cost, group[other])
                                           for word, cost, other in ways[state]))
            group[state] = numbers.setdefault(key, len(numbers))
        return group
    group = [numbers.setdefault(kind, len(numbers)) for kind in first]
    count = len(numbers)
    while True:
        numbers = {}
        group = [numbers.setdefault((group[state], frozenset(
            (word, cost, group[other]) for word, cost, other in ways[state])), len(numbers))
            for state in range(len(ways))]
        if len(numbers) == count:
            return group
        count = len(numbers)


def _after_their_ways(ways: list[list[Way]]) -> list[int] | None:
    """The states, each after every state its ``ways`` lead to; None if there is a
    loop."""
    leads_to = [{other for _, _, other in out} for out in ways]
    waiting = [len(others) for others in leads_to]
    coming_back: list[list[int]] = [[] for _ in ways]
    for state, others in enumerate(leads_to):
        for other in others:
            coming_back[other].append(state)
    order = [state for state, count in enumerate(waiting) if count == 0]
    for state in order:  # grows as states become ready
        for earlier in coming_back[state]:
            waiting[earlier] -= 1
            if waiting[earlier] == 0:
                order.append(earlier)
    return order if len(order) == len(ways) else None


def _merge(ways: list[frozenset[Way]], start: int, final: int, group: list[int]
           ) -> tuple[list[frozenset[Way]], int, int]:
    """One state for each group."""
    merged: list[set[Way]] = [set() for _ in range(max(group) + 1)]
    for state, out in enumerate(ways):
        merged[group[state]] |= {(word, cost, group[target]) for word, cost, target in out}
    return [frozenset(out) for out in merged], group[start], group[final]


def continuations(grammar: Grammar, words: Sequence[str], most: int = 500,
                  longest: int = 12) -> set[tuple[str, ...]] | None:
    """The words that can follow ``words`` to the end of a phrase of ``grammar``, each
    way (none when ``words`` are a whole phrase that nothing follows, or start none);
    None when there are more than ``most`` ways, or one longer than ``longest`` words."""
    leaving: dict[int, list[Arc]] = {}
    for arc in grammar.arcs:
        leaving.setdefault(arc.source, []).append(arc)

    def reached(states: set[int]) -> set[int]:
        """``states`` and those their empty transitions lead to."""
        todo = list(states)
        while todo:
            for arc in leaving.get(todo.pop(), ()):
                if arc.word is None and arc.target not in states:
                    states.add(arc.target)
                    todo.append(arc.target)
        return states

    states = reached({grammar.start})
    for word in words:
        states = reached({arc.target for state in states for arc in leaving.get(state, ())
                          if arc.word == word})
    found: set[tuple[str, ...]] = set()
    todo: list[tuple[int, tuple[str, ...]]] = [(state, ()) for state in states]
    seen: set[tuple[int, tuple[str, ...]]] = set()
    while todo:
        state, after = todo.pop()
        if (state, after) in seen:
            continue
        seen.add((state, after))
        if state == grammar.final and after:
            found.add(after)
            if len(found) > most:
                return None
        for arc in leaving.get(state, ()):
            if arc.word is None:
                todo.append((arc.target, after))
            elif len(after) == longest:
                return None
            else:
                todo.append((arc.target, (*after, arc.word)))
    return found


def write_fsg(grammar: Grammar, name: str = "grammar") -> str:
    """``grammar`` in PocketSphinx's FSG text format (``Decoder.read_fsg``)."""
    lines = [f"FSG_BEGIN {name}", f"NUM_STATES {grammar.states}",
             f"START_STATE {grammar.start}", f"FINAL_STATE {grammar.final}"]
    for arc in grammar.arcs:
        word = f" {arc.word}" if arc.word is not None else ""
        probability = math.exp(-arc.cost * COST_UNIT)
        lines.append(f"TRANSITION {arc.source} {arc.target} {probability:.9g}{word}")
    lines.append("FSG_END")
    return "\n".join(lines) + "\n"
