"""Fixed groups (e.g. the seeds' 4-person and sparring groups) read from the organisers' lists.

The format is the seeds': a line `Gruppe 1:` followed by one name a line, blank lines and
headings (`4 mandsgrupper`) ignored. Names are matched to the event's participants, ignoring
case and spacing; a group's name is kept as written (`Gruppe 1`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from traef.errors import TraefError
from traef.ports import UnitOfWork
from traef.programme import Event

_GROUP_LINE = re.compile(r"^\s*((?:gruppe|group|sparringsgruppe|hold)\s*\d+)\s*:?\s*$", re.I)
_PARTICLES = {"van", "von", "de", "la", "le", "af", "da", "di", "du", "der", "den"}


class FixedGroupsRefusedError(TraefError):
    """Names that match no participant, or one person in two groups: nothing was changed."""

    def __init__(self, unknown: list[str], twice: list[str]) -> None:
        super().__init__(f"{len(unknown)} unknown name(s), {len(twice)} in two groups.")
        self.unknown = unknown
        self.twice = twice


@dataclass(frozen=True, slots=True)
class FixedGroupsReport:
    groups: int
    members: int


def parse_fixed_groups(text: str) -> dict[str, list[str]]:
    """Group name → the names listed under it, in order."""
    groups: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        line = " ".join(raw.split())
        header = _GROUP_LINE.match(line)
        if header:
            name = " ".join(header.group(1).split()).capitalize()
            current = groups.setdefault(name, [])
        elif line and current is not None:
            if _looks_like_name(line):
                current.append(line)
            else:
                current = None  # the list is over: a heading or other text follows
    return {name: names for name, names in groups.items() if names}


async def import_fixed_groups(uow: UnitOfWork, event: Event, text: str) -> FixedGroupsReport:
    """Make each listed person a member of their group; earlier members of those groups leave."""
    assert event.id is not None
    groups = parse_fixed_groups(text)
    async with uow:
        people = await uow.participants.for_event(event.id)
        by_name = {_key(p.name): p for p in people if p.is_active}
        unknown = [n for names in groups.values() for n in names if _key(n) not in by_name]
        listed = [_key(n) for names in groups.values() for n in names]
        twice = sorted({n for n in listed if listed.count(n) > 1})
        if unknown or twice or not groups:
            raise FixedGroupsRefusedError(unknown, twice)
        member_of = {_key(n): group for group, names in groups.items() for n in names}
        for person in people:
            kept = frozenset(g for g in person.groups if g not in groups)
            wanted = kept | (
                {member_of[_key(person.name)]} if _key(person.name) in member_of else set()
            )
            if wanted != person.groups:
                await uow.participants.update(replace(person, groups=frozenset(wanted)))
        await uow.commit()
    return FixedGroupsReport(len(groups), len(member_of))


def _looks_like_name(line: str) -> bool:
    """'Hans van Binsbergen', 'Jan Beyer Schmidt-Sørensen' — not '4 mandsgrupper' or 'I grupper'."""
    words = line.split()
    if not 2 <= len(words) <= 6 or any(ch.isdigit() for ch in line):
        return False
    return all(
        (word[0].isupper() and word.replace("-", "").replace("'", "").isalpha())
        or word in _PARTICLES
        for word in words
    )


def _key(name: str) -> str:
    return " ".join(name.casefold().split())
