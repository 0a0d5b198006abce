"""Turns per second through the whole bot in-process: dialogs, SQL-backed state, programme card.

    .venv/bin/python -m benchmarks.turns [--turns 400] [--database-url URL]

Each turn comes from a different participant in a different conversation (the breakout-start
rush), so every turn reads and writes its own conversation and user state. Prints throughput and
latency percentiles for the programme card and the now/next answer, and their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount

from bot.app import Components, prepare_database
from bot.local_chat import LocalChatAdapter, build_local_components
from bot.settings import Settings


def message(text: str, participant: int) -> Activity:
    return Activity(
        type=ActivityTypes.message,
        id=str(uuid.uuid4()),
        text=text,
        channel_id="benchmark",
        service_url="local://benchmark",
        from_property=ChannelAccount(id=f"user-{participant}", name=f"Leder {participant}"),
        recipient=ChannelAccount(id="traefbot", name="Træfbot"),
        conversation=ConversationAccount(id=f"conversation-{participant}"),
        locale="da-DK",
        timestamp=datetime.now(UTC),
    )


async def measure(
    components: Components, text: str, turns: int, first_participant: int
) -> tuple[float, list[float]]:
    adapter = components.adapter
    assert isinstance(adapter, LocalChatAdapter)
    latencies: list[float] = []
    started = time.perf_counter()
    for participant in range(first_participant, first_participant + turns):
        turn_started = time.perf_counter()
        replies = await adapter.turn(message(text, participant), components.bot.on_turn)
        latencies.append((time.perf_counter() - turn_started) * 1000)
        assert replies, "the bot did not answer"
    return turns / (time.perf_counter() - started), latencies


def report(label: str, rate: float, latencies: list[float]) -> None:
    cuts = statistics.quantiles(latencies, n=100)
    print(f"{label:<16} {rate:8.1f} turns/s   p50 {cuts[49]:6.2f} ms   p95 {cuts[94]:6.2f} ms")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=400)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        components = build_local_components(Settings(_env_file=None, database_url=url))  # type: ignore[call-arg]
        await prepare_database(components)
        await measure(components, "program", 20, first_participant=-20)  # warm up
        print(f"{args.turns} turns, each from a new participant; database {url.split(':')[0]}")
        programme_rate, programme = await measure(components, "program", args.turns, 0)
        now_rate, now = await measure(components, "hvad sker der nu", args.turns, args.turns)
        report("programme card", programme_rate, programme)
        report("now/next text", now_rate, now)
        print(f"ratio programme/now throughput: {programme_rate / now_rate:.2f}")
        await components.engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
