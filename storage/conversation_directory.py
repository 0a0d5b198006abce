"""Conversation references over a SQLAlchemy session; implements
`traef.ports.ConversationDirectory`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect_insert import insert_on_conflict
from storage.models import ConversationReferenceRow
from storage.utc_datetime import utc_now
from traef.participants import ChannelIdentity

Row = ConversationReferenceRow


class SqlConversationDirectory:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save(
        self, identity: ChannelIdentity, reference: dict[str, Any], team: str | None = None
    ) -> None:
        """Keep `reference` as the account's one reference, usable, replacing any stored before.

        `team`: the bot opened the conversation itself, from that team's roster. An upsert, so
        two turns of a new account saving at once do not collide.
        """
        statement = insert_on_conflict(self._session, Row).values(
            channel=identity.channel,
            user_id=identity.user_id,
            reference=reference,
            updated_at=utc_now(),
            usable=True,
            origin_team=team,
        )
        statement = statement.on_conflict_do_update(
            index_elements=[Row.channel, Row.user_id],
            set_={
                name: statement.excluded[name]
                for name in ("reference", "updated_at", "usable", "origin_team")
            },
        )
        await self._session.execute(statement)

    async def get(self, identity: ChannelIdentity) -> dict[str, Any] | None:
        """The account's reference; None also when it is not usable."""
        query = select(Row.reference).where(
            Row.channel == identity.channel, Row.user_id == identity.user_id, Row.usable
        )
        return (await self._session.scalars(query)).first()

    async def all(self) -> list[tuple[ChannelIdentity, dict[str, Any]]]:
        """Every usable reference, ordered by identity: sorted here, the same everywhere."""
        query = select(Row.channel, Row.user_id, Row.reference).where(Row.usable)
        rows = await self._session.execute(query)
        found = [(ChannelIdentity(channel, user_id), ref) for channel, user_id, ref in rows]
        return sorted(found, key=lambda pair: pair[0])

    async def set_unusable(self, identity: ChannelIdentity) -> bool:
        """The bot was uninstalled for the person: keep the row, skip it, welcome them anew."""
        statement = (
            update(Row)
            .where(Row.channel == identity.channel, Row.user_id == identity.user_id)
            .values(usable=False, welcomed_at=None)
        )
        return await self._changed(statement) > 0

    async def set_team_unusable(self, channel: str, team: str) -> int:
        """The bot was removed from `team`: the references it opened from the team's roster."""
        statement = (
            update(Row)
            .where(Row.channel == channel, Row.origin_team == team, Row.usable)
            .values(usable=False)
        )
        return await self._changed(statement)

    async def claim_welcome(self, identity: ChannelIdentity, now: datetime) -> bool:
        """True for the first caller since the bot was installed for the person, then False.

        One conditional UPDATE: of two turns at once, only one changes the row.
        """
        statement = (
            update(Row)
            .where(
                Row.channel == identity.channel,
                Row.user_id == identity.user_id,
                Row.welcomed_at.is_(None),
            )
            .values(welcomed_at=now)
        )
        return await self._changed(statement) == 1

    async def _changed(self, statement: Any) -> int:
        result = await self._session.execute(statement)
        assert isinstance(result, CursorResult)
        return int(result.rowcount)
