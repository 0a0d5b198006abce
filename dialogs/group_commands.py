"""Groups and phone partners in chat: one's own group and partner; facilitators adjust, lock,
publish, and bring in fixed groups."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Activity

from dialogs.dependencies import DialogDependencies
from dialogs.group_view import placement_message
from dialogs.i18n import Texts
from dialogs.identity import identity_of
from dialogs.intents import without_mentions
from dialogs.lookups import event_or_none
from traef.fixed_groups import FixedGroupsRefusedError, import_fixed_groups
from traef.group_plans import GroupPlan, PlanKind
from traef.group_service import (
    NoPlanError,
    Placement,
    latest_plan,
    lock_plan,
    move_member,
    my_placement,
    publish_plan,
)
from traef.participants import Participant
from traef.programme import Event, ProgrammeItem
from traef.registration import registration_of
from traef.views import participants_of

_MOVE = re.compile(
    r"^(?:flyt|move)\s+(?P<name>.+?)\s+(?:til|to)\s+(?:gruppe|group)\s+(?P<n>\d+)$", re.IGNORECASE
)


class GroupCommands:
    def __init__(self, dependencies: DialogDependencies) -> None:
        self._deps = dependencies

    async def my_group(self, context: TurnContext, texts: Texts, kind: PlanKind) -> Activity:
        found = await self._me(context)
        none = "group_none" if kind is PlanKind.BREAKOUT else "partner_none"
        if found is None:
            return MessageFactory.text(texts(none))
        event, me = found
        assert event.id is not None and me.id is not None
        placement = await my_placement(self._deps.uow_factory(), event.id, me.id, kind)
        if placement is None:
            return MessageFactory.text(texts(none))
        item = item_of(event, placement.plan)
        return placement_message(placement, me, item, texts)

    async def move(self, context: TurnContext, texts: Texts) -> Activity:
        match = _MOVE.match(without_mentions(context.activity.text or ""))
        found = await self._facilitator_plan(context, texts)
        if isinstance(found, Activity):
            return found
        plan, people = found
        assert match is not None
        wanted = match["name"].casefold()
        matches = [p for p in people.values() if wanted in p.name.casefold()]
        exact = [p for p in matches if p.name.casefold() == wanted]
        matches = exact or matches
        if not matches:
            return MessageFactory.text(texts("plan_unknown_person", name=match["name"]))
        if len(matches) > 1:
            names = texts.join([p.name for p in matches])
            return MessageFactory.text(
                texts("plan_ambiguous_person", name=match["name"], names=names)
            )
        number = int(match["n"])
        if not any(group.number == number for group in plan.groups):
            return MessageFactory.text(texts("plan_unknown_group", number=number))
        person = matches[0]
        assert person.id is not None
        await move_member(self._deps.uow_factory(), plan, person.id, number)
        return MessageFactory.text(texts("plan_moved", name=person.name, number=number))

    async def lock(self, context: TurnContext, texts: Texts) -> Activity:
        found = await self._facilitator_plan(context, texts)
        if isinstance(found, Activity):
            return found
        await lock_plan(self._deps.uow_factory(), found[0])
        return MessageFactory.text(texts("plan_locked"))

    async def publish(self, context: TurnContext, texts: Texts) -> Activity:
        found = await self._facilitator_plan(context, texts)
        if isinstance(found, Activity):
            return found
        plan, people = found
        event = await event_or_none(self._deps)
        assert event is not None
        plan = await publish_plan(self._deps.uow_factory(), plan, self._deps.now())
        told, missed = await self._tell_everyone(event, plan, people)
        not_reached = ""
        if missed:
            not_reached = texts("plan_not_reached", count=len(missed), names=texts.join(missed))
        return MessageFactory.text(texts("plan_published", told=told, missed=not_reached).strip())

    async def import_fixed(self, context: TurnContext, texts: Texts) -> Activity:
        if not await self._deps.is_facilitator(context):
            return MessageFactory.text(texts("facilitator_only"))
        _, _, pasted = (context.activity.text or "").partition("\n")
        event = await event_or_none(self._deps)
        if event is None:
            return MessageFactory.text(texts("no_event"))
        if not pasted.strip():
            return MessageFactory.text(texts("fixed_groups_needs_text"))
        try:
            report = await import_fixed_groups(self._deps.uow_factory(), event, pasted)
        except FixedGroupsRefusedError as refused:
            lines = [texts("fixed_groups_refused")]
            if refused.unknown:
                lines.append(texts("fixed_groups_unknown", names=texts.join(refused.unknown)))
            if refused.twice:
                lines.append(texts("fixed_groups_twice", names=texts.join(refused.twice)))
            if not refused.unknown and not refused.twice:
                lines.append(texts("fixed_groups_needs_text"))
            return MessageFactory.text("\n".join(lines))
        return MessageFactory.text(
            texts("fixed_groups_done", groups=report.groups, members=report.members)
        )

    async def _tell_everyone(
        self, event: Event, plan: GroupPlan, people: dict[int, Participant]
    ) -> tuple[int, list[str]]:
        """Each member is told their own group or partner; returns (told, names not reached)."""
        item = item_of(event, plan)
        told, missed = 0, []
        for group in plan.groups:
            members = tuple(people[m] for m in group.members if m in people)
            placement = Placement(plan, group, members)
            for me in members:
                render = partial(placement_message, placement, me, item)
                if await self._tell(me, render):
                    told += 1
                else:
                    missed.append(me.name)
        return told, missed

    async def _tell(self, person: Participant, render: Callable[[Texts], Activity]) -> bool:
        """Through the first of the person's accounts the bot can reach."""
        for identity in sorted(person.identities):
            if await self._deps.announcer.tell(identity, render):
                return True
        return False

    async def _facilitator_plan(
        self, context: TurnContext, texts: Texts
    ) -> tuple[GroupPlan, dict[int, Participant]] | Activity:
        """The newest plan (groups, else pairs) and the people in the event, for facilitators."""
        if not await self._deps.is_facilitator(context):
            return MessageFactory.text(texts("facilitator_only"))
        event = await event_or_none(self._deps)
        if event is None or event.id is None:
            return MessageFactory.text(texts("no_event"))
        plans = []
        for kind in (PlanKind.BREAKOUT, PlanKind.PHONE):
            try:
                plans.append(await latest_plan(self._deps.uow_factory(), event.id, kind))
            except NoPlanError:
                continue
        if not plans:
            return MessageFactory.text(texts("plan_none", what=texts("plan_what_groups")))
        newest = max(plans, key=lambda plan: (plan.created_at, plan.id or 0))
        everyone = await participants_of(self._deps.uow_factory(), event.id)
        return newest, {p.id: p for p in everyone if p.id is not None}

    async def _me(self, context: TurnContext) -> tuple[Event, Participant] | None:
        event = await event_or_none(self._deps)
        if event is None or event.id is None:
            return None
        me = await registration_of(self._deps.uow_factory(), event.id, identity_of(context))
        return (event, me) if me is not None and me.id is not None else None


def item_of(event: Event, plan: GroupPlan) -> ProgrammeItem | None:
    return next((item for item in event.items if item.id == plan.item_id), None)
