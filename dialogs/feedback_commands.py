"""Feedback in chat: rating a programme item, post-its, and the facilitators' results."""

from __future__ import annotations

import re
from typing import Literal

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Activity
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dialogs.cards import replace_card
from dialogs.dependencies import DialogDependencies
from dialogs.feedback_view import (
    my_postits_text,
    posted_card,
    postit_activity,
    postit_lines,
    rated_card,
    rating_activity,
    rating_result_lines,
)
from dialogs.i18n import Texts
from dialogs.identity import identity_of
from dialogs.intents import without_mentions
from dialogs.lookups import event_or_none
from traef.errors import NotSignedUpError
from traef.evaluation_forms import MAX_TEXT_LENGTH, InvalidAnswerError
from traef.feedback import (
    FeedbackClosedError,
    FormKind,
    PostItNotFoundError,
    UnknownFormError,
    add_postit,
    my_postits,
    postits_by_group,
    rate,
    rating_key,
    respondent_token,
    results,
    withdraw_postit,
)
from traef.participants import Participant
from traef.programme import Event, ItemKind, ProgrammeItem
from traef.registration import registration_of

_POSTIT = re.compile(
    r"^\s*(?:idé|ide|idea|post-?it|forslag|suggestion)\s*(?::\s*|$)", re.IGNORECASE
)
_LIST_LINE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_NUMBER = re.compile(r"\d+")
_NOT_RATED = frozenset({ItemKind.BREAK, ItemKind.LUNCH})


