"""Every card the bot can send, built with worst-case data, checked against the Adaptive Cards
1.5 schema (offline) and against Teams' 28 KB message limit as the connector sends it."""

from __future__ import annotations

import ast
import dataclasses
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount
from jsonschema import Draft6Validator

from bot.wire import to_json
from dialogs.card_text import card_buttons
from dialogs.cards import CARD_VERSION, MAX_MESSAGE_BYTES, Json, card_activity, said_card
from dialogs.feedback_view import posted_card, postit_activity, rated_card, rating_activity
from dialogs.i18n import LANGUAGES, Catalogue, Texts
from dialogs.programme_change_dialog import applied_card, preview_card
from dialogs.programme_view import calendar_card, programme_card
from dialogs.registration_view import CONFIRM, decided_summary_card, registration_card, summary_card
from dialogs.sign_up_form import SignUpForm
from dialogs.welcome import welcome_activity
from traef.change_requests import parse_change_request
from traef.delays import plan_change
from traef.demo import demo_event
from traef.evaluation_forms import MAX_TEXT_LENGTH
from traef.participants import ChannelIdentity, Participant, ParticipantType, Status
from traef.programme import Event, ItemKind, ProgrammeItem
from traef.registration import Detail

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "tests" / "schemas" / "adaptive-cards" / "adaptive-card.json"
CPH = ZoneInfo("Europe/Copenhagen")
DAY = date(2026, 11, 22)
LONG_NAME = "Anne-Marie Kristiansen-Østergaard Bødker-Haugaard"
LONG_TITLE = (
    "Ledelse på tværs af magistratsafdelingerne: hvordan skaber vi sammenhæng for borgerne, "
    "når opgaverne går på tværs af faglige, organisatoriske og økonomiske skel?"
)
SPEAKERS = (
    "direktør Helle Bach Lauridsen",
    "kontorchef Jens Peter Ørnstrup-Madsen",
    "områdechef Fatima Al-Khatib Sørensen",
)


@cache
def validator() -> Draft6Validator:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    Draft6Validator.check_schema(schema)
    return Draft6Validator(schema)  # every $ref is inside the file: nothing is fetched


def texts_in(language: str) -> Texts:
    return Catalogue.default().texts(language)  # type: ignore[arg-type]


def at(hour: int, minute: int) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=CPH)


def demo() -> Event:
    event = demo_event(DAY)
    items = tuple(dataclasses.replace(item, id=n) for n, item in enumerate(event.items, 1))
    return dataclasses.replace(event, id=1, items=items)


def long_programme(count: int = 60) -> Event:
    """A day of `count` 10-minute items with long titles and three speakers each, some breaks."""
    items = []
    for number in range(count):
        start = at(7, 0) + timedelta(minutes=10 * number)
        kind = ItemKind.BREAK if number % 7 == 6 else ItemKind.BREAKOUT
        items.append(
            ProgrammeItem(
                start=start,
                end=start + timedelta(minutes=10),
                title=f"{number + 1}. {LONG_TITLE}",
                kind=kind,
                speakers=() if kind is ItemKind.BREAK else SPEAKERS,
                id=number + 1,
            )
        )
    return Event(
        name="Ledertræf 2026 – Aarhus Kommunes ledere samlet om fremtidens velfærd",
        start_date=DAY,
        end_date=DAY,
        items=tuple(items),
        id=1,
    )


def participant(event: Event) -> Participant:
    return Participant(
        event_id=1,
        name=LONG_NAME,
        department=event.departments[0],
        level=event.levels[-1],
        participant_type=ParticipantType.EXTERNAL_LEADER,
        email="anne-marie.kristiansen-oestergaard.boedker-haugaard@magistratsafdeling.aarhus.dk",
        area="Sundhed og Omsorg, Område Nord – Lokalcenter Tilst, Trige og Lystrup",
        phone="+4512345678",
        phone_consent=True,
        status=Status.CHECKED_IN,
        checked_in_at=at(8, 15),
        identities=frozenset({ChannelIdentity("msteams", "29:" + "x" * 80)}),
        id=7,
    )


