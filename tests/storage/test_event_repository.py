"""SqlEventRepository stores events with their programme and finds the current one."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from storage.unit_of_work import SqlUnitOfWork
from traef.demo import demo_event
from traef.programme import Event, ItemKind, ProgrammeItem

DAY = date(2026, 11, 22)
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


async def test_the_demo_event_round_trips(uow: SqlUnitOfWork) -> None:
    event = demo_event(DAY)
    async with uow:
        added = await uow.events.add(event)
        await uow.commit()
    async with uow:
        assert added.id is not None
        loaded = await uow.events.get(added.id)

    assert loaded == added
    assert loaded is not None and loaded.id == added.id
    assert (loaded.name, loaded.start_date, loaded.end_date, loaded.timezone) == (
        event.name,
        event.start_date,
        event.end_date,
        event.timezone,
    )
    assert [_without_id(item) for item in loaded.items] == list(event.items)
    assert [item.title for item in loaded.items] == [item.title for item in event.items]
    assert len({item.id for item in loaded.items} - {None}) == len(event.items)


async def test_times_come_back_aware_and_show_the_events_local_clock(uow: SqlUnitOfWork) -> None:
    async with uow:
        added = await uow.events.add(demo_event(DAY))
        await uow.commit()
    async with uow:
        assert added.id is not None
        loaded = await uow.events.get(added.id)

    assert loaded is not None
    first, last = loaded.items[0], loaded.items[-1]
    assert first.start.utcoffset() is not None
    assert loaded.local(first.start).time() == time(8, 30)
    assert last.end is None and last.title == "Tak for denne gang"
    assert loaded.days() == [DAY]


async def test_every_field_of_an_item_is_kept(uow: SqlUnitOfWork) -> None:
    item = ProgrammeItem(
        start=datetime(2026, 6, 1, 9, 0, tzinfo=COPENHAGEN),
        end=datetime(2026, 6, 1, 10, 0, tzinfo=COPENHAGEN),
        title="Dialog i telefonen",
        kind=ItemKind.PHONE_DIALOGUE,
        speakers=("Æble Ørsted", "Bo Ågård"),
        description="Ring til din makker.\nTal om ugen.",
        link="https://example.org/træf?x=1",
    )
    async with uow:
        june = date(2026, 6, 1)
        added = await uow.events.add(Event("Sommertræf", june, june, items=(item,)))
        await uow.commit()
    async with uow:
        assert added.id is not None
        loaded = await uow.events.get(added.id)

    assert loaded is not None
    assert [_without_id(stored) for stored in loaded.items] == [item]
    assert loaded.items[0].end == datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


async def test_departments_and_levels_are_kept_in_their_order(uow: SqlUnitOfWork) -> None:
    event = Event(
        "Skoleledertræf",
        DAY,
        DAY,
        departments=("MBU", "Ældre og Handicap", "Privat/selvejende institution"),
        levels=("Skoleleder", "Viceskoleleder", "Afdelingsleder"),
    )
    async with uow:
        added = await uow.events.add(event)
        await uow.commit()
    async with uow:
        assert added.id is not None
        loaded = await uow.events.get(added.id)
    assert loaded == dataclasses.replace(event, id=added.id)


async def test_an_unknown_event_is_none(uow: SqlUnitOfWork) -> None:
    async with uow:
        assert await uow.events.get(12345) is None


async def test_count(uow: SqlUnitOfWork) -> None:
    async with uow:
        assert await uow.events.count() == 0
        await uow.events.add(demo_event(DAY))
        await uow.events.add(_event("Another", date(2027, 1, 1)))
        assert await uow.events.count() == 2


async def test_current_is_the_event_on_today(uow: SqlUnitOfWork) -> None:
    await _store(
        uow,
        _event("Past", date(2026, 11, 1)),
        _event("Today", date(2026, 11, 21), date(2026, 11, 23)),
        _event("Upcoming", date(2026, 11, 24)),
    )
    assert await _current_name(uow, DAY) == "Today"
    assert await _current_name(uow, date(2026, 11, 23)) == "Today"


async def test_current_is_the_soonest_upcoming_when_none_is_on(uow: SqlUnitOfWork) -> None:
    await _store(
        uow,
        _event("Past", date(2026, 11, 1)),
        _event("Later", date(2027, 3, 1)),
        _event("Soon", date(2026, 12, 1), date(2026, 12, 2)),
    )
    assert await _current_name(uow, DAY) == "Soon"


async def test_current_is_the_latest_past_when_nothing_is_to_come(uow: SqlUnitOfWork) -> None:
    await _store(
        uow,
        _event("Long ago", date(2025, 11, 1), date(2025, 11, 30)),
        _event("Latest", date(2026, 11, 20), date(2026, 11, 21)),
        _event("Earlier", date(2026, 10, 1)),
    )
    assert await _current_name(uow, DAY) == "Latest"


async def test_current_is_none_without_events(uow: SqlUnitOfWork) -> None:
    async with uow:
        assert await uow.events.current(DAY) is None


async def test_current_comes_with_its_programme(uow: SqlUnitOfWork) -> None:
    await _store(uow, demo_event(DAY))
    async with uow:
        current = await uow.events.current(DAY)
    assert current is not None
    assert [item.title for item in current.items] == [item.title for item in demo_event(DAY).items]


def _event(name: str, start: date, end: date | None = None) -> Event:
    return Event(name=name, start_date=start, end_date=end or start)


def _without_id(item: ProgrammeItem) -> ProgrammeItem:
    return dataclasses.replace(item, id=None)


async def _store(uow: SqlUnitOfWork, *events: Event) -> None:
    async with uow:
        for event in events:
            await uow.events.add(event)
        await uow.commit()


async def _current_name(uow: SqlUnitOfWork, today: date) -> str | None:
    async with uow:
        event = await uow.events.current(today)
    return event.name if event is not None else None
