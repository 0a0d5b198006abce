"""Slack accounts for the imported registrations, found by e-mail.

An imported participant (`python -m bot participants import`) has an e-mail address but no chat
account until the bot recognises them, and broadcasts reach only people with a stored
conversation reference. Slack lets the bot find a workspace member by e-mail
(`users.lookupByEmail`, scope `users:read.email`) and open a direct message channel with them
(`conversations.open`, scope `im:write`). So, as `bot.teams_roster` does with a team's roster:
for each active registration of the event with an e-mail and no chat account, the address is
looked up; for a member found, the reference of their direct messages with the bot is stored
(unless the bot has one already) and the registration linked to their account.

Slack's refusals are counted, not raised: an address nobody (or only a deactivated account or a
bot) has is "not on Slack"; a call that fails counts as failed, and each kind of failure is
logged once; an error every further call would get too (a missing scope, a revoked token) stops
the pass. At most `concurrency` people are looked up at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum, auto
from typing import Any, TypeVar

import aiohttp
from botbuilder.schema import ChannelAccount
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.activities import SLACK, direct_message_reference, display_name
from bot.slack.adapter import SlackAdapter
from traef.participants import ChannelIdentity, Participant
from traef.ports import UnitOfWork
from traef.programme import Event
from traef.registration import recognise

log = logging.getLogger("traefbot.slack")
T = TypeVar("T")

DEFAULT_CONCURRENCY = 4
NOT_FOUND = "users_not_found"
# Slack's errors that every further call of the pass would get as well.
FATAL_ERRORS = frozenset(
    {
        "missing_scope",
        "not_authed",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
    }
)
SCOPES = {"users.lookupByEmail": "users:read.email", "conversations.open": "im:write"}


@dataclass(frozen=True, slots=True)
class SlackReach:
    """One pass over the event's registrations.

    `searched`: the active registrations with an e-mail and no chat account, each of which
    ends up linked, not on Slack, failed (not looked up, or Slack refused; tried again next
    pass) or elsewhere (the Slack account found is another registration's already).
    `already_linked`: active registrations that had a chat account (Slack or Teams) before the pass.
    `stopped`: Slack's error that ended the pass early; `scope`, the scope it said was missing.
    """

    searched: int
    linked: int
    not_on_slack: int
    failed: int
    already_linked: int
    elsewhere: int = 0
    stopped: str | None = None
    scope: str | None = None


class Outcome(Enum):
    LINKED = auto()
    NOT_ON_SLACK = auto()
    FAILED = auto()
    ELSEWHERE = auto()


@dataclass
class _Pass:
    """What the people of one pass share: the bot's user, why it stopped, what was logged."""

    event_id: int
    bot_user: str
    stopped: str | None = None
    scope: str | None = None
    logged: set[str] = field(default_factory=set)


class SlackFailure(Exception):
    """A Slack call of the pass failed: `code` is Slack's error, or the network error's kind."""

    def __init__(self, method: str, code: str, needed: str | None = None) -> None:
        super().__init__(f"{method}: {code}")
        self.method = method
        self.code = code
        self.needed = needed


class SlackDirectory:
    def __init__(
        self,
        adapter: SlackAdapter,
        uow_factory: Callable[[], UnitOfWork],
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> None:
        self._adapter = adapter
        self._uow_factory = uow_factory
        self._concurrency = concurrency

    async def reach_registrations(self, event: Event) -> SlackReach:
        """Look up on Slack, by e-mail, each active registration of `event` without a chat
        account; store a way to write to those found and link their registrations."""
        assert event.id is not None
        searching, already_linked = await self._unlinked(event.id)
        if not searching:
            return SlackReach(0, 0, 0, 0, already_linked)
        try:
            bot_user = await _slack_call("auth.test", self._adapter.bot_user())
        except SlackFailure as failure:
            state = _Pass(event.id, "")
            self._note(state, failure)
            return SlackReach(
                searched=len(searching),
                linked=0,
                not_on_slack=0,
                failed=len(searching),
                already_linked=already_linked,
                stopped=state.stopped,
                scope=state.scope,
            )
        state = _Pass(event.id, bot_user)
        limit = asyncio.Semaphore(self._concurrency)

        async def reach(person: Participant) -> Outcome:
            async with limit:
                return await self._reach(state, person)

        results = await asyncio.gather(*(reach(p) for p in searching), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        outcomes = [result for result in results if isinstance(result, Outcome)]
        reached = SlackReach(
            searched=len(searching),
            linked=outcomes.count(Outcome.LINKED),
            not_on_slack=outcomes.count(Outcome.NOT_ON_SLACK),
            failed=outcomes.count(Outcome.FAILED),
            already_linked=already_linked,
            elsewhere=outcomes.count(Outcome.ELSEWHERE),
            stopped=state.stopped,
            scope=state.scope,
        )
        log.info(
            "Slack by e-mail: %d looked up, %d linked, %d not on Slack, %d failed",
            reached.searched,
            reached.linked,
            reached.not_on_slack,
            reached.failed,
        )
        return reached

    async def _unlinked(self, event_id: int) -> tuple[list[Participant], int]:
        """The active registrations to look up, and how many have a chat account already (on
        Slack, or in Teams: broadcasts reach a person through one account, so someone the bot
        already writes to in Teams is not looked for on Slack as well)."""
        uow = self._uow_factory()
        async with uow:
            people = [p for p in await uow.participants.for_event(event_id) if p.is_active]
        linked = {p.id for p in people if p.identities}
        return [p for p in people if p.email and p.id not in linked], len(linked)

    async def _reach(self, state: _Pass, person: Participant) -> Outcome:
        if state.stopped is not None or not person.email:
            return Outcome.FAILED
        try:
            member = await self._member(person.email)
            if member is not None:
                await self._keep_reference(state, member)
        except SlackFailure as failure:
            self._note(state, failure)
            return Outcome.FAILED
        if member is None:
            return Outcome.NOT_ON_SLACK
        identity = ChannelIdentity(SLACK, str(member["id"]))
        linked = await recognise(self._uow_factory(), state.event_id, identity, person.email)
        if linked is None or linked.id != person.id:
            return Outcome.ELSEWHERE
        return Outcome.LINKED

    async def _member(self, email: str) -> dict[str, Any] | None:
        """The workspace member with the address; None when no active person has it."""
        try:
            answer = await _slack_call(
                "users.lookupByEmail", self._adapter.client.users_lookupByEmail(email=email)
            )
        except SlackFailure as failure:
            if failure.code == NOT_FOUND:
                return None
            raise
        member = answer.get("user")
        if not isinstance(member, dict) or not member.get("id"):
            return None
        if member.get("deleted") or member.get("is_bot"):
            return None
        return member

    async def _keep_reference(self, state: _Pass, member: dict[str, Any]) -> None:
        """Store the reference of the member's direct messages with the bot, unless the bot
        has a usable one; nothing is stored when the channel cannot be opened."""
        identity = ChannelIdentity(SLACK, str(member["id"]))
        uow = self._uow_factory()
        async with uow:
            if await uow.conversations.get(identity) is not None:
                return
        channel = await _slack_call(
            "conversations.open", self._adapter.open_direct_messages(identity.user_id)
        )
        person = ChannelAccount(id=identity.user_id, name=display_name(member), role="user")
        bot = ChannelAccount(id=state.bot_user, role="bot")
        reference = direct_message_reference(person, channel, bot, self._adapter.locale)
        uow = self._uow_factory()
        async with uow:
            await uow.conversations.save(identity, reference)
            await uow.commit()

    @staticmethod
    def _note(state: _Pass, failure: SlackFailure) -> None:
        """Log each kind of failure once; stop the pass at one every call would get."""
        if failure.code in FATAL_ERRORS and state.stopped is None:
            state.stopped = failure.code
            if failure.code == "missing_scope":
                state.scope = failure.needed or SCOPES.get(failure.method)
                log.error(
                    "Slack refused %s: the app lacks the scope %s. Add it to the Slack app "
                    "(OAuth & Permissions), reinstall the app and run "
                    "`python -m bot participants slack`. Stopped looking people up.",
                    failure.method,
                    state.scope,
                )
            else:
                log.error(
                    "Slack refused %s (%s): check SLACK_BOT_TOKEN. Stopped looking people up.",
                    failure.method,
                    failure.code,
                )
            state.logged.add(failure.code)
        elif failure.code not in state.logged:
            state.logged.add(failure.code)
            log.warning("Slack %s failed (%s)", failure.method, failure.code)


async def _slack_call(method: str, call: Awaitable[T]) -> T:
    """Await a Web API call; its failure as a `SlackFailure` without the request's details."""
    try:
        return await call
    except SlackApiError as error:
        response = error.response
        needed = response.get("needed")
        code = str(response.get("error") or "error")
        raise SlackFailure(method, code, str(needed) if needed else None) from None
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as error:
        raise SlackFailure(method, type(error).__name__) from None
