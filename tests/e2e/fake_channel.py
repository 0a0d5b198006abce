"""A local stand-in for the Bot Framework channel service, recording the bot's replies."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


class FakeChannel:
    """Records the messages the bot sends; trace activities (sent to the emulator) are ignored."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict[str, Any]]] = []
        self.members: dict[str, dict[str, Any]] = {}  # Teams member profiles by user id
        self._arrived = asyncio.Condition()
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._receive)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._receive)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        self.server = TestServer(app, host="127.0.0.1")

    @property
    def url(self) -> str:
        return str(self.server.make_url("")).rstrip("/")

    async def _receive(self, request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("type") == "message":
            async with self._arrived:
                self.received.append((request.path, body))
                self._arrived.notify_all()
        return web.json_response({"id": str(uuid.uuid4())})

    async def _member(self, request: web.Request) -> web.Response:
        member = self.members.get(request.match_info["member"])
        if member is None:
            return web.json_response({"error": {"code": "MemberNotFound"}}, status=404)
        return web.json_response(member)

    async def wait_for(self, count: int, timeout: float = 10) -> list[tuple[str, dict[str, Any]]]:
        async with self._arrived:
            await asyncio.wait_for(
                self._arrived.wait_for(lambda: len(self.received) >= count), timeout
            )
        return self.received
