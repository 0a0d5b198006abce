"""A local stand-in for Slack's Web API, recording the bot's calls.

Answers like Slack (`{"ok": true, …}`) for chat.postMessage, chat.postEphemeral, chat.update,
chat.delete, conversations.open, users.info, users.lookupByEmail and auth.test.
`rate_limit_next(method, seconds)` answers the next call of a method with 429 and Retry-After,
as Slack does when the bot posts too fast; `fail_next(method, error)` with `{"ok": false,
"error": error}` and HTTP 200, as Slack answers a refused call. It also stands in for the
`response_url`s Slack gives with slash commands and button presses (`response_url(key)`);
posts to them are recorded as the method "response_url", with the key as "url_key".
Every call is recorded as (method, arguments) in `calls`.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from aiohttp.test_utils import TestServer

BOT_USER = "UB0T00001"
BOT_ID = "B0T00001"
TEAM = "T0TEAM001"


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.attempts: list[tuple[str, float]] = []  # (method, time.monotonic) of every request
        self.posted_ts: list[str] = []  # the ts of each chat.postMessage, as answered
        self.names: dict[str, str] = {}  # user id: real name, for users.info
        self.emails: dict[str, str] = {}  # user id: e-mail, for users.info and lookupByEmail
        self._rate_limited: dict[str, int] = {}
        self._failing: dict[str, list[tuple[str | None, str]]] = {}
        self._ts = 1_700_000_000
        self._arrived = asyncio.Condition()
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._call)
        app.router.add_post("/response/{key}", self._response_url)
        self.server = TestServer(app, host="127.0.0.1")

    @property
    def url(self) -> str:
        return str(self.server.make_url("/api/"))

    def rate_limit_next(self, method: str, seconds: int) -> None:
        self._rate_limited[method] = seconds

    def fail_next(self, method: str, error: str, channel: str | None = None) -> None:
        """The next call of `method` (to `channel`, when given) is refused with `error`
        (Slack's HTTP 200, ok false)."""
        self._failing.setdefault(method, []).append((channel, error))

    def response_url(self, key: str = "1") -> str:
        return str(self.server.make_url(f"/response/{key}"))

    async def _response_url(self, request: web.Request) -> web.Response:
        arguments = await self._arguments(request)
        arguments["url_key"] = request.match_info["key"]
        self.attempts.append(("response_url", time.monotonic()))
        async with self._arrived:
            self.calls.append(("response_url", arguments))
            self._arrived.notify_all()
        return web.Response(text="ok")

    def called(self, *methods: str) -> list[tuple[str, dict[str, Any]]]:
        return [(m, args) for m, args in self.calls if m in methods]

    async def wait_for(
        self, count: int, *methods: str, timeout: float = 10
    ) -> list[dict[str, Any]]:
        """The arguments of the first `count` calls of `methods`, once that many arrived."""
        async with self._arrived:
            await asyncio.wait_for(
                self._arrived.wait_for(lambda: len(self.called(*methods)) >= count), timeout
            )
        return [args for _, args in self.called(*methods)[:count]]

    async def _arguments(self, request: web.Request) -> dict[str, Any]:
        arguments: dict[str, Any] = dict(request.query)
        body = await request.read()
        if request.content_type == "application/json":
            arguments.update(json.loads(body or b"{}"))
        elif body:
            arguments.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        return arguments

    async def _call(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.attempts.append((method, time.monotonic()))
        arguments = await self._arguments(request)
        if request.headers.get("Authorization", "") != "Bearer xoxb-test-token":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if method in self._rate_limited:
            seconds = self._rate_limited.pop(method)
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(seconds)},
            )
        async with self._arrived:
            self.calls.append((method, arguments))
            self._arrived.notify_all()
        error = self._refusal(method, arguments.get("channel"))
        if error is not None:
            return web.json_response({"ok": False, "error": error})
        if method == "users.lookupByEmail":
            return self._lookup(arguments.get("email", ""))
        return web.json_response({"ok": True, **self._answer(method, arguments)})

    def _refusal(self, method: str, channel: str | None) -> str | None:
        failing = self._failing.get(method, [])
        for i, (only, error) in enumerate(failing):
            if only is None or only == channel:
                del failing[i]
                return error
        return None

    def _lookup(self, email: str) -> web.Response:
        for user, known in self.emails.items():
            if known.lower() == email.lower():
                profile = {"real_name": self.names.get(user, ""), "email": known}
                person = {"id": user, "name": user.lower(), "profile": profile}
                return web.json_response({"ok": True, "user": person})
        return web.json_response({"ok": False, "error": "users_not_found"})

    def _answer(self, method: str, arguments: dict[str, Any]) -> dict[str, Any]:
        self._ts += 1
        ts = f"{self._ts}.000100"
        if method == "auth.test":
            return {"user_id": BOT_USER, "bot_id": BOT_ID, "team_id": TEAM, "user": "traefbot"}
        if method == "users.info":
            user = arguments.get("user", "")
            profile = {"real_name": self.names.get(user, "")}
            if user in self.emails:
                profile["email"] = self.emails[user]
            return {"user": {"id": user, "name": user.lower(), "profile": profile}}
        if method == "conversations.open":
            return {"channel": {"id": "D" + str(arguments.get("users", ""))[1:]}}
        if method == "chat.postMessage":
            self.posted_ts.append(ts)
            return {"channel": arguments.get("channel"), "ts": ts, "message": {"ts": ts}}
        if method == "chat.postEphemeral":
            return {"message_ts": ts}
        if method == "chat.update":
            return {"channel": arguments.get("channel"), "ts": arguments.get("ts")}
        return {}
