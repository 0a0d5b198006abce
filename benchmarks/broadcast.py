"""A broadcast through the outbox sender to a local fake channel: duplicates, lost, time.

    .venv/bin/python -m benchmarks.broadcast [--recipients 2000] [--rate 200] [--refused 0.1]

The real adapter sends to a loopback fake channel (tests/e2e/fake_channel.py) that answers the
first attempt to a random `--refused` share of recipients with 429 + Retry-After 1 s. Pacing is
`--rate` messages a second, per app and per conversation, on a SQLite outbox. Prints duplicates
(target 0), lost (target 0), the total time and its ratio to the pacing optimum, recipients /
rate (target <= 1.15).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bot.app import build_components, create_channel_link, prepare_database
from bot.settings import Settings
from bot.workers.outbox_sender import OutboxSender
from tests.e2e.fake_channel import FakeChannel
from traef.outbox import Broadcast, OutboxMessage
from traef.pacing import PacingLimits, Rate
from traef.participants import ChannelIdentity


def now() -> datetime:
    return datetime.now(UTC)


async def run(recipients: int, rate: float, refused: float, directory: Path) -> None:
    channel = FakeChannel()
    await channel.server.start_server()
    channel.fail_first_attempts(refused, 429, retry_after=1)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite+aiosqlite:///{directory / 'broadcast.db'}",
    )
    components = build_components(settings, create_channel_link(settings).adapter, now)
    try:
        await prepare_database(components)
        uow = components.uow_factory()
        async with uow:
            messages = []
            for i in range(recipients):
                identity = ChannelIdentity("msteams", f"user-{i}")
                await uow.conversations.save(
                    identity,
                    {
                        "channelId": "msteams",
                        "serviceUrl": channel.url,
                        "conversation": {"id": f"conv-{i}"},
                        "user": {"id": f"user-{i}"},
                        "bot": {"id": "bot-1"},
                    },
                )
                messages.append(OutboxMessage(identity, {"text": f"Hej {i}"}))
            event = await uow.events.current(now().date())
            assert event is not None and event.id is not None
            broadcast = await uow.outbox.add_broadcast(
                Broadcast(event.id, "benchmark", now(), "alle"), messages
            )
            await uow.commit()
        assert broadcast.id is not None
        limits = PacingLimits(per_conversation=Rate(rate), per_app=Rate(rate))
        sender = OutboxSender(components, limits=limits, idle_seconds=0.05)
        start = time.perf_counter()
        await sender.start()
        while True:
            uow = components.uow_factory()
            async with uow:
                report = await uow.outbox.report(broadcast.id)
            if report.done:
                break
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - start
        await sender.stop()
    finally:
        await components.close()
        await channel.server.close()
    copies = Counter(path.split("/")[3] for path, _ in channel.received)
    duplicates = sum(n - 1 for n in copies.values() if n > 1)
    lost = recipients - len(copies)
    refusals = sum(1 for a in channel.attempts if a.status == 429)
    optimum = recipients / rate
    print(f"recipients {recipients}, pacing {rate:g}/s, first attempts answered 429: {refusals}")
    print(f"duplicates {duplicates} (target 0)")
    print(f"lost {lost} (target 0); reported unreached {report.failed}")
    print(f"total time {elapsed:.2f} s; pacing optimum {optimum:.2f} s")
    print(f"ratio {elapsed / optimum:.3f} (target <= 1.15)")
    counting_retries = elapsed * rate / (recipients + refusals)
    print(f"ratio to the optimum counting the retried attempts too {counting_retries:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--refused", type=float, default=0.1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        asyncio.run(run(args.recipients, args.rate, args.refused, Path(directory)))


if __name__ == "__main__":
    main()
