"""GET /kalender/{token}.ics: a participant's own programme, at a link that stays the same."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from bot.http import Handler, error_response
from bot.settings import Settings
from dialogs.dependencies import Clock
from dialogs.i18n import Catalogue, language_from_locale
from traef.calendar import SpeakerLine, calendar_for_token
from traef.ports import UnitOfWork

CALENDAR_ROUTE = "/kalender/{token}.ics"
CALENDAR_FILENAME = "program.ics"


def calendar_url(settings: Settings, token: str) -> str:
    """The link a participant adds to Outlook or downloads the programme from."""
    return f"{settings.public_url}/kalender/{token}.ics"


def speaker_lines(catalogue: Catalogue) -> Callable[[str], SpeakerLine]:
    """'v. A og B' / 'by A and B', in the participant's language."""

    def for_language(language: str) -> SpeakerLine:
        texts = catalogue.texts(language_from_locale(language))
        return lambda names: texts("speakers", names=texts.join(names))

    return for_language


def calendar_handler(
    uow_factory: Callable[[], UnitOfWork], clock: Clock, catalogue: Catalogue
) -> Handler:
    wording = speaker_lines(catalogue)

    async def get_calendar(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        body = await calendar_for_token(uow_factory(), clock(), token, wording)
        if body is None:
            return error_response(404, "Unknown calendar link")
        return web.Response(
            body=body,
            content_type="text/calendar",
            charset="utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{CALENDAR_FILENAME}"',
                "Cache-Control": "private, no-cache",
            },
        )

    return get_calendar
