"""Forming breakout groups and phone pairs: deal evenly, then improve by swaps.

Pure functions over plain ids. A round is dealt by sorting people by unit and level and dealing
them round the groups like cards, so every unit (and, nearly, every level) is spread evenly;
local search (`search.SwapSearch`) then removes repeats of earlier partners and what is left of
the level imbalance. Locked groups are kept as given; the rest are grouped around them.
All randomness comes from the seed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from traef.grouping.designs import longest_design
from traef.grouping.history import History
from traef.grouping.people import Group, GroupingError, Person, PersonId, index_people
from traef.grouping.quality import QualityReport, assess
from traef.grouping.search import ScheduleSearch, SwapSearch
from traef.grouping.sizes import group_sizes, size_bounds

DEFAULT_SIZE = 4
_JOINT_LIMIT = 300  # people; above it rounds are only improved one by one


@dataclass(frozen=True, slots=True)
class Round:
    """The groups of one round. `merged_units`: units too small for a group of their own, grouped
    together (within-units mode). `unlocked`: locked people grouped freely because nobody else
    of their locked group is present."""

    groups: tuple[Group, ...]
    merged_units: tuple[str, ...] = ()
    unlocked: tuple[PersonId, ...] = ()

    def group_of(self, person: PersonId) -> int | None:
        """The index of the person's group, or None when they are not placed."""
        for number, group in enumerate(self.groups):
            if person in group:
                return number
        return None


@dataclass(frozen=True, slots=True)
class Plan:
    rounds: tuple[Round, ...]
    quality: QualityReport = field(compare=False)

    def to_json(self) -> dict[str, list[dict[str, list[list[str]]]]]:
        """`{"rounds": [{"groups": [["id", ...], ...]}, ...]}` with ids as strings."""
        return {
            "rounds": [
                {"groups": [[str(person) for person in group] for group in round_.groups]}
                for round_ in self.rounds
            ]
        }


def plan_round(
    people: Sequence[Person],
    *,
    size: int = DEFAULT_SIZE,
    history: History | None = None,
    locked: Sequence[Sequence[PersonId]] = (),
    within_units: bool = False,
    seed: int = 0,
) -> Round:
    """Groups of `size` (2: phone pairs, one triad for an odd count) for these people.

    Every person is placed exactly once. Locked groups (their present members) are kept as they
    are; a locked group with one person present releases that person. `history` holds earlier
    rounds of the event, whose pairs are not repeated when that can be avoided.
    """
    return _RoundPlanner(people, size, history or History(), within_units).plan(
        locked, np.random.default_rng(seed)
    )


def plan_rounds(
    people: Sequence[Person],
    *,
    rounds: int,
    size: int = DEFAULT_SIZE,
    history: History | None = None,
    locked: Sequence[Sequence[PersonId]] = (),
    within_units: bool = False,
    seed: int = 0,
) -> Plan:
    """`rounds` consecutive rounds, none repeating a pair of an earlier one when avoidable.

    Rounds are planned one after the other; when that leaves repeats and a known repeat-free
    schedule exists for this many people (e.g. 32 people in 8 groups of 4 for 10 rounds), the
    schedule is used instead, with people placed on it to spread units and levels.
    """
    if rounds < 1:
        raise GroupingError("A plan needs at least one round.")
    known = history or History()
    planner = _RoundPlanner(people, size, known, within_units)
    planned = []
    for number in range(rounds):
        round_ = planner.plan(locked, np.random.default_rng([seed, number]))
        planned.append(round_)
        planner.history = planner.history.after(round_.groups)
    quality = assess([r.groups for r in planned], people, known, locked)
    if quality.repeats and not locked and not within_units and not known.partners:
        from_design = _plan_from_design(people, size, rounds, seed)
        if from_design is not None:
            planner.history = known.after(*(r.groups for r in from_design))
            for number in range(len(from_design), rounds):
                round_ = planner.plan((), np.random.default_rng([seed, number]))
                from_design.append(round_)
                planner.history = planner.history.after(round_.groups)
            designed = assess([r.groups for r in from_design], people, known)
            if designed.repeats < quality.repeats:
                planned, quality = from_design, designed
    if quality.repeats and not within_units and len(people) <= _JOINT_LIMIT:
        planned = _improve_together(planned, people, known, locked, seed)
        quality = assess([r.groups for r in planned], people, known, locked)
    return Plan(tuple(planned), quality)


