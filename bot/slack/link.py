"""How the bot talks to Slack: the Web API client (retrying 429s after Retry-After), the adapter
around it and the check of incoming signatures, built from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.connector import retries_allowed
from bot.http_client import SharedSession
from bot.settings import Settings
from bot.slack.adapter import SlackAdapter
from bot.slack.signature import RequestVerifier

RATE_LIMIT_RETRIES = 3
LOCALES = {"da": "da-DK", "en": "en-GB"}


class PooledWebClient(AsyncWebClient):
    """slack_sdk's client over the app's shared session: without one it opens (and closes) a
    new session, and so a new connection, for every Web API call."""

    def __init__(self, shared: SharedSession, **options: Any) -> None:
        self._shared = shared
        super().__init__(**options)

    @property
    def session(self) -> aiohttp.ClientSession:
        return self._shared()

    @session.setter
    def session(self, _: object) -> None:
        """slack_sdk sets None at construction; the shared session stays."""


class UnlessSingleAttempt(AsyncRetryHandler):
    """`handler`'s retries, except inside `bot.connector.single_attempt()`: the outbox sender
    retries its messages itself, durably and paced, and reads Slack's 429 for its Retry-After."""

    def __init__(self, handler: AsyncRetryHandler) -> None:
        super().__init__(handler.max_retry_count, handler.interval_calculator)
        self._handler = handler

    async def can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return retries_allowed() and await self._handler.can_retry_async(
            state=state, request=request, response=response, error=error
        )

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        await self._handler.prepare_for_next_attempt_async(
            state=state, request=request, response=response, error=error
        )


def web_client(settings: Settings, session: SharedSession) -> AsyncWebClient:
    return PooledWebClient(
        session,
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        retry_handlers=[
            UnlessSingleAttempt(AsyncConnectionErrorRetryHandler()),
            UnlessSingleAttempt(
                AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)
            ),
        ],
    )


@dataclass(frozen=True)
class SlackLink:
    adapter: SlackAdapter
    verifier: RequestVerifier


def create_slack_link(settings: Settings, session: SharedSession) -> SlackLink:
    """`session`: the app's outgoing session (`bot.http_client`), closed with the app."""
    adapter = SlackAdapter(web_client(settings, session), LOCALES[settings.bot_language])
    return SlackLink(adapter, RequestVerifier(settings.slack_signing_secret.get_secret_value()))
