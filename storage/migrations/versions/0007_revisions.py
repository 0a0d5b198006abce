"""Revisions that triggers change on every write: to events and their programme, to participants.

A revision becomes a new random number, not the next one: a revision seen inside a transaction
that was rolled back is never seen again, so it cannot vouch for other data later. A write to
`events` changes both revisions (deleting an event deletes its participants).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAMES = ("events", "participants")
WATCHED = {  # table: the revisions a write to it changes
    "events": NAMES,
    "programme_items": ("events",),
    "participants": ("participants",),
    "participant_identities": ("participants",),
}
OPERATIONS = ("insert", "update", "delete")
PG_FUNCTION = "bump_revisions"


def upgrade() -> None:
    op.create_table(
        "revisions",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_revisions")),
    )
    for name in NAMES:
        op.execute(f"INSERT INTO revisions (name, revision) VALUES ('{name}', 0)")
    if op.get_bind().dialect.name == "postgresql":
        _create_postgresql_triggers()
    else:
        _create_sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_revisions ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
    else:
        for table in WATCHED:
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_revisions_{operation}")
    op.drop_table("revisions")


def _create_postgresql_triggers() -> None:
    op.execute(
        f"CREATE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "UPDATE revisions SET revision = floor(random() * 9000000000000000000)::bigint "
        "WHERE name = ANY(TG_ARGV); RETURN NULL; END $$"
    )
    for table, names in WATCHED.items():
        arguments = ", ".join(f"'{name}'" for name in names)
        op.execute(
            f"CREATE TRIGGER {table}_revisions AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}({arguments})"
        )


def _create_sqlite_triggers() -> None:
    for table, names in WATCHED.items():
        listed = ", ".join(f"'{name}'" for name in names)
        for operation in OPERATIONS:
            trigger = f"{table}_revisions_{operation}"
            op.execute(
                f"CREATE TRIGGER {trigger} AFTER {operation.upper()} ON {table} "
                f"BEGIN UPDATE revisions SET revision = random() WHERE name IN ({listed}); END"
            )
