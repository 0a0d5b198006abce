"""Participant lists as spreadsheets export them: read, checked row by row, and written back.

A list arrives as the bytes of a CSV file from Excel or a course portal: UTF-8 with or without
BOM (or Windows-1252 from older Excel), separated by `;`, `,` or tabs, with Danish or English
headers. Line numbers are those Excel shows: the header is line 1.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from traef.contact import format_phone, normalise_email, normalise_phone
from traef.errors import InvalidEmailError, InvalidParticipantError, InvalidPhoneError
from traef.participants import Participant, ParticipantType, Status, canonical_choice
from traef.programme import Event


class Column(StrEnum):
    NAME = "name"
    EMAIL = "email"
    DEPARTMENT = "department"
    AREA = "area"
    LEVEL = "level"
    PHONE = "phone"
    PARTICIPANT_TYPE = "participant_type"
    STATUS = "status"  # written for the reader; an import leaves a participant's status alone


REQUIRED_COLUMNS = (Column.NAME, Column.EMAIL, Column.DEPARTMENT, Column.LEVEL)

# Headers as a spreadsheet may name them, compared without case, spaces and hyphens.
_HEADER_NAMES: dict[Column, str] = {
    Column.NAME: "Navn|Fulde navn|Fuldt navn|Name|Full name",
    Column.EMAIL: "E-mail|Mail|E-mailadresse|Mailadresse|E-mail address",
    Column.DEPARTMENT: "Afdeling|Magistratsafdeling|Forvaltning|Department",
    Column.AREA: "Område|Enhed|Arbejdssted|Area|Unit",
    Column.LEVEL: "Stilling|Niveau|Ledelsesniveau|Lederniveau|Level",
    Column.PHONE: "Telefon|Telefonnummer|Tlf|Tlf. nr.|Mobil|Mobilnummer|Mobiltelefon|"
    "Phone|Phone number|Mobile",
    Column.PARTICIPANT_TYPE: "Deltagertype|Type|Participant type",
    Column.STATUS: "Status",
}
HEADERS: dict[Column, tuple[str, str]] = {  # (Danish, English), as written and shown
    Column.NAME: ("Navn", "Name"),
    Column.EMAIL: ("E-mail", "E-mail"),
    Column.DEPARTMENT: ("Afdeling", "Department"),
    Column.AREA: ("Område", "Area"),
    Column.LEVEL: ("Stilling", "Level"),
    Column.PHONE: ("Telefon", "Phone"),
    Column.PARTICIPANT_TYPE: ("Deltagertype", "Participant type"),
    Column.STATUS: ("Status", "Status"),
}
TYPE_NAMES: dict[ParticipantType, str] = {  # each is read back by ParticipantType.parse
    ParticipantType.LEADER: "Leder",
    ParticipantType.TRAINEE: "Ledertrainee",
    ParticipantType.EXTERNAL_LEADER: "Ekstern leder",
    ParticipantType.REPRESENTATIVE: "TR/arbejdsmiljø",
}
STATUS_NAMES: dict[Status, str] = {
    Status.SIGNED_UP: "Tilmeldt",
    Status.CANCELLED: "Afmeldt",
    Status.CHECKED_IN: "Tjekket ind",
}


class ProblemCode(StrEnum):
    NOT_CSV = "not_csv"
    EMPTY_FILE = "empty_file"
    MISSING_COLUMNS = "missing_columns"
    NO_ROWS = "no_rows"
    MISSING_NAME = "missing_name"
    MISSING_EMAIL = "missing_email"
    INVALID_EMAIL = "invalid_email"
    DUPLICATE_EMAIL = "duplicate_email"
    MISSING_DEPARTMENT = "missing_department"
    UNKNOWN_DEPARTMENT = "unknown_department"
    MISSING_LEVEL = "missing_level"
    UNKNOWN_LEVEL = "unknown_level"
    INVALID_PHONE = "invalid_phone"
    UNKNOWN_PARTICIPANT_TYPE = "unknown_participant_type"


FILE_PROBLEMS = frozenset(
    {ProblemCode.NOT_CSV, ProblemCode.EMPTY_FILE, ProblemCode.MISSING_COLUMNS, ProblemCode.NO_ROWS}
)

# (Danish, English); {line}, {value}, {choices} and {other_line} are filled in.
_REASONS: dict[ProblemCode, tuple[str, str]] = {
    ProblemCode.NOT_CSV: (
        "Filen er ikke en CSV-fil. Gem listen i Excel som »CSV UTF-8 (kommasepareret)«.",
        "This is not a CSV file. Save the list in Excel as 'CSV UTF-8 (Comma delimited)'.",
    ),
    ProblemCode.EMPTY_FILE: ("Filen er tom.", "The file is empty."),
    ProblemCode.MISSING_COLUMNS: (
        "Linje {line}: der mangler en kolonne til {choices}. "
        "Overskrifterne skal fx være Navn, E-mail, Afdeling og Stilling.",
        "Line {line}: there is no column for {choices}. "
        "The headers should be e.g. Name, E-mail, Department and Level.",
    ),
    ProblemCode.NO_ROWS: (
        "Filen har overskrifter, men ingen deltagere.",
        "The file has headers but no participants.",
    ),
    ProblemCode.MISSING_NAME: (
        "Linje {line}: navnet mangler.",
        "Line {line}: the name is missing.",
    ),
    ProblemCode.MISSING_EMAIL: (
        "Linje {line}: e-mailadressen mangler – den bruges til at kende deltageren igen.",
        "Line {line}: the e-mail address is missing – it is how we know the participant.",
    ),
    ProblemCode.INVALID_EMAIL: (
        "Linje {line}: e-mailadressen »{value}« er ikke gyldig.",
        "Line {line}: the e-mail address '{value}' is not valid.",
    ),
    ProblemCode.DUPLICATE_EMAIL: (
        "Linje {line}: e-mailadressen »{value}« står også på linje {other_line}.",
        "Line {line}: the e-mail address '{value}' is also on line {other_line}.",
    ),
    ProblemCode.MISSING_DEPARTMENT: (
        "Linje {line}: afdelingen mangler – vælg en af {choices}.",
        "Line {line}: the department is missing – choose one of {choices}.",
    ),
    ProblemCode.UNKNOWN_DEPARTMENT: (
        "Linje {line}: afdelingen »{value}« kendes ikke – vælg en af {choices}.",
        "Line {line}: the department '{value}' is unknown – choose one of {choices}.",
    ),
    ProblemCode.MISSING_LEVEL: (
        "Linje {line}: stillingen mangler – vælg en af {choices}.",
        "Line {line}: the level is missing – choose one of {choices}.",
    ),
    ProblemCode.UNKNOWN_LEVEL: (
        "Linje {line}: stillingen »{value}« kendes ikke – vælg en af {choices}.",
        "Line {line}: the level '{value}' is unknown – choose one of {choices}.",
    ),
    ProblemCode.INVALID_PHONE: (
        "Linje {line}: telefonnummeret »{value}« kan ikke bruges – et dansk nummer har 8 cifre, "
        "og et udenlandsk skal starte med + og landekode.",
        "Line {line}: the phone number '{value}' cannot be used – a Danish number has 8 digits, "
        "and a foreign one must start with + and the country code.",
    ),
    ProblemCode.UNKNOWN_PARTICIPANT_TYPE: (
        "Linje {line}: deltagertypen »{value}« kendes ikke – vælg en af {choices}.",
        "Line {line}: the participant type '{value}' is unknown – choose one of {choices}.",
    ),
}
_AND, _OR = ("og", "and"), ("eller", "or")


@dataclass(frozen=True, slots=True)
class RosterProblem:
    """Why a line (or the whole file) cannot be imported; `text` says it in Danish or English."""

    line: int
    code: ProblemCode
    column: Column | None = None
    value: str = ""
    choices: tuple[str, ...] = ()  # what the cell may hold; for MISSING_COLUMNS, the headers
    other_line: int | None = None

    @property
    def is_about_file(self) -> bool:
        """The file as a whole cannot be read; skipping lines does not help."""
        return self.code in FILE_PROBLEMS

    def text(self, language: str = "da") -> str:
        """The reason in Danish ('da', also for any unknown language) or English ('en')."""
        index = 1 if language == "en" else 0
        if self.code is ProblemCode.MISSING_COLUMNS:
            columns = [HEADERS[Column(c)][index].lower() for c in self.choices]
            choices = _listing(columns, _AND[index])
        else:
            choices = _listing(list(self.choices), _OR[index])
        return _REASONS[self.code][index].format(
            line=self.line, value=self.value, choices=choices, other_line=self.other_line
        )


@dataclass(frozen=True, slots=True)
class RosterRow:
    """A line of the list, checked: ready to become (or update) a participant."""

    line: int
    name: str
    email: str
    department: str
    level: str
    area: str = ""
    participant_type: ParticipantType = ParticipantType.LEADER
    phone: str | None = None  # E.164
    stated: frozenset[Column] = frozenset(REQUIRED_COLUMNS)  # the columns with a value


@dataclass(frozen=True, slots=True)
class RosterParse:
    rows: list[RosterRow]
    problems: list[RosterProblem]


def parse_roster(data: bytes, event: Event) -> RosterParse:
    """The rows that can be imported and the problems of the others, each with its line number."""
    text = _decoded(data)
    if text is None:
        return RosterParse([], [RosterProblem(1, ProblemCode.NOT_CSV)])
    try:
        records = _records(text)
        header = _header(records)
        if header is None:
            return RosterParse([], [RosterProblem(1, ProblemCode.EMPTY_FILE)])
        return _parse_rows(header, records, event)
    except csv.Error:
        return RosterParse([], [RosterProblem(1, ProblemCode.NOT_CSV)])


def write_roster(participants: list[Participant]) -> bytes:
    """A CSV file Excel opens as it is (UTF-8 with BOM, `;`, Danish headers); it parses back."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(danish for danish, _ in HEADERS.values())
    for participant in participants:
        cells = (
            participant.name,
            participant.email or "",
            participant.department,
            participant.area,
            participant.level,
            format_phone(participant.phone) if participant.phone else "",
            TYPE_NAMES[participant.participant_type],
            STATUS_NAMES[participant.status],
        )
        writer.writerow(_guarded(cell) for cell in cells)
    return buffer.getvalue().encode("utf-8-sig")