def form(event: Event) -> SignUpForm:
    person = participant(event)
    return SignUpForm.from_participant(person, False, event.departments, event.levels)


def card_of(activity: Activity) -> Json:
    [attachment] = activity.attachments
    content: Json = attachment.content
    return content


def every_card(texts: Texts) -> Iterator[tuple[str, Json]]:
    """(name, card) of every card the bot sends, worst cases included."""
    event, long = demo(), long_programme()
    person = participant(event)
    yield "welcome", card_of(welcome_activity(texts, LONG_NAME))
    yield "programme", programme_card(event, at(9, 33), texts)
    yield "programme, none", programme_card(dataclasses.replace(event, items=()), at(9, 0), texts)
    yield "programme, long day early", programme_card(long, at(6, 0), texts)
    yield "programme, long day late", programme_card(long, at(15, 5), texts)
    yield "calendar", calendar_card("https://traef.example/kalender/" + "t" * 43 + ".ics", texts)
    yield "registration", registration_card(person, event, texts, True)
    cancelled = dataclasses.replace(person, status=Status.CANCELLED, checked_in_at=None)
    yield "registration, cancelled", registration_card(cancelled, event, texts, False)
    yield "sign-up summary", summary_card(form(event), texts)
    yield "sign-up confirmed", decided_summary_card(form(event), CONFIRM, texts)
    yield "sign-up changing", decided_summary_card(form(event), Detail.EMAIL.value, texts)
    item = long.items[0]
    yield "rating", card_of(rating_activity(item, texts))
    yield "rated", rated_card(item, 4, "ø" * MAX_TEXT_LENGTH, texts)
    yield "post-it", card_of(postit_activity(texts))
    yield "post-it sent", posted_card("æ" * MAX_TEXT_LENGTH, texts("postit_added"), texts)
    request = parse_change_request("forsink 25 min")
    assert request is not None
    plan = plan_change(long, request, at(7, 5))
    yield "change preview", preview_card(long, plan, texts)
    applied = texts("change_applied", count=1500)
    yield "change sent", applied_card(long, plan.options[-1], applied, texts)
    yield "cancelled", said_card(texts("signup_cancelled"))


def cases() -> list[tuple[str, str]]:
    return [(language, name) for language in LANGUAGES for name, _ in every_card(texts_in("da"))]


def teams_message(card: Json) -> bytes:
    """The card's message as the connector posts it to Teams, with Teams-sized ids."""
    activity = card_activity(card)
    activity.channel_id = "msteams"
    activity.service_url = "https://smba.trafficmanager.net/emea/" + "0" * 36 + "/"
    activity.from_property = ChannelAccount(id="28:" + "b" * 36, name="Træfbot")
    activity.recipient = ChannelAccount(id="29:" + "u" * 120, name=LONG_NAME)
    activity.conversation = ConversationAccount(
        id="a:" + "c" * 160, conversation_type="personal", tenant_id="0" * 36
    )
    activity.reply_to_id = "1763800000000"
    activity.locale = "da-DK"
    return json.dumps(to_json(activity)).encode()


@pytest.mark.parametrize(("language", "name"), cases())
def test_every_card_is_a_valid_adaptive_card_1_5_under_28_kb(language: str, name: str) -> None:
    card = dict(every_card(texts_in(language)))[name]

    errors = sorted(validator().iter_errors(card), key=lambda error: list(error.path))
    assert not errors, [f"{list(e.path)}: {e.message[:300]}" for e in errors]
    assert card["version"] == CARD_VERSION == "1.5"
    assert card["fallbackText"].strip()
    assert len(teams_message(card)) <= MAX_MESSAGE_BYTES


def test_the_schema_catches_what_teams_would_refuse() -> None:
    card = programme_card(demo(), at(9, 33), texts_in("da"))
    broken = {**card, "body": [{"type": "TextBlock", "txt": "no text"}]}
    assert list(validator().iter_errors(broken))
    assert list(validator().iter_errors({**card, "actions": [{"type": "Action.Submitt"}]}))


