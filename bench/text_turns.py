"""How fast is one text turn? Median and p95 over realistic conversations.

Run: python -m bench.text_turns
"""

from __future__ import annotations

import statistics
import time

from bench.report import write_section
from skill.dialogue.session import Session, default_knowledge
from tests.dialogue.test_people import PEOPLE

ROUNDS = 30


def main() -> None:
    started = time.perf_counter()
    default_knowledge()
    load_s = time.perf_counter() - started
    timings: list[float] = []
    for _ in range(ROUNDS):
        for person in PEOPLE.values():
            session = Session()
            session.start()
            for line in person["lines"]:
                t0 = time.perf_counter()
                turn = session.handle(line)
                timings.append((time.perf_counter() - t0) * 1000)
                if turn.done:
                    break
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[int(0.95 * (len(timings) - 1))]
    body = (
        f"| what | figure |\n|---|---|\n"
        f"| text turns timed | {len(timings)} |\n"
        f"| median per turn | {median:.2f} ms (target under 5 ms) |\n"
        f"| 95th percentile | {p95:.2f} ms |\n"
        f"| slowest | {timings[-1]:.2f} ms |\n"
        f"| loading intents, responses and rules once | {load_s * 1000:.0f} ms |\n"
    )
    print(body)
    write_section("Text turns (skill core)", body)


if __name__ == "__main__":
    main()
