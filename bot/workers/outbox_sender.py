"""The outbox sender: claims due outbox messages, sends them paced, and marks the outcome.

Each pass (`tick`) claims up to `batch` due messages for a lease, looks up each recipient's
conversation reference and sends through the channel adapter, at most `concurrency` at once,
paced per conversation and per app (per channel: `traef.pacing.DEFAULT_LIMITS`, Teams 7/s per
conversation and 50/s per app, Slack 1/s per channel; other channels get `fallback_limits`).
The channel's answer decides the outcome (`RetryPolicy.decide`): 2xx sent; 429 after its
Retry-After, 412/5xx and no answer after a jittered exponential backoff; 403/404 undeliverable
at once; given up as failed after `policy.max_attempts` attempts. A message without a stored
conversation reference is undeliverable; one whose attempts already exceed the maximum (its
senders kept dying) is failed without sending. Outcomes are written in group commits: those
arriving while a write is under way go together in the next transaction.

Restart safety. A claimed message belongs to this sender until its lease runs out; only then may
another sender claim it, and a mark succeeds only for the sender holding the claim. Sending and
marking run as one shielded task: stopping or cancelling the sender never leaves a message sent
but unmarked (`stop` waits for those tasks), and claimed messages not yet sent are handed back
at once. A message is not sent when less than `lease_margin` of its lease is left.

What is left: a kill -9 (or a lost database) between the channel accepting a message and
`mark_sent` committing. That message comes back after its lease and is sent a second time:
at most one duplicate per message that was in flight at the moment of the kill (at most
`concurrency`), and never a lost one. The same holds for a send that times out after the
channel accepted it. Channels offer no idempotency key for proactive messages to close it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes, ConversationReference
from slack_sdk.errors import SlackApiError

from bot.connector import single_attempt
from bot.slack.errors import slack_error_code, slack_http_error
from bot.wire import from_json
from traef.outbox import MessageStatus, OutboxMessage
from traef.pacing import (
    DEFAULT_LIMITS,
    TEAMS_LIMITS,
    Decision,
    Final,
    Pacer,
    PacingLimits,
    Retry,
    RetryPolicy,
    parse_retry_after,
)
from traef.participants import ChannelIdentity
from traef.ports import OutboxRepository

if TYPE_CHECKING:  # bot.app builds the sender
    from bot.app import Components

log = logging.getLogger("traefbot.outbox")

DEFAULT_BATCH = 100
DEFAULT_LEASE_SECONDS = 120.0
DEFAULT_CONCURRENCY = 16
DEFAULT_IDLE_SECONDS = 1.0
DEFAULT_SEND_TIMEOUT = 30.0
MARK_TRIES = 3


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def http_error(error: BaseException) -> tuple[int | None, str | None]:
    """The HTTP status and Retry-After header of a failed send, (None, None) without an answer.

    Our connector's `ChannelError` and aiohttp's `ClientResponseError` carry `.status` and
    `.headers`; msrest's `HttpOperationError` a `.response` with `status_code` and `headers`;
    Slack's `SlackApiError` is read by `bot.slack.errors`. Causes are followed.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, SlackApiError):
            return slack_http_error(current)
        for holder in (getattr(current, "response", None), current):
            status = getattr(holder, "status_code", None) or getattr(holder, "status", None)
            if isinstance(status, int):
                headers = getattr(holder, "headers", None) or {}
                retry_after = headers.get("Retry-After") if hasattr(headers, "get") else None
                return status, retry_after
        current = current.__cause__ or current.__context__
    return None, None


def activity_of(body: Mapping[str, Any]) -> Activity:
    """The stored body as an activity: a full activity JSON, or just {"text": …}."""
    activity = from_json(Activity, body)
    if activity.type is None:
        activity.type = ActivityTypes.message
    return activity


