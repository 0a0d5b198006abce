"""Small builders for Adaptive Cards (schema 1.5) and the activities that carry them."""

from __future__ import annotations

from typing import Any

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity

from dialogs.intents import Intent

Json = dict[str, Any]
CARD_VERSION = "1.5"


def text_block(text: str, **style: Any) -> Json:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def submit(title: str, intent: Intent) -> Json:
    return {"type": "Action.Submit", "title": title, "data": {"action": intent.value}}


def adaptive_card(body: list[Json], actions: list[Json], fallback_text: str) -> Json:
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "fallbackText": fallback_text,
        "body": body,
        "actions": actions,
    }


def card_activity(card: Json) -> Activity:
    """A message carrying the card; `summary` holds the text for channels without cards."""
    activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
    activity.summary = card["fallbackText"]
    return activity
