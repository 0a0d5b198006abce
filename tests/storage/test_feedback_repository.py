"""SqlFeedbackRepository: answers stored once, anonymously, also when 500 answer at once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import FeedbackAnswerRow, metadata
from storage.unit_of_work import SqlUnitOfWork
from tests.storage.personal_data import NINE, all_rows, personal_data, setup_event
from traef.evaluation_forms import parse_evaluation_form
from traef.feedback import (
    FeedbackClosedError,
    add_postit,
    answer_question,
    close_form,
    my_postits,
    open_evaluation,
    progress,
    rate,
    respondent_token,
    results,
    withdraw_postit,
)

SECRET = b"storage test secret"
NOW = NINE + timedelta(minutes=10)
FEEDBACK_TABLES = ("feedback_forms", "feedback_answers", "postits")
FORM_YAML = """
title: {da: Evaluering, en: Evaluation}
questions:
  - {key: overall, type: likert, text: {da: Dagen, en: The day}}
  - {key: remarks, type: free_text, optional: true, text: {da: Andet, en: Other}}
"""


async def test_a_rating_is_replaced_and_closing_deletes_the_tokens(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    event_id, item_id, people = await setup_event(uow, 2)
    await rate(uow, SECRET, event_id, item_id, people[0], 2, None, NOW)
    await rate(uow, SECRET, event_id, item_id, people[0], 4, "Godt", NOW)
    await rate(uow, SECRET, event_id, item_id, people[1], 3, None, NOW)
    async with uow:
        [form] = await uow.feedback.forms_of(event_id)
        assert form.id is not None
        token = respondent_token(SECRET, form.key, people[0])
        assert await uow.feedback.answers_of(form.id, token) == {
            "rating": {"score": 4, "comment": "Godt"}
        }
    await close_form(uow, form.id, NOW)
    async with uow:
        closed = await uow.feedback.get_form(form.id)
    assert closed is not None and closed.closed_at == NOW
    async with session_factory() as session:
        respondents = await session.scalars(select(FeedbackAnswerRow.respondent))
        assert list(respondents) == [None, None]
    with pytest.raises(FeedbackClosedError):
        await rate(uow, SECRET, event_id, item_id, people[0], 5, None, NOW)


async def test_results_of_fewer_than_five_answers_are_withheld(uow: SqlUnitOfWork) -> None:
    event_id, item_id, people = await setup_event(uow, 5)
    for n, participant_id in enumerate(people[:4]):
        await rate(uow, SECRET, event_id, item_id, participant_id, 1 + n, f"Kommentar {n}", NOW)
    async with uow:
        [form] = await uow.feedback.forms_of(event_id)
    assert form.id is not None
    [withheld] = await results(uow, form.id)
    assert (withheld.withheld, withheld.count, withheld.distribution, withheld.texts) == (
        True,
        4,
        (),
        (),
    )
    await rate(uow, SECRET, event_id, item_id, people[4], 5, None, NOW)
    [shown] = await results(uow, form.id)
    assert (shown.withheld, shown.count, shown.average) == (False, 5, 3.0)


async def test_an_evaluation_is_continued_half_way_and_post_its_withdrawn(
    uow: SqlUnitOfWork,
) -> None:
    event_id, _, people = await setup_event(uow, 2)
    form = await open_evaluation(uow, event_id, "2026", parse_evaluation_form(FORM_YAML), None, NOW)
    assert form.id is not None
    assert form.definition is not None and form.definition["questions"][0]["key"] == "overall"
    await answer_question(uow, SECRET, form.id, people[0], "remarks", "Tak", NOW)
    half_way = await progress(uow, SECRET, form.id, people[0])
    assert (half_way.answered, half_way.remaining) == ({"remarks": "Tak"}, ("overall",))

    mine = await add_postit(uow, SECRET, event_id, people[0], "Mere kaffe", NOW)
    await add_postit(uow, SECRET, event_id, people[1], "Bedre lyd", NOW)
    assert mine.id is not None and mine.item_id is not None
    await withdraw_postit(uow, SECRET, event_id, people[0], mine.id)
    assert await my_postits(uow, SECRET, event_id, people[0]) == []
    assert [p.text for p in await my_postits(uow, SECRET, event_id, people[1])] == ["Bedre lyd"]


async def test_no_table_links_a_participant_to_an_answer(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    event_id, item_id, people = await setup_event(uow, 3)
    form = await open_evaluation(uow, event_id, "2026", parse_evaluation_form(FORM_YAML), None, NOW)
    assert form.id is not None
    for participant_id in people:
        await rate(uow, SECRET, event_id, item_id, participant_id, 4, "Fint", NOW)
        await answer_question(uow, SECRET, form.id, participant_id, "overall", 5, NOW)
        await add_postit(uow, SECRET, event_id, participant_id, "Mere kaffe", NOW)
    feedback_columns = {c.name for t in FEEDBACK_TABLES for c in metadata.tables[t].columns}
    assert not {"participant_id", "user_id", "email", "name", "phone"} & feedback_columns
    assert not [
        fk
        for t in FEEDBACK_TABLES
        for fk in metadata.tables[t].foreign_keys
        if fk.column.table.name != "events" and fk.column.table.name not in FEEDBACK_TABLES
    ]

    rows = await all_rows(session_factory)
    tokens = {
        respondent_token(SECRET, key, p)
        for p in people
        for key in (f"rating:{item_id}", "evaluation:2026", f"postits:{event_id}")
    }
    for table, texts in rows.items():
        for row in texts:
            holds_token = any(token in row for token in tokens)
            assert holds_token == (table in ("feedback_answers", "postits")), (table, row)
            if holds_token:
                found = [d for n in range(3) for d in personal_data(n) if d in row]
                assert found == [], (table, row)
    unkeyed = {respondent_token(b"", f"rating:{item_id}", p) for p in people}
    assert not any(token in row for token in unkeyed for row in rows["feedback_answers"])


async def test_500_participants_answering_at_once_are_each_stored_once(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    event_id, item_id, people = await setup_event(uow, 500)

    async def answer(participant_id: int, score: int) -> None:
        await rate(
            SqlUnitOfWork(session_factory),
            SECRET,
            event_id,
            item_id,
            participant_id,
            score,
            None,
            NOW,
        )

    again = [answer(p, 1) for p in people[:50]]  # changing their rating while the rest answer
    await asyncio.gather(*(answer(p, 5) for p in people), *again)

    async with uow:
        [form] = await uow.feedback.forms_of(event_id)
    async with session_factory() as session:
        rows = (await session.execute(select(FeedbackAnswerRow.respondent))).all()
    expected = {respondent_token(SECRET, form.key, p) for p in people}
    assert len(rows) == 500
    assert {respondent for (respondent,) in rows} == expected
    assert form.id is not None
    [result] = await results(uow, form.id)
    assert result.count == 500
