"""The reminder worker: every few seconds, sends the reminders that have fallen due."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from botbuilder.schema import Activity, ActivityTypes

from bot.workers.reminder_text import reminder_text
from dialogs.i18n import Texts
from traef.errors import NoEventError
from traef.feedback import close_due_forms
from traef.participants import Participant
from traef.purge import purge_expired
from traef.reminders import Reminder, send_due_reminders
from traef.services import current_event

if TYPE_CHECKING:  # bot.app builds the worker
    from bot.app import Components

PURGE_EVERY = timedelta(hours=1)
log = logging.getLogger("traefbot.reminders")

DEFAULT_INTERVAL_SECONDS = 20.0


class ReminderWorker:
    """Runs `tick` every `interval_seconds` until stopped; a failing tick is logged, not fatal."""

    def __init__(
        self, components: Components, interval_seconds: float = DEFAULT_INTERVAL_SECONDS
    ) -> None:
        self._components = components
        self._interval = interval_seconds
        self._task: asyncio.Task[None] | None = None
        self._last_purge: datetime | None = None

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="reminder-worker")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def tick(self) -> int:
        """One pass: send what is due now; returns how many reminders arrived."""
        now = self._components.clock()

        async def deliver(participant: Participant, reminder: Reminder) -> bool:
            return await self._deliver(participant, reminder, now)

        sent = await send_due_reminders(self._components.uow_factory, now, deliver)
        if sent:
            log.info("Sent %d reminder(s)", sent)
        await self._close_due_forms(now)
        await self._purge_expired(now)
        return sent

    async def _purge_expired(self, now: datetime) -> None:
        """With RETENTION_DAYS set, events that ended that long ago lose their personal data."""
        days = self._components.settings.retention_days
        if days is None or (self._last_purge and now - self._last_purge < PURGE_EVERY):
            return
        self._last_purge = now
        today = now.astimezone(self._components.settings.zone).date()
        purged = await purge_expired(self._components.uow_factory, today, days)
        if purged:
            log.info("Retention: purged the personal data of %d event(s)", len(purged))

    async def _close_due_forms(self, now: datetime) -> None:
        """Evaluations close at their deadline (and their respondent tokens are deleted)."""
        settings = self._components.settings
        try:
            event = await current_event(
                self._components.uow_factory(), now.astimezone(settings.zone).date()
            )
        except NoEventError:
            return
        assert event.id is not None
        closed = await close_due_forms(self._components.uow_factory(), event.id, now)
        if closed:
            log.info("Closed %d evaluation form(s) at their deadline", len(closed))

    async def _run(self) -> None:
        while True:
            try:
                await self.tick()
            except Exception:
                log.exception("Sending reminders failed; trying again in %s s", self._interval)
            await asyncio.sleep(self._interval)

    async def _deliver(self, participant: Participant, reminder: Reminder, now: datetime) -> bool:
        """Through the first of the person's channel accounts that the bot can reach."""

        def render(texts: Texts) -> Activity:
            return Activity(type=ActivityTypes.message, text=reminder_text(reminder, now, texts))

        for identity in sorted(participant.identities):
            try:
                if await self._components.messenger.tell(identity, render):
                    return True
            except Exception:
                log.exception("Reminder %s to participant %s failed", reminder.key, participant.id)
        log.info("Could not reach participant %s for reminder %s", participant.id, reminder.key)
        return False
