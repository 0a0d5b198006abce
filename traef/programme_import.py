"""Use case: a programme read from organisers' text (or YAML/CSV) becomes an event's programme."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from traef.errors import InvalidProgrammeError, TraefError
from traef.ports import UnitOfWork
from traef.programme import Event, ProgrammeItem
from traef.programme_parsed import ParsedProgramme
from traef.programme_problems import ProgrammeProblem


class ProgrammeRefusedError(TraefError):
    """The programme was not imported: the text has problems (see `problems`); nothing stored."""

    def __init__(self, problems: Sequence[ProgrammeProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"The programme has {len(self.problems)} problem(s).")


async def import_programme(
    uow: UnitOfWork,
    parsed: ParsedProgramme,
    event_name: str | None = None,
    replace_event: Event | None = None,
    *,
    allow_unparsed: bool = False,
) -> Event:
    """Store the parsed programme and return the event as stored.

    With `replace_event`, its programme becomes exactly the parsed items (earlier items are
    removed) and its dates span the parsed days; its name, zone and choices stay. Otherwise a new
    event named `event_name` is added in the programme's time zone. Items keep the clock times
    they were written with, in the event's zone.

    Refused (ProgrammeRefusedError, nothing stored) when the text as a whole cannot be used (no
    date, no items), or when any line was not understood, unless `allow_unparsed`.
    """
    refusing = [*parsed.file_problems, *([] if allow_unparsed else parsed.unparsed)]
    if refusing:
        raise ProgrammeRefusedError(refusing)
    first, last = parsed.days[0].date, parsed.days[-1].date
    if replace_event is None:
        if not (event_name or "").strip():
            raise InvalidProgrammeError("A new event needs a name.")
        event = Event(
            name=(event_name or "").strip(),
            start_date=first,
            end_date=last,
            timezone=parsed.timezone,
            items=parsed.items,
        )
        async with uow:
            added = await uow.events.add(event)
            await uow.commit()
        return added
    assert replace_event.id is not None, "only a stored event can be replaced"
    items = _in_zone(parsed.items, replace_event.zone)
    dated = replace(replace_event, start_date=first, end_date=last, items=())
    async with uow:
        # Emptied first, so neither the old items nor the new ones lie outside the dates between.
        await uow.events.save_programme(replace_event.id, ())
        await uow.events.update(dated)
        stored = await uow.events.save_programme(replace_event.id, items)
        await uow.commit()
    return stored


def _in_zone(items: tuple[ProgrammeItem, ...], zone: ZoneInfo) -> tuple[ProgrammeItem, ...]:
    """The items at the same clock times in another zone; ids dropped, as they are new."""

    def moved(instant: datetime) -> datetime:
        return instant.replace(tzinfo=None).replace(tzinfo=zone)

    return tuple(
        replace(
            item,
            start=moved(item.start),
            end=moved(item.end) if item.end is not None else None,
            id=None,
        )
        for item in items
    )
