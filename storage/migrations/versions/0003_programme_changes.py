"""Audiences and preparation; reminders, groups and calendar tokens of participants; programme
changes, the reminder log and conversation references.

Revision ID: 0003
Revises: 0002
Create Date: 2025-12-06

On SQLite the changes to `events` and `participants` are plain ADD or DROP COLUMN (SQLite 3.35
or newer), never a batch operation: a batch recreates the table, and dropping the old table
with foreign keys on would cascade-delete programme items or identities. Only
`programme_items`, which nothing refers to, is recreated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _add_audiences()
    _add_filled_column("events", "preparation", sa.Text(), "")
    op.add_column("events", sa.Column("preparation_reminder_days", sa.Integer(), nullable=True))
    _add_filled_column("participants", "reminders", sa.Boolean(), sa.false())
    _add_filled_column("participants", "groups", sa.JSON(), "[]")
    op.add_column("participants", sa.Column("calendar_token", sa.String(length=64), nullable=True))
    # A unique index rather than a constraint: SQLite cannot add a unique column.
    op.create_index(
        "ix_participants_calendar_token", "participants", ["calendar_token"], unique=True
    )

    op.create_table(
        "programme_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("made_by", sa.Text(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name="fk_programme_changes_event_id_events",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_programme_changes"),
    )
    op.create_index("ix_programme_changes_event_id", "programme_changes", ["event_id"])
    op.create_table(
        "reminder_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name="fk_reminder_log_participant_id_participants",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reminder_log"),
        sa.UniqueConstraint("participant_id", "key", name="uq_reminder_log_participant_id_key"),
    )
    op.create_table(
        "conversation_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("reference", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_conversation_references"),
        sa.UniqueConstraint(
            "channel", "user_id", name="uq_conversation_references_channel_user_id"
        ),
    )


def _add_audiences() -> None:
    """Audience columns on `programme_items`; on SQLite the ids become AUTOINCREMENT as well.

    Without AUTOINCREMENT SQLite gives the id of the last item deleted to the next one added,
    and reminders, calendars and programme changes refer to items by id. Nothing refers to
    `programme_items`, so recreating it (a batch operation) deletes nothing along.
    """
    kind = sa.Column(
        "audience_kind", sa.String(length=32), nullable=False, server_default="everyone"
    )
    value = sa.Column("audience_value", sa.Text(), nullable=True)
    if op.get_context().dialect.name != "sqlite":
        op.add_column("programme_items", kind)
        op.add_column("programme_items", value)
        op.alter_column("programme_items", "audience_kind", server_default=None)
        return
    with op.batch_alter_table(
        "programme_items", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ) as batch:
        batch.add_column(kind)
        batch.add_column(value)


def _drop_audiences() -> None:
    if op.get_context().dialect.name != "sqlite":
        op.drop_column("programme_items", "audience_value")
        op.drop_column("programme_items", "audience_kind")
        return
    with op.batch_alter_table(
        "programme_items", recreate="always", table_kwargs={"sqlite_autoincrement": False}
    ) as batch:
        batch.drop_column("audience_value")
        batch.drop_column("audience_kind")


def downgrade() -> None:
    op.drop_table("conversation_references")
    op.drop_table("reminder_log")
    op.drop_index("ix_programme_changes_event_id", "programme_changes")
    op.drop_table("programme_changes")
    # SQLite refuses to drop an indexed column: the index goes first.
    op.drop_index("ix_participants_calendar_token", "participants")
    for table, column in (
        ("participants", "calendar_token"),
        ("participants", "groups"),
        ("participants", "reminders"),
        ("events", "preparation_reminder_days"),
        ("events", "preparation"),
    ):
        op.drop_column(table, column)
    _drop_audiences()


def _add_filled_column(
    table: str, name: str, type_: sa.types.TypeEngine[Any], fill: str | sa.ColumnElement[bool]
) -> None:
    """Add a NOT NULL column to `table`, holding `fill` in the rows already there.

    The database default only fills those rows: the application always writes the column.
    PostgreSQL drops it again; SQLite keeps it, as removing a default there means recreating
    the table (see the module's docstring).
    """
    op.add_column(table, sa.Column(name, type_, nullable=False, server_default=fill))
    if op.get_context().dialect.name != "sqlite":
        op.alter_column(table, name, server_default=None)
