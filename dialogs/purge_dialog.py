"""A facilitator deletes the event's personal data after a yes; anonymous feedback stays."""

from __future__ import annotations

from botbuilder.core import MessageFactory, TurnContext

from dialogs.confirmation_dialog import ConfirmationDialog, Memo
from dialogs.dependencies import DialogDependencies
from dialogs.i18n import Texts
from dialogs.lookups import event_or_none
from traef.purge import purge_event


class PurgeDialog(ConfirmationDialog):
    FACILITATORS_ONLY = True

    def __init__(self, dependencies: DialogDependencies) -> None:
        super().__init__(PurgeDialog.__name__, dependencies)

    async def question_text(self, context: TurnContext, texts: Texts, memo: Memo) -> str | None:
        event = await event_or_none(self._deps)
        if event is None or event.id is None:
            await context.send_activity(MessageFactory.text(texts("no_event")))
            return None
        memo["event_id"] = event.id
        return texts("purge_question", event=event.name)

    async def on_yes(self, context: TurnContext, texts: Texts, memo: Memo) -> str:
        report = await purge_event(self._deps.uow_factory(), int(memo["event_id"]))
        await self._deps.user_state.clear_state(context)
        return texts("purge_done", participants=report.participants)

    def no_text(self, texts: Texts) -> str:
        return texts("purge_kept")
