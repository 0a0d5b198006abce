"""Conversation references over a SQLAlchemy session; implements
`traef.ports.ConversationDirectory`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect_insert import insert_on_conflict
from storage.models import ConversationReferenceRow
from storage.utc_datetime import utc_now
from traef.participants import ChannelIdentity

Row = ConversationReferenceRow


class SqlConversationDirectory:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save(self, identity: ChannelIdentity, reference: dict[str, Any]) -> None:
        """Keep `reference` as the account's one reference, replacing any stored before.

        An upsert, so two turns of a new account saving at once do not collide.
        """
        statement = insert_on_conflict(self._session, Row).values(
            channel=identity.channel,
            user_id=identity.user_id,
            reference=reference,
            updated_at=utc_now(),
        )
        statement = statement.on_conflict_do_update(
            index_elements=[Row.channel, Row.user_id],
            set_={name: statement.excluded[name] for name in ("reference", "updated_at")},
        )
        await self._session.execute(statement)

    async def get(self, identity: ChannelIdentity) -> dict[str, Any] | None:
        query = select(Row.reference).where(
            Row.channel == identity.channel, Row.user_id == identity.user_id
        )
        return (await self._session.scalars(query)).first()

    async def all(self) -> list[tuple[ChannelIdentity, dict[str, Any]]]:
        """Every account's reference, ordered by identity: sorted here, the same everywhere."""
        rows = await self._session.execute(select(Row.channel, Row.user_id, Row.reference))
        found = [(ChannelIdentity(channel, user_id), ref) for channel, user_id, ref in rows]
        return sorted(found, key=lambda pair: pair[0])
