"""`afmeld`: cancel one's own registration after a yes."""

from __future__ import annotations

from botbuilder.core import TurnContext

from dialogs.confirmation_dialog import ConfirmationDialog, Memo
from dialogs.dependencies import DialogDependencies
from dialogs.i18n import Texts
from dialogs.identity import identity_of
from dialogs.lookups import active_registration, event_or_none
from traef.errors import NotSignedUpError
from traef.registration import cancel_registration


class CancelRegistrationDialog(ConfirmationDialog):
    def __init__(self, dependencies: DialogDependencies) -> None:
        super().__init__(CancelRegistrationDialog.__name__, dependencies)

    async def question_text(self, context: TurnContext, texts: Texts, memo: Memo) -> str | None:
        found = await active_registration(self._deps, context, texts)
        return texts("cancel_question", event=found[0].name) if found else None

    async def on_yes(self, context: TurnContext, texts: Texts, memo: Memo) -> str:
        event = await event_or_none(self._deps)
        if event is None or event.id is None:
            return texts("no_event")
        try:
            await cancel_registration(self._deps.uow_factory(), event.id, identity_of(context))
        except NotSignedUpError:
            return texts("not_signed_up", event=event.name)
        return texts("cancel_done")

    def no_text(self, texts: Texts) -> str:
        return texts("cancel_kept")
