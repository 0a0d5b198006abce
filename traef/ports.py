"""What the use cases need from storage, as protocols. `storage/` implements them."""

from __future__ import annotations

from datetime import date
from types import TracebackType
from typing import Protocol, Self

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


class UnitOfWork(Protocol):
    """`async with uow:` … `await uow.commit()`; leaving without commit rolls back."""

    @property
    def events(self) -> EventRepository: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
