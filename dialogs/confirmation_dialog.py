"""A yes/no question before something that cannot be undone by accident."""

from __future__ import annotations

from typing import Any

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.dialogs import (
    DialogContext,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.dialogs.choices import FoundChoice, ListStyle
from botbuilder.dialogs.prompts import ChoicePrompt, PromptOptions

from dialogs.cancellable_dialog import CancellableDialog
from dialogs.dependencies import DialogDependencies
from dialogs.i18n import Texts
from dialogs.sign_up_questions import yes_no_choices

MEMO = "memo"
Memo = dict[str, Any]  # what the question found out, kept for the answer (plain values only)


class ConfirmationDialog(CancellableDialog):
    """Asks `question_text`; on yes runs `on_yes`, on no (or cancel) says `no_text`.

    The dialog's options arrive in the memo as `memo["options"]`; what `question_text` puts in
    the memo is there for `on_yes` on the next turn. With `FACILITATORS_ONLY`, everyone else is
    refused before anything is asked.
    """

    FACILITATORS_ONLY = False

    def __init__(self, dialog_id: str, dependencies: DialogDependencies) -> None:
        super().__init__(dialog_id, dependencies)
        self._prompt_id = f"{dialog_id}.yes_no"
        self.add_dialog(ChoicePrompt(self._prompt_id))
        self.add_dialog(WaterfallDialog(f"{dialog_id}.steps", [self.ask_step, self.answer_step]))
        self.initial_dialog_id = f"{dialog_id}.steps"

    async def ask_step(self, step_context: WaterfallStepContext) -> DialogTurnResult:
        context = step_context.context
        texts = await self._deps.language.texts(context)
        if self.FACILITATORS_ONLY and not await self._deps.is_facilitator(context):
            await context.send_activity(MessageFactory.text(texts("facilitator_only")))
            return await step_context.end_dialog()
        memo: Memo = {"options": step_context.options}
        question = await self.question_text(context, texts, memo)
        if question is None:
            return await step_context.end_dialog()
        step_context.values[MEMO] = memo
        options = PromptOptions(
            prompt=MessageFactory.text(question),
            retry_prompt=MessageFactory.text(texts("retry_yes_no")),
            choices=yes_no_choices(texts),
            style=ListStyle.suggested_action,
        )
        return await step_context.prompt(self._prompt_id, options)

    async def answer_step(self, step_context: WaterfallStepContext) -> DialogTurnResult:
        context = step_context.context
        texts = await self._deps.language.texts(context)
        answer = step_context.result
        if isinstance(answer, FoundChoice) and answer.index == 0:
            reply = await self.on_yes(context, texts, step_context.values[MEMO])
        else:
            reply = self.no_text(texts)
        await context.send_activity(MessageFactory.text(reply))
        return await step_context.end_dialog()

    async def question_text(self, context: TurnContext, texts: Texts, memo: Memo) -> str | None:
        """The question; None (after saying why) when there is nothing to ask about."""
        raise NotImplementedError

    async def on_yes(self, context: TurnContext, texts: Texts, memo: Memo) -> str:
        """Do it; returns what to tell the participant."""
        raise NotImplementedError

    def no_text(self, texts: Texts) -> str:
        raise NotImplementedError

    def cancelled_text(self, inner_dc: DialogContext, texts: Texts) -> str:
        return self.no_text(texts)
