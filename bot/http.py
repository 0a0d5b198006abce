"""HTTP endpoints: only request in, response out. Errors become short JSON answers, never traces."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from botbuilder.core import Bot
from botbuilder.schema import Activity

from bot.activity_body import MAX_BODY_BYTES, InvalidActivityError, parse_activity_body
from bot.adapter import TraefAdapter
from bot.channel_auth import AuthenticationError, IdentityUnavailable, TokenValidator
from bot.wire import from_json, to_json

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


def messages_handler(adapter: TraefAdapter, bot: Bot, validator: TokenValidator | None) -> Handler:
    """`validator` None: no app id is set and requests are not authenticated (local only)."""

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
        activity = from_json(Activity, payload)
        claims = None
        if validator is not None:
            try:
                identity = await validator.validate(
                    request.headers.get("Authorization"), activity.channel_id, activity.service_url
                )
            except AuthenticationError:
                return error_response(401, "Unauthorized")
            except IdentityUnavailable:
                log.warning("Could not reach the Bot Framework identity provider", exc_info=True)
                return error_response(503, "Cannot verify the token right now")
            claims = identity.claims
        invoke_response = await adapter.process_activity(activity, claims, bot.on_turn)
        if invoke_response is not None:
            return web.json_response(to_json(invoke_response.body), status=invoke_response.status)
        return web.Response(status=201)

    return post_messages


def health_handler(check: HealthCheck) -> Handler:
    async def get_health(request: web.Request) -> web.Response:
        if await check():
            return web.json_response({"status": "ok"})
        return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)

    return get_health
