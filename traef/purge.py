"""Retention: once an event is over, its personal data goes and only anonymous feedback stays."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from traef.participants import ChannelIdentity

if TYPE_CHECKING:
    from traef.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class PurgeReport:
    participants: int
    identities: int


async def purge_event(
    uow: UnitOfWork, event_id: int, *, all_conversations: bool = False
) -> PurgeReport:
    """Delete the event's participants (with their identities, calendar tokens and reminder log),
    group plans, broadcasts with their messages, and the respondent tokens of its feedback;
    also the conversation references and user state of its people, unless they are signed up
    for another event (of everyone with `all_conversations`). Forms, answers and post-its stay.
    """
    async with uow:
        participants = await uow.participants.for_event(event_id)
        identities = {identity for p in participants for identity in p.identities}
        forgotten = {i for i in identities if not await _in_other_event(uow, i, event_id)}
        await uow.feedback.erase_personal_data(event_id, forgotten, all_conversations)
        for participant in participants:
            if participant.id is not None:
                await uow.participants.delete(participant.id)
        await uow.commit()
    return PurgeReport(len(participants), len(forgotten))


async def _in_other_event(uow: UnitOfWork, identity: ChannelIdentity, event_id: int) -> bool:
    registrations = await uow.participants.with_identity(identity)
    return any(p.event_id != event_id for p in registrations)


async def purge_expired(
    uow_factory: Callable[[], UnitOfWork], today: date, retention_days: int
) -> list[int]:
    """Purge every event that ended more than `retention_days` ago and still holds participants;
    returns their ids. Run often: an event already purged is left alone."""
    cutoff = today - timedelta(days=retention_days)
    uow = uow_factory()
    async with uow:
        expired = await uow.events.ended_before(cutoff)
        holding = [
            e.id for e in expired if e.id is not None and await uow.participants.for_event(e.id)
        ]
    for event_id in holding:
        await purge_event(uow_factory(), event_id)
    return holding
