"""The worker closes an evaluation at its deadline, and its respondent tokens go with it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import SecretStr

from bot.app import prepare_database
from bot.local_chat import build_local_components
from bot.settings import Settings
from bot.workers.reminders import ReminderWorker
from traef.evaluation_forms import parse_evaluation_form
from traef.feedback import open_evaluation
from traef.participants import Participant
from traef.programme import Event
from traef.services import current_event

FORM = """
title: {da: "Evaluering af ledelsestræffet", en: "Evaluation of the gathering"}
questions:
  - key: samlet
    type: likert
    text: {da: "Hvordan var træffet samlet set?", en: "How was the gathering overall?"}
"""


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def test_a_form_closes_at_its_deadline(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 11, 22, 13, 30, tzinfo=ZoneInfo("Europe/Copenhagen")))
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        feedback_secret=SecretStr("test"),
    )
    components = build_local_components(settings, clock=clock)
    await prepare_database(components)
    event = await current_event(components.uow_factory(), clock.now.date())
    assert event.id is not None
    form = await open_evaluation(
        components.uow_factory(),
        event.id,
        "træf",
        parse_evaluation_form(FORM),
        clock.now + timedelta(minutes=30),
        clock.now,
    )
    worker = ReminderWorker(components)
    await worker.tick()
    uow = components.uow_factory()
    async with uow:
        assert (await uow.feedback.get_form(form.id or 0)).closed_at is None  # type: ignore[union-attr]
    clock.now += timedelta(minutes=31)
    await worker.tick()
    async with uow:
        closed = await uow.feedback.get_form(form.id or 0)
    assert closed is not None and closed.closed_at is not None
    await components.engine.dispose()


async def test_the_worker_purges_events_past_the_retention_period(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 11, 22, 13, 30, tzinfo=ZoneInfo("Europe/Copenhagen")))
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        feedback_secret=SecretStr("test"),
        retention_days=30,
    )
    components = build_local_components(settings, clock=clock)
    await prepare_database(components)
    uow = components.uow_factory()
    async with uow:
        old = await uow.events.add(Event("Træf 2025", date(2025, 10, 27), date(2025, 10, 27)))
        assert old.id is not None
        await uow.participants.add(Participant(old.id, "Anna Andersen", "MSO", "Leder"))
        await uow.commit()
    await ReminderWorker(components).tick()
    async with uow:
        assert await uow.participants.for_event(old.id) == []
    await components.engine.dispose()
