from datetime import UTC, date, datetime

import pytest

from tests.fakes import FakeUnitOfWork
from traef.demo import DEMO_EVENT_NAME
from traef.errors import NoEventError
from traef.programme import Event
from traef.services import current_event, ensure_demo_event


async def test_demo_event_is_loaded_on_todays_date_when_there_is_no_event() -> None:
    uow = FakeUnitOfWork()
    # 23.30 UTC on the 21st is already the 22nd in Copenhagen.
    added = await ensure_demo_event(uow, datetime(2026, 11, 21, 23, 30, tzinfo=UTC))
    assert added is not None and added.name == DEMO_EVENT_NAME
    assert added.start_date == date(2026, 11, 22)
    assert uow.commits == 1 and len(uow.committed) == 1


async def test_demo_event_is_not_loaded_when_an_event_exists() -> None:
    uow = FakeUnitOfWork([Event("Ledelsestræf 2026", date(2026, 10, 27), date(2026, 10, 27), id=1)])
    assert await ensure_demo_event(uow, datetime(2026, 11, 22, 9, tzinfo=UTC)) is None
    assert [e.name for e in uow.committed] == ["Ledelsestræf 2026"]


async def test_current_event_without_any_event_raises_a_domain_error() -> None:
    with pytest.raises(NoEventError):
        await current_event(FakeUnitOfWork(), date(2026, 11, 22))
