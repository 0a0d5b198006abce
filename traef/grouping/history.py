"""Who has already met whom at this event: the pairs of earlier rounds."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from traef.grouping.people import PersonId


@dataclass(frozen=True, slots=True)
class History:
    """The partners each person has had in earlier rounds (pairs stored both ways)."""

    partners: dict[PersonId, frozenset[PersonId]] = field(default_factory=dict)

    @classmethod
    def of(cls, rounds: Iterable[Iterable[Iterable[PersonId]]]) -> History:
        """The history of these rounds, each a list of groups of ids."""
        return cls().after(*rounds)

    def after(self, *rounds: Iterable[Iterable[PersonId]]) -> History:
        """This history with more rounds added."""
        partners = {person: set(known) for person, known in self.partners.items()}
        for groups in rounds:
            for group in groups:
                for first, second in combinations(tuple(group), 2):
                    partners.setdefault(first, set()).add(second)
                    partners.setdefault(second, set()).add(first)
        return History({person: frozenset(known) for person, known in partners.items()})

    def met(self, first: PersonId, second: PersonId) -> bool:
        return second in self.partners.get(first, ())

    def partners_of(self, person: PersonId) -> frozenset[PersonId]:
        return self.partners.get(person, frozenset())

    def repeats_in(self, groups: Sequence[Sequence[PersonId]]) -> int:
        """How many pairs inside these groups have met before."""
        return sum(
            self.met(first, second) for group in groups for first, second in combinations(group, 2)
        )
