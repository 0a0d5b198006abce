"""What the use cases need from storage, as protocols. `storage/` implements them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol, Self

from traef.changes import ProgrammeChange
from traef.feedback import Answer, FeedbackForm, PostIt
from traef.group_plans import GroupPlan, PlanKind
from traef.outbox import Broadcast, DeliveryReport, MessageStatus, OutboxMessage
from traef.participants import ChannelIdentity, Participant
from traef.programme import Event, ProgrammeItem


class EventRepository(Protocol):
    async def add(self, event: Event) -> Event:
        """Store a new event with its programme; returns it with ids filled in."""
        ...

    async def get(self, event_id: int) -> Event | None: ...

    async def current(self, today: date) -> Event | None:
        """The event that is on today; else the next one to come; else the latest one."""
        ...

    async def count(self) -> int: ...

    async def ended_before(self, day: date) -> list[Event]:
        """Events whose last day is before `day`, the latest first."""
        ...

    async def update(self, event: Event) -> Event:
        """Save the event's own fields (name, dates, zone, choices, preparation), not its items."""
        ...

    async def save_programme(self, event_id: int, items: tuple[ProgrammeItem, ...]) -> Event:
        """Make the event's programme exactly `items`: items with an id are updated in place
        (reminders and changes refer to them), items without one are added, the rest removed."""
        ...


class ProgrammeChangeRepository(Protocol):
    async def add(self, change: ProgrammeChange) -> ProgrammeChange: ...

    async def latest(self, event_id: int) -> ProgrammeChange | None:
        """The newest change not yet undone."""
        ...

    async def mark_undone(self, change_id: int, at: datetime) -> None: ...

    async def for_event(self, event_id: int) -> list[ProgrammeChange]:
        """Every change, undone ones included, oldest first."""
        ...


class GroupPlanRepository(Protocol):
    async def add(self, plan: GroupPlan) -> GroupPlan: ...

    async def update(self, plan: GroupPlan) -> GroupPlan:
        """Overwrite a stored plan's groups, lock and publication."""
        ...

    async def latest(
        self, event_id: int, kind: PlanKind, item_id: int | None = None
    ) -> GroupPlan | None:
        """The newest plan of that kind (for that item, when one is given)."""
        ...

    async def for_event(self, event_id: int) -> list[GroupPlan]:
        """Every plan of the event, oldest first (the rounds a repeat is counted against)."""
        ...


class ReminderLog(Protocol):
    async def claim(self, participant_id: int, key: str, at: datetime) -> bool:
        """Record that reminder `key` goes to the participant; False if it was claimed before.

        Claiming is atomic, so two workers (or a restart) never send the same reminder twice.
        """
        ...


class ConversationDirectory(Protocol):
    """Where to reach each person proactively: their personal conversation's reference, as JSON.

    A reference stops being usable when the bot is uninstalled for the person (or for the team
    whose roster it came from); `get` and `all` then leave it out until it is saved again.
    """

    async def save(
        self, identity: ChannelIdentity, reference: dict[str, Any], team: str | None = None
    ) -> None:
        """`team`: the bot opened the conversation itself, from that team's roster."""
        ...

    async def get(self, identity: ChannelIdentity) -> dict[str, Any] | None: ...

    async def all(self) -> list[tuple[ChannelIdentity, dict[str, Any]]]: ...

    async def set_unusable(self, identity: ChannelIdentity) -> bool:
        """False when the directory has no reference for the account."""
        ...

    async def set_team_unusable(self, channel: str, team: str) -> int:
        """How many references opened from the team's roster stopped being usable."""
        ...

    async def claim_welcome(self, identity: ChannelIdentity, now: datetime) -> bool:
        """True once after each install for the person (who must have a reference)."""
        ...


class ParticipantRepository(Protocol):
    async def add(self, participant: Participant) -> Participant:
        """Store a new participant with their identities; returns it with its id."""
        ...

    async def get(self, participant_id: int) -> Participant | None: ...

    async def by_identity(self, event_id: int, identity: ChannelIdentity) -> Participant | None: ...

    async def with_identity(self, identity: ChannelIdentity) -> list[Participant]:
        """The person's registrations in every event."""
        ...

    async def by_email(self, event_id: int, email: str) -> Participant | None:
        """E-mail addresses are stored lower-case; `email` is expected lower-case too."""
        ...

    async def update(self, participant: Participant) -> Participant:
        """Overwrite every field and the set of identities of a stored participant."""
        ...

    async def delete(self, participant_id: int) -> None:
        """Remove the participant and their identities; unknown ids are ignored."""
        ...

    async def for_event(self, event_id: int) -> list[Participant]:
        """All participants of the event, cancelled ones included, ordered by
        `traef.participants.name_sort_key`."""
        ...


