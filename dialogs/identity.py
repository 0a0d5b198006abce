"""Who is writing: their channel account, the name the channel shows, their e-mail if it has one."""

from __future__ import annotations

from typing import Protocol

from botbuilder.core import TurnContext

from traef.participants import ChannelIdentity


def identity_of(context: TurnContext) -> ChannelIdentity:
    activity = context.activity
    return ChannelIdentity(channel=activity.channel_id, user_id=activity.from_property.id)


def profile_name(context: TurnContext) -> str | None:
    sender = context.activity.from_property
    name = (sender.name or "").strip() if sender else ""
    return name or None


class ProfileLookup(Protocol):
    async def email(self, context: TurnContext) -> str | None:
        """The sender's e-mail address as the channel knows it; None when it does not say."""
        ...
