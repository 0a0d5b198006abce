"""Importing a parsed programme: it replaces the event's programme or makes a new event."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.fakes import FakeUnitOfWork
from traef.demo import demo_event
from traef.errors import InvalidProgrammeError
from traef.programme import Event
from traef.programme_import import ProgrammeRefusedError, import_programme
from traef.programme_parsed import ParsedProgramme
from traef.programme_problems import ProblemCode
from traef.programme_text import parse_programme

DATA = Path(__file__).resolve().parents[1] / "data" / "programme"
FRIDAY = date(2018, 11, 9)


@pytest.fixture
def event() -> Event:
    return replace(demo_event(date(2026, 11, 22)), id=1)


@pytest.fixture
def uow(event: Event) -> FakeUnitOfWork:
    return FakeUnitOfWork([event])


def seed_004(default_date: date | None = FRIDAY) -> ParsedProgramme:
    text = (DATA / "seed_004_fredag.txt").read_text("utf-8")
    return parse_programme(text, default_date, "Europe/Copenhagen")


def local_clock(event: Event) -> list[str]:
    return [f"{event.local(item.start):%Y-%m-%d %H.%M}" for item in event.items]


async def test_the_programme_replaces_the_current_events_and_moves_its_dates(
    uow: FakeUnitOfWork, event: Event
) -> None:
    stored = await import_programme(uow, seed_004(), replace_event=event)

    assert uow.commits == 1
    assert uow.committed == [stored]
    assert (stored.id, stored.name, stored.timezone) == (1, event.name, event.timezone)
    assert (stored.start_date, stored.end_date) == (FRIDAY, FRIDAY)
    assert [item.title for item in stored.items] == [item.title for item in seed_004().items]
    assert local_clock(stored)[0] == "2018-11-09 08.30"
    assert stored.items[-1].end is None
    old_ids = {item.id for item in event.items}
    assert all(item.id is not None and item.id not in old_ids for item in stored.items)


async def test_a_programme_of_several_days_spans_the_events_dates(
    uow: FakeUnitOfWork, event: Event
) -> None:
    text = "Dag 1 – 8. november 2018\n9.00 Velkomst\nDag 2\n9.00 Opsamling\n"
    parsed = parse_programme(text, None)

    stored = await import_programme(uow, parsed, replace_event=event)

    assert (stored.start_date, stored.end_date) == (date(2018, 11, 8), FRIDAY)
    assert local_clock(stored) == ["2018-11-08 09.00", "2018-11-09 09.00"]


async def test_a_new_event_is_added_with_the_programme(uow: FakeUnitOfWork, event: Event) -> None:
    stored = await import_programme(uow, seed_004(), event_name="  Fælles om ledelse 2018 ")

    assert (stored.id, stored.name) == (2, "Fælles om ledelse 2018")
    assert (stored.start_date, stored.end_date, stored.timezone) == (
        FRIDAY,
        FRIDAY,
        "Europe/Copenhagen",
    )
    assert len(stored.items) == 8
    assert uow.committed == [event, stored]  # the other event is left alone


async def test_a_new_event_needs_a_name(uow: FakeUnitOfWork) -> None:
    with pytest.raises(InvalidProgrammeError):
        await import_programme(uow, seed_004(), event_name=" ")

    assert uow.commits == 0


async def test_unparsed_lines_refuse_the_import_unless_allowed(
    uow: FakeUnitOfWork, event: Event
) -> None:
    parsed = parse_programme((DATA / "bad_lines.txt").read_text("utf-8"), None)

    with pytest.raises(ProgrammeRefusedError) as refused:
        await import_programme(uow, parsed, replace_event=event)

    assert [p.line for p in refused.value.problems] == [4, 5, 6]
    assert uow.commits == 0
    assert uow.committed == [event]

    stored = await import_programme(uow, parsed, replace_event=event, allow_unparsed=True)

    assert [item.title for item in stored.items] == ["Opsamling", "Frokost"]


async def test_a_programme_without_date_or_items_is_refused_even_when_lines_may_be_skipped(
    uow: FakeUnitOfWork, event: Event
) -> None:
    for parsed, code in [
        (seed_004(default_date=None), ProblemCode.NO_DATE),
        (parse_programme("Program for fredag\n", FRIDAY), ProblemCode.NO_ITEMS),
    ]:
        with pytest.raises(ProgrammeRefusedError) as refused:
            await import_programme(uow, parsed, replace_event=event, allow_unparsed=True)
        assert [p.code for p in refused.value.problems] == [code]
    assert uow.commits == 0


async def test_items_keep_their_clock_times_in_the_events_time_zone() -> None:
    london = replace(demo_event(date(2026, 11, 22)), id=1, timezone="Europe/London")
    uow = FakeUnitOfWork([london])

    stored = await import_programme(uow, seed_004(), replace_event=london)

    assert stored.items[0].start.tzinfo == ZoneInfo("Europe/London")
    assert local_clock(stored)[0] == "2018-11-09 08.30"
