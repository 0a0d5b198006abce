"""Programmes from files: YAML (and JSON, which YAML reads), CSV from Excel, and plain text.

A YAML file holds one day or several, with Danish or English keys (as the CSV headers):

    date: 2018-11-09                 # or "9. november 2018"; else the default date
    items:
      - time: 8.30 – 8.50            # or start: "8:30" and end: "8:50"
        title: Opsamling – hvad skete der i går?
        speakers: [Helle Bach Lauridsen]     # or "Helle Bach Lauridsen og Jens Lassen"
        kind: plenary                # plenum, breakout, telefondialog, pause, frokost; else guessed
        audience: "type:representative"     # or "kun TR", "group:Gruppe 3", "Gruppe 3"
        description: …
        link: https://…

or `days: [{date: …, items: […]}, …]`, or just a list of items (each may carry its own date).
What `--json` prints is read back as it is. Every scalar is read as text, so `8:30` stays a
time and `08.30` keeps its zero.

A CSV file has a header row (Dato, Tid or Start/Slut, Programpunkt, Oplægsholder, Type,
Målgruppe, Beskrivelse, Link; or in English), separated by `;`, `,` or tabs, UTF-8 or
Windows-1252 as Excel saves it. Line numbers are those of the file, the header being line 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import PurePath
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from traef.programme_dates import find_date
from traef.programme_fields import Column, Entry, column_named, entry_from_fields
from traef.programme_parsed import DraftDay, ParsedProgramme, assemble
from traef.programme_problems import ProblemCode, ProgrammeProblem
from traef.programme_text import parse_programme

YAML_SUFFIXES = frozenset({".yaml", ".yml", ".json"})
CSV_SUFFIXES = frozenset({".csv"})


def parse_file(
    name: str,
    data: bytes,
    default_date: date | None,
    timezone: str = "Europe/Copenhagen",
    *,
    today: date | None = None,
) -> ParsedProgramme:
    """The programme in a file, read as its name's suffix says: YAML/JSON, CSV, else text."""
    suffix = PurePath(name).suffix.casefold()
    if suffix in YAML_SUFFIXES:
        return parse_yaml(data, default_date, timezone, today=today)
    if suffix in CSV_SUFFIXES:
        return parse_csv(data, default_date, timezone, today=today)
    text = decode_text(data)
    if text is None:
        return ParsedProgramme((), (), (ProgrammeProblem(ProblemCode.NOT_TEXT),), timezone)
    return parse_programme(text, default_date, timezone, today=today)


def decode_text(data: bytes) -> str | None:
    """The text of a file, or None when it is no text (a Word or Excel file, a picture)."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")):
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    return None if "\x00" in text else text.lstrip("\ufeff")


class _Years:
    """The year for dates written without one: the last one read, the default date's, today's."""

    def __init__(self, default_date: date | None, today: date | None) -> None:
        known = default_date or today
        self.year = known.year if known is not None else None

    def read(self, text: str, line: int, source: str) -> date | ProgrammeProblem:
        mention = find_date(text, self.year)
        if mention is None or text[: mention.start].strip() or text[mention.end :].strip(" ."):
            return ProgrammeProblem(ProblemCode.INVALID_DATE, line, source, text)
        problem = mention.as_problem(line, source)
        if problem is not None:
            return problem
        assert mention.day is not None
        self.year = mention.day.year
        return mention.day


class _Days:
    """Entries gathered by date, in the order the dates first appear."""

    def __init__(self) -> None:
        self.days: dict[date | None, DraftDay] = {}

    def add(self, day: date | None, entry: Entry) -> None:
        self.days.setdefault(day, DraftDay(day)).entries.append(entry)


# --- YAML -------------------------------------------------------------------------------------

_LINE = "\0line"  # where the loader notes a mapping's line number
_NULLS = frozenset({"null", "Null", "NULL", "~"})


class _LineLoader(yaml.BaseLoader):
    """Reads every scalar as text and notes each mapping's line number."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=True)
        mapping[_LINE] = node.start_mark.line + 1
        return mapping


