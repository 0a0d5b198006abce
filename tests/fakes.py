"""In-memory stand-ins for storage, so domain and dialog tests run without a database."""

from __future__ import annotations

import dataclasses
from datetime import date
from types import TracebackType
from typing import Self

from botbuilder.core import TurnContext
from botbuilder.schema import Attachment

from dialogs.dependencies import AttachmentError, FacilitatorCheck
from traef.participants import ChannelIdentity, Participant, name_sort_key
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


class FakeParticipantRepository:
    def __init__(self, participants: dict[int, Participant]) -> None:
        self.participants = participants

    async def add(self, participant: Participant) -> Participant:
        stored = dataclasses.replace(participant, id=max(self.participants, default=0) + 1)
        self._check_unique(stored)
        self.participants[stored.id] = stored  # type: ignore[index]
        return stored

    async def get(self, participant_id: int) -> Participant | None:
        return self.participants.get(participant_id)

    async def by_identity(self, event_id: int, identity: ChannelIdentity) -> Participant | None:
        return next((p for p in self._of(event_id) if identity in p.identities), None)

    async def with_identity(self, identity: ChannelIdentity) -> list[Participant]:
        return [p for p in self.participants.values() if identity in p.identities]

    async def by_email(self, event_id: int, email: str) -> Participant | None:
        return next((p for p in self._of(event_id) if p.email == email), None)

    async def update(self, participant: Participant) -> Participant:
        assert participant.id in self.participants, "update of a participant never stored"
        self._check_unique(participant)
        self.participants[participant.id] = participant
        return participant

    async def delete(self, participant_id: int) -> None:
        self.participants.pop(participant_id, None)

    async def for_event(self, event_id: int) -> list[Participant]:
        return sorted(self._of(event_id), key=name_sort_key)

    def _of(self, event_id: int) -> list[Participant]:
        return [p for p in self.participants.values() if p.event_id == event_id]

    def _check_unique(self, participant: Participant) -> None:
        for other in self._of(participant.event_id):
            if other.id == participant.id:
                continue
            assert not (other.identities & participant.identities), "identity used twice"
            assert not (participant.email and other.email == participant.email), "e-mail twice"


class FakeUnitOfWork:
    """Shares its data between all units of work made from it, like one database."""

    def __init__(self, events: list[Event] | None = None) -> None:
        self.committed: list[Event] = events if events is not None else []
        self.committed_participants: dict[int, Participant] = {}
        self.events = FakeEventRepository(list(self.committed))
        self.participants = FakeParticipantRepository(dict(self.committed_participants))
        self.commits = 0

    async def __aenter__(self) -> Self:
        await self.rollback()
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
        self.committed_participants.clear()
        self.committed_participants.update(self.participants.participants)
        self.commits += 1

    async def rollback(self) -> None:
        self.events = FakeEventRepository(list(self.committed))
        self.participants = FakeParticipantRepository(dict(self.committed_participants))


class FakeProfiles:
    """E-mail addresses the 'channel' knows, by user id."""

    def __init__(self, emails: dict[str, str] | None = None) -> None:
        self.emails = emails if emails is not None else {}
        self.lookups = 0

    async def email(self, context: TurnContext) -> str | None:
        self.lookups += 1
        return self.emails.get(context.activity.from_property.id)


class FakeAttachments:
    """Attached files by name; an unknown name cannot be fetched."""

    def __init__(self, files: dict[str, bytes] | None = None) -> None:
        self.files = files if files is not None else {}

    async def fetch(self, context: TurnContext, attachment: Attachment) -> bytes:
        if attachment.name not in self.files:
            raise AttachmentError(f"no file {attachment.name}")
        return self.files[attachment.name]


def facilitators(*user_ids: str) -> FacilitatorCheck:
    async def is_facilitator(context: TurnContext) -> bool:
        return context.activity.from_property.id in user_ids

    return is_facilitator
