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

import re
from dataclasses import replace
from datetime import date, timedelta

from traef.programme_calendar import WEEKDAY_OF_NAME
from traef.programme_dates import DateMention, find_date
from traef.programme_fields import TIMES, Column, column_named, entry_from_fields
from traef.programme_parsed import DraftDay, ParsedProgramme, assemble
from traef.programme_people import speakers_line
from traef.programme_problems import ProblemCode, ProgrammeProblem


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
) | frozenset(WEEKDAY_OF_NAME)
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
        if TIMES.match(line):
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
        if len(cells) > 1 and TIMES.fullmatch(cells[0]):
            roles = [*self.roles[1:], *[Column.TITLE] * len(cells)]
            for role, cell in zip(roles, cells[1:], strict=False):
                fields[role] = f"{fields[role]} {cell}" if role in fields else cell
            fields[Column.TIME] = cells[0]
        else:
            match = TIMES.match(line)
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
    named = (WEEKDAY_OF_NAME.get(word.casefold()) for word in re.findall(r"[^\W\d_]+", text))
    return next((day for day in named if day is not None), None)
