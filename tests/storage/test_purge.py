"""The purge: after it, no table holds the event's personal data; anonymous feedback stays."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.unit_of_work import SqlUnitOfWork
from tests.storage.personal_data import NINE, all_rows, person, personal_data, setup_event
from traef.changes import ProgrammeChange
from traef.evaluation_forms import parse_evaluation_form
from traef.feedback import add_postit, answer_question, open_evaluation, rate, results
from traef.group_plans import Group, GroupPlan, PlanKind
from traef.outbox import Broadcast, OutboxMessage
from traef.participants import ChannelIdentity
from traef.programme import Event
from traef.purge import purge_event

SECRET = b"purge test secret"
NOW = NINE + timedelta(minutes=10)
FORM_YAML = """
title: {da: Evaluering, en: Evaluation}
questions:
  - {key: remarks, type: free_text, text: {da: Andet, en: Other}}
"""
PEOPLE = 5
KEPT = PEOPLE  # the person of the other event


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
