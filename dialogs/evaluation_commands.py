"""Following the evaluation: `påmind om evaluering` (once) and `luk evaluering`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Activity

from dialogs.dependencies import DialogDependencies
from dialogs.evaluation_dialog import in_language
from dialogs.i18n import Catalogue, Texts
from dialogs.lookups import event_or_none
from traef.broadcasts import NobodyToReachError, Recipient
from traef.evaluation_reminders import (
    AlreadyRemindedError,
    NoEvaluationError,
    open_evaluation_of,
    remind_unfinished,
)
from traef.feedback import FeedbackClosedError, FeedbackForm, close_form
from traef.programme import Event


class EvaluationCommands:
    def __init__(self, dependencies: DialogDependencies) -> None:
        self._deps = dependencies

    async def remind(self, context: TurnContext, texts: Texts) -> Activity:
        found = await self._open(context, texts)
        if isinstance(found, Activity):
            return found
        event, form = found
        sender = context.activity.from_property
        try:
            count = await remind_unfinished(
                self._deps.uow_factory(),
                self._deps.feedback_secret,
                event,
                _reminder(form),
                created_by=sender.name or sender.id,
                now=self._deps.now(),
            )
        except AlreadyRemindedError:
            return MessageFactory.text(texts("evaluation_already_reminded"))
        except NobodyToReachError:
            return MessageFactory.text(texts("evaluation_all_finished"))
        self._deps.outbox_wake()
        return MessageFactory.text(texts("evaluation_reminded", count=count))

    async def close(self, context: TurnContext, texts: Texts) -> Activity:
        found = await self._open(context, texts)
        if isinstance(found, Activity):
            return found
        _, form = found
        await close_form(self._deps.uow_factory(), form.id or 0, self._deps.now())
        return MessageFactory.text(texts("evaluation_closed_now"))

    async def _open(
        self, context: TurnContext, texts: Texts
    ) -> tuple[Event, FeedbackForm] | Activity:
        if not await self._deps.is_facilitator(context):
            return MessageFactory.text(texts("facilitator_only"))
        event = await event_or_none(self._deps)
        if event is None or event.id is None:
            return MessageFactory.text(texts("no_event"))
        try:
            form = await open_evaluation_of(self._deps.uow_factory(), event.id, self._deps.now())
        except (NoEvaluationError, FeedbackClosedError):
            return MessageFactory.text(texts("evaluation_none_open"))
        return event, form


def _reminder(form: FeedbackForm) -> Callable[[Recipient], dict[str, Any]]:
    title = form.evaluation().title

    def body_for(recipient: Recipient) -> dict[str, Any]:
        person = recipient.participant
        texts = Catalogue.default().texts("en" if person and person.language == "en" else "da")
        return {"text": texts("evaluation_reminder", title=in_language(title, texts))}

    return body_for
