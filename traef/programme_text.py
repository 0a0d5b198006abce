"""A programme as organisers write it, read line by line into programme items.

How a text is read (the seeds' format, e.g. seed 004's "Program for fredag"):

- **Items.** A programme line starts with a time or a time range: `8.30 – 8.50 Opsamling`,
  `8:30-8:50 …`, `8.30 til 8.50 …`, `Kl. 14.00 Tak for denne gang`. Times take `.` or `:`;
  an en dash, em dash, hyphen, "til" or "to" stands between them; the title follows after a tab
  (a table copied from Word) or a space. An item without an end ends when the next item of its
  day begins; the last item of a day without an end is a moment ("14.00 Tak for denne gang").
- **Titles** are kept whole, dashes included: "Fortællinger i plenum – To direktører …" is
  one title (so nothing is lost, and `--json` shows all of it).
- **Speakers** follow `/v.`, `/ v.`, `v/` or ` v. ` and are split at commas and at "og", "and"
  and "&". A role word in front of a single name stays with it ("vicecenterleder Christian
  Bøtcher Jacobsen"); in front of several names it is left out ("direktørerne Hosea Dutschke og
  Henrik Seiding" → "Hosea Dutschke", "Henrik Seiding"). A part after a comma that is no name
  (an affiliation: it has a lower-case word such as "for"; or a job title) stays with the name
  before it. Speakers that are no names at all stay as written ("alle", "sparringsgrupperne").
  A line holding only `/v. …` adds speakers to the item above it.
- **Audience**: a marker in square brackets anywhere in the line – `[kun TR]`,
  `[for: ledertrainees]`, `[type: representative]` for a participant type; `[Gruppe 3]`,
  `[gruppe: Coach-hold A]` for one group; `[alle]` for everyone. Without one, for everyone.
- **Kind**, from the first telling word of the title: frokost/lunch → lunch; pause, kaffe,
  break → break; telefon, ring, opkald, phone, call → phone dialogue; breakout, gruppe…,
  group…, …mandsgruppe… → breakout (so "i sparringsgrupperne" inside a word does not count);
  else speakers that are groups ("/v. sparringsgrupperne") → breakout; else plenary.
- **Dates.** Before the first item, a line with a date gives the first day its date:
  "Program for fredag den 9. november 2018", "Virtuelt ledelsestræf den 27. oktober 2020",
  "2020-10-27", "27.10.2020", "Friday 9 November" (the last such line counts, but a line that
  is only a day heading is not overruled by a date in a line of prose). Months and weekdays in
  Danish or English, read with dateparser; a date without a year takes the year of the date
  before it in the text, else of the default date, else of `today`. A named weekday must fit.
  Later, a new day begins at a line that is only a day heading: a date ("Dag 2 – 9. november"),
  a day number ("Dag 2", counted from the default date or an earlier "Dag 1 – 8. november"), or
  a weekday ("Program for lørdag": the next such day). Items before any date take the default
  date; without one the text is refused (NO_DATE). Days of the same date are one day.
- **Tables.** A header such as `Tid	Programpunkt` (or a Markdown table `| Tid | Programpunkt |`)
  is recognised; when it names more columns (Oplægsholder, Målgruppe, Type, Beskrivelse, Link),
  each cell of a tab-separated line is read as its column says. Markdown bullets and headings
  are read too.
- **Everything else**: lines before the first item are headings ("AARHUS KOMMUNE", "Program for
  fredag") and are passed over; any later line that is not understood is reported with its
  number, never dropped.

Line numbers count every line of the text, blank ones included, from 1.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

import dateparser

from traef.errors import InvalidParticipantError
from traef.participants import ParticipantType
from traef.programme import EVERYONE, Audience, AudienceKind, ItemKind, ProgrammeItem


class ProblemCode(StrEnum):
    NOT_UNDERSTOOD = "not_understood"
    INVALID_TIME = "invalid_time"
    MISSING_TIME = "missing_time"
    ENDS_BEFORE_START = "ends_before_start"
    MISSING_TITLE = "missing_title"
    UNKNOWN_AUDIENCE = "unknown_audience"
    UNKNOWN_KIND = "unknown_kind"
    INVALID_DATE = "invalid_date"
    MISSING_YEAR = "missing_year"
    WEEKDAY_MISMATCH = "weekday_mismatch"
    UNKNOWN_FIELD = "unknown_field"
    INVALID_ENTRY = "invalid_entry"
    # about the whole file
    NOT_TEXT = "not_text"
    NOT_YAML = "not_yaml"
    NOT_CSV = "not_csv"
    MISSING_COLUMNS = "missing_columns"
    NO_DATE = "no_date"
    NO_ITEMS = "no_items"


FILE_PROBLEMS = frozenset(
    {
        ProblemCode.NOT_TEXT,
        ProblemCode.NOT_YAML,
        ProblemCode.NOT_CSV,
        ProblemCode.MISSING_COLUMNS,
        ProblemCode.NO_DATE,
        ProblemCode.NO_ITEMS,
    }
)
_EXAMPLE = ("»8.30 – 8.50 Opsamling«", "'8.30 – 8.50 Welcome'")

# (Danish, English); {line}, {value}, {source}, {day}, {actual}, {named} and {example}.
_REASONS: dict[ProblemCode, tuple[str, str]] = {
    ProblemCode.NOT_UNDERSTOOD: (
        "Linje {line}: »{source}« er ikke forstået – en programlinje begynder med et "
        "klokkeslæt, fx {example}.",
        "Line {line}: '{source}' was not understood – a programme line starts with a time, "
        "e.g. {example}.",
    ),
    ProblemCode.INVALID_TIME: (
        "Linje {line}: »{value}« er ikke et klokkeslæt.",
        "Line {line}: '{value}' is not a time of day.",
    ),
    ProblemCode.MISSING_TIME: (
        "Linje {line}: klokkeslættet mangler.",
        "Line {line}: the time is missing.",
    ),
    ProblemCode.ENDS_BEFORE_START: (
        "Linje {line}: »{value}« slutter, før det begynder.",
        "Line {line}: '{value}' ends before it starts.",
    ),
    ProblemCode.MISSING_TITLE: (
        "Linje {line}: der står et klokkeslæt, men ikke hvad der sker.",
        "Line {line}: there is a time but no title.",
    ),
    ProblemCode.UNKNOWN_AUDIENCE: (
        "Linje {line}: målgruppen »{value}« kendes ikke – skriv fx [kun TR], "
        "[for: ledertrainees] eller [Gruppe 3].",
        "Line {line}: the audience '{value}' is unknown – write e.g. [only TR], "
        "[for: trainees] or [Gruppe 3].",
    ),
    ProblemCode.UNKNOWN_KIND: (
        "Linje {line}: typen »{value}« kendes ikke – vælg plenum, breakout, telefondialog, "
        "pause eller frokost.",
        "Line {line}: the kind '{value}' is unknown – choose plenary, breakout, "
        "phone dialogue, break or lunch.",
    ),
    ProblemCode.INVALID_DATE: (
        "Linje {line}: »{value}« er ikke en dato, der findes.",
        "Line {line}: '{value}' is not a date that exists.",
    ),
    ProblemCode.MISSING_YEAR: (
        "Linje {line}: datoen »{value}« mangler et årstal.",
        "Line {line}: the date '{value}' has no year.",
    ),
    ProblemCode.WEEKDAY_MISMATCH: (
        "Linje {line}: {day} er en {actual}, ikke en {named}.",
        "Line {line}: {day} is a {actual}, not a {named}.",
    ),
    ProblemCode.UNKNOWN_FIELD: (
        "Linje {line}: feltet »{value}« kendes ikke – brug fx tid, titel, oplægsholdere, "
        "type og målgruppe.",
        "Line {line}: the field '{value}' is unknown – use e.g. time, title, speakers, kind "
        "and audience.",
    ),
    ProblemCode.INVALID_ENTRY: (
        "Linje {line}: et programpunkt skal have felter som tid og titel.",
        "Line {line}: a programme item needs fields such as time and title.",
    ),
    ProblemCode.NOT_TEXT: (
        "Filen er ikke en tekstfil. Kopiér programmet ind i en .txt-fil, eller gem det som CSV.",
        "This is not a text file. Copy the programme into a .txt file, or save it as CSV.",
    ),
    ProblemCode.NOT_YAML: (
        "Filen kan ikke læses som YAML (linje {line}): {value}",
        "The file cannot be read as YAML (line {line}): {value}",
    ),
    ProblemCode.NOT_CSV: (
        "Filen er ikke en CSV-fil. Gem programmet i Excel som »CSV UTF-8 (kommasepareret)«.",
        "This is not a CSV file. Save the programme in Excel as 'CSV UTF-8 (Comma delimited)'.",
    ),
    ProblemCode.MISSING_COLUMNS: (
        "Linje {line}: der mangler en kolonne til klokkeslæt eller programpunkt. "
        "Overskrifterne skal fx være Dato, Tid og Programpunkt.",
        "Line {line}: there is no column for the time or the title. "
        "The headers should be e.g. Date, Time and Title.",
    ),
    ProblemCode.NO_DATE: (
        "Programmet har ingen dato. Skriv datoen i en linje over programmet, fx »Program for "
        "fredag den 9. november 2018«, eller angiv den ved importen (--date).",
        "The programme has no date. Write it on a line above the programme, e.g. 'Programme "
        "for Friday 9 November 2018', or give it when importing (--date).",
    ),
    ProblemCode.NO_ITEMS: (
        "Der er ingen programpunkter – en programlinje begynder med et klokkeslæt, fx {example}.",
        "There are no programme items – a programme line starts with a time, e.g. {example}.",
    ),
}

_WEEKDAYS = (
    ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
)
_MONTHS = (
    (
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ),
    (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
)


def format_day(day: date, language: str = "da") -> str:
    """'fredag den 9. november 2018' or 'Friday 9 November 2018'."""
    if language == "en":
        return f"{_WEEKDAYS[1][day.weekday()]} {day.day} {_MONTHS[1][day.month - 1]} {day.year}"
    return f"{_WEEKDAYS[0][day.weekday()]} den {day.day}. {_MONTHS[0][day.month - 1]} {day.year}"


@dataclass(frozen=True, slots=True)
class ProgrammeProblem:
    """Why a line (or, with `line` None, the whole text) was not understood."""

    code: ProblemCode
    line: int | None = None
    source: str = ""  # the line as written
    value: str = ""  # the part that is wrong
    day: date | None = None  # for WEEKDAY_MISMATCH: the date
    named_weekday: int | None = None  # for WEEKDAY_MISMATCH: the weekday the text names

    @property
    def is_about_file(self) -> bool:
        return self.code in FILE_PROBLEMS

    def text(self, language: str = "da") -> str:
        """The reason in Danish ('da', also for any unknown language) or English ('en')."""
        index = 1 if language == "en" else 0
        weekdays = _WEEKDAYS[index] if index else tuple(name.lower() for name in _WEEKDAYS[0])
        return _REASONS[self.code][index].format(
            line=self.line,
            value=self.value,
            source=self.source,
            example=_EXAMPLE[index],
            day=format_day(self.day, "en" if index else "da") if self.day else "",
            actual=weekdays[self.day.weekday()] if self.day else "",
            named=weekdays[self.named_weekday] if self.named_weekday is not None else "",
        )


@dataclass(frozen=True, slots=True)
class ParsedDay:
    date: date
    items: tuple[ProgrammeItem, ...]


@dataclass(frozen=True, slots=True)
class ParsedProgramme:
    """What was understood, day by day, and what was not: lines by number, the file as a whole."""

    days: tuple[ParsedDay, ...]
    unparsed: tuple[ProgrammeProblem, ...] = ()  # each about one line
    file_problems: tuple[ProgrammeProblem, ...] = ()  # e.g. NO_DATE
    timezone: str = "Europe/Copenhagen"

    @property
    def items(self) -> tuple[ProgrammeItem, ...]:
        return tuple(item for day in self.days for item in day.items)

    @property
    def problems(self) -> tuple[ProgrammeProblem, ...]:
        """The file's problems first, then the lines' in order."""
        return (*self.file_problems, *self.unparsed)


def to_json(parsed: ParsedProgramme) -> dict[str, Any]:
    """What was understood, for `--json`: one day at the top level, several as `days`.

    An item's `audience` is given only when it is not for everyone, as "type:<participant type>"
    or "group:<name>" (the form the YAML import reads back).
    """
    zone = ZoneInfo(parsed.timezone)
    days: list[dict[str, Any]] = [
        {"date": day.date.isoformat(), "items": [_item_json(i, zone) for i in day.items]}
        for day in parsed.days
    ]
    unparsed = [{"line": p.line, "text": p.source} for p in parsed.unparsed]
    if len(days) > 1:
        return {"days": days, "unparsed": unparsed}
    only = days[0] if days else {"date": None, "items": []}
    return {**only, "unparsed": unparsed}


def _item_json(item: ProgrammeItem, zone: ZoneInfo) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "start": f"{item.start.astimezone(zone):%H:%M}",
        "end": f"{item.end.astimezone(zone):%H:%M}" if item.end is not None else None,
        "title": item.title,
        "speakers": list(item.speakers),
        "kind": item.kind.value,
    }
    if item.audience != EVERYONE:
        shown["audience"] = format_audience(item.audience)
    return shown


# --- Fields of an item, as a table column or a YAML key names them --------------------------


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
_TIMES = re.compile(
    rf"{_CLOCK}(?:\s*(?:–|—|-|til\b|to\b)\s*{_CLOCK})?\s*[:.,]?(?=\s|$)", re.IGNORECASE
)


def _times(fields: Fields) -> tuple[time, time | None]:
    written = _text(fields.get(Column.TIME, ""))
    if written:
        match = _TIMES.fullmatch(written)
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


# --- Titles, speakers, kinds, audiences -------------------------------------------------------

_SPEAKER_MARK = re.compile(r"/\s*[vV](?:\.|(?=\s))|(?<!\S)[vV]/|(?<!\S)v\.(?=\s)")
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
    mark = _SPEAKER_MARK.search(text)
    if mark is not None:
        speakers = split_speakers(text[mark.end() :])
        text = text[: mark.start()]
    return " ".join(text.split()).rstrip(" –—-,:;"), speakers, audience


def _speakers_field(value: str | Sequence[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return split_speakers(value)
    return tuple(" ".join(name.split()) for name in value if name.strip())


def speakers_line(text: str) -> tuple[str, ...] | None:
    """The speakers of a line that holds only them ('/v. Helle Bach Lauridsen'); else None."""
    mark = _SPEAKER_MARK.match(text.strip())
    return split_speakers(text.strip()[mark.end() :]) if mark is not None else None


_JOINS = re.compile(r"\s+(?:og|and)\s+|\s*&\s*", re.IGNORECASE)
_CONNECTIVES = frozenset({"og", "and", "&"})
_PARTICLES = frozenset(  # lower-case parts of names: Hans van Binsbergen
    {
        "af",
        "bin",
        "da",
        "de",
        "del",
        "den",
        "der",
        "di",
        "du",
        "el",
        "la",
        "le",
        "ten",
        "ter",
        "van",
        "von",
    }
)


def split_speakers(text: str) -> tuple[str, ...]:
    """'direktørerne A og B, og lederne C og D' → (A, B, C, D); see the module's docstring."""
    speakers: list[str] = []
    for piece in re.split(r"[,;]", " ".join(text.split()).strip(" .")):
        words = piece.split()
        while words and words[0].casefold() in _CONNECTIVES:
            words.pop(0)
        if not words:
            continue
        role = list(itertools.takewhile(_is_lower, words))
        name = words[len(role) :]
        if speakers and (not name or _describes(name)):
            speakers[-1] += ", " + " ".join(words)  # an affiliation or a job title
            continue
        names = [n for n in _JOINS.split(" ".join(name)) if n] if name else []
        if len(names) > 1:
            speakers.extend(_without_role(n) for n in names)
        else:
            speakers.append(" ".join(words))
    return tuple(speakers)


