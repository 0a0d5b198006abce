"""A participant chatting through DialogTestClient: every reply of a turn, as the user sees it."""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity, ChannelAccount
from botbuilder.testing import DialogTestClient

ADAPTIVE = "application/vnd.microsoft.card.adaptive"


class Chat:
    def __init__(
        self,
        client: DialogTestClient,
        user_id: str = "user-lotte",
        name: str = "Lotte Henriksen",
        locale: str = "da-DK",
    ) -> None:
        self.client = client
        self.user = ChannelAccount(id=user_id, name=name)
        self.locale = locale

    async def say(
        self, text: str | None = None, value: Any = None, reply_to_id: str | None = None
    ) -> list[Activity]:
        """The turn's replies; `reply_to_id` names the card a button press came from, as Teams
        does for an Action.Submit."""
        activity = Activity(
            type="message",
            text=text,
            value=value,
            from_property=self.user,
            locale=self.locale,
            reply_to_id=reply_to_id,
        )
        replies = [await self.client.send_activity(activity)]
        while (reply := self.client.get_next_reply()) is not None:
            replies.append(reply)
        return [reply for reply in replies if reply is not None]

    async def text(
        self, text: str | None = None, value: Any = None, reply_to_id: str | None = None
    ) -> str:
        """All the text of the turn's replies, cards as their fallback text."""
        return "\n".join(shown(reply) for reply in await self.say(text, value, reply_to_id))


def shown(reply: Activity) -> str:
    parts = [reply.text or ""]
    for attachment in reply.attachments or []:
        if attachment.content_type == ADAPTIVE:
            parts.append(attachment.content["fallbackText"])
    if reply.suggested_actions:
        parts += [f"[{action.title}]" for action in reply.suggested_actions.actions]
    return "\n".join(part for part in parts if part)


def replaced(client: DialogTestClient) -> dict[str, dict[str, Any]]:
    """The cards the bot put in place of used ones, by the id of the message they replace."""
    return {update.id: card(update) for update in client.test_adapter.updated_activities}


def card(reply: Activity) -> dict[str, Any]:
    assert reply.attachments and reply.attachments[0].content_type == ADAPTIVE, reply.text
    content: dict[str, Any] = reply.attachments[0].content
    return content


def facts(reply: Activity) -> dict[str, str]:
    body = card(reply)["body"]
    fact_set = next(element for element in body if element["type"] == "FactSet")
    return {fact["title"]: fact["value"] for fact in fact_set["facts"]}
