"""When the bot is added to a team: a 1:1 conversation with each member it cannot reach yet.

Broadcasts go to personal conversations only, and most participants never write to the bot
first. Teams lets a bot installed in a team open a 1:1 chat with any of its members: the team's
roster is read page by page (`GET /v3/conversations/{team}/pagedmembers`) and for each member
without a usable reference the bot creates the conversation (`POST /v3/conversations` with the
tenant) and stores its reference, marked as coming from the team. A member whose e-mail matches
an imported registration of the current event is linked to it, as when they write themselves.

It runs in the background, owned by the app: a team of thousands must not hold up the install
activity's HTTP answer. At most `concurrency` conversations are opened at once; a member that
fails is logged and skipped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import ChannelAccount

from bot.adapter import TraefAdapter
from bot.connector import ChannelConnector
from bot.teams_activity import TEAMS, team_id, tenant_id
from traef.participants import ChannelIdentity
from traef.ports import UnitOfWork
from traef.registration import recognise

log = logging.getLogger("traefbot.teams")

DEFAULT_CONCURRENCY = 4


@dataclass(frozen=True, slots=True)
class TeamInstall:
    """Where and as whom the bot was added to a team."""

    service_url: str
    team: str
    tenant: str
    bot_id: str
    bot_name: str | None


@dataclass(frozen=True, slots=True)
class RosterResult:
    members: int
    opened: int
    failed: int


class TeamRoster:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        today: Callable[[], date],
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> None:
        self._uow_factory = uow_factory
        self._today = today
        self._concurrency = concurrency
        self._running: dict[str, asyncio.Task[RosterResult | None]] = {}

    def reach_members(self, context: TurnContext) -> bool:
        """Start reaching the members of the team the activity comes from; False when it is not
        from a team the bot can read, or that team is being read already."""
        install = _install_of(context)
        connector = context.turn_state.get(TraefAdapter.CONNECTOR_KEY)
        if install is None or not isinstance(connector, ChannelConnector):
            return False
        if install.team in self._running:
            return False
        task = asyncio.create_task(self._reach(connector, install))
        self._running[install.team] = task
        task.add_done_callback(lambda _: self._running.pop(install.team, None))
        return True

    async def settled(self) -> None:
        """Wait until every team being read is done (for tests and an orderly shutdown)."""
        while self._running:
            await asyncio.gather(*self._running.values(), return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._running.values()):
            task.cancel()
        await self.settled()

    async def _reach(
        self, connector: ChannelConnector, install: TeamInstall
    ) -> RosterResult | None:
        try:
            members = await connector.all_members(install.service_url, install.team)
        except Exception:
            log.warning("Could not read the roster of team %s", install.team, exc_info=True)
            return None
        unreachable = await self._without_reference(members)
        limit = asyncio.Semaphore(self._concurrency)

        async def open_one(member: dict[str, Any]) -> bool:
            async with limit:
                return await self._open(connector, install, member)

        opened = sum(await asyncio.gather(*(open_one(m) for m in unreachable)))
        result = RosterResult(len(members), opened, len(unreachable) - opened)
        log.info(
            "Team %s: %d members, %d new 1:1 conversations, %d failed",
            install.team,
            result.members,
            result.opened,
            result.failed,
        )
        return result

    async def _without_reference(self, members: list[dict[str, Any]]) -> list[dict[str, Any]]:
        found = []
        uow = self._uow_factory()
        async with uow:
            for member in members:
                identifier = member.get("id")
                if isinstance(identifier, str) and identifier:
                    identity = ChannelIdentity(TEAMS, identifier)
                    if await uow.conversations.get(identity) is None:
                        found.append(member)
        return found

    async def _open(
        self, connector: ChannelConnector, install: TeamInstall, member: dict[str, Any]
    ) -> bool:
        member_id = str(member["id"])
        try:
            conversation = await connector.create_conversation(
                install.service_url, install.bot_id, member_id, install.tenant
            )
            identity = ChannelIdentity(TEAMS, member_id)
            uow = self._uow_factory()
            async with uow:
                reference = personal_reference(install, member, conversation)
                await uow.conversations.save(identity, reference, team=install.team)
                await uow.commit()
            await self._link_registration(identity, _email(member))
        except Exception:
            log.warning("Could not open a 1:1 conversation with %s", member_id, exc_info=True)
            return False
        return True

    async def _link_registration(self, identity: ChannelIdentity, email: str | None) -> None:
        """An imported registration with the member's e-mail is theirs (as when they write)."""
        if email is None:
            return
        uow = self._uow_factory()
        async with uow:
            event = await uow.events.current(self._today())
        if event is not None and event.id is not None:
            await recognise(self._uow_factory(), event.id, identity, email)


def personal_reference(
    install: TeamInstall, member: dict[str, Any], conversation: str
) -> dict[str, Any]:
    """A conversation reference (as `TurnContext.get_conversation_reference` writes it) for the
    1:1 conversation the bot opened; the member's e-mail is kept beside their account."""
    bot = ChannelAccount(id=install.bot_id, name=install.bot_name)
    return one_to_one_reference(install.service_url, install.tenant, bot, member, conversation)


def one_to_one_reference(
    service_url: str,
    tenant: str,
    bot_account: ChannelAccount,
    member: dict[str, Any],
    conversation: str,
) -> dict[str, Any]:
    """The reference of the bot's 1:1 Teams conversation `conversation` with `member` (a member
    as Teams lists it: id, name, aadObjectId, e-mail)."""
    user: dict[str, Any] = {"id": member["id"], "role": "user"}
    for key in ("name", "aadObjectId"):
        if isinstance(member.get(key), str) and member[key]:
            user[key] = member[key]
    email = _email(member)
    if email is not None:
        user["email"] = email
    bot: dict[str, Any] = {"id": bot_account.id, "role": "bot"}
    if bot_account.name:
        bot["name"] = bot_account.name
    return {
        "user": user,
        "bot": bot,
        "conversation": {
            "id": conversation,
            "conversationType": "personal",
            "isGroup": False,
            "tenantId": tenant,
        },
        "channelId": TEAMS,
        "serviceUrl": service_url,
    }


def _email(member: dict[str, Any]) -> str | None:
    email = member.get("email") or member.get("userPrincipalName")
    return email if isinstance(email, str) and "@" in email else None


def _install_of(context: TurnContext) -> TeamInstall | None:
    activity = context.activity
    team, tenant = team_id(activity), tenant_id(activity)
    bot = activity.recipient
    if activity.channel_id != TEAMS or not team or not tenant or bot is None or not bot.id:
        return None
    if not activity.service_url:
        return None
    return TeamInstall(activity.service_url, team, tenant, bot.id, bot.name)
