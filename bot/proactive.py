"""Messages the bot starts: announcements to everyone it has talked to, and to one person."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ConversationReference

from bot.channels import ChannelAdapters
from bot.teams_activity import is_personal, team_id
from bot.wire import from_json, to_json
from dialogs.i18n import Texts
from dialogs.identity import identity_of
from dialogs.language import LanguagePreference
from traef.participants import ChannelIdentity
from traef.ports import UnitOfWork

log = logging.getLogger("traefbot.proactive")

Render = Callable[[Texts], Activity]
MAX_PARALLEL_SENDS = 8


class RememberConversations(Middleware):
    """Keeps each person's latest personal conversation reference, so the bot can write to them
    later; on uninstall marks what it kept unusable.

    Only 1:1 conversations are a person's reference: who wrote in a team's channel or a group
    chat is not to get their broadcasts there. A message writes only when the reference changed
    since this process last saw it; install and conversation updates (rare, and what makes a
    reference usable again after a reinstall) always write. Uninstalling in personal scope
    marks the person's reference unusable; removing the bot from a team, the references it
    opened from that team's roster (`bot.teams_roster`).
    """

    def __init__(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        self._uow_factory = uow_factory
        self._known: dict[ChannelIdentity, dict[str, Any]] = {}

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        activity = context.activity
        if activity.from_property is not None and activity.from_property.id:
            if is_uninstall(activity):
                await self._forget(context)
            elif _tells_where_to_write(activity) and is_personal(activity):
                await self._remember(context, always=activity.type != ActivityTypes.message)
        await logic()

    async def _remember(self, context: TurnContext, always: bool) -> None:
        identity = identity_of(context)
        reference_object = TurnContext.get_conversation_reference(context.activity)
        reference_object.activity_id = None  # later messages start anew, not as replies
        reference = to_json(reference_object)
        if not always and self._known.get(identity) == reference:
            return
        uow = self._uow_factory()
        async with uow:
            await uow.conversations.save(identity, reference)
            await uow.commit()
        self._known[identity] = reference

    async def _forget(self, context: TurnContext) -> None:
        activity = context.activity
        team = team_id(activity)
        uow = self._uow_factory()
        async with uow:
            if is_personal(activity):
                identity = identity_of(context)
                self._known.pop(identity, None)
                await uow.conversations.set_unusable(identity)
                log.info("Uninstalled by %s: their conversation is no longer used", identity)
            elif team is not None:
                count = await uow.conversations.set_team_unusable(activity.channel_id, team)
                log.info("Removed from team %s: %d conversations no longer used", team, count)
            await uow.commit()


def is_uninstall(activity: Activity) -> bool:
    return activity.type == ActivityTypes.installation_update and activity.action == "remove"


def _tells_where_to_write(activity: Activity) -> bool:
    if activity.type == ActivityTypes.installation_update:
        return activity.action in ("add", "add-upgrade")
    return activity.type in (ActivityTypes.message, ActivityTypes.conversation_update)


class ProactiveMessenger:
    """Sends through each conversation's channel adapter, each person in their own language."""

    def __init__(
        self,
        channels: ChannelAdapters,
        uow_factory: Callable[[], UnitOfWork],
        language: LanguagePreference,
        app_id: str,
    ) -> None:
        self._channels = channels
        self._uow_factory = uow_factory
        self._language = language
        self._app_id = app_id

    async def announce(self, render: Render) -> int:
        """Send to everyone who has talked to the bot; returns how many were reached."""
        uow = self._uow_factory()
        async with uow:
            everyone = await uow.conversations.all()
        limit = asyncio.Semaphore(MAX_PARALLEL_SENDS)

        async def send(identity: ChannelIdentity, reference: dict[str, Any]) -> bool:
            async with limit:
                return await self._send(identity, reference, render)

        results = await asyncio.gather(*(send(i, r) for i, r in everyone))
        return sum(results)

    async def tell_each(
        self, messages: Sequence[tuple[ChannelIdentity, Render]], audience: str
    ) -> set[ChannelIdentity]:
        """Each their own message, straight away; returns the accounts reached."""
        return {identity for identity, render in messages if await self.tell(identity, render)}

    async def tell(self, identity: ChannelIdentity, render: Render) -> bool:
        """Send to one person; False when the bot has no way to reach them or sending failed."""
        uow = self._uow_factory()
        async with uow:
            reference = await uow.conversations.get(identity)
        return reference is not None and await self._send(identity, reference, render)

    async def _send(
        self, identity: ChannelIdentity, reference: dict[str, Any], render: Render
    ) -> bool:
        failures: list[BaseException] = []

        async def callback(context: TurnContext) -> None:
            # Caught here: raised out of the turn, the adapter's error handler would write an
            # apology to the person and the send would look successful.
            try:
                await context.send_activity(render(await self._language.texts(context)))
            except Exception as error:
                failures.append(error)

        try:
            await self._channels.continue_conversation(
                from_json(ConversationReference, reference), callback, bot_app_id=self._app_id
            )
        except Exception as error:
            failures.append(error)
        if failures:
            log.warning(
                "Could not write to %s on %s",
                identity.user_id,
                identity.channel,
                exc_info=failures[0],
            )
            return False
        return True
