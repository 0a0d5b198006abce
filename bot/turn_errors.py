"""What happens when a turn fails: log it with the activity id, apologise in the user's language."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from botbuilder.core import MessageFactory, TurnContext

from dialogs.i18n import Catalogue, Language, language_from_locale
from dialogs.language import LanguagePreference

log = logging.getLogger("traefbot.turn")

TurnErrorHandler = Callable[[TurnContext, Exception], Awaitable[None]]


def turn_error_handler(
    catalogue: Catalogue, language: LanguagePreference, default_language: Language
) -> TurnErrorHandler:
    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        activity = context.activity
        log.error(
            "Turn failed: activity %s (%s) in conversation %s on %s",
            activity.id,
            activity.type,
            activity.conversation.id if activity.conversation else "?",
            activity.channel_id,
            exc_info=error,
        )
        apology = MessageFactory.text(catalogue.texts(await _language_of(context))("apology"))
        try:
            await context.send_activity(apology)
        except Exception:  # the channel itself is what failed: nothing more to tell anyone
            log.warning("Could not send the apology for activity %s", activity.id, exc_info=True)

    async def _language_of(context: TurnContext) -> Language:
        try:
            return await language.get(context)
        except Exception:  # the state store may be what failed
            return language_from_locale(context.activity.locale, default_language)

    return on_turn_error
