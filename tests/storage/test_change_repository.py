"""SqlProgrammeChangeRepository: who changed the programme, and the whole of it before and after."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import EventRow, ProgrammeChangeRow
from storage.unit_of_work import SqlUnitOfWork
from traef.changes import ProgrammeChange
from traef.demo import demo_event
from traef.participants import ParticipantType
from traef.programme import Audience, AudienceKind, Event, ItemKind, ProgrammeItem

DAY = date(2026, 11, 22)
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
NINE = datetime(2026, 11, 22, 9, 0, tzinfo=COPENHAGEN)


@pytest.fixture
async def event(uow: SqlUnitOfWork) -> Event:
    return await _add_event(uow, demo_event(DAY))


def _change(event: Event, summary: str, minutes: int = 0) -> ProgrammeChange:
    assert event.id is not None
    later = tuple(
        dataclasses.replace(item, start=item.start + timedelta(minutes=10)) for item in event.items
    )
    return ProgrammeChange(
        event_id=event.id,
        made_by="Helle Bach Lauridsen",
        made_at=NINE + timedelta(minutes=minutes),
        summary=summary,
        before=event.items,
        after=later,
    )


async def _add_event(uow: SqlUnitOfWork, event: Event) -> Event:
    async with uow:
        added = await uow.events.add(event)
        await uow.commit()
    assert added.id is not None
    return added


async def _add(uow: SqlUnitOfWork, *changes: ProgrammeChange) -> list[ProgrammeChange]:
    async with uow:
        added = [await uow.changes.add(change) for change in changes]
        await uow.commit()
    return added


async def test_a_change_round_trips_with_its_snapshots(uow: SqlUnitOfWork, event: Event) -> None:
    oslo = timezone(timedelta(hours=1))
    odd_items = (
        ProgrammeItem(
            start=datetime(2026, 11, 22, 9, 5, 30, 250, tzinfo=oslo),
            end=datetime(2026, 11, 22, 10, 0, tzinfo=UTC),
            title="Dialog i telefonen «ÆØÅ»",
            kind=ItemKind.PHONE_DIALOGUE,
            speakers=("Æble Ørsted", "Bo Ågård"),
            description='Ring til din makker.\nSig "hej".',
            link="https://example.org/træf?x=1&y=2",
            audience=Audience(AudienceKind.PARTICIPANT_TYPE, ParticipantType.REPRESENTATIVE),
            id=41,
        ),
        ProgrammeItem(
            start=NINE,
            title="Coaching",
            audience=Audience(AudienceKind.GROUP, "Gruppe 3"),
        ),
        ProgrammeItem(start=NINE, title="Et øjeblik"),
    )
    assert event.id is not None
    change = ProgrammeChange(
        event_id=event.id,
        made_by="29:1abc",
        made_at=NINE,
        summary="Forsink 10 min",
        before=event.items,
        after=odd_items,
    )
    [added] = await _add(uow, change)
    async with uow:
        [loaded] = await uow.changes.for_event(event.id)

    assert added.id is not None
    assert loaded == added == dataclasses.replace(change, id=added.id)
    assert loaded.before == event.items and loaded.after == odd_items  # order kept, ids too
    assert [item.start.utcoffset() for item in loaded.after] == [
        timedelta(hours=1),
        timedelta(hours=1),
        timedelta(hours=1),
    ]  # the offsets they were given (Copenhagen is at +01:00 in November)
    assert loaded.made_at.tzinfo is UTC


async def test_an_empty_programme_round_trips(uow: SqlUnitOfWork, event: Event) -> None:
    change = dataclasses.replace(_change(event, "Alt aflyst"), after=())
    [added] = await _add(uow, change)
    async with uow:
        assert added.id is not None and event.id is not None
        assert await uow.changes.latest(event.id) == added
    assert added.after == ()


async def test_the_snapshot_is_stored_as_readable_json(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession], event: Event
) -> None:
    await _add(uow, _change(event, "Forsink 10 min"))
    async with session_factory() as session:
        before = await session.scalar(select(ProgrammeChangeRow.before))
    assert before is not None
    first = event.items[0]
    assert before[0] == {
        "id": first.id,
        "start": "2026-11-22T07:30:00+00:00",
        "end": "2026-11-22T07:50:00+00:00",
        "title": first.title,
        "kind": "plenary",
        "speakers": list(first.speakers),
        "description": "",
        "link": None,
        "audience": {"kind": "everyone", "value": None},
    }


async def test_latest_is_the_newest_change_not_undone(uow: SqlUnitOfWork, event: Event) -> None:
    assert event.id is not None
    async with uow:
        assert await uow.changes.latest(event.id) is None
    first, second, third = await _add(
        uow,
        _change(event, "Forsink 10 min", 0),
        _change(event, "Ryk frokost til 12.30", 5),
        _change(event, "Forsink 5 min", 10),
    )
    assert third.id is not None and second.id is not None and first.id is not None
    async with uow:
        assert await uow.changes.latest(event.id) == third
        await uow.changes.mark_undone(third.id, NINE + timedelta(minutes=20))
        assert await uow.changes.latest(event.id) == second  # within the same unit of work
        await uow.commit()
    async with uow:
        assert await uow.changes.latest(event.id) == second
        await uow.changes.mark_undone(second.id, NINE + timedelta(minutes=21))
        await uow.changes.mark_undone(first.id, NINE + timedelta(minutes=22))
        assert await uow.changes.latest(event.id) is None


async def test_for_event_lists_every_change_oldest_first_undone_ones_included(
    uow: SqlUnitOfWork, event: Event
) -> None:
    other = await _add_event(uow, Event("Andet træf", DAY, DAY))
    first, second = await _add(
        uow, _change(event, "Forsink 10 min", 0), _change(event, "Forsink 5 min", 3)
    )
    await _add(uow, _change(other, "Ikke dette træf"))
    undone_at = datetime(2026, 11, 22, 8, 30, tzinfo=UTC)
    assert first.id is not None and event.id is not None
    async with uow:
        await uow.changes.mark_undone(first.id, undone_at)
        await uow.changes.mark_undone(12345, undone_at)  # unknown: ignored
        await uow.commit()
    async with uow:
        listed = await uow.changes.for_event(event.id)
    assert listed == [dataclasses.replace(first, undone_at=undone_at), second]


async def test_a_change_not_committed_is_not_kept(uow: SqlUnitOfWork, event: Event) -> None:
    assert event.id is not None
    async with uow:
        await uow.changes.add(_change(event, "Forsink 10 min"))
    async with uow:
        assert await uow.changes.for_event(event.id) == []


async def test_deleting_an_event_deletes_its_changes(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession], event: Event
) -> None:
    await _add(uow, _change(event, "Forsink 10 min"))
    async with session_factory() as session, session.begin():
        await session.execute(delete(EventRow))
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(ProgrammeChangeRow)) == 0
