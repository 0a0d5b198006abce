"""What the use cases need from storage, as protocols. `storage/` implements them."""

from __future__ import annotations

from datetime import date
from types import TracebackType
from typing import Protocol, Self

from traef.participants import ChannelIdentity, Participant
from traef.programme import Event


class EventRepository(Protocol):
    async def add(self, event: Event) -> Event:
        """Store a new event with its programme; returns it with ids filled in."""
        ...

    async def get(self, event_id: int) -> Event | None: ...

    async def current(self, today: date) -> Event | None:
        """The event that is on today; else the next one to come; else the latest one."""
        ...

    async def count(self) -> int: ...


class ParticipantRepository(Protocol):
    async def add(self, participant: Participant) -> Participant:
        """Store a new participant with their identities; returns it with its id."""
        ...

    async def get(self, participant_id: int) -> Participant | None: ...

    async def by_identity(self, event_id: int, identity: ChannelIdentity) -> Participant | None: ...

    async def with_identity(self, identity: ChannelIdentity) -> list[Participant]:
        """The person's registrations in every event."""
        ...

    async def by_email(self, event_id: int, email: str) -> Participant | None:
        """E-mail addresses are stored lower-case; `email` is expected lower-case too."""
        ...

    async def update(self, participant: Participant) -> Participant:
        """Overwrite every field and the set of identities of a stored participant."""
        ...

    async def delete(self, participant_id: int) -> None:
        """Remove the participant and their identities; unknown ids are ignored."""
        ...

    async def for_event(self, event_id: int) -> list[Participant]:
        """All participants of the event, cancelled ones included, ordered by
        `traef.participants.name_sort_key`."""
        ...


class UnitOfWork(Protocol):
    """`async with uow:` … `await uow.commit()`; leaving without commit rolls back."""

    @property
    def events(self) -> EventRepository: ...

    @property
    def participants(self) -> ParticipantRepository: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
