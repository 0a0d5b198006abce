"""Our Slack adapter: the bot's turns, middleware, state and dialogs over Slack's Web API.

The sibling of `bot.adapter.TraefAdapter`: a turn's replies are posted with `chat.postMessage`
(in the thread the person wrote in); a replaced card is `chat.update`d. A turn from a slash
command or an ephemeral card is answered so only the person sees it, through the `response_url`
Slack gave with it (which works where the bot is no member, as in a direct message between two
people), an ephemeral card replaced there too; when that is used up or fails, with
`chat.postEphemeral`. So is a reply marked `only_for_the_asker` (the note that a request from a
channel was answered in the person's direct messages). The bot learns its own user id from the
events (or `auth.test`), people's names and e-mails with `users.info` and their direct message
channels with `conversations.open`, once each.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
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
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapter import TraefTurnContext
from bot.slack.activities import SLACK_DATA, display_name
from bot.slack.blocks import message_payload

log = logging.getLogger("traefbot.slack")

Logic = Callable[[TurnContext], Awaitable[Any]]
SILENT_TYPES = frozenset(
    {ActivityTypes.trace, ActivityTypes.typing, ActivityTypes.invoke_response, "event"}
)
MAX_NAMES = 10_000
RESPONSE_URL_POSTS = 5  # Slack takes this many posts to a response_url …
RESPONSE_URL_SECONDS = 30 * 60  # … within this long
RESPONSE_URL_TIMEOUT = 10  # seconds; then chat.postEphemeral instead


@dataclass(frozen=True)
class Person:
    """What `users.info` tells about a person: the name Slack shows, their e-mail (with the
    users:read.email scope)."""

    name: str | None = None
    email: str | None = None


class ResponseUrls:
    """How much of each `response_url` is left: Slack takes 5 posts within 30 minutes."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._used: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def take(self, url: str) -> bool:
        """Count a post to `url`; False when it would be one too many (or too late)."""
        now = self._clock()
        first, posts = self._used.get(url, (now, 0))
        if posts >= RESPONSE_URL_POSTS or now - first > RESPONSE_URL_SECONDS:
            return False
        self._used[url] = (first, posts + 1)
        if len(self._used) > MAX_NAMES:
            self._used.popitem(last=False)
        return True


class SlackAdapter(BotAdapter):
    def __init__(self, client: AsyncWebClient, locale: str = "da-DK") -> None:
        super().__init__()
        self.client = client
        self.locale = locale
        self._bot_user: str | None = None
        self._bot_user_lock = asyncio.Lock()
        self._people: dict[str, Person] = {}
        self._direct_messages: dict[str, str] = {}  # user id: the bot's D… channel with them
        self._response_urls = ResponseUrls()

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

    async def person(self, user: str) -> Person:
        """The person's name and e-mail as Slack has them (each None when Slack will not say)."""
        if user not in self._people:
            if len(self._people) >= MAX_NAMES:
                self._people.clear()
            try:
                answer = await self.client.users_info(user=user)
            except SlackApiError as error:
                log.info("users.info for %s failed: %s", user, error.response.get("error"))
                return Person()
            account = answer.get("user") or {}
            email = (account.get("profile") or {}).get("email")
            self._people[user] = Person(
                display_name(account), str(email) if isinstance(email, str) and email else None
            )
        return self._people[user]

    async def open_direct_messages(self, user: str) -> str:
        """The id of the bot's direct message channel with the person (`conversations.open`,
        which opens it if need be, asked once per person); raises SlackApiError when refused."""
        if user not in self._direct_messages:
            if len(self._direct_messages) >= MAX_NAMES:
                self._direct_messages.clear()
            answer = await self.client.conversations_open(users=user)
            self._direct_messages[user] = str(answer["channel"]["id"])
        return self._direct_messages[user]

    async def process_activity(self, activity: Activity, logic: Logic) -> None:
        """Run one incoming activity (its request's signature was verified)."""
        for account in [activity.from_property, *(activity.members_added or [])]:
            if account is not None and account.id and not account.name:
                known = await self.person(account.id)
                account.name = known.name
                if known.email and not account.properties:
                    account.properties = {"email": known.email}
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
        channel = await self.open_direct_messages(reference.user.id)
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
        payload = message_payload(activity)
        thread = slack.get("thread_ts")
        if thread:
            payload["thread_ts"] = thread
        if slack.get("ephemeral") or _slack_data(activity).get("ephemeral"):
            if await self._respond(slack, payload, replace=False):
                return ResourceResponse(id="")
            return await self._post_ephemeral(context, payload)
        answer = await self.client.chat_postMessage(channel=activity.conversation.id, **payload)
        return ResourceResponse(id=str(answer.get("ts") or ""))

    async def _post_ephemeral(
        self, context: TurnContext, payload: dict[str, Any]
    ) -> ResourceResponse:
        asked = context.activity
        answer = await self.client.chat_postEphemeral(
            channel=asked.conversation.id, user=asked.from_property.id, **payload
        )
        return ResourceResponse(id=str(answer.get("message_ts") or ""))

    async def _respond(self, slack: dict[str, Any], payload: dict[str, Any], replace: bool) -> bool:
        """Post to the turn's `response_url`, only for the person (replacing the ephemeral card
        pressed when `replace`); False when there is none, it is used up or Slack refused."""
        url = slack.get("response_url")
        if not isinstance(url, str) or not url:
            return False
        if not self._response_urls.take(url):
            log.info("A response_url is used up; answering with chat.postEphemeral")
            return False
        body = {"response_type": "ephemeral", "replace_original": replace, **payload}
        try:
            webhook = AsyncWebhookClient(
                url, timeout=RESPONSE_URL_TIMEOUT, session=self.client.session
            )
            response = await webhook.send_dict(body)
        except (aiohttp.ClientError, TimeoutError) as error:
            log.warning("Posting to a response_url failed (%r); using chat.postEphemeral", error)
            return False
        if response.status_code != 200:
            log.warning(
                "A response_url answered %s %s; using chat.postEphemeral",
                response.status_code,
                response.body,
            )
            return False
        return True

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse:
        """Replace a card: an ephemeral one through the turn's `response_url` (or, failing that,
        with a new ephemeral message, as an ephemeral message cannot be `chat.update`d)."""
        payload = message_payload(activity)
        slack = _slack_data(context.activity)
        if slack.get("ephemeral"):
            if await self._respond(slack, payload, replace=True):
                return ResourceResponse(id=activity.id or "")
            return await self._post_ephemeral(context, payload)
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


def only_for_the_asker(activity: Activity) -> Activity:
    """The reply marked to be shown only to the person who asked (an ephemeral message in
    Slack); other channels show it as usual."""
    if activity.channel_data is None:
        activity.channel_data = {SLACK_DATA: {"ephemeral": True}}
    return activity


def _slack_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    slack = data.get(SLACK_DATA) if isinstance(data, dict) else None
    return slack if isinstance(slack, dict) else {}
