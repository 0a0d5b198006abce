"""Anonymous feedback: session ratings, post-its and evaluation questionnaires.

Answers are stored without the person's identity. What keeps one answer per person is a
respondent token, HMAC-SHA256(secret, "<form key>:<participant id>"): one-way, and useless
without the secret. Closing a form deletes its tokens, so afterwards nothing links an answer
to anyone. Results are shown only for questions with at least `min_group` answers, free texts
sorted by their text rather than by arrival.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from traef.errors import NotSignedUpError, TraefError
from traef.evaluation_forms import (
    MAX_TEXT_LENGTH,
    EvaluationForm,
    InvalidAnswerError,
    QuestionType,
    evaluation_form_from_data,
    evaluation_form_to_data,
)
from traef.group_plans import PlanKind

if TYPE_CHECKING:
    from traef.ports import UnitOfWork

MIN_GROUP = 5
RATING_QUESTION = "rating"


class FormKind(StrEnum):
    RATING = "rating"
    EVALUATION = "evaluation"


class FeedbackClosedError(TraefError):
    """The form is closed, or its deadline has passed."""


class UnknownFormError(TraefError):
    """No such feedback form."""


class PostItNotFoundError(TraefError):
    """No post-it of yours with that number."""


@dataclass(frozen=True, slots=True)
class FeedbackForm:
    event_id: int
    key: str  # "rating:<item id>" or "evaluation:<name>", unique per event
    kind: FormKind
    opened_at: datetime
    closes_at: datetime | None = None
    closed_at: datetime | None = None
    definition: dict[str, Any] | None = None  # evaluations: `evaluation_form_to_data`
    id: int | None = None

    def is_open(self, now: datetime) -> bool:
        return self.closed_at is None and (self.closes_at is None or now < self.closes_at)

    def evaluation(self) -> EvaluationForm:
        if self.kind is not FormKind.EVALUATION or self.definition is None:
            raise UnknownFormError(f"Form {self.key} is not an evaluation.")
        return evaluation_form_from_data(self.definition)


@dataclass(frozen=True, slots=True)
class Answer:
    form_id: int
    respondent: str | None  # the token; None once the form is closed
    question: str
    value: Any  # JSON


@dataclass(frozen=True, slots=True)
class PostIt:
    event_id: int
    text: str
    created_at: datetime  # to the hour
    item_id: int | None = None
    group_number: int | None = None
    respondent: str | None = None  # token of "postits:<event id>"; None after the purge
    id: int | None = None


@dataclass(frozen=True, slots=True)
class QuestionResult:
    question: str
    count: int
    withheld: bool  # fewer than `min_group` answers: nothing else is shown
    average: float | None = None
    distribution: tuple[tuple[str, int], ...] = ()
    texts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Progress:
    answered: dict[str, Any] = field(default_factory=dict)
    remaining: tuple[str, ...] = ()  # unanswered questions, in the form's order

    @property
    def complete(self) -> bool:
        return not self.remaining


def respondent_token(secret: bytes, form_key: str, participant_id: int) -> str:
    message = f"{form_key}:{participant_id}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def to_the_hour(instant: datetime) -> datetime:
    return instant.replace(minute=0, second=0, microsecond=0)


def rating_key(item_id: int) -> str:
    return f"rating:{item_id}"


def postits_key(event_id: int) -> str:
    return f"postits:{event_id}"


async def rate(
    uow: UnitOfWork,
    secret: bytes,
    event_id: int,
    item_id: int,
    participant_id: int,
    score: int,
    comment: str | None,
    now: datetime,
) -> None:
    """Rate an item 1–5; rating it again replaces the earlier rating while the form is open."""
    if isinstance(score, bool) or not isinstance(score, int) or score not in range(1, 6):
        raise InvalidAnswerError(f"A rating is 1 to 5, not {score!r}.")
    comment = _text(comment) if comment and comment.strip() else None
    async with uow:
        await _check_participant(uow, event_id, participant_id)
        event = await uow.events.get(event_id)
        if event is None or all(item.id != item_id for item in event.items):
            raise UnknownFormError(f"Event {event_id} has no item {item_id}.")
        form = await uow.feedback.ensure_form(
            FeedbackForm(event_id, rating_key(item_id), FormKind.RATING, to_the_hour(now))
        )
        _check_open(form, now)
        token = respondent_token(secret, form.key, participant_id)
        value = {"score": score, "comment": comment}
        await uow.feedback.save_answer(Answer(_id(form), token, RATING_QUESTION, value))
        await uow.commit()


async def open_evaluation(
    uow: UnitOfWork,
    event_id: int,
    name: str,
    form: EvaluationForm,
    closes_at: datetime | None,
    now: datetime,
) -> FeedbackForm:
    """Open the questionnaire as form "evaluation:<name>"; an open one of that name stays."""
    async with uow:
        stored = await uow.feedback.ensure_form(
            FeedbackForm(
                event_id,
                f"evaluation:{name}",
                FormKind.EVALUATION,
                to_the_hour(now),
                closes_at=closes_at,
                definition=evaluation_form_to_data(form),
            )
        )
        await uow.commit()
    return stored


async def answer_question(
    uow: UnitOfWork,
    secret: bytes,
    form_id: int,
    participant_id: int,
    question_key: str,
    value: Any,
    now: datetime,
) -> None:
    """Save one answer at once (so stopping half-way loses nothing); answering again replaces."""
    async with uow:
        form = await _form(uow, form_id)
        await _check_participant(uow, form.event_id, participant_id)
        _check_open(form, now)
        stored = form.evaluation().question(question_key).check(value)
        token = respondent_token(secret, form.key, participant_id)
        await uow.feedback.save_answer(Answer(form_id, token, question_key, stored))
        await uow.commit()


async def progress(uow: UnitOfWork, secret: bytes, form_id: int, participant_id: int) -> Progress:
    """What the person answered so far, and what is left, to continue where they stopped."""
    async with uow:
        form = await _form(uow, form_id)
        answered = await uow.feedback.answers_of(
            form_id, respondent_token(secret, form.key, participant_id)
        )
    questions = form.evaluation().questions
    return Progress(answered, tuple(q.key for q in questions if q.key not in answered))


async def close_form(uow: UnitOfWork, form_id: int, now: datetime) -> None:
    """Close the form and delete its respondent tokens: its answers can no longer change."""
    async with uow:
        await uow.feedback.close_form(form_id, now)
        await uow.commit()


async def close_due_forms(uow: UnitOfWork, event_id: int, now: datetime) -> list[int]:
    """Close every form of the event whose deadline has passed; returns their ids."""
    async with uow:
        due = [
            _id(form)
            for form in await uow.feedback.forms_of(event_id)
            if form.closed_at is None and form.closes_at is not None and form.closes_at <= now
        ]
        for form_id in due:
            await uow.feedback.close_form(form_id, now)
        await uow.commit()
    return due


async def results(
    uow: UnitOfWork, form_id: int, min_group: int = MIN_GROUP
) -> list[QuestionResult]:
    """Per question: counts, average and distribution, or withheld below `min_group` answers."""
    async with uow:
        form = await _form(uow, form_id)
        values = await uow.feedback.values(form_id)
    by_question: dict[str, list[Any]] = {}
    for question, value in values:
        if value is not None:
            by_question.setdefault(question, []).append(value)
    if form.kind is FormKind.RATING:
        return [_rating_result(by_question.get(RATING_QUESTION, []), min_group)]
    return [
        _result(q.key, q.type, by_question.get(q.key, []), min_group)
        for q in form.evaluation().questions
    ]


async def add_postit(
    uow: UnitOfWork,
    secret: bytes,
    event_id: int,
    participant_id: int,
    text: str,
    now: datetime,
) -> PostIt:
    """One suggestion, tagged with the item running now and the person's breakout group in it."""
    async with uow:
        await _check_participant(uow, event_id, participant_id)
        event = await uow.events.get(event_id)
        item = event.now_and_next(now).current if event is not None else None
        group_number = None
        if item is not None and item.id is not None:
            plan = await uow.plans.latest(event_id, PlanKind.BREAKOUT, item.id)
            group = plan.group_of(participant_id) if plan is not None else None
            group_number = group.number if group is not None else None
        postit = await uow.feedback.add_postit(
            PostIt(
                event_id,
                _text(text),
                to_the_hour(now),
                item_id=item.id if item is not None else None,
                group_number=group_number,
                respondent=respondent_token(secret, postits_key(event_id), participant_id),
            )
        )
        await uow.commit()
    return postit


