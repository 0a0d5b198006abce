"""Following a broadcast: `status på udsendelse` and `stop udsendelse`."""

from __future__ import annotations

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Activity

from dialogs.dependencies import DialogDependencies
from dialogs.i18n import Texts
from dialogs.lookups import event_or_none
from traef.outbox import Broadcast
from traef.views import participants_of


class BroadcastCommands:
    def __init__(self, dependencies: DialogDependencies) -> None:
        self._deps = dependencies

    async def status(self, context: TurnContext, texts: Texts) -> Activity:
        found = await self._latest(context, texts)
        if isinstance(found, Activity):
            return found
        uow = self._deps.uow_factory()
        async with uow:
            report = await uow.outbox.report(found.id or 0)
        cancelled = (
            texts("broadcast_status_cancelled", count=report.cancelled) if report.cancelled else ""
        )
        lines = [
            texts(
                "broadcast_status",
                audience=found.audience,
                sent=report.sent,
                pending=report.pending,
                failed=report.failed,
                cancelled=cancelled,
            )
        ]
        if report.unreached:
            people = await participants_of(self._deps.uow_factory(), found.event_id)
            owner = {identity: p.name for p in people for identity in p.identities}
            names = [owner.get(i, f"{i.channel}: {i.user_id}") for i in report.unreached]
            lines.append(texts("broadcast_unreached", names=texts.join(names)))
        return MessageFactory.text("\n".join(lines))

    async def stop(self, context: TurnContext, texts: Texts) -> Activity:
        found = await self._latest(context, texts)
        if isinstance(found, Activity):
            return found
        uow = self._deps.uow_factory()
        async with uow:
            cancelled = await uow.outbox.cancel(found.id or 0, self._deps.now())
            await uow.commit()
        return MessageFactory.text(texts("broadcast_stopped", count=cancelled))

    async def _latest(self, context: TurnContext, texts: Texts) -> Broadcast | Activity:
        if not await self._deps.is_facilitator(context):
            return MessageFactory.text(texts("facilitator_only"))
        event = await event_or_none(self._deps)
        if event is None or event.id is None:
            return MessageFactory.text(texts("no_event"))
        uow = self._deps.uow_factory()
        async with uow:
            latest = await uow.outbox.latest_broadcast(event.id)
        return latest if latest is not None else MessageFactory.text(texts("broadcast_none"))
