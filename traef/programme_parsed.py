"""A programme as read from a text or a file: its days of items and its problems; as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from traef.programme import EVERYONE, ProgrammeItem
from traef.programme_fields import Entry
from traef.programme_people import format_audience
from traef.programme_problems import ProblemCode, ProgrammeProblem


@dataclass(frozen=True, slots=True)
class ParsedDay:
    date: date
    items: tuple[ProgrammeItem, ...]


@dataclass(frozen=True, slots=True)
class ParsedProgramme:
    """What was understood, day by day, and what was not: lines by number, the file as a whole."""

    days: tuple[ParsedDay, ...]
    unparsed: tuple[ProgrammeProblem, ...] = ()  # each about one line
    file_problems: tuple[ProgrammeProblem, ...] = ()  # e.g. NO_DATE
    timezone: str = "Europe/Copenhagen"

    @property
    def items(self) -> tuple[ProgrammeItem, ...]:
        return tuple(item for day in self.days for item in day.items)

    @property
    def problems(self) -> tuple[ProgrammeProblem, ...]:
        """The file's problems first, then the lines' in order."""
        return (*self.file_problems, *self.unparsed)


def to_json(parsed: ParsedProgramme) -> dict[str, Any]:
    """What was understood, for `--json`: one day at the top level, several as `days`.

    An item's `audience` is given only when it is not for everyone, as "type:<participant type>"
    or "group:<name>" (the form the YAML import reads back).
    """
    zone = ZoneInfo(parsed.timezone)
    days: list[dict[str, Any]] = [
        {"date": day.date.isoformat(), "items": [_item_json(i, zone) for i in day.items]}
        for day in parsed.days
    ]
    unparsed = [{"line": p.line, "text": p.source} for p in parsed.unparsed]
    if len(days) > 1:
        return {"days": days, "unparsed": unparsed}
    only = days[0] if days else {"date": None, "items": []}
    return {**only, "unparsed": unparsed}


def _item_json(item: ProgrammeItem, zone: ZoneInfo) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "start": f"{item.start.astimezone(zone):%H:%M}",
        "end": f"{item.end.astimezone(zone):%H:%M}" if item.end is not None else None,
        "title": item.title,
        "speakers": list(item.speakers),
        "kind": item.kind.value,
    }
    if item.audience != EVERYONE:
        shown["audience"] = format_audience(item.audience)
    return shown


# --- Assembling what was read -----------------------------------------------------------------


@dataclass(slots=True)
class DraftDay:
    """The items of one day while reading; `date` is None until a date is known."""

    date: date | None
    entries: list[Entry] = field(default_factory=list)
    by_heading: bool = False  # the date came from a day heading, not from a line of prose


def assemble(
    days: Sequence[DraftDay], problems: Sequence[ProgrammeProblem], timezone: str
) -> ParsedProgramme:
    """Dated programme items from the days read; days of one date are merged.

    An entry without an end ends when the next item of its day begins; the day's last stays a
    moment. Days that have items but no date make the whole text NO_DATE.
    """
    zone = ZoneInfo(timezone)
    by_date: dict[date, list[Entry]] = {}
    undated = False
    for day in days:
        if day.date is None:
            undated = undated or bool(day.entries)
        elif day.entries:
            by_date.setdefault(day.date, []).extend(day.entries)
    file_problems: list[ProgrammeProblem] = []
    if undated:
        file_problems.append(ProgrammeProblem(ProblemCode.NO_DATE))
    if not by_date and not undated:
        file_problems.append(ProgrammeProblem(ProblemCode.NO_ITEMS))
    parsed_days = tuple(
        ParsedDay(day, _dated(day, entries, zone)) for day, entries in sorted(by_date.items())
    )
    unparsed = tuple(sorted(problems, key=lambda p: p.line or 0))
    return ParsedProgramme(parsed_days, unparsed, tuple(file_problems), timezone)


def _dated(day: date, entries: list[Entry], zone: ZoneInfo) -> tuple[ProgrammeItem, ...]:
    ordered = sorted(entries, key=lambda entry: entry.start)
    starts = [entry.start for entry in ordered]
    items = []
    for entry in ordered:
        end = entry.end or next((s for s in starts if s > entry.start), None)
        items.append(
            ProgrammeItem(
                start=datetime.combine(day, entry.start, tzinfo=zone),
                end=datetime.combine(day, end, tzinfo=zone) if end is not None else None,
                title=entry.title,
                kind=entry.kind,
                speakers=entry.speakers,
                description=entry.description,
                link=entry.link,
                audience=entry.audience,
            )
        )
    return tuple(items)
