"""A participant answers the open evaluation, one question at a time, each answer saved at once.

Stopping half-way (`annullér`) keeps what was answered; `evaluering` continues with the first
question not yet answered. Optional questions can be skipped with `spring over` / `skip`.
"""

from __future__ import annotations

import re
from typing import Any

from botbuilder.core import MessageFactory
from botbuilder.dialogs import (
    DialogContext,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.dialogs.choices import Choice, FoundChoice, ListStyle
from botbuilder.dialogs.prompts import (
    ChoicePrompt,
    PromptOptions,
    PromptValidatorContext,
    TextPrompt,
)

from dialogs.cancellable_dialog import CancellableDialog
from dialogs.dependencies import DialogDependencies
from dialogs.i18n import LANGUAGES, Catalogue, Texts
from dialogs.lookups import active_registration
from dialogs.sign_up_questions import MAX_ATTEMPTS
from traef.errors import TraefError
from traef.evaluation_forms import MAX_TEXT_LENGTH, Question, QuestionType, Text
from traef.evaluation_reminders import NoEvaluationError, open_evaluation_of
from traef.feedback import (
    FeedbackClosedError,
    FeedbackForm,
    Progress,
    answer_question,
    progress,
)

MEMO = "memo"
SKIP = {"skip": True}  # what a prompt returns for a skipped optional question
_ATTEMPTS = "traef.attempts"
_CHOICE_TYPES = (QuestionType.LIKERT, QuestionType.SINGLE_CHOICE)


class EvaluationDialog(CancellableDialog):
    """Options: None to start; the memo of the previous round when moving to the next question."""

    WATERFALL = "EvaluationDialog.questions"
    CHOICE_PROMPT = "EvaluationDialog.choice"
    TEXT_PROMPT = "EvaluationDialog.text"

    def __init__(self, dependencies: DialogDependencies) -> None:
        super().__init__(EvaluationDialog.__name__, dependencies)
        self.add_dialog(ChoicePrompt(self.CHOICE_PROMPT, EvaluationDialog.answer_validator))
        self.add_dialog(TextPrompt(self.TEXT_PROMPT, EvaluationDialog.answer_validator))
        self.add_dialog(
            WaterfallDialog(self.WATERFALL, [self.open_step, self.question_step, self.answer_step])
        )
        self.initial_dialog_id = self.WATERFALL

    async def open_step(self, step_context: WaterfallStepContext) -> DialogTurnResult:
        memo = step_context.options
        if not isinstance(memo, dict):
            memo = await self._start(step_context)
            if memo is None:
                return await step_context.end_dialog()
        step_context.values[MEMO] = memo
        return await step_context.next(None)

    async def question_step(self, step_context: WaterfallStepContext) -> DialogTurnResult:
        memo = step_context.values[MEMO]
        context = step_context.context
        texts = await self._deps.language.texts(context)
        form = await self._form(memo)
        done = await progress(
            self._deps.uow_factory(), self._deps.feedback_secret, memo["form_id"], memo["person"]
        )
        if done.complete:
            await context.send_activity(MessageFactory.text(texts("evaluation_thanks")))
            return await step_context.end_dialog()
        question = form.evaluation().question(done.remaining[0])
        memo["question"] = question.key
        number = len(form.evaluation().questions) - len(done.remaining) + 1
        return await self._ask(step_context, question, number, len(form.evaluation().questions))

    async def answer_step(self, step_context: WaterfallStepContext) -> DialogTurnResult:
        memo = step_context.values[MEMO]
        context = step_context.context
        texts = await self._deps.language.texts(context)
        question = (await self._form(memo)).evaluation().question(memo["question"])
        value = _value(question, step_context.result)
        if value is _GAVE_UP:
            await context.send_activity(MessageFactory.text(texts("evaluation_gave_up")))
            return await step_context.end_dialog()
        try:
            await answer_question(
                self._deps.uow_factory(),
                self._deps.feedback_secret,
                memo["form_id"],
                memo["person"],
                question.key,
                value,
                self._deps.now(),
            )
        except FeedbackClosedError:
            await context.send_activity(MessageFactory.text(texts("evaluation_closed")))
            return await step_context.end_dialog()
        except TraefError as error:
            await context.send_activity(MessageFactory.text(texts("invalid_detail", reason=error)))
        return await step_context.replace_dialog(self.WATERFALL, memo)

    @staticmethod
    async def answer_validator(prompt_context: PromptValidatorContext) -> bool:
        spec: dict[str, Any] = prompt_context.options.validations
        said = " ".join((prompt_context.context.activity.text or "").split())
        recognized = prompt_context.recognized
        if spec["optional"] and said.casefold() in _skip_words():
            recognized.value, recognized.succeeded = SKIP, True
            return True
        kind = QuestionType(spec["type"])
        if kind in _CHOICE_TYPES and recognized.succeeded:
            return True
        if kind is QuestionType.MULTIPLE_CHOICE:
            chosen = _numbers(said, spec["options"])
            if chosen:
                recognized.value, recognized.succeeded = chosen, True
                return True
        if kind is QuestionType.FREE_TEXT and said and len(said) <= MAX_TEXT_LENGTH:
            return True
        attempts = prompt_context.state.get(_ATTEMPTS, 0) + 1
        prompt_context.state[_ATTEMPTS] = attempts
        return attempts >= MAX_ATTEMPTS

    def cancelled_text(self, inner_dc: DialogContext, texts: Texts) -> str:
        return texts("evaluation_paused")

    async def _start(self, step_context: WaterfallStepContext) -> dict[str, Any] | None:
        """Who answers which form; None after saying why there is nothing to answer."""
        context = step_context.context
        texts = await self._deps.language.texts(context)
        found = await active_registration(self._deps, context, texts)
        if found is None:
            return None
        event, person = found
        assert event.id is not None and person.id is not None
        try:
            form = await open_evaluation_of(self._deps.uow_factory(), event.id, self._deps.now())
        except NoEvaluationError:
            await context.send_activity(MessageFactory.text(texts("evaluation_none")))
            return None
        except FeedbackClosedError:
            await context.send_activity(MessageFactory.text(texts("evaluation_closed")))
            return None
        assert form.id is not None
        done = await progress(
            self._deps.uow_factory(), self._deps.feedback_secret, form.id, person.id
        )
        await context.send_activity(MessageFactory.text(self._greeting(form, done, texts)))
        return None if done.complete else {"form_id": form.id, "person": person.id}

    def _greeting(self, form: FeedbackForm, done: Progress, texts: Texts) -> str:
        evaluation = form.evaluation()
        title = in_language(evaluation.title, texts)
        total = len(evaluation.questions)
        if done.complete:
            return texts("evaluation_already_done", title=title)
        deadline = ""
        if form.closes_at is not None:
            local = form.closes_at.astimezone(self._deps.zone)
            deadline = texts("evaluation_deadline", time=texts.time(local))
        if done.answered:
            return (
                texts("evaluation_continue", title=title, left=len(done.remaining), total=total)
                + deadline
            )
        return texts("evaluation_intro", title=title, total=total) + deadline

    async def _ask(
        self, step_context: WaterfallStepContext, question: Question, number: int, total: int
    ) -> DialogTurnResult:
        texts = await self._deps.language.texts(step_context.context)
        lines = [
            texts(
                "evaluation_question",
                number=number,
                total=total,
                text=in_language(question.text, texts),
            )
        ]
        if question.type is QuestionType.MULTIPLE_CHOICE:
            lines += [
                f"{n}. {in_language(o.text, texts)}" for n, o in enumerate(question.options, 1)
            ]
            lines.append(texts("evaluation_multiple_hint"))
        if question.optional:
            lines.append(texts("evaluation_optional_hint"))
        spec = {
            "type": question.type.value,
            "optional": question.optional,
            "options": len(question.options),
        }
        retry = (
            "retry_choice"
            if question.type in _CHOICE_TYPES
            else f"evaluation_retry_{question.type.value}"
        )
        options = PromptOptions(
            prompt=MessageFactory.text("\n\n".join(lines)),
            retry_prompt=MessageFactory.text(texts(retry)),
            validations=spec,
        )
        if question.type not in _CHOICE_TYPES:
            return await step_context.prompt(self.TEXT_PROMPT, options)
        options.choices = _choices(question, texts)
        options.style = ListStyle.list_style
        return await step_context.prompt(self.CHOICE_PROMPT, options)

    async def _form(self, memo: dict[str, Any]) -> FeedbackForm:
        uow = self._deps.uow_factory()
        async with uow:
            form = await uow.feedback.get_form(memo["form_id"])
        assert form is not None
        return form


_GAVE_UP = object()


def in_language(text: Text, texts: Texts) -> str:
    return text.en if texts.language == "en" else text.da


def _choices(question: Question, texts: Texts) -> list[Choice]:
    if question.type is QuestionType.LIKERT:
        labels = [in_language(label, texts) for label in question.labels]
        return (
            [Choice(label) for label in labels] if labels else [Choice(str(n)) for n in range(1, 6)]
        )
    return [Choice(in_language(option.text, texts)) for option in question.options]


def _value(question: Question, result: Any) -> Any:
    """The answer to store (None: skipped), or _GAVE_UP after three wrong answers."""
    if result == SKIP:
        return None
    if question.type is QuestionType.LIKERT and isinstance(result, FoundChoice):
        return result.index + 1
    if question.type is QuestionType.SINGLE_CHOICE and isinstance(result, FoundChoice):
        return question.options[result.index].key
    if question.type is QuestionType.MULTIPLE_CHOICE and isinstance(result, list):
        return [question.options[n - 1].key for n in result]
    if question.type is QuestionType.FREE_TEXT and isinstance(result, str) and result.strip():
        return result.strip()
    return _GAVE_UP


def _numbers(said: str, count: int) -> list[int]:
    """'1, 3' → [1, 3]; [] unless every part is an option's number."""
    parts = [part for part in re.split(r"[\s,;]+|\bog\b|\band\b", said) if part]
    if not parts or not all(part.isdigit() and 1 <= int(part) <= count for part in parts):
        return []
    return sorted({int(part) for part in parts})


def _skip_words() -> set[str]:
    catalogue = Catalogue.default()
    return {
        word for language in LANGUAGES for word in catalogue.texts(language).words("skip_words")
    }
