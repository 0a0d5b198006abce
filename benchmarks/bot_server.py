"""One bot of the turns benchmark, served in a process of its own on 127.0.0.1.

The load driver and the fake channel stand for Teams and run in the benchmark's main process, so
each bot has its process (and a core of this 2-core machine) to itself, as it would in
production, and its peak RSS is its own.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from collections.abc import Callable
from datetime import datetime
from multiprocessing.connection import Connection
from zoneinfo import ZoneInfo

from aiohttp import ClientSession, ClientTimeout, web
from botbuilder.core import ActivityHandler
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)

from benchmarks.floor_bots import AskNameBot, EchoBot
from bot.app import create_app, create_channel_link
from bot.http import error_middleware, messages_handler
from bot.settings import Settings

NOW = datetime(2026, 11, 22, 9, 33, tzinfo=ZoneInfo("Europe/Copenhagen"))
STOP = "stop"


class _NoAuthConfig:
    APP_ID = ""
    APP_PASSWORD = ""
    APP_TENANTID = ""
    APP_TYPE = "MultiTenant"


def stock_echo_app() -> web.Application:
    """The botbuilder sample: CloudAdapter.process with an echoing ActivityHandler."""
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(_NoAuthConfig()))
    bot = EchoBot()

    async def messages(request: web.Request) -> web.Response:
        response = await adapter.process(request, bot)
        return response if response is not None else web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


def bare_app() -> web.Application:
    """No Bot Framework at all: parse the activity, post a reply, answer 201."""
    session_key = web.AppKey("session", ClientSession)

    async def messages(request: web.Request) -> web.Response:
        body = await request.json()
        conversation = body["conversation"]["id"]
        reply = {
            "type": "message",
            "text": f"Echo: {body.get('text')}",
            "replyToId": body["id"],
            "conversation": body["conversation"],
            "from": body["recipient"],
            "recipient": body["from"],
        }
        url = f"{body['serviceUrl']}/v3/conversations/{conversation}/activities/{body['id']}"
        async with request.app[session_key].post(url, json=reply) as response:
            await response.read()
        return web.Response(status=201)

    async def on_startup(app: web.Application) -> None:
        app[session_key] = ClientSession(timeout=ClientTimeout(total=30))

    async def on_cleanup(app: web.Application) -> None:
        await app[session_key].close()

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return app


def our_adapter_app(bot: ActivityHandler) -> web.Application:
    """`bot` behind our adapter and /api/messages handler, as the app serves ours."""
    link = create_channel_link(Settings(_env_file=None))  # type: ignore[call-arg]

    async def on_cleanup(app: web.Application) -> None:
        await link.adapter.close()

    app = web.Application(middlewares=[error_middleware])
    app.router.add_post("/api/messages", messages_handler(link.adapter, bot, link.validator))
    app.on_cleanup.append(on_cleanup)
    return app


def our_app(database_url: str) -> web.Application:
    """Ours, as `python -m bot` serves it: real dialogs, SQL storage, the workers."""
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    return create_app(settings, lambda: NOW)


BOTS: dict[str, Callable[[str], web.Application]] = {
    "bare aiohttp": lambda _: bare_app(),
    "stock echo": lambda _: stock_echo_app(),
    "ours, echo": lambda _: our_adapter_app(EchoBot()),
    "ours, dialog": lambda _: our_adapter_app(AskNameBot()),
    "ours": our_app,
}


def serve(bot: str, database_url: str, control: Connection) -> None:
    """Serve `bot`; send the port, wait for STOP, send the peak RSS in MB (the process's)."""
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(_serve(BOTS[bot](database_url), control))


async def _serve(app: web.Application, control: Connection) -> None:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        control.send(runner.addresses[0][1])
        while await asyncio.to_thread(control.recv) != STOP:
            pass
    finally:
        await runner.cleanup()
    control.send(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
