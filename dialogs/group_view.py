"""How a group or a phone partner is shown to a participant, and a plan to a facilitator."""

from __future__ import annotations

from botbuilder.core import MessageFactory
from botbuilder.schema import Activity

from dialogs.i18n import Texts
from traef.contact import format_phone
from traef.group_plans import GroupPlan, PlanKind
from traef.group_service import Placement
from traef.participants import Participant
from traef.programme import Event, ProgrammeItem


def where(person: Participant) -> str:
    return f"{person.department}, {person.area}" if person.area else person.department


def group_message(
    placement: Placement, me: Participant, item: ProgrammeItem | None, texts: Texts
) -> Activity:
    title = texts("group_for_item", title=item.title) if item else ""
    lines = [texts("group_title", item=title, number=placement.group.number)]
    lines += [
        texts("group_member", name=person.name, where=where(person))
        for person in placement.members
        if person.id != me.id
    ]
    room = placement.group.room or (item.link if item else None)
    if room:
        lines.append(texts("group_room", room=room))
    if item and item.description:
        lines += ["", texts("group_questions"), item.description]
    return MessageFactory.text("\n".join(lines))


def partner_message(
    placement: Placement,
    me: Participant,
    item: ProgrammeItem | None,
    texts: Texts,
    heading: str = "partner_title",
) -> Activity:
    title = texts("group_for_item", title=item.title) if item else ""
    lines = [texts(heading, item=title)]
    for partner in placement.members:
        if partner.id == me.id:
            continue
        shared = partner.phone and partner.phone_consent and me.phone_consent
        if shared:
            assert partner.phone is not None
            lines.append(
                texts(
                    "partner_with_phone",
                    name=partner.name,
                    where=where(partner),
                    phone=format_phone(partner.phone),
                )
            )
        else:
            lines.append(texts("partner_without_phone", name=partner.name, where=where(partner)))
    if item and item.description:
        lines += ["", texts("partner_prompt"), item.description]
    return MessageFactory.text("\n".join(lines))


def plan_lines(plan: GroupPlan, people: dict[int, Participant], texts: Texts) -> list[str]:
    return [
        texts(
            "plan_group_line",
            number=group.number,
            members=", ".join(
                f"{people[m].name} ({people[m].department})" for m in group.members if m in people
            ),
        )
        for group in plan.groups
    ]


def placement_message(
    placement: Placement, me: Participant, item: ProgrammeItem | None, texts: Texts
) -> Activity:
    """The person's group, or their phone partner, depending on the plan."""
    if placement.plan.kind is PlanKind.BREAKOUT:
        return group_message(placement, me, item, texts)
    return partner_message(placement, me, item, texts)


def item_of(event: Event, plan: GroupPlan) -> ProgrammeItem | None:
    return next((item for item in event.items if item.id == plan.item_id), None)