class OutboxSender:
    """Runs `tick` until stopped; a failing tick is logged, not fatal. See the module docstring."""

    def __init__(
        self,
        components: Components,
        *,
        worker_id: str | None = None,
        limits: Mapping[str, PacingLimits] | PacingLimits = DEFAULT_LIMITS,
        fallback_limits: PacingLimits = TEAMS_LIMITS,
        policy: RetryPolicy | None = None,
        batch: int = DEFAULT_BATCH,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        lease_margin: float | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        idle_seconds: float = DEFAULT_IDLE_SECONDS,
        send_timeout: float = DEFAULT_SEND_TIMEOUT,
        clock: Callable[[], datetime] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.worker_id = worker_id or default_worker_id()
        self._components = components
        self._limits = limits
        self._fallback = fallback_limits
        self._policy = policy or RetryPolicy()
        self._batch = batch
        self._lease = lease_seconds
        self._margin = timedelta(
            seconds=lease_margin if lease_margin is not None else lease_seconds / 4
        )
        self._concurrency = asyncio.Semaphore(concurrency)
        self._idle = idle_seconds
        self._send_timeout = send_timeout
        self._clock = clock or components.clock
        self._monotonic = monotonic
        self._sleep = sleep
        self._pacers: dict[str, Pacer] = {}
        self._finishing: set[asyncio.Task[Any]] = set()
        self._task: asyncio.Task[None] | None = None
        self._last_claimed = 0
        self._marks: list[tuple[OutboxMessage, Decision, asyncio.Future[bool]]] = []
        self._marker: asyncio.Task[None] | None = None
        self._new_mail = asyncio.Event()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"outbox-sender {self.worker_id}")

    def wake(self) -> None:
        """New messages were queued: look at once instead of at the end of the idle wait."""
        self._new_mail.set()

    async def stop(self) -> None:
        """Cancel the loop, then wait for sends being marked and claims being handed back."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.drain()

    async def drain(self) -> None:
        """Wait for the shielded send-and-mark and hand-back tasks still running."""
        while self._finishing:
            await asyncio.gather(*self._finishing, return_exceptions=True)

    async def tick(self) -> int:
        """One pass: claim due messages, send them, mark the outcomes; returns how many were
        sent. Cancelling it sends nothing more; what is being sent is still marked."""
        claimed = await self._claim()
        if not claimed:
            return 0
        references = await self._references(claimed)
        results = await asyncio.gather(
            *(self._deliver(message, references.get(message.identity)) for message in claimed)
        )
        sent = sum(results)
        log.info("Outbox: %d of %d claimed message(s) sent", sent, len(claimed))
        return sent

    async def _run(self) -> None:
        while True:
            try:
                await self.tick()
            except Exception:
                log.exception("Sending the outbox failed; trying again in %s s", self._idle)
                self._last_claimed = 0
            if not self._last_claimed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_mail.wait(), self._idle)
                self._new_mail.clear()

    async def _claim(self) -> list[OutboxMessage]:
        self._last_claimed = 0
        uow = self._components.uow_factory()
        async with uow:
            claimed = await uow.outbox.claim(
                self.worker_id, self._clock(), self._batch, self._lease
            )
            await uow.commit()
        self._last_claimed = len(claimed)
        return claimed

    async def _references(
        self, messages: list[OutboxMessage]
    ) -> dict[ChannelIdentity, dict[str, Any]]:
        found: dict[ChannelIdentity, dict[str, Any]] = {}
        uow = self._components.uow_factory()
        async with uow:
            for identity in {message.identity for message in messages}:
                reference = await uow.conversations.get(identity)
                if reference is not None:
                    found[identity] = reference
        return found

    async def _deliver(self, message: OutboxMessage, reference: dict[str, Any] | None) -> bool:
        if message.attempts > self._policy.max_attempts:
            error = f"gave up after {message.attempts - 1} attempts"
            await self._finish(self._mark(message, Final(MessageStatus.FAILED, error)))
            return False
        if reference is None:
            final = Final(MessageStatus.UNDELIVERABLE, "no conversation reference")
            await self._finish(self._mark(message, final))
            return False
        sending = False
        try:
            async with self._concurrency:
                await self._pace(message, reference)
                if not self._lease_left(message):
                    self._hand_back(message, "lease ran out before sending")
                    return False
                sending = True
                return await self._finish(self._send_and_mark(message, reference))
        except asyncio.CancelledError:
            if not sending:
                self._hand_back(message, "sender stopped before sending")
            raise

    async def _pace(self, message: OutboxMessage, reference: dict[str, Any]) -> None:
        channel = message.identity.channel
        pacer = self._pacers.get(channel)
        if pacer is None:
            limits = self._limits
            if not isinstance(limits, PacingLimits):
                limits = limits.get(channel, self._fallback)
            pacer = self._pacers[channel] = Pacer(limits, clock=self._monotonic, sleep=self._sleep)
        conversation = (reference.get("conversation") or {}).get("id") or message.identity.user_id
        await pacer.wait(str(conversation))

    def _lease_left(self, message: OutboxMessage) -> bool:
        return message.lease_until is None or self._clock() < message.lease_until - self._margin

    def _finish(self, work: Coroutine[Any, Any, bool]) -> Awaitable[bool]:
        """Run `work` to its end even if the caller is cancelled; `stop` waits for it."""
        task = asyncio.create_task(work)
        self._finishing.add(task)
        task.add_done_callback(self._finishing.discard)
        return asyncio.shield(task)

    def _hand_back(self, message: OutboxMessage, error: str) -> None:
        """Give a claimed, unsent message back for any sender to take at once."""
        retry = Retry(self._clock(), error)
        self._finish(self._mark(message, retry))

    async def _send_and_mark(self, message: OutboxMessage, reference: dict[str, Any]) -> bool:
        status, retry_after = await self._send(reference, message.body)
        now = self._clock()
        decision = self._policy.decide(
            status, message.attempts, now, parse_retry_after(retry_after, now)
        )
        await self._mark(message, decision)
        return isinstance(decision, Final) and decision.status is MessageStatus.SENT

    async def _send(
        self, reference: dict[str, Any], body: Mapping[str, Any]
    ) -> tuple[int | None, str | None]:
        """Send through the adapter; the HTTP status the channel answered and its Retry-After."""
        errors: list[BaseException] = []

        async def callback(context: TurnContext) -> None:
            # Caught here: the adapter would hand it to on_turn_error, which writes to the user.
            try:
                await context.send_activity(activity_of(body))
            except Exception as error:
                errors.append(error)

        try:
            with single_attempt():  # retried here, durably and paced, not inside the adapter
                await asyncio.wait_for(
                    self._components.channels.continue_conversation(
                        from_json(ConversationReference, reference),
                        callback,
                        bot_app_id=self._components.settings.microsoft_app_id,
                    ),
                    self._send_timeout,
                )
        except Exception as error:
            errors.append(error)
        if not errors:
            return 200, None
        status, retry_after = http_error(errors[0])
        if status is None:
            log.warning("Outbox send got no answer: %r", errors[0])
        elif isinstance(errors[0], SlackApiError):
            log.warning("Slack refused an outbox message: %s", slack_error_code(errors[0]))
        return status, retry_after

    async def _mark(self, message: OutboxMessage, decision: Decision) -> bool:
        """Record the outcome. Outcomes arriving while a write is under way are written together
        in the next transaction (a group commit), so marking keeps up with sending."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._marks.append((message, decision, future))
        if self._marker is None or self._marker.done():
            self._marker = asyncio.create_task(self._write_marks())
            self._finishing.add(self._marker)
            self._marker.add_done_callback(self._finishing.discard)
        return await future

    async def _write_marks(self) -> None:
        while self._marks:
            group, self._marks = self._marks, []
            results = await self._write(group)
            for (message, _, future), done in zip(group, results, strict=True):
                if not done:
                    log.warning(
                        "Outbox message %s was no longer claimed by %s", message.id, self.worker_id
                    )
                if not future.done():
                    future.set_result(done)

    async def _write(
        self, group: list[tuple[OutboxMessage, Decision, asyncio.Future[bool]]]
    ) -> list[bool]:
        """One transaction; a few tries, as a lost mark means a second copy later."""
        for attempt in range(1, MARK_TRIES + 1):
            try:
                results = []
                uow = self._components.uow_factory()
                async with uow:
                    for message, decision, _ in group:
                        results.append(await self._mark_one(uow.outbox, message, decision))
                    await uow.commit()
                return results
            except Exception:
                if attempt == MARK_TRIES:
                    log.exception("Could not mark %d outbox message(s)", len(group))
                    return [False] * len(group)
                await asyncio.sleep(0.1 * attempt)
        return [False] * len(group)

    async def _mark_one(
        self, outbox: OutboxRepository, message: OutboxMessage, decision: Decision
    ) -> bool:
        assert message.id is not None
        if isinstance(decision, Retry):
            return await outbox.mark_retry(message.id, self.worker_id, decision.at, decision.error)
        if decision.status is MessageStatus.SENT:
            return await outbox.mark_sent(message.id, self.worker_id, self._clock())
        return await outbox.mark_final(
            message.id, self.worker_id, decision.status, decision.error or ""
        )
