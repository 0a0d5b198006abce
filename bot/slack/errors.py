"""Slack's refusals in HTTP terms, for the outbox's retry policy.

Slack answers most refusals with HTTP 200 and `{"ok": false, "error": "…"}`; the outbox decides
by HTTP status (`traef.pacing.RetryPolicy`), so each error is given the status that means the
same: 403/404 for a person or channel the bot can no longer write to (undeliverable), 429 for
`ratelimited` with Slack's Retry-After, 503 for Slack's own trouble (tried again later), and 400
for a message Slack will never take (failed).
"""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

GONE = frozenset(
    {
        "channel_not_found",
        "user_not_found",
        "users_not_found",
        "account_inactive",
        "user_disabled",
        "is_archived",
        "cannot_dm_bot",
    }
)
REFUSED = frozenset(
    {
        "not_in_channel",
        "restricted_action",
        "messages_tab_disabled",
        "team_access_not_granted",
        "access_denied",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "app_uninstalled",
        "no_permission",
        "missing_scope",
        "not_allowed_token_type",
    }
)
SLACK_TROUBLE = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org"}
)


def slack_error_code(error: SlackApiError) -> str:
    response = error.response
    code = response.get("error") if hasattr(response, "get") else None
    return str(code) if code else ""


def slack_http_error(error: SlackApiError) -> tuple[int, str | None]:
    """The HTTP status meaning what Slack said, and Slack's Retry-After when rate limited."""
    response = error.response
    status = getattr(response, "status_code", 200)
    headers = getattr(response, "headers", None) or {}
    retry_after = None
    for name, value in headers.items():
        if str(name).lower() == "retry-after":
            retry_after = value[0] if isinstance(value, list) and value else str(value)
    code = slack_error_code(error)
    if status == 429 or code == "ratelimited":
        return 429, retry_after
    if code in GONE:
        return 404, None
    if code in REFUSED:
        return 403, None
    if code in SLACK_TROUBLE or (isinstance(status, int) and status >= 500):
        return 503, retry_after
    return 400, None