def _decoded(data: bytes) -> str | None:
    """The text of the file, or None when it is no text at all (an .xlsx, a picture)."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # .xlsx (zip) or .xls
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")  # older Excel "CSV" on Windows
    return None if "\x00" in text else text.lstrip("\ufeff")


@dataclass(frozen=True, slots=True)
class Record:
    line: int
    cells: tuple[str, ...]


_DELIMITERS = ";,\t"


def _records(text: str) -> Iterator[Record]:
    """The non-blank records with their line numbers as Excel shows them."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    skip = 0
    if lines and re.fullmatch(r"sep=.", lines[0]):  # Excel's own hint; Excel hides this line
        delimiter, skip = lines[0][-1], 1
    else:  # the first line that has any separator is the header (or a title padded by Excel)
        first = next((line for line in lines if any(d in line for d in _DELIMITERS)), "")
        delimiter = max(_DELIMITERS, key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for number, cells in enumerate(reader, start=1 - skip):
        cleaned = tuple(_unguarded(cell.strip()) for cell in cells)
        if number >= 1 and any(cleaned):
            yield Record(number, cleaned)


@dataclass(frozen=True, slots=True)
class Header:
    line: int
    columns: dict[Column, list[int]]  # a column may appear twice: 'Telefon' and 'Mobil'

    @property
    def missing(self) -> tuple[Column, ...]:
        return tuple(column for column in REQUIRED_COLUMNS if column not in self.columns)


def _header(records: Iterator[Record], lines_to_search: int = 10) -> Header | None:
    """The first record naming all required columns, after any title lines; else the first."""
    first: Header | None = None
    for _, record in zip(range(lines_to_search), records, strict=False):
        header = Header(record.line, _columns(record.cells))
        if not header.missing:
            return header
        first = first or header
    return first


def _parse_rows(header: Header, records: Iterator[Record], event: Event) -> RosterParse:
    if header.missing:
        problem = RosterProblem(header.line, ProblemCode.MISSING_COLUMNS, choices=header.missing)
        return RosterParse([], [problem])
    rows: list[RosterRow] = []
    problems: list[RosterProblem] = []
    first_line_of: dict[str, int] = {}
    for record in records:
        cells = {column: _cell(record, places) for column, places in header.columns.items()}
        row, row_problems = _checked_row(record.line, cells, event, first_line_of)
        if row is not None:
            rows.append(row)
        problems.extend(row_problems)
    if not rows and not problems:
        problems.append(RosterProblem(header.line, ProblemCode.NO_ROWS))
    return RosterParse(rows, problems)


def _columns(header: tuple[str, ...]) -> dict[Column, list[int]]:
    """Where each known column is; a column named twice ('Telefon', 'Mobil') is read in order."""
    found: dict[Column, list[int]] = {}
    for index, title in enumerate(header):
        column = _column_named(title)
        if column is not None:
            found.setdefault(column, []).append(index)
    return found


def _column_named(title: str) -> Column | None:
    """'E-mail' → EMAIL; 'Område/Enhed' and 'Telefon/Mobil' as well."""
    for name in (title, *title.split("/")):
        column = _COLUMN_OF_KEY.get(_key(name))
        if column is not None:
            return column
    return None


def _key(title: str) -> str:
    return re.sub(r"[\s\-_.:*()]+", "", title.casefold())


_COLUMN_OF_KEY = {
    _key(name): column for column, names in _HEADER_NAMES.items() for name in names.split("|")
}


def _cell(record: Record, indexes: list[int]) -> str:
    """The first non-empty cell of the column's places in this record."""
    values = (record.cells[i] for i in indexes if i < len(record.cells))
    return next((value for value in values if value), "")


def _checked_row(
    line: int, cells: dict[Column, str], event: Event, first_line_of: dict[str, int]
) -> tuple[RosterRow | None, list[RosterProblem]]:
    """The row checked cell by cell, with every problem found; no row when there is any."""
    problems: list[RosterProblem] = []
    name = " ".join(cells[Column.NAME].split())
    if not name:
        problems.append(RosterProblem(line, ProblemCode.MISSING_NAME, Column.NAME))
    email = _email(line, cells[Column.EMAIL], problems)
    if email is not None:
        _check_unique(line, email, first_line_of, problems)
    department = _choice(line, cells, Column.DEPARTMENT, event.departments, problems)
    level = _choice(line, cells, Column.LEVEL, event.levels, problems)
    phone = _phone(line, cells.get(Column.PHONE, ""), problems)
    kind = _participant_type(line, cells.get(Column.PARTICIPANT_TYPE, ""), problems)
    if problems or email is None or department is None or level is None or kind is None:
        return None, problems
    area = cells.get(Column.AREA, "")
    stated = frozenset(column for column, value in cells.items() if value)
    return RosterRow(line, name, email, department, level, area, kind, phone, stated), problems


def _check_unique(
    line: int, email: str, first_line_of: dict[str, int], problems: list[RosterProblem]
) -> None:
    """The address belongs to its first line in the file; later lines with it are problems."""
    first = first_line_of.setdefault(email, line)
    if first != line:
        code = ProblemCode.DUPLICATE_EMAIL
        problems.append(RosterProblem(line, code, Column.EMAIL, email, other_line=first))


def _email(line: int, text: str, problems: list[RosterProblem]) -> str | None:
    if not text:
        problems.append(RosterProblem(line, ProblemCode.MISSING_EMAIL, Column.EMAIL))
        return None
    try:
        return normalise_email(text)
    except InvalidEmailError:
        problems.append(RosterProblem(line, ProblemCode.INVALID_EMAIL, Column.EMAIL, text))
        return None


_MISSING = {
    Column.DEPARTMENT: ProblemCode.MISSING_DEPARTMENT,
    Column.LEVEL: ProblemCode.MISSING_LEVEL,
}
_UNKNOWN = {
    Column.DEPARTMENT: ProblemCode.UNKNOWN_DEPARTMENT,
    Column.LEVEL: ProblemCode.UNKNOWN_LEVEL,
}


def _choice(
    line: int,
    cells: dict[Column, str],
    column: Column,
    choices: tuple[str, ...],
    problems: list[RosterProblem],
) -> str | None:
    """A department or level spelt as the event configures it."""
    text = cells[column]
    if not text:
        problems.append(RosterProblem(line, _MISSING[column], column, choices=choices))
        return None
    try:
        return canonical_choice(text, choices, column.value)
    except InvalidParticipantError:
        problems.append(RosterProblem(line, _UNKNOWN[column], column, text, choices))
        return None


def _phone(line: int, text: str, problems: list[RosterProblem]) -> str | None:
    if not text:
        return None
    digits = re.sub(r"\s", "", text)
    if len(digits) == 10 and digits.startswith("45") and digits.isdigit():
        digits = "+" + digits  # Excel turned '+4512345678' into the number 4512345678
    try:
        return normalise_phone(digits)
    except InvalidPhoneError:
        problems.append(RosterProblem(line, ProblemCode.INVALID_PHONE, Column.PHONE, text))
        return None


def _participant_type(
    line: int, text: str, problems: list[RosterProblem]
) -> ParticipantType | None:
    """The type named in the cell; a leader when the cell is empty."""
    if not text:
        return ParticipantType.LEADER
    try:
        return ParticipantType.parse(text)
    except InvalidParticipantError:
        names = tuple(TYPE_NAMES.values())
        code = ProblemCode.UNKNOWN_PARTICIPANT_TYPE
        problems.append(RosterProblem(line, code, Column.PARTICIPANT_TYPE, text, names))
        return None


def _listing(words: list[str], conjunction: str) -> str:
    """'a', 'a og b', 'a, b og c'."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _guarded(cell: str) -> str:
    """A cell Excel will not run as a formula: names typed in a chat can start with '='."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _unguarded(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_STARTS) else cell