def actions_of(card: Json) -> Iterator[Json]:
    def walk(node: Any) -> Iterator[Json]:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Action."):
                yield node
            for key, value in node.items():
                if key != "fallback":
                    yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    return walk(card)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_button_is_an_execute_with_the_same_submit_as_fallback(language: str) -> None:
    for name, card in every_card(texts_in(language)):
        for action in actions_of(card):
            if action["type"] == "Action.OpenUrl":
                continue
            assert action["type"] == "Action.Execute", name
            assert action["verb"] == action["data"]["action"], name
            fallback = action["fallback"]
            assert fallback["type"] == "Action.Submit", name
            assert (fallback["title"], fallback["data"]) == (action["title"], action["data"])


def test_the_terminal_chat_still_offers_the_buttons() -> None:
    texts = texts_in("da")
    card = rating_activity(long_programme().items[0], texts)
    buttons = card_buttons(card_of(card))
    assert buttons[0] == ("1 ★", {"action": "rate", "item": 1, "score": 1})
    summary = card_buttons(summary_card(form(demo()), texts))
    assert ("Bekræft", {"action": "confirm"}) in summary


def test_a_long_day_is_trimmed_with_notes_rather_than_refused() -> None:
    texts = texts_in("da")
    long = long_programme()
    early = programme_card(long, at(6, 0), texts)
    assert "punkter mere" in early["body"][-1]["text"]
    late = programme_card(long, at(15, 5), texts)
    assert "tidligere punkter er ikke vist" in late["body"][2]["text"]
    current = next(e for e in late["body"] if e.get("style") == "accent")
    assert "▶" in json.dumps(current, ensure_ascii=False)
    short = programme_card(demo(), at(9, 33), texts)
    assert not any("ikke vist" in json.dumps(e, ensure_ascii=False) for e in short["body"])


def test_a_change_moving_a_long_day_lists_the_first_moves_and_counts_the_rest() -> None:
    long, texts = long_programme(), texts_in("da")
    request = parse_change_request("forsink 25 min")
    assert request is not None
    card = preview_card(long, plan_change(long, request, at(7, 5)), texts)
    notes = [e["text"] for e in card["body"] if e["text"].startswith("• … og")]
    assert notes and all(note.endswith("punkter mere flyttes.") for note in notes)
    assert [a["title"] for a in card["actions"]] == ["Brug forslag 1", "Brug forslag 2", "Annullér"]


def test_the_replacements_say_what_was_done() -> None:
    da, en = texts_in("da"), texts_in("en")
    item = long_programme().items[0]
    assert "Tak – du gav 4 ud af 5." in rated_card(item, 4, None, da)["fallbackText"]
    assert "Thanks – you gave it 4 out of 5." in rated_card(item, 4, None, en)["fallbackText"]
    assert rated_card(item, 4, None, da)["actions"] == []
    confirmed = decided_summary_card(form(demo()), CONFIRM, da)
    assert "Bekræftet" in confirmed["fallbackText"] and confirmed["actions"] == []


def card_builders() -> set[str]:
    """module.function of every function in dialogs/ that calls `adaptive_card(`."""
    found = set()
    for path in sorted((ROOT / "dialogs").glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            calls = [
                node
                for node in ast.walk(function)
                if isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "adaptive_card"
            ]
            if calls:
                found.add(f"{path.stem}.{function.name}")
    return found


COVERED: dict[str, Callable[..., object]] = {
    "cards.said_card": said_card,
    "cards.note_card": rated_card,  # and every other replacement above
    "welcome.welcome_activity": welcome_activity,
    "programme_view.programme_card": programme_card,
    "programme_view._day_card": programme_card,
    "programme_view.calendar_card": calendar_card,
    "registration_view.summary_card": summary_card,
    "registration_view.registration_card": registration_card,
    "feedback_view.rating_activity": rating_activity,
    "feedback_view.postit_activity": postit_activity,
    "programme_change_dialog._preview_card": preview_card,
}


def test_no_card_builder_is_left_out() -> None:
    """A new card builder fails here until `every_card` produces its card."""
    assert card_builders() == set(COVERED)
