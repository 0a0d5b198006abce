"""Retries after a channel's answer, and pacing per conversation and per app."""

from __future__ import annotations

import asyncio
import itertools
import random
from datetime import UTC, datetime, timedelta

import pytest

from traef.outbox import MessageStatus
from traef.pacing import (
    SLACK_LIMITS,
    TEAMS_LIMITS,
    Final,
    Pacer,
    PacingLimits,
    Rate,
    Retry,
    RetryPolicy,
    parse_retry_after,
)

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def policy(max_attempts: int = 6, base_delay: float = 2.0, max_delay: float = 300.0) -> RetryPolicy:
    return RetryPolicy(max_attempts, base_delay, max_delay, rng=random.Random(7))


@pytest.mark.parametrize("status", [200, 201, 202])
def test_2xx_is_sent(status: int) -> None:
    assert policy().decide(status, 1, NOW) == Final(MessageStatus.SENT)


def test_429_waits_as_long_as_retry_after_says() -> None:
    assert policy().decide(429, 1, NOW, retry_after=1) == Retry(
        NOW + timedelta(seconds=1), "HTTP 429"
    )
    assert policy().decide(429, 5, NOW, retry_after=120) == Retry(
        NOW + timedelta(seconds=120), "HTTP 429"
    )


def test_429_without_retry_after_backs_off() -> None:
    decision = policy(base_delay=2).decide(429, 3, NOW)
    assert isinstance(decision, Retry)
    assert NOW <= decision.at <= NOW + timedelta(seconds=8)


@pytest.mark.parametrize("status", [412, 500, 502, 503, 504, None])
def test_passing_failures_are_retried_with_full_jitter(status: int | None) -> None:
    retry = policy(base_delay=1, max_delay=10, max_attempts=100)
    for attempts, ceiling in [(1, 1), (2, 2), (3, 4), (4, 8), (5, 10), (9, 10)]:
        delays = []
        for _ in range(50):
            decision = retry.decide(status, attempts, NOW)
            assert isinstance(decision, Retry)
            delays.append((decision.at - NOW).total_seconds())
        assert all(0 <= delay <= ceiling for delay in delays), (attempts, delays)
        assert max(delays) > ceiling / 2  # spread over the whole range, not stuck at 0
        assert len(set(delays)) > 40


def test_the_jitter_comes_from_the_random_given() -> None:
    first = [RetryPolicy(rng=random.Random(1)).decide(502, 3, NOW) for _ in range(2)]
    again = [RetryPolicy(rng=random.Random(1)).decide(502, 3, NOW) for _ in range(2)]
    assert first == again


def test_retry_after_is_not_used_for_other_statuses() -> None:
    decision = policy(base_delay=1).decide(503, 1, NOW, retry_after=600)
    assert isinstance(decision, Retry) and decision.at <= NOW + timedelta(seconds=1)


@pytest.mark.parametrize("status", [403, 404])
def test_blocked_or_gone_is_undeliverable_at_once(status: int) -> None:
    assert policy().decide(status, 1, NOW) == Final(MessageStatus.UNDELIVERABLE, f"HTTP {status}")


@pytest.mark.parametrize("status", [400, 401, 410, 413, 501, 302])
def test_other_answers_fail_at_once(status: int) -> None:
    assert policy().decide(status, 1, NOW) == Final(MessageStatus.FAILED, f"HTTP {status}")


def test_attempts_are_bounded() -> None:
    retry = policy()  # six attempts
    assert isinstance(retry.decide(502, 5, NOW), Retry)
    assert retry.decide(502, 6, NOW) == Final(
        MessageStatus.FAILED, "HTTP 502; gave up after 6 attempts"
    )
    assert retry.decide(429, 6, NOW, retry_after=1) == Final(
        MessageStatus.FAILED, "HTTP 429; gave up after 6 attempts"
    )
    assert policy(max_attempts=1).decide(None, 1, NOW) == Final(
        MessageStatus.FAILED, "no answer; gave up after 1 attempts"
    )
    assert retry.decide(200, 6, NOW) == Final(MessageStatus.SENT)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("1", 1.0),
        (" 2.5 ", 2.5),
        ("-3", 0.0),
        ("Sun, 22 Nov 2026 09:00:30 GMT", 30.0),
        ("Sun, 22 Nov 2026 08:00:00 GMT", 0.0),
        (None, None),
        ("", None),
        ("soon", None),
        ("nan", None),
    ],
)
def test_retry_after_headers(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, NOW) == seconds


