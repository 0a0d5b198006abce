"""SqlReminderLog: a reminder is claimed once per participant and key, also by rivals at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import ParticipantRow, ReminderLogRow
from storage.unit_of_work import SqlUnitOfWork
from traef.participants import Participant
from traef.programme import Event

DAY = date(2026, 11, 22)
AT = datetime(2026, 11, 22, 9, 55, tzinfo=UTC)


@pytest.fixture
async def participant_ids(uow: SqlUnitOfWork) -> list[int]:
    async with uow:
        event = await uow.events.add(Event("Træf", DAY, DAY))
        assert event.id is not None
        ids = []
        for name in ("Anna", "Bo"):
            added = await uow.participants.add(Participant(event.id, name, "MSO", "Leder"))
            assert added.id is not None
            ids.append(added.id)
        await uow.commit()
    return ids


async def _claim(uow: SqlUnitOfWork, participant_id: int, key: str) -> bool:
    async with uow:
        claimed = await uow.reminders.claim(participant_id, key, AT)
        await uow.commit()
    return claimed


async def test_a_reminder_is_claimed_once(uow: SqlUnitOfWork, participant_ids: list[int]) -> None:
    anna, bo = participant_ids
    assert await _claim(uow, anna, "item:7") is True
    assert await _claim(uow, anna, "item:7") is False
    assert await _claim(uow, anna, "item:8") is True  # another reminder
    assert await _claim(uow, bo, "item:7") is True  # another participant
    async with uow:
        assert await uow.reminders.claim(bo, "preparation:1", AT) is True
        assert await uow.reminders.claim(bo, "preparation:1", AT) is False  # same unit of work


async def test_a_claim_that_is_rolled_back_is_not_kept(
    uow: SqlUnitOfWork, participant_ids: list[int]
) -> None:
    anna, _ = participant_ids
    async with uow:
        assert await uow.reminders.claim(anna, "item:7", AT) is True
    with pytest.raises(RuntimeError):
        async with uow:
            assert await uow.reminders.claim(anna, "item:7", AT) is True
            raise RuntimeError("the delivery failed")
    async with uow:
        assert await uow.reminders.claim(anna, "item:7", AT) is True
        await uow.rollback()
        assert await uow.reminders.claim(anna, "item:7", AT) is True
        await uow.commit()
    assert await _claim(uow, anna, "item:7") is False


async def test_when_two_claim_the_same_reminder_at_once_one_gets_it(
    session_factory: async_sessionmaker[AsyncSession], participant_ids: list[int]
) -> None:
    anna, _ = participant_ids
    first_in = asyncio.Event()

    async def claim(wait_for_the_other: bool) -> bool:
        uow = SqlUnitOfWork(session_factory)
        async with uow:
            if wait_for_the_other:
                await first_in.wait()  # both claim while the other's claim is not committed
            claimed = await uow.reminders.claim(anna, "item:7", AT)
            first_in.set()
            await asyncio.sleep(0.05)
            await uow.commit()
        return claimed

    for _ in range(3):
        results = await asyncio.gather(claim(False), claim(True))
        assert sorted(results) == [False, True]
        async with session_factory() as session, session.begin():
            await session.execute(delete(ReminderLogRow))
        first_in.clear()


async def test_many_rivals_at_once_make_one_claim(
    session_factory: async_sessionmaker[AsyncSession], participant_ids: list[int]
) -> None:
    anna, _ = participant_ids
    results = await asyncio.gather(
        *(_claim(SqlUnitOfWork(session_factory), anna, "item:9") for _ in range(8))
    )
    assert results.count(True) == 1


async def test_the_time_of_the_claim_is_kept(
    uow: SqlUnitOfWork,
    session_factory: async_sessionmaker[AsyncSession],
    participant_ids: list[int],
) -> None:
    await _claim(uow, participant_ids[0], "item:7")
    async with session_factory() as session:
        assert await session.scalar(select(ReminderLogRow.claimed_at)) == AT


async def test_keys_are_one_to_200_characters(
    uow: SqlUnitOfWork, participant_ids: list[int]
) -> None:
    anna, _ = participant_ids
    assert await _claim(uow, anna, "k" * 200) is True
    async with uow:
        for key in ("", "k" * 201):
            with pytest.raises(ValueError, match="200"):
                await uow.reminders.claim(anna, key, AT)


async def test_a_claim_for_an_unknown_participant_is_refused(uow: SqlUnitOfWork) -> None:
    with pytest.raises(IntegrityError):
        async with uow:
            await uow.reminders.claim(12345, "item:7", AT)


async def test_deleting_a_participant_deletes_their_claims(
    uow: SqlUnitOfWork,
    session_factory: async_sessionmaker[AsyncSession],
    participant_ids: list[int],
) -> None:
    anna, bo = participant_ids
    await _claim(uow, anna, "item:7")
    await _claim(uow, bo, "item:7")
    async with uow:
        await uow.participants.delete(anna)
        await uow.commit()
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(ReminderLogRow)) == 1
        assert await session.scalar(select(func.count()).select_from(ParticipantRow)) == 1
