"""Conversation references that can no longer be used, and how each came to be.

`usable` turns false when the person (or the team the reference came through) uninstalls the
bot: the row stays, so a later message from the person makes it usable again, but broadcasts
skip it. `origin_team` is the team whose roster the bot read to open the conversation itself
(None when the person wrote first). `welcomed_at` is when the person was welcomed since the bot
was last installed for them, so that Teams' two install events get one welcome.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "conversation_references"


def upgrade() -> None:
    with op.batch_alter_table(TABLE) as table:
        table.add_column(
            sa.Column("usable", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        table.add_column(sa.Column("origin_team", sa.Text(), nullable=True))
        table.add_column(sa.Column("welcomed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_conversation_references_origin_team", TABLE, ["origin_team"])


def downgrade() -> None:
    op.drop_index("ix_conversation_references_origin_team", table_name=TABLE)
    with op.batch_alter_table(TABLE) as table:
        table.drop_column("welcomed_at")
        table.drop_column("origin_team")
        table.drop_column("usable")
