"""Use cases that form and repair stored plans with the grouping engine (`traef.grouping`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import cast

from traef.errors import TraefError
from traef.group_plans import Group, GroupPlan, PlanKind
from traef.grouping import (
    History,
    Person,
    PersonId,
    QualityReport,
    assess,
    fixed_groups,
    plan_round,
    present_people,
    repair,
    replace_partner,
)
from traef.participants import Participant
from traef.ports import UnitOfWork
from traef.programme import Event

GROUP_SIZE = {PlanKind.BREAKOUT: 4, PlanKind.PHONE: 2}


class TooFewPeopleError(TraefError):
    """Fewer than two people are checked in."""

    def __init__(self, count: int) -> None:
        super().__init__(f"Only {count} checked in.")
        self.count = count


class NotPairedError(TraefError):
    """The person has no partner in a published phone plan."""


class InTriadError(TraefError):
    """The person is in a triad: the other one is still there to call."""

    def __init__(self, other: Participant) -> None:
        super().__init__(other.name)
        self.other = other


@dataclass(frozen=True, slots=True)
class Proposal:
    plan: GroupPlan  # stored, not yet published
    quality: QualityReport
    people: dict[int, Participant]


@dataclass(frozen=True, slots=True)
class PartnerChange:
    plan: GroupPlan
    new_partners: tuple[Participant, ...]  # the requester's group now, the requester excluded
    to_tell: tuple[Participant, ...]  # others whose group changed and who should be told


async def propose_plan(
    uow: UnitOfWork,
    event: Event,
    kind: PlanKind,
    item_id: int | None,
    now: datetime,
    *,
    within_units: bool = False,
    with_fixed_groups: bool = False,
) -> Proposal:
    """Form groups (or pairs) of the checked-in participants and store them as a draft.

    Partners met in published plans are not repeated when that can be avoided; the locked
    groups of an earlier plan for the same item, and on request the fixed groups, stay intact.
    Each new proposal for the same item uses the next seed, so "again" gives another plan.
    """
    assert event.id is not None
    async with uow:
        participants = await uow.participants.for_event(event.id)
        plans = await uow.plans.for_event(event.id)
    people = present_people(participants)
    if len(people) < 2:
        raise TooFewPeopleError(len(people))
    history = _history(plans)
    earlier = [p for p in plans if p.kind is kind and p.item_id == item_id]
    locked = [g.members for p in earlier[-1:] if p.locked for g in p.groups]
    if with_fixed_groups:
        locked += [_ids(group) for group in fixed_groups(participants)]
    seed = earlier[-1].seed + 1 if earlier else 0
    size = GROUP_SIZE[kind]
    round_ = plan_round(
        people,
        size=size,
        history=history,
        locked=_present(locked, people),
        within_units=within_units,
        seed=seed,
    )
    quality = assess([round_.groups], people, history, _present(locked, people))
    groups = tuple(Group(n, _ids(g)) for n, g in enumerate(round_.groups, 1))
    plan = GroupPlan(event.id, kind, groups, now, item_id=item_id, seed=seed)
    async with uow:
        stored = await uow.plans.add(plan)
        await uow.commit()
    return Proposal(stored, quality, {p.id: p for p in participants if p.id is not None})


async def partner_did_not_answer(
    uow: UnitOfWork, event: Event, participant_id: int
) -> PartnerChange:
    """Find the person a new phone partner at once, changing as few pairs as possible."""
    assert event.id is not None
    async with uow:
        participants = await uow.participants.for_event(event.id)
        plans = await uow.plans.for_event(event.id)
        published = [p for p in plans if p.kind is PlanKind.PHONE and p.published_at]
        plan = next((p for p in reversed(published) if p.group_of(participant_id)), None)
        if plan is None:
            raise NotPairedError(str(participant_id))
        by_id = {p.id: p for p in participants if p.id is not None}
        group = plan.group_of(participant_id)
        assert group is not None
        others = [m for m in group.members if m != participant_id]
        if len(others) != 1:
            raise InTriadError(by_id[others[0]]) if others else NotPairedError("alone")
        checked_in = present_people(participants)
        waiting = [p.id for p in checked_in if p.id not in plan.member_ids()]
        everyone: dict[PersonId, Person] = {
            i: Person(i, p.department, p.level) for i, p in by_id.items()
        }
        repaired = replace_partner(
            [g.members for g in plan.groups],
            everyone,
            requester=participant_id,
            no_show=others[0],
            waiting=waiting,
            history=_history([p for p in plans if p != plan]),
        )
        new_plan = await uow.plans.update(
            replace(
                plan.with_groups(tuple(Group(0, _ids(g), _room(plan, g)) for g in repaired.groups)),
                id=plan.id,
            )
        )
        await uow.commit()
    mine = new_plan.group_of(participant_id)
    assert mine is not None
    partners = tuple(by_id[m] for m in mine.members if m != participant_id)
    told = tuple(by_id[m] for m in _ids(repaired.to_tell) if m != participant_id and m in by_id)
    return PartnerChange(new_plan, partners, told)


def _ids(members: Iterable[PersonId]) -> tuple[int, ...]:
    """The engine's ids back as participant ids (they are what was put in)."""
    return tuple(cast(int, member) for member in members)


def _history(plans: list[GroupPlan]) -> History:
    """The partners people have had in published plans."""
    return History.of([g.members for g in plan.groups] for plan in plans if plan.published_at)


def _present(locked: list[tuple[int, ...]], people: list[Person]) -> list[tuple[int, ...]]:
    here = {person.id for person in people}
    kept = [tuple(m for m in group if m in here) for group in locked]
    return [group for group in kept if group]


@dataclass(frozen=True, slots=True)
class Arrival:
    plan: GroupPlan
    to_tell: tuple[Participant, ...]  # the others whose group changed


async def place_late_arrival(
    uow: UnitOfWork, event: Event, participant_id: int, now: datetime
) -> Arrival | None:
    """Someone checks in after the groups of a breakout that is not over were published: place
    them, moving as few people as possible. None when there is no such plan (or already in it)."""
    assert event.id is not None
    upcoming = {item.id for item in event.items if item.finish > now}
    async with uow:
        plans = await uow.plans.for_event(event.id)
        live = [p for p in plans if p.published_at and p.item_id in upcoming]
        if not live or participant_id in live[-1].member_ids():
            return None
        plan = live[-1]
        participants = await uow.participants.for_event(event.id)
        by_id = {p.id: p for p in participants if p.id is not None}
        everyone: dict[PersonId, Person] = {
            i: Person(i, p.department, p.level) for i, p in by_id.items()
        }
        repaired = repair(
            [g.members for g in plan.groups],
            everyone,
            arrived=[participant_id],
            history=_history([p for p in plans if p != plan]),
            size=GROUP_SIZE[plan.kind],
        )
        groups = tuple(Group(0, _ids(members), _room(plan, members)) for members in repaired.groups)
        stored = await uow.plans.update(plan.with_groups(groups))
        await uow.commit()
    told = tuple(by_id[m] for m in _ids(repaired.to_tell) if m != participant_id and m in by_id)
    return Arrival(stored, told)


def _room(plan: GroupPlan, members: Iterable[PersonId]) -> str | None:
    """A group keeps its room when it keeps most of its people."""
    ids = set(_ids(members))
    best = max(plan.groups, key=lambda g: len(ids & set(g.members)), default=None)
    return best.room if best is not None and len(ids & set(best.members)) * 2 > len(ids) else None
