"""Read-only queries, kept apart from the use cases that change things."""

from __future__ import annotations

from traef.participants import Participant
from traef.ports import UnitOfWork


async def participants_of(uow: UnitOfWork, event_id: int) -> list[Participant]:
    """Everyone on the event's list, cancelled ones included, ordered by name."""
    async with uow:
        return await uow.participants.for_event(event_id)