class ItemRecord(BaseModel):
    """One item of a YAML file, its keys already mapped to columns."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: str = ""
    time: str = ""
    start: str = ""
    end: str = ""
    title: str = ""
    speakers: str | list[str] = ""
    kind: str = ""
    audience: str = ""
    description: str = ""
    link: str = ""


_DOCUMENT_KEYS = {
    "date": "date",
    "dato": "date",
    "items": "items",
    "punkter": "items",
    "programpunkter": "items",
    "program": "items",
    "programme": "items",
    "days": "days",
    "dage": "days",
    "unparsed": "unparsed",  # as `--json` prints it: passed over
}


def parse_yaml(
    data: bytes | str,
    default_date: date | None,
    timezone: str = "Europe/Copenhagen",
    *,
    today: date | None = None,
) -> ParsedProgramme:
    text = data if isinstance(data, str) else decode_text(data)
    if text is None:
        return ParsedProgramme((), (), (ProgrammeProblem(ProblemCode.NOT_TEXT),), timezone)
    try:
        document = yaml.load(text, Loader=_LineLoader)  # builds no objects, only text
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = str(getattr(error, "problem", "") or error)
        problem = ProgrammeProblem(ProblemCode.NOT_YAML, line, value=reason)
        return ParsedProgramme((), (), (problem,), timezone)
    reader = _YamlReader(text, default_date, today)
    reader.document(document)
    return assemble(list(reader.days.days.values()), reader.problems, timezone)


class _YamlReader:
    def __init__(self, text: str, default_date: date | None, today: date | None) -> None:
        self.lines = text.splitlines()
        self.default_date = default_date
        self.years = _Years(default_date, today)
        self.days = _Days()
        self.problems: list[ProgrammeProblem] = []

    def document(self, document: Any) -> None:
        if isinstance(document, list):
            self.items(document, self.default_date, 1)
        elif isinstance(document, dict):
            self.day(document, self.default_date)
        elif isinstance(document, str) and document.strip() and document not in _NULLS:
            self.problems.append(ProgrammeProblem(ProblemCode.INVALID_ENTRY, 1, self.source(1)))

    def day(self, mapping: dict[Any, Any], day: date | None) -> None:
        line = mapping.pop(_LINE)
        parts: dict[str, Any] = {}
        for key, value in mapping.items():
            part = _DOCUMENT_KEYS.get(str(key).casefold().strip())
            if part is None:
                self.problems.append(self.problem(ProblemCode.UNKNOWN_FIELD, line, str(key)))
            else:
                parts[part] = value
        if isinstance(parts.get("date"), str) and parts["date"] not in _NULLS:
            read = self.years.read(parts["date"], line, self.source(line))
            if isinstance(read, ProgrammeProblem):
                self.problems.append(read)  # and the day's items have no date: NO_DATE
            day = read if isinstance(read, date) else None
        days = parts.get("days") or []
        for each in days if isinstance(days, list) else [days]:
            if isinstance(each, dict):
                self.day(each, day)
            else:
                self.problems.append(self.problem(ProblemCode.INVALID_ENTRY, line))
        self.items(parts.get("items") or [], day, line)

    def items(self, items: Any, day: date | None, line: int) -> None:
        if not isinstance(items, list):
            self.problems.append(self.problem(ProblemCode.INVALID_ENTRY, line))
            return
        for item in items:
            if isinstance(item, dict):
                self.item(item, day)
            else:
                self.problems.append(self.problem(ProblemCode.INVALID_ENTRY, line))

    def item(self, mapping: dict[Any, Any], day: date | None) -> None:
        line = mapping.pop(_LINE)
        fields: dict[str, Any] = {}
        for key, value in mapping.items():
            column = column_named(str(key))
            if column is None:
                self.problems.append(self.problem(ProblemCode.UNKNOWN_FIELD, line, str(key)))
                return
            fields[column.value] = "" if isinstance(value, str) and value in _NULLS else value
        try:
            record = ItemRecord.model_validate(fields)
        except ValidationError:
            self.problems.append(self.problem(ProblemCode.INVALID_ENTRY, line))
            return
        if record.date:
            read = self.years.read(record.date, line, self.source(line))
            if isinstance(read, ProgrammeProblem):
                self.problems.append(read)
                return
            day = read
        columns = {Column(name): value for name, value in record.model_dump().items() if value}
        entry = entry_from_fields(line, self.source(line), columns)
        if isinstance(entry, ProgrammeProblem):
            self.problems.append(entry)
        else:
            self.days.add(day, entry)

    def source(self, line: int) -> str:
        return self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""

    def problem(self, code: ProblemCode, line: int, value: str = "") -> ProgrammeProblem:
        return ProgrammeProblem(code, line, self.source(line), value)


# --- CSV --------------------------------------------------------------------------------------

_DELIMITERS = ";,\t"


def parse_csv(
    data: bytes | str,
    default_date: date | None,
    timezone: str = "Europe/Copenhagen",
    *,
    today: date | None = None,
) -> ParsedProgramme:
    text = data if isinstance(data, str) else decode_text(data)
    if text is None:
        return ParsedProgramme((), (), (ProgrammeProblem(ProblemCode.NOT_CSV),), timezone)
    try:
        records = list(_records(text))
    except csv.Error:
        return ParsedProgramme((), (), (ProgrammeProblem(ProblemCode.NOT_CSV),), timezone)
    header = next((i for i, (_, cells) in enumerate(records[:10]) if _is_header(cells)), None)
    if header is None:
        line = records[0][0] if records else 1
        problem = ProgrammeProblem(ProblemCode.MISSING_COLUMNS, line)
        return ParsedProgramme((), (), (problem,), timezone)
    columns = [column_named(cell) for cell in records[header][1]]
    lines = text.splitlines()
    years = _Years(default_date, today)
    days = _Days()
    problems: list[ProgrammeProblem] = []
    for line, cells in records[header + 1 :]:
        source = lines[line - 1].strip() if line <= len(lines) else ""
        fields = {c: v for c, v in zip(columns, cells, strict=False) if c is not None and v}
        day = years.read(fields[Column.DATE], line, source) if fields.get(Column.DATE) else None
        entry = entry_from_fields(line, source, fields)
        if isinstance(day, ProgrammeProblem):
            problems.append(day)
        elif isinstance(entry, ProgrammeProblem):
            problems.append(entry)
        else:
            days.add(day or default_date, entry)
    return assemble(list(days.days.values()), problems, timezone)


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """The non-blank records, each with the line it starts on."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(_DELIMITERS, key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for cells in reader:
        cleaned = [cell.strip() for cell in cells]
        if any(cleaned):
            yield start, cleaned
        start = reader.line_num + 1


def _is_header(cells: list[str]) -> bool:
    columns = {column_named(cell) for cell in cells}
    return Column.TITLE in columns and bool({Column.TIME, Column.START} & columns)
