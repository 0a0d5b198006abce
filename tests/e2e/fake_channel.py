"""A local stand-in for the Bot Framework channel service, recording the bot's replies.

It can be scripted to refuse messages, as Teams does: `fail(conversation, status)` answers a
conversation's messages with an HTTP error (a given number of times, or always), and
`fail_first_attempts(fraction, status)` the first message to a random share of conversations.
Every attempt is recorded with its time in `attempts`; the accepted messages in `received`.
Like Teams it also hands out a team's roster page by page (`rosters`, read in `roster_reads`)
and opens 1:1 conversations (`POST /v3/conversations`, recorded in `created`).
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int  # 429, 502, 403, …
    retry_after: float | None = None  # seconds, sent as Retry-After


@dataclass(frozen=True, slots=True)
class Attempt:
    conversation: str
    at: float  # the channel's clock, time.monotonic unless one is given
    status: int
    text: str | None


class FakeChannel:
    """Records the messages the bot sends; trace activities (sent to the emulator) are ignored."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.received: list[tuple[str, dict[str, Any]]] = []
        self.members: dict[str, dict[str, Any]] = {}  # Teams member profiles by user id
        self.attempts: list[Attempt] = []  # every message the bot tried to send, in order
        self.authorizations: list[str | None] = []  # the Authorization header of each request
        self.updates: list[tuple[str, dict[str, Any]]] = []  # (activity id, new activity)
        self.deletions: list[str] = []  # deleted activity ids
        self.rosters: dict[str, list[dict[str, Any]]] = {}  # team id: its members, as Teams lists
        self.roster_reads: list[tuple[str, dict[str, str]]] = []  # (team id, query) per page
        self.created: list[dict[str, Any]] = []  # the body of each conversation the bot opened
        self.refuse_conversations_with: set[str] = set()  # member ids whose 1:1 fails (403)
        self._clock = clock
        self._refusals: dict[str, list[Refusal | None]] = {}  # None: refuse for ever
        self._first_attempts: tuple[float, Refusal, random.Random] | None = None
        self._seen: set[str] = set()  # conversations that had a message attempt
        self._arrived = asyncio.Condition()
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._receive)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._receive)
        app.router.add_put(
            "/v3/conversations/{conversation}/activities/{activity}", self._update
        )
        app.router.add_delete(
            "/v3/conversations/{conversation}/activities/{activity}", self._delete
        )
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        app.router.add_get("/v3/conversations/{conversation}/pagedmembers", self._paged_members)
        app.router.add_post("/v3/conversations", self._create_conversation)
        self.server = TestServer(app, host="127.0.0.1")

    @property
    def url(self) -> str:
        return str(self.server.make_url("")).rstrip("/")

    def fail(
        self,
        conversation: str,
        status: int,
        *,
        times: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        """Answer the next `times` messages to the conversation (None: all) with `status`."""
        refusal = Refusal(status, retry_after)
        self._refusals[conversation] = [refusal] * times if times is not None else [None, refusal]

    def fail_first_attempts(
        self, fraction: float, status: int, *, retry_after: float | None = None, seed: int = 1
    ) -> None:
        """Answer the first message to each of a random `fraction` of conversations with
        `status`."""
        self._first_attempts = (fraction, Refusal(status, retry_after), random.Random(seed))

    def times(self, conversation: str) -> list[float]:
        """When the messages the channel accepted for the conversation arrived."""
        return [a.at for a in self.attempts if a.conversation == conversation and a.status < 300]

    async def _receive(self, request: web.Request) -> web.Response:
        self.authorizations.append(request.headers.get("Authorization"))
        body = await request.json()
        if body.get("type") != "message":
            return web.json_response({"id": str(uuid.uuid4())})
        conversation = request.match_info["conversation"]
        refusal = self._refusal(conversation)
        status = refusal.status if refusal is not None else 201
        self.attempts.append(Attempt(conversation, self._clock(), status, body.get("text")))
        if refusal is not None:
            headers = {}
            if refusal.retry_after is not None:
                headers["Retry-After"] = f"{refusal.retry_after:g}"
            error = {"error": {"code": f"HTTP{refusal.status}", "message": "scripted refusal"}}
            return web.json_response(error, status=refusal.status, headers=headers)
        async with self._arrived:
            self.received.append((request.path, body))
            self._arrived.notify_all()
        return web.json_response({"id": str(uuid.uuid4())})

    def _refusal(self, conversation: str) -> Refusal | None:
        first = conversation not in self._seen
        self._seen.add(conversation)
        scripted = self._refusals.get(conversation)
        if scripted:
            if scripted[0] is None:  # for ever
                return scripted[1]
            return scripted.pop(0)
        if first and self._first_attempts is not None:
            fraction, refusal, rng = self._first_attempts
            if rng.random() < fraction:
                return refusal
        return None

    async def _update(self, request: web.Request) -> web.Response:
        self.authorizations.append(request.headers.get("Authorization"))
        activity = request.match_info["activity"]
        self.updates.append((activity, await request.json()))
        return web.json_response({"id": activity})

    async def _delete(self, request: web.Request) -> web.Response:
        self.authorizations.append(request.headers.get("Authorization"))
        self.deletions.append(request.match_info["activity"])
        return web.Response(status=200)

    async def _member(self, request: web.Request) -> web.Response:
        self.authorizations.append(request.headers.get("Authorization"))
        member = self.members.get(request.match_info["member"])
        if member is None:
            return web.json_response({"error": {"code": "MemberNotFound"}}, status=404)
        return web.json_response(member)

    async def _paged_members(self, request: web.Request) -> web.Response:
        """Teams' `pagedmembers`: `pageSize` members from `continuationToken` (an offset)."""
        self.authorizations.append(request.headers.get("Authorization"))
        team = request.match_info["conversation"]
        self.roster_reads.append((team, dict(request.query)))
        members = self.rosters.get(team)
        if members is None:
            return web.json_response({"error": {"code": "ConversationNotFound"}}, status=404)
        size = int(request.query.get("pageSize", "200"))
        start = int(request.query.get("continuationToken", "0"))
        page: dict[str, Any] = {"members": members[start : start + size]}
        if start + size < len(members):
            page["continuationToken"] = str(start + size)
        return web.json_response(page)

    async def _create_conversation(self, request: web.Request) -> web.Response:
        """Opens the bot's 1:1 conversation with the member; the same id every time, as Teams."""
        self.authorizations.append(request.headers.get("Authorization"))
        body = await request.json()
        self.created.append(body)
        member = body["members"][0]["id"]
        if member in self.refuse_conversations_with:
            error = {"error": {"code": "Forbidden", "message": "scripted refusal"}}
            return web.json_response(error, status=403)
        return web.json_response({"id": personal_conversation(member)}, status=201)

    async def wait_for(self, count: int, timeout: float = 10) -> list[tuple[str, dict[str, Any]]]:
        async with self._arrived:
            await asyncio.wait_for(
                self._arrived.wait_for(lambda: len(self.received) >= count), timeout
            )
        return self.received


def personal_conversation(member_id: str) -> str:
    """The id of the bot's 1:1 conversation with a member, as the fake channel opens it."""
    return f"a:1on1-{member_id}"
