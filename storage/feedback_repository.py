"""Feedback over a SQLAlchemy session; implements `traef.ports.FeedbackRepository`.

Forms and answers are written with INSERT … ON CONFLICT against their unique keys, so that
units of work answering at once each store their answer exactly once on both databases.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Select, delete, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect_insert import insert_on_conflict
from storage.models import (
    BotStateRow,
    BroadcastRow,
    ConversationReferenceRow,
    FeedbackAnswerRow,
    FeedbackFormRow,
    GroupPlanRow,
    PostItRow,
    ProgrammeChangeRow,
)
from traef.feedback import Answer, FeedbackForm, FormKind, PostIt
from traef.participants import ChannelIdentity

Form, AnswerRow = FeedbackFormRow, FeedbackAnswerRow


class SqlFeedbackRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def ensure_form(self, form: FeedbackForm) -> FeedbackForm:
        insert = (
            insert_on_conflict(self._session, Form)
            .values(
                event_id=form.event_id,
                key=form.key,
                kind=form.kind.value,
                definition=form.definition,
                opened_at=form.opened_at,
                closes_at=form.closes_at,
                closed_at=form.closed_at,
            )
            .on_conflict_do_nothing(index_elements=[Form.event_id, Form.key])
        )
        await self._session.execute(insert)
        [stored] = await self._forms(Form.event_id == form.event_id, Form.key == form.key)
        return stored

    async def get_form(self, form_id: int) -> FeedbackForm | None:
        found = await self._forms(Form.id == form_id)
        return found[0] if found else None

    async def forms_of(self, event_id: int) -> list[FeedbackForm]:
        return await self._forms(Form.event_id == event_id)

    async def close_form(self, form_id: int, at: datetime) -> None:
        await self._session.execute(
            update(Form).where(Form.id == form_id, Form.closed_at.is_(None)).values(closed_at=at),
            execution_options={"synchronize_session": False},
        )
        await self._session.execute(
            update(AnswerRow).where(AnswerRow.form_id == form_id).values(respondent=None),
            execution_options={"synchronize_session": False},
        )

    async def save_answer(self, answer: Answer) -> None:
        if answer.respondent is None:
            raise ValueError("An answer is saved with its respondent token.")
        insert = insert_on_conflict(self._session, AnswerRow).values(
            form_id=answer.form_id,
            respondent=answer.respondent,
            question=answer.question,
            value=answer.value,
        )
        upsert = insert.on_conflict_do_update(
            index_elements=[AnswerRow.form_id, AnswerRow.respondent, AnswerRow.question],
            set_={"value": insert.excluded.value},
        )
        await self._session.execute(upsert)

    async def answers_of(self, form_id: int, respondent: str) -> dict[str, Any]:
        query = select(AnswerRow.question, AnswerRow.value).where(
            AnswerRow.form_id == form_id, AnswerRow.respondent == respondent
        )
        return {question: value for question, value in await self._session.execute(query)}

    async def values(self, form_id: int) -> list[tuple[str, Any]]:
        query = select(AnswerRow.question, AnswerRow.value).where(AnswerRow.form_id == form_id)
        return [(question, value) for question, value in await self._session.execute(query)]

    async def add_postit(self, postit: PostIt) -> PostIt:
        row = PostItRow(
            event_id=postit.event_id,
            item_id=postit.item_id,
            group_number=postit.group_number,
            text=postit.text,
            respondent=postit.respondent,
            created_at=postit.created_at,
        )
        self._session.add(row)
        await self._session.flush()
        return _postit(row)

    async def postits_of(self, event_id: int, respondent: str) -> list[PostIt]:
        query = select(PostItRow).where(
            PostItRow.event_id == event_id, PostItRow.respondent == respondent
        )
        return [_postit(row) for row in await self._session.scalars(query.order_by(PostItRow.id))]

    async def postits(self, event_id: int) -> list[PostIt]:
        query = select(PostItRow).where(PostItRow.event_id == event_id).order_by(PostItRow.id)
        return [_postit(row) for row in await self._session.scalars(query)]

    async def delete_postit(self, postit_id: int, respondent: str) -> bool:
        statement = delete(PostItRow).where(
            PostItRow.id == postit_id, PostItRow.respondent == respondent
        )
        options = {"synchronize_session": False}
        result = await self._session.execute(statement, execution_options=options)
        return cast(CursorResult[Any], result).rowcount == 1

    async def erase_personal_data(
        self, event_id: int, identities: set[ChannelIdentity], all_conversations: bool
    ) -> None:
        forms = select(Form.id).where(Form.event_id == event_id).scalar_subquery()
        statements = [
            delete(GroupPlanRow).where(GroupPlanRow.event_id == event_id),
            delete(BroadcastRow).where(BroadcastRow.event_id == event_id),
            update(AnswerRow).where(AnswerRow.form_id.in_(forms)).values(respondent=None),
            update(PostItRow).where(PostItRow.event_id == event_id).values(respondent=None),
            # Who made a programme change is a facilitator's name: the change itself stays.
            update(ProgrammeChangeRow)
            .where(ProgrammeChangeRow.event_id == event_id)
            .values(made_by=""),
        ]
        if all_conversations:
            statements += [delete(ConversationReferenceRow), delete(BotStateRow)]
        elif identities:
            pairs = [(i.channel, i.user_id) for i in sorted(identities)]
            accounts = tuple_(ConversationReferenceRow.channel, ConversationReferenceRow.user_id)
            user_state = [f"{i.channel}/users/{i.user_id}" for i in sorted(identities)]
            user_state += await self._conversation_state_keys(pairs)
            statements += [
                delete(ConversationReferenceRow).where(accounts.in_(pairs)),
                delete(BotStateRow).where(BotStateRow.key.in_(user_state)),
            ]
        for statement in statements:
            await self._session.execute(statement, execution_options={"synchronize_session": False})

    async def _conversation_state_keys(self, accounts: list[tuple[str, str]]) -> list[str]:
        """The conversation state (a half-filled form, say) of these people's conversations."""
        rows = await self._session.execute(
            select(ConversationReferenceRow.channel, ConversationReferenceRow.reference).where(
                tuple_(ConversationReferenceRow.channel, ConversationReferenceRow.user_id).in_(
                    accounts
                )
            )
        )
        keys = []
        for channel, reference in rows:
            conversation = (reference or {}).get("conversation") or {}
            if conversation.get("id"):
                keys.append(f"{channel}/conversations/{conversation['id']}")
        return keys

    async def _forms(self, *where: Any) -> list[FeedbackForm]:
        """Read afresh: closing updates rows behind the session's back."""
        query: Select[Any] = select(Form).where(*where).order_by(Form.id)
        rows = await self._session.scalars(query, execution_options={"populate_existing": True})
        return [_form(row) for row in rows]


def _form(row: FeedbackFormRow) -> FeedbackForm:
    return FeedbackForm(
        event_id=row.event_id,
        key=row.key,
        kind=FormKind(row.kind),
        opened_at=row.opened_at,
        closes_at=row.closes_at,
        closed_at=row.closed_at,
        definition=row.definition,
        id=row.id,
    )


def _postit(row: PostItRow) -> PostIt:
    return PostIt(
        event_id=row.event_id,
        text=row.text,
        created_at=row.created_at,
        item_id=row.item_id,
        group_number=row.group_number,
        respondent=row.respondent,
        id=row.id,
    )
