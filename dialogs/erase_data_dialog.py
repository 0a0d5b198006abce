"""`slet mine data`: erase everything stored about the person after a yes."""

from __future__ import annotations

from botbuilder.core import TurnContext

from dialogs.confirmation_dialog import ConfirmationDialog, Memo
from dialogs.dependencies import DialogDependencies
from dialogs.i18n import Texts
from dialogs.identity import identity_of
from traef.registration import erase_personal_data


class EraseDataDialog(ConfirmationDialog):
    def __init__(self, dependencies: DialogDependencies) -> None:
        super().__init__(EraseDataDialog.__name__, dependencies)

    async def question_text(self, context: TurnContext, texts: Texts, memo: Memo) -> str | None:
        return texts("erase_question")

    async def on_yes(self, context: TurnContext, texts: Texts, memo: Memo) -> str:
        erased = await erase_personal_data(self._deps.uow_factory(), identity_of(context))
        await self._deps.user_state.clear_state(context)
        return texts("erase_done") if erased else texts("erase_nothing")

    def no_text(self, texts: Texts) -> str:
        return texts("erase_kept")
