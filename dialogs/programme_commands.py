"""One-turn programme answers: questions about the day, the preparation, reminders, undo."""

from __future__ import annotations

import re

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Activity

from dialogs.cards import card_activity
from dialogs.dependencies import DialogDependencies
from dialogs.i18n import Texts
from dialogs.identity import identity_of
from dialogs.intents import without_mentions
from dialogs.lookups import event_or_none, personal_event
from dialogs.programme_change_dialog import announcement
from dialogs.programme_questions import answer
from dialogs.programme_view import calendar_card
from traef.calendar import calendar_link_token
from traef.change_requests import parse_question
from traef.delays import ChangeNotPossibleError, undo_last_change
from traef.errors import NotSignedUpError, TraefError
from traef.registration import set_reminders
from traef.services import set_preparation

_SET_PREPARATION = re.compile(
    r"^\s*(?:sæt optakt|optakt:|set preparation|preparation:)\s*:?\s*", re.IGNORECASE
)
_REMINDER_DAYS = re.compile(r"(\d+)\s*(?:dage?|days?)", re.IGNORECASE)


class ProgrammeCommands:
    def __init__(self, dependencies: DialogDependencies) -> None:
        self._deps = dependencies

    async def question(self, context: TurnContext, texts: Texts) -> Activity:
        event = await personal_event(self._deps, context)
        question = parse_question(without_mentions(context.activity.text or ""))
        if event is None or question is None:
            return MessageFactory.text(texts("no_programme"))
        return MessageFactory.text(answer(event, question, self._deps.now(), texts))

    async def preparation(self, context: TurnContext, texts: Texts) -> Activity:
        event = await event_or_none(self._deps)
        if event is None:
            return MessageFactory.text(texts("no_event"))
        if not event.preparation:
            return MessageFactory.text(texts("preparation_none", event=event.name))
        title = texts("preparation_title", event=event.name)
        return MessageFactory.text(f"{title}\n\n{event.preparation}")

    async def set_preparation(self, context: TurnContext, texts: Texts) -> Activity:
        if not await self._deps.is_facilitator(context):
            return MessageFactory.text(texts("facilitator_only"))
        event = await event_or_none(self._deps)
        if event is None:
            return MessageFactory.text(texts("no_event"))
        said = without_mentions(context.activity.text or "")
        days = _REMINDER_DAYS.search(said)
        try:
            if _SET_PREPARATION.match(said):
                text = _SET_PREPARATION.sub("", said, count=1)
                await set_preparation(self._deps.uow_factory(), event, text=text)
                return MessageFactory.text(texts("preparation_set"))
            assert days is not None
            await set_preparation(self._deps.uow_factory(), event, reminder_days=int(days[1]))
        except TraefError as error:
            return MessageFactory.text(texts("invalid_detail", reason=error))
        return MessageFactory.text(texts("preparation_reminder_set", days=int(days[1])))

    async def reminders(self, context: TurnContext, texts: Texts, on: bool) -> Activity:
        event = await event_or_none(self._deps)
        if event is None or event.id is None:
            return MessageFactory.text(texts("no_event"))
        try:
            await set_reminders(self._deps.uow_factory(), event.id, identity_of(context), on)
        except NotSignedUpError:
            return MessageFactory.text(texts("not_signed_up", event=event.name))
        return MessageFactory.text(texts("reminders_on" if on else "reminders_off"))

    async def calendar(self, context: TurnContext, texts: Texts) -> Activity:
        event = await event_or_none(self._deps)
        if event is None or event.id is None:
            return MessageFactory.text(texts("no_event"))
        token = await calendar_link_token(self._deps.uow_factory(), event.id, identity_of(context))
        if token is None:
            return MessageFactory.text(texts("not_signed_up", event=event.name))
        url = self._deps.calendar_url(token)
        return card_activity(calendar_card(url, texts))

    async def undo(self, context: TurnContext, texts: Texts) -> Activity:
        if not await self._deps.is_facilitator(context):
            return MessageFactory.text(texts("facilitator_only"))
        event = await event_or_none(self._deps)
        if event is None:
            return MessageFactory.text(texts("no_event"))
        try:
            change = await undo_last_change(self._deps.uow_factory(), event, self._deps.now())
        except ChangeNotPossibleError:
            return MessageFactory.text(texts("change_nothing_to_undo"))
        after_by_id = {item.id: item for item in change.after}
        back = tuple(
            (after_by_id[before.id], before)
            for before in change.before
            if before.id in after_by_id and after_by_id[before.id] != before
        )
        count = await self._deps.announcer.announce(
            lambda reader: announcement(event, back, reader, "change_undo_announcement")
        )
        return MessageFactory.text(texts("change_undone", summary=change.summary, count=count))
