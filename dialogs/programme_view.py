"""The programme as an Adaptive Card with a text fallback, and the now/next answers."""

from __future__ import annotations

from datetime import date, datetime

from botbuilder.schema import Activity

from dialogs.cards import Json, adaptive_card, card_activity, fits, submit, text_block
from dialogs.i18n import Texts
from dialogs.intents import Intent
from traef.programme import Event, ItemKind, NowAndNext, ProgrammeItem, ProgrammeState

_KIND_LABELS = {ItemKind.BREAKOUT: "kind_breakout", ItemKind.PHONE_DIALOGUE: "kind_phone_dialogue"}
SOON_MINUTES = 60


def programme_activity(event: Event, instant: datetime, texts: Texts) -> Activity:
    return card_activity(programme_card(event, instant, texts))


def programme_card(event: Event, instant: datetime, texts: Texts) -> Json:
    """The day's programme; a day too long for one message loses finished items first, then
    the last ones, each with a note saying so."""
    day = event.day_to_show(instant)
    if day is None:
        return adaptive_card([text_block(texts("no_programme"))], [], texts("no_programme"))
    current = event.now_and_next(instant).current
    items = event.items_on(day)
    first, last = 0, len(items)
    card = _day_card(event, day, items, (first, last), instant, texts)
    while not fits(card) and last - first > 1:
        if items[first].finish <= instant and items[first] != current:
            first += 1
        else:
            last -= 1
        card = _day_card(event, day, items, (first, last), instant, texts)
    return card


def calendar_card(url: str, texts: Texts) -> Json:
    """A link to the person's own calendar feed of the programme."""
    link = {"type": "Action.OpenUrl", "title": texts("button_calendar"), "url": url}
    return adaptive_card(
        [text_block(texts("calendar_intro"))], [link], f"{texts('calendar_intro')}\n{url}"
    )


def programme_text(event: Event, instant: datetime, texts: Texts) -> str:
    day = event.day_to_show(instant)
    if day is None:
        return texts("no_programme")
    return "\n".join(_day_lines(event, day, event.items_on(day), instant, texts))


def _day_card(
    event: Event,
    day: date,
    items: list[ProgrammeItem],
    shown: tuple[int, int],
    instant: datetime,
    texts: Texts,
) -> Json:
    """The card of `items[first:last]`, noting the items left out before and after."""
    first, last = shown
    current = event.now_and_next(instant).current
    earlier = [texts("card_programme_earlier", count=first)] if first else []
    later = [texts("card_programme_more", count=len(items) - last)] if last < len(items) else []
    body = [
        text_block(_heading(event, day, instant, texts), size="Large", weight="Bolder"),
        text_block(f"{event.name} · {texts.long_date(day)}", isSubtle=True, spacing="None"),
        *[text_block(note, isSubtle=True, size="Small") for note in earlier],
        *[
            _item_row(event, item, item == current, item.finish <= instant, texts)
            for item in items[first:last]
        ],
        *[text_block(note, isSubtle=True) for note in later],
    ]
    actions = [submit(texts("button_now"), Intent.NOW), submit(texts("button_next"), Intent.NEXT)]
    lines = _day_lines(event, day, items[first:last], instant, texts)
    return adaptive_card(body, actions, "\n".join([*lines, *earlier, *later]))


def _day_lines(
    event: Event, day: date, items: list[ProgrammeItem], instant: datetime, texts: Texts
) -> list[str]:
    current = event.now_and_next(instant).current
    lines = [f"**{_heading(event, day, instant, texts)}** – {event.name}, {texts.long_date(day)}"]
    for item in items:
        marker = f"▶ {texts('now_label')}: " if item == current else ""
        lines.append(
            f"{texts.time_span(event.local(item.start), _local_end(event, item))}  "
            f"{marker}{describe(item, texts)}"
        )
    return lines


