"""SqlUnitOfWork: commit keeps, anything else rolls back; the use cases run on it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import EventRow, ProgrammeItemRow
from storage.unit_of_work import SqlUnitOfWork
from traef.demo import DEMO_EVENT_NAME, demo_event
from traef.ports import UnitOfWork
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
