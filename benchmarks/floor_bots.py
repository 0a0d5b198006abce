"""The two yardsticks between the bare loop and our bot, served by our own adapter.

`EchoBot` is botbuilder's echo sample: an `ActivityHandler` answering each message, no state. On
our adapter it shows what the adapter, `TurnContext` and the HTTP round trips cost on their own;
on the stock `CloudAdapter` it is the baseline the issue compares with.

`AskNameBot` is the least a bot can be that keeps botbuilder's state and dialogs: conversation
state in `MemoryStorage` (our quicker change check, `bot.state`), and a component dialog with a
two-step waterfall and a `TextPrompt` ("what is your name?", then "thanks, <name>"), run by
`DialogExtensions.run_dialog` as our bot runs its main dialog. No SQL, no logic of ours: what is
left over this row is the cost of our dialogs, texts and storage.
"""

from __future__ import annotations

from botbuilder.core import ActivityHandler, MemoryStorage, MessageFactory, TurnContext
from botbuilder.dialogs import (
    ComponentDialog,
    DialogExtensions,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.dialogs.prompts import PromptOptions, TextPrompt

from bot.state import QuickConversationState


class EchoBot(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(MessageFactory.text(f"Echo: {turn_context.activity.text}"))


class AskNameDialog(ComponentDialog):
    def __init__(self) -> None:
        super().__init__(AskNameDialog.__name__)
        self.add_dialog(TextPrompt(TextPrompt.__name__))
        self.add_dialog(WaterfallDialog("steps", [self.ask, self.thank]))
        self.initial_dialog_id = "steps"

    async def ask(self, step: WaterfallStepContext) -> DialogTurnResult:
        question = MessageFactory.text("Hvad hedder du?")
        return await step.prompt(TextPrompt.__name__, PromptOptions(prompt=question))

    async def thank(self, step: WaterfallStepContext) -> DialogTurnResult:
        await step.context.send_activity(MessageFactory.text(f"Tak, {step.result}"))
        return await step.end_dialog()


class AskNameBot(ActivityHandler):
    def __init__(self) -> None:
        self._state = QuickConversationState(MemoryStorage())
        self._dialog = AskNameDialog()
        self._dialog_state = self._state.create_property("DialogState")

    async def on_turn(self, turn_context: TurnContext) -> None:
        await super().on_turn(turn_context)
        await self._state.save_changes(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await DialogExtensions.run_dialog(self._dialog, turn_context, self._dialog_state)
