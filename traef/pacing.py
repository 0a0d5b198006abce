"""How fast and how often the outbox sends: retries after a channel's answer, and pacing.

No I/O: time, randomness and sleeping are handed in, so tests run instantly.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from traef.outbox import MessageStatus

RETRIED_STATUSES = frozenset({412, 429, 500, 502, 503, 504})
UNDELIVERABLE_STATUSES = frozenset({403, 404})  # the bot is blocked or uninstalled; no such user


@dataclass(frozen=True, slots=True)
class Retry:
    at: datetime
    error: str


@dataclass(frozen=True, slots=True)
class Final:
    status: MessageStatus  # sent, failed or undeliverable
    error: str | None = None


Decision = Retry | Final


@dataclass(frozen=True)
class RetryPolicy:
    """What to do with a message after an attempt, from the HTTP status the channel answered.

    Retried (412, 429, 5xx gateway errors, no answer at all) until `max_attempts` attempts are
    used up: after Retry-After when a 429 gives one, else after a backoff with full jitter,
    a random time between 0 and `base_delay` · 2^(attempts − 1), at most `max_delay`.
    """

    max_attempts: int = 6
    base_delay: float = 2.0  # seconds
    max_delay: float = 300.0
    rng: random.Random = field(default_factory=random.Random)

    def decide(
        self,
        http_status: int | None,
        attempts: int,
        now: datetime,
        retry_after: float | None = None,
    ) -> Decision:
        """`http_status` None: no answer (a timeout, a broken connection). `attempts` counts
        the attempt just made."""
        if http_status is not None and 200 <= http_status < 300:
            return Final(MessageStatus.SENT)
        error = "no answer" if http_status is None else f"HTTP {http_status}"
        if http_status in UNDELIVERABLE_STATUSES:
            return Final(MessageStatus.UNDELIVERABLE, error)
        if http_status is not None and http_status not in RETRIED_STATUSES:
            return Final(MessageStatus.FAILED, error)
        if attempts >= self.max_attempts:
            return Final(MessageStatus.FAILED, f"{error}; gave up after {attempts} attempts")
        if http_status == 429 and retry_after is not None:
            return Retry(now + timedelta(seconds=max(0.0, retry_after)), error)
        return Retry(now + timedelta(seconds=self.backoff(attempts)), error)

    def backoff(self, attempts: int) -> float:
        ceiling = min(self.max_delay, self.base_delay * 2 ** max(0, attempts - 1))
        return self.rng.uniform(0, ceiling)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if value is None or not value.strip():
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(value) - now).total_seconds()
        except (TypeError, ValueError):
            return None
    return max(0.0, seconds) if math.isfinite(seconds) else None


@dataclass(frozen=True, slots=True)
class Rate:
    """`per_second` messages a second on average, `burst` of them at once."""

    per_second: float
    burst: int = 0  # 0: per_second rounded up

    def __post_init__(self) -> None:
        if self.per_second <= 0 or self.burst < 0:
            raise ValueError(f"Not a rate: {self}")

    @property
    def capacity(self) -> int:
        return self.burst or max(1, math.ceil(self.per_second))


@dataclass(frozen=True, slots=True)
class PacingLimits:
    per_conversation: Rate
    per_app: Rate | None = None  # None: no limit across conversations


TEAMS_LIMITS = PacingLimits(per_conversation=Rate(7), per_app=Rate(50))
SLACK_LIMITS = PacingLimits(per_conversation=Rate(1))
DEFAULT_LIMITS = {"msteams": TEAMS_LIMITS, "slack": SLACK_LIMITS}
EPSILON = 1e-9  # seconds: less is rounding, not waiting


class _Bucket:
    """A token bucket, kept as the time it is full again (a token comes every 1/rate s)."""

    __slots__ = ("full_at", "interval", "slack")

    def __init__(self, rate: Rate) -> None:
        self.interval = 1 / rate.per_second
        self.slack = (rate.capacity - 1) * self.interval  # how far from full one may still take
        self.full_at = -math.inf

    def free_at(self, now: float) -> float:
        """When the bucket next holds a token."""
        return max(now, self.full_at - self.slack)

    def take(self, now: float) -> None:
        self.full_at = max(self.full_at, now) + self.interval


class Pacer:
    """Token buckets per conversation and per app. A message goes when both have a token;
    tokens are taken only then, so a busy conversation holds up no other."""

    PRUNE_ABOVE = 1024  # conversations remembered before full buckets are forgotten

    def __init__(
        self,
        limits: PacingLimits = TEAMS_LIMITS,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self._limits = limits
        self._clock = clock
        self._sleep = sleep
        self._conversations: dict[str, _Bucket] = {}
        self._app = _Bucket(limits.per_app) if limits.per_app is not None else None

    def delay_for(self, conversation_key: str, now: float) -> float:
        """Seconds from `now` until a message to the conversation may go. When it may go at
        once (0.0), its tokens are taken."""
        buckets = [self._conversation(conversation_key, now)]
        if self._app is not None:
            buckets.append(self._app)
        delay = max(bucket.free_at(now) for bucket in buckets) - now
        if delay > EPSILON:
            return delay
        for bucket in buckets:
            bucket.take(now)
        return 0.0

    async def wait(self, conversation_key: str) -> float:
        """Wait until a message to the conversation may go; returns the seconds waited."""
        start = now = self._clock()
        while (delay := self.delay_for(conversation_key, now)) > 0:
            await self._sleep(delay)
            now = self._clock()
        return now - start

    def _conversation(self, key: str, now: float) -> _Bucket:
        bucket = self._conversations.get(key)
        if bucket is None:
            if len(self._conversations) >= self.PRUNE_ABOVE:
                self._conversations = {
                    k: b for k, b in self._conversations.items() if b.full_at > now
                }
            bucket = self._conversations[key] = _Bucket(self._limits.per_conversation)
        return bucket
