"""What a participant means: free text and card buttons mapped onto intents."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError


class Intent(StrEnum):
    GREETING = "greeting"
    HELP = "help"
    PROGRAMME = "programme"
    NOW = "now"
    NEXT = "next"
    ENGLISH = "english"
    DANISH = "danish"
    UNKNOWN = "unknown"


# Checked in order: the first pattern that matches decides.
_PATTERNS: tuple[tuple[Intent, re.Pattern[str]], ...] = tuple(
    (intent, re.compile(pattern))
    for intent, pattern in (
        (Intent.ENGLISH, r"^(english|engelsk|in english|på engelsk|speak english)( please| tak)?$"),
        (Intent.DANISH, r"^(dansk|danish|på dansk|in danish|tal dansk)( tak| please)?$"),
        (Intent.HELP, r"^(hjælp|help|\?|hvad kan du|what can you do|kommandoer|commands)$"),
        (
            Intent.NOW,
            r"\b(hvad sker der( lige)? nu|hvad foregår der nu|hvad er der nu|hvad er på nu"
            r"|what'?s on( right)? now|what is on( right)? now|what'?s happening( right)? now"
            r"|what is happening( right)? now)\b|^(nu|lige nu|now|right now)$",
        ),
        (
            Intent.NEXT,
            r"\b(hvad er det næste|hvad sker der så|hvad kommer der nu|hvad er næste punkt"
            r"|what'?s next|what is next|what comes next)\b|^(næste|det næste|next)$",
        ),
        (Intent.PROGRAMME, r"\b(program\w*|dagsorden\w*|agenda|schedule)\b"),
        (
            Intent.GREETING,
            r"^(hej|hejsa|hallo|goddag|godmorgen|god morgen|halløj|dav|hi|hello|hey"
            r"|good morning|start|menu)( træfbot| traefbot| there)?$",
        ),
    )
)


def normalise(text: str) -> str:
    text = text.strip().lower()
    text = re.sub(r"<at>.*?</at>", " ", text)  # Teams puts @-mentions of the bot in the text
    text = re.sub(r"[!.,;:¿¡\"“”]+", " ", text)
    text = text.replace("’", "'")
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip("?").strip() or ("?" if "?" in text else "")


def recognise(text: str | None) -> Intent:
    cleaned = normalise(text or "")
    if not cleaned:
        return Intent.UNKNOWN
    for intent, pattern in _PATTERNS:
        if pattern.search(cleaned):
            return intent
    return Intent.UNKNOWN


class CardSubmit(BaseModel):
    """The data a card button sends back: {"action": "now"}."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    action: Intent


def recognise_submit(value: Any) -> Intent | None:
    """The intent of a card button press; None when the payload is not one of ours."""
    try:
        return CardSubmit.model_validate(value).action
    except ValidationError:
        return None
