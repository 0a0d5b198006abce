"""A component dialog the participant can leave at any step with `annullér` / `cancel`."""

from __future__ import annotations

from botbuilder.core import MessageFactory
from botbuilder.dialogs import ComponentDialog, DialogContext, DialogTurnResult

from dialogs.cards import replace_card, said_card
from dialogs.dependencies import DialogDependencies
from dialogs.i18n import Texts
from dialogs.intents import Intent, intent_of


class CancellableDialog(ComponentDialog):
    def __init__(self, dialog_id: str, dependencies: DialogDependencies) -> None:
        super().__init__(dialog_id)
        self._deps = dependencies

    async def on_continue_dialog(self, inner_dc: DialogContext) -> DialogTurnResult:
        if intent_of(inner_dc.context) is Intent.CANCEL:
            texts = await self._deps.language.texts(inner_dc.context)
            said = self.cancelled_text(inner_dc, texts)
            # Pressed on a card (the summary, a change preview): the card says it instead.
            if not await replace_card(inner_dc.context, said_card(said)):
                await inner_dc.context.send_activity(MessageFactory.text(said))
            return await inner_dc.cancel_all_dialogs()
        return await super().on_continue_dialog(inner_dc)

    def cancelled_text(self, inner_dc: DialogContext, texts: Texts) -> str:
        """What to say when the participant cancels; nothing has been saved."""
        return texts("edit_cancelled")
