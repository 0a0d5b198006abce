"""SqlGroupPlanRepository: plans round-trip, the latest is found, updates overwrite."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from storage.unit_of_work import SqlUnitOfWork
from traef.group_plans import Group, GroupPlan, PlanKind
from traef.programme import Event

DAY = date(2026, 11, 22)
AT = datetime(2026, 11, 22, 9, 40, tzinfo=UTC)


@pytest.fixture
async def event_id(uow: SqlUnitOfWork) -> int:
    async with uow:
        event = await uow.events.add(Event("Træf", DAY, DAY))
        await uow.commit()
    assert event.id is not None
    return event.id


def plan(event_id: int, kind: PlanKind = PlanKind.BREAKOUT, item_id: int | None = 7) -> GroupPlan:
    groups = (Group(1, (1, 2, 3, 4), "https://teams.example/room-1"), Group(2, (5, 6, 7)))
    return GroupPlan(event_id, kind, groups, AT, item_id=item_id, seed=42)


async def test_a_plan_round_trips(uow: SqlUnitOfWork, event_id: int) -> None:
    async with uow:
        added = await uow.plans.add(plan(event_id))
        await uow.commit()
    async with uow:
        latest = await uow.plans.latest(event_id, PlanKind.BREAKOUT, 7)
    assert latest == added and added.id is not None
    assert latest.groups[0].room == "https://teams.example/room-1"
    assert latest.created_at == AT and latest.seed == 42 and latest.published_at is None


async def test_latest_by_kind_and_item_and_update(uow: SqlUnitOfWork, event_id: int) -> None:
    async with uow:
        first = await uow.plans.add(plan(event_id))
        second = await uow.plans.add(plan(event_id, item_id=8))
        pairs = await uow.plans.add(plan(event_id, PlanKind.PHONE, item_id=9))
        await uow.commit()
    async with uow:
        assert await uow.plans.latest(event_id, PlanKind.BREAKOUT) == second
        assert await uow.plans.latest(event_id, PlanKind.BREAKOUT, 7) == first
        assert await uow.plans.latest(event_id, PlanKind.PHONE) == pairs
        assert await uow.plans.latest(event_id, PlanKind.PHONE, 7) is None
        published = dataclasses.replace(
            first, locked=True, published_at=AT, groups=(Group(1, (1, 2, 3, 4, 5, 6, 7)),)
        )
        await uow.plans.update(published)
        await uow.commit()
    async with uow:
        assert await uow.plans.latest(event_id, PlanKind.BREAKOUT, 7) == published
        assert [p.id for p in await uow.plans.for_event(event_id)] == [
            first.id,
            second.id,
            pairs.id,
        ]
        with pytest.raises(LookupError):
            await uow.plans.update(dataclasses.replace(first, id=9999))
