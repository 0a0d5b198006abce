"""The Bot Framework channel service's REST API (v3), over the app's one pooled aiohttp session.

Sends, replies, updates and deletes activities, reads a conversation's members (one, or a
team's roster page by page) and opens 1:1 conversations. A refused
request is retried by the same `RetryPolicy` the outbox uses (429 after its Retry-After; 412 and
5xx after a short jittered backoff) while the wait stays inside `max_wait`; a 401 fetches a new
bot token once. Inside `single_attempt()` nothing is retried here: the outbox sender decides
itself, durably, when to try again. A timeout is not retried either: the channel may have taken
the message, and a reply shown twice is worse than one apology.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import quote

import aiohttp
from botbuilder.schema import Activity, ResourceResponse
from yarl import URL

from bot.wire import to_json
from traef.pacing import Final, RetryPolicy, parse_retry_after

log = logging.getLogger("traefbot.connector")

IN_TURN_POLICY = RetryPolicy(max_attempts=4, base_delay=0.25, max_delay=4.0)
DEFAULT_MAX_WAIT = 10.0  # seconds a request may spend waiting to be retried
JSON = {"Content-Type": "application/json; charset=utf-8"}

_single_attempt: ContextVar[bool] = ContextVar("traefbot_single_attempt", default=False)


@contextlib.contextmanager
def single_attempt() -> Iterator[None]:
    """Requests made inside are tried once; their caller handles refusals."""
    token = _single_attempt.set(True)
    try:
        yield
    finally:
        _single_attempt.reset(token)


def retries_allowed() -> bool:
    """False inside `single_attempt()`: other channels' clients honour it too."""
    return not _single_attempt.get()


class Credentials(Protocol):
    async def authorization(self) -> str | None: ...

    def invalidate(self) -> None: ...


class ChannelError(Exception):
    """The channel refused a request (`status`), or gave no answer (`status` None)."""

    def __init__(self, status: int | None, retry_after: str | None, detail: str) -> None:
        answer = f"HTTP {status}" if status is not None else "no answer"
        super().__init__(f"The channel service refused the request: {answer}: {detail}")
        self.status = status
        self.headers = {"Retry-After": retry_after} if retry_after is not None else {}


