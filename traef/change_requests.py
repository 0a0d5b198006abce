"""What facilitators and participants say about the programme, in their own words.

Facilitators: `forsink 10 min`, `vi er 15 minutter forsinket`, `delay 10 minutes`,
`ryk frokost til 12.30`, `move lunch to 12:30`, `breakout 2 starter 11.15`.
Participants: `hvornår er der frokost?`, `hvornår starter breakout 2?`, `hvad sker der kl. 11?`,
`when is lunch?`, `when does breakout 2 start?`, `what's on at 11?`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from traef.programme import ItemKind, ProgrammeItem

_TIME = r"(?:kl\.?\s*|at\s+)?(\d{1,2})(?:[.:](\d{2}))?"
_KIND_WORDS: dict[ItemKind, tuple[str, ...]] = {
    ItemKind.LUNCH: ("frokost", "frokosten", "frokostpause", "lunch", "lunch break"),
    ItemKind.BREAK: ("pause", "pausen", "kaffepause", "break", "coffee break", "the break"),
    ItemKind.BREAKOUT: (
        "breakout",
        "breakout-rum",
        "breakoutrum",
        "gruppearbejde",
        "grupper",
        "group work",
        "breakout room",
    ),
    ItemKind.PHONE_DIALOGUE: ("telefondialog", "telefondialogen", "phone dialogue", "phone call"),
}


@dataclass(frozen=True, slots=True)
class ItemReference:
    """'frokost', 'breakout 2', or words from a title."""

    kind: ItemKind | None = None
    ordinal: int | None = None  # the n-th item of that kind on the day, counting from 1
    words: str | None = None

    def find(self, items: list[ProgrammeItem], after: int = 0) -> int | None:
        """The index of the item meant; with no ordinal, the first of its kind from `after` on."""
        if self.kind is not None:
            of_kind = [i for i, item in enumerate(items) if item.kind is self.kind]
            if self.ordinal is not None:
                return of_kind[self.ordinal - 1] if 0 < self.ordinal <= len(of_kind) else None
            later = [i for i in of_kind if i >= after]
            return _first(later or of_kind)
        if self.words:
            wanted = self.words.casefold()
            matches = [i for i, item in enumerate(items) if wanted in item.title.casefold()]
            later = [i for i in matches if i >= after]
            return _first(later or matches)
        return None


def _first(indexes: list[int]) -> int | None:
    return indexes[0] if indexes else None


@dataclass(frozen=True, slots=True)
class Delay:
    minutes: int  # positive: later


@dataclass(frozen=True, slots=True)
class Move:
    item: ItemReference
    to: time


ChangeRequest = Delay | Move


@dataclass(frozen=True, slots=True)
class WhenQuestion:
    item: ItemReference


@dataclass(frozen=True, slots=True)
class AtQuestion:
    at: time


Question = WhenQuestion | AtQuestion


def parse_change_request(text: str) -> ChangeRequest | None:
    cleaned = _clean(text)
    for pattern in _DELAY_PATTERNS:
        match = pattern.search(cleaned)
        if match:
            minutes = int(match.group("minutes"))
            if match.group("unit") and match.group("unit").startswith(("t", "h")):
                minutes *= 60
            return Delay(minutes) if 0 < minutes <= 12 * 60 else None
    for pattern in _MOVE_PATTERNS:
        match = pattern.search(cleaned)
        if match:
            reference = item_reference(match.group("item"))
            at = _time(match.group("hour"), match.group("minute"))
            return Move(reference, at) if reference and at else None
    return None


def parse_question(text: str) -> Question | None:
    cleaned = _clean(text)
    match = _AT_QUESTION.search(cleaned)
    if match:
        at = _time(match.group("hour"), match.group("minute"))
        return AtQuestion(at) if at else None
    for pattern in _WHEN_QUESTIONS:
        match = pattern.search(cleaned)
        if match:
            reference = item_reference(match.group("item"))
            return WhenQuestion(reference) if reference else None
    return None


def item_reference(text: str) -> ItemReference | None:
    words = text.strip(" ?.!").removeprefix("the ").strip()
    if not words:
        return None
    ordinal_match = re.fullmatch(r"(.+?)\s*(?:nr\.?\s*|number\s*|#)?(\d{1,2})", words)
    name, ordinal = words, None
    if ordinal_match:
        name, ordinal = ordinal_match.group(1).strip(), int(ordinal_match.group(2))
    for kind, names in _KIND_WORDS.items():
        if name in names:
            return ItemReference(kind=kind, ordinal=ordinal)
    return ItemReference(words=words) if len(words) >= 3 else None


def _clean(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").replace("–", "-").split()).strip(" ?!.")


def _time(hour: str, minute: str | None) -> time | None:
    h, m = int(hour), int(minute or 0)
    return time(h, m) if 0 <= h <= 23 and 0 <= m <= 59 else None


_CLOCK = r"(?P<hour>\d{1,2})(?:[.:](?P<minute>\d{2}))?"
_AT = rf"(?:kl\.?\s*|klokken\s*|at\s+)?{_CLOCK}"
_MINUTES = r"(?P<minutes>\d{1,3})\s*(?P<unit>min(?:ut(?:ter|es?))?|m|t(?:imer?)?|h(?:ours?)?)?"
_DELAY_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        rf"^(?:forsink|udskyd|delay|postpone)(?: programmet| alt| the programme| everything)?"
        rf"(?: med| by)? {_MINUTES}$",
        rf"^(?:vi er|we are|we're|programmet er|the programme is) {_MINUTES}"
        rf"(?: forsinket| bagud| late| behind| delayed)$",
        rf"^(?:forsinkelse|delay) (?:på |of )?{_MINUTES}$",
    )
)
_MOVE_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        rf"^(?:ryk|flyt|move|reschedule) (?P<item>.+?) (?:til|to) {_AT}$",
        rf"^(?P<item>.+?) (?:starter|begynder|starts|begins|starts at|begins at) {_AT}$",
    )
)
_AT_QUESTION = re.compile(
    r"^(?:hvad sker der|hvad er der|hvad foregår der|hvad står der på programmet|what'?s on"
    rf"|what is on|what happens|what'?s happening) (?:kl\.?\s*|klokken\s*|at\s+){_CLOCK}$"
)
_WHEN_QUESTIONS = tuple(
    re.compile(pattern)
    for pattern in (
        r"^hvornår (?:er der|er|holder vi|har vi|kommer) (?P<item>.+?)$",
        r"^hvornår (?:starter|begynder) (?P<item>.+?)$",
        r"^when (?:is|does|do we have|'?s) (?P<item>.+?)(?: start| begin)?$",
        r"^what time (?:is|does) (?P<item>.+?)(?: start| begin)?$",
    )
)
