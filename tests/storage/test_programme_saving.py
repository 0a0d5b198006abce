"""SqlEventRepository.update and .save_programme: the event's own fields, and its programme
edited in place (items keep their ids), as the programme-change use cases need."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import ProgrammeItemRow
from storage.unit_of_work import SqlUnitOfWork
from traef.changes import ProgrammeChange
from traef.demo import demo_event
from traef.errors import InvalidProgrammeError
from traef.participants import ParticipantType
from traef.programme import EVERYONE, Audience, AudienceKind, Event, ItemKind, ProgrammeItem

DAY = date(2026, 11, 22)
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
FOR_REPRESENTATIVES = Audience(AudienceKind.PARTICIPANT_TYPE, ParticipantType.REPRESENTATIVE)
FOR_GROUP_3 = Audience(AudienceKind.GROUP, "Gruppe 3")


def _at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=COPENHAGEN)


def _item(title: str, hour: int, *, audience: Audience = EVERYONE) -> ProgrammeItem:
    return ProgrammeItem(start=_at(hour), end=_at(hour + 1), title=title, audience=audience)


async def _add(uow: SqlUnitOfWork, event: Event) -> Event:
    async with uow:
        added = await uow.events.add(event)
        await uow.commit()
    assert added.id is not None
    return added


async def _load(uow: SqlUnitOfWork, event_id: int | None) -> Event:
    assert event_id is not None
    async with uow:
        loaded = await uow.events.get(event_id)
    assert loaded is not None
    return loaded


async def _save(uow: SqlUnitOfWork, event_id: int | None, *items: ProgrammeItem) -> Event:
    assert event_id is not None
    async with uow:
        saved = await uow.events.save_programme(event_id, items)
        await uow.commit()
    return saved


async def _positions(session_factory: async_sessionmaker[AsyncSession]) -> list[tuple[int, int]]:
    """(id, position) of every stored item, by position."""
    query = select(ProgrammeItemRow.id, ProgrammeItemRow.position).order_by(
        ProgrammeItemRow.event_id, ProgrammeItemRow.position
    )
    async with session_factory() as session:
        return [(item_id, position) for item_id, position in await session.execute(query)]


async def test_audiences_round_trip(uow: SqlUnitOfWork) -> None:
    items = (
        _item("Velkommen", 9),
        _item("TR og arbejdsmiljø", 10, audience=FOR_REPRESENTATIVES),
        _item("Coaching", 11, audience=FOR_GROUP_3),
    )
    added = await _add(uow, Event("Træf", DAY, DAY, items=items))
    loaded = await _load(uow, added.id)

    assert loaded == added
    assert [dataclasses.replace(item, id=None) for item in loaded.items] == list(items)
    assert [item.audience for item in loaded.items] == [
        EVERYONE,
        FOR_REPRESENTATIVES,
        FOR_GROUP_3,
    ]


async def test_preparation_round_trips(uow: SqlUnitOfWork) -> None:
    event = Event(
        "Træf",
        DAY,
        DAY,
        preparation="Læs dit ledelsesgrundlag.\nTag det med.",
        preparation_reminder_days=3,
    )
    added = await _add(uow, event)
    assert await _load(uow, added.id) == dataclasses.replace(event, id=added.id)


async def test_update_saves_the_events_own_fields_and_leaves_the_programme_alone(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    added = await _add(uow, demo_event(DAY))
    positions = await _positions(session_factory)
    changed = dataclasses.replace(
        added,
        name="Fælles om ledelse, dag 2",
        start_date=DAY - timedelta(days=1),
        end_date=DAY + timedelta(days=1),
        timezone="Europe/Copenhagen",
        departments=("MBU", "MSO"),
        levels=("Leder",),
        preparation="Læs op på visionsledelse.",
        preparation_reminder_days=2,
        items=(),  # not saved by update
    )
    async with uow:
        updated = await uow.events.update(changed)
        await uow.commit()

    assert updated == dataclasses.replace(changed, items=added.items)
    assert await _load(uow, added.id) == updated
    assert await _positions(session_factory) == positions

    cleared = dataclasses.replace(updated, preparation="", preparation_reminder_days=None)
    async with uow:
        await uow.events.update(cleared)
        await uow.commit()
    assert await _load(uow, added.id) == cleared


async def test_an_update_that_leaves_items_outside_the_dates_is_refused(
    uow: SqlUnitOfWork,
) -> None:
    added = await _add(uow, demo_event(DAY))
    later = DAY + timedelta(days=7)
    async with uow:
        with pytest.raises(InvalidProgrammeError):
            await uow.events.update(
                dataclasses.replace(added, name="Flyttet", start_date=later, end_date=later)
            )
        await uow.commit()
    assert await _load(uow, added.id) == added


async def test_only_a_stored_event_can_be_updated(uow: SqlUnitOfWork) -> None:
    async with uow:
        with pytest.raises(ValueError, match="id"):
            await uow.events.update(Event("Træf", DAY, DAY))
        with pytest.raises(LookupError, match="12345"):
            await uow.events.update(Event("Træf", DAY, DAY, id=12345))
        with pytest.raises(LookupError, match="12345"):
            await uow.events.save_programme(12345, ())


async def test_save_programme_updates_kept_items_adds_new_ones_and_deletes_the_rest(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    added = await _add(
        uow, Event("Træf", DAY, DAY, items=(_item("A", 9), _item("B", 10), _item("C", 11)))
    )
    a, b, _deleted = added.items
    moved_b = dataclasses.replace(
        b,
        start=_at(8),
        end=_at(8, 45),
        title="B, flyttet",
        kind=ItemKind.BREAKOUT,
        speakers=("Helle",),
        description="Nu før A.",
        link="https://example.org/b",
        audience=FOR_GROUP_3,
    )
    new = _item("D", 12, audience=FOR_REPRESENTATIVES)

    saved = await _save(uow, added.id, moved_b, a, new)

    loaded = await _load(uow, added.id)
    assert saved == loaded
    assert [item.title for item in loaded.items] == ["B, flyttet", "A", "D"]
    assert loaded.items[:2] == (moved_b, a)  # the same ids, every field saved
    assert loaded.items[2] == dataclasses.replace(new, id=loaded.items[2].id)
    assert loaded.items[2].id is not None
    assert loaded.items[2].id > max(item.id or 0 for item in added.items)  # never used again
    assert await _positions(session_factory) == [(b.id, 0), (a.id, 1), (loaded.items[2].id, 2)]


async def test_positions_follow_the_order_given_and_order_items_at_the_same_time(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    group_1 = _item("Gruppe 1", 10, audience=Audience(AudienceKind.GROUP, "Gruppe 1"))
    group_2 = _item("Gruppe 2", 10, audience=Audience(AudienceKind.GROUP, "Gruppe 2"))
    added = await _add(uow, Event("Træf", DAY, DAY))

    first = await _save(uow, added.id, group_2, group_1)
    assert [item.title for item in first.items] == ["Gruppe 2", "Gruppe 1"]

    two, one = first.items
    swapped = await _save(uow, added.id, one, two)  # each takes the other's position

    assert [item.title for item in swapped.items] == ["Gruppe 1", "Gruppe 2"]
    assert await _load(uow, added.id) == swapped
    assert await _positions(session_factory) == [(one.id, 0), (two.id, 1)]


async def test_save_programme_with_nothing_empties_the_programme(uow: SqlUnitOfWork) -> None:
    added = await _add(uow, demo_event(DAY))
    assert (await _save(uow, added.id)).items == ()
    assert (await _load(uow, added.id)).items == ()


async def test_save_programme_leaves_other_events_alone(uow: SqlUnitOfWork) -> None:
    other = await _add(uow, demo_event(DAY))
    added = await _add(uow, Event("Træf", DAY, DAY, items=(_item("A", 9),)))
    await _save(uow, added.id, _item("B", 10))
    assert await _load(uow, other.id) == other


async def test_save_programme_refuses_items_of_another_event_or_unknown_ones(
    uow: SqlUnitOfWork,
) -> None:
    other = await _add(uow, demo_event(DAY))
    added = await _add(uow, Event("Træf", DAY, DAY, items=(_item("A", 9),)))
    assert added.id is not None
    [a] = added.items
    theirs = other.items[0]
    unknown = dataclasses.replace(a, id=12345)
    for items in ((a, theirs), (unknown,)):
        async with uow:
            with pytest.raises(LookupError, match="not items of event"):
                await uow.events.save_programme(added.id, items)
    async with uow:
        with pytest.raises(ValueError, match="twice"):
            await uow.events.save_programme(added.id, (a, dataclasses.replace(a, title="A2")))
    assert await _load(uow, added.id) == added
    assert await _load(uow, other.id) == other


async def test_save_programme_refuses_items_outside_the_events_dates(uow: SqlUnitOfWork) -> None:
    added = await _add(uow, Event("Træf", DAY, DAY, items=(_item("A", 9),)))
    assert added.id is not None
    tomorrow = ProgrammeItem(start=_at(9, day=DAY + timedelta(days=1)), title="I morgen")
    async with uow:
        with pytest.raises(InvalidProgrammeError):
            await uow.events.save_programme(added.id, (*added.items, tomorrow))
        await uow.commit()
    assert await _load(uow, added.id) == added


async def test_work_in_a_unit_of_work_left_without_commit_is_not_kept(
    uow: SqlUnitOfWork,
) -> None:
    added = await _add(uow, Event("Træf", DAY, DAY, items=(_item("A", 9),)))
    assert added.id is not None
    async with uow:
        await uow.events.save_programme(added.id, (_item("B", 10),))
        await uow.events.update(dataclasses.replace(added, name="Andet"))
    assert await _load(uow, added.id) == added


async def test_ids_of_deleted_items_are_not_given_again(uow: SqlUnitOfWork) -> None:
    added = await _add(uow, Event("Træf", DAY, DAY, items=(_item("A", 9), _item("B", 10))))
    a, b = added.items
    await _save(uow, added.id, a)  # B, the item with the highest id, goes
    saved = await _save(uow, added.id, a, _item("C", 11))
    assert b.id is not None and saved.items[1].id is not None
    assert saved.items[1].id > b.id


async def test_undoing_a_change_restores_deleted_items_under_their_ids(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    added = await _add(uow, Event("Træf", DAY, DAY, items=(_item("A", 9), _item("B", 10))))
    assert added.id is not None
    a, b = added.items
    replacement = (dataclasses.replace(a, title="A, ny"), _item("C", 11))
    async with uow:
        changed = await uow.events.save_programme(added.id, replacement)
        change = await uow.changes.add(
            ProgrammeChange(added.id, "Helle", _at(8), "Ny plan", added.items, changed.items)
        )
        await uow.commit()
    assert change.id is not None

    async with uow:  # as traef.delays.undo_last_change does
        latest = await uow.changes.latest(added.id)
        assert latest == change
        restored = await uow.events.save_programme(added.id, latest.before)
        await uow.changes.mark_undone(change.id, _at(8, 30))
        await uow.commit()

    assert restored == added
    assert await _load(uow, added.id) == added
    assert await _positions(session_factory) == [(a.id, 0), (b.id, 1)]


async def test_an_item_restored_later_keeps_its_id_and_new_ones_still_get_fresh_ids(
    uow: SqlUnitOfWork,
) -> None:
    added = await _add(uow, Event("Træf", DAY, DAY, items=(_item("A", 9), _item("B", 10))))
    assert added.id is not None
    a, b = added.items
    async with uow:
        await uow.events.save_programme(added.id, (a,))
        await uow.changes.add(ProgrammeChange(added.id, "Helle", _at(8), "Uden B", (a, b), (a,)))
        await uow.commit()
    saved = await _save(uow, added.id, a, b, _item("C", 11))
    assert [item.id for item in saved.items[:2]] == [a.id, b.id]
    assert saved.items[2].id is not None and b.id is not None and saved.items[2].id > b.id
