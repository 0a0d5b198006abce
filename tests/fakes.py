"""In-memory stand-ins for storage, so domain and dialog tests run without a database."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any, Self

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, Attachment

from dialogs.dependencies import AttachmentError, FacilitatorCheck
from dialogs.i18n import Catalogue, Texts
from traef.changes import ProgrammeChange
from traef.feedback import Answer, FeedbackForm, PostIt
from traef.group_plans import GroupPlan, PlanKind
from traef.outbox import (
    UNREACHED_STATUSES,
    Broadcast,
    DeliveryReport,
    MessageStatus,
    OutboxMessage,
    is_claimable,
)
from traef.participants import ChannelIdentity, Participant, name_sort_key
from traef.programme import Event, ProgrammeItem


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

    async def ended_before(self, day: date) -> list[Event]:
        return sorted((e for e in self.events if e.end_date < day), key=lambda e: e.end_date)[::-1]

    async def update(self, event: Event) -> Event:
        index = self._index(event.id)
        stored = dataclasses.replace(event, items=self.events[index].items)
        self.events[index] = stored
        return stored

    async def save_programme(self, event_id: int, items: tuple[ProgrammeItem, ...]) -> Event:
        index = self._index(event_id)
        used = [item.id for item in self.events[index].items if item.id is not None]
        next_id = max([0, *used, *(i.id or 0 for e in self.events for i in e.items)]) + 1
        numbered = []
        for item in items:
            if item.id is None:
                item = dataclasses.replace(item, id=next_id)
                next_id += 1
            numbered.append(item)
        self.events[index] = dataclasses.replace(self.events[index], items=tuple(numbered))
        return self.events[index]

    def _index(self, event_id: int | None) -> int:
        return next(i for i, e in enumerate(self.events) if e.id == event_id)


class FakeChangeRepository:
    def __init__(self, changes: list[ProgrammeChange]) -> None:
        self.changes = changes

    async def add(self, change: ProgrammeChange) -> ProgrammeChange:
        stored = dataclasses.replace(change, id=len(self.changes) + 1)
        self.changes.append(stored)
        return stored

    async def latest(self, event_id: int) -> ProgrammeChange | None:
        live = [c for c in self.changes if c.event_id == event_id and c.undone_at is None]
        return live[-1] if live else None

    async def mark_undone(self, change_id: int, at: datetime) -> None:
        self.changes[:] = [
            dataclasses.replace(c, undone_at=at) if c.id == change_id else c for c in self.changes
        ]

    async def for_event(self, event_id: int) -> list[ProgrammeChange]:
        return [c for c in self.changes if c.event_id == event_id]


class FakePlanRepository:
    def __init__(self, plans: list[GroupPlan]) -> None:
        self.plans = plans

    async def add(self, plan: GroupPlan) -> GroupPlan:
        stored = dataclasses.replace(plan, id=len(self.plans) + 1)
        self.plans.append(stored)
        return stored

    async def update(self, plan: GroupPlan) -> GroupPlan:
        index = next(i for i, p in enumerate(self.plans) if p.id == plan.id)
        self.plans[index] = plan
        return plan

    async def latest(
        self, event_id: int, kind: PlanKind, item_id: int | None = None
    ) -> GroupPlan | None:
        matching = [
            p
            for p in self.plans
            if p.event_id == event_id
            and p.kind is kind
            and (item_id is None or p.item_id == item_id)
        ]
        return matching[-1] if matching else None

    async def for_event(self, event_id: int) -> list[GroupPlan]:
        return [p for p in self.plans if p.event_id == event_id]


class FakeOutboxRepository:
    """The outbox as lists, with the SQL outbox's semantics (see `traef.ports`)."""

    def __init__(self, broadcasts: list[Broadcast], messages: list[OutboxMessage]) -> None:
        self.broadcasts = broadcasts
        self.messages = messages

    async def add_broadcast(
        self, broadcast: Broadcast, messages: Sequence[OutboxMessage]
    ) -> Broadcast:
        stored = dataclasses.replace(broadcast, id=len(self.broadcasts) + 1)
        self.broadcasts.append(stored)
        for message in messages:
            enqueued = message.enqueued(stored)
            if all(m.idempotency_key != enqueued.idempotency_key for m in self.messages):
                self.messages.append(dataclasses.replace(enqueued, id=len(self.messages) + 1))
        return stored

    async def claim(
        self, worker_id: str, now: datetime, limit: int, lease_seconds: float
    ) -> list[OutboxMessage]:
        due = [m for m in self.messages if is_claimable(m, self._broadcast_of(m), now)][:limit]
        lease_until = now + timedelta(seconds=lease_seconds)
        claimed = [
            dataclasses.replace(
                m,
                status=MessageStatus.SENDING,
                claimed_by=worker_id,
                lease_until=lease_until,
                attempts=m.attempts + 1,
            )
            for m in due
        ]
        for message in claimed:
            self._put(message)
        return claimed

    async def mark_sent(self, message_id: int, worker_id: str, at: datetime) -> bool:
        return self._finish(
            message_id, worker_id, status=MessageStatus.SENT, sent_at=at, lease_until=None
        )

    async def mark_retry(
        self, message_id: int, worker_id: str, next_at: datetime, error: str
    ) -> bool:
        message = self._get(message_id)
        cancelled = message is not None and self._broadcast_of(message).cancelled_at is not None
        return self._finish(
            message_id,
            worker_id,
            status=MessageStatus.CANCELLED if cancelled else MessageStatus.PENDING,
            next_attempt_at=next_at,
            last_error=error,
            claimed_by=None,
            lease_until=None,
        )

    async def mark_final(
        self, message_id: int, worker_id: str, status: MessageStatus, error: str
    ) -> bool:
        if status not in UNREACHED_STATUSES:
            raise ValueError(f"A message is given up as failed or undeliverable, not {status}.")
        return self._finish(
            message_id, worker_id, status=status, last_error=error, lease_until=None
        )

    async def cancel(self, broadcast_id: int, at: datetime) -> int:
        self.broadcasts[:] = [
            dataclasses.replace(b, cancelled_at=at)
            if b.id == broadcast_id and b.cancelled_at is None
            else b
            for b in self.broadcasts
        ]
        cancelled = [
            dataclasses.replace(m, status=MessageStatus.CANCELLED, lease_until=None)
            for m in self.messages
            if m.broadcast_id == broadcast_id
            and (
                m.status is MessageStatus.PENDING
                or (m.status is MessageStatus.SENDING and m.lease_until and m.lease_until <= at)
            )
        ]
        for message in cancelled:
            self._put(message)
        return len(cancelled)

    async def report(self, broadcast_id: int) -> DeliveryReport:
        return DeliveryReport.of(
            broadcast_id, (m for m in self.messages if m.broadcast_id == broadcast_id)
        )

    async def messages_of(self, broadcast_id: int) -> list[OutboxMessage]:
        mine = [m for m in self.messages if m.broadcast_id == broadcast_id]
        return sorted(mine, key=lambda m: (m.identity.channel, m.identity.user_id))

    async def get_broadcast(self, broadcast_id: int) -> Broadcast | None:
        return next((b for b in self.broadcasts if b.id == broadcast_id), None)

    async def latest_broadcast(self, event_id: int) -> Broadcast | None:
        matching = [b for b in self.broadcasts if b.event_id == event_id]
        return matching[-1] if matching else None

    def _finish(self, message_id: int, worker_id: str, **changes: Any) -> bool:
        message = self._get(message_id)
        if message is None or message.status is not MessageStatus.SENDING:
            return False
        if message.claimed_by != worker_id:
            return False
        self._put(dataclasses.replace(message, **changes))
        return True

    def _get(self, message_id: int) -> OutboxMessage | None:
        return next((m for m in self.messages if m.id == message_id), None)

    def _put(self, message: OutboxMessage) -> None:
        self.messages[:] = [message if m.id == message.id else m for m in self.messages]

    def _broadcast_of(self, message: OutboxMessage) -> Broadcast:
        return next(b for b in self.broadcasts if b.id == message.broadcast_id)


