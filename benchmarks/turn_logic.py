"""Turns per second of the bot's own logic, in-process: no HTTP, no Bot Framework connector.

    .venv/bin/python -m benchmarks.turn_logic [--conversations 50] [--turns 20] [--outbox]
                                              [--profile [--sort tottime]]

Builds the bot with `build_local_components` (SQLite in a temporary folder, the same dialogs and
state storage as the HTTP app) and drives the conversation script of `benchmarks.turns` over
`--conversations` concurrent conversations of `--turns` turns: half sign up (nine text answers and
the confirm card submit), then everyone asks "dagens program", "hvad sker der nu" and "hvad er det
næste". A turn is what `LocalChatAdapter.turn` runs (the adapter's middleware, `TraefBot.on_turn`
with the state load and save), with each turn's replies collected on its own turn context.

Prints turns/s, wall ms per turn (1 / throughput), CPU ms per turn (the whole process, and the
event loop's thread alone: aiosqlite works in threads of its own), mean and p99 latency, SQL
statements, commits and new database connections per turn (counted with engine events), and how
many sign-ups were confirmed. A short warm-up is left out. `--outbox` wires the HTTP app's
`OutboxAnnouncer`; `--profile` prints the top of a cProfile of the measured run (event loop only).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import pstats
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount
from sqlalchemy import event

from benchmarks.turns import NOW, SIGN_UP_DONE, Turn, script
from bot.app import Components, build_components, prepare_database
from bot.local_chat import LocalChatAdapter, build_local_components
from bot.settings import Settings


@dataclass
class Counts:
    statements: int = 0
    commits: int = 0
    connects: int = 0


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)  # ms
    submit_replies: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # the process's, all threads (aiosqlite runs a thread per connection)
    loop_cpu_seconds: float = 0.0  # the event loop's thread alone


def count_sql(components: Components) -> Counts:
    counts = Counts()

    def on_statement(*_: Any) -> None:
        counts.statements += 1

    def on_commit(*_: Any) -> None:
        counts.commits += 1

    def on_connect(*_: Any) -> None:
        counts.connects += 1

    event.listen(components.engine.sync_engine, "connect", on_connect)
    event.listen(components.engine.sync_engine, "before_cursor_execute", on_statement)
    event.listen(components.engine.sync_engine, "commit", on_commit)
    return counts


def activity(conversation: str, participant: int, turn: Turn) -> Activity:
    text, value = turn
    return Activity(
        type=ActivityTypes.message,
        id=str(uuid.uuid4()),
        channel_id="emulator",
        service_url="local://bench",
        from_property=ChannelAccount(
            id=f"user-{participant}", name=f"Deltager {participant} Hansen"
        ),
        recipient=ChannelAccount(id="bot-1", name="Træfbot"),
        conversation=ConversationAccount(id=conversation),
        locale="da-DK",
        timestamp=datetime.now(UTC),
        text=text,
        value=value,
    )


def reply_text(replies: list[Activity]) -> str:
    for reply in replies:
        if reply.text:
            return str(reply.text)
        for attachment in reply.attachments or []:
            content = attachment.content if isinstance(attachment.content, dict) else {}
            if content.get("fallbackText"):
                return str(content["fallbackText"])
    return ""


async def converse(
    components: Components, participant: int, steps: list[Turn], outcome: Outcome
) -> None:
    conversation = f"conversation-{participant}-{uuid.uuid4().hex[:8]}"
    for step in steps:
        started = time.perf_counter()
        try:
            replies = await run_turn(components, activity(conversation, participant, step))
        except Exception as error:  # a failed turn ends its conversation and is counted
            outcome.failures.append(f"{type(error).__name__}: {error}")
            return
        outcome.latencies.append((time.perf_counter() - started) * 1000)
        if not replies:
            outcome.failures.append(f"no reply to {step}")
        if step[1] is not None:
            outcome.submit_replies.append(reply_text(replies))


async def run_turn(components: Components, activity: Activity) -> list[Activity]:
    """One turn through the adapter's middleware and the bot; returns this turn's replies.

    `LocalChatAdapter.turn` keeps one outbox for the adapter; turns run concurrently here, so the
    replies are collected per turn context instead.
    """
    adapter = components.adapter
    assert isinstance(adapter, LocalChatAdapter)
    context = TurnContext(adapter, activity)
    replies: list[Activity] = []

    async def keep(_: TurnContext, activities: list[Activity], send: Any) -> Any:
        replies.extend(activities)
        return await send()

    context.on_send_activities(keep)
    await adapter.run_pipeline(context, components.bot.on_turn)
    return replies


async def drive(components: Components, conversations: int, turns: int, first: int) -> Outcome:
    outcome = Outcome()
    started, cpu_started = time.perf_counter(), time.process_time()
    loop_cpu_started = time.thread_time()
    await asyncio.gather(
        *(
            converse(components, participant, script(participant, turns, index % 2 == 0), outcome)
            for index, participant in enumerate(range(first, first + conversations))
        )
    )
    outcome.seconds = time.perf_counter() - started
    outcome.cpu_seconds = time.process_time() - cpu_started
    outcome.loop_cpu_seconds = time.thread_time() - loop_cpu_started
    return outcome


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--turns", type=int, default=20, help="turns per conversation")
    parser.add_argument("--outbox", action="store_true", help="the HTTP app's OutboxAnnouncer")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the run")
    parser.add_argument("--sort", default="tottime", help="the profile's order (pstats key)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}",
        )
        if args.outbox:
            adapter = LocalChatAdapter()
            components = build_components(settings, adapter, lambda: NOW, use_outbox=True)
        else:
            components = build_local_components(settings, clock=lambda: NOW)
        try:
            await prepare_database(components)
            await drive(components, 2, min(args.turns, 10), 10_000)  # warm up, left out
            counts = count_sql(components)
            profile = cProfile.Profile() if args.profile else None
            if profile is not None:
                profile.enable()
            outcome = await drive(components, args.conversations, args.turns, 0)
            if profile is not None:
                profile.disable()
        finally:
            await components.engine.dispose()
    report(args, outcome, counts)
    if profile is not None:
        pstats.Stats(profile).sort_stats(args.sort).print_stats(40)


def report(args: argparse.Namespace, outcome: Outcome, counts: Counts) -> None:
    turns = len(outcome.latencies)
    wiring = "OutboxAnnouncer" if args.outbox else "direct announcer"
    print(
        f"{args.conversations} concurrent conversations x {args.turns} turns in-process "
        f"on SQLite ({wiring}), half signing up"
    )
    p99 = statistics.quantiles(outcome.latencies, n=100)[98] if turns > 1 else 0.0
    print(f"turns            {turns:9d}")
    print(f"turns/s          {turns / outcome.seconds:9.1f}")
    print(f"wall ms/turn     {1000 * outcome.seconds / max(turns, 1):9.3f}")
    print(f"CPU ms/turn      {1000 * outcome.cpu_seconds / max(turns, 1):9.3f}")
    print(f"loop CPU ms/turn {1000 * outcome.loop_cpu_seconds / max(turns, 1):9.3f}")
    print(f"mean latency ms  {statistics.fmean(outcome.latencies or [0.0]):9.1f}")
    print(f"p99 latency ms   {p99:9.1f}")
    print(f"SQL stmts/turn   {counts.statements / max(turns, 1):9.2f}")
    print(f"commits/turn     {counts.commits / max(turns, 1):9.2f}")
    print(f"new connections  {counts.connects:9d}")
    confirmed = sum(text.startswith(SIGN_UP_DONE) for text in outcome.submit_replies)
    print(f"sign-ups confirmed {confirmed} of {len(outcome.submit_replies)}")
    for failure in sorted(set(outcome.failures))[:3]:
        print(f"failure: {failure}")


if __name__ == "__main__":
    asyncio.run(main())
