"""Slack's three endpoints: only request in, response out.

Each request's signature is checked before anything in it is read (401 otherwise, logged
without the body). Slack is answered at once; the turn runs on in the background
(`BackgroundTurns`), since Slack gives up after three seconds and sends the event again.
Events already taken (Slack's retries, `X-Slack-Retry-Num`) are skipped by their `event_id`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from botbuilder.core import Bot
from botbuilder.schema import Activity

from bot.slack.activities import (
    SLACK,
    action_activity,
    command_activity,
    event_activity,
    home_opened_activity,
)
from bot.slack.adapter import SlackAdapter
from bot.slack.blocks import input_values, submitted_value
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
            value = submitted_value(action)
            if value is None:
                continue
            if isinstance(value, dict):
                value = {**value, **input_values(interaction.state)}
            bot_user = await self._adapter.bot_user()
            activity = action_activity(interaction, value, bot_user, self._adapter.locale)
            if activity is not None:
                await self._adapter.process_activity(activity, self._bot.on_turn)
            return

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
        activity = command_activity(command, bot_user, self._adapter.locale)
        await self._adapter.process_activity(activity, self._bot.on_turn)
