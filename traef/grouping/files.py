"""Grouping lists as files: people and locked groups read from CSV, plans as JSON and CSV.

A list is the bytes of a CSV file: UTF-8 with or without BOM or Windows-1252, separated by `;`,
`,` or tabs, with English or Danish headers. People need the columns id, name, unit and level;
locked groups the columns group and id (or group and name). Line numbers are those Excel
shows: the header is line 1.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from traef.grouping.people import Group, GroupingError, Person, PersonId

_ALIASES: dict[str, frozenset[str]] = {
    "id": frozenset({"id", "nr", "nummer", "deltagerid", "participantid"}),
    "name": frozenset({"name", "navn", "fuldenavn", "fulldname"}),
    "unit": frozenset({"unit", "enhed", "afdeling", "department", "magistratsafdeling"}),
    "level": frozenset({"level", "niveau", "stilling", "ledelsesniveau"}),
    "group": frozenset({"group", "gruppe", "groupname", "gruppenavn"}),
}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROOM_HEADERS = {
    "da": ("Runde", "Gruppe", "Navn", "Enhed", "Niveau", "Id"),
    "en": ("Round", "Group", "Name", "Unit", "Level", "Id"),
}


class ProblemCode(StrEnum):
    EMPTY_FILE = "empty_file"
    NOT_TEXT = "not_text"
    MISSING_COLUMNS = "missing_columns"
    NOBODY = "nobody"
    MISSING_ID = "missing_id"
    DUPLICATE_ID = "duplicate_id"
    MISSING_GROUP = "missing_group"
    UNKNOWN_PERSON = "unknown_person"
    NOT_A_PLAN = "not_a_plan"


@dataclass(frozen=True, slots=True)
class FileProblem:
    """What is wrong, and where: `line` as Excel numbers it (None: the whole file)."""

    code: ProblemCode
    line: int | None = None
    detail: str = ""


class GroupingFileError(GroupingError):
    """A list that cannot be used."""

    def __init__(self, problems: Sequence[FileProblem]) -> None:
        super().__init__("; ".join(f"{p.line}: {p.code} {p.detail}" for p in problems))
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class ListedPerson:
    """A person as the list names them: the id as written, the name for printing."""

    id: str
    name: str
    unit: str
    level: str

    @property
    def person(self) -> Person:
        return Person(self.id, self.unit, self.level)


def read_people(data: bytes) -> list[ListedPerson]:
    """The people of a CSV list with columns id, name, unit and level (in any order)."""
    rows = _rows(data, ("id", "name", "unit", "level"))
    problems: list[FileProblem] = []
    people: list[ListedPerson] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        if not row["id"]:
            problems.append(FileProblem(ProblemCode.MISSING_ID, line))
        elif row["id"] in seen:
            problems.append(FileProblem(ProblemCode.DUPLICATE_ID, line, row["id"]))
        else:
            seen[row["id"]] = line
            people.append(
                ListedPerson(row["id"], row["name"] or row["id"], row["unit"], row["level"])
            )
    if problems:
        raise GroupingFileError(problems)
    if not people:
        raise GroupingFileError([FileProblem(ProblemCode.NOBODY)])
    return people


def read_locked(data: bytes, people: Sequence[ListedPerson]) -> list[Group]:
    """Locked groups from a CSV list with columns group and id (or group and name), in the
    order the groups first appear."""
    by_id = {person.id: person.id for person in people}
    by_name = {person.name.casefold(): person.id for person in people}
    rows = _rows(data, ("group",), one_of=("id", "name"))
    groups: dict[str, list[PersonId]] = {}
    problems: list[FileProblem] = []
    for line, row in rows:
        key = row.get("id") or row.get("name", "")
        found = by_id.get(key) if row.get("id") else by_name.get(key.casefold())
        if not row["group"]:
            problems.append(FileProblem(ProblemCode.MISSING_GROUP, line))
        elif found is None:
            problems.append(FileProblem(ProblemCode.UNKNOWN_PERSON, line, key))
        else:
            groups.setdefault(row["group"], []).append(found)
    if problems:
        raise GroupingFileError(problems)
    return [tuple(members) for members in groups.values()]


def plan_json(rounds: Iterable[Sequence[Sequence[PersonId]]]) -> str:
    """`{"rounds": [{"groups": [["id", ...], ...]}, ...]}`, ids as strings, a group a line."""
    blocks = []
    for groups in rounds:
        lines = ",\n".join(
            "      " + json.dumps([str(person) for person in group], ensure_ascii=False)
            for group in groups
        )
        blocks.append('    {"groups": [\n' + lines + "\n    ]}")
    return '{"rounds": [\n' + ",\n".join(blocks) + "\n]}\n"


def read_plan(data: bytes) -> list[list[list[str]]]:
    """The rounds of a plan written by `plan_json`."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
        rounds = [
            [[str(person) for person in group] for group in round_["groups"]]
            for round_ in document["rounds"]
        ]
    except (ValueError, KeyError, TypeError) as error:
        raise GroupingFileError([FileProblem(ProblemCode.NOT_A_PLAN, None, str(error))]) from error
    return rounds


def rooms_csv(
    rounds: Sequence[Sequence[Sequence[PersonId]]],
    people: Sequence[ListedPerson],
    language: str = "da",
) -> bytes:
    """One line per person per round, for pasting into breakout rooms by hand (Excel: `;`)."""
    by_id = {person.id: person for person in people}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(ROOM_HEADERS[language])
    for round_number, groups in enumerate(rounds, start=1):
        for group_number, group in enumerate(groups, start=1):
            for person_id in group:
                person = by_id[str(person_id)]
                cells = (person.name, person.unit, person.level, person.id)
                writer.writerow([round_number, group_number, *(_guarded(c) for c in cells)])
    return buffer.getvalue().encode("utf-8-sig")


def _rows(
    data: bytes, required: tuple[str, ...], one_of: tuple[str, ...] = ()
) -> list[tuple[int, dict[str, str]]]:
    text = _decoded(data)
    records = [
        (number, [cell.strip() for cell in cells])
        for number, cells in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)), start=1
        )
        if any(cell.strip() for cell in cells)
    ]
    if not records:
        raise GroupingFileError([FileProblem(ProblemCode.EMPTY_FILE)])
    line, header = records[0]
    columns = {_column(title): index for index, title in reversed(list(enumerate(header)))}
    missing = [name for name in required if name not in columns]
    if one_of and not any(name in columns for name in one_of):
        missing.append(" or ".join(one_of))
    if missing:
        raise GroupingFileError(
            [FileProblem(ProblemCode.MISSING_COLUMNS, line, ", ".join(missing))]
        )
    wanted = [name for name in (*required, *one_of) if name in columns]
    return [
        (number, {name: _cell(cells, columns[name]) for name in wanted})
        for number, cells in records[1:]
    ]


def _decoded(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise GroupingFileError([FileProblem(ProblemCode.NOT_TEXT)])
    return text


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max(";,\t", key=first.count)


def _column(title: str) -> str | None:
    key = "".join(char for char in title.casefold() if char.isalnum())
    return next((name for name, aliases in _ALIASES.items() if key in aliases), None)


def _cell(cells: list[str], index: int) -> str:
    cell = cells[index] if index < len(cells) else ""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_STARTS) else cell


def _guarded(cell: str) -> str:
    """A cell Excel will not run as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell
