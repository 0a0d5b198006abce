"""Local search over swaps: spread units and levels, avoid earlier partners.

People are indices 0..n-1 here; `engine` translates ids. The objective is
REPEAT_WEIGHT · (pairs that met before) + same-unit pairs + same-level pairs, and a swap of two
people in different groups changes it by an amount computed from per-group counts, for every
possible partner of a swap at once (numpy). Only swaps that do not worsen it are made, so group
sizes never change and the result is never worse than the deal it started from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

REPEAT_WEIGHT = 1000
_FORBIDDEN = np.int64(1) << 40

IntArray = NDArray[np.int64]


class SwapSearch:
    """Groups of people with unit and level codes and earlier partners, improved by swaps."""

    def __init__(
        self,
        groups: Sequence[Sequence[int]],
        units: IntArray,
        levels: IntArray,
        partners: Sequence[IntArray],
        rng: np.random.Generator,
    ) -> None:
        self.units = units
        self.levels = levels
        self.partners = partners
        self.partner_sets = [frozenset(p.tolist()) for p in partners]
        self.has_history = any(p.size for p in partners)
        self.rng = rng
        self.members = [list(group) for group in groups]
        people = len(units)
        self.group_of = np.zeros(people, dtype=np.int64)
        for number, group in enumerate(self.members):
            self.group_of[group] = number
        count = len(self.members)
        self.unit_counts = np.zeros((count, int(units.max(initial=0)) + 1), dtype=np.int64)
        self.level_counts = np.zeros((count, int(levels.max(initial=0)) + 1), dtype=np.int64)
        np.add.at(self.unit_counts, (self.group_of, units), 1)
        np.add.at(self.level_counts, (self.group_of, levels), 1)
        self.repeats = np.zeros(people, dtype=np.int64)
        for group in self.members:
            self._count_repeats(group)

    def groups(self) -> list[list[int]]:
        return [list(group) for group in self.members]

    def improve(self, max_evaluations: int, patience: int, sideways: float = 0.3) -> None:
        """Swap until nothing is out of balance, `patience` tries bring no gain, or the budget
        of evaluated swaps is spent. Deterministic for a given generator state."""
        if len(self.members) < 2:
            return
        evaluations = 0
        since_gain = 0
        while evaluations < max_evaluations and since_gain < patience:
            candidates = self._candidates()
            if candidates.size == 0:
                return
            self.rng.shuffle(candidates)
            for person in candidates[: max(1, patience - since_gain)].tolist():
                evaluations += 1
                since_gain += 1
                if self._move(person, sideways):
                    since_gain = 0
                if evaluations >= max_evaluations:
                    return

    def _candidates(self) -> IntArray:
        """People whose place adds avoidable cost: a repeat, or the fullest group of a unit or
        level whose counts over the groups differ by more than one."""
        bad = self.repeats > 0
        for codes, counts in ((self.units, self.unit_counts), (self.levels, self.level_counts)):
            most = counts.max(axis=0)
            uneven = (most - counts.min(axis=0)) > 1
            if uneven.any():
                own = counts[self.group_of, codes]
                bad |= uneven[codes] & (own == most[codes])
        return np.flatnonzero(bad)

    def _move(self, person: int, sideways: float) -> bool:
        """Make the best swap for `person`; True when it lowered the objective."""
        deltas = self.swap_deltas(person)
        best = int(deltas.min())
        if best > 0 or (best == 0 and self.rng.random() >= sideways):
            return False
        choices = np.flatnonzero(deltas == best)
        other = int(choices[self.rng.integers(choices.size)])
        self.swap(person, other)
        return best < 0

    def swap_deltas(self, person: int) -> IntArray:
        """The change of the objective for swapping `person` with each other person."""
        group_of = self.group_of
        group = int(group_of[person])
        total = self.pair_deltas(person, group, self.units, self.unit_counts)
        total += self.pair_deltas(person, group, self.levels, self.level_counts)
        if self.has_history:
            total += REPEAT_WEIGHT * self._repeat_deltas(person, group)
        total[group_of == group] = _FORBIDDEN
        return total

    def pair_deltas(self, person: int, group: int, codes: IntArray, counts: IntArray) -> IntArray:
        """Same-kind pairs gained minus lost by swapping: both groups lose one of each kind and
        gain the other: (c_g[b] + c_h[a]) − (c_g[a] + c_h[b]) + 2, or 0 for the same kind."""
        mine = int(codes[person])
        here = counts[group]
        there = self.group_of
        delta: IntArray = here[codes] + counts[there, mine] - here[mine] - counts[there, codes] + 2
        delta[codes == mine] = 0
        return delta

    def _repeat_deltas(self, person: int, group: int) -> IntArray:
        earlier = self.partners[person]
        met_there = np.bincount(self.group_of[earlier], minlength=len(self.members))
        gained = met_there[self.group_of]
        gained[earlier] -= 1  # the partner who leaves that group in the swap
        others_meet = np.zeros(len(self.units), dtype=np.int64)
        for member in self.members[group]:
            if member != person:
                others_meet[self.partners[member]] += 1
        result: IntArray = gained - self.repeats[person] + others_meet - self.repeats
        return result

    def swap(self, first: int, second: int) -> None:
        one, other = int(self.group_of[first]), int(self.group_of[second])
        for person, old, new in ((first, one, other), (second, other, one)):
            self.unit_counts[old, self.units[person]] -= 1
            self.unit_counts[new, self.units[person]] += 1
            self.level_counts[old, self.levels[person]] -= 1
            self.level_counts[new, self.levels[person]] += 1
            self.group_of[person] = new
        self.members[one][self.members[one].index(first)] = second
        self.members[other][self.members[other].index(second)] = first
        if self.has_history:
            self._count_repeats(self.members[one])
            self._count_repeats(self.members[other])

    def _count_repeats(self, group: list[int]) -> None:
        for person in group:
            known = self.partner_sets[person]
            self.repeats[person] = sum(1 for other in group if other in known)

    def objective(self) -> int:
        """The objective of the current groups (for tests and the template choice)."""
        same = 0
        for counts in (self.unit_counts, self.level_counts):
            same += int((counts * (counts - 1) // 2).sum())
        return REPEAT_WEIGHT * int(self.repeats.sum()) // 2 + same


class ScheduleSearch:
    """Several rounds improved together (tabu search): a swap inside one round may undo a
    repeat that round-by-round planning could not avoid. For small populations: it keeps an
    n × n matrix of how often each pair meets."""

    def __init__(
        self,
        rounds: Sequence[Sequence[Sequence[int]]],
        units: IntArray,
        levels: IntArray,
        met_before: NDArray[np.int64],
        rng: np.random.Generator,
    ) -> None:
        self.units = units
        self.levels = levels
        self.rng = rng
        nobody = [np.empty(0, np.int64)] * len(units)
        self.searches = [SwapSearch(groups, units, levels, nobody, rng) for groups in rounds]
        self.meets = met_before.copy()
        for search in self.searches:
            for group in search.members:
                self._meet(group, 1)
        # clashes[r][p]: how many in p's group of round r p meets more than once
        self.clashes = np.zeros((len(rounds), len(units)), dtype=np.int64)
        self.evaluations = 0
        self._count_clashes(range(len(units)))

    def _meet(self, group: Sequence[int], sign: int) -> None:
        index = np.array(group, dtype=np.int64)
        self.meets[np.ix_(index, index)] += sign
        self.meets[index, index] -= sign

    def _count_clashes(self, people: Iterable[int]) -> None:
        for number, search in enumerate(self.searches):
            for person in people:
                group = search.members[int(search.group_of[person])]
                self.clashes[number, person] = int((self.meets[person, group] >= 2).sum())

    def repeats(self) -> int:
        return int(np.maximum(self.meets - 1, 0).sum()) // 2

    def cost(self) -> int:
        return REPEAT_WEIGHT * self.repeats() + sum(s.objective() for s in self.searches)

    def rounds(self) -> list[list[list[int]]]:
        return [search.groups() for search in self.searches]

    def improve(self, evaluations: int, tenure: int = 8) -> list[list[list[int]]]:
        """Make the best swap, over everyone in a repeated pair, that was not made in the last
        `tenure` steps, until no pair repeats or `evaluations` people's swaps were weighed.
        The best rounds seen are returned."""
        cost = self.cost()
        best_cost, best = cost, self.rounds()
        tabu: dict[tuple[int, int], int] = {}
        self.evaluations = evaluations
        step = 0
        while self.evaluations > 0:
            step += 1
            move = self._best_move(tabu, step)
            if move is None:
                break
            number, person, other, delta = move
            self._swap(number, person, other)
            tabu[(number, person)] = tabu[(number, other)] = step + tenure
            cost += delta
            if cost < best_cost:
                best_cost, best = cost, self.rounds()
        return best

    def _best_move(
        self, tabu: dict[tuple[int, int], int], step: int
    ) -> tuple[int, int, int, int] | None:
        """The best swap not tabu for someone in a repeated pair (random ties); None when no
        pair repeats."""
        best: list[tuple[int, int, int]] = []
        lowest = int(_FORBIDDEN)
        rounds, people = np.nonzero(self.clashes)
        if rounds.size == 0:
            return None
        for number, person in zip(rounds.tolist(), people.tolist(), strict=True):
            if tabu.get((number, person), -1) > step:
                continue
            deltas = self._deltas(number, person)
            self.evaluations -= 1
            for (round_number, other), until in tabu.items():
                if round_number == number and until > step:
                    deltas[other] = _FORBIDDEN
            value = int(deltas.min())
            if value > lowest:
                continue
            if value < lowest:
                lowest, best = value, []
            best.extend((number, person, int(o)) for o in np.flatnonzero(deltas == value))
        if not best or lowest >= _FORBIDDEN:
            return self._random_move(rounds, people)
        number, person, other = best[int(self.rng.integers(len(best)))]
        return number, person, other, lowest

    def _random_move(self, rounds: IntArray, people: IntArray) -> tuple[int, int, int, int] | None:
        """Everything useful is tabu: swap a clashing person with anyone (a kick)."""
        pick = int(self.rng.integers(rounds.size))
        number, person = int(rounds[pick]), int(people[pick])
        deltas = self._deltas(number, person)
        allowed = np.flatnonzero(deltas < _FORBIDDEN)
        if allowed.size == 0:
            return None
        other = int(allowed[self.rng.integers(allowed.size)])
        return number, person, other, int(deltas[other])

    def _deltas(self, number: int, person: int) -> IntArray:
        """The change of the objective for swapping `person` with each person in round
        `number`: repeats (pairs meeting twice or more) first, then units and levels."""
        search = self.searches[number]
        group_of = search.group_of
        group = int(group_of[person])
        others = [m for m in search.members[group] if m != person]
        met = (self.meets[person] >= 1).astype(np.int64)
        lost = int((self.meets[person, others] >= 2).sum())
        gained = np.bincount(group_of, weights=met, minlength=len(search.members))[group_of]
        gained = gained.astype(np.int64) - met
        their_gain = (self.meets[others] >= 1).sum(axis=0)
        repeat = gained - lost + their_gain - self.clashes[number]
        deltas: IntArray = REPEAT_WEIGHT * repeat
        deltas += search.pair_deltas(person, group, self.units, search.unit_counts)
        deltas += search.pair_deltas(person, group, self.levels, search.level_counts)
        deltas[group_of == group] = _FORBIDDEN
        return deltas

    def _swap(self, number: int, person: int, other: int) -> None:
        search = self.searches[number]
        touched = [*search.members[int(search.group_of[person])]]
        touched += search.members[int(search.group_of[other])]
        for member in (person, other):
            self._meet(search.members[int(search.group_of[member])], -1)
        search.swap(person, other)
        for member in (person, other):
            self._meet(search.members[int(search.group_of[member])], 1)
        self._count_clashes(set(touched))