class RatingSubmit(BaseModel):
    """The rating card's submit; Teams and the local chat merge the comment field into it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    action: Literal["rate"]
    item: int
    score: int = Field(ge=1, le=5)
    comment: str | None = None


class FeedbackCommands:
    def __init__(self, dependencies: DialogDependencies) -> None:
        self._deps = dependencies

    async def give_feedback(self, context: TurnContext, texts: Texts) -> Activity:
        found = await self._me(context, texts)
        if isinstance(found, Activity):
            return found
        event, me = found
        item = self._item_to_rate(event.for_audience(me.participant_type, me.groups))
        if item is None:
            return MessageFactory.text(texts("rating_no_item"))
        return rating_activity(item, texts)

    async def rate(self, context: TurnContext, texts: Texts) -> Activity | None:
        """None when the rating card itself now says thanks."""
        try:
            submit = RatingSubmit.model_validate(context.activity.value)
        except ValidationError:
            return MessageFactory.text(texts("rating_invalid"))
        found = await self._me(context, texts)
        if isinstance(found, Activity):
            return found
        event, me = found
        item = next((i for i in event.items if i.id == submit.item), None)
        if item is None or event.id is None or me.id is None:
            return MessageFactory.text(texts("rating_invalid"))
        rated_before = await self._has_rated(event.id, item.id, me.id)
        try:
            await rate(
                self._deps.uow_factory(),
                self._deps.feedback_secret,
                event.id,
                submit.item,
                me.id,
                submit.score,
                submit.comment,
                self._deps.clock(),
            )
        except FeedbackClosedError:
            return MessageFactory.text(texts("rating_closed", item=item.title))
        except NotSignedUpError:
            return MessageFactory.text(texts("not_signed_up", event=event.name))
        except (UnknownFormError, InvalidAnswerError):
            return MessageFactory.text(texts("feedback_text_invalid", max=MAX_TEXT_LENGTH))
        if await replace_card(context, rated_card(item, submit.score, submit.comment, texts)):
            return None
        key = "rating_changed" if rated_before else "rating_thanks"
        return MessageFactory.text(texts(key, item=item.title, score=submit.score))

    async def add_postit(self, context: TurnContext, texts: Texts) -> Activity | None:
        """None when the post-it card itself now says thanks."""
        said = without_mentions(context.activity.text or "")
        text = _POSTIT.sub("", said, count=1).strip()
        submitted = context.activity.value
        if isinstance(submitted, dict) and not text:
            text = str(submitted.get("postit") or "").strip()
        if not text:
            return (
                MessageFactory.text(texts("postit_empty")) if submitted else postit_activity(texts)
            )
        found = await self._me(context, texts)
        if isinstance(found, Activity):
            return found
        event, me = found
        assert event.id is not None and me.id is not None
        try:
            await add_postit(
                self._deps.uow_factory(),
                self._deps.feedback_secret,
                event.id,
                me.id,
                text,
                self._deps.clock(),
            )
        except InvalidAnswerError:
            return MessageFactory.text(texts("feedback_text_invalid", max=MAX_TEXT_LENGTH))
        listed = sum(1 for line in text.splitlines() if _LIST_LINE.match(line))
        reply = texts("postit_added")
        reply = f"{reply}\n\n{texts('postit_one_at_a_time')}" if listed > 1 else reply
        if isinstance(submitted, dict) and await replace_card(
            context, posted_card(text, reply, texts)
        ):
            return None
        return MessageFactory.text(reply)

    async def my_postits(self, context: TurnContext, texts: Texts) -> Activity:
        found = await self._me(context, texts)
        if isinstance(found, Activity):
            return found
        event, me = found
        assert event.id is not None and me.id is not None
        mine = await my_postits(
            self._deps.uow_factory(), self._deps.feedback_secret, event.id, me.id
        )
        return MessageFactory.text(my_postits_text(mine, texts))

    async def withdraw_postit(self, context: TurnContext, texts: Texts) -> Activity:
        number = _NUMBER.search(without_mentions(context.activity.text or ""))
        found = await self._me(context, texts)
        if isinstance(found, Activity):
            return found
        event, me = found
        assert event.id is not None and me.id is not None
        uow, secret = self._deps.uow_factory, self._deps.feedback_secret
        mine = await my_postits(uow(), secret, event.id, me.id)
        index = int(number[0]) if number else 0
        if not 1 <= index <= len(mine) or mine[index - 1].id is None:
            return MessageFactory.text(texts("postit_unknown_number", number=index or "?"))
        postit = mine[index - 1]
        assert postit.id is not None
        try:
            await withdraw_postit(uow(), secret, event.id, me.id, postit.id)
        except PostItNotFoundError:
            return MessageFactory.text(texts("postit_unknown_number", number=index))
        return MessageFactory.text(texts("postit_withdrawn", text=postit.text))

    async def postits(self, context: TurnContext, texts: Texts) -> Activity:
        if not await self._deps.is_facilitator(context):
            return MessageFactory.text(texts("facilitator_only"))
        event = await event_or_none(self._deps)
        if event is None or event.id is None:
            return MessageFactory.text(texts("no_event"))
        grouped = await postits_by_group(self._deps.uow_factory(), event.id)
        return MessageFactory.text("\n".join(postit_lines(grouped, texts)))

    async def results(self, context: TurnContext, texts: Texts) -> Activity:
        if not await self._deps.is_facilitator(context):
            return MessageFactory.text(texts("facilitator_only"))
        event = await event_or_none(self._deps)
        if event is None or event.id is None:
            return MessageFactory.text(texts("no_event"))
        lines = [texts("results_title", event=event.name)]
        rated = await self._rating_forms(event)
        if not rated:
            lines.append(texts("results_no_ratings"))
        for item, form_id in rated:
            [result] = await results(self._deps.uow_factory(), form_id)
            lines += ["", *rating_result_lines(item.title, result, texts)]
        grouped = await postits_by_group(self._deps.uow_factory(), event.id)
        lines += ["", *postit_lines(grouped, texts)]
        return MessageFactory.text("\n".join(lines))

    def _item_to_rate(self, event: Event) -> ProgrammeItem | None:
        """The item on now or the one that just ended: today's latest that has started."""
        now = self._deps.clock()
        today = event.local(now).date()
        started = [
            item
            for item in event.items_on(today)
            if item.start <= now and item.kind not in _NOT_RATED and item.id is not None
        ]
        return max(started, key=lambda item: item.start, default=None)

    async def _rating_forms(self, event: Event) -> list[tuple[ProgrammeItem, int]]:
        """The programme's items that have a rating form, in programme order, with its id."""
        uow = self._deps.uow_factory()
        async with uow:
            forms = await uow.feedback.forms_of(event.id or 0)
        by_key = {f.key: f.id for f in forms if f.kind is FormKind.RATING and f.id is not None}
        return [
            (item, by_key[rating_key(item.id)])
            for item in sorted(event.items, key=lambda item: item.start)
            if item.id is not None and rating_key(item.id) in by_key
        ]

    async def _has_rated(self, event_id: int, item_id: int | None, participant_id: int) -> bool:
        """Whether the person has a rating of the item that a new one would replace."""
        if item_id is None:
            return False
        key = rating_key(item_id)
        uow = self._deps.uow_factory()
        async with uow:
            forms = [f for f in await uow.feedback.forms_of(event_id) if f.key == key]
            if not forms or forms[0].id is None:
                return False
            token = respondent_token(self._deps.feedback_secret, key, participant_id)
            return bool(await uow.feedback.answers_of(forms[0].id, token))

    async def _me(self, context: TurnContext, texts: Texts) -> tuple[Event, Participant] | Activity:
        """The current event and the person's active registration, or the reply saying why not."""
        event = await event_or_none(self._deps)
        if event is None or event.id is None:
            return MessageFactory.text(texts("no_event"))
        me = await registration_of(self._deps.uow_factory(), event.id, identity_of(context))
        if me is None or not me.is_active or me.id is None:
            return MessageFactory.text(texts("not_signed_up", event=event.name))
        return event, me
