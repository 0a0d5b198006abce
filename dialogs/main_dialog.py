"""The main dialog: routes free text and card buttons to the answer or dialog the person wants."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.dialogs import (
    ComponentDialog,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.schema import Activity

from dialogs.broadcast_commands import BroadcastCommands
from dialogs.broadcast_dialog import BroadcastDialog
from dialogs.cancel_registration_dialog import CancelRegistrationDialog
from dialogs.dependencies import DialogDependencies
from dialogs.erase_data_dialog import EraseDataDialog
from dialogs.evaluation_commands import EvaluationCommands
from dialogs.evaluation_dialog import EvaluationDialog
from dialogs.facilitator_commands import FacilitatorCommands
from dialogs.feedback_commands import FeedbackCommands
from dialogs.group_commands import GroupCommands
from dialogs.i18n import Texts
from dialogs.intents import Intent, intent_of, without_mentions
from dialogs.lookups import active_registration, personal_event
from dialogs.programme_change_dialog import ProgrammeChangeDialog
from dialogs.programme_commands import ProgrammeCommands
from dialogs.programme_import_dialog import ProgrammeImportDialog
from dialogs.programme_view import next_text, now_text, programme_activity
from dialogs.purge_dialog import PurgeDialog
from dialogs.registration_commands import RegistrationCommands
from dialogs.shared_conversations import is_shared_conversation
from dialogs.sign_up_dialog import SignUpDialog
from dialogs.sign_up_form import SignUpForm
from dialogs.start_evaluation_dialog import StartEvaluationDialog
from dialogs.welcome import welcome_activity
from traef.group_plans import PlanKind

Answer = Callable[[TurnContext, Texts], Awaitable[Activity | None]]  # None: the card says it
_DIALOGS_WITH_WORDS = {  # dialogs that start from what the facilitator wrote
    Intent.CHANGE_PROGRAMME: ProgrammeChangeDialog.__name__,
    Intent.BROADCAST: BroadcastDialog.__name__,
    Intent.START_EVALUATION: StartEvaluationDialog.__name__,
}
_CHILD_DIALOGS = {
    Intent.SIGN_UP: SignUpDialog.__name__,
    Intent.CANCEL_REGISTRATION: CancelRegistrationDialog.__name__,
    Intent.ERASE_DATA: EraseDataDialog.__name__,
    Intent.IMPORT_PROGRAMME: ProgrammeImportDialog.__name__,
    Intent.PURGE: PurgeDialog.__name__,
    Intent.EVALUATION: EvaluationDialog.__name__,
}


def begins_dialog(intent: Intent | None) -> bool:
    """True when the intent is not answered within the turn but begins a dialog."""
    return (
        intent in _CHILD_DIALOGS
        or intent in _DIALOGS_WITH_WORDS
        or intent is Intent.EDIT_REGISTRATION
    )


class MainDialog(ComponentDialog):
    def __init__(self, dependencies: DialogDependencies) -> None:
        super().__init__(MainDialog.__name__)
        self._deps = dependencies
        self._registrations = RegistrationCommands(dependencies)
        self._facilitators = FacilitatorCommands(dependencies)
        self._programme = ProgrammeCommands(dependencies)
        self._groups = GroupCommands(dependencies)
        self._broadcasts = BroadcastCommands(dependencies)
        self._feedback = FeedbackCommands(dependencies)
        self._evaluation = EvaluationCommands(dependencies)
        self._answers = self._one_turn_answers()
        self.add_dialog(SignUpDialog(dependencies))
        self.add_dialog(CancelRegistrationDialog(dependencies))
        self.add_dialog(EraseDataDialog(dependencies))
        self.add_dialog(ProgrammeChangeDialog(dependencies))
        self.add_dialog(ProgrammeImportDialog(dependencies))
        self.add_dialog(BroadcastDialog(dependencies))
        self.add_dialog(PurgeDialog(dependencies))
        self.add_dialog(EvaluationDialog(dependencies))
        self.add_dialog(StartEvaluationDialog(dependencies))
        waterfall = f"{MainDialog.__name__}.route"
        self.add_dialog(WaterfallDialog(waterfall, [self.route_step, self.final_step]))
        self.initial_dialog_id = waterfall

    async def route_step(self, step_context: WaterfallStepContext) -> DialogTurnResult:
        context = step_context.context
        intent = intent_of(context)
        if intent is None or not begins_dialog(intent):
            await self._answer_turn(intent, context)
            return await step_context.end_dialog()
        texts = await self._turn_texts(intent, context)
        if intent in _CHILD_DIALOGS:
            return await step_context.begin_dialog(_CHILD_DIALOGS[intent])
        if intent is Intent.EDIT_REGISTRATION:
            return await self._edit_registration(step_context, texts)
        said = without_mentions(context.activity.text or "")
        return await step_context.begin_dialog(_DIALOGS_WITH_WORDS[intent], said)

    async def answer_turn(self, context: TurnContext) -> bool:
        """Answer a turn whose intent is answered within it, as `route_step` would, but without
        a dialog context; False, with nothing done, when the intent begins a dialog."""
        intent = intent_of(context)
        if begins_dialog(intent):
            return False
        await self._answer_turn(intent, context)
        return True

    async def _answer_turn(self, intent: Intent | None, context: TurnContext) -> None:
        texts = await self._turn_texts(intent, context)
        answer = await self._answer(intent, context, texts)
        if answer is not None:
            await context.send_activity(answer)

    async def _turn_texts(self, intent: Intent | None, context: TurnContext) -> Texts:
        """What every turn does first: switch language if asked, greet someone recognised (not
        where others read along: that they are on the list is theirs to tell)."""
        if intent in (Intent.ENGLISH, Intent.DANISH):
            await self._deps.language.set(context, "en" if intent is Intent.ENGLISH else "da")
        texts = await self._deps.language.texts(context)
        if intent is not Intent.ERASE_DATA and not is_shared_conversation(context.activity):
            await self._registrations.greet_if_recognised(context, texts)
        return texts

    async def final_step(self, step_context: WaterfallStepContext) -> DialogTurnResult:
        return await step_context.end_dialog()

    async def _answer(
        self, intent: Intent | None, context: TurnContext, texts: Texts
    ) -> Activity | None:
        answer = self._answers.get(intent) if intent is not None else None
        if answer is not None:
            return await answer(context, texts)
        key = "unknown_button" if intent is None else "not_understood"
        return MessageFactory.text(texts(key))

    def _one_turn_answers(self) -> dict[Intent, Answer]:
        """What each intent answered within the turn is answered with."""
        registrations, facilitators = self._registrations, self._facilitators
        programme, groups, feedback = self._programme, self._groups, self._feedback
        return {
            Intent.PROGRAMME: partial(self._programme_answer, Intent.PROGRAMME),
            Intent.NOW: partial(self._programme_answer, Intent.NOW),
            Intent.NEXT: partial(self._programme_answer, Intent.NEXT),
            Intent.ENGLISH: _say("language_switched"),
            Intent.DANISH: _say("language_switched"),
            Intent.CANCEL: _say("nothing_to_cancel"),
            Intent.GREETING: _welcome,
            Intent.HELP: self._help,
            Intent.MY_REGISTRATION: registrations.my_registration,
            Intent.MY_DATA: registrations.my_data,
            Intent.CHECK_IN: registrations.check_in,
            Intent.PARTICIPANTS: facilitators.participants,
            Intent.IMPORT_PARTICIPANTS: facilitators.import_participants,
            Intent.PROGRAMME_QUESTION: programme.question,
            Intent.UNDO_CHANGE: programme.undo,
            Intent.PREPARATION: programme.preparation,
            Intent.SET_PREPARATION: programme.set_preparation,
            Intent.CALENDAR: programme.calendar,
            Intent.REMINDERS_ON: partial(programme.reminders, on=True),
            Intent.REMINDERS_OFF: partial(programme.reminders, on=False),
            Intent.MY_GROUP: partial(groups.my_group, kind=PlanKind.BREAKOUT),
            Intent.MY_PARTNER: partial(groups.my_group, kind=PlanKind.PHONE),
            Intent.MOVE_MEMBER: groups.move,
            Intent.MAKE_GROUPS: partial(groups.make, kind=PlanKind.BREAKOUT),
            Intent.MAKE_PAIRS: partial(groups.make, kind=PlanKind.PHONE),
            Intent.PARTNER_NO_ANSWER: groups.partner_no_answer,
            Intent.LOCK_GROUPS: groups.lock,
            Intent.PUBLISH_GROUPS: groups.publish,
            Intent.IMPORT_GROUPS: groups.import_fixed,
            Intent.GIVE_FEEDBACK: feedback.give_feedback,
            Intent.RATE: feedback.rate,
            Intent.POSTIT: feedback.add_postit,
            Intent.MY_POSTITS: feedback.my_postits,
            Intent.WITHDRAW_POSTIT: feedback.withdraw_postit,
            Intent.ALL_POSTITS: feedback.postits,
            Intent.RESULTS: feedback.results,
            Intent.REMIND_EVALUATION: self._evaluation.remind,
            Intent.CLOSE_EVALUATION: self._evaluation.close,
            Intent.BROADCAST_STATUS: self._broadcasts.status,
            Intent.BROADCAST_STOP: self._broadcasts.stop,
        }

    async def _help(self, context: TurnContext, texts: Texts) -> Activity:
        if is_shared_conversation(context.activity):  # only what is answered there
            return MessageFactory.text(texts("help_shared"))
        if await self._deps.is_facilitator(context):
            return MessageFactory.text(f"{texts('help')}\n\n{texts('help_facilitator')}")
        return MessageFactory.text(texts("help"))

    async def _programme_answer(
        self, intent: Intent, context: TurnContext, texts: Texts
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


def _say(key: str) -> Answer:
    async def say(context: TurnContext, texts: Texts) -> Activity:
        return MessageFactory.text(texts(key))

    return say


async def _welcome(context: TurnContext, texts: Texts) -> Activity:
    sender = context.activity.from_property
    return welcome_activity(texts, sender.name if sender else None)