def _is_lower(word: str) -> bool:
    return word[:1].islower()


def _describes(words: list[str]) -> bool:
    """Whether words after a name say what or where the person is, rather than who."""
    return any(
        _is_lower(word) and word.casefold() not in _CONNECTIVES | _PARTICLES for word in words
    )


def _without_role(name: str) -> str:
    words = name.split()
    rest = list(itertools.dropwhile(_is_lower, words))
    return " ".join(rest or words)


_KIND_WORDS = re.compile(
    r"(?P<lunch>frokost|lunch)"
    r"|(?P<breakout>break-?out)"
    r"|(?P<break>pause|kaffe|coffee|\bbreak\b)"
    r"|(?P<phone_dialogue>telefon|phone|\bring(?:e|er)?\b|opkald|\bcall\b)"
    r"|(?P<group>\bgrupp|\bgroup|mandsgrupp)",
    re.IGNORECASE,
)
_GROUP_WORDS = re.compile(r"grupp|group|\bhold\b", re.IGNORECASE)


def guess_kind(title: str, speakers: Sequence[str] = ()) -> ItemKind:
    """The kind the title's first telling word suggests; see the module's docstring."""
    match = _KIND_WORDS.search(title)
    if match is not None and match.lastgroup is not None:
        return ItemKind.BREAKOUT if match.lastgroup == "group" else ItemKind(match.lastgroup)
    if speakers and all(_GROUP_WORDS.search(speaker) for speaker in speakers):
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


