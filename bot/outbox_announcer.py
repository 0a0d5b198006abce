"""Announcements and personal messages go through the durable outbox, not straight out.

The dialogs call `announce` / `tell_each`; this queues one outbox row per recipient (rendered in
their language) in one transaction and wakes the sender, which paces, retries and reports.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from botbuilder.core import serializer_helper
from botbuilder.schema import Activity

from dialogs.dependencies import Clock
from dialogs.i18n import Catalogue, Language, Texts
from traef.broadcasts import Audience, AudienceKind, Recipient, queue_broadcast, recipients
from traef.errors import NoEventError
from traef.outbox import BroadcastKind
from traef.participants import ChannelIdentity
from traef.ports import UnitOfWork
from traef.services import current_event

Render = Callable[[Texts], Activity]
SENDER_NAME = "Træfbot"


class OutboxAnnouncer:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        catalogue: Catalogue,
        default_language: Language,
        clock: Clock,
        wake: Callable[[], None],
        zone_of_today: Callable[[], Any],
    ) -> None:
        self._uow_factory = uow_factory
        self._catalogue = catalogue
        self._default = default_language
        self._clock = clock
        self._wake = wake
        self._today = zone_of_today

    async def announce(self, render: Render) -> int:
        """Queue the message for everyone the bot can reach; returns how many."""
        try:
            event = await current_event(self._uow_factory(), self._today())
        except NoEventError:
            return 0
        chosen = await recipients(self._uow_factory(), event, Audience(AudienceKind.EVERYONE))
        if not chosen:
            return 0
        await queue_broadcast(
            self._uow_factory(),
            event,
            chosen,
            lambda r: self._body(render, r),
            created_by=SENDER_NAME,
            audience="alle",
            now=self._clock(),
            kind=BroadcastKind.PROGRAMME_CHANGE,
        )
        self._wake()
        return len(chosen)

    async def tell(self, identity: ChannelIdentity, render: Render) -> bool:
        return bool(await self.tell_each([(identity, render)], audience=identity.user_id))

    async def tell_each(
        self, messages: Sequence[tuple[ChannelIdentity, Render]], audience: str
    ) -> set[ChannelIdentity]:
        """Queue a personal message for each person (through the one account the bot writes to
        them on; give every account of a person); returns the accounts written to."""
        try:
            event = await current_event(self._uow_factory(), self._today())
        except NoEventError:
            return set()
        everyone = {
            r.identity: r
            for r in await recipients(self._uow_factory(), event, Audience(AudienceKind.EVERYONE))
        }
        renders = {identity: render for identity, render in messages if identity in everyone}
        if not renders:
            return set()
        await queue_broadcast(
            self._uow_factory(),
            event,
            [everyone[i] for i in renders],
            lambda r: self._body(renders[r.identity], r),
            created_by=SENDER_NAME,
            audience=audience,
            now=self._clock(),
            kind=BroadcastKind.GROUPS,
        )
        self._wake()
        return set(renders)

    def _body(self, render: Render, recipient: Recipient) -> dict[str, Any]:
        language = self._default
        if recipient.participant is not None and recipient.participant.language in ("da", "en"):
            language = recipient.participant.language  # type: ignore[assignment]
        body: dict[str, Any] = serializer_helper(render(self._catalogue.texts(language)))
        return body