class FakeReminderLog:
    def __init__(self, claimed: set[tuple[int, str]]) -> None:
        self.claimed = claimed

    async def claim(self, participant_id: int, key: str, at: datetime) -> bool:
        if (participant_id, key) in self.claimed:
            return False
        self.claimed.add((participant_id, key))
        return True


class FakeConversationDirectory:
    """Usable references only; uninstalling forgets (the SQL directory keeps the row)."""

    def __init__(self, references: dict[ChannelIdentity, dict[str, Any]]) -> None:
        self.references = references
        self.teams: dict[ChannelIdentity, str] = {}
        self.welcomed: set[ChannelIdentity] = set()

    async def save(
        self, identity: ChannelIdentity, reference: dict[str, Any], team: str | None = None
    ) -> None:
        self.references[identity] = reference
        if team is not None:
            self.teams[identity] = team

    async def get(self, identity: ChannelIdentity) -> dict[str, Any] | None:
        return self.references.get(identity)

    async def all(self) -> list[tuple[ChannelIdentity, dict[str, Any]]]:
        return sorted(self.references.items())

    async def set_unusable(self, identity: ChannelIdentity) -> bool:
        self.welcomed.discard(identity)
        return self.references.pop(identity, None) is not None

    async def set_team_unusable(self, channel: str, team: str) -> int:
        gone = [i for i, t in self.teams.items() if t == team and i.channel == channel]
        return sum([await self.set_unusable(identity) for identity in gone])

    async def claim_welcome(self, identity: ChannelIdentity, now: datetime) -> bool:
        if identity not in self.references or identity in self.welcomed:
            return False
        self.welcomed.add(identity)
        return True


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


