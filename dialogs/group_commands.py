"""Groups and phone partners in chat: one's own group and partner; facilitators adjust, lock,
publish, and bring in fixed groups."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import partial

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Activity

from dialogs.dependencies import DialogDependencies
from dialogs.group_view import item_of, partner_message, placement_message, plan_lines
from dialogs.i18n import Texts
from dialogs.identity import identity_of
from dialogs.intents import without_mentions
from dialogs.lookups import event_or_none
from dialogs.telling import tell_person
from traef.change_requests import item_reference
from traef.fixed_groups import FixedGroupsRefusedError, import_fixed_groups
from traef.group_planning import (
    InTriadError,
    NotPairedError,
    Proposal,
    TooFewPeopleError,
    partner_did_not_answer,
    propose_plan,
)
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
from traef.grouping import GroupingError
from traef.participants import ChannelIdentity, Participant
from traef.programme import Event, ItemKind, ProgrammeItem
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

    async def make(self, context: TurnContext, texts: Texts, kind: PlanKind) -> Activity:
        """`dan grupper [til <punkt>] [inden for afdelinger] [med faste grupper]`; `dan telefonpar`.

        The proposal is stored as a draft: `flyt`, `lås grupper` and `offentliggør` act on it.
        """
        if not await self._deps.is_facilitator(context):
            return MessageFactory.text(texts("facilitator_only"))
        event = await event_or_none(self._deps)
        if event is None:
            return MessageFactory.text(texts("no_event"))
        said = without_mentions(context.activity.text or "").lower()
        within = any(words in said for words in _WITHIN_UNITS)
        fixed = any(words in said for words in _WITH_FIXED)
        item = _item_for(event, kind, said, self._deps.now())
        what = texts("plan_what_groups" if kind is PlanKind.BREAKOUT else "plan_what_pairs")
        try:
            proposal = await propose_plan(
                self._deps.uow_factory(),
                event,
                kind,
                item.id if item else None,
                self._deps.now(),
                within_units=within,
                with_fixed_groups=fixed,
            )
        except TooFewPeopleError as error:
            return MessageFactory.text(texts("plan_too_few", count=error.count, what=what))
        except GroupingError as error:
            return MessageFactory.text(texts("invalid_detail", reason=error))
        return MessageFactory.text(preview_text(proposal, item, what, texts))

    async def partner_no_answer(self, context: TurnContext, texts: Texts) -> Activity:
        found = await self._me(context)
        if found is None:
            return MessageFactory.text(texts("partner_none"))
        event, me = found
        assert me.id is not None
        try:
            change = await partner_did_not_answer(self._deps.uow_factory(), event, me.id)
        except NotPairedError:
            return MessageFactory.text(texts("partner_none"))
        except InTriadError as triad:
            return MessageFactory.text(texts("partner_in_triad", name=triad.other.name))
        if not change.new_partners:
            return MessageFactory.text(texts("partner_no_replacement"))
        item = item_of(event, change.plan)
        for person in change.to_tell:
            members = change.plan.group_of(person.id or 0)
            if members is None:
                continue
            others = await self._people(event, members.members)
            placement = Placement(change.plan, members, others)
            await tell_person(
                self._deps.announcer,
                person,
                partial(partner_message, placement, person, item, heading="partner_replaced"),
            )
        mine = change.plan.group_of(me.id)
        assert mine is not None
        placement = Placement(change.plan, mine, (me, *change.new_partners))
        return partner_message(placement, me, item, texts, heading="partner_replacement_told")

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
        messages: list[tuple[ChannelIdentity, Callable[[Texts], Activity]]] = []
        members: list[Participant] = []
        for group in plan.groups:
            in_group = tuple(people[m] for m in group.members if m in people)
            placement = Placement(plan, group, in_group)
            for me in in_group:
                members.append(me)
                render = partial(placement_message, placement, me, item)
                messages += [(identity, render) for identity in sorted(me.identities)]
        reached = await self._deps.announcer.tell_each(messages, audience=plan.kind.value)
        missed = [me.name for me in members if not (me.identities & reached)]
        return len(members) - len(missed), missed

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

    async def _people(self, event: Event, ids: tuple[int, ...]) -> tuple[Participant, ...]:
        assert event.id is not None
        everyone = {p.id: p for p in await participants_of(self._deps.uow_factory(), event.id)}
        return tuple(everyone[i] for i in ids if i in everyone)

    async def _me(self, context: TurnContext) -> tuple[Event, Participant] | None:
        event = await event_or_none(self._deps)
        if event is None or event.id is None:
            return None
        me = await registration_of(self._deps.uow_factory(), event.id, identity_of(context))
        return (event, me) if me is not None and me.id is not None else None


_WITHIN_UNITS = ("inden for afdeling", "indenfor afdeling", "within department", "within unit")
_WITH_FIXED = ("med faste grupper", "med de faste grupper", "with fixed groups")


def _item_for(event: Event, kind: PlanKind, said: str, now: datetime) -> ProgrammeItem | None:
    """The item named after `til`/`for`, else the next of its kind today that is not over."""
    day = [item for item in event.items if event.day_of(item) == event.local(now).date()]
    wanted = ItemKind.BREAKOUT if kind is PlanKind.BREAKOUT else ItemKind.PHONE_DIALOGUE
    named = re.search(r"\b(?:til|for)\s+(.+)$", said)
    if named:
        words = named.group(1)
        for phrase in (*_WITHIN_UNITS, *_WITH_FIXED):
            words = words.replace(phrase, "")
        reference = item_reference(words.strip())
        index = reference.find(day) if reference else None
        if index is not None:
            return day[index]
    upcoming = [item for item in day if item.kind is wanted and item.finish > now]
    return upcoming[0] if upcoming else None


def preview_text(proposal: Proposal, item: ProgrammeItem | None, what: str, texts: Texts) -> str:
    plan, quality = proposal.plan, proposal.quality
    title = texts("group_for_item", title=item.title) if item else ""
    lines = [
        texts(
            "plan_preview_title",
            what=what,
            item=title,
            people=len(plan.member_ids()),
            count=len(plan.groups),
        ),
        texts(
            "plan_quality",
            unit_pairs=quality.same_unit,
            unit_bound=quality.same_unit_bound,
            level_pairs=quality.same_level,
            level_bound=quality.same_level_bound,
            repeats=quality.repeats,
        ),
        "",
        *plan_lines(plan, proposal.people, texts),
        "",
        texts("plan_next_steps"),
    ]
    return "\n".join(lines)
