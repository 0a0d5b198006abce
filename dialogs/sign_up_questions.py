"""The questions of the sign-up form: how each is asked, checked and read back."""

from __future__ import annotations

from typing import Any

from botbuilder.core import MessageFactory
from botbuilder.dialogs import ComponentDialog
from botbuilder.dialogs.choices import Choice, FoundChoice, ListStyle
from botbuilder.dialogs.prompts import (
    ChoicePrompt,
    PromptOptions,
    PromptValidatorContext,
    TextPrompt,
)
from botbuilder.schema import ActionTypes, CardAction

from dialogs.i18n import LANGUAGES, Catalogue, Texts
from dialogs.sign_up_form import SignUpForm
from traef.contact import normalise_email, normalise_phone
from traef.errors import TraefError
from traef.participants import ParticipantType
from traef.registration import Detail

TEXT_PROMPT = "SignUpQuestions.text"
CHOICE_PROMPT = "SignUpQuestions.choice"
MAX_ATTEMPTS = 3
_ATTEMPTS = "traef.attempts"

_CHOICE_QUESTIONS = {Detail.DEPARTMENT, Detail.LEVEL, Detail.PARTICIPANT_TYPE, Detail.PHONE_CONSENT}
_ASK = {
    Detail.NAME: "ask_name",
    Detail.EMAIL: "ask_email",
    Detail.DEPARTMENT: "ask_department",
    Detail.AREA: "ask_area",
    Detail.LEVEL: "ask_level",
    Detail.PARTICIPANT_TYPE: "ask_participant_type",
    Detail.PHONE: "ask_phone",
    Detail.PHONE_CONSENT: "ask_phone_consent",
}
_RETRY = {
    Detail.NAME: "retry_name",
    Detail.EMAIL: "retry_email",
    Detail.AREA: "retry_area",
    Detail.PHONE: "retry_phone",
    Detail.PHONE_CONSENT: "retry_yes_no",
}
TYPE_LABELS = {kind: f"type_{kind.value}" for kind in ParticipantType}


class InvalidAnswerError(Exception):
    """The answer does not fit the question."""


def add_prompts(dialog: ComponentDialog) -> None:
    dialog.add_dialog(TextPrompt(TEXT_PROMPT, text_validator))
    dialog.add_dialog(ChoicePrompt(CHOICE_PROMPT, choice_validator))


def question(detail: Detail, form: SignUpForm, texts: Texts) -> tuple[str, PromptOptions]:
    """The prompt to use and what it says."""
    retry = texts(_RETRY.get(detail, "retry_choice"))
    if detail in _CHOICE_QUESTIONS:
        options = PromptOptions(
            prompt=MessageFactory.text(texts(_ASK[detail])),
            retry_prompt=MessageFactory.text(retry),
            choices=choices(detail, form, texts),
            style=ListStyle.list_style,
        )
        return CHOICE_PROMPT, options
    suggestion = form.suggested_name if detail is Detail.NAME else None
    if detail is Detail.EMAIL:
        suggestion = form.suggested_email
    prompt = MessageFactory.text(texts(_ASK[detail]))
    if suggestion:
        prompt = MessageFactory.suggested_actions(
            [CardAction(type=ActionTypes.im_back, title=suggestion, value=suggestion)],
            texts("ask_name_prefilled") if detail is Detail.NAME else texts(_ASK[detail]),
        )
    options = PromptOptions(
        prompt=prompt, retry_prompt=MessageFactory.text(retry), validations=detail.value
    )
    return TEXT_PROMPT, options


def choices(detail: Detail, form: SignUpForm, texts: Texts) -> list[Choice]:
    if detail is Detail.DEPARTMENT:
        return [Choice(value) for value in form.departments]
    if detail is Detail.LEVEL:
        return [Choice(value) for value in form.levels]
    if detail is Detail.PARTICIPANT_TYPE:
        return [Choice(texts(TYPE_LABELS[kind])) for kind in ParticipantType]
    return yes_no_choices(texts)


def yes_no_choices(texts: Texts) -> list[Choice]:
    return [
        Choice(texts("yes"), synonyms=["ja", "jo", "jep", "yes", "y", "ok", "okay", "gerne"]),
        Choice(texts("no"), synonyms=["nej", "no", "n", "nope", "helst ikke"]),
    ]


def read_answer(detail: Detail, result: Any, form: SignUpForm) -> str | bool | None:
    """The stored value for a prompt's result; raises InvalidAnswerError when the user gave up."""
    if detail in _CHOICE_QUESTIONS:
        if not isinstance(result, FoundChoice):
            raise InvalidAnswerError(detail.value)
        if detail is Detail.DEPARTMENT:
            return form.departments[result.index]
        if detail is Detail.LEVEL:
            return form.levels[result.index]
        if detail is Detail.PARTICIPANT_TYPE:
            return list(ParticipantType)[result.index].value
        return result.index == 0
    if not isinstance(result, str):
        raise InvalidAnswerError(detail.value)
    return parse_text(detail, result)


def parse_text(detail: Detail, text: str) -> str | None:
    cleaned = " ".join(text.split())
    try:
        if detail is Detail.EMAIL:
            return normalise_email(cleaned)
        if detail is Detail.PHONE:
            return None if cleaned.lower() in _skip_words() else normalise_phone(cleaned)
    except TraefError as error:
        raise InvalidAnswerError(str(error)) from None
    if not 1 <= len(cleaned) <= 120 or not any(c.isalpha() for c in cleaned):
        raise InvalidAnswerError(detail.value)
    if detail is Detail.NAME and len(cleaned) < 2:
        raise InvalidAnswerError(detail.value)
    return cleaned


def _skip_words() -> set[str]:
    catalogue = Catalogue.default()
    return {
        word for language in LANGUAGES for word in catalogue.texts(language).words("skip_words")
    }


async def text_validator(prompt_context: PromptValidatorContext) -> bool:
    detail = Detail(prompt_context.options.validations)
    if prompt_context.recognized.succeeded:
        try:
            parse_text(detail, prompt_context.recognized.value)
            return True
        except InvalidAnswerError:
            pass
    return _out_of_attempts(prompt_context)


async def choice_validator(prompt_context: PromptValidatorContext) -> bool:
    return prompt_context.recognized.succeeded or _out_of_attempts(prompt_context)


def _out_of_attempts(prompt_context: PromptValidatorContext) -> bool:
    """Counts a wrong answer; after the third the prompt lets go and the step gives up."""
    attempts = prompt_context.state.get(_ATTEMPTS, 0) + 1
    prompt_context.state[_ATTEMPTS] = attempts
    return attempts >= MAX_ATTEMPTS
