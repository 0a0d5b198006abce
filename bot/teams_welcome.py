"""What the bot does when it arrives in Teams: one welcome per person and install in a personal
chat, one short introduction in a team or group chat, and the team's members reached 1:1.

Teams announces an install twice (`installationUpdate` add and `conversationUpdate` with the bot
among `membersAdded`), often at the same moment: the welcome is claimed in the conversation
directory (`claim_welcome`, one conditional update), so only one of the two turns sends it, and
again only after an uninstall. People added to a team or group chat get nothing in it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import ChannelAccount

from bot.teams_activity import is_personal
from bot.teams_roster import TeamRoster
from dialogs.identity import identity_of
from dialogs.language import LanguagePreference
from dialogs.welcome import welcome_activity
from traef.ports import UnitOfWork


class TeamsArrival:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        language: LanguagePreference,
        clock: Callable[[], datetime],
        roster: TeamRoster | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._language = language
        self._clock = clock
        self._roster = roster

    async def members_added(self, context: TurnContext, members: Sequence[ChannelAccount]) -> None:
        activity = context.activity
        if is_personal(activity):
            await self._welcome_once(context)
            return
        bot_id = activity.recipient.id if activity.recipient is not None else None
        if any(member.id == bot_id for member in members):
            texts = await self._language.texts(context)
            await context.send_activity(MessageFactory.text(texts("teams_channel_intro")))
            self._reach_team(context)

    async def installed(self, context: TurnContext) -> None:
        if is_personal(context.activity):
            await self._welcome_once(context)
        else:
            self._reach_team(context)

    async def _welcome_once(self, context: TurnContext) -> None:
        sender = context.activity.from_property
        if sender is None or not sender.id:
            return
        uow = self._uow_factory()
        async with uow:
            first = await uow.conversations.claim_welcome(identity_of(context), self._clock())
            await uow.commit()
        if first:
            texts = await self._language.texts(context)
            await context.send_activity(welcome_activity(texts, sender.name))

    def _reach_team(self, context: TurnContext) -> None:
        if self._roster is not None:
            self._roster.reach_members(context)
