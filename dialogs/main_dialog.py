"""The main dialog: routes free text and card buttons to the answer the participant wants."""

from __future__ import annotations

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.dialogs import (
    ComponentDialog,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.schema import Activity

from dialogs.dependencies import DialogDependencies
from dialogs.i18n import Texts
from dialogs.intents import Intent, recognise, recognise_submit
from dialogs.programme_view import next_text, now_text, programme_activity
from dialogs.welcome import welcome_activity
from traef.errors import NoEventError
from traef.services import current_event

_PROGRAMME_INTENTS = (Intent.PROGRAMME, Intent.NOW, Intent.NEXT)


class MainDialog(ComponentDialog):
    def __init__(self, dependencies: DialogDependencies) -> None:
        super().__init__(MainDialog.__name__)
        self._deps = dependencies
        self.add_dialog(WaterfallDialog(f"{MainDialog.__name__}.route", [self.route_step]))
        self.initial_dialog_id = f"{MainDialog.__name__}.route"

    async def route_step(self, step_context: WaterfallStepContext) -> DialogTurnResult:
        context = step_context.context
        intent = intent_of(context)
        if intent in (Intent.ENGLISH, Intent.DANISH):
            await self._deps.language.set(context, "en" if intent is Intent.ENGLISH else "da")
        texts = await self._deps.language.texts(context)
        await context.send_activity(await self._answer(intent, context, texts))
        return await step_context.end_dialog()

    async def _answer(self, intent: Intent | None, context: TurnContext, texts: Texts) -> Activity:
        if intent in _PROGRAMME_INTENTS:
            return await self._programme_answer(intent, texts)
        if intent in (Intent.ENGLISH, Intent.DANISH):
            return MessageFactory.text(texts("language_switched"))
        if intent is Intent.GREETING:
            sender = context.activity.from_property
            return welcome_activity(texts, sender.name if sender else None)
        if intent is Intent.HELP:
            return MessageFactory.text(texts("help"))
        if intent is None:
            return MessageFactory.text(texts("unknown_button"))
        return MessageFactory.text(texts("not_understood"))

    async def _programme_answer(self, intent: Intent | None, texts: Texts) -> Activity:
        try:
            event = await current_event(self._deps.uow_factory(), self._deps.today())
        except NoEventError:
            return MessageFactory.text(texts("no_programme"))
        now = self._deps.now()
        if intent is Intent.NOW:
            return MessageFactory.text(now_text(event, now, texts))
        if intent is Intent.NEXT:
            return MessageFactory.text(next_text(event, now, texts))
        return programme_activity(event, now, texts)


def intent_of(context: TurnContext) -> Intent | None:
    """The intent of a message; None for a card payload that is not one of ours."""
    activity = context.activity
    if activity.value is not None and not (activity.text or "").strip():
        return recognise_submit(activity.value)
    return recognise(activity.text)
