"""Participants with their channel identities; departments and levels configurable per event.

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-29
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What events stored before this revision get; a copy of traef.participants' defaults as they
# were when this revision was written. Migrations do not import domain code.
DEFAULT_DEPARTMENTS = [
    "MSO",
    "MBU",
    "MSB",
    "MKB",
    "MTM",
    "BA",
    "Privat/selvejende institution",
]
DEFAULT_LEVELS = ["Direktør", "Chef", "Leder", "Ledertrainee", "Forstander"]


def upgrade() -> None:
    _add_list_column("departments", DEFAULT_DEPARTMENTS)
    _add_list_column("levels", DEFAULT_LEVELS)
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("department", sa.Text(), nullable=False),
        sa.Column("area", sa.Text(), nullable=False),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("participant_type", sa.String(length=32), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("phone_consent", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name="fk_participants_event_id_events",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_participants"),
        sa.UniqueConstraint("event_id", "email", name="uq_participants_event_id_email"),
    )
    op.create_table(
        "participant_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name="fk_participant_identities_participant_id_participants",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_participant_identities"),
        sa.UniqueConstraint(
            "event_id",
            "channel",
            "user_id",
            name="uq_participant_identities_event_id_channel_user_id",
        ),
    )
    op.create_index(
        "ix_participant_identities_participant_id",
        "participant_identities",
        ["participant_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_participant_identities_participant_id", "participant_identities")
    op.drop_table("participant_identities")
    op.drop_table("participants")
    op.drop_column("events", "levels")
    op.drop_column("events", "departments")


def _add_list_column(name: str, default: list[str]) -> None:
    """A NOT NULL JSON column on `events`, holding `default` in the rows already there.

    The database default only fills those rows: the application always writes the column.
    PostgreSQL drops it again. SQLite keeps it, because removing a default there means
    recreating `events`, and dropping the old table would cascade-delete every programme item.
    """
    literal = json.dumps(default, ensure_ascii=False)
    op.add_column("events", sa.Column(name, sa.JSON(), nullable=False, server_default=literal))
    if op.get_context().dialect.name != "sqlite":
        op.alter_column("events", name, server_default=None)
