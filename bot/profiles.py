"""What each channel tells about the person writing: their e-mail, and whether they facilitate."""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import TurnContext

from bot.adapter import TraefAdapter
from bot.connector import ChannelConnector
from bot.settings import Settings
from dialogs.dependencies import FacilitatorCheck

log = logging.getLogger("traefbot.profiles")

TEAMS = "msteams"
_CACHE_KEY = "traefbot.profile_email"


class ChannelProfiles:
    """E-mail from Teams' member API, or from the account's properties (local chat, tests)."""

    async def email(self, context: TurnContext) -> str | None:
        if _CACHE_KEY not in context.turn_state:
            context.turn_state[_CACHE_KEY] = await self._lookup(context)
        email: str | None = context.turn_state[_CACHE_KEY]
        return email

    async def _lookup(self, context: TurnContext) -> str | None:
        sender = context.activity.from_property
        if sender is None:
            return None
        properties: Any = sender.properties
        if isinstance(properties, dict) and isinstance(properties.get("email"), str):
            return str(properties["email"])
        connector = context.turn_state.get(TraefAdapter.CONNECTOR_KEY)
        if context.activity.channel_id != TEAMS or not isinstance(connector, ChannelConnector):
            return None
        try:
            member = await connector.member(
                context.activity.service_url, context.activity.conversation.id, sender.id
            )
        except Exception:  # the profile is a convenience: no e-mail is no error
            log.warning("Could not read the Teams profile of %s", sender.id, exc_info=True)
            return None
        if not isinstance(member, dict):
            return None
        email = member.get("email") or member.get("userPrincipalName")
        return email if isinstance(email, str) and email else None


def facilitator_check(settings: Settings, profiles: ChannelProfiles) -> FacilitatorCheck:
    """Facilitators are named in FACILITATORS by channel user id, Entra object id or e-mail."""

    async def is_facilitator(context: TurnContext) -> bool:
        sender = context.activity.from_property
        if not settings.facilitators or sender is None:
            return False
        if settings.is_facilitator(sender.id, sender.aad_object_id):
            return True
        return settings.is_facilitator(await profiles.email(context))

    return is_facilitator
