"""Small builders for Adaptive Cards (schema 1.5) and the activities that carry them.

Buttons are `Action.Execute` (Teams' Universal Actions, answered by an `adaptiveCard/action`
invoke) with an `Action.Submit` fallback for clients without them; both send the same data.
A card whose button has been used can be replaced with `replace_card`.
"""

from __future__ import annotations

import json
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity

from dialogs.intents import Intent
from dialogs.shared_conversations import is_shared_conversation

Json = dict[str, Any]
CARD_VERSION = "1.5"
MAX_MESSAGE_BYTES = 28 * 1024  # Teams refuses larger messages
ENVELOPE_BYTES = 2 * 1024  # ids, accounts, conversation and service URL around the card
# turn_state key: present while an Action.Execute invoke runs; holds the card that replaces the
# pressed one, which the invoke response carries back to Teams.
REPLACEMENT_CARD = "traef.replacement_card"


def text_block(text: str, **style: Any) -> Json:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def button(title: str, data: Json, **style: Any) -> Json:
    """An Action.Execute whose verb is the data's `action`, falling back to an Action.Submit."""
    return {
        "type": "Action.Execute",
        "title": title,
        "verb": str(data["action"]),
        "data": data,
        **style,
        "fallback": {"type": "Action.Submit", "title": title, "data": data, **style},
    }


def submit(title: str, intent: Intent) -> Json:
    return button(title, {"action": intent.value})


def adaptive_card(body: list[Json], actions: list[Json], fallback_text: str) -> Json:
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "fallbackText": fallback_text,
        "body": body,
        "actions": actions,
    }


def said_card(text: str) -> Json:
    """A card that only says something: what a used card becomes when all is said in a line."""
    return adaptive_card([text_block(text)], [], text)


def note_card(title: str, note: str, *extra: Json) -> Json:
    """A card without buttons: what a used card becomes."""
    body = [text_block(title, weight="Bolder"), *extra, text_block(note)]
    return adaptive_card(body, [], f"**{title}**\n{note}")


def card_activity(card: Json) -> Activity:
    """A message carrying the card; `summary` holds the text for channels without cards."""
    activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
    activity.summary = card["fallbackText"]
    return activity


def message_bytes(card: Json) -> int:
    """About what the message carrying the card weighs as the connector sends it (JSON with
    non-ASCII escaped): the card, its fallback again as the summary, and the envelope."""
    return len(json.dumps(card)) + len(json.dumps(card["fallbackText"])) + ENVELOPE_BYTES


def fits(card: Json) -> bool:
    return message_bytes(card) <= MAX_MESSAGE_BYTES


async def replace_card(context: TurnContext, card: Json) -> bool:
    """Replace the card whose button made this turn; False when that cannot be done (the turn
    came from no card, or the channel does not say which message it came from) or must not be
    (the card is in a shared conversation, where everyone would see the result)."""
    if is_shared_conversation(context.activity):
        return False
    if REPLACEMENT_CARD in context.turn_state:  # Action.Execute: the invoke response carries it
        context.turn_state[REPLACEMENT_CARD] = card
        return True
    activity = context.activity
    if activity.value is None or not activity.reply_to_id:
        return False
    replacement = card_activity(card)
    replacement.id = activity.reply_to_id
    await context.update_activity(replacement)
    return True