class FakeFeedbackRepository:
    """Feedback as lists. The purge reaches into the other fakes' data, as SQL reaches into
    their tables."""

    def __init__(
        self,
        forms: list[FeedbackForm],
        answers: list[Answer],
        postits: list[PostIt],
        others: tuple[FakeConversationDirectory, FakePlanRepository, FakeOutboxRepository],
    ) -> None:
        self.forms = forms
        self.answers = answers
        self.stored_postits = postits
        self._others = others
        self._next_postit = max((p.id or 0 for p in postits), default=0) + 1

    async def ensure_form(self, form: FeedbackForm) -> FeedbackForm:
        found = [f for f in self.forms if f.event_id == form.event_id and f.key == form.key]
        if found:
            return found[0]
        stored = dataclasses.replace(form, id=len(self.forms) + 1)
        self.forms.append(stored)
        return stored

    async def get_form(self, form_id: int) -> FeedbackForm | None:
        return next((f for f in self.forms if f.id == form_id), None)

    async def forms_of(self, event_id: int) -> list[FeedbackForm]:
        return [f for f in self.forms if f.event_id == event_id]

    async def close_form(self, form_id: int, at: datetime) -> None:
        self.forms[:] = [
            dataclasses.replace(f, closed_at=at) if f.id == form_id and not f.closed_at else f
            for f in self.forms
        ]
        self.answers[:] = [
            dataclasses.replace(a, respondent=None) if a.form_id == form_id else a
            for a in self.answers
        ]

    async def save_answer(self, answer: Answer) -> None:
        assert answer.respondent is not None, "an answer is saved with its respondent"
        key = (answer.form_id, answer.respondent, answer.question)
        self.answers[:] = [a for a in self.answers if (a.form_id, a.respondent, a.question) != key]
        self.answers.append(answer)

    async def answers_of(self, form_id: int, respondent: str) -> dict[str, Any]:
        return {
            a.question: a.value
            for a in self.answers
            if a.form_id == form_id and a.respondent == respondent
        }

    async def values(self, form_id: int) -> list[tuple[str, Any]]:
        return [(a.question, a.value) for a in self.answers if a.form_id == form_id]

    async def add_postit(self, postit: PostIt) -> PostIt:
        stored = dataclasses.replace(postit, id=self._next_postit)
        self._next_postit += 1
        self.stored_postits.append(stored)
        return stored

    async def postits_of(self, event_id: int, respondent: str) -> list[PostIt]:
        return [p for p in await self.postits(event_id) if p.respondent == respondent]

    async def postits(self, event_id: int) -> list[PostIt]:
        return [p for p in self.stored_postits if p.event_id == event_id]

    async def delete_postit(self, postit_id: int, respondent: str) -> bool:
        before = len(self.stored_postits)
        self.stored_postits[:] = [
            p for p in self.stored_postits if not (p.id == postit_id and p.respondent == respondent)
        ]
        return len(self.stored_postits) < before

    async def erase_personal_data(
        self, event_id: int, identities: set[ChannelIdentity], all_conversations: bool
    ) -> None:
        conversations, plans, outbox = self._others
        for identity in list(conversations.references):
            if all_conversations or identity in identities:
                del conversations.references[identity]
        plans.plans[:] = [p for p in plans.plans if p.event_id != event_id]
        gone = {b.id for b in outbox.broadcasts if b.event_id == event_id}
        outbox.broadcasts[:] = [b for b in outbox.broadcasts if b.id not in gone]
        outbox.messages[:] = [m for m in outbox.messages if m.broadcast_id not in gone]
        forms = {f.id for f in self.forms if f.event_id == event_id}
        self.answers[:] = [
            dataclasses.replace(a, respondent=None) if a.form_id in forms else a
            for a in self.answers
        ]
        self.stored_postits[:] = [
            dataclasses.replace(p, respondent=None) if p.event_id == event_id else p
            for p in self.stored_postits
        ]