async def my_postits(
    uow: UnitOfWork, secret: bytes, event_id: int, participant_id: int
) -> list[PostIt]:
    token = respondent_token(secret, postits_key(event_id), participant_id)
    async with uow:
        return await uow.feedback.postits_of(event_id, token)


async def withdraw_postit(
    uow: UnitOfWork, secret: bytes, event_id: int, participant_id: int, postit_id: int
) -> None:
    token = respondent_token(secret, postits_key(event_id), participant_id)
    async with uow:
        if not await uow.feedback.delete_postit(postit_id, token):
            raise PostItNotFoundError(f"No post-it {postit_id} of yours.")
        await uow.commit()


async def postits_by_group(uow: UnitOfWork, event_id: int) -> dict[int | None, list[str]]:
    """The post-its' texts by breakout group (None: no group), each group's sorted by text."""
    async with uow:
        postits = await uow.feedback.postits(event_id)
    grouped: dict[int | None, list[str]] = {}
    for postit in postits:
        grouped.setdefault(postit.group_number, []).append(postit.text)
    order = sorted(grouped, key=lambda n: (n is None, n or 0))
    return {number: sorted(grouped[number], key=str.casefold) for number in order}


def _rating_result(values: list[Any], min_group: int) -> QuestionResult:
    scores = [value["score"] for value in values]
    result = _result(RATING_QUESTION, QuestionType.LIKERT, scores, min_group)
    if result.withheld:
        return result
    comments = sorted((v["comment"] for v in values if v.get("comment")), key=str.casefold)
    return QuestionResult(
        result.question, result.count, False, result.average, result.distribution, tuple(comments)
    )