_EVERYONE_NAMES = frozenset({"", "alle", "for alle", "everyone", "all", "for everyone"})
_PREFIXED = re.compile(r"(type|deltagertype|participant type|gruppe|group)\s*:\s*(.+)", re.I)
_ONLY = re.compile(r"(?:kun|only|for)\b\s*:?\s*", re.IGNORECASE)


def parse_audience(text: str) -> Audience | None:
    """'kun TR', 'for: ledertrainees', 'type:representative', 'Gruppe 3', 'group:Coach A', 'alle'.

    None when the text names neither a participant type nor a group.
    """
    written = " ".join(text.split()).strip("[]").strip()
    if written.casefold() in _EVERYONE_NAMES:
        return EVERYONE
    prefixed = _PREFIXED.fullmatch(written)
    if prefixed is not None:
        value = prefixed.group(2).strip()
        if prefixed.group(1).casefold() in ("gruppe", "group"):
            return Audience(AudienceKind.GROUP, value)
        participant_type = _participant_type(value)
        return (
            Audience(AudienceKind.PARTICIPANT_TYPE, participant_type.value)
            if (participant_type)
            else None
        )
    only = _ONLY.match(written)
    rest = written[only.end() :] if only is not None else written
    participant_type = _participant_type(rest)
    if participant_type is not None:
        return Audience(AudienceKind.PARTICIPANT_TYPE, participant_type.value)
    if _GROUP_WORDS.search(rest):
        return Audience(AudienceKind.GROUP, rest)
    return None