class ChannelConnector:
    def __init__(
        self,
        session: Callable[[], aiohttp.ClientSession],
        credentials: Credentials,
        *,
        policy: RetryPolicy = IN_TURN_POLICY,
        max_wait: float = DEFAULT_MAX_WAIT,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self._session = session
        self._credentials = credentials
        self._policy = policy
        self._max_wait = max_wait
        self._clock = clock
        self._sleep = sleep

    async def send(self, activity: Activity) -> ResourceResponse:
        """Post to the activity's conversation, as a reply when it has a `reply_to_id`."""
        url = _activities_url(activity.service_url, activity.conversation.id)
        if activity.reply_to_id:
            url += "/" + quote(str(activity.reply_to_id), safe="")
        return _resource(await self._request("POST", url, to_json(activity)))

    async def update(self, activity: Activity) -> ResourceResponse:
        url = _activities_url(activity.service_url, activity.conversation.id)
        url += "/" + quote(str(activity.id), safe="")
        return _resource(await self._request("PUT", url, to_json(activity)))

    async def delete(self, service_url: str, conversation_id: str, activity_id: str) -> None:
        url = _activities_url(service_url, conversation_id) + "/" + quote(activity_id, safe="")
        await self._request("DELETE", url, None)

    async def member(self, service_url: str, conversation_id: str, member_id: str) -> Any:
        """The member's account as JSON (Teams: email, userPrincipalName, …)."""
        url = f"{_conversation_url(service_url, conversation_id)}/members/"
        return await self._request("GET", url + quote(member_id, safe=""), None)

    async def members_page(
        self,
        service_url: str,
        conversation_id: str,
        page_size: int = 500,
        continuation_token: str | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of a conversation's (a team's) members and the token of the next, if any."""
        url = f"{_conversation_url(service_url, conversation_id)}/pagedmembers?pageSize={page_size}"
        if continuation_token:
            url += "&continuationToken=" + quote(continuation_token, safe="")
        answer = await self._request("GET", url, None)
        answer = answer if isinstance(answer, dict) else {}
        members = [m for m in answer.get("members") or [] if isinstance(m, dict)]
        token = answer.get("continuationToken")
        return members, token if isinstance(token, str) and token else None

    async def all_members(
        self, service_url: str, conversation_id: str, page_size: int = 500
    ) -> list[dict[str, Any]]:
        """Every member of a conversation (a team's roster), page after page."""
        members, token = await self.members_page(service_url, conversation_id, page_size)
        while token is not None:
            more, token = await self.members_page(service_url, conversation_id, page_size, token)
            members.extend(more)
        return members

    async def create_conversation(
        self, service_url: str, bot_id: str, member_id: str, tenant_id: str
    ) -> str:
        """Open (or find) the bot's 1:1 conversation with a member of the tenant; its id."""
        body = {
            "bot": {"id": bot_id},
            "members": [{"id": member_id}],
            "channelData": {"tenant": {"id": tenant_id}},
            "isGroup": False,
            "tenantId": tenant_id,
        }
        url = f"{service_url.rstrip('/')}/v3/conversations"
        answer = await self._request("POST", url, body)
        identifier = answer.get("id") if isinstance(answer, dict) else None
        if not isinstance(identifier, str) or not identifier:
            raise ChannelError(None, None, f"no conversation id in {str(answer)[:200]}")
        return identifier

    async def _request(self, method: str, url: str, body: Any) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        started = self._clock()
        attempt = 0
        renewed_token = False
        while True:
            attempt += 1
            status, retry_after, answer = await self._attempt(method, url, data)
            if status is not None and status < 300:
                return answer
            if status == 401 and not renewed_token:
                renewed_token = True
                self._credentials.invalidate()
                continue
            wait = self._wait_before_retry(status, retry_after, attempt, started)
            if wait is None:
                raise ChannelError(status, retry_after, str(answer)[:300])
            log.info("%s %s got %s; trying again in %.2f s", method, url, status, wait)
            await self._sleep(wait)

    async def _attempt(
        self, method: str, url: str, data: bytes | None
    ) -> tuple[int | None, str | None, Any]:
        headers = dict(JSON) if data is not None else {}
        authorization = await self._credentials.authorization()
        if authorization:
            headers["Authorization"] = authorization
        try:
            async with self._session().request(
                method, URL(url, encoded=True), data=data, headers=headers
            ) as response:
                text = await response.text()
                if response.status >= 300:
                    return response.status, response.headers.get("Retry-After"), text
                return response.status, None, _json_or_none(text)
        except TimeoutError as error:
            raise ChannelError(None, None, f"timed out: {error!r}") from error
        except aiohttp.ClientError as error:
            return None, None, repr(error)

    def _wait_before_retry(
        self, status: int | None, retry_after: str | None, attempt: int, started: float
    ) -> float | None:
        """Seconds to wait before the next attempt, or None to give up now."""
        if _single_attempt.get():
            return None
        now = datetime.now(UTC)
        decision = self._policy.decide(status, attempt, now, parse_retry_after(retry_after, now))
        if isinstance(decision, Final):
            return None
        wait = max(0.0, (decision.at - now).total_seconds())
        if self._clock() + wait - started > self._max_wait:
            return None
        return wait


def _conversation_url(service_url: str | None, conversation_id: str | None) -> str:
    if not service_url or not conversation_id:
        raise ValueError("An activity needs a service URL and a conversation to be sent.")
    return f"{service_url.rstrip('/')}/v3/conversations/{quote(conversation_id, safe='')}"


def _activities_url(service_url: str | None, conversation_id: str | None) -> str:
    return _conversation_url(service_url, conversation_id) + "/activities"


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _resource(answer: Any) -> ResourceResponse:
    identifier = answer.get("id") if isinstance(answer, dict) else None
    return ResourceResponse(id=identifier if isinstance(identifier, str) else "")
