"""Sign up, or change a registration: one question at a time, then a summary to confirm."""

from __future__ import annotations

from botbuilder.core import MessageFactory
from botbuilder.dialogs import (
    DialogContext,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.dialogs.prompts import PromptOptions, PromptValidatorContext, TextPrompt

from dialogs.cancellable_dialog import CancellableDialog
from dialogs.cards import card_activity, replace_card
from dialogs.dependencies import DialogDependencies
from dialogs.i18n import Texts
from dialogs.identity import identity_of, profile_name
from dialogs.lookups import own_registration
from dialogs.registration_view import (
    CONFIRM,
    decided_summary_card,
    summary_answer,
    summary_card,
)
from dialogs.sign_up_form import SignUpForm
from dialogs.sign_up_questions import InvalidAnswerError, add_prompts, question, read_answer
from traef.errors import EmailInUseError, NoEventError, TraefError
from traef.registration import Detail, sign_up
from traef.services import current_event

FORM = "form"


class SignUpDialog(CancellableDialog):
    """Options: None to sign up, or a SignUpForm filled from a registration to change it."""

    WATERFALL = "SignUpDialog.questions"
    SUMMARY_PROMPT = "SignUpDialog.summary"

    def __init__(self, dependencies: DialogDependencies) -> None:
        super().__init__(SignUpDialog.__name__, dependencies)
        add_prompts(self)
        self.add_dialog(TextPrompt(self.SUMMARY_PROMPT, SignUpDialog.summary_validator))
        self.add_dialog(
            WaterfallDialog(
                self.WATERFALL,
                [self.open_step, self.question_step, self.summary_step, self.decision_step],
            )
        )
        self.initial_dialog_id = self.WATERFALL

    async def open_step(self, step_context: WaterfallStepContext) -> DialogTurnResult:
        form = step_context.options
        if not isinstance(form, SignUpForm):
            form = await self._new_form(step_context)
            if form is None:
                return await step_context.end_dialog()
        step_context.values[FORM] = form
        return await step_context.next(None)

    async def question_step(self, step_context: WaterfallStepContext) -> DialogTurnResult:
        form = _form(step_context)
        detail = form.next_question()
        if detail is None:
            return await step_context.next(None)
        form.asking = detail.value
        texts = await self._deps.language.texts(step_context.context)
        prompt_id, options = question(detail, form, texts)
        return await step_context.prompt(prompt_id, options)

    async def summary_step(self, step_context: WaterfallStepContext) -> DialogTurnResult:
        form = _form(step_context)
        texts = await self._deps.language.texts(step_context.context)
        if form.asking is not None:
            try:
                form.answer(
                    Detail(form.asking), read_answer(Detail(form.asking), step_context.result, form)
                )
            except InvalidAnswerError:
                return await self._give_up(step_context, form, texts)
            form.asking = None
        if form.next_question() is not None:
            return await step_context.replace_dialog(self.WATERFALL, form)
        card = card_activity(summary_card(form, texts))
        retry = MessageFactory.text(texts("summary_retry"))
        return await step_context.prompt(
            self.SUMMARY_PROMPT, PromptOptions(prompt=card, retry_prompt=retry)
        )

    async def decision_step(self, step_context: WaterfallStepContext) -> DialogTurnResult:
        form = _form(step_context)
        context = step_context.context
        texts = await self._deps.language.texts(context)
        if step_context.result != CONFIRM:
            await replace_card(context, decided_summary_card(form, step_context.result, texts))
            form.clear(Detail(step_context.result))
            return await step_context.replace_dialog(self.WATERFALL, form)
        try:
            event = await current_event(self._deps.uow_factory(), self._deps.today())
            participant = await sign_up(
                self._deps.uow_factory(),
                event,
                identity_of(context),
                form.to_sign_up(texts.language),
            )
        except NoEventError:
            await context.send_activity(MessageFactory.text(texts("no_event")))
            return await step_context.end_dialog()
        except EmailInUseError:
            await context.send_activity(MessageFactory.text(texts("email_in_use")))
            form.clear(Detail.EMAIL)
            return await step_context.replace_dialog(self.WATERFALL, form)
        except TraefError as error:
            await context.send_activity(MessageFactory.text(texts("invalid_detail", reason=error)))
            return await step_context.end_dialog()
        await replace_card(context, decided_summary_card(form, CONFIRM, texts))
        first_name = participant.name.split()[0]
        done = (
            texts("signup_updated")
            if form.editing
            else texts("signup_done", first_name=first_name, event=event.name)
        )
        await context.send_activity(MessageFactory.text(done))
        return await step_context.end_dialog(participant)

    @staticmethod
    async def summary_validator(prompt_context: PromptValidatorContext) -> bool:
        activity = prompt_context.context.activity
        answer = summary_answer(activity.value, activity.text)
        if answer is None:
            return False
        prompt_context.recognized.value = answer
        prompt_context.recognized.succeeded = True
        return True

    def cancelled_text(self, inner_dc: DialogContext, texts: Texts) -> str:
        waterfall = next((i for i in inner_dc.stack if i.id == self.WATERFALL), None)
        form = waterfall.state.get("values", {}).get(FORM) if waterfall else None
        editing = isinstance(form, SignUpForm) and form.editing
        return texts("edit_cancelled") if editing else texts("signup_cancelled")

    async def _new_form(self, step_context: WaterfallStepContext) -> SignUpForm | None:
        """A fresh form; None (after saying why) when there is nothing to sign up for."""
        context = step_context.context
        texts = await self._deps.language.texts(context)
        found = await own_registration(self._deps, context, texts)
        if found is None:
            return None
        event, existing = found
        if existing is not None and existing.is_active:
            await context.send_activity(
                MessageFactory.text(texts("signup_already", event=event.name))
            )
            return None
        if existing is not None:
            await context.send_activity(MessageFactory.text(texts("signup_welcome_back")))
            return SignUpForm.from_participant(existing, False, event.departments, event.levels)
        await context.send_activity(MessageFactory.text(texts("signup_intro", event=event.name)))
        return SignUpForm(
            departments=event.departments,
            levels=event.levels,
            suggested_name=profile_name(context),
            suggested_email=await self._deps.profiles.email(context),
        )

    async def _give_up(
        self, step_context: WaterfallStepContext, form: SignUpForm, texts: Texts
    ) -> DialogTurnResult:
        command = texts("command_edit") if form.editing else texts("command_sign_up")
        await step_context.context.send_activity(
            MessageFactory.text(texts("gave_up", command=command))
        )
        return await step_context.end_dialog()


def _form(step_context: WaterfallStepContext) -> SignUpForm:
    form = step_context.values[FORM]
    assert isinstance(form, SignUpForm)
    return form
