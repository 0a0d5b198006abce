"""Our Bot Framework adapter: botbuilder's turn, middleware, state and dialogs over our own I/O.

Instead of botbuilder's CloudAdapter, which builds msrest connector and token clients on every
turn and posts each reply with `requests` in a thread over a new connection, replies go through
one `ChannelConnector` on the app's pooled aiohttp session, with retries on 429/412/5xx. Incoming
tokens are checked before a turn starts (`bot.channel_auth`, in the HTTP handler). Invoke
activities (Adaptive Card `Action.Execute`, Teams invokes) get the invoke response the bot set;
`expectReplies` requests get the buffered replies.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable, Mapping
from http import HTTPStatus
from typing import Any

from botbuilder.core import BotAdapter, InvokeResponse, TurnContext
from botbuilder.core.conversation_reference_extension import get_continuation_activity
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ConversationReference,
    DeliveryModes,
    ResourceResponse,
)
from botframework.connector.auth import AuthenticationConstants, ClaimsIdentity

from bot.connector import ChannelConnector
from bot.http_client import SharedSession
from bot.wire import to_json

Logic = Callable[[TurnContext], Awaitable[Any]]
EMULATOR = "emulator"


class TraefTurnContext(TurnContext):
    """botbuilder's TurnContext, copying outgoing activities shallowly instead of deeply.

    Only the top-level fields of an outgoing activity are set from the conversation reference,
    so a shallow copy keeps the caller's activity as it was, at a fraction of deepcopy's cost
    for a card.
    """

    async def send_activities(self, activities: list[Activity]) -> list[ResourceResponse]:
        if self.activity.channel_id != EMULATOR and all(
            a.type == ActivityTypes.trace for a in activities
        ):  # only the emulator shows traces (dialogs send one every turn): nothing to do
            return [ResourceResponse(id="") for _ in activities]
        reference = TurnContext.get_conversation_reference(self.activity)
        output = [
            _prepared(TurnContext.apply_conversation_reference(copy.copy(a), reference))
            for a in activities
        ]
        sends_message = any(a.type != ActivityTypes.trace for a in output)

        async def logic() -> list[ResourceResponse]:
            if self.activity.delivery_mode == DeliveryModes.expect_replies:
                responses = []
                for activity in output:
                    self.buffered_reply_activities.append(activity)
                    if activity.type == ActivityTypes.invoke_response:
                        self.turn_state[TurnContext._INVOKE_RESPONSE_KEY] = activity
                    responses.append(ResourceResponse())
            else:
                responses = await self.adapter.send_activities(self, output)
            if sends_message:
                self.responded = True
            return responses

        result: list[ResourceResponse] = await self._emit(self._on_send_activities, output, logic())
        return result


def _prepared(activity: Activity) -> Activity:
    if not activity.type:
        activity.type = ActivityTypes.message
    if not activity.input_hint:
        activity.input_hint = "acceptingInput"
    activity.id = None
    return activity


class TraefAdapter(BotAdapter):
    CONNECTOR_KEY = "traefbot.ChannelConnector"

    def __init__(
        self, connector: ChannelConnector, app_id: str = "", session: SharedSession | None = None
    ) -> None:
        super().__init__()
        self.connector = connector
        self._app_id = app_id
        self._session = session

    async def close(self) -> None:
        """Close the HTTP session the connector uses (when the adapter was given it)."""
        if self._session is not None:
            await self._session.close()

    async def process_activity(
        self, activity: Activity, claims: Mapping[str, Any] | None, logic: Logic
    ) -> InvokeResponse | None:
        """Run one incoming activity, whose token (if any) was validated, giving `claims`."""
        context = self._context(activity, claims)
        await self.run_pipeline(context, logic)
        return self._turn_result(context)

    async def continue_conversation(
        self,
        reference: ConversationReference,
        callback: Logic,
        bot_app_id: str | None = None,
        claims_identity: ClaimsIdentity | None = None,
        audience: str | None = None,
    ) -> None:
        """A turn of the bot's own, to write to a conversation it knows (proactive)."""
        claims = claims_identity.claims if claims_identity is not None else None
        context = self._context(get_continuation_activity(reference), claims, bot_app_id)
        await self.run_pipeline(context, callback)

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        responses = []
        for activity in activities:
            activity.id = None
            if activity.type == "delay":
                await asyncio.sleep((activity.value or 1000) / 1000)
                response = ResourceResponse(id="")
            elif activity.type == ActivityTypes.invoke_response:
                context.turn_state[self._INVOKE_RESPONSE_KEY] = activity
                response = ResourceResponse(id="")
            elif activity.type == ActivityTypes.trace and activity.channel_id != EMULATOR:
                response = ResourceResponse(id="")  # traces are for the emulator only
            else:
                response = await self.connector.send(activity)
            responses.append(response)
        return responses

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse:
        return await self.connector.update(activity)

    async def delete_activity(self, context: TurnContext, reference: ConversationReference) -> None:
        await self.connector.delete(
            reference.service_url, reference.conversation.id, reference.activity_id
        )

    def _context(
        self, activity: Activity, claims: Mapping[str, Any] | None, app_id: str | None = None
    ) -> TurnContext:
        bot_id = app_id if app_id is not None else self._app_id
        context = TraefTurnContext(self, activity)
        identity = dict(claims) if claims is not None else {}
        identity.setdefault(AuthenticationConstants.AUDIENCE_CLAIM, bot_id)
        identity.setdefault(AuthenticationConstants.APP_ID_CLAIM, bot_id)
        context.turn_state[self.BOT_IDENTITY_KEY] = ClaimsIdentity(identity, True)
        context.turn_state[self.CONNECTOR_KEY] = self.connector
        return context

    def _turn_result(self, context: TurnContext) -> InvokeResponse | None:
        if context.activity.delivery_mode == DeliveryModes.expect_replies:
            replies = [to_json(activity) for activity in context.buffered_reply_activities]
            return InvokeResponse(status=HTTPStatus.OK, body={"activities": replies})
        if context.activity.type == ActivityTypes.invoke:
            answer = context.turn_state.get(self._INVOKE_RESPONSE_KEY)
            if answer is None:
                return InvokeResponse(status=HTTPStatus.NOT_IMPLEMENTED)
            response: InvokeResponse = answer.value
            return response
        return None
