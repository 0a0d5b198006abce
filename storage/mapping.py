"""Conversion between the domain's events and participants and the rows that store them."""

from __future__ import annotations

from datetime import UTC

from storage.models import EventRow, ParticipantIdentityRow, ParticipantRow, ProgrammeItemRow
from traef.participants import ChannelIdentity, Participant, ParticipantType, Status
from traef.programme import Event, ItemKind, ProgrammeItem


def event_to_row(event: Event) -> EventRow:
    """A new row for the event; ids of the event and its items are not carried over."""
    return EventRow(
        name=event.name,
        start_date=event.start_date,
        end_date=event.end_date,
        timezone=event.timezone,
        departments=list(event.departments),
        levels=list(event.levels),
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
        departments=tuple(row.departments),
        levels=tuple(row.levels),
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
