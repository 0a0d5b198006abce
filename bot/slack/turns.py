"""Slack wants an answer within three seconds: its requests are answered at once and the turn
runs on in a task the app owns. Events Slack sends again (its retries) are recognised by id."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger("traefbot.slack")

REMEMBERED_EVENTS = 10_000
SHUTDOWN_GRACE_SECONDS = 10.0


class BackgroundTurns:
    """The turns under way; on shutdown given a moment to finish, then cancelled."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, turn: Coroutine[Any, Any, None], label: str) -> None:
        task = asyncio.create_task(turn, name=label)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("Slack turn %s failed", task.get_name(), exc_info=task.exception())

    async def wait(self) -> None:
        """Until every turn started so far has finished (tests; shutdown)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def close(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=grace)
        for task in pending:
            task.cancel()
        if pending:
            log.warning("Cancelled %d Slack turns still running at shutdown", len(pending))
            await asyncio.wait(pending)


class RecentIds:
    """The last `size` ids seen, to skip what Slack sends again."""

    def __init__(self, size: int = REMEMBERED_EVENTS) -> None:
        self._size = size
        self._seen: OrderedDict[str, None] = OrderedDict()

    def first_time(self, identifier: str) -> bool:
        if identifier in self._seen:
            return False
        self._seen[identifier] = None
        if len(self._seen) > self._size:
            self._seen.popitem(last=False)
        return True
