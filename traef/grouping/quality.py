"""Quality is computed, not guessed: same-unit and same-level pairs against their lower bounds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from math import comb, inf

from traef.grouping.history import History
from traef.grouping.people import Person, PersonId


def lower_bound(counts: Iterable[int], groups: int) -> int:
    """The fewest pairs of one kind (unit or level) that `groups` groups can hold.

    Deal each kind evenly over the groups: a kind with q·G + r members puts q in every group and
    one more in r of them, so LB = Σ G·C(q, 2) + r·q.
    """
    if groups <= 0:
        return 0
    total = 0
    for count in counts:
        q, r = divmod(count, groups)
        total += groups * comb(q, 2) + r * q
    return total


def same_pairs(groups: Sequence[Sequence[PersonId]], kind: dict[PersonId, str]) -> int:
    """How many pairs inside the groups share a kind (unit or level)."""
    total = 0
    for group in groups:
        for count in Counter(kind[person] for person in group).values():
            total += comb(count, 2)
    return total


def _ratio(found: int, bound: int) -> float:
    if bound == 0:
        return 1.0 if found == 0 else inf
    return found / bound


@dataclass(frozen=True, slots=True)
class RoundQuality:
    """One round: pairs inside groups from the same unit or level, and pairs that met before."""

    people: int
    groups: int
    same_unit: int
    same_unit_bound: int
    same_level: int
    same_level_bound: int
    repeats: int

    @property
    def unit_ratio(self) -> float:
        """Same-unit pairs / their lower bound; 1.00 is the best possible (0/0 counts as 1.00)."""
        return _ratio(self.same_unit, self.same_unit_bound)

    @property
    def level_ratio(self) -> float:
        return _ratio(self.same_level, self.same_level_bound)


@dataclass(frozen=True, slots=True)
class QualityReport:
    """A plan's quality, per round and summed over its rounds."""

    rounds: tuple[RoundQuality, ...]

    @property
    def same_unit(self) -> int:
        return sum(round_.same_unit for round_ in self.rounds)

    @property
    def same_unit_bound(self) -> int:
        return sum(round_.same_unit_bound for round_ in self.rounds)

    @property
    def same_level(self) -> int:
        return sum(round_.same_level for round_ in self.rounds)

    @property
    def same_level_bound(self) -> int:
        return sum(round_.same_level_bound for round_ in self.rounds)

    @property
    def repeats(self) -> int:
        return sum(round_.repeats for round_ in self.rounds)

    @property
    def unit_ratio(self) -> float:
        return _ratio(self.same_unit, self.same_unit_bound)

    @property
    def level_ratio(self) -> float:
        return _ratio(self.same_level, self.same_level_bound)


def assess(
    rounds: Sequence[Sequence[Sequence[PersonId]]],
    people: Iterable[Person],
    history: History | None = None,
    locked: Sequence[Sequence[PersonId]] = (),
) -> QualityReport:
    """The quality of consecutive rounds; a pair repeats when it met in `history` or an earlier
    round of these, unless both are in the same locked group (they are meant to meet again).
    Every id in the groups must be one of `people`."""
    by_id = {person.id: person for person in people}
    units = {person_id: person.unit for person_id, person in by_id.items()}
    levels = {person_id: person.level for person_id, person in by_id.items()}
    known = history or History()
    together = History.of([locked])
    measured = []
    for groups in rounds:
        placed = [person for group in groups for person in group]
        measured.append(
            RoundQuality(
                people=len(placed),
                groups=len(groups),
                same_unit=same_pairs(groups, units),
                same_unit_bound=lower_bound(
                    Counter(units[p] for p in placed).values(), len(groups)
                ),
                same_level=same_pairs(groups, levels),
                same_level_bound=lower_bound(
                    Counter(levels[p] for p in placed).values(), len(groups)
                ),
                repeats=sum(
                    known.met(a, b) and not together.met(a, b) for a, b in pairs_of(groups)
                ),
            )
        )
        known = known.after(groups)
    return QualityReport(tuple(measured))


def pairs_of(groups: Iterable[Iterable[PersonId]]) -> Iterable[tuple[PersonId, PersonId]]:
    for group in groups:
        yield from combinations(tuple(group), 2)
