"""`send til alle: …`, `send til MSO kl. 11.15: …`, `send to checked in in 10 minutes: …`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import dateparser

from traef.broadcasts import Audience, AudienceKind, participant_type_named
from traef.programme import Event

_REQUEST = re.compile(
    r"^\s*(?:send|send besked|broadcast|udsend)\s+(?:til|to)\s+(?P<audience>[^:\n]+?)"
    r"(?P<when>\s+(?:kl\.?\s*\d{1,2}[.:]\d{2}|om \d+ minut(?:ter)?|in \d+ minutes?"
    r"|at \d{1,2}[.:]\d{2}))?"
    r"\s*:\s*(?P<text>.+)$",
    re.IGNORECASE | re.DOTALL,
)
_EVERYONE = {"alle", "everyone", "all", "alle deltagere", "everybody"}
_CHECKED_IN = {
    "tjekket ind",
    "dem der er tjekket ind",
    "de tjekkede ind",
    "checked in",
    "those checked in",
    "alle tjekket ind",
    "tilstede",
    "til stede",
}
_EACH_GROUP = {
    "hver gruppe",
    "hver sin gruppe",
    "alle grupper",
    "grupperne",
    "each group",
    "every group",
    "the groups",
}
_NOT_CHECKED_IN = {
    "ikke tjekket ind",
    "dem der ikke er tjekket ind",
    "not checked in",
    "those not checked in",
    "de fraværende",
    "fraværende",
}


@dataclass(frozen=True, slots=True)
class BroadcastRequest:
    audience: Audience
    audience_text: str  # as the facilitator wrote it
    text: str
    send_at: datetime | None


def parse_broadcast(said: str, event: Event, now: datetime) -> BroadcastRequest | None:
    match = _REQUEST.match(said)
    if match is None:
        return None
    audience = audience_named(match["audience"].strip(), event)
    text = match["text"].strip()
    if audience is None or not text:
        return None
    return BroadcastRequest(audience, match["audience"].strip(), text, _when(match["when"], now))


def audience_named(words: str, event: Event) -> Audience | None:
    name = " ".join(words.lower().split())
    if name in _EVERYONE:
        return Audience(AudienceKind.EVERYONE)
    if name in _CHECKED_IN:
        return Audience(AudienceKind.CHECKED_IN)
    if name in _NOT_CHECKED_IN:
        return Audience(AudienceKind.NOT_CHECKED_IN)
    if name in _EACH_GROUP:
        return Audience(AudienceKind.EACH_GROUP)
    group = re.fullmatch(r"(?:gruppe|group)\s*(\d+)", name)
    if group:
        return Audience(AudienceKind.GROUP, group[1])
    unit = next((d for d in event.departments if d.casefold() == name), None)
    if unit is not None:
        return Audience(AudienceKind.UNIT, unit)
    for candidate in (
        name,
        name.removesuffix("s"),
        name.removesuffix("e"),
        name.removesuffix("ne"),
    ):
        kind = participant_type_named(candidate)
        if kind is not None:
            return Audience(AudienceKind.PARTICIPANT_TYPE, kind.value)
    return None


def _when(text: str | None, now: datetime) -> datetime | None:
    if not text:
        return None
    local = now.replace(tzinfo=None)
    parsed = dateparser.parse(
        text.strip(),
        languages=["da", "en"],
        settings={"RELATIVE_BASE": local, "PREFER_DATES_FROM": "future"},
    )
    if parsed is None:
        return None
    at = parsed.replace(tzinfo=now.tzinfo)
    return at if at > now else None
