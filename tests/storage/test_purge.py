"""The purge: after it, no table holds the event's personal data; anonymous feedback stays."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import metadata
from storage.unit_of_work import SqlUnitOfWork
from traef.changes import ProgrammeChange
from traef.evaluation_forms import parse_evaluation_form
from traef.feedback import add_postit, answer_question, open_evaluation, rate, results
from traef.group_plans import Group, GroupPlan, PlanKind
from traef.outbox import Broadcast, OutboxMessage
from traef.participants import ChannelIdentity, Participant
from traef.programme import Event, ProgrammeItem
from traef.purge import purge_event

SECRET = b"purge test secret"
DAY = date(2026, 11, 22)
NINE = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
NOW = NINE + timedelta(minutes=10)
FORM_YAML = """
title: {da: Evaluering, en: Evaluation}
questions:
  - {key: remarks, type: free_text, text: {da: Andet, en: Other}}
"""
PEOPLE = 5
KEPT = PEOPLE  # the person of the other event


def person(n: int, event_id: int) -> Participant:
    return Participant(
        event_id,
        f"Ingrid Testesen {n}",
        "MSO",
        "Leder",
        email=f"ingrid{n}@example.dk",
        phone=f"+45123{n:05d}",
        calendar_token=f"calendar-token-{n}",
        identities=frozenset({ChannelIdentity("slack", f"U-ingrid-{n}")}),
    )


def personal_data(n: int) -> list[str]:
    return [f"Ingrid Testesen {n}", f"ingrid{n}@example.dk", f"+45123{n:05d}", f"U-ingrid-{n}"]


async def setup_event(uow: SqlUnitOfWork, people: int) -> tuple[int, int, list[int]]:
    async with uow:
        event = await uow.events.add(
            Event(
                "Træf",
                DAY,
                DAY,
                items=(ProgrammeItem(NINE, "Oplæg", end=NINE + timedelta(hours=1)),),
            )
        )
        assert event.id is not None and event.items[0].id is not None
        ids = []
        for n in range(people):
            added = await uow.participants.add(person(n, event.id))
            assert added.id is not None
            ids.append(added.id)
        await uow.commit()
    return event.id, event.items[0].id, ids


async def all_rows(session_factory: async_sessionmaker[AsyncSession]) -> dict[str, list[str]]:
    """Every row of every table in the database, each as one text."""
    found: dict[str, list[str]] = {}
    async with session_factory() as session:
        connection = await session.connection()
        names = await connection.run_sync(lambda c: inspect(c).get_table_names())
        assert set(names) >= {table.name for table in metadata.sorted_tables}
        for name in names:
            rows = await session.execute(text(f'SELECT * FROM "{name}"'))
            found[name] = [json.dumps(list(row), default=str, ensure_ascii=False) for row in rows]
    return found


async def _fill(uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession]) -> int:
    """An event with everything personal there is, and feedback from every participant."""
    event_id, item_id, people = await setup_event(uow, PEOPLE)
    form = await open_evaluation(uow, event_id, "2026", parse_evaluation_form(FORM_YAML), None, NOW)
    assert form.id is not None
    for participant_id in people:
        await rate(uow, SECRET, event_id, item_id, participant_id, 4, "Fint", NOW)
        await answer_question(uow, SECRET, form.id, participant_id, "remarks", "Tak", NOW)
        await add_postit(uow, SECRET, event_id, participant_id, "Mere kaffe", NOW)
    identities = [ChannelIdentity("slack", f"U-ingrid-{n}") for n in range(PEOPLE)]
    async with uow:
        other = await uow.events.add(Event("Næste træf", NINE.date(), NINE.date()))
        assert other.id is not None
        await uow.participants.add(person(KEPT, other.id))
        for n, identity in enumerate([*identities, ChannelIdentity("slack", f"U-ingrid-{KEPT}")]):
            await uow.conversations.save(
                identity,
                {"user": {"id": identity.user_id, "n": n}, "conversation": {"id": f"D-{n}"}},
            )
        await uow.changes.add(
            ProgrammeChange(event_id, "Facilitator Frida Navnesen", NOW, "forsink 10 min", (), ())
        )
        for participant_id in people:
            await uow.reminders.claim(participant_id, f"item:{item_id}", NOW)
        groups = (Group(1, tuple(people[:2])), Group(2, tuple(people[2:])))
        await uow.plans.add(GroupPlan(event_id, PlanKind.BREAKOUT, groups, NINE, item_id))
        broadcast = Broadcast(event_id, "facilitator", NOW, "alle")
        messages = [OutboxMessage(i, {"text": f"Hej {i.user_id}"}) for i in identities]
        await uow.outbox.add_broadcast(broadcast, messages)
        await uow.commit()
    async with session_factory() as session, session.begin():
        insert = "INSERT INTO bot_state VALUES (:key, :data, 'e', CURRENT_TIMESTAMP)"
        for n, identity in enumerate(identities):
            await session.execute(
                text(insert), {"key": f"slack/users/{identity.user_id}", "data": "{}"}
            )
            # A conversation's state can hold a half-filled sign-up form with the person's name.
            state = json.dumps({"form": {"name": f"Ingrid Testesen {n}"}})
            await session.execute(
                text(insert), {"key": f"slack/conversations/D-{n}", "data": state}
            )
    return event_id


async def test_the_purge_leaves_no_personal_data_in_any_table(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    event_id = await _fill(uow, session_factory)
    personal = [data for n in range(PEOPLE) for data in personal_data(n)]
    personal += [f"calendar-token-{n}" for n in range(PEOPLE)]
    personal += ["Facilitator Frida Navnesen"]
    before = await all_rows(session_factory)
    assert all(any(d in row for rows in before.values() for row in rows) for d in personal)

    report = await purge_event(uow, event_id)

    assert (report.participants, report.identities) == (PEOPLE, PEOPLE)
    after = await all_rows(session_factory)
    leaks = [
        (t, row) for t, rows in after.items() for row in rows if any(d in row for d in personal)
    ]
    assert leaks == []
    for table in ("participant_identities", "reminder_log", "group_plans", "broadcasts", "outbox"):
        assert len(after[table]) == (1 if table == "participant_identities" else 0), table
    assert len(after["participants"]) == 1 and "Ingrid Testesen 5" in after["participants"][0]
    assert len(after["conversation_references"]) == 1  # the other event's person
    assert [len(after[t]) for t in ("feedback_forms", "feedback_answers", "postits")] == [2, 10, 5]
    async with uow:
        forms = await uow.feedback.forms_of(event_id)
        postits = await uow.feedback.postits(event_id)
    assert {p.respondent for p in postits} == {None}
    for form in forms:
        assert form.id is not None
        [result] = await results(uow, form.id)
        assert (result.count, result.withheld) == (PEOPLE, False)


async def test_purging_all_conversations_forgets_everyone_s_references(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    event_id = await _fill(uow, session_factory)
    await purge_event(uow, event_id, all_conversations=True)
    after = await all_rows(session_factory)
    assert (after["conversation_references"], after["bot_state"]) == ([], [])
    assert len(after["participants"]) == 1  # other events' participants stay
    assert not [row for row in after["feedback_answers"] if "null" not in row]
