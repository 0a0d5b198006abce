"""Answers to questions about the programme: when is lunch, when does breakout 2 start, what is
on at 11."""

from __future__ import annotations

from datetime import date, datetime

from dialogs.i18n import Texts
from dialogs.programme_view import describe, when
from traef.change_requests import AtQuestion, Question, WhenQuestion
from traef.programme import Event, ProgrammeItem


def answer(event: Event, question: Question, now: datetime, texts: Texts) -> str:
    day = event.day_to_show(now)
    if day is None:
        return texts("no_programme")
    items = event.items_on(day)
    if isinstance(question, AtQuestion):
        return _at(event, items, question, day, texts)
    return _when(event, items, question, now, texts)


def _when(
    event: Event, items: list[ProgrammeItem], question: WhenQuestion, now: datetime, texts: Texts
) -> str:
    not_over = next((i for i, item in enumerate(items) if item.finish > now), len(items))
    index = question.item.find(items, after=not_over)
    if index is None:
        return texts("answer_not_found")
    item = items[index]
    start, end = event.local(item.start), event.local(item.end) if item.end else None
    if item.is_on_at(now):
        assert end is not None
        return texts("answer_when_now", item=describe(item, texts), end=texts.time(end))
    if item.finish <= now:
        return texts(
            "answer_when_past", item=describe(item, texts), span=texts.time_span(start, end)
        )
    moment = when(event, item, now, texts)
    if end is not None:
        moment = moment.replace(texts.time(start), texts.time_span(start, end), 1)
    return texts("answer_when_upcoming", item=describe(item, texts), when=moment)


def _at(
    event: Event, items: list[ProgrammeItem], question: AtQuestion, day: date, texts: Texts
) -> str:
    instant = datetime.combine(day, question.at, tzinfo=event.zone)
    on = [item for item in items if item.is_on_at(instant) or item.start == instant]
    clock = texts.time(instant)
    if not on:
        return texts("answer_at_nothing", time=clock)
    item = on[-1]
    span = texts.time_span(event.local(item.start), event.local(item.end) if item.end else None)
    return texts("answer_at", time=clock, item=describe(item, texts), span=span)
