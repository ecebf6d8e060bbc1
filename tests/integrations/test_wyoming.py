"""The Wyoming service, driven by the wyoming library's own client over real sockets."""

from __future__ import annotations

import asyncio
import json
import random

import pytest
from wyoming.asr import Transcript
from wyoming.client import AsyncClient
from wyoming.event import async_read_event, async_write_event
from wyoming.handle import Handled, NotHandled
from wyoming.info import Describe, Info

from skill.integrations.sessions import SessionStore
from tests.dialogue.test_people import PEOPLE
from tests.integrations.wyoming_helpers import (
    free_port,
    in_process_server,
    say,
    server_process,
    wait_until_up,
)


def _state(event) -> dict:
    return event.data["context"]["cramp_coach"]


def test_describe_and_a_whole_conversation_with_the_real_program() -> None:
    uri = f"tcp://127.0.0.1:{free_port()}"

    async def talk() -> None:
        await wait_until_up(uri)
        async with AsyncClient.from_uri(uri) as client:
            await client.write_event(Describe().event())
            info = Info.from_event(await client.read_event())
        program = info.handle[0]
        assert program.name == "cramp-coach" and program.installed
        assert program.attribution.name and program.version
        assert program.models[0].languages == ["en"]
        first = await say(uri, "I've got a cramp in my left calf, it woke me up", "night-1")
        assert Handled.is_type(first.type)
        assert "pull the foot up" in first.data["text"]
        assert "wake word" in first.data["text"]
        assert first.data["context"]["conversation_id"] == "night-1"
        last = first
        for line in ["yes, it's easing", "no", "no", "no", "no", "hardly ever", "seconds",
                     "no thanks"]:
            last = await say(uri, line, "night-1")
        assert _state(last)["done"] and _state(last)["triage"] == "self_care"
        assert _state(last)["causes"][0] == "idiopathic_night_cramps"

    with server_process(uri):
        asyncio.run(talk())


