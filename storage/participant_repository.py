"""The participant repository over a SQLAlchemy session; implements the port of that name.

The database keeps e-mail addresses and channel identities unique per event, and calendar
tokens unique across events; a write that breaks that raises `DuplicateParticipantError`, after
which the unit of work can only be left (which rolls it back).
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from storage.mapping import participant_to_row, row_to_participant, update_participant_row
from storage.models import ParticipantIdentityRow, ParticipantRow
from storage.revision_cache import MISSING, PARTICIPANTS, CachedReads
from storage.utc_datetime import utc_now
from traef.participants import ChannelIdentity, Participant, name_sort_key

# How PostgreSQL and SQLite name a unique violation, and how their messages name ours.
_UNIQUE_VIOLATIONS = frozenset({"23505", "SQLITE_CONSTRAINT_UNIQUE"})
_EMAIL_MARKS = ("uq_participants_event_id_email", "participants.email")
_IDENTITY_MARKS = ("uq_participant_identities_", "participant_identities.")
_CALENDAR_TOKEN_MARKS = ("ix_participants_calendar_token", "participants.calendar_token")
CALENDAR_TOKEN = "calendar token"


class DuplicateParticipantError(Exception):
    """Another participant of the event already has this e-mail address or channel identity,
    or another participant of any event this calendar token."""

    def __init__(self, event_id: int, taken: str) -> None:
        if taken == CALENDAR_TOKEN:
            message = f"Another participant already has this {taken}."
        else:
            message = f"Event {event_id} already has a participant with this {taken}."
        super().__init__(message)
        self.event_id = event_id  # the event of the participant being written
        self.taken = taken  # "e-mail", "channel identity" or "calendar token"


class SqlParticipantRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._cached = CachedReads(session, PARTICIPANTS)

    async def add(self, participant: Participant) -> Participant:
        """Store the participant as a new one; returns it with the id the database gave it."""
        row = participant_to_row(participant)
        self._session.add(row)
        await self._flush(participant.event_id)
        return row_to_participant(row)

    async def get(self, participant_id: int) -> Participant | None:
        row = await self._row(participant_id)
        return row_to_participant(row) if row is not None else None

    async def by_identity(self, event_id: int, identity: ChannelIdentity) -> Participant | None:
        """With a `RevisionCache` in the session's info, one small query when nothing changed."""
        revision = await self._cached.revision()
        key = (event_id, identity)
        kept = self._cached.get(revision, key)
        if kept is MISSING:
            kept = await self._by_identity(event_id, identity)
            self._cached.keep(revision, key, kept)
        return cast(Participant | None, kept)

    async def _by_identity(self, event_id: int, identity: ChannelIdentity) -> Participant | None:
        query = (
            _participant()
            .join(ParticipantRow.identities)
            .where(
                ParticipantIdentityRow.event_id == event_id,
                ParticipantIdentityRow.channel == identity.channel,
                ParticipantIdentityRow.user_id == identity.user_id,
            )
        )
        return await self._first(query)

    async def with_identity(self, identity: ChannelIdentity) -> list[Participant]:
        query = (
            _participants()
            .join(ParticipantRow.identities)
            .where(
                ParticipantIdentityRow.channel == identity.channel,
                ParticipantIdentityRow.user_id == identity.user_id,
            )
        )
        return [row_to_participant(row) for row in await self._session.scalars(query)]

    async def by_email(self, event_id: int, email: str) -> Participant | None:
        query = _participant().where(
            ParticipantRow.event_id == event_id, ParticipantRow.email == email.lower()
        )
        return await self._first(query)

    async def update(self, participant: Participant) -> Participant:
        """Overwrite the stored participant with the same id, identities included."""
        if participant.id is None:
            raise ValueError("Only a stored participant (one with an id) can be updated.")
        row = await self._row(participant.id)
        if row is None:
            raise LookupError(f"Participant {participant.id} is not stored.")
        update_participant_row(row, participant)
        row.updated_at = utc_now()
        await self._flush(participant.event_id)
        return row_to_participant(row)

    async def delete(self, participant_id: int) -> None:
        """Delete the participant; the database deletes their identities along."""
        row = await self._session.get(ParticipantRow, participant_id)
        if row is not None:
            await self._session.delete(row)
            await self._session.flush()

    async def for_event(self, event_id: int) -> list[Participant]:
        """In Danish name order: sorted here, to be the same on every database."""
        rows = await self._session.scalars(
            _participants().where(ParticipantRow.event_id == event_id)
        )
        participants = [row_to_participant(row) for row in rows]
        return sorted(participants, key=name_sort_key)

    async def _row(self, participant_id: int) -> ParticipantRow | None:
        options = [selectinload(ParticipantRow.identities)]
        return await self._session.get(ParticipantRow, participant_id, options=options)

    async def _first(self, query: Select[ParticipantRow]) -> Participant | None:
        row = (await self._session.scalars(query.limit(1))).unique().first()
        return row_to_participant(row) if row is not None else None

    async def _flush(self, event_id: int) -> None:
        try:
            await self._session.flush()
        except IntegrityError as error:
            taken = _duplicate(error)
            if taken is None:
                raise
            raise DuplicateParticipantError(event_id, taken) from error


def _participants() -> Select[ParticipantRow]:
    return select(ParticipantRow).options(selectinload(ParticipantRow.identities))


def _participant() -> Select[ParticipantRow]:
    """For one participant: the identities come in the same statement."""
    return select(ParticipantRow).options(joinedload(ParticipantRow.identities))


def _duplicate(error: IntegrityError) -> str | None:
    """What an integrity error found taken twice in one event, or None for other errors."""
    cause = error.orig
    code = getattr(cause, "sqlstate", None) or getattr(cause, "sqlite_errorname", None)
    if code not in _UNIQUE_VIOLATIONS:
        return None
    message = str(cause)  # the constraint's name (PostgreSQL) or its columns (SQLite)
    if any(mark in message for mark in _EMAIL_MARKS):
        return "e-mail"
    if any(mark in message for mark in _IDENTITY_MARKS):
        return "channel identity"
    if any(mark in message for mark in _CALENDAR_TOKEN_MARKS):
        return CALENDAR_TOKEN
    return None
