"""Reminders through the real app to a fake channel: once, across restarts, at delayed times."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import REMINDER_WORKER, build_components, create_app, create_channel_link
from bot.local_chat import build_local_components
from bot.settings import Settings
from bot.workers.reminders import ReminderWorker
from tests.e2e.fake_channel import FakeChannel
from tests.e2e.test_http_app import NOW, message, settings_for
from traef.participants import ChannelIdentity, Participant
from traef.programme import Event
from traef.services import current_event

LOTTE = ChannelIdentity("emulator", "user-1")  # who `message()` writes as


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, hour: int, minute: int) -> None:
        self.now = self.now.replace(hour=hour, minute=minute)


@pytest.fixture
async def channel() -> AsyncIterator[FakeChannel]:
    fake = FakeChannel()
    await fake.server.start_server()
    yield fake
    await fake.server.close()


class Running:
    """One run of the bot process: the app on loopback, its worker driven by hand."""

    def __init__(self, client: TestClient[Any, Any], worker: ReminderWorker) -> None:
        self.client = client
        self.worker = worker


async def start_bot(settings: Settings, clock: Clock) -> Running:
    app = create_app(settings, clock=clock)
    client: TestClient[Any, Any] = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    worker = app[REMINDER_WORKER]
    await worker.stop()  # the test ticks by hand, with its own clock
    return Running(client, worker)


async def with_the_event(settings: Settings, change: Any = None) -> Event:
    components = build_local_components(settings)
    try:
        event = await current_event(components.uow_factory(), NOW.date())
        if change is not None:
            assert event.id is not None
            uow = components.uow_factory()
            async with uow:
                event = await uow.events.save_programme(event.id, change(event))
                await uow.commit()
        return event
    finally:
        await components.close()


async def sign_up_with_reminders(settings: Settings) -> None:
    components = build_local_components(settings)
    try:
        event = await current_event(components.uow_factory(), NOW.date())
        assert event.id is not None
        uow = components.uow_factory()
        async with uow:
            await uow.participants.add(
                Participant(
                    event.id,
                    "Lotte Henriksen",
                    "MSO",
                    "Leder",
                    reminders=True,
                    identities=frozenset({LOTTE}),
                )
            )
            await uow.commit()
    finally:
        await components.close()


def texts_received(channel: FakeChannel) -> list[str]:
    return [body.get("text", "") for _, body in channel.received]


def reminders_received(channel: FakeChannel) -> list[str]:
    return [text for text in texts_received(channel) if text.startswith("⏰")]


async def test_one_reminder_across_ticks_and_a_restart_and_it_follows_a_delay(
    tmp_path: Path, channel: FakeChannel
) -> None:
    settings = settings_for(tmp_path)
    clock = Clock(NOW)  # 9.33; the breakout "Lederne udkommer …" starts at 9.45
    first = await start_bot(settings, clock)
    try:
        await first.client.get("/healthz")
        await sign_up_with_reminders(settings)
        # Any message stores the conversation reference the bot writes to later.
        response = await first.client.post("/api/messages", json=message(channel, "program"))
        assert response.status == 201
        await channel.wait_for(1)
        assert await first.worker.tick() == 0

        clock.set(9, 41)
        assert await first.worker.tick() == 1
        clock.set(9, 42)
        assert await first.worker.tick() == 0
    finally:
        await first.client.close()
    [reminder] = reminders_received(channel)
    assert reminder == (
        "⏰ Om 4 min.: **Lederne udkommer med deres personlige ledelsesgrundlag** (i grupper) "
        "kl. 9.45."
    )
    path, body = channel.received[-1]
    assert path.startswith("/v3/conversations/conversation-1/activities")
    assert body["recipient"]["id"] == "user-1"

    clock.set(9, 43)
    second = await start_bot(settings, clock)  # the process restarts on the same database
    try:
        await second.client.get("/healthz")
        assert await second.worker.tick() == 0

        def delay_next_steps(event: Event) -> tuple[Any, ...]:
            later = timedelta(minutes=20)
            return tuple(
                replace(i, start=i.start + later, end=i.end and i.end + later)
                if i.title.startswith("Næste skridt")
                else i
                for i in event.items
                if not i.title.startswith("Tak for")  # 14.00 would now overlap; drop it
            )

        await with_the_event(settings, delay_next_steps)
        clock.set(12, 46)  # 4 minutes before the old start: nothing
        assert await second.worker.tick() == 0
        clock.set(13, 6)  # 4 minutes before the new start
        assert await second.worker.tick() == 1
        assert await second.worker.tick() == 0
    finally:
        await second.client.close()
    assert reminders_received(channel)[1:] == [
        "⏰ Om 4 min.: **Næste skridt i arbejdet vedr. aktiv visionsledelse** (i grupper) "
        "kl. 13.10."
    ]


async def test_the_worker_runs_on_its_own_and_survives_a_failing_tick(
    tmp_path: Path, channel: FakeChannel
) -> None:
    settings = settings_for(tmp_path)
    clock = Clock(NOW.replace(hour=9, minute=41))
    running = await start_bot(settings, clock)
    try:
        await running.client.get("/healthz")
        await sign_up_with_reminders(settings)
        await running.client.post("/api/messages", json=message(channel, "program"))
        await channel.wait_for(1)

        components = build_components(settings, create_channel_link(settings).adapter, clock)
        calls: list[int] = []

        class Flaky(ReminderWorker):
            async def tick(self) -> int:
                calls.append(1)
                if len(calls) == 1:
                    raise RuntimeError("the database blinked")
                return await super().tick()

        worker = Flaky(components, interval_seconds=0.01)
        await worker.start()
        await channel.wait_for(2)
        await worker.stop()
        await components.close()
    finally:
        await running.client.close()
    assert len(calls) >= 2
    assert len(reminders_received(channel)) == 1
