"""A request made in a team's channel or a group chat that is the person's own, answered in
their 1:1 chat with the bot instead (see `dialogs.shared_conversations` for which are).

The request is run as a turn of the personal conversation: a message from the person with the
text (mention left out) and card data they sent, through the bot's normal handling, so that
conversation's dialog state is loaded and saved and a dialog begun here continues there. The
personal conversation is the one in the conversation directory; in Teams, when there is none,
the bot opens one (`POST /v3/conversations` with the tenant) and keeps its reference.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationReference

from bot.adapter import TraefAdapter
from bot.connector import ChannelConnector
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
        """Open the person's 1:1 Teams conversation and keep its reference; None outside Teams
        or when Teams refuses."""
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
        uow = self._uow_factory()
        async with uow:
            await uow.conversations.save(identity_of(context), reference, team=team_id(activity))
            await uow.commit()
        return reference

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
        id=person.id, name=person.name, aad_object_id=person.aad_object_id, role="user"
    )
    activity.text = asked.text
    activity.text_format = asked.text_format
    activity.value = asked.value
    activity.locale = asked.locale or activity.locale
    activity.timestamp, activity.local_timestamp = asked.timestamp, asked.local_timestamp
    activity.channel_data = {"tenant": {"id": tenant}} if tenant else None
    activity.entities = None