def format_audience(audience: Audience) -> str:
    """'everyone', 'type:representative' or 'group:Gruppe 3': read back by parse_audience."""
    if audience.kind is AudienceKind.EVERYONE:
        return "everyone"
    prefix = "type" if audience.kind is AudienceKind.PARTICIPANT_TYPE else "group"
    return f"{prefix}:{audience.value}"


def _audience_or_refuse(text: str) -> Audience:
    audience = parse_audience(text)
    if audience is None:
        raise _Refused(ProblemCode.UNKNOWN_AUDIENCE, text.strip())
    return audience


_PLURAL_ENDINGS = ("erne", "ene", "ne", "er", "e", "s")


def _participant_type(text: str) -> ParticipantType | None:
    """A type named as in a sign-up list, also in the plural ('ledertrainees', 'ledere')."""
    variants = [
        [word, *(word[: -len(end)] for end in _PLURAL_ENDINGS if word.casefold().endswith(end))]
        for word in text.split()
    ]
    for words in itertools.product(*variants):
        try:
            return ParticipantType.parse(" ".join(words))
        except InvalidParticipantError:
            continue
    return None


# --- Dates ------------------------------------------------------------------------------------

_WEEKDAY_OF_NAME = {name.casefold(): i for names in _WEEKDAYS for i, name in enumerate(names)}
_MONTH_NAMES = (
    *(name.casefold() for names in _MONTHS for name in names),
    *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "oct", "nov", "dec"),
)
_WD = "|".join(sorted(_WEEKDAY_OF_NAME, key=len, reverse=True))
_MON = "|".join(sorted(set(_MONTH_NAMES), key=len, reverse=True))
_PREFIX = rf"(?:\b(?P<wd>{_WD})\b[\s,]*)?(?:\b(?:den|d\.|the)\s*)?"
_DATES = tuple(
    re.compile(_PREFIX + pattern, re.IGNORECASE)
    for pattern in (
        r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b",
        r"(?<![\d.])(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})\b",
        rf"(?<![\d.])(?P<d>\d{{1,2}})(?:\.|st|nd|rd|th)?[\s-]*(?:of\s+)?(?P<mon>{_MON})\b\.?"
        rf"(?:[,\s-]*(?P<y>\d{{4}})\b)?",
        rf"\b(?P<mon>{_MON})\b\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b,?(?:\s*(?P<y>\d{{4}})\b)?",
    )
)
_DATEPARSER_SETTINGS = {"DATE_ORDER": "DMY", "STRICT_PARSING": True}


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date written in a line: where, what it means, and what is wrong with it, if anything."""

    start: int
    end: int
    written: str
    day: date | None
    problem: ProblemCode | None = None
    named_weekday: int | None = None

    def as_problem(self, line: int, source: str) -> ProgrammeProblem | None:
        if self.problem is None:
            return None
        return ProgrammeProblem(
            self.problem, line, source, self.written, self.day, self.named_weekday
        )


def find_date(text: str, year: int | None) -> DateMention | None:
    """The first date in the text, read with dateparser in Danish and English.

    A date without a year takes `year`; without one either, it is MISSING_YEAR.
    """
    matches = [m for pattern in _DATES if (m := pattern.search(text)) is not None]
    if not matches:
        return None
    match = min(matches, key=lambda m: (m.start(), -m.end()))
    written = match.group(0).strip()
    named = _WEEKDAY_OF_NAME.get((match.group("wd") or "").casefold())
    groups = match.groupdict()
    stated_year = groups.get("y")
    if stated_year is None and year is None:
        return DateMention(match.start(), match.end(), written, None, ProblemCode.MISSING_YEAR)
    phrase = (
        f"{groups['d']} {groups['mon']} {stated_year or year}"
        if groups.get("mon")
        else f"{groups['d']}.{groups['m']}.{stated_year}"
    )
    parsed = dateparser.parse(phrase, languages=["da", "en"], settings=_DATEPARSER_SETTINGS)
    if parsed is None:
        return DateMention(match.start(), match.end(), written, None, ProblemCode.INVALID_DATE)
    day = parsed.date()
    mismatch = named is not None and named != day.weekday()
    problem = ProblemCode.WEEKDAY_MISMATCH if mismatch else None
    return DateMention(match.start(), match.end(), written, day, problem, named)


def parse_date(text: str, year: int | None = None) -> date | None:
    """A date given on its own ('2020-10-27', '27. oktober 2020', 'fredag den 9. november')."""
    mention = find_date(text, year)
    if mention is None or mention.problem is not None or text[: mention.start].strip():
        return None
    return mention.day if not text[mention.end :].strip(" .") else None


# --- Reading a text ---------------------------------------------------------------------------


@dataclass(slots=True)
class DraftDay:
    """The items of one day while reading; `date` is None until a date is known."""

    date: date | None
    entries: list[Entry] = field(default_factory=list)
    by_heading: bool = False  # the date came from a day heading, not from a line of prose


def parse_programme(
    text: str,
    default_date: date | None,
    timezone: str = "Europe/Copenhagen",
    *,
    today: date | None = None,
) -> ParsedProgramme:
    """The programme in a pasted or uploaded text; see the module's docstring for the format.

    `default_date` is the date of items before any date line and gives the year of dates
    written without one; else `today` does.
    """
    reader = _TextReader(default_date, today)
    for number, raw in enumerate(text.splitlines(), start=1):
        reader.read(number, raw)
    return assemble(reader.days, reader.problems, timezone)


_DAY_NUMBER = re.compile(r"\b(?:dag|day)\s+(?P<n>\d{1,2})\b", re.IGNORECASE)
_HEADING_WORDS = frozenset(
    {"program", "programme", "programmet", "for", "den", "d", "the", "dag", "day", "og", "and"}
) | frozenset(_WEEKDAY_OF_NAME)
_TABLE_RULE = re.compile(r"[\s|:+\-–—=]+")


class _TextReader:
    """Reads lines one by one into days of entries and line problems."""

    def __init__(self, default_date: date | None, today: date | None) -> None:
        known = default_date or today
        self.year = known.year if known is not None else None
        self.anchor = (default_date, 1) if default_date else None  # (date, its day number)
        self.days: list[DraftDay] = [DraftDay(default_date)]
        self.problems: list[ProgrammeProblem] = []
        self.roles: list[Column] = []  # of the last table header's cells
        self.seen_item = False  # headings are passed over only before the first item

    @property
    def current(self) -> DraftDay:
        return self.days[-1]

    def read(self, number: int, raw: str) -> None:
        line = _plain(raw)
        if not line or _TABLE_RULE.fullmatch(line):
            return
        if _TIMES.match(line):
            self._item(number, raw.strip(), line)
        elif self._header(line):
            return
        elif (speakers := speakers_line(line)) is not None and self.current.entries:
            last = self.current.entries[-1]
            self.current.entries[-1] = replace(last, speakers=last.speakers + speakers)
        elif not self._day(number, raw.strip(), line) and self.seen_item:
            self.problems.append(ProgrammeProblem(ProblemCode.NOT_UNDERSTOOD, number, raw.strip()))

    def _item(self, number: int, source: str, line: str) -> None:
        cells = [cell.strip() for cell in line.split("\t")]
        fields: dict[Column, str] = {}
        if len(cells) > 1 and _TIMES.fullmatch(cells[0]):
            roles = [*self.roles[1:], *[Column.TITLE] * len(cells)]
            for role, cell in zip(roles, cells[1:], strict=False):
                fields[role] = f"{fields[role]} {cell}" if role in fields else cell
            fields[Column.TIME] = cells[0]
        else:
            match = _TIMES.match(line)
            assert match is not None
            fields = {Column.TIME: match.group(0), Column.TITLE: line[match.end() :]}
        entry = entry_from_fields(number, source, fields)
        self.seen_item = True
        if isinstance(entry, ProgrammeProblem):
            self.problems.append(entry)
        else:
            self.current.entries.append(entry)

    def _header(self, line: str) -> bool:
        """A table's header line ('Tid	Programpunkt'); its columns say what later cells hold."""
        cells = [cell.strip() for cell in line.split("\t") if cell.strip()]
        if len(cells) == 1:
            cells = cells[0].split()
        roles = [column_named(cell) for cell in cells]
        if not roles or None in roles or roles[0] not in (Column.TIME, Column.START):
            return False
        self.roles = [role for role in roles if role is not None] if "\t" in line else []
        return True

    def _day(self, number: int, source: str, line: str) -> bool:
        """Whether the line gives a day (a date, 'Dag 2', 'Program for lørdag'); if so, begin it."""
        mention = find_date(line, self.year)
        day_number = _DAY_NUMBER.search(line)
        rest = _without(line, mention, day_number)
        heading = _only_heading_words(rest)
        if self.seen_item and not heading:
            return False  # after the first item only a plain day heading begins a day
        weekday = _weekday_in(rest) if heading else None
        if mention is None and day_number is None and weekday is None:
            return False
        day = self._date_of(number, source, mention, day_number, weekday)
        if self.current.entries:
            self.days.append(DraftDay(day, by_heading=True))
        elif heading or not self.current.by_heading:  # a heading's date is not overruled by prose
            if day is not None or mention is not None:
                self.current.date = day
            self.current.by_heading = self.current.by_heading or heading
        return True

    def _date_of(
        self,
        number: int,
        source: str,
        mention: DateMention | None,
        day_number: re.Match[str] | None,
        weekday: int | None,
    ) -> date | None:
        if mention is not None:
            problem = mention.as_problem(number, source)
            if problem is not None:
                self.problems.append(problem)
            if mention.day is not None:
                self.year = mention.day.year  # for the next date written without a year
            if day_number is not None and mention.day is not None:
                self.anchor = (mention.day, int(day_number.group("n")))
            return mention.day
        if day_number is not None:
            if self.anchor is None:
                return None
            anchor_date, anchor_number = self.anchor
            return anchor_date + timedelta(days=int(day_number.group("n")) - anchor_number)
        assert weekday is not None
        known = self.current.date
        if known is None:
            return None
        if not self.current.entries:
            if known.weekday() != weekday:
                mismatch = ProblemCode.WEEKDAY_MISMATCH
                self.problems.append(ProgrammeProblem(mismatch, number, source, "", known, weekday))
            return known
        return known + timedelta(days=(weekday - known.weekday() - 1) % 7 + 1)


