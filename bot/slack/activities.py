"""Slack's payloads as the activities the bot and its dialogs understand.

Every activity has channel id "slack"; its conversation is the Slack channel: the bot's direct
messages with the person (D…) are personal; any other is shared, where the bot answers only what
concerns everyone (a channel, a private group, or a direct message between people, where a slash
command or an ephemeral card can be used too). From is the person, recipient the bot's user. A
message addressed to the bot in a shared channel (an @mention, a slash command) carries a
mention entity naming the bot, as Teams' do, and its text has the mention left out. A button
press is a message whose `value` is the card value, replying to the pressed message (so the card
can be replaced). The `response_url` of a slash command or an ephemeral card's press is kept in
the channel data, for the adapter to answer only the person there.
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
    ConversationReference,
    Entity,
)

from bot.slack.payloads import Event, Interaction, SlashCommand
from bot.wire import to_json

SLACK = "slack"
SLACK_DATA = "slack"  # channel_data key: what the adapter needs to answer in the right place
USER_MESSAGE_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})


def is_direct_message(channel: str) -> bool:
    return channel.startswith("D")


def _conversation(channel: str, personal: bool) -> ConversationAccount:
    if personal:
        return ConversationAccount(id=channel, conversation_type="personal", is_group=False)
    return ConversationAccount(id=channel, conversation_type="channel", is_group=True)


def direct_message_reference(
    person: ChannelAccount, channel: str, bot: ChannelAccount, locale: str | None
) -> dict[str, Any]:
    """The reference `RememberConversations` stores when `person` writes to the bot in their
    direct message channel `channel`."""
    reference = ConversationReference(
        user=person,
        bot=bot,
        conversation=_conversation(channel, personal=True),
        channel_id=SLACK,
        locale=locale,
    )
    stored: dict[str, Any] = to_json(reference)
    return stored


def display_name(account: dict[str, Any]) -> str | None:
    """The name Slack shows for a user object (`users.info`, `users.lookupByEmail`)."""
    profile = account.get("profile") or {}
    name = profile.get("real_name") or account.get("real_name") or account.get("name")
    return str(name) if name else None


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
    personal: bool | None = None,
    **fields: Any,
) -> Activity:
    """`personal`: the channel is the bot's direct messages with the person (by default, when
    it is a direct message channel at all)."""
    if personal is None:
        personal = is_direct_message(channel)
    fields.setdefault("type", ActivityTypes.message)
    return Activity(
        channel_id=SLACK,
        conversation=_conversation(channel, personal),
        from_property=ChannelAccount(id=user, role="user"),
        recipient=ChannelAccount(id=bot_user, role="bot"),
        locale=locale,
        channel_data={SLACK_DATA: slack},
        entities=None if personal else [_mention(bot_user)],
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


def is_ephemeral(interaction: Interaction) -> bool:
    return interaction.container is not None and interaction.container.is_ephemeral


def action_activity(
    interaction: Interaction, value: Any, bot_user: str, locale: str, personal: bool | None = None
) -> Activity | None:
    """A press on one of the bot's buttons (or a choice in its menu) as a card submit; one on an
    ephemeral card is answered (and the card replaced) only for the person, through the
    interaction's `response_url`."""
    channel = interaction.channel_id
    if channel is None:
        return None
    slack: dict[str, Any] = {}
    if is_ephemeral(interaction):
        slack["ephemeral"] = True
        if interaction.response_url:
            slack["response_url"] = interaction.response_url
    return _activity(
        channel,
        interaction.user.id,
        bot_user,
        locale,
        slack,
        personal,
        reply_to_id=interaction.card_ts,
        value=value,
    )


def command_activity(command: SlashCommand, bot_user: str, locale: str, personal: bool) -> Activity:
    """`/traef program` as the message "program", answered so only the person sees it (through
    the command's `response_url`); `/traef` alone asks for help. `personal`: the command was
    given in the bot's direct messages with the person; anywhere else it is shared."""
    text = plain_text(command.text, bot_user) or "help"
    slack: dict[str, Any] = {"ephemeral": True, "command": command.command}
    if command.response_url:
        slack["response_url"] = command.response_url
    return _activity(
        command.channel_id,
        command.user_id,
        bot_user,
        locale,
        slack,
        personal,
        text=text,
        text_format="plain",
    )