def now_text(event: Event, instant: datetime, texts: Texts) -> str:
    status = event.now_and_next(instant)
    if status.state is ProgrammeState.NO_PROGRAMME:
        return texts("no_programme")
    if status.state is ProgrammeState.AFTER:
        return texts("now_after")
    if status.state is ProgrammeState.DURING:
        return _during(event, status, instant, texts)
    following = status.next
    assert following is not None  # before the start and between items, something comes next
    key = "now_before" if status.state is ProgrammeState.BEFORE else "now_between"
    return texts(key, when=when(event, following, instant, texts), item=describe(following, texts))


def next_text(event: Event, instant: datetime, texts: Texts) -> str:
    following = event.now_and_next(instant).next
    if following is None:
        return texts("no_programme") if not event.items else texts("next_none")
    return texts(
        "next_item", when=when(event, following, instant, texts), item=describe(following, texts)
    )


def describe(item: ProgrammeItem, texts: Texts) -> str:
    """'Opsamling – hvad skete der i går? v. Helle Bach Lauridsen'."""
    parts = [f"**{item.title}**"]
    label = _KIND_LABELS.get(item.kind)
    if label:
        parts.append(f"({texts(label).lower()})")
    if item.speakers:
        parts.append(texts("speakers", names=texts.join(item.speakers)))
    return " ".join(parts)


def when(event: Event, item: ProgrammeItem, instant: datetime, texts: Texts) -> str:
    start = event.local(item.start)
    if start.date() != event.local(instant).date():
        return texts("when_other_day", day=texts.short_date(start.date()), time=texts.time(start))
    minutes = int(-(-(item.start - instant).total_seconds() // 60))
    if 0 < minutes <= SOON_MINUTES:
        return texts("when_today_soon", time=texts.time(start), minutes=minutes)
    return texts("when_today", time=texts.time(start))


def _during(event: Event, status: NowAndNext, instant: datetime, texts: Texts) -> str:
    current = status.current
    assert current is not None
    span = texts.time_span(event.local(current.start), _local_end(event, current))
    lines = [texts("now_during", time=span, item=describe(current, texts))]
    if current.description:
        lines.append(current.description)
    if current.link:
        lines.append(current.link)
    if status.next is not None:
        lines.append(
            texts(
                "then",
                when=when(event, status.next, instant, texts),
                item=describe(status.next, texts),
            )
        )
    else:
        lines.append(texts("nothing_after"))
    return "\n\n".join(lines)


def _heading(event: Event, day: date, instant: datetime, texts: Texts) -> str:
    if day == event.local(instant).date():
        return texts("programme_title")
    return texts("programme_title_other_day", day=texts.short_date(day))


def _local_end(event: Event, item: ProgrammeItem) -> datetime | None:
    return event.local(item.end) if item.end is not None else None


def _item_row(
    event: Event, item: ProgrammeItem, is_current: bool, is_over: bool, texts: Texts
) -> Json:
    weight = "Bolder" if is_current else "Default"
    details = [text_block(item.title, weight=weight, isSubtle=is_over)]
    label = _KIND_LABELS.get(item.kind)
    subtitle = [texts(label)] if label else []
    if item.speakers:
        subtitle.append(texts("speakers", names=texts.join(item.speakers)))
    if subtitle:
        details.append(
            text_block(" · ".join(subtitle), isSubtle=True, spacing="None", size="Small")
        )
    if is_current:
        details.insert(
            0,
            text_block(
                f"▶ {texts('now_label')}",
                color="Accent",
                weight="Bolder",
                spacing="None",
                size="Small",
            ),
        )
    span = texts.time_span(event.local(item.start), _local_end(event, item))
    row: Json = {
        "type": "ColumnSet",
        "columns": [
            {
                "type": "Column",
                "width": "90px",
                "items": [text_block(span, weight=weight, isSubtle=is_over)],
            },
            {"type": "Column", "width": "stretch", "items": details},
        ],
    }
    if is_current:
        return {"type": "Container", "style": "accent", "items": [row], "spacing": "Small"}
    return {"type": "Container", "items": [row], "spacing": "Small"}
