"""Our Slack adapter: the bot's turns, middleware, state and dialogs over Slack's Web API.

The sibling of `bot.adapter.TraefAdapter`: a turn's replies are posted with `chat.postMessage`
(in the thread the person wrote in), or with `chat.postEphemeral` when the turn came from a
slash command or an ephemeral card, so only the person sees them; a replaced card is
`chat.update`d. The bot learns its own user id from the events (or `auth.test`) and people's
names with `users.info`, once each.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.core.conversation_reference_extension import get_continuation_activity
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ConversationAccount,
    ConversationReference,
    ResourceResponse,
)
from botframework.connector.auth import ClaimsIdentity
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapter import TraefTurnContext
from bot.slack.activities import SLACK_DATA
from bot.slack.blocks import message_payload

log = logging.getLogger("traefbot.slack")

Logic = Callable[[TurnContext], Awaitable[Any]]
SILENT_TYPES = frozenset(
    {ActivityTypes.trace, ActivityTypes.typing, ActivityTypes.invoke_response, "event"}
)
MAX_NAMES = 10_000


class SlackAdapter(BotAdapter):
    def __init__(self, client: AsyncWebClient, locale: str = "da-DK") -> None:
        super().__init__()
        self.client = client
        self.locale = locale
        self._bot_user: str | None = None
        self._bot_user_lock = asyncio.Lock()
        self._names: dict[str, str | None] = {}

    def learn_bot_user(self, user_id: str | None) -> None:
        if user_id and self._bot_user is None:
            self._bot_user = user_id

    async def bot_user(self) -> str:
        """The bot's own Slack user id (`auth.test`, asked once)."""
        async with self._bot_user_lock:
            if self._bot_user is None:
                answer = await self.client.auth_test()
                self._bot_user = str(answer["user_id"])
        return self._bot_user

    async def name_of(self, user: str) -> str | None:
        """The name Slack shows for the person; None when Slack will not say."""
        if user not in self._names:
            if len(self._names) >= MAX_NAMES:
                self._names.clear()
            try:
                answer = await self.client.users_info(user=user)
            except SlackApiError as error:
                log.info("users.info for %s failed: %s", user, error.response.get("error"))
                return None
            person = answer.get("user") or {}
            profile = person.get("profile") or {}
            name = profile.get("real_name") or person.get("real_name") or person.get("name")
            self._names[user] = str(name) if name else None
        return self._names[user]

    async def process_activity(self, activity: Activity, logic: Logic) -> None:
        """Run one incoming activity (its request's signature was verified)."""
        for person in [activity.from_property, *(activity.members_added or [])]:
            if person is not None and person.id and not person.name:
                person.name = await self.name_of(person.id)
        await self.run_pipeline(self._context(activity), logic)

    async def continue_conversation(
        self,
        reference: ConversationReference,
        callback: Logic,
        bot_app_id: str | None = None,
        claims_identity: ClaimsIdentity | None = None,
        audience: str | None = None,
    ) -> None:
        """A turn of the bot's own, to write to a conversation it knows (proactive); a reference
        with only the person in it gets their direct message channel opened."""
        if reference.conversation is None or not reference.conversation.id:
            reference = copy.copy(reference)
            reference.conversation = await self._open_direct_messages(reference)
        activity = get_continuation_activity(reference)
        activity.locale = activity.locale or self.locale
        await self.run_pipeline(self._context(activity), callback)

    async def _open_direct_messages(self, reference: ConversationReference) -> ConversationAccount:
        if reference.user is None or not reference.user.id:
            raise ValueError("The conversation reference names neither a channel nor a person")
        answer = await self.client.conversations_open(users=reference.user.id)
        channel = answer["channel"]["id"]
        return ConversationAccount(id=channel, conversation_type="personal", is_group=False)

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        slack = _slack_data(context.activity)
        responses = []
        for activity in activities:
            if activity.type == "delay":
                await asyncio.sleep((activity.value or 1000) / 1000)
                responses.append(ResourceResponse(id=""))
            elif activity.type in SILENT_TYPES or activity.type != ActivityTypes.message:
                responses.append(ResourceResponse(id=""))
            else:
                responses.append(await self._post(context, activity, slack))
        return responses

    async def _post(
        self, context: TurnContext, activity: Activity, slack: dict[str, Any]
    ) -> ResourceResponse:
        channel = activity.conversation.id
        payload = message_payload(activity)
        if slack.get("ephemeral"):
            person = context.activity.from_property.id
            answer = await self.client.chat_postEphemeral(channel=channel, user=person, **payload)
            return ResourceResponse(id=str(answer.get("message_ts") or ""))
        thread = slack.get("thread_ts")
        if thread:
            payload["thread_ts"] = thread
        answer = await self.client.chat_postMessage(channel=channel, **payload)
        return ResourceResponse(id=str(answer.get("ts") or ""))

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse:
        payload = message_payload(activity)
        answer = await self.client.chat_update(
            channel=activity.conversation.id, ts=activity.id, **payload
        )
        return ResourceResponse(id=str(answer.get("ts") or activity.id))

    async def delete_activity(self, context: TurnContext, reference: ConversationReference) -> None:
        await self.client.chat_delete(channel=reference.conversation.id, ts=reference.activity_id)

    def _context(self, activity: Activity) -> TurnContext:
        context = TraefTurnContext(self, activity)
        context.turn_state[self.BOT_IDENTITY_KEY] = ClaimsIdentity({}, True)
        return context


def _slack_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    slack = data.get(SLACK_DATA) if isinstance(data, dict) else None
    return slack if isinstance(slack, dict) else {}
