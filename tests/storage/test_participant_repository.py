"""SqlParticipantRepository: participants with their channel identities, unique per event."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import EventRow, ParticipantIdentityRow, ParticipantRow
from storage.participant_repository import DuplicateParticipantError
from storage.unit_of_work import SqlUnitOfWork
from traef.participants import (
    ChannelIdentity,
    Participant,
    ParticipantType,
    Status,
    name_sort_key,
)
from traef.programme import Event

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
TEAMS = ChannelIdentity("msteams", "29:1a2B3c-4D5e6F-7g8H9i")
SLACK = ChannelIdentity("slack", "U0123ABCD")
LOCAL = ChannelIdentity("local", "web-1")


@pytest.fixture
async def event_id(uow: SqlUnitOfWork) -> int:
    return await _add_event(uow, "Ledertræf 2026")


@pytest.fixture
async def other_event_id(uow: SqlUnitOfWork) -> int:
    return await _add_event(uow, "Ledertræf 2027")


async def test_every_field_round_trips(uow: SqlUnitOfWork, event_id: int) -> None:
    participant = Participant(
        event_id=event_id,
        name="Søren Ærø Ågård",
        email="soeren@aarhus.dk",
        department="MBU",
        area="Dagtilbud Vest",
        level="Ledertrainee",
        participant_type=ParticipantType.TRAINEE,
        phone="+4512345678",
        phone_consent=True,
        language="en",
        status=Status.CHECKED_IN,
        checked_in_at=datetime(2026, 11, 22, 9, 15, tzinfo=COPENHAGEN),
        reminders=True,
        groups=frozenset({"Gruppe 3", "Sparringsgruppe Øst"}),
        calendar_token="Zk3_-" + "x" * 59,
        identities=frozenset({TEAMS, SLACK}),
    )
    added = await _add(uow, participant)
    assert added.id is not None
    async with uow:
        loaded = await uow.participants.get(added.id)

    assert loaded == added == dataclasses.replace(participant, id=added.id)
    assert loaded is not None and loaded.checked_in_at is not None
    assert loaded.checked_in_at.tzinfo is UTC
    assert loaded.checked_in_at == datetime(2026, 11, 22, 8, 15, tzinfo=UTC)


async def test_a_participant_with_only_the_required_fields_round_trips(
    uow: SqlUnitOfWork, event_id: int
) -> None:
    participant = Participant(event_id=event_id, name="Bo", department="MSO", level="Leder")
    added = await _add(uow, participant)
    assert added.id is not None
    async with uow:
        loaded = await uow.participants.get(added.id)
    assert loaded == dataclasses.replace(participant, id=added.id)


async def test_an_unknown_participant_is_none(uow: SqlUnitOfWork) -> None:
    async with uow:
        assert await uow.participants.get(12345) is None


async def test_e_mail_addresses_are_stored_lower_case(uow: SqlUnitOfWork, event_id: int) -> None:
    added = await _add(uow, _participant(event_id, "Mette", email="Mette.Holm@Aarhus.DK"))
    assert added.email == "mette.holm@aarhus.dk"
    async with uow:
        found = await uow.participants.by_email(event_id, "mette.holm@aarhus.dk")
    assert found == added


async def test_by_identity_finds_the_participant_from_every_channel(
    uow: SqlUnitOfWork, event_id: int, other_event_id: int
) -> None:
    added = await _add(uow, _participant(event_id, "Søren", identities={TEAMS, SLACK}))
    await _add(uow, _participant(event_id, "Anna", identities={LOCAL}))
    async with uow:
        assert await uow.participants.by_identity(event_id, TEAMS) == added
        assert await uow.participants.by_identity(event_id, SLACK) == added
        assert await uow.participants.by_identity(event_id, ChannelIdentity("slack", "U9")) is None
        assert await uow.participants.by_identity(other_event_id, TEAMS) is None


async def test_by_email_finds_the_participant_of_the_event(
    uow: SqlUnitOfWork, event_id: int, other_event_id: int
) -> None:
    added = await _add(uow, _participant(event_id, "Søren", email="soeren@aarhus.dk"))
    async with uow:
        assert await uow.participants.by_email(event_id, "soeren@aarhus.dk") == added
        assert await uow.participants.by_email(event_id, "anna@aarhus.dk") is None
        assert await uow.participants.by_email(other_event_id, "soeren@aarhus.dk") is None


async def test_update_overwrites_every_field_and_replaces_the_identities(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession], event_id: int
) -> None:
    added = await _add(uow, _participant(event_id, "Søren", identities={TEAMS, SLACK}))
    changed = dataclasses.replace(
        added,
        name="Søren Ågård",
        email="soeren@aarhus.dk",
        department="MSB",
        area="Hjemmeplejen",
        level="Chef",
        participant_type=ParticipantType.REPRESENTATIVE,
        phone="+46701234567",
        phone_consent=True,
        language="en",
        status=Status.CHECKED_IN,
        checked_in_at=datetime(2026, 11, 22, 8, 5, tzinfo=UTC),
        reminders=True,
        groups=frozenset({"Gruppe 1", "Gruppe 2"}),
        calendar_token="t0ken",
        identities=frozenset({SLACK, LOCAL}),
    )
    async with uow:
        updated = await uow.participants.update(changed)
        await uow.commit()
    assert updated == changed
    async with uow:
        assert added.id is not None
        assert await uow.participants.get(added.id) == changed
        assert await uow.participants.by_identity(event_id, TEAMS) is None
        assert await uow.participants.by_identity(event_id, LOCAL) == changed
    assert await _count(session_factory, ParticipantIdentityRow) == 2


async def test_update_can_clear_the_optional_fields(uow: SqlUnitOfWork, event_id: int) -> None:
    added = await _add(
        uow,
        dataclasses.replace(
            _participant(event_id, "Søren", email="soeren@aarhus.dk", identities={TEAMS}),
            phone="+4512345678",
            phone_consent=True,
            checked_in_at=datetime(2026, 11, 22, 8, 5, tzinfo=UTC),
            reminders=True,
            groups=frozenset({"Gruppe 3"}),
            calendar_token="t0ken",
        ),
    )
    cleared = dataclasses.replace(
        added,
        email=None,
        phone=None,
        phone_consent=False,
        checked_in_at=None,
        reminders=False,
        groups=frozenset(),
        calendar_token=None,
        identities=frozenset(),
    )
    async with uow:
        await uow.participants.update(cleared)
        await uow.commit()
    async with uow:
        assert added.id is not None
        assert await uow.participants.get(added.id) == cleared


async def test_an_identity_can_move_to_another_participant_in_one_unit_of_work(
    uow: SqlUnitOfWork, event_id: int
) -> None:
    first = await _add(uow, _participant(event_id, "Anna", identities={TEAMS}))
    second = await _add(uow, _participant(event_id, "Bo", identities={SLACK}))
    async with uow:
        await uow.participants.update(dataclasses.replace(first, identities=frozenset()))
        await uow.participants.update(second.with_identity(TEAMS))
        await uow.commit()
    async with uow:
        found = await uow.participants.by_identity(event_id, TEAMS)
    assert found is not None and found.id == second.id


async def test_updating_a_participant_that_is_not_stored_raises(
    uow: SqlUnitOfWork, event_id: int
) -> None:
    never_added = _participant(event_id, "Bo")
    async with uow:
        with pytest.raises(ValueError, match="id"):
            await uow.participants.update(never_added)
        with pytest.raises(LookupError, match="12345"):
            await uow.participants.update(dataclasses.replace(never_added, id=12345))


async def test_delete_removes_the_participant_and_their_identities(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession], event_id: int
) -> None:
    doomed = await _add(uow, _participant(event_id, "Søren", identities={TEAMS, SLACK}))
    kept = await _add(uow, _participant(event_id, "Anna", identities={LOCAL}))
    assert doomed.id is not None
    async with uow:
        await uow.participants.delete(doomed.id)
        await uow.participants.delete(12345)
        await uow.commit()
    async with uow:
        assert await uow.participants.get(doomed.id) is None
        assert await uow.participants.by_identity(event_id, TEAMS) is None
        assert await uow.participants.for_event(event_id) == [kept]
    assert await _count(session_factory, ParticipantIdentityRow) == 1


async def test_deleting_an_event_deletes_its_participants(
    uow: SqlUnitOfWork,
    session_factory: async_sessionmaker[AsyncSession],
    event_id: int,
    other_event_id: int,
) -> None:
    await _add(uow, _participant(event_id, "Søren", identities={TEAMS}))
    await _add(uow, _participant(other_event_id, "Søren", identities={TEAMS}))
    async with session_factory() as session, session.begin():
        await session.execute(delete(EventRow).where(EventRow.id == event_id))
    assert await _count(session_factory, ParticipantRow) == 1
    assert await _count(session_factory, ParticipantIdentityRow) == 1


async def test_for_event_orders_by_name_ignoring_case_then_by_id(
    uow: SqlUnitOfWork, event_id: int, other_event_id: int
) -> None:
    names = ["bo", "Åse", "anna", "Ærø", "Anna", "Carl"]
    added = [await _add(uow, _participant(event_id, name)) for name in names]
    cancelled = await _add(
        uow, dataclasses.replace(_participant(event_id, "Dorte"), status=Status.CANCELLED)
    )
    await _add(uow, _participant(other_event_id, "Alfred"))
    async with uow:
        listed = await uow.participants.for_event(event_id)

    # Danish alphabetical order: … z, æ, ø, å.
    assert [p.name for p in listed] == ["anna", "Anna", "bo", "Carl", "Dorte", "Ærø", "Åse"]
    assert listed == sorted([*added, cancelled], key=name_sort_key)


async def test_for_an_event_without_participants_the_list_is_empty(
    uow: SqlUnitOfWork, event_id: int
) -> None:
    async with uow:
        assert await uow.participants.for_event(event_id) == []


async def test_two_events_may_share_an_e_mail_address_and_an_identity(
    uow: SqlUnitOfWork, event_id: int, other_event_id: int
) -> None:
    first = _participant(event_id, "Søren", email="soeren@aarhus.dk", identities={TEAMS})
    in_2026 = await _add(uow, first)
    in_2027 = await _add(uow, dataclasses.replace(first, event_id=other_event_id))
    async with uow:
        assert await uow.participants.by_identity(event_id, TEAMS) == in_2026
        assert await uow.participants.by_identity(other_event_id, TEAMS) == in_2027
        assert await uow.participants.by_email(other_event_id, "soeren@aarhus.dk") == in_2027


async def test_many_participants_of_an_event_may_have_no_e_mail_address(
    uow: SqlUnitOfWork, event_id: int
) -> None:
    for name in ("Anna", "Bo", "Carl"):
        await _add(uow, _participant(event_id, name, email=None))
    async with uow:
        assert len(await uow.participants.for_event(event_id)) == 3


async def test_an_e_mail_address_is_refused_twice_in_one_event(
    uow: SqlUnitOfWork, event_id: int
) -> None:
    first = await _add(uow, _participant(event_id, "Søren", email="soeren@aarhus.dk"))
    with pytest.raises(DuplicateParticipantError) as raised:
        async with uow:
            await uow.participants.add(_participant(event_id, "Anna", email="Soeren@Aarhus.dk"))
    assert (raised.value.event_id, raised.value.taken) == (event_id, "e-mail")
    async with uow:
        assert await uow.participants.for_event(event_id) == [first]


async def test_an_identity_is_refused_for_a_second_participant_of_the_event(
    uow: SqlUnitOfWork, event_id: int
) -> None:
    first = await _add(uow, _participant(event_id, "Søren", identities={TEAMS, SLACK}))
    with pytest.raises(DuplicateParticipantError, match="channel identity") as raised:
        async with uow:
            await uow.participants.add(_participant(event_id, "Anna", identities={SLACK}))
    assert raised.value.taken == "channel identity"
    async with uow:
        assert await uow.participants.for_event(event_id) == [first]


async def test_an_update_that_takes_another_participants_e_mail_is_refused(
    uow: SqlUnitOfWork, event_id: int
) -> None:
    await _add(uow, _participant(event_id, "Søren", email="soeren@aarhus.dk"))
    anna = await _add(uow, _participant(event_id, "Anna", email="anna@aarhus.dk"))
    with pytest.raises(DuplicateParticipantError, match="e-mail"):
        async with uow:
            await uow.participants.update(dataclasses.replace(anna, email="soeren@aarhus.dk"))
    async with uow:
        assert await uow.participants.by_email(event_id, "anna@aarhus.dk") == anna


async def test_a_calendar_token_is_refused_for_a_second_participant_of_any_event(
    uow: SqlUnitOfWork, event_id: int, other_event_id: int
) -> None:
    first = await _add(
        uow, dataclasses.replace(_participant(event_id, "Søren"), calendar_token="t")
    )
    for event in (event_id, other_event_id):
        with pytest.raises(DuplicateParticipantError, match="calendar token") as raised:
            async with uow:
                await uow.participants.add(
                    dataclasses.replace(_participant(event, "Anna"), calendar_token="t")
                )
        assert (raised.value.event_id, raised.value.taken) == (event, "calendar token")
    anna = await _add(uow, _participant(other_event_id, "Anna"))
    with pytest.raises(DuplicateParticipantError, match="calendar token"):
        async with uow:
            await uow.participants.update(dataclasses.replace(anna, calendar_token="t"))
    async with uow:
        assert await uow.participants.for_event(event_id) == [first]
        assert await uow.participants.for_event(other_event_id) == [anna]


async def test_many_participants_may_have_no_calendar_token_yet(
    uow: SqlUnitOfWork, event_id: int
) -> None:
    for name in ("Anna", "Bo", "Carl"):
        await _add(uow, _participant(event_id, name))
    async with uow:
        listed = await uow.participants.for_event(event_id)
    assert [p.calendar_token for p in listed] == [None, None, None]


async def test_groups_compare_as_sets_whatever_order_they_came_in(
    uow: SqlUnitOfWork, event_id: int
) -> None:
    groups = frozenset({"Gruppe 10", "gruppe 2", "Gruppe 2", "Å-holdet"})
    added = await _add(uow, dataclasses.replace(_participant(event_id, "Bo"), groups=groups))
    async with uow:
        assert added.id is not None
        loaded = await uow.participants.get(added.id)
    assert loaded is not None and loaded.groups == groups


async def test_a_participant_of_an_unknown_event_is_refused_but_no_duplicate(
    uow: SqlUnitOfWork,
) -> None:
    with pytest.raises(IntegrityError):
        async with uow:
            await uow.participants.add(_participant(12345, "Søren"))


def _participant(
    event_id: int,
    name: str,
    *,
    email: str | None = None,
    identities: set[ChannelIdentity] | None = None,
) -> Participant:
    return Participant(
        event_id=event_id,
        name=name,
        department="MSO",
        level="Leder",
        email=email,
        identities=frozenset(identities or ()),
    )


async def _add_event(uow: SqlUnitOfWork, name: str) -> int:
    day = date(2026, 11, 22)
    async with uow:
        event = await uow.events.add(Event(name, day, day))
        await uow.commit()
    assert event.id is not None
    return event.id


async def _add(uow: SqlUnitOfWork, participant: Participant) -> Participant:
    async with uow:
        added = await uow.participants.add(participant)
        await uow.commit()
    return added


async def _count(
    session_factory: async_sessionmaker[AsyncSession],
    table: type[ParticipantRow] | type[ParticipantIdentityRow],
) -> int:
    async with session_factory() as session:
        return await session.scalar(select(func.count()).select_from(table)) or 0
