"""What a Teams activity says about where it happens: personal chat, group chat or a team's
channel, which team and tenant, and whether the bot was @mentioned."""

from __future__ import annotations

import re
from typing import Any

from botbuilder.schema import Activity

from dialogs.shared_conversations import is_shared_conversation

TEAMS = "msteams"
PERSONAL = "personal"


def conversation_type(activity: Activity) -> str | None:
    conversation = activity.conversation
    return conversation.conversation_type if conversation is not None else None


def is_personal(activity: Activity) -> bool:
    """A 1:1 chat with the bot (any channel that does not say it is a group counts as one)."""
    return not is_shared_conversation(activity)


def _channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    return data if isinstance(data, dict) else {}


def _id_in(data: dict[str, Any], key: str) -> str | None:
    item = data.get(key)
    identifier = item.get("id") if isinstance(item, dict) else None
    return identifier if isinstance(identifier, str) and identifier else None


def team_id(activity: Activity) -> str | None:
    """The team the activity happened in (channelData.team.id), None outside a team."""
    return _id_in(_channel_data(activity), "team")


def tenant_id(activity: Activity) -> str | None:
    """The Entra tenant: channelData.tenant.id, else conversation.tenantId."""
    found = _id_in(_channel_data(activity), "tenant")
    if found is None and activity.conversation is not None:
        found = activity.conversation.tenant_id or None
    return found


def is_card_submit(activity: Activity) -> bool:
    """An `Action.Submit` from one of the bot's cards: data in `value`, no text."""
    return activity.value is not None and not (activity.text or "").strip()


def _bot_mentions(activity: Activity) -> list[dict[str, Any]]:
    bot_id = activity.recipient.id if activity.recipient is not None else None
    found = []
    for entity in activity.entities or []:
        if (entity.type or "").lower() != "mention":
            continue
        details = dict(getattr(entity, "additional_properties", None) or {})
        mentioned = details.get("mentioned")
        if isinstance(mentioned, dict) and bot_id and mentioned.get("id") == bot_id:
            found.append(details)
    return found


def mentions_bot(activity: Activity) -> bool:
    """The bot is @mentioned: an entity of type mention naming the recipient's id."""
    return bool(_bot_mentions(activity))


def strip_bot_mention(activity: Activity) -> None:
    """Remove the bot's @mention (`<at>Træfbot</at>`) from the text, leaving the request."""
    text = activity.text or ""
    for mention in _bot_mentions(activity):
        shown = mention.get("text")
        if isinstance(shown, str) and shown:
            text = text.replace(shown, " ")
    activity.text = re.sub(r"\s+", " ", text).strip() if text != activity.text else text
