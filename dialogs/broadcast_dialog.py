"""A facilitator sends a message to an audience: preview with the number reached, then confirm."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botbuilder.core import MessageFactory, TurnContext

from dialogs.broadcast_request import BroadcastRequest, parse_broadcast
from dialogs.confirmation_dialog import ConfirmationDialog, Memo
from dialogs.dependencies import DialogDependencies
from dialogs.group_view import item_of, placement_message
from dialogs.i18n import Catalogue, Texts
from dialogs.intents import without_mentions
from dialogs.lookups import event_or_none
from traef.broadcasts import AudienceKind, Recipient, queue_broadcast, recipients
from traef.group_plans import PlanKind
from traef.group_service import Placement
from traef.programme import Event


class BroadcastDialog(ConfirmationDialog):
    """Options: the facilitator's words (`send til alle: …`)."""

    FACILITATORS_ONLY = True

    def __init__(self, dependencies: DialogDependencies) -> None:
        super().__init__(BroadcastDialog.__name__, dependencies)

    async def question_text(self, context: TurnContext, texts: Texts, memo: Memo) -> str | None:
        found = await self._request(context, str(memo["options"]), texts)
        if found is None:
            return None
        event, request, chosen = found
        when = ""
        if request.send_at is not None:
            when = texts("broadcast_when", time=texts.time(event.local(request.send_at)))
        preview = texts(
            "broadcast_preview", audience=request.audience_text, count=len(chosen), when=when
        )
        return f"{preview}\n\n{request.text}\n\n{texts('broadcast_question')}"

    async def on_yes(self, context: TurnContext, texts: Texts, memo: Memo) -> str:
        found = await self._request(context, str(memo["options"]), texts)
        if found is None:
            return texts("broadcast_kept")
        event, request, chosen = found
        sender = context.activity.from_property
        await queue_broadcast(
            self._deps.uow_factory(),
            event,
            chosen,
            await self._bodies(event, request),
            created_by=sender.name or sender.id,
            audience=request.audience_text,
            now=self._deps.now(),
            send_at=request.send_at,
        )
        self._deps.outbox_wake()
        return texts("broadcast_queued", count=len(chosen))

    def no_text(self, texts: Texts) -> str:
        return texts("broadcast_kept")

    async def _request(
        self, context: TurnContext, said: str, texts: Texts
    ) -> tuple[Event, BroadcastRequest, list[Recipient]] | None:
        """The request and who it reaches; None after saying why it cannot be sent."""
        event = await event_or_none(self._deps)
        if event is None:
            await context.send_activity(MessageFactory.text(texts("no_event")))
            return None
        request = parse_broadcast(without_mentions(said), event, self._deps.now())
        if request is None:
            await context.send_activity(MessageFactory.text(texts("broadcast_help")))
            return None
        chosen = await recipients(self._deps.uow_factory(), event, request.audience)
        if not chosen:
            await context.send_activity(MessageFactory.text(texts("broadcast_nobody")))
            return None
        return event, request, chosen

    async def _bodies(
        self, event: Event, request: BroadcastRequest
    ) -> Callable[[Recipient], dict[str, Any]]:
        """The same text for all; to each group, the text followed by that group's details."""
        if request.audience.kind is not AudienceKind.EACH_GROUP or event.id is None:
            return lambda _: {"text": request.text}
        uow = self._deps.uow_factory()
        async with uow:
            plan = await uow.plans.latest(event.id, PlanKind.BREAKOUT)
            people = {p.id: p for p in await uow.participants.for_event(event.id)}
        item = item_of(event, plan) if plan is not None else None

        def body_for(recipient: Recipient) -> dict[str, Any]:
            me = recipient.participant
            group = plan.group_of(me.id or 0) if plan is not None and me is not None else None
            if me is None or group is None or plan is None:
                return {"text": request.text}
            members = tuple(people[m] for m in group.members if m in people)
            texts = Catalogue.default().texts("en" if me.language == "en" else "da")
            details = placement_message(Placement(plan, group, members), me, item, texts).text
            return {"text": f"{request.text}\n\n{details}"}

        return body_for
