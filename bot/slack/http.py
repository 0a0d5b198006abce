"""Slack's three endpoints: only request in, response out.

Each request's signature is checked before anything in it is read (401 otherwise, logged
without the body). Slack is answered at once; the turn runs on in the background
(`BackgroundTurns`), since Slack gives up after three seconds and sends the event again.
Events already taken (Slack's retries, `X-Slack-Retry-Num`) are skipped by their `event_id`.
A slash command, or a press on an ephemeral card, in a direct message channel is personal only
when that channel is the bot's own with the person (`conversations.open`); in a direct message
between people it is shared, as in a channel.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from botbuilder.core import Bot
from botbuilder.schema import Activity
from slack_sdk.errors import SlackApiError

from bot.slack.activities import (
    SLACK,
    action_activity,
    command_activity,
    event_activity,
    home_opened_activity,
    is_direct_message,
    is_ephemeral,
)
from bot.slack.adapter import SlackAdapter
from bot.slack.blocks import input_values, said_text, submitted_value, without_buttons
from bot.slack.payloads import (
    Event,
    Interaction,
    InvalidPayload,
    SlashCommand,
    parse_command,
    parse_event,
    parse_interaction,
)
from bot.slack.signature import RequestVerifier
from bot.slack.turns import BackgroundTurns, RecentIds

log = logging.getLogger("traefbot.slack")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
KnowsPerson = Callable[[str, str], Awaitable[bool]]  # (channel, user id): talked to the bot?

EVENTS_ROUTE = "/slack/events"
INTERACTIONS_ROUTE = "/slack/interactions"
COMMANDS_ROUTE = "/slack/commands"


def _bad_request(reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=400)


class SlackEndpoints:
    def __init__(
        self,
        verifier: RequestVerifier,
        adapter: SlackAdapter,
        bot: Bot,
        turns: BackgroundTurns,
        knows_person: KnowsPerson,
    ) -> None:
        self._verifier = verifier
        self._adapter = adapter
        self._bot = bot
        self._turns = turns
        self._knows_person = knows_person
        self._events = RecentIds()

    def register(self, app: web.Application) -> None:
        app.router.add_post(EVENTS_ROUTE, self.events)
        app.router.add_post(INTERACTIONS_ROUTE, self.interactions)
        app.router.add_post(COMMANDS_ROUTE, self.commands)

    async def _verified_body(self, request: web.Request) -> bytes:
        body = await request.read()
        if not self._verifier.is_from_slack(body, request.headers):
            log.warning(
                "Refused a request to %s: missing, stale or wrong Slack signature", request.path
            )
            raise web.HTTPUnauthorized(reason="Invalid Slack signature")
        return body

    async def events(self, request: web.Request) -> web.Response:
        body = await self._verified_body(request)
        try:
            envelope = parse_event(body)
        except InvalidPayload as error:
            return _bad_request(str(error))
        if envelope.type == "url_verification":
            return web.json_response({"challenge": envelope.challenge or ""})
        if envelope.type != "event_callback" or envelope.event is None:
            return web.Response()
        if envelope.event_id and not self._events.first_time(envelope.event_id):
            retry = request.headers.get("X-Slack-Retry-Num", "0")
            log.info("Skipped Slack event %s sent again (retry %s)", envelope.event_id, retry)
            return web.Response()
        self._adapter.learn_bot_user(envelope.bot_user)
        self._turns.start(self._run_event(envelope.event), f"event {envelope.event_id}")
        return web.Response()

    async def _run_event(self, event: Event) -> None:
        bot_user = await self._adapter.bot_user()
        activity: Activity | None
        if event.type == "app_home_opened":
            activity = home_opened_activity(event, bot_user, self._adapter.locale)
            if activity is not None and await self._knows_person(SLACK, activity.from_property.id):
                return  # welcomed before
        else:
            activity = event_activity(event, bot_user, self._adapter.locale)
        if activity is not None:
            await self._adapter.process_activity(activity, self._bot.on_turn)

    async def interactions(self, request: web.Request) -> web.Response:
        body = await self._verified_body(request)
        try:
            interaction = parse_interaction(body)
        except InvalidPayload as error:
            return _bad_request(str(error))
        if interaction.type == "block_actions":
            self._turns.start(self._run_action(interaction), f"{interaction.type}")
        # view_submission: the bot opens no modals yet; an empty answer closes the view.
        return web.Response()

    async def _run_action(self, interaction: Interaction) -> None:
        for action in interaction.actions:
            said = said_text(action)
            if said is not None:
                await self._run_reply(interaction, said)
                return
            value = submitted_value(action)
            if value is None:
                continue
            if isinstance(value, dict):
                value = {**value, **input_values(interaction.state)}
            bot_user = await self._adapter.bot_user()
            personal = await self._personal(interaction)
            activity = action_activity(interaction, value, bot_user, self._adapter.locale, personal)
            if activity is not None:
                await self._adapter.process_activity(activity, self._bot.on_turn)
            return

    async def _run_reply(self, interaction: Interaction, said: str) -> None:
        """A suggested reply pressed: the person said its text. Its buttons are taken off the
        message first, as Teams hides suggested actions once one is used."""
        channel, message = interaction.channel_id, interaction.message
        if channel is None:
            return
        if not is_ephemeral(interaction) and message is not None and message.ts:
            blocks = without_buttons(list(message.blocks), said)
            try:
                await self._adapter.client.chat_update(
                    channel=channel, ts=message.ts, text=message.text, blocks=blocks
                )
            except SlackApiError as error:
                log.info("Could not update %s: %s", message.ts, error.response.get("error"))
        bot_user = await self._adapter.bot_user()
        personal = await self._personal(interaction)
        activity = action_activity(interaction, None, bot_user, self._adapter.locale, personal)
        if activity is not None:
            activity.text, activity.text_format, activity.reply_to_id = said, "plain", None
            await self._adapter.process_activity(activity, self._bot.on_turn)

    async def commands(self, request: web.Request) -> web.Response:
        body = await self._verified_body(request)
        try:
            command = parse_command(body)
        except InvalidPayload as error:
            return _bad_request(str(error))
        self._turns.start(self._run_command(command), f"command {command.command}")
        return web.Response()

    async def _run_command(self, command: SlashCommand) -> None:
        bot_user = await self._adapter.bot_user()
        personal = await self._is_bots_own(command.channel_id, command.user_id)
        activity = command_activity(command, bot_user, self._adapter.locale, personal)
        await self._adapter.process_activity(activity, self._bot.on_turn)

    async def _personal(self, interaction: Interaction) -> bool | None:
        """Whether a press happened in the bot's own direct messages with the person. None (a
        direct message channel counts as the bot's) for a card all in the channel see: the bot
        could post it only where it is a member. An ephemeral card may be anywhere."""
        channel = interaction.channel_id
        if not is_ephemeral(interaction) or channel is None:
            return None
        return await self._is_bots_own(channel, interaction.user.id)

    async def _is_bots_own(self, channel: str, user: str) -> bool:
        """True when `channel` is the bot's direct messages with the person; False for any other
        (or when Slack will not say which is the bot's)."""
        if not is_direct_message(channel):
            return False
        try:
            return await self._adapter.open_direct_messages(user) == channel
        except SlackApiError as error:
            log.info("conversations.open for %s failed: %s", user, error.response.get("error"))
            return False
