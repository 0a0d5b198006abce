"""What the dialogs need from the rest of the bot, handed over by the composition root."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from botbuilder.core import TurnContext, UserState
from botbuilder.schema import Activity, Attachment

from dialogs.i18n import Texts
from dialogs.identity import ProfileLookup
from dialogs.language import LanguagePreference
from traef.participants import ChannelIdentity
from traef.ports import UnitOfWork

Clock = Callable[[], datetime]
FacilitatorCheck = Callable[[TurnContext], Awaitable[bool]]


class AttachmentFetcher(Protocol):
    async def fetch(self, context: TurnContext, attachment: Attachment) -> bytes:
        """The attachment's bytes; raises AttachmentError when it cannot be had."""
        ...


class Announcer(Protocol):
    async def announce(self, render: Callable[[Texts], Activity]) -> int:
        """Tell everyone the bot has talked to, each in their language; returns how many."""
        ...

    async def tell(self, identity: ChannelIdentity, render: Callable[[Texts], Activity]) -> bool:
        """Tell one person, in their language; False when the bot cannot reach them."""
        ...

    async def tell_each(
        self, messages: Sequence[tuple[ChannelIdentity, Callable[[Texts], Activity]]], audience: str
    ) -> set[ChannelIdentity]:
        """Tell several people each their own message; returns the accounts reached."""
        ...


class AttachmentError(Exception):
    """The attachment could not be fetched (gone, too large, not a file)."""


@dataclass(frozen=True)
class DialogDependencies:
    uow_factory: Callable[[], UnitOfWork]
    language: LanguagePreference
    clock: Clock
    zone: ZoneInfo
    user_state: UserState
    profiles: ProfileLookup
    is_facilitator: FacilitatorCheck
    attachments: AttachmentFetcher
    announcer: Announcer
    calendar_url: Callable[[str], str]  # the public address of a participant's calendar file
    outbox_wake: Callable[[], None] = lambda: None  # tells the sender there is new mail
    feedback_secret: bytes = b"traefbot-feedback"  # keys the anonymous respondent tokens

    def now(self) -> datetime:
        return self.clock().astimezone(self.zone)

    def today(self) -> date:
        return self.now().date()