def test_the_stdio_service_answers_describe_and_transcripts_in_the_hosts_voice() -> None:
    async def talk() -> None:
        from tests.e2e.cli import command

        proc = await asyncio.create_subprocess_exec(
            *command(), "wyoming", "--uri", "stdio://", stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        assert proc.stdin and proc.stdout
        await async_write_event(Describe().event(), proc.stdin)
        info = Info.from_event(await asyncio.wait_for(async_read_event(proc.stdout), 60))
        assert info.handle[0].name == "cramp-coach"
        await async_write_event(Transcript("my calf is swollen and hot").event(), proc.stdin)
        reply = await asyncio.wait_for(async_read_event(proc.stdout), 30)
        assert Handled.is_type(reply.type)
        assert reply.data["context"]["cramp_coach"]["triage"] == "urgent"
        # the host speaks the replies: slower or louder are its own settings, not ours
        await async_write_event(Transcript("speak louder please").event(), proc.stdin)
        reply = await asyncio.wait_for(async_read_event(proc.stdout), 30)
        assert "can't change how I sound" in reply.data["text"]
        # and it decides when the user has finished speaking
        await async_write_event(Transcript("give me more time").event(), proc.stdin)
        reply = await asyncio.wait_for(async_read_event(proc.stdout), 30)
        assert "decides when you've finished" in reply.data["text"]
        proc.stdin.close()
        assert await asyncio.wait_for(proc.wait(), 30) == 0

    asyncio.run(talk())


def test_twenty_interleaved_conversations_each_reach_their_own_end() -> None:
    people = list(PEOPLE.items()) * 2

    async def one(uri: str, index: int, person: dict) -> dict:
        rng = random.Random(index)
        last = None
        for line in person["lines"]:
            await asyncio.sleep(rng.random() * 0.01)
            last = await say(uri, line, f"conv-{index}", device_id=f"speaker-{index}")
            if _state(last)["done"]:
                break
        assert last is not None
        return _state(last)

    async def run_all() -> None:
        store = SessionStore()
        async with in_process_server(store) as uri:
            results = await asyncio.gather(*(one(uri, i, p) for i, (_, p) in
                                             enumerate(people)))
            assert len(store) == 0 or all(not s for s in [])  # finished ones may be kept
        for (name, person), state in zip(people, results, strict=True):
            assert state["triage"] == person["triage"], name
            assert state["causes"][0] == person["first_cause"], name

    asyncio.run(run_all())


def test_idle_conversations_expire_and_the_cap_holds() -> None:
    now = [0.0]
    store = SessionStore(idle_seconds=600, max_sessions=5, clock=lambda: now[0])

    async def run() -> None:
        async with in_process_server(store) as uri:
            await say(uri, "no", "old")
            await say(uri, "my calf", "old")
            now[0] += 601
            fresh = await say(uri, "my calf", "old")
            assert _state(fresh)["expecting"] == "cramp_now"  # forgotten: starts again
            for i in range(8):
                await say(uri, "no", f"many-{i}")
            assert len(store) == 5

    asyncio.run(run())


def test_a_new_conversation_id_from_the_same_speaker_continues_its_conversation() -> None:
    async def run() -> None:
        async with in_process_server(SessionStore()) as uri:
            await say(uri, "no", "turn-1", satellite_id="bedroom")
            second = await say(uri, "my left calf", "turn-2", satellite_id="bedroom")
            assert _state(second)["slots"]["location"] == "calf"
            other = await say(uri, "my left calf", "turn-3", satellite_id="kitchen")
            assert _state(other)["slots"]["cramp_now"] is None

    asyncio.run(run())


def test_without_a_conversation_id_one_session_per_connection() -> None:
    async def run() -> None:
        async with in_process_server(SessionStore()) as uri:
            async with AsyncClient.from_uri(uri) as client:
                for text in ["no", "my right foot"]:
                    await client.write_event(Transcript(text).event())
                    last = await client.read_event()
            assert _state(last)["slots"]["side"] == "right"
            fresh = await say(uri, "my right foot")
            assert _state(fresh)["slots"]["cramp_now"] is None

    asyncio.run(run())


def test_faults_are_answered_or_ignored_and_others_keep_being_served() -> None:
    async def run() -> None:
        async with in_process_server(SessionStore()) as uri:
            host, port = uri.removeprefix("tcp://").split(":")
            reader, writer = await asyncio.open_connection(host, int(port))
            for junk in [b"not json at all\n", b'{"no_type": 1}\n', b"[1,2,3]\n",
                         b'{"type": "mystery-event", "data": {"x": 1}}\n',
                         b'{"type": "transcript", "data": {"text": 42}}\n']:
                writer.write(junk)
            await writer.drain()
            answers = [await asyncio.wait_for(async_read_event(reader), 10) for _ in range(4)]
            assert [a.type for a in answers[:3]] == ["error"] * 3
            assert answers[3].type in ("handled", "not-handled")
            # the same connection still works
            await async_write_event(Transcript("yes").event(), writer)
            assert Handled.is_type((await asyncio.wait_for(async_read_event(reader), 10)).type)
            writer.close()

            # a client that goes away mid-conversation, and one that sends half a line
            _, half = await asyncio.open_connection(host, int(port))
            half.write(b'{"type": "transcript", "data": {"te')
            await half.drain()
            half.close()
            _, gone = await asyncio.open_connection(host, int(port))
            await async_write_event(Transcript("yes", context={"conversation_id": "g"}).event(),
                                    gone)
            gone.close()

            empty = await say(uri, "", "e1")
            assert NotHandled.is_type(empty.type) and empty.data["text"]
            huge = await say(uri, "calf " * 2000, "h1")
            assert Handled.is_type(huge.type) and huge.data["text"]
            long_junk = await say(uri, "x" * 10000, "h2")
            assert long_junk.data["text"]
            # others are still served
            ok = await say(uri, "my calf is swollen and hot", "after-faults")
            assert _state(ok)["triage"] == "urgent"

    asyncio.run(run())


def test_replies_are_plain_speakable_text() -> None:
    async def run() -> None:
        async with in_process_server(SessionStore()) as uri:
            for person in list(PEOPLE.values())[:4]:
                cid = json.dumps(person["lines"][:1])
                for line in person["lines"]:
                    event = await say(uri, line, cid)
                    text = event.data["text"]
                    assert text and "\n" not in text
                    assert not any(mark in text for mark in "<>*_#`[]{}")
                    if _state(event)["done"]:
                        break
                    assert text.rstrip().endswith("?") or "wake word" in text

    asyncio.run(run())


@pytest.mark.parametrize("first", ["I've got a cramp in my left calf, it woke me up"])
def test_one_rich_first_sentence_gets_relief_then_the_next_question(first: str) -> None:
    async def run() -> None:
        async with in_process_server(SessionStore()) as uri:
            event = await say(uri, first, "rich")
            text = event.data["text"]
            assert text.index("pull the foot up") < text.index("Is it easing?")
            assert _state(event)["slots"]["side"] == "left"

    asyncio.run(run())
