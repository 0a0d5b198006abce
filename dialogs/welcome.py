"""The welcome: who Træfbot is and a short menu of buttons."""

from __future__ import annotations

from botbuilder.schema import Activity

from dialogs.cards import adaptive_card, card_activity, submit, text_block
from dialogs.i18n import Texts
from dialogs.intents import Intent


def welcome_activity(texts: Texts, name: str | None = None) -> Activity:
    first_name = f" {name.split()[0]}" if name and name.strip() else ""
    greeting = texts("welcome", name=first_name)
    other_language = Intent.ENGLISH if texts.language == "da" else Intent.DANISH
    actions = [
        submit(texts("button_programme"), Intent.PROGRAMME),
        submit(texts("button_now"), Intent.NOW),
        submit(texts("button_next"), Intent.NEXT),
        submit(texts("button_sign_up"), Intent.SIGN_UP),
        submit(texts("button_help"), Intent.HELP),
        submit(texts("button_other_language"), other_language),
    ]
    return card_activity(adaptive_card([text_block(greeting)], actions, greeting))
