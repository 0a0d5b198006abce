"""Group plans over a SQLAlchemy session; implements `traef.ports.GroupPlanRepository`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import GroupPlanRow
from traef.group_plans import Group, GroupPlan, PlanKind


class SqlGroupPlanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, plan: GroupPlan) -> GroupPlan:
        row = GroupPlanRow(event_id=plan.event_id)
        _fill(row, plan)
        self._session.add(row)
        await self._session.flush()
        return _plan(row)

    async def update(self, plan: GroupPlan) -> GroupPlan:
        row = await self._session.get(GroupPlanRow, plan.id) if plan.id is not None else None
        if row is None:
            raise LookupError(f"No stored plan with id {plan.id}.")
        _fill(row, plan)
        await self._session.flush()
        return _plan(row)

    async def latest(
        self, event_id: int, kind: PlanKind, item_id: int | None = None
    ) -> GroupPlan | None:
        query = select(GroupPlanRow).where(
            GroupPlanRow.event_id == event_id, GroupPlanRow.kind == kind.value
        )
        if item_id is not None:
            query = query.where(GroupPlanRow.item_id == item_id)
        row = (await self._session.scalars(query.order_by(GroupPlanRow.id.desc()).limit(1))).first()
        return _plan(row) if row is not None else None

    async def for_event(self, event_id: int) -> list[GroupPlan]:
        query = select(GroupPlanRow).where(GroupPlanRow.event_id == event_id)
        return [_plan(row) for row in await self._session.scalars(query.order_by(GroupPlanRow.id))]


def _fill(row: GroupPlanRow, plan: GroupPlan) -> None:
    row.item_id = plan.item_id
    row.kind = plan.kind.value
    row.groups = [_group_json(group) for group in plan.groups]
    row.seed = plan.seed
    row.locked = plan.locked
    row.created_at = plan.created_at
    row.published_at = plan.published_at


def _group_json(group: Group) -> dict[str, Any]:
    return {"number": group.number, "members": list(group.members), "room": group.room}


def _plan(row: GroupPlanRow) -> GroupPlan:
    return GroupPlan(
        event_id=row.event_id,
        kind=PlanKind(row.kind),
        groups=tuple(
            Group(int(g["number"]), tuple(int(m) for m in g["members"]), g.get("room"))
            for g in row.groups
        ),
        created_at=row.created_at,
        item_id=row.item_id,
        seed=row.seed,
        locked=row.locked,
        published_at=row.published_at,
        id=row.id,
    )
