"""One-turn answers about one's own registration: `min tilmelding`, `mine data`, `jeg er her`."""

from __future__ import annotations

from functools import partial

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Activity

from dialogs.cards import card_activity
from dialogs.dependencies import DialogDependencies
from dialogs.group_view import item_of, placement_message
from dialogs.i18n import Texts
from dialogs.identity import identity_of
from dialogs.lookups import event_or_none, keep_turn_lookup, turn_lookup
from dialogs.registration_view import my_data_text, registration_card
from dialogs.telling import tell_person
from traef.errors import NotEventDayError, NotSignedUpError
from traef.group_planning import place_late_arrival
from traef.group_service import Placement
from traef.participants import Participant
from traef.programme import Event
from traef.registration import check_in, recognise, registration_of
from traef.views import participants_of


class RegistrationCommands:
    RECOGNISED = "recognised_for_event"

    def __init__(self, dependencies: DialogDependencies) -> None:
        self._deps = dependencies
        self._recognised = dependencies.user_state.create_property(self.RECOGNISED)

    async def my_registration(self, context: TurnContext, texts: Texts) -> Activity:
        event = await event_or_none(self._deps)
        if event is None:
            return MessageFactory.text(texts("no_event"))
        assert event.id is not None
        participant = await registration_of(
            self._deps.uow_factory(), event.id, identity_of(context)
        )
        if participant is None:
            return MessageFactory.text(texts("not_signed_up", event=event.name))
        is_event_day = event.start_date <= self._deps.today() <= event.end_date
        return card_activity(registration_card(participant, event, texts, is_event_day))

    async def my_data(self, context: TurnContext, texts: Texts) -> Activity:
        event = await event_or_none(self._deps)
        participant = None
        if event is not None and event.id is not None:
            participant = await registration_of(
                self._deps.uow_factory(), event.id, identity_of(context)
            )
        language = await self._deps.language.get(context)
        return MessageFactory.text(my_data_text(participant, event, language, texts))

    async def check_in(self, context: TurnContext, texts: Texts) -> Activity:
        event = await event_or_none(self._deps)
        if event is None:
            return MessageFactory.text(texts("no_event"))
        try:
            participant, already = await check_in(
                self._deps.uow_factory(), event, identity_of(context), self._deps.now()
            )
        except NotSignedUpError:
            return MessageFactory.text(texts("checkin_not_signed_up"))
        except NotEventDayError:
            return MessageFactory.text(
                texts("checkin_not_today", day=texts.long_date(event.start_date))
            )
        if already:
            return MessageFactory.text(texts("checkin_already"))
        welcome = texts("checkin_done", first_name=participant.name.split()[0])
        placed = await self._place_in_groups(event, participant, texts)
        return MessageFactory.text(f"{welcome}\n\n{placed}" if placed else welcome)

    async def _place_in_groups(self, event: Event, me: Participant, texts: Texts) -> str | None:
        """Late for groups that are already out: a place in them, and the group is told."""
        assert me.id is not None
        arrival = await place_late_arrival(self._deps.uow_factory(), event, me.id, self._deps.now())
        if arrival is None:
            return None
        item = item_of(event, arrival.plan)
        people = {p.id: p for p in await participants_of(self._deps.uow_factory(), event.id or 0)}
        for person in arrival.to_tell:
            group = arrival.plan.group_of(person.id or 0)
            if group is not None:
                members = tuple(people[m] for m in group.members if m in people)
                render = partial(
                    placement_message, Placement(arrival.plan, group, members), person, item
                )
                await tell_person(self._deps.announcer, person, render)
        mine = arrival.plan.group_of(me.id)
        assert mine is not None
        members = tuple(people[m] for m in mine.members if m in people)
        return str(placement_message(Placement(arrival.plan, mine, members), me, item, texts).text)

    async def greet_if_recognised(self, context: TurnContext, texts: Texts) -> None:
        """Greet someone from an imported list by name when they first write (once per event)."""
        found = await turn_lookup(self._deps, context)
        event = found.event
        if event is None or event.id is None or await self._recognised.get(context) == event.id:
            return
        await self._recognised.set(context, event.id)
        if found.participant is not None:
            return
        email = await self._deps.profiles.email(context)
        participant = await recognise(
            self._deps.uow_factory(), event.id, identity_of(context), email
        )
        if participant is not None:
            keep_turn_lookup(context, event, participant)  # linked now: the turn answers them
            first_name = participant.name.split()[0]
            await context.send_activity(
                MessageFactory.text(texts("recognised", first_name=first_name, event=event.name))
            )
