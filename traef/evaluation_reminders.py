"""Which evaluation is current, and the one reminder to those who have not finished it.

The facilitator only ever learns how many were reminded. That the reminder went out is
recorded for every participant of the event alike, so the record says nothing about who
had finished.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from traef.broadcasts import Audience, AudienceKind, Recipient, queue_broadcast, recipients
from traef.errors import TraefError
from traef.feedback import FeedbackClosedError, FeedbackForm, FormKind, respondent_token
from traef.ports import UnitOfWork
from traef.programme import Event


class NoEvaluationError(TraefError):
    """No evaluation has been opened for the event."""


class AlreadyRemindedError(TraefError):
    """The reminder for this evaluation has been sent already."""


async def latest_evaluation(uow: UnitOfWork, event_id: int) -> FeedbackForm:
    """The newest evaluation of the event, open or closed; raises NoEvaluationError."""
    async with uow:
        forms = await uow.feedback.forms_of(event_id)
    evaluations = [f for f in forms if f.kind is FormKind.EVALUATION]
    if not evaluations:
        raise NoEvaluationError(f"Event {event_id} has no evaluation.")
    return max(evaluations, key=lambda f: f.id or 0)


async def open_evaluation_of(uow: UnitOfWork, event_id: int, now: datetime) -> FeedbackForm:
    """The evaluation people can answer now; raises NoEvaluationError or FeedbackClosedError."""
    form = await latest_evaluation(uow, event_id)
    if not form.is_open(now):
        raise FeedbackClosedError(f"Form {form.key} is closed.")
    return form


async def unfinished(
    uow: UnitOfWork, secret: bytes, event: Event, form: FeedbackForm
) -> list[Recipient]:
    """Everyone the bot can reach who is signed up and has not answered every question."""
    assert event.id is not None and form.id is not None
    questions = {q.key for q in form.evaluation().questions}
    reachable = await recipients(uow, event, Audience(AudienceKind.EVERYONE))
    left: list[Recipient] = []
    async with uow:
        for recipient in reachable:
            person = recipient.participant
            if person is None or person.id is None or not person.is_active:
                continue
            token = respondent_token(secret, form.key, person.id)
            if not questions <= set(await uow.feedback.answers_of(form.id, token)):
                left.append(recipient)
    return left


async def remind_unfinished(
    uow: UnitOfWork,
    secret: bytes,
    event: Event,
    body_for: Callable[[Recipient], dict[str, Any]],
    *,
    created_by: str,
    now: datetime,
) -> int:
    """Queue the one reminder of the open evaluation; returns how many it goes to.

    Raises NoEvaluationError, FeedbackClosedError, AlreadyRemindedError, or
    NobodyToReachError when everyone has finished.
    """
    assert event.id is not None
    form = await open_evaluation_of(uow, event.id, now)
    chosen = await unfinished(uow, secret, event, form)
    if chosen:
        await _claim_reminder(uow, event.id, form, now)
    await queue_broadcast(
        uow, event, chosen, body_for, created_by=created_by, audience="evaluering", now=now
    )
    return len(chosen)


async def _claim_reminder(
    uow: UnitOfWork, event_id: int, form: FeedbackForm, now: datetime
) -> None:
    key = f"evaluation-reminder:{form.id}"
    async with uow:
        people = [p for p in await uow.participants.for_event(event_id) if p.id is not None]
        claimed = [await uow.reminders.claim(p.id or 0, key, now) for p in people]
        if not all(claimed):
            raise AlreadyRemindedError(form.key)
        await uow.commit()
