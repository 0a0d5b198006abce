"""Use cases around stored group plans: find one's group, move someone, lock, publish."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from traef.errors import TraefError
from traef.group_plans import Group, GroupPlan, PlanKind
from traef.participants import Participant
from traef.ports import UnitOfWork


class NoPlanError(TraefError):
    """There is no plan of that kind yet."""


class UnknownGroupError(TraefError):
    """No group with that number in the plan."""


class NotInPlanError(TraefError):
    """The person is not in the plan (not checked in when it was made, or not found)."""


@dataclass(frozen=True, slots=True)
class Placement:
    """Someone's group in a published plan, with the people in it."""

    plan: GroupPlan
    group: Group
    members: tuple[Participant, ...]  # everyone in the group, the person included


async def my_placement(
    uow: UnitOfWork, event_id: int, participant_id: int, kind: PlanKind
) -> Placement | None:
    """The person's group in the newest published plan of that kind that includes them."""
    async with uow:
        plans = [
            p for p in await uow.plans.for_event(event_id) if p.kind is kind and p.published_at
        ]
        for plan in reversed(plans):
            group = plan.group_of(participant_id)
            if group is not None:
                members = [await uow.participants.get(member) for member in group.members]
                return Placement(plan, group, tuple(m for m in members if m is not None))
    return None


async def latest_plan(uow: UnitOfWork, event_id: int, kind: PlanKind) -> GroupPlan:
    async with uow:
        plan = await uow.plans.latest(event_id, kind)
    if plan is None:
        raise NoPlanError(kind.value)
    return plan


async def move_member(
    uow: UnitOfWork, plan: GroupPlan, participant_id: int, group_number: int
) -> GroupPlan:
    """Move someone into group N (out of their old group, which may then disappear)."""
    if not any(group.number == group_number for group in plan.groups):
        raise UnknownGroupError(str(group_number))
    if participant_id not in plan.member_ids():
        raise NotInPlanError(str(participant_id))
    groups = tuple(
        replace(
            group,
            members=tuple(m for m in group.members if m != participant_id)
            + ((participant_id,) if group.number == group_number else ()),
        )
        for group in plan.groups
    )
    return await _save(uow, plan.with_groups(groups))


async def lock_plan(uow: UnitOfWork, plan: GroupPlan) -> GroupPlan:
    return await _save(uow, replace(plan, locked=True))


async def publish_plan(uow: UnitOfWork, plan: GroupPlan, now: datetime) -> GroupPlan:
    return await _save(uow, replace(plan, published_at=now))


async def _save(uow: UnitOfWork, plan: GroupPlan) -> GroupPlan:
    async with uow:
        stored = await (uow.plans.add(plan) if plan.id is None else uow.plans.update(plan))
        await uow.commit()
        return stored
