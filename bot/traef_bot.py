"""The activity handler: answers or runs the main dialog, welcomes, saves state after the turn;
in a channel or group chat answers only what is public, the rest in the person's own chat."""

from __future__ import annotations

from http import HTTPStatus

from botbuilder.core import (
    ActivityHandler,
    ConversationState,
    InvokeResponse,
    MessageFactory,
    TurnContext,
    UserState,
)
from botbuilder.dialogs import DialogExtensions, DialogState
from botbuilder.schema import (
    ActivityTypes,
    AdaptiveCardInvokeAction,
    AdaptiveCardInvokeResponse,
    AdaptiveCardInvokeValue,
    ChannelAccount,
)

from bot.private_answers import PrivateAnswers
from bot.slack.activities import SLACK
from bot.slack.adapter import only_for_the_asker
from bot.state import load_together
from bot.teams_activity import TEAMS, is_card_submit, mentions_bot, strip_bot_mention
from bot.teams_welcome import TeamsArrival
from bot.wire import to_json
from dialogs.cards import REPLACEMENT_CARD
from dialogs.intents import intent_of
from dialogs.language import LanguagePreference
from dialogs.main_dialog import MainDialog
from dialogs.shared_conversations import answered_in_place, is_shared_conversation
from dialogs.welcome import welcome_activity


class TraefBot(ActivityHandler):
    def __init__(
        self,
        conversation_state: ConversationState,
        user_state: UserState,
        dialog: MainDialog,
        language: LanguagePreference,
        teams: TeamsArrival | None = None,
        private: PrivateAnswers | None = None,
    ) -> None:
        self._conversation_state = conversation_state
        self._teams = teams
        self._private = private
        self._user_state = user_state
        self._dialog = dialog
        self._language = language
        self._dialog_state = conversation_state.create_property("DialogState")

    async def on_turn(self, turn_context: TurnContext) -> None:
        await load_together(turn_context, self._conversation_state, self._user_state)
        await super().on_turn(turn_context)
        # Saved only when the turn succeeded: a failing turn leaves the stored state untouched.
        await self._conversation_state.save_changes(turn_context)
        await self._user_state.save_changes(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        """In a team's channel or a group chat only what is said to the bot (@mentioned, or a
        press on one of its cards) is answered; the mention is left out of the text. What is
        personal is answered in the person's own chat, the conversation gets a short note."""
        activity = turn_context.activity
        if is_shared_conversation(activity) and not (
            mentions_bot(activity) or is_card_submit(activity)
        ):
            return
        strip_bot_mention(activity)
        note = await self._answer_here_or_privately(turn_context)
        if note is not None:
            reply = MessageFactory.text(note)
            if activity.channel_id == SLACK:  # Slack can show it to the asker alone
                reply = only_for_the_asker(reply)
            await turn_context.send_activity(reply)

    async def _answer_here_or_privately(self, turn_context: TurnContext) -> str | None:
        """Answer a message (or card press); in a shared conversation only what is public is
        answered in place, the rest in the person's personal chat. Returns the short note for
        the shared conversation when the request went (or should go) private."""
        if not is_shared_conversation(turn_context.activity):
            await self._answer_or_run_dialog(turn_context)
            return None
        if answered_in_place(intent_of(turn_context)):
            await self._dialog.answer_turn(turn_context)  # a public intent begins no dialog
            return None
        answered = self._private is not None and await self._private.answer(
            turn_context, self.on_turn
        )
        texts = await self._language.texts(turn_context)
        if answered:
            return texts("shared_answered_privately")
        if turn_context.activity.channel_id == SLACK:
            return texts("shared_write_privately_slack")
        return texts("shared_write_privately")

    async def _answer_or_run_dialog(self, turn_context: TurnContext) -> None:
        """Answer within the turn when no dialog is waiting and none begins; else run the dialog.

        botbuilder's dialog machinery (a dialog set, context and state manager each turn) costs
        more than most answers, so a conversation without a dialog on its stack skips it.
        """
        if await self._dialog_active(turn_context) or not await self._dialog.answer_turn(
            turn_context
        ):
            await DialogExtensions.run_dialog(self._dialog, turn_context, self._dialog_state)

    async def _dialog_active(self, turn_context: TurnContext) -> bool:
        state = await self._dialog_state.get(turn_context)  # None: never had a dialog
        if state is None:
            return False
        return not isinstance(state, DialogState) or bool(state.dialog_stack)

    async def on_adaptive_card_invoke(
        self, turn_context: TurnContext, invoke_value: AdaptiveCardInvokeValue
    ) -> AdaptiveCardInvokeResponse:
        """An Adaptive Card `Action.Execute`: handled as the card submit it stands for.

        The dialogs (and botbuilder's prompts) read a submit as a message whose `value` is the
        action's data; the dialog's replies arrive as messages, as after an `Action.Submit`. The
        invoke is answered with the card that replaces the pressed one when the dialog made one
        (`replace_card`), else with a short acknowledgement. A personal press in a shared
        conversation is answered in the person's personal chat: the invoke answers with the
        note saying so, and the card stays as everyone sees it.
        """
        activity = turn_context.activity
        action = invoke_value.action  # botbuilder leaves it as the JSON it came as
        if isinstance(action, AdaptiveCardInvokeAction):
            action = {"verb": action.verb, "data": action.data}
        action = action if isinstance(action, dict) else {}
        data, verb = action.get("data"), action.get("verb")
        value = dict(data) if isinstance(data, dict) else {}
        if isinstance(verb, str) and verb:
            value.setdefault("action", verb)
        activity.type, activity.text, activity.value = ActivityTypes.message, None, value
        turn_context.turn_state[REPLACEMENT_CARD] = None
        try:
            note = await self._answer_here_or_privately(turn_context)
        finally:
            activity.type = ActivityTypes.invoke
        card = turn_context.turn_state.pop(REPLACEMENT_CARD, None)
        if card is not None:
            return AdaptiveCardInvokeResponse(
                status_code=200, type="application/vnd.microsoft.card.adaptive", value=card
            )
        if note is None:
            note = (await self._language.texts(turn_context))("card_action_received")
        return AdaptiveCardInvokeResponse(
            status_code=200, type="application/vnd.microsoft.activity.message", value=note
        )

    @staticmethod
    def _create_invoke_response(body: object = None) -> InvokeResponse:
        """botbuilder's, but written with our serializer: msrest refuses a text `value`, which
        is what Teams shows for an `application/vnd.microsoft.activity.message` answer."""
        return InvokeResponse(status=int(HTTPStatus.OK), body=to_json(body))

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        if self._teams is not None and turn_context.activity.channel_id == TEAMS:
            await self._teams.members_added(turn_context, members_added)
            return
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        for member in members_added:
            if member.id != bot_id:
                texts = await self._language.texts(turn_context)
                await turn_context.send_activity(welcome_activity(texts, member.name))

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        if self._teams is not None and turn_context.activity.channel_id == TEAMS:
            await self._teams.installed(turn_context)