def _plain(raw: str) -> str:
    """The line without Markdown: headings, bullets, bold and table pipes (pipes become tabs)."""
    line = raw.strip().replace("**", "").replace("__", "")
    line = re.sub(r"^#+\s*|^[-*•]\s+(?=\S)", "", line)
    if line.startswith("|"):
        line = "\t".join(cell.strip() for cell in line.strip("|").split("|"))
    return line.strip()


def _without(line: str, mention: DateMention | None, day_number: re.Match[str] | None) -> str:
    spans = [day_number.span()] if day_number is not None else []
    if mention is not None:
        spans.append((mention.start, mention.end))
    for start, end in sorted(spans, reverse=True):
        line = line[:start] + " " + line[end:]
    return line


def _only_heading_words(text: str) -> bool:
    words = re.findall(r"[^\W\d_]+", text)
    return not re.search(r"\d", text) and all(word.casefold() in _HEADING_WORDS for word in words)


def _weekday_in(text: str) -> int | None:
    named = (_WEEKDAY_OF_NAME.get(word.casefold()) for word in re.findall(r"[^\W\d_]+", text))
    return next((day for day in named if day is not None), None)


def assemble(
    days: Sequence[DraftDay], problems: Sequence[ProgrammeProblem], timezone: str
) -> ParsedProgramme:
    """Dated programme items from the days read; days of one date are merged.

    An entry without an end ends when the next item of its day begins; the day's last stays a
    moment. Days that have items but no date make the whole text NO_DATE.
    """
    zone = ZoneInfo(timezone)
    by_date: dict[date, list[Entry]] = {}
    undated = False
    for day in days:
        if day.date is None:
            undated = undated or bool(day.entries)
        elif day.entries:
            by_date.setdefault(day.date, []).extend(day.entries)
    file_problems: list[ProgrammeProblem] = []
    if undated:
        file_problems.append(ProgrammeProblem(ProblemCode.NO_DATE))
    if not by_date and not undated:
        file_problems.append(ProgrammeProblem(ProblemCode.NO_ITEMS))
    parsed_days = tuple(
        ParsedDay(day, _dated(day, entries, zone)) for day, entries in sorted(by_date.items())
    )
    unparsed = tuple(sorted(problems, key=lambda p: p.line or 0))
    return ParsedProgramme(parsed_days, unparsed, tuple(file_problems), timezone)


def _dated(day: date, entries: list[Entry], zone: ZoneInfo) -> tuple[ProgrammeItem, ...]:
    ordered = sorted(entries, key=lambda entry: entry.start)
    starts = [entry.start for entry in ordered]
    items = []
    for entry in ordered:
        end = entry.end or next((s for s in starts if s > entry.start), None)
        items.append(
            ProgrammeItem(
                start=datetime.combine(day, entry.start, tzinfo=zone),
                end=datetime.combine(day, end, tzinfo=zone) if end is not None else None,
                title=entry.title,
                kind=entry.kind,
                speakers=entry.speakers,
                description=entry.description,
                link=entry.link,
                audience=entry.audience,
            )
        )
    return tuple(items)