class FakeUnitOfWork:
    """Shares its data between all units of work made from it, like one database."""

    def __init__(self, events: list[Event] | None = None) -> None:
        self.committed: list[Event] = events if events is not None else []
        self.committed_participants: dict[int, Participant] = {}
        self.committed_changes: list[ProgrammeChange] = []
        self.committed_reminders: set[tuple[int, str]] = set()
        self.committed_references: dict[ChannelIdentity, dict[str, Any]] = {}
        self.committed_plans: list[GroupPlan] = []
        self.committed_broadcasts: list[Broadcast] = []
        self.committed_outbox: list[OutboxMessage] = []
        self.committed_forms: list[FeedbackForm] = []
        self.committed_answers: list[Answer] = []
        self.committed_postits: list[PostIt] = []
        self.commits = 0
        self._fresh_repositories()

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
        self.committed_changes[:] = self.changes.changes
        self.committed_reminders.clear()
        self.committed_reminders.update(self.reminders.claimed)
        self.committed_references.clear()
        self.committed_references.update(self.conversations.references)
        self.committed_plans[:] = self.plans.plans
        self.committed_broadcasts[:] = self.outbox.broadcasts
        self.committed_outbox[:] = self.outbox.messages
        self.committed_forms[:] = self.feedback.forms
        self.committed_answers[:] = self.feedback.answers
        self.committed_postits[:] = self.feedback.stored_postits
        self.commits += 1

    async def rollback(self) -> None:
        self._fresh_repositories()

    def _fresh_repositories(self) -> None:
        self.events = FakeEventRepository(list(self.committed))
        self.participants = FakeParticipantRepository(dict(self.committed_participants))
        self.changes = FakeChangeRepository(list(self.committed_changes))
        self.reminders = FakeReminderLog(set(self.committed_reminders))
        self.conversations = FakeConversationDirectory(dict(self.committed_references))
        self.plans = FakePlanRepository(list(self.committed_plans))
        self.outbox = FakeOutboxRepository(
            list(self.committed_broadcasts), list(self.committed_outbox)
        )
        self.feedback = FakeFeedbackRepository(
            list(self.committed_forms),
            list(self.committed_answers),
            list(self.committed_postits),
            (self.conversations, self.plans, self.outbox),
        )


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


class FakeAnnouncer:
    """Records announcements, rendered in Danish and English."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Activity]] = []
        self.told: dict[ChannelIdentity, list[Activity]] = {}  # in Danish
        self.unreachable: set[ChannelIdentity] = set()

    async def announce(self, render: Callable[[Texts], Activity]) -> int:
        catalogue = Catalogue.default()
        self.sent.append({lang: render(catalogue.texts(lang)) for lang in ("da", "en")})
        return 1

    async def tell(self, identity: ChannelIdentity, render: Callable[[Texts], Activity]) -> bool:
        if identity in self.unreachable:
            return False
        self.told.setdefault(identity, []).append(render(Catalogue.default().texts("da")))
        return True

    async def tell_each(
        self,
        messages: Sequence[tuple[ChannelIdentity, Callable[[Texts], Activity]]],
        audience: str,
    ) -> set[ChannelIdentity]:
        reached = set()
        for identity, render in messages:
            if identity not in self.unreachable and await self.tell(identity, render):
                reached.add(identity)
        return reached
