"""Tables, as SQLAlchemy models. Kept apart from the domain; `storage.mapping` converts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.utc_datetime import UtcDateTime, utc_now

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64))
    departments: Mapped[list[str]] = mapped_column(JSON)
    levels: Mapped[list[str]] = mapped_column(JSON)
    preparation: Mapped[str] = mapped_column(Text)
    preparation_reminder_days: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    items: Mapped[list[ProgrammeItemRow]] = relationship(
        back_populates="event",
        order_by="ProgrammeItemRow.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise",
    )


class ProgrammeItemRow(Base):
    """An item of an event's programme. Ids are never used again, also on SQLite (AUTOINCREMENT):
    reminders, calendars and the snapshots of programme changes refer to items by id."""

    __tablename__ = "programme_items"
    __table_args__ = (UniqueConstraint("event_id", "position"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    speakers: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(Text)
    audience_kind: Mapped[str] = mapped_column(String(32))
    audience_value: Mapped[str | None] = mapped_column(Text)

    event: Mapped[EventRow] = relationship(back_populates="items", lazy="raise")


class ParticipantRow(Base):
    """A participant of one event. E-mail addresses are stored lower-case, unique per event.

    Calendar tokens are unique across all events. The uniqueness is a unique index, not a
    constraint: SQLite cannot add a unique column to a table that already exists.
    """

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("event_id", "email"),)  # also serves lookups by event

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    department: Mapped[str] = mapped_column(Text)
    area: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(Text)
    participant_type: Mapped[str] = mapped_column(String(32))
    phone: Mapped[str | None] = mapped_column(String(32))
    phone_consent: Mapped[bool] = mapped_column(Boolean)
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(32))
    checked_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reminders: Mapped[bool] = mapped_column(Boolean)
    groups: Mapped[list[str]] = mapped_column(JSON)  # sorted
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    identities: Mapped[list[ParticipantIdentityRow]] = relationship(
        back_populates="participant",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise",
    )


class ParticipantIdentityRow(Base):
    """A participant's account on one channel.

    `event_id` repeats the participant's event, so that the database can refuse one account
    for two participants of the same event.
    """

    __tablename__ = "participant_identities"
    __table_args__ = (UniqueConstraint("event_id", "channel", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(Text)

    participant: Mapped[ParticipantRow] = relationship(back_populates="identities", lazy="raise")


class ProgrammeChangeRow(Base):
    """One change to an event's programme, with the whole programme before and after it.

    `before` and `after` are lists of items as `storage.mapping.items_to_json` writes them.
    """

    __tablename__ = "programme_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    made_by: Mapped[str] = mapped_column(Text)
    made_at: Mapped[datetime] = mapped_column(UtcDateTime)
    summary: Mapped[str] = mapped_column(Text)
    before: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    after: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    undone_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ReminderLogRow(Base):
    """A reminder claimed for (and so sent to, at most once) a participant."""

    __tablename__ = "reminder_log"
    __table_args__ = (UniqueConstraint("participant_id", "key"),)  # also serves lookups

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ConversationReferenceRow(Base):
    """The latest personal conversation reference of one account, to message it proactively.

    Not `usable` after the bot was uninstalled for the person (or for the team whose roster
    gave it, `origin_team`); `welcomed_at` since the bot was last installed for them.
    """

    __tablename__ = "conversation_references"
    __table_args__ = (
        UniqueConstraint("channel", "user_id"),
        Index("ix_conversation_references_origin_team", "origin_team"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(Text)
    reference: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    usable: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    origin_team: Mapped[str | None] = mapped_column(Text, default=None)
    welcomed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class BotStateRow(Base):
    """One item of botbuilder state (conversation, user, …): jsonpickle text with its e_tag."""

    __tablename__ = "bot_state"

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    e_tag: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class RevisionRow(Base):
    """A named revision ("events", "participants") that becomes a new random number with every
    write to the tables it watches.

    Database triggers (migration 0007) change it, so writes by any process or connection do; what
    was cached under a revision is current as long as the revision is the same.
    """

    __tablename__ = "revisions"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger)


metadata = Base.metadata


class GroupPlanRow(Base):
    """A plan of breakout groups or phone pairs; `groups` is a list of
    {"number": n, "members": [participant ids], "room": link or null}."""

    __tablename__ = "group_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    groups: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    seed: Mapped[int] = mapped_column(Integer)
    locked: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class BroadcastRow(Base):
    """A message to many: a facilitator's broadcast, a programme change, published groups."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    audience: Mapped[str] = mapped_column(Text)
    send_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class OutboxRow(Base):
    """One message of a broadcast to one account; `body` is the activity as JSON.

    Senders look for due rows by status and time; `lease_until` holds while one is sending.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(Text)
    idempotency_key: Mapped[str] = mapped_column(Text, unique=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    claimed_by: Mapped[str | None] = mapped_column(Text)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class FeedbackFormRow(Base):
    """A rating form of a programme item, or an evaluation questionnaire (`definition`)."""

    __tablename__ = "feedback_forms"
    __table_args__ = (UniqueConstraint("event_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    definition: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class FeedbackAnswerRow(Base):
    """One answer to one question. No participant and no time: only the respondent token,
    which closing the form deletes (NULLs never collide in the unique constraint)."""

    __tablename__ = "feedback_answers"
    __table_args__ = (UniqueConstraint("form_id", "respondent", "question"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("feedback_forms.id", ondelete="CASCADE"))
    respondent: Mapped[str | None] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(String(100))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)


class PostItRow(Base):
    """A suggestion; `respondent` lets its writer find it again, until the purge."""

    __tablename__ = "postits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(Integer)
    group_number: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    respondent: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
