"""Slack's payloads as the activities the bot and its dialogs understand.

Every activity has channel id "slack"; its conversation is the Slack channel (D… for the direct
messages with the bot, which are personal; any other is shared, where the bot answers only what
concerns everyone); from is the person, recipient the bot's user. A message addressed to the bot
in a shared channel (an @mention, a slash command) carries a mention entity naming the bot, as
Teams' do, and its text has the mention left out. A button press is a message whose `value` is
the card value, replying to the pressed message (so the card can be replaced).
"""

from __future__ import annotations

import html
import re
from typing import Any

from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationAccount,
    Entity,
)

from bot.slack.payloads import Event, Interaction, SlashCommand

SLACK = "slack"
SLACK_DATA = "slack"  # channel_data key: what the adapter needs to answer in the right place
USER_MESSAGE_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})


def is_direct_message(channel: str) -> bool:
    return channel.startswith("D")


def _conversation(channel: str) -> ConversationAccount:
    if is_direct_message(channel):
        return ConversationAccount(id=channel, conversation_type="personal", is_group=False)
    return ConversationAccount(id=channel, conversation_type="channel", is_group=True)


def _mention(bot_user: str) -> Entity:
    entity = Entity(type="mention")
    entity.additional_properties = {"mentioned": {"id": bot_user}, "text": f"<@{bot_user}>"}
    return entity


def plain_text(text: str, bot_user: str) -> str:
    """Slack's text without the bot's mention (`<@U…>` or `<@U…|name>`), unescaped."""
    text = re.sub(rf"<@{re.escape(bot_user)}(\|[^>]*)?>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def _activity(
    channel: str,
    user: str,
    bot_user: str,
    locale: str,
    slack: dict[str, Any],
    **fields: Any,
) -> Activity:
    fields.setdefault("type", ActivityTypes.message)
    return Activity(
        channel_id=SLACK,
        conversation=_conversation(channel),
        from_property=ChannelAccount(id=user, role="user"),
        recipient=ChannelAccount(id=bot_user, role="bot"),
        locale=locale,
        channel_data={SLACK_DATA: slack},
        entities=None if is_direct_message(channel) else [_mention(bot_user)],
        **fields,
    )


def is_from_a_person(event: Event, bot_user: str) -> bool:
    """Not the bot's own message, nor another bot's, nor an edit or deletion."""
    return (
        event.bot_id is None
        and event.subtype in USER_MESSAGE_SUBTYPES
        and event.user is not None
        and event.user != bot_user
    )


def event_activity(event: Event, bot_user: str, locale: str) -> Activity | None:
    """A direct message or an @mention as a message; None for events the bot does not answer
    (its own messages, other bots', edits, messages in channels it was not mentioned in)."""
    if not is_from_a_person(event, bot_user) or not event.channel or event.user is None:
        return None
    if event.type == "message" and not is_direct_message(event.channel):
        return None
    if event.type not in ("message", "app_mention"):
        return None
    slack = {"thread_ts": event.thread_ts} if event.thread_ts else {}
    return _activity(
        event.channel,
        event.user,
        bot_user,
        locale,
        slack,
        id=event.ts,
        text=plain_text(event.text, bot_user),
        text_format="plain",
    )


def home_opened_activity(event: Event, bot_user: str, locale: str) -> Activity | None:
    """The person opened the bot's messages tab: a conversation update adding them, so they
    are welcomed (the handler only sends it when the bot does not know them yet)."""
    if event.user is None or not event.channel or not is_direct_message(event.channel):
        return None
    return _activity(
        event.channel,
        event.user,
        bot_user,
        locale,
        {},
        type=ActivityTypes.conversation_update,
        members_added=[ChannelAccount(id=event.user)],
    )


def action_activity(
    interaction: Interaction, value: Any, bot_user: str, locale: str
) -> Activity | None:
    """A press on one of the bot's buttons (or a choice in its menu) as a card submit."""
    channel = interaction.channel_id
    if channel is None:
        return None
    slack: dict[str, Any] = {}
    if interaction.container is not None and interaction.container.is_ephemeral:
        slack["ephemeral"] = True
    return _activity(
        channel,
        interaction.user.id,
        bot_user,
        locale,
        slack,
        reply_to_id=interaction.card_ts,
        value=value,
    )


def command_activity(command: SlashCommand, bot_user: str, locale: str) -> Activity:
    """`/traef program` as the message "program", answered so only the person sees it;
    `/traef` alone asks for help."""
    text = plain_text(command.text, bot_user) or "help"
    slack = {"ephemeral": True, "command": command.command}
    return _activity(
        command.channel_id, command.user_id, bot_user, locale, slack, text=text, text_format="plain"
    )
