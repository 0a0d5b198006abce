"""The main dialog: routes free text and card buttons to the answer or dialog the person wants."""

from __future__ import annotations

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.dialogs import (
    ComponentDialog,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.schema import Activity

from dialogs.cancel_registration_dialog import CancelRegistrationDialog
from dialogs.dependencies import DialogDependencies
from dialogs.erase_data_dialog import EraseDataDialog
from dialogs.facilitator_commands import FacilitatorCommands
from dialogs.group_commands import GroupCommands
from dialogs.i18n import Texts
from dialogs.intents import Intent, intent_of, without_mentions
from dialogs.lookups import active_registration, personal_event
from dialogs.programme_change_dialog import ProgrammeChangeDialog
from dialogs.programme_commands import ProgrammeCommands
from dialogs.programme_import_dialog import ProgrammeImportDialog
from dialogs.programme_view import next_text, now_text, programme_activity
from dialogs.registration_commands import RegistrationCommands
from dialogs.sign_up_dialog import SignUpDialog
from dialogs.sign_up_form import SignUpForm
from dialogs.welcome import welcome_activity
from traef.group_plans import PlanKind

_PROGRAMME_INTENTS = (Intent.PROGRAMME, Intent.NOW, Intent.NEXT)
_CHILD_DIALOGS = {
    Intent.SIGN_UP: SignUpDialog.__name__,
    Intent.CANCEL_REGISTRATION: CancelRegistrationDialog.__name__,
    Intent.ERASE_DATA: EraseDataDialog.__name__,
    Intent.IMPORT_PROGRAMME: ProgrammeImportDialog.__name__,
}


class MainDialog(ComponentDialog):
    def __init__(self, dependencies: DialogDependencies) -> None:
        super().__init__(MainDialog.__name__)
        self._deps = dependencies
        self._registrations = RegistrationCommands(dependencies)
        self._facilitators = FacilitatorCommands(dependencies)
        self._programme = ProgrammeCommands(dependencies)
        self._groups = GroupCommands(dependencies)
        self.add_dialog(SignUpDialog(dependencies))
        self.add_dialog(CancelRegistrationDialog(dependencies))
        self.add_dialog(EraseDataDialog(dependencies))
        self.add_dialog(ProgrammeChangeDialog(dependencies))
        self.add_dialog(ProgrammeImportDialog(dependencies))
        waterfall = f"{MainDialog.__name__}.route"
        self.add_dialog(WaterfallDialog(waterfall, [self.route_step, self.final_step]))
        self.initial_dialog_id = waterfall

    async def route_step(self, step_context: WaterfallStepContext) -> DialogTurnResult:
        context = step_context.context
        intent = intent_of(context)
        if intent in (Intent.ENGLISH, Intent.DANISH):
            await self._deps.language.set(context, "en" if intent is Intent.ENGLISH else "da")
        texts = await self._deps.language.texts(context)
        if intent is not Intent.ERASE_DATA:
            await self._registrations.greet_if_recognised(context, texts)
        if intent in _CHILD_DIALOGS:
            return await step_context.begin_dialog(_CHILD_DIALOGS[intent])
        if intent is Intent.EDIT_REGISTRATION:
            return await self._edit_registration(step_context, texts)
        if intent is Intent.CHANGE_PROGRAMME:
            said = without_mentions(context.activity.text or "")
            return await step_context.begin_dialog(ProgrammeChangeDialog.__name__, said)
        await context.send_activity(await self._answer(intent, context, texts))
        return await step_context.end_dialog()

    async def final_step(self, step_context: WaterfallStepContext) -> DialogTurnResult:
        return await step_context.end_dialog()

    async def _answer(self, intent: Intent | None, context: TurnContext, texts: Texts) -> Activity:
        if intent in _PROGRAMME_INTENTS:
            return await self._programme_answer(intent, context, texts)
        if intent in (Intent.ENGLISH, Intent.DANISH):
            return MessageFactory.text(texts("language_switched"))
        if intent is Intent.GREETING:
            sender = context.activity.from_property
            return welcome_activity(texts, sender.name if sender else None)
        if intent is Intent.HELP:
            return await self._help(context, texts)
        if intent is Intent.MY_REGISTRATION:
            return await self._registrations.my_registration(context, texts)
        if intent is Intent.MY_DATA:
            return await self._registrations.my_data(context, texts)
        if intent is Intent.CHECK_IN:
            return await self._registrations.check_in(context, texts)
        if intent is Intent.PARTICIPANTS:
            return await self._facilitators.participants(context, texts)
        if intent is Intent.IMPORT_PARTICIPANTS:
            anyway = any(
                w in (context.activity.text or "").lower() for w in ("alligevel", "anyway")
            )
            return await self._facilitators.import_participants(context, texts, anyway)
        if intent is Intent.CANCEL:
            return MessageFactory.text(texts("nothing_to_cancel"))
        return await self._programme_command(intent, context, texts)

    async def _programme_command(
        self, intent: Intent | None, context: TurnContext, texts: Texts
    ) -> Activity:
        if intent is Intent.PROGRAMME_QUESTION:
            return await self._programme.question(context, texts)
        if intent is Intent.UNDO_CHANGE:
            return await self._programme.undo(context, texts)
        if intent is Intent.PREPARATION:
            return await self._programme.preparation(context, texts)
        if intent is Intent.SET_PREPARATION:
            return await self._programme.set_preparation(context, texts)
        if intent is Intent.CALENDAR:
            return await self._programme.calendar(context, texts)
        group_answer = await self._group_command(intent, context, texts)
        if group_answer is not None:
            return group_answer
        if intent in (Intent.REMINDERS_ON, Intent.REMINDERS_OFF):
            return await self._programme.reminders(context, texts, intent is Intent.REMINDERS_ON)
        if intent is None:
            return MessageFactory.text(texts("unknown_button"))
        return MessageFactory.text(texts("not_understood"))

    async def _help(self, context: TurnContext, texts: Texts) -> Activity:
        if await self._deps.is_facilitator(context):
            return MessageFactory.text(f"{texts('help')}\n\n{texts('help_facilitator')}")
        return MessageFactory.text(texts("help"))

    async def _programme_answer(
        self, intent: Intent | None, context: TurnContext, texts: Texts
    ) -> Activity:
        event = await personal_event(self._deps, context)
        if event is None:
            return MessageFactory.text(texts("no_programme"))
        now = self._deps.now()
        if intent is Intent.NOW:
            return MessageFactory.text(now_text(event, now, texts))
        if intent is Intent.NEXT:
            return MessageFactory.text(next_text(event, now, texts))
        return programme_activity(event, now, texts)

    async def _edit_registration(
        self, step_context: WaterfallStepContext, texts: Texts
    ) -> DialogTurnResult:
        found = await active_registration(self._deps, step_context.context, texts)
        if found is None:
            return await step_context.end_dialog()
        event, participant = found
        form = SignUpForm.from_participant(participant, True, event.departments, event.levels)
        return await step_context.begin_dialog(SignUpDialog.__name__, form)

    async def _group_command(
        self, intent: Intent | None, context: TurnContext, texts: Texts
    ) -> Activity | None:
        if intent is Intent.MY_GROUP:
            return await self._groups.my_group(context, texts, PlanKind.BREAKOUT)
        if intent is Intent.MY_PARTNER:
            return await self._groups.my_group(context, texts, PlanKind.PHONE)
        if intent is Intent.MOVE_MEMBER:
            return await self._groups.move(context, texts)
        if intent is Intent.LOCK_GROUPS:
            return await self._groups.lock(context, texts)
        if intent is Intent.PUBLISH_GROUPS:
            return await self._groups.publish(context, texts)
        if intent is Intent.IMPORT_GROUPS:
            return await self._groups.import_fixed(context, texts)
        return None
