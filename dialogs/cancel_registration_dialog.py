"""`afmeld`: cancel one's own registration after a yes."""

from __future__ import annotations

from botbuilder.core import MessageFactory, TurnContext

from dialogs.confirmation_dialog import ConfirmationDialog
from dialogs.dependencies import DialogDependencies
from dialogs.i18n import Texts
from dialogs.identity import identity_of
from traef.errors import NoEventError, NotSignedUpError
from traef.registration import cancel_registration, registration_of
from traef.services import current_event


class CancelRegistrationDialog(ConfirmationDialog):
    def __init__(self, dependencies: DialogDependencies) -> None:
        super().__init__(CancelRegistrationDialog.__name__, dependencies)

    async def question_text(self, context: TurnContext, texts: Texts) -> str | None:
        try:
            event = await current_event(self._deps.uow_factory(), self._deps.today())
        except NoEventError:
            await context.send_activity(MessageFactory.text(texts("no_event")))
            return None
        assert event.id is not None
        participant = await registration_of(
            self._deps.uow_factory(), event.id, identity_of(context)
        )
        if participant is None or not participant.is_active:
            await context.send_activity(
                MessageFactory.text(texts("not_signed_up", event=event.name))
            )
            return None
        return texts("cancel_question", event=event.name)

    async def on_yes(self, context: TurnContext, texts: Texts) -> str:
        event = await current_event(self._deps.uow_factory(), self._deps.today())
        assert event.id is not None
        try:
            await cancel_registration(self._deps.uow_factory(), event.id, identity_of(context))
        except NotSignedUpError:
            return texts("not_signed_up", event=event.name)
        return texts("cancel_done")

    def no_text(self, texts: Texts) -> str:
        return texts("cancel_kept")
