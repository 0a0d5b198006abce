"""Plans of breakout groups and phone pairs for a programme item, as facilitators keep them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from traef.errors import TraefError


class PlanKind(StrEnum):
    BREAKOUT = "breakout"
    PHONE = "phone"  # phone-dialogue pairs (and the odd triad)


class InvalidPlanError(TraefError):
    """A plan that places someone twice, or has an empty group."""


@dataclass(frozen=True, slots=True)
class Group:
    number: int  # as shown to people: "gruppe 3"
    members: tuple[int, ...]  # participant ids
    room: str | None = None  # the breakout room's link, when the facilitator gives one


@dataclass(frozen=True, slots=True)
class GroupPlan:
    event_id: int
    kind: PlanKind
    groups: tuple[Group, ...]
    created_at: datetime
    item_id: int | None = None  # the programme item the plan is for
    seed: int = 0
    locked: bool = False  # locked groups stay intact when the item is planned again
    published_at: datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        placed = [member for group in self.groups for member in group.members]
        if len(placed) != len(set(placed)):
            raise InvalidPlanError("Someone is placed in two groups.")
        if any(not group.members for group in self.groups):
            raise InvalidPlanError("A group has no members.")

    def group_of(self, participant_id: int) -> Group | None:
        return next((g for g in self.groups if participant_id in g.members), None)

    def member_ids(self) -> set[int]:
        return {member for group in self.groups for member in group.members}

    def with_groups(self, groups: tuple[Group, ...]) -> GroupPlan:
        numbered = tuple(replace(g, number=n) for n, g in enumerate(groups, 1) if g.members)
        return replace(self, groups=numbered)