class OutboxRepository(Protocol):
    """Broadcasts and their messages, one per recipient, each held by one sender at a time.

    `mark_…` only change a message still claimed by `worker_id` (status sending): a sender
    whose lease ran out and whose message another sender claimed cannot overwrite it. Worker
    ids are unique per sender process.
    """

    async def add_broadcast(
        self, broadcast: Broadcast, messages: Sequence[OutboxMessage]
    ) -> Broadcast:
        """Store a broadcast and its messages (see `OutboxMessage.enqueued`) in the unit of
        work; a message whose idempotency key is in the outbox already is left out."""
        ...

    async def claim(
        self, worker_id: str, now: datetime, limit: int, lease_seconds: float
    ) -> list[OutboxMessage]:
        """Take up to `limit` claimable messages (`traef.outbox.is_claimable`), oldest first:
        each becomes sending, claimed by `worker_id` until now + lease, one attempt more.
        Atomic: of senders claiming at once, each message goes to one."""
        ...

    async def mark_sent(self, message_id: int, worker_id: str, at: datetime) -> bool: ...

    async def mark_retry(
        self, message_id: int, worker_id: str, next_at: datetime, error: str
    ) -> bool:
        """Pending again from `next_at`; cancelled instead when the broadcast was cancelled."""
        ...

    async def mark_final(
        self, message_id: int, worker_id: str, status: MessageStatus, error: str
    ) -> bool:
        """Give the message up as failed or undeliverable."""
        ...

    async def cancel(self, broadcast_id: int, at: datetime) -> int:
        """Cancel the broadcast: its pending messages (and those of dead senders) are
        cancelled, messages being sent finish. Returns the number of messages cancelled."""
        ...

    async def report(self, broadcast_id: int) -> DeliveryReport: ...

    async def messages_of(self, broadcast_id: int) -> list[OutboxMessage]:
        """Every message of the broadcast, by channel and user id (for the delivery report)."""
        ...

    async def get_broadcast(self, broadcast_id: int) -> Broadcast | None: ...

    async def latest_broadcast(self, event_id: int) -> Broadcast | None: ...


class FeedbackRepository(Protocol):
    """Feedback forms, their answers by respondent token, and post-its. Nothing here names a
    participant: respondents are `traef.feedback.respondent_token`s."""

    async def ensure_form(self, form: FeedbackForm) -> FeedbackForm:
        """The event's form with `form.key`, stored as `form` if there is none yet. Atomic: of
        units of work adding the same form at once, all get the one that was stored."""
        ...

    async def get_form(self, form_id: int) -> FeedbackForm | None: ...

    async def forms_of(self, event_id: int) -> list[FeedbackForm]: ...

    async def close_form(self, form_id: int, at: datetime) -> None:
        """Mark the form closed and delete the respondent tokens of its answers."""
        ...

    async def save_answer(self, answer: Answer) -> None:
        """Store the answer, replacing the respondent's earlier answer to the question.
        Atomic (an upsert): answers saved at once are each stored exactly once."""
        ...

    async def answers_of(self, form_id: int, respondent: str) -> dict[str, Any]:
        """The respondent's answers by question."""
        ...

    async def values(self, form_id: int) -> list[tuple[str, Any]]:
        """Every (question, value) of the form, without respondents."""
        ...

    async def add_postit(self, postit: PostIt) -> PostIt: ...

    async def postits_of(self, event_id: int, respondent: str) -> list[PostIt]: ...

    async def postits(self, event_id: int) -> list[PostIt]: ...

    async def delete_postit(self, postit_id: int, respondent: str) -> bool:
        """Delete the respondent's post-it; False when it is not theirs or not there."""
        ...

    async def erase_personal_data(
        self, event_id: int, identities: set[ChannelIdentity], all_conversations: bool
    ) -> None:
        """For the purge (`traef.purge`), before the participants are deleted: the event's
        group plans and broadcasts (with their messages), the respondent tokens of its
        feedback, and the conversation references and user state of `identities` (of
        everyone, with `all_conversations`). Answers and post-its stay."""
        ...


class UnitOfWork(Protocol):
    """`async with uow:` … `await uow.commit()`; leaving without commit rolls back."""

    @property
    def events(self) -> EventRepository: ...

    @property
    def participants(self) -> ParticipantRepository: ...

    @property
    def changes(self) -> ProgrammeChangeRepository: ...

    @property
    def reminders(self) -> ReminderLog: ...

    @property
    def plans(self) -> GroupPlanRepository: ...

    @property
    def conversations(self) -> ConversationDirectory: ...

    @property
    def outbox(self) -> OutboxRepository: ...

    @property
    def feedback(self) -> FeedbackRepository: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
