"""What repositories keep between units of work while the database says it has not changed.

Every write to `events` or `programme_items`, by this process or another (the CLI), gives the
"events" row of `revisions` a new random revision; every write to `participants` or
`participant_identities` the "participants" row (database triggers, migration 0007). A repository
reads the revision (one small query) and uses what was kept under that same revision; another
revision empties what was kept under the old one. So a change is seen at the next read, never
later, whoever made it.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Final

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction

from storage.models import RevisionRow

SESSION_KEY: Final = "traefbot.revision_cache"  # where sessions find the cache: `Session.info`
_READ_KEY: Final = "traefbot.revisions_read"  # the revisions this session read, while valid
EVENTS: Final = "events"
PARTICIPANTS: Final = "participants"
_ALL_REVISIONS: Final = select(RevisionRow.name, RevisionRow.revision)


class Missing:
    """Nothing was kept (as against None kept)."""


MISSING: Final = Missing()


class RevisionCache:
    """Values per name and key, each name's as read under one revision."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[int, dict[Hashable, object]]] = {}

    def get(self, name: str, revision: int, key: Hashable) -> object:
        """The value kept for `key` under `revision`, else MISSING."""
        kept = self._kept.get(name)
        if kept is None or kept[0] != revision:
            return MISSING
        return kept[1].get(key, MISSING)

    def keep(self, name: str, revision: int, key: Hashable, value: object) -> None:
        kept = self._kept.get(name)
        if kept is None or kept[0] != revision:
            kept = self._kept[name] = (revision, {})
        kept[1][key] = value


class CachedReads:
    """A repository's view of the cache: read through it, or straight when there is none."""

    def __init__(self, session: AsyncSession, name: str) -> None:
        cache = session.info.get(SESSION_KEY)
        self._cache = cache if isinstance(cache, RevisionCache) else None
        self._session = session
        self._name = name

    async def revision(self) -> int | None:
        """The revision now, or None when nothing is to be kept (no cache, or no revision row).

        A session reads all revisions in one query, and again once it has written or its
        transaction has ended (see `RevisionSession`).
        """
        if self._cache is None:
            return None
        read = self._session.info.get(_READ_KEY)
        if not isinstance(read, dict):
            connection = await self._session.connection()
            read = {name: number for name, number in await connection.execute(_ALL_REVISIONS)}
            self._session.info[_READ_KEY] = read
        revision = read.get(self._name)
        return revision if isinstance(revision, int) else None

    def get(self, revision: int | None, key: Hashable) -> object:
        if self._cache is None or revision is None:
            return MISSING
        return self._cache.get(self._name, revision, key)

    def keep(self, revision: int | None, key: Hashable, value: object) -> None:
        if self._cache is not None and revision is not None:
            self._cache.keep(self._name, revision, key, value)


class RevisionSession(Session):
    """A session that forgets the revisions it read when it writes or its transaction ends: what
    it reads next must be checked against the revisions its own writes (or others') gave."""


def _forget_revisions(session: Session) -> None:
    session.info.pop(_READ_KEY, None)


@event.listens_for(RevisionSession, "after_flush")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    _forget_revisions(session)


@event.listens_for(RevisionSession, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not state.is_select:
        _forget_revisions(state.session)


@event.listens_for(RevisionSession, "after_transaction_end")
def _after_transaction(session: Session, _transaction: SessionTransaction) -> None:
    _forget_revisions(session)
