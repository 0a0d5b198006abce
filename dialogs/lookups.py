"""The lookups several dialogs start with: the current event, and the person's registration."""

from __future__ import annotations

from dataclasses import dataclass

from botbuilder.core import MessageFactory, TurnContext

from dialogs.dependencies import DialogDependencies
from dialogs.i18n import Texts
from dialogs.identity import identity_of
from dialogs.shared_conversations import is_shared_conversation
from traef.errors import NoEventError
from traef.participants import Participant
from traef.programme import Event
from traef.registration import registration_of
from traef.services import current_event, event_and_registration

_TURN_LOOKUP = "traefbot.turn_lookup"  # the turn_state key of what the turn started with


@dataclass(frozen=True, slots=True)
class TurnLookup:
    """The current event and the person's registration in it, as the turn found them."""

    event: Event | None
    participant: Participant | None


async def event_or_none(deps: DialogDependencies) -> Event | None:
    try:
        return await current_event(deps.uow_factory(), deps.today())
    except NoEventError:
        return None


async def turn_lookup(deps: DialogDependencies, context: TurnContext) -> TurnLookup:
    """The current event and the person's registration (cancelled or not), as the turn found
    them: looked up once, in one unit of work, then kept for the turn.

    Only for reading. A step that changes either looks them up afresh (`event_or_none`,
    `registration_of`), or tells the turn with `keep_turn_lookup`.
    """
    found = context.turn_state.get(_TURN_LOOKUP)
    if not isinstance(found, TurnLookup):
        event, participant = await event_and_registration(
            deps.uow_factory(), deps.today(), identity_of(context)
        )
        found = keep_turn_lookup(context, event, participant)
    return found


def keep_turn_lookup(
    context: TurnContext, event: Event | None, participant: Participant | None
) -> TurnLookup:
    found = context.turn_state[_TURN_LOOKUP] = TurnLookup(event, participant)
    return found


async def own_registration(
    deps: DialogDependencies, context: TurnContext, texts: Texts
) -> tuple[Event, Participant | None] | None:
    """The current event and the person's registration in it (if any, cancelled or not).

    None, after telling the person, when no event has been set up.
    """
    event = await event_or_none(deps)
    if event is None or event.id is None:
        await context.send_activity(MessageFactory.text(texts("no_event")))
        return None
    return event, await registration_of(deps.uow_factory(), event.id, identity_of(context))


async def active_registration(
    deps: DialogDependencies, context: TurnContext, texts: Texts
) -> tuple[Event, Participant] | None:
    """The current event and the person's active registration.

    None, after telling the person, when there is no event or they are not signed up.
    """
    found = await own_registration(deps, context, texts)
    if found is None:
        return None
    event, participant = found
    if participant is None or not participant.is_active:
        await context.send_activity(MessageFactory.text(texts("not_signed_up", event=event.name)))
        return None
    return event, participant


async def personal_event(deps: DialogDependencies, context: TurnContext) -> Event | None:
    """The current event with only the items meant for this person (their type, their groups);
    where others read along, the items meant for everyone."""
    if is_shared_conversation(context.activity):
        shared = await event_or_none(deps)
        return shared.for_audience(None) if shared is not None and shared.id is not None else shared
    found = await turn_lookup(deps, context)
    event, participant = found.event, found.participant
    if event is None or event.id is None:
        return event
    if participant is None or not participant.is_active:
        return event.for_audience(None)
    return event.for_audience(participant.participant_type, participant.groups)
