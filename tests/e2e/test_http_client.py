"""The app's shared outgoing session: how many requests to one host it lets run at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.http_client import SharedSession


class HoldingChannel:
    """Holds every request until `release` is set; counts how many are held at once."""

    def __init__(self) -> None:
        self.held = 0
        self.most_held = 0
        self.release = asyncio.Event()
        self.arrived = asyncio.Condition()

    async def handle(self, request: web.Request) -> web.Response:
        async with self.arrived:
            self.held += 1
            self.most_held = max(self.most_held, self.held)
            self.arrived.notify_all()
        await self.release.wait()
        self.held -= 1
        return web.json_response({"id": "1"})

    async def wait_for(self, count: int) -> None:
        async with self.arrived:
            await self.arrived.wait_for(lambda: self.held >= count)


@pytest.fixture
async def holding() -> AsyncIterator[tuple[HoldingChannel, str]]:
    channel = HoldingChannel()
    app = web.Application()
    app.router.add_post("/v3/conversations/{conversation}/activities", channel.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield channel, str(server.make_url("/v3/conversations/c/activities"))
    channel.release.set()
    await server.close()


async def post_all(session: SharedSession, url: str, count: int) -> list[asyncio.Task[int]]:
    async def post() -> int:
        async with session().post(url, json={"type": "message"}) as response:
            return response.status

    return [asyncio.create_task(post()) for _ in range(count)]


async def test_replies_of_a_burst_to_one_channel_host_are_not_queued(
    holding: tuple[HoldingChannel, str],
) -> None:
    """Teams sends every conversation's replies to one service host: 60 turns answering at
    once all reach it at once, none waits for another's connection."""
    channel, url = holding
    session = SharedSession()
    try:
        tasks = await post_all(session, url, 60)
        await asyncio.wait_for(channel.wait_for(60), 10)
        channel.release.set()
        assert await asyncio.gather(*tasks) == [200] * 60
    finally:
        await session.close()


async def test_connections_to_one_host_are_bounded(holding: tuple[HoldingChannel, str]) -> None:
    channel, url = holding
    session = SharedSession(connections=20, per_host=5)
    try:
        tasks = await post_all(session, url, 12)
        await asyncio.wait_for(channel.wait_for(5), 10)
        await asyncio.sleep(0.2)  # room for any request beyond the bound to arrive
        assert channel.most_held == 5
        channel.release.set()
        assert await asyncio.gather(*tasks) == [200] * 12
        assert channel.most_held == 5
    finally:
        await session.close()
