"""The bot's outgoing access token for the Bot Connector service (`Authorization: Bearer …`).

OAuth 2.0 client-credentials grant against Microsoft Entra ID over aiohttp, as botbuilder's
`MicrosoftAppCredentials` does with MSAL. The token is cached until `refresh_margin` before it
expires; inside the margin the cached token is still handed out while one background fetch
replaces it, so no turn waits. Concurrent callers share one in-flight fetch. Neither the secret
nor the token is ever logged or put into an error message.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from urllib.parse import quote

import aiohttp
from pydantic import BaseModel, ConfigDict, Field, ValidationError

BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"
MULTI_TENANT = "botframework.com"
RETRY_DELAYS = (0.5, 2.0)  # before the 2nd and 3rd attempt at a transient failure
BACKGROUND_RETRY_DELAY = 10.0  # after a failed background refresh, before the next one
_RETRIED_STATUSES = frozenset({408, 429})
_ERROR_CODE = re.compile(r"[a-z_]{1,64}")

logger = logging.getLogger("traefbot.token")


def token_url_for(tenant_id: str) -> str:
    tenant = tenant_id.strip() or MULTI_TENANT
    return f"https://login.microsoftonline.com/{quote(tenant, safe='')}/oauth2/v2.0/token"


class TokenUnavailable(Exception):
    """The token endpoint refused the app's credentials or could not be reached."""


class _Transient(Exception):
    """One attempt failed in a way worth retrying."""


class _TokenResponse(BaseModel):
    model_config = ConfigDict(frozen=True)

    access_token: str = Field(min_length=1)
    expires_in: int = Field(gt=0)  # seconds; Entra sends an int, older endpoints a string


class _ErrorResponse(BaseModel):
    error: str = ""
    error_codes: list[int] = []


class BotTokenProvider:
    def __init__(
        self,
        session: Callable[[], aiohttp.ClientSession],
        app_id: str,
        password: str,
        tenant_id: str = "",
        *,
        token_url: str | None = None,
        scope: str = BOT_FRAMEWORK_SCOPE,
        clock: Callable[[], float] = time.monotonic,
        refresh_margin: float = 300.0,
        timeout: float = 10.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._session = session
        self._app_id = app_id
        self._password = password
        self.token_url = token_url or token_url_for(tenant_id)
        self._scope = scope
        self._clock = clock
        self._margin = refresh_margin
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._sleep = sleep
        self._token: str | None = None
        self.expires_at: float | None = None  # on `clock`; None while no token is cached
        self.refresh_at: float | None = None
        self._fetch: asyncio.Task[str] | None = None
        self._background_not_before = float("-inf")

    async def authorization(self) -> str | None:
        if not self._app_id:
            return None
        return f"Bearer {await self.token()}"

    async def token(self) -> str:
        now = self._clock()
        if self._token is not None and self.expires_at is not None and now < self.expires_at:
            if self.refresh_at is not None and now >= self.refresh_at:
                self._refresh_in_background(now)
            return self._token
        return await asyncio.shield(self._start_fetch())

    def invalidate(self) -> None:
        self._token = self.expires_at = self.refresh_at = None

    async def aclose(self) -> None:
        """Cancel a fetch still in flight (at shutdown)."""
        task, self._fetch = self._fetch, None
        if task is not None and not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    def _refresh_in_background(self, now: float) -> None:
        if self._fetch is None and now >= self._background_not_before:
            logger.info("bot token expires in %.0fs, refreshing it", (self.expires_at or now) - now)
            self._start_fetch()

    def _start_fetch(self) -> asyncio.Task[str]:
        if self._fetch is None:
            self._fetch = asyncio.get_running_loop().create_task(self._fetch_token())
            self._fetch.add_done_callback(self._fetch_done)
        return self._fetch

    def _fetch_done(self, task: asyncio.Task[str]) -> None:
        if self._fetch is task:
            self._fetch = None
        error = None if task.cancelled() else task.exception()  # retrieved: no asyncio warning
        if error is not None:
            logger.error("could not fetch the bot token: %s", error)
            self._background_not_before = self._clock() + BACKGROUND_RETRY_DELAY

    async def _fetch_token(self) -> str:
        if not self._app_id:
            raise TokenUnavailable("no bot app id is configured, so there is no token to fetch")
        for delay in RETRY_DELAYS:
            try:
                return await self._attempt()
            except _Transient as error:
                logger.warning("bot token endpoint failed, retrying in %.1fs: %s", delay, error)
            await self._sleep(delay)
        try:
            return await self._attempt()
        except _Transient as error:
            raise TokenUnavailable(f"token endpoint unavailable: {error}") from None

    async def _attempt(self) -> str:
        started = self._clock()
        response = await self._request()
        self._keep(response, started)
        return response.access_token

    def _keep(self, response: _TokenResponse, started: float) -> None:
        lifetime = float(response.expires_in)
        early = self._margin if lifetime >= 2 * self._margin else lifetime / 2
        self._token = response.access_token
        self.expires_at = started + lifetime
        self.refresh_at = self.expires_at - early
        self._background_not_before = float("-inf")
        logger.info("fetched bot token for app %s, valid for %.0fs", self._app_id, lifetime)

    async def _request(self) -> _TokenResponse:
        form = {
            "grant_type": "client_credentials",
            "client_id": self._app_id,
            "client_secret": self._password,
            "scope": self._scope,
        }
        try:
            async with self._session().post(
                self.token_url, data=form, timeout=self._timeout
            ) as response:
                status = response.status
                body = await response.read()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise _Transient(f"could not reach {self.token_url} ({type(error).__name__})") from None
        if status in _RETRIED_STATUSES or status >= 500:
            raise _Transient(f"HTTP {status}{_error_code(body)}")
        if status != 200:
            raise TokenUnavailable(f"token endpoint refused: HTTP {status}{_error_code(body)}")
        try:
            return _TokenResponse.model_validate_json(body)
        except ValidationError:
            raise TokenUnavailable("token endpoint answered without a usable token") from None


def _error_code(body: bytes) -> str:
    """` invalid_client (AADSTS7000215)` from an OAuth error body; never its free text."""
    try:
        parsed = _ErrorResponse.model_validate_json(body)
    except ValidationError:
        return ""
    code = parsed.error if _ERROR_CODE.fullmatch(parsed.error) else ""
    aadsts = ", ".join(f"AADSTS{number}" for number in parsed.error_codes[:3])
    return (f" {code}" if code else "") + (f" ({aadsts})" if aadsts else "")