def _improve_together(
    planned: list[Round],
    people: Sequence[Person],
    history: History,
    locked: Sequence[Sequence[PersonId]],
    seed: int,
) -> list[Round]:
    """Swap inside the rounds, all rounds at once, to undo repeats. Groups with a locked
    person are left as they are (and if they hold anyone else, nothing is changed)."""
    fixed = {person for group in locked for person in group}
    free = [person for person in people if person.id not in fixed]
    index = {person.id: position for position, person in enumerate(free)}
    met = np.zeros((len(free), len(free)), dtype=np.int64)
    for person in free:
        for other in history.partners_of(person.id):
            if other in index:
                met[index[person.id], index[other]] = 1
    movable = [
        [group for group in round_.groups if all(p in index for p in group)] for round_ in planned
    ]
    if len(free) < 2 or any(sum(map(len, groups)) != len(free) for groups in movable):
        return planned
    search = ScheduleSearch(
        [[[index[p] for p in group] for group in groups] for groups in movable],
        _codes([p.unit for p in free]),
        _codes([p.level for p in free]),
        met,
        np.random.default_rng([seed, len(planned), 2]),
    )
    improved = search.improve(evaluations=3000)
    result = []
    for round_, groups, better in zip(planned, movable, improved, strict=True):
        kept = tuple(group for group in round_.groups if group not in groups)
        new = tuple(tuple(free[p].id for p in group) for group in better)
        result.append(Round(kept + new, round_.merged_units, round_.unlocked))
    return result


