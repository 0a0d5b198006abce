"""How the bot talks to Slack: the Web API client (retrying 429s after Retry-After), the adapter
around it and the check of incoming signatures, built from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings
from bot.slack.adapter import SlackAdapter
from bot.slack.signature import RequestVerifier

RATE_LIMIT_RETRIES = 3
LOCALES = {"da": "da-DK", "en": "en-GB"}


def web_client(settings: Settings) -> AsyncWebClient:
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(),
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ],
    )


@dataclass(frozen=True)
class SlackLink:
    adapter: SlackAdapter
    verifier: RequestVerifier


def create_slack_link(settings: Settings) -> SlackLink:
    adapter = SlackAdapter(web_client(settings), LOCALES[settings.bot_language])
    return SlackLink(adapter, RequestVerifier(settings.slack_signing_secret.get_secret_value()))