def test_the_platform_defaults() -> None:
    assert PacingLimits(Rate(7), Rate(50)) == TEAMS_LIMITS
    assert PacingLimits(Rate(1), None) == SLACK_LIMITS
    assert (Rate(7).capacity, Rate(0.5).capacity, Rate(7, burst=2).capacity) == (7, 1, 2)
    with pytest.raises(ValueError):
        Rate(0)


def test_a_conversation_gets_its_burst_then_one_per_interval() -> None:
    pacer = Pacer(TEAMS_LIMITS)
    assert [pacer.delay_for("a", 100.0) for _ in range(7)] == [0.0] * 7
    assert pacer.delay_for("a", 100.0) == pytest.approx(1 / 7)
    assert pacer.delay_for("a", 100.0) == pytest.approx(1 / 7)  # a wait takes no token
    assert pacer.delay_for("a", 100.0 + 1 / 7) == 0.0
    assert pacer.delay_for("a", 100.0 + 1 / 7) == pytest.approx(1 / 7)


def test_other_conversations_are_not_held_up_by_one() -> None:
    pacer = Pacer(TEAMS_LIMITS)
    for _ in range(20):
        pacer.delay_for("busy", 100.0)
    assert pacer.delay_for("quiet", 100.0) == 0.0


def test_the_app_limit_holds_across_conversations() -> None:
    pacer = Pacer(TEAMS_LIMITS)
    keys = ["c0"] * 7 + [f"c{n}" for n in range(1, 44)]
    assert [pacer.delay_for(key, 100.0) for key in keys] == [0.0] * 50
    assert pacer.delay_for("c44", 100.0) == pytest.approx(1 / 50)
    assert pacer.delay_for("c0", 100.0) == pytest.approx(1 / 7)  # the longer of the two
    assert pacer.delay_for("c44", 100.02) == 0.0


def test_the_bucket_fills_up_again_over_time() -> None:
    pacer = Pacer(SLACK_LIMITS)
    assert pacer.delay_for("C1", 10.0) == 0.0
    assert pacer.delay_for("C1", 10.25) == pytest.approx(0.75)
    assert pacer.delay_for("C1", 11.0) == 0.0
    assert pacer.delay_for("C1", 20.0) == 0.0  # idle for long: still one at once, not nine
    assert pacer.delay_for("C1", 20.0) == pytest.approx(1.0)


def test_a_sustained_stream_keeps_to_the_rates() -> None:
    pacer = Pacer(TEAMS_LIMITS)
    now, sent = 0.0, {"a": 0, "b": 0}
    while now < 10.0:
        delays = {key: pacer.delay_for(key, now) for key in sent}
        for key, delay in delays.items():
            sent[key] += delay == 0.0
        now += 0.001
    assert sent["a"] == sent["b"] == pytest.approx(7 + 7 * 10, abs=1)


def test_the_app_rate_is_shared_by_many_conversations() -> None:
    pacer = Pacer(TEAMS_LIMITS)
    now, sent = 0.0, 0
    while now < 10.0:
        sent += sum(pacer.delay_for(f"c{n}", now) == 0.0 for n in range(60))
        now += 0.005
    assert sent == pytest.approx(50 + 50 * 10, abs=1)


def test_forgetting_full_buckets_changes_nothing() -> None:
    pacer = Pacer(SLACK_LIMITS)
    pacer.PRUNE_ABOVE = 3
    for key in ("a", "b", "c"):
        assert pacer.delay_for(key, 0.0) == 0.0
    assert pacer.delay_for("c", 0.5) == pytest.approx(0.5)
    assert pacer.delay_for("c", 1.0) == 0.0  # c is empty until 2.0
    assert pacer.delay_for("d", 1.2) == 0.0  # forgets a and b, full since 1.0
    assert pacer.delay_for("a", 1.2) == 0.0
    assert pacer.delay_for("c", 1.2) == pytest.approx(0.8)


async def test_wait_sleeps_with_the_given_clock_and_sleep() -> None:
    slept: list[float] = []
    now = [50.0]

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = Pacer(SLACK_LIMITS, clock=lambda: now[0], sleep=sleep)
    assert [await pacer.wait("C1") for _ in range(3)] == [0.0, 1.0, 1.0]
    assert slept == [1.0, 1.0]
    assert now[0] == 52.0


async def test_waiters_at_once_go_one_by_one() -> None:
    now = [0.0]
    gone: list[float] = []

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(0)
        now[0] += seconds / 3  # three waiters share the clock's progress

    pacer = Pacer(SLACK_LIMITS, clock=lambda: now[0], sleep=sleep)

    async def send() -> None:
        await pacer.wait("C1")
        gone.append(now[0])

    await asyncio.gather(*(send() for _ in range(3)))
    assert len(gone) == 3
    assert all(b - a >= 1.0 - 1e-9 for a, b in itertools.pairwise(gone))
