"""Conversion between the domain's events, participants and programme changes and the rows
that store them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from storage.models import (
    EventRow,
    ParticipantIdentityRow,
    ParticipantRow,
    ProgrammeChangeRow,
    ProgrammeItemRow,
)
from traef.changes import ProgrammeChange
from traef.participants import ChannelIdentity, Participant, ParticipantType, Status
from traef.programme import Audience, AudienceKind, Event, ItemKind, ProgrammeItem


def event_to_row(event: Event) -> EventRow:
    """A new row for the event; ids of the event and its items are not carried over."""
    row = EventRow(items=[item_to_row(item, position) for position, item in enumerate(event.items)])
    update_event_row(row, event)
    return row


def update_event_row(row: EventRow, event: Event) -> None:
    """Overwrite the event's own fields; its items are left alone."""
    row.name = event.name
    row.start_date = event.start_date
    row.end_date = event.end_date
    row.timezone = event.timezone
    row.departments = list(event.departments)
    row.levels = list(event.levels)
    row.preparation = event.preparation
    row.preparation_reminder_days = event.preparation_reminder_days


def item_to_row(item: ProgrammeItem, position: int) -> ProgrammeItemRow:
    """A new row for the item; its id is not carried over."""
    row = ProgrammeItemRow()
    update_item_row(row, item, position)
    return row


def update_item_row(row: ProgrammeItemRow, item: ProgrammeItem, position: int) -> None:
    """Overwrite every field of the row but its id and event."""
    row.position = position
    row.starts_at = item.start.astimezone(UTC)
    row.ends_at = item.end.astimezone(UTC) if item.end is not None else None
    row.title = item.title
    row.kind = item.kind.value
    row.speakers = list(item.speakers)
    row.description = item.description
    row.link = item.link
    row.audience_kind = item.audience.kind.value
    row.audience_value = item.audience.value


def row_to_event(row: EventRow) -> Event:
    return Event(
        id=row.id,
        name=row.name,
        start_date=row.start_date,
        end_date=row.end_date,
        timezone=row.timezone,
        departments=tuple(row.departments),
        levels=tuple(row.levels),
        preparation=row.preparation,
        preparation_reminder_days=row.preparation_reminder_days,
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
        audience=Audience(AudienceKind(row.audience_kind), row.audience_value),
    )


def change_to_row(change: ProgrammeChange) -> ProgrammeChangeRow:
    """A new row for the change; its id is not carried over."""
    return ProgrammeChangeRow(
        event_id=change.event_id,
        made_by=change.made_by,
        made_at=change.made_at,
        summary=change.summary,
        before=items_to_json(change.before),
        after=items_to_json(change.after),
        undone_at=change.undone_at,
    )


def row_to_change(row: ProgrammeChangeRow) -> ProgrammeChange:
    return ProgrammeChange(
        id=row.id,
        event_id=row.event_id,
        made_by=row.made_by,
        made_at=row.made_at,
        summary=row.summary,
        before=items_from_json(row.before),
        after=items_from_json(row.after),
        undone_at=row.undone_at,
    )


def items_to_json(items: tuple[ProgrammeItem, ...]) -> list[dict[str, Any]]:
    """A snapshot of programme items as JSON, in their order; times ISO 8601 with their offset."""
    return [
        {
            "id": item.id,
            "start": item.start.isoformat(),
            "end": item.end.isoformat() if item.end is not None else None,
            "title": item.title,
            "kind": item.kind.value,
            "speakers": list(item.speakers),
            "description": item.description,
            "link": item.link,
            "audience": {"kind": item.audience.kind.value, "value": item.audience.value},
        }
        for item in items
    ]


def items_from_json(snapshot: list[dict[str, Any]]) -> tuple[ProgrammeItem, ...]:
    """The items `items_to_json` wrote, equal to the originals (times at the same offset)."""
    return tuple(
        ProgrammeItem(
            id=each["id"],
            start=datetime.fromisoformat(each["start"]),
            end=datetime.fromisoformat(each["end"]) if each["end"] is not None else None,
            title=each["title"],
            kind=ItemKind(each["kind"]),
            speakers=tuple(each["speakers"]),
            description=each["description"],
            link=each["link"],
            audience=Audience(AudienceKind(each["audience"]["kind"]), each["audience"]["value"]),
        )
        for each in snapshot
    )


def participant_to_row(participant: Participant) -> ParticipantRow:
    """A new row for the participant; its id is not carried over."""
    row = ParticipantRow(identities=[])
    update_participant_row(row, participant)
    return row


def update_participant_row(row: ParticipantRow, participant: Participant) -> None:
    """Overwrite every field of the row; identities no longer held are removed, new ones added."""
    row.event_id = participant.event_id
    row.name = participant.name
    row.email = participant.email.lower() if participant.email is not None else None
    row.department = participant.department
    row.area = participant.area
    row.level = participant.level
    row.participant_type = participant.participant_type.value
    row.phone = participant.phone
    row.phone_consent = participant.phone_consent
    row.language = participant.language
    row.status = participant.status.value
    checked_in_at = participant.checked_in_at
    row.checked_in_at = checked_in_at.astimezone(UTC) if checked_in_at is not None else None
    row.reminders = participant.reminders
    row.groups = sorted(participant.groups)
    row.calendar_token = participant.calendar_token
    _replace_identities(row, participant.identities, participant.event_id)


def row_to_participant(row: ParticipantRow) -> Participant:
    return Participant(
        id=row.id,
        event_id=row.event_id,
        name=row.name,
        email=row.email,
        department=row.department,
        area=row.area,
        level=row.level,
        participant_type=ParticipantType(row.participant_type),
        phone=row.phone,
        phone_consent=row.phone_consent,
        language=row.language,
        status=Status(row.status),
        checked_in_at=row.checked_in_at,
        reminders=row.reminders,
        groups=frozenset(row.groups),
        calendar_token=row.calendar_token,
        identities=frozenset(_identity(each) for each in row.identities),
    )


def _replace_identities(
    row: ParticipantRow, identities: frozenset[ChannelIdentity], event_id: int
) -> None:
    """Keep the rows of identities still held (a dropped row is deleted as an orphan), add new."""
    kept = [each for each in row.identities if _identity(each) in identities]
    added = identities - {_identity(each) for each in kept}
    row.identities = kept + [_identity_row(identity) for identity in sorted(added)]
    for identity_row in row.identities:
        identity_row.event_id = event_id


def _identity(row: ParticipantIdentityRow) -> ChannelIdentity:
    return ChannelIdentity(row.channel, row.user_id)


def _identity_row(identity: ChannelIdentity) -> ParticipantIdentityRow:
    return ParticipantIdentityRow(channel=identity.channel, user_id=identity.user_id)
