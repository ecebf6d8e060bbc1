"""Load on the Wyoming service: 50 conversations at once over loopback TCP.

Runs ``cramp-coach wyoming`` as its own process (so its memory is measured
alone), then 50 concurrent simulated speakers, each a scripted person, each
turn a new connection as Home Assistant does. Prints turns per second, reply
time percentiles, and the server's peak memory.

Run: python -m bench.wyoming_load
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from pathlib import Path

from bench.report import write_section
from tests.dialogue.test_people import PEOPLE
from tests.integrations.wyoming_helpers import free_port, say, server_process, wait_until_up

CONVERSATIONS = 50
ROUNDS = 4
THINK_SECONDS = 0.5


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def speaker(uri: str, index: int, lines: list[str], times: list[float],
                  think: float) -> None:
    rng = random.Random(index)
    for round_no in range(ROUNDS):
        for line in lines:
            if think:
                await asyncio.sleep(think * (0.5 + rng.random()))
            started = time.perf_counter()
            event = await say(uri, line, f"bench-{index}-{round_no}", device_id=f"d{index}")
            times.append((time.perf_counter() - started) * 1000)
            if event.data.get("context", {}).get("cramp_coach", {}).get("done"):
                break


async def load(uri: str, think: float) -> tuple[list[float], float]:
    await wait_until_up(uri)
    people = [p["lines"] for p in PEOPLE.values()]
    times: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(speaker(uri, i, people[i % len(people)], times, think)
                           for i in range(CONVERSATIONS)))
    return times, time.perf_counter() - started


def figures(times: list[float], elapsed: float) -> tuple[float, float, float, float]:
    times.sort()
    return (len(times) / elapsed, statistics.median(times), times[int(0.95 * (len(times) - 1))],
            times[int(0.99 * (len(times) - 1))])


def main() -> None:
    uri = f"tcp://127.0.0.1:{free_port()}"
    with server_process(uri) as proc:
        paced = figures(*asyncio.run(load(uri, THINK_SECONDS)))
        flat_out = figures(*asyncio.run(load(uri, 0.0)))
        peak = peak_rss_mb(proc.pid)
    body = (
        f"{CONVERSATIONS} conversations at once, each a scripted person from the test suite, "
        f"{ROUNDS} rounds each; every turn is a new loopback TCP connection with a "
        f"`transcript` and its `handled` reply, as Home Assistant does. The load generator "
        f"and the server share this machine's 2 cores.\n\n"
        f"| load | turns per second | median | p95 | p99 |\n|---|---|---|---|---|\n"
        f"| paced: each speaker pauses ~{THINK_SECONDS * 1000:.0f} ms between turns "
        f"(people take seconds) | {paced[0]:.0f} | {paced[1]:.2f} ms | **{paced[2]:.2f} ms** "
        f"(target under 20 ms) | {paced[3]:.2f} ms |\n"
        f"| flat out: no pause at all (saturation; the time is queueing) | {flat_out[0]:.0f} | "
        f"{flat_out[1]:.2f} ms | {flat_out[2]:.2f} ms | {flat_out[3]:.2f} ms |\n\n"
        f"Server peak memory (VmHWM): {peak:.0f} MB.\n"
    )
    print(body)
    write_section("Wyoming service under load", body)


if __name__ == "__main__":
    main()
