"""Who is grouped: plain ids with the unit and level to spread, taken from the participants."""

from __future__ import annotations

import re
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from traef.errors import TraefError
from traef.participants import Participant, Status

PersonId: TypeAlias = Hashable
Group: TypeAlias = tuple[PersonId, ...]


class GroupingError(TraefError):
    """The people or the options cannot be grouped: too few people, a bad size, a bad lock."""


@dataclass(frozen=True, slots=True)
class Person:
    """One person to place: an id the caller understands, an organisation unit and a level."""

    id: PersonId
    unit: str = ""
    level: str = ""


def present_people(
    participants: Iterable[Participant], only: Collection[int] | None = None
) -> list[Person]:
    """The checked-in participants, or exactly those in `only` (a list the facilitator passes).

    Cancelled participants are never included. Participants without an id are skipped.
    """
    people = []
    for participant in participants:
        if participant.id is None or not participant.is_active:
            continue
        wanted = (
            participant.id in only if only is not None else participant.status is Status.CHECKED_IN
        )
        if wanted:
            people.append(
                Person(participant.id, participant.department.strip(), participant.level.strip())
            )
    return people


def fixed_groups(participants: Iterable[Participant]) -> list[Group]:
    """The fixed groups named on the participants ("Gruppe 3" → the ids in it), by name order.

    A participant in several fixed groups is locked into the first name only.
    """
    by_name: dict[str, list[PersonId]] = {}
    for participant in participants:
        if participant.id is None or not participant.groups:
            continue
        by_name.setdefault(min(participant.groups), []).append(participant.id)
    return [tuple(by_name[name]) for name in sorted(by_name, key=_natural_key)]


def _natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """'Gruppe 2' before 'Gruppe 10'."""
    parts = re.split(r"(\d+)", name.casefold())
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts)


def index_people(people: Sequence[Person]) -> dict[PersonId, int]:
    """Position of each id in `people`; raises on a repeated id."""
    index: dict[PersonId, int] = {}
    for position, person in enumerate(people):
        if person.id in index:
            raise GroupingError(f"The id {person.id!r} is listed twice.")
        index[person.id] = position
    return index
