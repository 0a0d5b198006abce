"""SqlUnitOfWork: commit keeps, anything else rolls back; the use cases run on it."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import EventRow, ProgrammeItemRow
from storage.unit_of_work import SqlUnitOfWork
from traef.change_requests import Delay
from traef.delays import apply_change, plan_change, undo_last_change
from traef.demo import DEMO_EVENT_NAME, demo_event
from traef.participants import ChannelIdentity, Participant, ParticipantType, Status
from traef.ports import UnitOfWork
from traef.programme import ItemKind
from traef.registration import (
    SignUp,
    check_in,
    erase_personal_data,
    recognise,
    registration_of,
    sign_up,
)
from traef.reminders import Reminder, send_due_reminders
from traef.services import current_event, ensure_demo_event

DAY = date(2026, 11, 22)


async def test_leaving_without_commit_rolls_back(uow: SqlUnitOfWork) -> None:
    async with uow:
        await uow.events.add(demo_event(DAY))
        assert await uow.events.count() == 1
    async with uow:
        assert await uow.events.count() == 0


async def test_commit_keeps_the_work(uow: SqlUnitOfWork) -> None:
    async with uow:
        await uow.events.add(demo_event(DAY))
        await uow.commit()
    async with uow:
        assert await uow.events.count() == 1


async def test_an_error_rolls_back_and_is_raised(uow: SqlUnitOfWork) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with uow:
            await uow.events.add(demo_event(DAY))
            raise RuntimeError("boom")
    async with uow:
        assert await uow.events.count() == 0


async def test_explicit_rollback_discards_the_work(uow: SqlUnitOfWork) -> None:
    async with uow:
        await uow.events.add(demo_event(DAY))
        await uow.rollback()
        assert await uow.events.count() == 0


async def test_one_unit_of_work_is_not_entered_twice_at_once(uow: SqlUnitOfWork) -> None:
    async with uow:
        with pytest.raises(RuntimeError, match="already in use"):
            await uow.__aenter__()


async def test_the_use_cases_run_on_it(uow: SqlUnitOfWork) -> None:
    port: UnitOfWork = uow
    now = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)

    added = await ensure_demo_event(port, now)
    assert added is not None and added.id is not None
    assert await ensure_demo_event(port, now) is None

    current = await current_event(port, DAY)
    assert (current.id, current.name) == (added.id, DEMO_EVENT_NAME)


async def test_the_registration_use_cases_run_on_it(uow: SqlUnitOfWork) -> None:
    port: UnitOfWork = uow
    async with uow:
        event = await uow.events.add(demo_event(DAY))
        await uow.commit()
    assert event.id is not None
    teams, slack = ChannelIdentity("msteams", "29:1abc"), ChannelIdentity("slack", "U0123")
    details = SignUp(
        name="  Søren   Ågård ",
        email="Soeren@Aarhus.dk",
        department="mbu",
        area="Dagtilbud Vest",
        level="leder",
        participant_type=ParticipantType.LEADER,
        phone="12 34 56 78",
        phone_consent=True,
    )

    signed_up = await sign_up(port, event, teams, details)
    linked = await recognise(port, event.id, slack, "soeren@aarhus.dk")
    checked_in, already = await check_in(port, event, slack, datetime(2026, 11, 22, 8, tzinfo=UTC))

    assert (signed_up.name, signed_up.email, signed_up.phone) == (
        "Søren Ågård",
        "soeren@aarhus.dk",
        "+4512345678",
    )
    assert linked is not None and linked.identities == {teams, slack}
    assert (checked_in.status, already) == (Status.CHECKED_IN, False)
    assert await registration_of(port, event.id, teams) == checked_in
    assert await erase_personal_data(port, teams) == 1
    assert await registration_of(port, event.id, slack) is None


async def test_the_programme_change_use_cases_run_on_it(uow: SqlUnitOfWork) -> None:
    port: UnitOfWork = uow
    async with uow:
        event = await uow.events.add(demo_event(DAY))
        await uow.commit()
    now = datetime(2026, 11, 22, 8, 40, tzinfo=UTC)  # 9.40 in Copenhagen

    [option, *_] = plan_change(event, Delay(minutes=10), now).options
    change = await apply_change(port, event, option, "forsink 10 min", "Helle", now)
    async with uow:
        assert event.id is not None
        delayed = await uow.events.get(event.id)
    assert delayed is not None and delayed.items == option.items
    assert [item.id for item in delayed.items] == [item.id for item in event.items]

    undone = await undo_last_change(port, delayed, now)
    async with uow:
        assert await uow.events.get(event.id) == event
        assert await uow.changes.for_event(event.id) == [replace(change, undone_at=now)]
    assert undone == change


async def test_the_reminder_use_case_sends_each_reminder_once_on_it(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with uow:
        event = await uow.events.add(demo_event(DAY))
        assert event.id is not None
        for name in ("Anna", "Bo", "Carl"):
            await uow.participants.add(Participant(event.id, name, "MSO", "Leder", reminders=True))
        await uow.commit()
    breakout = next(item for item in event.items if item.kind is ItemKind.BREAKOUT)
    delivered: list[tuple[str, str]] = []

    async def deliver(participant: Participant, reminder: Reminder) -> bool:
        delivered.append((participant.name, reminder.key))
        return True

    def factory() -> UnitOfWork:
        return SqlUnitOfWork(session_factory)

    now = breakout.start - timedelta(minutes=2)
    sent = await asyncio.gather(*(send_due_reminders(factory, now, deliver) for _ in range(3)))
    assert sum(sent) == 3
    assert sorted(delivered) == [(name, f"item:{breakout.id}") for name in ("Anna", "Bo", "Carl")]


async def test_deleting_an_event_deletes_its_programme(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with uow:
        await uow.events.add(demo_event(DAY))
        await uow.commit()
    async with session_factory() as session, session.begin():
        await session.execute(delete(EventRow))  # the database cascades, not the ORM
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(ProgrammeItemRow)) == 0
