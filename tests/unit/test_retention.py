"""With a retention period, events that ended long enough ago lose their personal data."""

from __future__ import annotations

from datetime import date

from tests.fakes import FakeUnitOfWork
from traef.participants import Participant
from traef.programme import Event
from traef.purge import purge_expired


async def test_only_events_past_the_retention_period_are_purged() -> None:
    old = Event("Træf 2025", date(2025, 10, 27), date(2025, 10, 27), id=1)
    recent = Event("Træf 2026", date(2026, 11, 10), date(2026, 11, 10), id=2)
    uow = FakeUnitOfWork([old, recent])
    uow.committed_participants[1] = Participant(1, "Anna", "MSO", "Leder", id=1)
    uow.committed_participants[2] = Participant(2, "Bo", "MBU", "Leder", id=2)

    purged = await purge_expired(lambda: uow, date(2026, 11, 22), retention_days=30)

    assert purged == [1]
    assert [p.name for p in uow.committed_participants.values()] == ["Bo"]
    assert await purge_expired(lambda: uow, date(2026, 11, 22), retention_days=30) == []