def _result(key: str, kind: QuestionType, values: list[Any], min_group: int) -> QuestionResult:
    if len(values) < min_group:
        return QuestionResult(key, len(values), withheld=True)
    if kind is QuestionType.FREE_TEXT:
        return QuestionResult(
            key, len(values), False, texts=tuple(sorted(values, key=str.casefold))
        )
    if kind is QuestionType.MULTIPLE_CHOICE:
        counts = Counter(str(option) for value in values for option in value)
    else:
        counts = Counter(str(value) for value in values)
    average = sum(values) / len(values) if kind is QuestionType.LIKERT else None
    return QuestionResult(key, len(values), False, average, tuple(sorted(counts.items())))


async def _check_participant(uow: UnitOfWork, event_id: int, participant_id: int) -> None:
    participant = await uow.participants.get(participant_id)
    if participant is None or participant.event_id != event_id or not participant.is_active:
        raise NotSignedUpError(f"Participant {participant_id} is not signed up for {event_id}.")


async def _form(uow: UnitOfWork, form_id: int) -> FeedbackForm:
    form = await uow.feedback.get_form(form_id)
    if form is None:
        raise UnknownFormError(f"No feedback form {form_id}.")
    return form


def _check_open(form: FeedbackForm, now: datetime) -> None:
    if not form.is_open(now):
        raise FeedbackClosedError(f"Form {form.key} is closed.")


def _id(form: FeedbackForm) -> int:
    if form.id is None:
        raise UnknownFormError(f"Form {form.key} is not stored.")
    return form.id


def _text(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidAnswerError("The text is empty.")
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidAnswerError(f"At most {MAX_TEXT_LENGTH} characters.")
    return text
