"""The unit of work over a SQLAlchemy session; implements `traef.ports.UnitOfWork`."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.change_repository import SqlProgrammeChangeRepository
from storage.conversation_directory import SqlConversationDirectory
from storage.feedback_repository import SqlFeedbackRepository
from storage.outbox_repository import SqlOutboxRepository
from storage.participant_repository import SqlParticipantRepository
from storage.plan_repository import SqlGroupPlanRepository
from storage.reminder_log import SqlReminderLog
from storage.repositories import SqlEventRepository
from traef.ports import (
    ConversationDirectory,
    EventRepository,
    FeedbackRepository,
    GroupPlanRepository,
    OutboxRepository,
    ParticipantRepository,
    ProgrammeChangeRepository,
    ReminderLog,
)


class SqlUnitOfWork:
    """`async with uow:` opens a session; leaving it rolls back what was not committed.

    One instance may be entered again after it was left, each time with a fresh session.
    """

    events: EventRepository
    participants: ParticipantRepository
    changes: ProgrammeChangeRepository
    reminders: ReminderLog
    conversations: ConversationDirectory
    plans: GroupPlanRepository
    outbox: OutboxRepository
    feedback: FeedbackRepository

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("This unit of work is already in use.")
        self._session = self._session_factory()
        self.events = SqlEventRepository(self._session)
        self.participants = SqlParticipantRepository(self._session)
        self.changes = SqlProgrammeChangeRepository(self._session)
        self.reminders = SqlReminderLog(self._session)
        self.conversations = SqlConversationDirectory(self._session)
        self.plans = SqlGroupPlanRepository(self._session)
        self.outbox = SqlOutboxRepository(self._session)
        self.feedback = SqlFeedbackRepository(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session, self._session = self._active, None
        try:
            await session.rollback()
        finally:
            await session.close()

    async def commit(self) -> None:
        await self._active.commit()

    async def rollback(self) -> None:
        await self._active.rollback()

    @property
    def _active(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("Use the unit of work inside `async with`.")
        return self._session
