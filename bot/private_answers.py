"""A request made in a team's channel or a group chat that is the person's own, answered in
their 1:1 chat with the bot instead (see `dialogs.shared_conversations` for which are).

The request is run as a turn of the personal conversation: a message from the person with the
text (mention left out) and card data they sent, through the bot's normal handling, so that
conversation's dialog state is loaded and saved and a dialog begun here continues there. The
personal conversation is the one in the conversation directory; when there is none, the bot
opens one and keeps its reference: in Teams with `POST /v3/conversations` and the tenant, in
Slack its direct messages with the person (`conversations.open`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationReference,
)

from bot.adapter import TraefAdapter
from bot.connector import ChannelConnector
from bot.slack.activities import SLACK, direct_message_reference
from bot.slack.adapter import SlackAdapter
from bot.teams_activity import TEAMS, team_id, tenant_id
from bot.teams_roster import one_to_one_reference
from bot.wire import from_json
from dialogs.identity import identity_of
from traef.ports import UnitOfWork

log = logging.getLogger("traefbot.private")

Turn = Callable[[TurnContext], Awaitable[None]]


class PrivateAnswers:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], app_id: str) -> None:
        self._uow_factory = uow_factory
        self._app_id = app_id

    async def answer(self, context: TurnContext, run_turn: Turn) -> bool:
        """Run the request of `context` (in a shared conversation) with `run_turn` as a turn of
        the person's personal conversation; False when the bot cannot reach them there."""
        reference = await self._reference(context)
        if reference is None:
            return False
        return await self._run_there(context, reference, run_turn)

    async def _reference(self, context: TurnContext) -> dict[str, Any] | None:
        uow = self._uow_factory()
        async with uow:
            found = await uow.conversations.get(identity_of(context))
        return found if found is not None else await self._open(context)

    async def _open(self, context: TurnContext) -> dict[str, Any] | None:
        """Open the person's personal conversation and keep its reference; None in a channel
        that has none or when the channel refuses."""
        if context.activity.channel_id == SLACK:
            return await self._open_slack(context)
        return await self._open_teams(context)

    async def _open_teams(self, context: TurnContext) -> dict[str, Any] | None:
        activity = context.activity
        connector = context.turn_state.get(TraefAdapter.CONNECTOR_KEY)
        tenant, bot, person = tenant_id(activity), activity.recipient, activity.from_property
        if (
            activity.channel_id != TEAMS
            or not isinstance(connector, ChannelConnector)
            or not tenant
            or not activity.service_url
            or bot is None
            or not bot.id
        ):
            return None
        try:
            conversation = await connector.create_conversation(
                activity.service_url, bot.id, person.id, tenant
            )
        except Exception:
            log.warning("Could not open a 1:1 conversation with %s", person.id, exc_info=True)
            return None
        member = {"id": person.id, "name": person.name, "aadObjectId": person.aad_object_id}
        reference = one_to_one_reference(activity.service_url, tenant, bot, member, conversation)
        await self._keep(context, reference, team_id(activity))
        return reference

    async def _open_slack(self, context: TurnContext) -> dict[str, Any] | None:
        """The bot's direct messages with the person, as `RememberConversations` keeps them."""
        activity, adapter = context.activity, context.adapter
        person, bot = activity.from_property, activity.recipient
        if not isinstance(adapter, SlackAdapter) or bot is None or not bot.id:
            return None
        try:
            channel = await adapter.open_direct_messages(person.id)
        except Exception:
            log.warning("Could not open direct messages with %s", person.id, exc_info=True)
            return None
        reference = direct_message_reference(
            ChannelAccount(
                id=person.id, name=person.name, role="user", properties=person.properties
            ),
            channel,
            ChannelAccount(id=bot.id, name=bot.name, role="bot"),
            activity.locale,
        )
        await self._keep(context, reference, None)
        return reference

    async def _keep(
        self, context: TurnContext, reference: dict[str, Any], team: str | None
    ) -> None:
        uow = self._uow_factory()
        async with uow:
            await uow.conversations.save(identity_of(context), reference, team=team)
            await uow.commit()

    async def _run_there(
        self, context: TurnContext, reference: dict[str, Any], run_turn: Turn
    ) -> bool:
        failures: list[BaseException] = []
        asked = context.activity

        async def turn(personal: TurnContext) -> None:
            _as_request(personal.activity, asked)
            # Caught here: raised out of the turn, the adapter's error handler would answer it
            # and this would look like success; the shared conversation then says how to write.
            try:
                await run_turn(personal)
            except Exception as error:
                failures.append(error)

        try:
            await context.adapter.continue_conversation(
                from_json(ConversationReference, reference), turn, bot_app_id=self._app_id
            )
        except Exception as error:
            failures.append(error)
        if failures:
            log.warning(
                "Could not answer %s privately", asked.from_property.id, exc_info=failures[0]
            )
            return False
        return True


def _as_request(activity: Activity, asked: Activity) -> None:
    """Make the continuation activity (its conversation, channel, service URL and recipient
    the personal conversation's) the message the person sent in the shared conversation."""
    person = asked.from_property
    tenant = tenant_id(asked)
    activity.type = ActivityTypes.message
    activity.name = None
    activity.id = None  # replies are new messages, not replies to one
    activity.reply_to_id = None  # no card of the personal conversation was pressed
    activity.relates_to = None
    activity.from_property = ChannelAccount(
        id=person.id,
        name=person.name,
        aad_object_id=person.aad_object_id,
        role="user",
        properties=person.properties,  # the e-mail the channel told, if it did
    )
    activity.text = asked.text
    activity.text_format = asked.text_format
    activity.value = asked.value
    activity.locale = asked.locale or activity.locale
    activity.timestamp, activity.local_timestamp = asked.timestamp, asked.local_timestamp
    # Never the shared conversation's: in Slack that is where to answer (a thread, only the
    # person through a response_url), and a personal turn posts plainly in the direct messages.
    activity.channel_data = {"tenant": {"id": tenant}} if tenant else None
    activity.entities = None
