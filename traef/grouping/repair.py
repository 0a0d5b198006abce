"""Repair, not re-plan: late arrivals, departures and partners who do not answer.

Each function changes as few existing assignments as possible and says exactly whom to tell:
`moved` are people already placed who now sit in another group, `changed` the groups (by index
in the returned groups) whose members changed, so everyone in them can be told.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from traef.grouping.history import History
from traef.grouping.people import Group, GroupingError, Person, PersonId
from traef.grouping.search import REPEAT_WEIGHT
from traef.grouping.sizes import size_bounds


@dataclass(frozen=True, slots=True)
class Repair:
    """The repaired groups. Groups keep their index; an emptied group is left out at the end,
    so indices of later groups shift only then. `moved`: placed people now in another group;
    `placed`: arrivals and where they went; `changed`: indices of groups whose members changed;
    `dropped`: people taken out (left, or did not answer)."""

    groups: tuple[Group, ...]
    moved: frozenset[PersonId]
    placed: frozenset[PersonId]
    changed: frozenset[int]
    dropped: frozenset[PersonId] = frozenset()

    @property
    def to_tell(self) -> frozenset[PersonId]:
        """Everyone whose group changed: the members of the changed groups."""
        return frozenset(person for number in self.changed for person in self.groups[number])


class _Groups:
    """Mutable groups with the cost of adding one person to each, for one repair."""

    def __init__(
        self,
        groups: Sequence[Sequence[PersonId]],
        people: Mapping[PersonId, Person],
        history: History,
        size: int,
        locked: Collection[int],
    ) -> None:
        self.groups = [list(group) for group in groups]
        self.people = people
        self.history = history
        self.low, self.high = size_bounds(size)
        self.size = size
        self.locked = set(locked)
        self.home = {person: number for number, group in enumerate(groups) for person in group}
        self.moved: set[PersonId] = set()
        self.changed: set[int] = set()

    def open_groups(self) -> list[int]:
        return [n for n, group in enumerate(self.groups) if group and n not in self.locked]

    def cost(self, person: PersonId, number: int) -> int:
        """What `person` adds to group `number`: earlier partners weigh most, then the same
        unit and the same level."""
        me = self.people[person]
        total = 0
        for other in self.groups[number]:
            if other == person:
                continue
            them = self.people[other]
            total += REPEAT_WEIGHT * self.history.met(person, other)
            total += (me.unit == them.unit) + (me.level == them.level)
        return total

    def put(self, person: PersonId, number: int) -> None:
        self.groups[number].append(person)
        self.changed.add(number)
        if person in self.home and self.home[person] != number:
            self.moved.add(person)

    def take(self, person: PersonId) -> int:
        number = next(n for n, group in enumerate(self.groups) if person in group)
        self.groups[number].remove(person)
        self.changed.add(number)
        return number

    def donor(self, receiver: int) -> PersonId | None:
        """Who should move to `receiver` from an open group that stays large enough without
        them: from the largest such group, the one whose move costs least."""
        best: tuple[int, int, PersonId] | None = None
        for number in self.open_groups():
            group = self.groups[number]
            if number == receiver or len(group) <= self.low:
                continue
            for person in group:
                gain = self.cost(person, receiver) - self.cost(person, number)
                if best is None or (-len(group), gain) < best[:2]:
                    best = (-len(group), gain, person)
        return None if best is None else best[2]

    def result(self, placed: set[PersonId], dropped: set[PersonId]) -> Repair:
        numbers = [n for n, group in enumerate(self.groups) if group]
        renumber = {old: new for new, old in enumerate(numbers)}
        return Repair(
            groups=tuple(tuple(self.groups[n]) for n in numbers),
            moved=frozenset(self.moved),
            placed=frozenset(placed),
            changed=frozenset(renumber[n] for n in self.changed if n in renumber),
            dropped=frozenset(dropped),
        )


def repair(
    groups: Sequence[Sequence[PersonId]],
    people: Sequence[Person] | Mapping[PersonId, Person],
    *,
    arrived: Sequence[PersonId] = (),
    left: Sequence[PersonId] = (),
    history: History | None = None,
    size: int = 4,
    locked: Collection[int] = (),
) -> Repair:
    """Take out who left and place who arrived, moving as few people as possible.

    `groups` is the current round, `people` at least everyone in it and the arrivals, `history`
    the earlier rounds, `locked` indices of groups nobody joins or leaves except by leaving the
    event. A single arrival or departure moves at most `size` − 1 people (at most one in pairs):
    - an arrival joins the group with room (`size` + 1 at most) where they fit best; in pairs, a
      triad gives up one person to be their partner; when every group is full, a new group is
      made of the arrival and people from the fullest groups;
    - a group that falls below its smallest size takes one person from a group that can spare
      one, or else its members join other groups.
    """
    by_id = people if isinstance(people, Mapping) else {p.id: p for p in people}
    state = _Groups(groups, by_id, history or History(), size, locked)
    gone: set[PersonId] = set()
    for person in left:
        if person in state.home and person not in gone:
            state.take(person)
            gone.add(person)
    placed: set[PersonId] = set()
    for person in arrived:
        if person in state.home and person not in gone:
            continue
        if person not in by_id:
            raise GroupingError(f"Unknown person {person!r}.")
        _place(state, person)
        placed.add(person)
    for number in range(len(state.groups)):
        if 0 < len(state.groups[number]) < state.low:
            _refill(state, number)
    return state.result(placed, gone)


def replace_partner(
    groups: Sequence[Sequence[PersonId]],
    people: Sequence[Person] | Mapping[PersonId, Person],
    *,
    requester: PersonId,
    no_show: PersonId,
    waiting: Sequence[PersonId] = (),
    history: History | None = None,
    size: int = 2,
    locked: Collection[int] = (),
) -> Repair:
    """ "My partner does not answer": take `no_show` out and find `requester` a new partner.

    A triad simply goes on as a pair. Otherwise the requester is paired with the best of
    `waiting` (people without a partner, e.g. whose partner also failed), else with one person
    of a triad, else joins the best pair as a third. `no_show` is in `dropped`: they are placed
    again only when they come back as an arrival.
    """
    by_id = people if isinstance(people, Mapping) else {p.id: p for p in people}
    state = _Groups(groups, by_id, history or History(), size, locked)
    if requester not in state.home or no_show not in state.home:
        raise GroupingError("The requester and the partner must both be placed.")
    number = state.home[requester]
    if state.home[no_show] != number:
        raise GroupingError(f"{no_show!r} is not in the group of {requester!r}.")
    state.take(no_show)
    candidates = [p for p in waiting if p not in state.home and p != no_show]
    placed: set[PersonId] = set()
    if len(state.groups[number]) < state.low and candidates:
        unknown = [p for p in candidates if p not in by_id]
        if unknown:
            raise GroupingError(f"Unknown person {unknown[0]!r}.")
        partner = min(candidates, key=lambda p: state.cost(p, number))
        state.put(partner, number)
        placed.add(partner)
    if len(state.groups[number]) < state.low:
        _refill(state, number)
    return state.result(placed, {no_show})


def _place(state: _Groups, person: PersonId) -> None:
    """An arrival: into a group that is too small, else (pairs) with one from a triad, else
    into the best group with room, else into a new group filled from the fullest groups."""
    open_groups = state.open_groups()
    too_small = [n for n in open_groups if len(state.groups[n]) < state.low]
    if too_small:
        state.put(person, _best(state, person, too_small))
        return
    if state.size == 2 and any(len(state.groups[n]) > state.size for n in open_groups):
        _new_group(state, person)
        return
    with_room = [n for n in open_groups if len(state.groups[n]) < state.high]
    if with_room:
        state.put(person, _best(state, person, with_room))
        return
    _new_group(state, person)


def _new_group(state: _Groups, person: PersonId) -> None:
    state.groups.append([])
    number = len(state.groups) - 1
    state.put(person, number)
    _refill(state, number)


def _best(state: _Groups, person: PersonId, choices: list[int]) -> int:
    """The group among `choices` where `person` adds least; smaller groups break ties."""
    return min(choices, key=lambda n: (state.cost(person, n), len(state.groups[n]), n))


def _refill(state: _Groups, number: int) -> None:
    """A group below its smallest size takes people from groups that can spare one (the
    largest first); when none can, its members join other groups instead."""
    if number not in state.locked:
        while len(state.groups[number]) < state.low:
            found = state.donor(number)
            if found is None:
                break
            state.take(found)
            state.put(found, number)
        if len(state.groups[number]) >= state.low:
            return
    if len(state.groups[number]) >= 2 and number in state.locked:
        return
    for person in list(state.groups[number]):
        state.take(person)
        choices = [n for n in state.open_groups() if n != number]
        roomy = [n for n in choices if len(state.groups[n]) < state.high]
        if not choices:
            state.put(person, number)
            return
        state.put(person, _best(state, person, roomy or choices))
