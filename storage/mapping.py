"""Conversion between the domain's events and the rows that store them."""

from __future__ import annotations

from datetime import UTC

from storage.models import EventRow, ProgrammeItemRow
from traef.programme import Event, ItemKind, ProgrammeItem


def event_to_row(event: Event) -> EventRow:
    """A new row for the event; ids of the event and its items are not carried over."""
    return EventRow(
        name=event.name,
        start_date=event.start_date,
        end_date=event.end_date,
        timezone=event.timezone,
        items=[item_to_row(item, position) for position, item in enumerate(event.items)],
    )


def item_to_row(item: ProgrammeItem, position: int) -> ProgrammeItemRow:
    return ProgrammeItemRow(
        position=position,
        starts_at=item.start.astimezone(UTC),
        ends_at=item.end.astimezone(UTC) if item.end is not None else None,
        title=item.title,
        kind=item.kind.value,
        speakers=list(item.speakers),
        description=item.description,
        link=item.link,
    )


def row_to_event(row: EventRow) -> Event:
    return Event(
        id=row.id,
        name=row.name,
        start_date=row.start_date,
        end_date=row.end_date,
        timezone=row.timezone,
        items=tuple(row_to_item(item) for item in row.items),
    )


def row_to_item(row: ProgrammeItemRow) -> ProgrammeItem:
    return ProgrammeItem(
        id=row.id,
        start=row.starts_at,
        end=row.ends_at,
        title=row.title,
        kind=ItemKind(row.kind),
        speakers=tuple(row.speakers),
        description=row.description,
        link=row.link,
    )
