"""HTTP endpoints: only request in, response out. Errors become short JSON answers, never traces."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from botbuilder.core import Bot, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity

from bot.activity_body import MAX_BODY_BYTES, InvalidActivityError, parse_activity_body

log = logging.getLogger("traefbot.http")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
HealthCheck = Callable[[], Awaitable[bool]]


def error_response(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status >= 400:
            return error_response(error.status, error.reason)
        raise
    except Exception:
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return error_response(500, "Internal error")


def messages_handler(adapter: CloudAdapter, bot: Bot) -> Handler:
    async def post_messages(request: web.Request) -> web.Response:
        if (request.content_length or 0) > MAX_BODY_BYTES:
            return error_response(413, f"Body larger than {MAX_BODY_BYTES // 1024} KB")
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return error_response(413, f"Body larger than {MAX_BODY_BYTES // 1024} KB")
        try:
            payload = parse_activity_body(body)
        except InvalidActivityError as error:
            return error_response(400, str(error))
        activity = Activity().deserialize(payload)
        auth_header = request.headers.get("Authorization", "")
        bot_framework = adapter.bot_framework_authentication
        try:
            authentication = await bot_framework.authenticate_request(activity, auth_header)
        except PermissionError:  # botbuilder's "no valid identity"; a subclass of OSError
            return error_response(401, "Unauthorized")
        except OSError:  # the token's signing keys could not be fetched
            log.warning("Could not reach the Bot Framework identity provider", exc_info=True)
            return error_response(503, "Cannot verify the token right now")
        except (
            Exception
        ):  # missing, malformed, expired or forged token: botbuilder raises many kinds
            return error_response(401, "Unauthorized")
        invoke_response = await adapter.process_activity(authentication, activity, bot.on_turn)
        if invoke_response:
            return web.json_response(
                serializer_helper(invoke_response.body), status=invoke_response.status
            )
        return web.Response(status=201)

    return post_messages


def health_handler(check: HealthCheck) -> Handler:
    async def get_health(request: web.Request) -> web.Response:
        if await check():
            return web.json_response({"status": "ok"})
        return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)

    return get_health
