"""Slack's refusals, read as the HTTP statuses the outbox's retry policy decides by."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.slack_response import SlackResponse

from bot.slack.errors import slack_http_error
from bot.workers.outbox_sender import http_error
from traef.outbox import MessageStatus
from traef.pacing import Final, Retry, RetryPolicy, parse_retry_after

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def refusal(error: str, status: int = 200, headers: dict[str, str] | None = None) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/chat.postMessage",
        req_args={},
        data={"ok": False, "error": error},
        headers=headers or {},
        status_code=status,
    )
    return SlackApiError(f"The request to the Slack API failed: {error}", response)


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        ("channel_not_found", MessageStatus.UNDELIVERABLE),
        ("account_inactive", MessageStatus.UNDELIVERABLE),
        ("not_in_channel", MessageStatus.UNDELIVERABLE),
        ("token_revoked", MessageStatus.UNDELIVERABLE),
        ("invalid_blocks", MessageStatus.FAILED),
        ("msg_too_long", MessageStatus.FAILED),
    ],
)
def test_final_refusals(error: str, outcome: MessageStatus) -> None:
    status, retry_after = http_error(refusal(error))
    decision = RetryPolicy().decide(status, 1, NOW, parse_retry_after(retry_after, NOW))
    assert isinstance(decision, Final)
    assert decision.status is outcome


@pytest.mark.parametrize("error", ["internal_error", "fatal_error", "service_unavailable"])
def test_slacks_own_trouble_is_tried_again(error: str) -> None:
    status, _ = http_error(refusal(error))
    assert isinstance(RetryPolicy().decide(status, 1, NOW), Retry)


def test_rate_limited_waits_for_slacks_retry_after() -> None:
    error = refusal("ratelimited", 429, {"Retry-After": "30"})
    assert slack_http_error(error) == (429, "30")
    status, retry_after = http_error(RuntimeError("send failed"))
    assert status is None
    wrapped = RuntimeError("send failed")
    wrapped.__cause__ = error
    status, retry_after = http_error(wrapped)
    decision = RetryPolicy().decide(status, 1, NOW, parse_retry_after(retry_after, NOW))
    assert isinstance(decision, Retry)
    assert (decision.at - NOW).total_seconds() == 30