class _RoundPlanner:
    """Plans single rounds for one population; `history` grows between rounds."""

    def __init__(
        self, people: Sequence[Person], size: int, history: History, within_units: bool
    ) -> None:
        if size < 2:
            raise GroupingError(f"A group needs at least two people, not {size}.")
        self.people = list(people)
        self.index = index_people(self.people)
        self.size = size
        self.history = history
        self.within_units = within_units
        self.unit_codes = _codes([p.unit for p in self.people])
        self.level_codes = _codes([p.level for p in self.people])

    def plan(self, locked: Sequence[Sequence[PersonId]], rng: np.random.Generator) -> Round:
        if len(self.people) < 2:
            raise GroupingError("Grouping needs at least two people.")
        kept, released = self._locked_groups(locked)
        in_locked = {person for group in kept for person in group}
        free = [i for i in range(len(self.people)) if i not in in_locked]
        merged: tuple[str, ...] = ()
        if len(free) == 1 and kept:
            smallest = min(range(len(kept)), key=lambda number: len(kept[number]))
            kept[smallest] = [*kept[smallest], free[0]]
            free = []
        if self.within_units:
            blocks, merged = self._unit_blocks(free)
        else:
            blocks = [free] if free else []
        groups = [list(group) for group in kept]
        for block in blocks:
            groups.extend(self._group_block(block, rng))
        ids = tuple(tuple(self.people[i].id for i in group) for group in groups)
        unlocked = tuple(self.people[i].id for i in released)
        return Round(ids, merged, unlocked)

    def _locked_groups(
        self, locked: Sequence[Sequence[PersonId]]
    ) -> tuple[list[list[int]], list[int]]:
        """The present members of each locked group; those left alone are released."""
        kept: list[list[int]] = []
        released: list[int] = []
        seen: set[PersonId] = set()
        for group in locked:
            present = []
            for person in group:
                if person in seen:
                    raise GroupingError(f"{person!r} is in two locked groups.")
                seen.add(person)
                if person in self.index:
                    present.append(self.index[person])
            if len(present) >= 2:
                kept.append(present)
            else:
                released.extend(present)
        return kept, released

    def _unit_blocks(self, free: list[int]) -> tuple[list[list[int]], tuple[str, ...]]:
        """One block per unit; units too small for a group are pooled (and named)."""
        by_unit: dict[str, list[int]] = {}
        for person in free:
            by_unit.setdefault(self.people[person].unit, []).append(person)
        low, _ = size_bounds(self.size)
        blocks = [members for members in by_unit.values() if len(members) >= low]
        small = [unit for unit, members in by_unit.items() if len(members) < low]
        pool = [person for unit in small for person in by_unit[unit]]
        if pool and (len(pool) >= low or not blocks):
            blocks.append(pool)
        elif pool:
            smallest = min(blocks, key=len)
            smallest.extend(pool)
            small.append(self.people[smallest[0]].unit)
        return blocks, tuple(small)

    def _group_block(self, block: list[int], rng: np.random.Generator) -> list[list[int]]:
        """Deal the block into groups, then improve them by swaps."""
        units = self.unit_codes[block]
        levels = self.level_codes[block]
        groups = _deal(len(group_sizes(len(block), self.size)), units, levels, rng)
        search = SwapSearch(groups, units, levels, self._partners(block), rng)
        search.improve(max_evaluations=2000 + len(block), patience=500 + len(block) // 5)
        return [[block[position] for position in group] for group in search.groups()]

    def _partners(self, block: list[int]) -> list[np.ndarray]:
        """Each block member's earlier partners, as positions within the block."""
        local = {self.people[person].id: position for position, person in enumerate(block)}
        result = []
        for person in block:
            known = self.history.partners_of(self.people[person].id)
            positions = sorted(local[other] for other in known if other in local)
            result.append(np.array(positions, dtype=np.int64))
        return result


def _codes(values: list[str]) -> np.ndarray:
    """Small integer codes, most frequent value first."""
    order = {value: code for code, (value, _) in enumerate(Counter(values).most_common())}
    return np.array([order[value] for value in values], dtype=np.int64)


def _deal(
    count: int, units: np.ndarray, levels: np.ndarray, rng: np.random.Generator
) -> list[list[int]]:
    """Sort by unit, level and chance, and deal round the `count` groups like cards: every unit
    is spread exactly evenly, levels nearly so."""
    chance = rng.permutation(len(units))
    order = np.lexsort((chance, levels, units))
    groups: list[list[int]] = [[] for _ in range(count)]
    for position, person in enumerate(order.tolist()):
        groups[position % count].append(person)
    return groups


def _plan_from_design(
    people: Sequence[Person], size: int, rounds: int, seed: int
) -> list[Round] | None:
    """Up to `rounds` rounds of the longest known repeat-free schedule, people placed on its
    points by swaps that lower the same-unit and same-level pairs summed over those rounds."""
    schedule = longest_design(len(people), size)
    if schedule is None:
        return None
    schedule = schedule[:rounds]
    rng = np.random.default_rng([seed, rounds, 1])
    placement = _place_on_design(
        schedule, _codes([p.unit for p in people]), _codes([p.level for p in people]), rng
    )
    return [
        Round(tuple(tuple(people[placement[point]].id for point in group) for group in round_))
        for round_ in schedule
    ]


def _place_on_design(
    schedule: list[list[list[int]]], units: np.ndarray, levels: np.ndarray, rng: np.random.Generator
) -> list[int]:
    """Who stands on each point: start at random, swap two people when that does not add
    same-kind pairs over the rounds."""
    count = len(units)
    group_of = np.array(
        [
            [
                number
                for point in range(count)
                for number, group in enumerate(round_)
                if point in group
            ]
            for round_ in schedule
        ],
        dtype=np.int64,
    )
    rounds = np.arange(len(schedule))
    person_at = rng.permutation(count)
    kinds = [units, levels]
    tallies = []
    for codes in kinds:
        tally = np.zeros((len(schedule), len(schedule[0]), int(codes.max()) + 1), dtype=np.int64)
        for point in range(count):
            tally[rounds, group_of[:, point], codes[person_at[point]]] += 1
        tallies.append(tally)
    for _ in range(300 * count):
        one, other = (int(x) for x in rng.choice(count, size=2, replace=False))
        a, b = person_at[one], person_at[other]
        here, there = group_of[:, one], group_of[:, other]
        apart = here != there
        delta = 0
        for codes, tally in zip(kinds, tallies, strict=True):
            if codes[a] == codes[b]:
                continue
            ca, cb = codes[a], codes[b]
            change = (
                tally[rounds, here, cb]
                + tally[rounds, there, ca]
                - tally[rounds, here, ca]
                - tally[rounds, there, cb]
                + 2
            )
            delta += int(change[apart].sum())
        if delta <= 0:
            for codes, tally in zip(kinds, tallies, strict=True):
                tally[rounds[apart], here[apart], codes[a]] -= 1
                tally[rounds[apart], there[apart], codes[a]] += 1
                tally[rounds[apart], there[apart], codes[b]] -= 1
                tally[rounds[apart], here[apart], codes[b]] += 1
            person_at[one], person_at[other] = b, a
    return person_at.tolist()
