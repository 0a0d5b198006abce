"""In-memory stand-ins for storage, so domain and dialog tests run without a database."""

from __future__ import annotations

import dataclasses
from datetime import date
from types import TracebackType
from typing import Self

from traef.programme import Event


class FakeEventRepository:
    def __init__(self, events: list[Event]) -> None:
        self.events = events

    async def add(self, event: Event) -> Event:
        stored = dataclasses.replace(event, id=len(self.events) + 1)
        self.events.append(stored)
        return stored

    async def get(self, event_id: int) -> Event | None:
        return next((event for event in self.events if event.id == event_id), None)

    async def current(self, today: date) -> Event | None:
        ongoing = [e for e in self.events if e.start_date <= today <= e.end_date]
        upcoming = sorted(
            (e for e in self.events if e.start_date > today), key=lambda e: e.start_date
        )
        past = sorted((e for e in self.events if e.end_date < today), key=lambda e: e.end_date)
        candidates = ongoing or upcoming or past[::-1]
        return candidates[0] if candidates else None

    async def count(self) -> int:
        return len(self.events)


class FakeUnitOfWork:
    """Shares one list of events between all units of work made from it, like one database."""

    def __init__(self, events: list[Event] | None = None) -> None:
        self.committed: list[Event] = events if events is not None else []
        self.events = FakeEventRepository(list(self.committed))
        self.commits = 0

    async def __aenter__(self) -> Self:
        self.events = FakeEventRepository(list(self.committed))
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.rollback()

    async def commit(self) -> None:
        self.committed[:] = self.events.events
        self.commits += 1

    async def rollback(self) -> None:
        self.events = FakeEventRepository(list(self.committed))
