"""An item's fields, as a table column or a YAML key names them, read into an entry."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import time
from enum import StrEnum

from traef.programme import EVERYONE, Audience, ItemKind
from traef.programme_people import GROUP_WORDS, SPEAKER_MARK, parse_audience, split_speakers
from traef.programme_problems import ProblemCode, ProgrammeProblem


class Column(StrEnum):
    DATE = "date"
    TIME = "time"  # "8.30 – 8.50" or "14.00"
    START = "start"
    END = "end"
    TITLE = "title"
    SPEAKERS = "speakers"
    KIND = "kind"
    AUDIENCE = "audience"
    DESCRIPTION = "description"
    LINK = "link"


# Compared without case, spaces, hyphens and dots.
_COLUMN_NAMES: dict[Column, str] = {
    Column.DATE: "Dato|Dag|Date|Day",
    Column.TIME: "Tid|Tidspunkt|Kl|Klokken|Klokkeslæt|Time|When",
    Column.START: "Start|Fra|Starttid|Begynder|Starts|From",
    Column.END: "Slut|Til|Sluttid|Slutter|End|Ends|Until",
    Column.TITLE: "Programpunkt|Punkt|Titel|Emne|Indhold|Aktivitet|Program|Hvad|"
    "Title|Item|Programme item|Activity|What",
    Column.SPEAKERS: "Oplægsholder|Oplægsholdere|Ved|Taler|Talere|Ansvarlig|"
    "Speaker|Speakers|Presenter|Presenters|By",
    Column.KIND: "Type|Slags|Art|Kind",
    Column.AUDIENCE: "Målgruppe|For|Hvem|Audience|Who",
    Column.DESCRIPTION: "Beskrivelse|Note|Noter|Description|Notes",
    Column.LINK: "Link|URL|Mødelink|Meeting link",
}


def column_key(name: str) -> str:
    return re.sub(r"[\s\-_.:*()/]+", "", name.casefold())


_COLUMN_OF_KEY = {
    column_key(name): column for column, names in _COLUMN_NAMES.items() for name in names.split("|")
}


def column_named(name: str) -> Column | None:
    """'Programpunkt' → TITLE, 'Målgruppe' → AUDIENCE; None for a name we do not know."""
    return _COLUMN_OF_KEY.get(column_key(name))


Fields = Mapping[Column, str | Sequence[str]]


@dataclass(frozen=True, slots=True)
class Entry:
    """An item understood from a line, on a day not yet known: clock times only."""

    line: int
    start: time
    title: str
    end: time | None = None
    kind: ItemKind = ItemKind.PLENARY
    speakers: tuple[str, ...] = ()
    audience: Audience = EVERYONE
    description: str = ""
    link: str | None = None


class _Refused(Exception):
    def __init__(self, code: ProblemCode, value: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.value = value


def entry_from_fields(line: int, source: str, fields: Fields) -> Entry | ProgrammeProblem:
    """An item from its fields (a table's cells, a YAML item), or the first problem with them.

    The title may carry speakers (`/v. …`) and an audience marker (`[kun TR]`) as in a text line;
    a speakers field adds to those, an audience field or kind field overrides them.
    """
    try:
        start, end = _times(fields)
        title, speakers, audience = _title_parts(_text(fields.get(Column.TITLE, "")))
        speakers += _speakers_field(fields.get(Column.SPEAKERS, ""))
        audience_text = _text(fields.get(Column.AUDIENCE, ""))
        if audience_text:
            audience = _audience_or_refuse(audience_text)
        kind_text = _text(fields.get(Column.KIND, ""))
        kind = parse_kind(kind_text) if kind_text else guess_kind(title, speakers)
        if kind is None:
            raise _Refused(ProblemCode.UNKNOWN_KIND, kind_text)
    except _Refused as refused:
        return ProgrammeProblem(refused.code, line, source, refused.value)
    if not title:
        return ProgrammeProblem(ProblemCode.MISSING_TITLE, line, source)
    description = _text(fields.get(Column.DESCRIPTION, ""))
    link = _text(fields.get(Column.LINK, "")) or None
    return Entry(line, start, title, end, kind, speakers, audience, description, link)


def _text(value: str | Sequence[str]) -> str:
    joined = value if isinstance(value, str) else " ".join(value)
    return " ".join(joined.split())


# --- Times ------------------------------------------------------------------------------------

_CLOCK = r"(?:kl(?:okken|\.)?\s*)?(\d{1,2})[.:](\d{2})(?!\d)"
TIMES = re.compile(
    rf"{_CLOCK}(?:\s*(?:–|—|-|til\b|to\b)\s*{_CLOCK})?\s*[:.,]?(?=\s|$)", re.IGNORECASE
)


def _times(fields: Fields) -> tuple[time, time | None]:
    written = _text(fields.get(Column.TIME, ""))
    if written:
        match = TIMES.fullmatch(written)
        if match is None:
            raise _Refused(ProblemCode.INVALID_TIME, written)
        start = _clock(match.group(1), match.group(2), written)
        end = _clock(match.group(3), match.group(4), written) if match.group(3) else None
    else:
        start_text = _text(fields.get(Column.START, ""))
        if not start_text:
            raise _Refused(ProblemCode.MISSING_TIME)
        start = _single_clock(start_text)
        end_text = _text(fields.get(Column.END, ""))
        end = _single_clock(end_text) if end_text.casefold() not in ("", "null", "~") else None
        written = f"{start_text} – {end_text}"
    if end is not None and end < start:
        raise _Refused(ProblemCode.ENDS_BEFORE_START, written)
    return start, end


def _single_clock(text: str) -> time:
    match = re.fullmatch(_CLOCK, text, re.IGNORECASE)
    if match is None:
        raise _Refused(ProblemCode.INVALID_TIME, text)
    return _clock(match.group(1), match.group(2), text)


def _clock(hours: str, minutes: str, written: str) -> time:
    if int(hours) > 23 or int(minutes) > 59:
        raise _Refused(ProblemCode.INVALID_TIME, written)
    return time(int(hours), int(minutes))


# --- Titles and kinds -------------------------------------------------------------------------

_AUDIENCE_MARK = re.compile(r"\[([^\[\]]*)\]")


def _title_parts(text: str) -> tuple[str, tuple[str, ...], Audience]:
    """'Oplæg [kun TR] /v. NN' → ('Oplæg', ('NN',), TR)."""
    audience = EVERYONE
    markers = list(_AUDIENCE_MARK.finditer(text))
    if markers:
        marker = markers[-1]
        audience = _audience_or_refuse(marker.group(1))
        text = text[: marker.start()] + " " + text[marker.end() :]
    speakers: tuple[str, ...] = ()
    mark = SPEAKER_MARK.search(text)
    if mark is not None:
        speakers = split_speakers(text[mark.end() :])
        text = text[: mark.start()]
    return " ".join(text.split()).rstrip(" –—-,:;"), speakers, audience


def _speakers_field(value: str | Sequence[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return split_speakers(value)
    return tuple(" ".join(name.split()) for name in value if name.strip())


def _audience_or_refuse(text: str) -> Audience:
    audience = parse_audience(text)
    if audience is None:
        raise _Refused(ProblemCode.UNKNOWN_AUDIENCE, text.strip())
    return audience


_KIND_WORDS = re.compile(
    r"(?P<lunch>frokost|lunch)"
    r"|(?P<breakout>break-?out)"
    r"|(?P<break>pause|kaffe|coffee|\bbreak\b)"
    r"|(?P<phone_dialogue>telefon|phone|\bring(?:e|er)?\b|opkald|\bcall\b)"
    r"|(?P<group>\bgrupp|\bgroup|mandsgrupp)",
    re.IGNORECASE,
)


def guess_kind(title: str, speakers: Sequence[str] = ()) -> ItemKind:
    """The kind the title's first telling word suggests; see traef.programme_text."""
    match = _KIND_WORDS.search(title)
    if match is not None and match.lastgroup is not None:
        return ItemKind.BREAKOUT if match.lastgroup == "group" else ItemKind(match.lastgroup)
    if speakers and all(GROUP_WORDS.search(speaker) for speaker in speakers):
        return ItemKind.BREAKOUT
    return ItemKind.PLENARY


_KIND_NAMES: dict[ItemKind, str] = {
    ItemKind.PLENARY: "plenary|plenum|oplæg|fælles|talk",
    ItemKind.BREAKOUT: "breakout|break-out|breakout-rum|gruppe|grupper|gruppearbejde|group|"
    "group work",
    ItemKind.PHONE_DIALOGUE: "phone_dialogue|phone dialogue|phone|telefondialog|telefon|"
    "telefonsamtale",
    ItemKind.BREAK: "break|pause|kaffe|kaffepause|coffee",
    ItemKind.LUNCH: "lunch|frokost",
}
_KIND_OF_NAME = {
    column_key(name): kind for kind, names in _KIND_NAMES.items() for name in names.split("|")
}


def parse_kind(text: str) -> ItemKind | None:
    """A kind named in Danish or English ('frokost', 'phone_dialogue'); None when unknown."""
    return _KIND_OF_NAME.get(column_key(text))
