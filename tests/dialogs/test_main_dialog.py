"""Transcripts of the main dialog: welcome, help, programme, now/next, language — da and en."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botbuilder.schema import Activity
from botbuilder.testing import DialogTestClient

from tests.dialogs.conftest import Clock
from tests.fakes import FakeUnitOfWork

ADAPTIVE = "application/vnd.microsoft.card.adaptive"


def card_of(reply: Activity) -> dict[str, Any]:
    assert reply.attachments, f"expected a card, got text {reply.text!r}"
    attachment = reply.attachments[0]
    assert attachment.content_type == ADAPTIVE
    card: dict[str, Any] = attachment.content
    assert card["version"] == "1.5"
    return card


def texts_in(element: Any) -> list[str]:
    if isinstance(element, dict):
        found = [element["text"]] if element.get("type") == "TextBlock" else []
        return found + [t for value in element.values() for t in texts_in(value)]
    if isinstance(element, list):
        return [t for value in element for t in texts_in(value)]
    return []


def highlighted(card: dict[str, Any]) -> list[str]:
    return [t for c in card["body"] if c.get("style") == "accent" for t in texts_in(c)]


def button_titles(card: dict[str, Any]) -> list[str]:
    return [action["title"] for action in card["actions"]]


def english(text: str | None = None, value: Any = None) -> Activity:
    return Activity(type="message", text=text, value=value, locale="en-US")


async def test_greeting_gets_the_welcome_with_a_menu_in_danish(client: DialogTestClient) -> None:
    card = card_of(await client.send_activity("Hej"))
    assert "Jeg er **Træfbot**" in texts_in(card)[0]
    assert button_titles(card) == [
        "Dagens program",
        "Hvad sker der nu?",
        "Hvad er det næste?",
        "Tilmeld mig",
        "Hjælp",
        "In English",
    ]


async def test_greeting_gets_the_welcome_in_english_for_an_english_locale(
    client: DialogTestClient,
) -> None:
    card = card_of(await client.send_activity(english("hello")))
    assert "I'm **Træfbot**" in texts_in(card)[0]
    assert button_titles(card)[0] == "Today's programme"
    assert button_titles(card)[-1] == "På dansk"


async def test_help_in_danish_and_english(client: DialogTestClient) -> None:
    reply = await client.send_activity("hjælp")
    assert reply.text.startswith("Du kan skrive:")
    assert "**hvad sker der nu**" in reply.text
    reply = await client.send_activity(english("help"))
    assert reply.text.startswith("You can type:")
    assert "**what's next**" in reply.text


async def test_programme_card_lists_the_day_and_highlights_what_is_on(
    client: DialogTestClient,
) -> None:
    reply = await client.send_activity("dagens program")
    card = card_of(reply)
    texts = texts_in(card)
    assert texts[0] == "Dagens program"
    assert texts[1] == "Fælles om ledelse · søndag den 22. november 2026"
    assert "8.30–8.50" in texts and "Opsamling – hvad skete der i går?" in texts
    assert "14.00" in texts and "Tak for denne gang" in texts
    assert "Frokost" in texts and "11.40–12.20" in texts
    assert highlighted(card) == [
        "8.50–9.45",
        "▶ Nu",
        "Fortællinger i plenum",
        "v. direktør Hosea Dutschke, direktør Henrik Seiding, leder Lotte Henriksen og leder "
        "Jakob Ljungberg",
    ]
    assert button_titles(card) == ["Hvad sker der nu?", "Hvad er det næste?"]
    # The text fallback carries the same programme, current item marked.
    assert "8.50–9.45  ▶ Nu: **Fortællinger i plenum**" in card["fallbackText"]
    assert reply.summary == card["fallbackText"]


async def test_programme_card_in_english(client: DialogTestClient, clock: Clock) -> None:
    clock.set(12, 0)
    card = card_of(await client.send_activity(english("What's on the agenda today?")))
    texts = texts_in(card)
    assert texts[:2] == ["Today's programme", "Fælles om ledelse · Sunday 22 November 2026"]
    assert highlighted(card) == ["11:40–12:20", "▶ Now", "Frokost"]
    assert button_titles(card) == ["What's on now?", "What's next?"]


async def test_now_during_an_item_tells_what_is_on_and_what_follows(
    client: DialogTestClient,
) -> None:
    reply = await client.send_activity("Hvad sker der nu?")
    assert reply.text.startswith("**Nu** (8.50–9.45): **Fortællinger i plenum** v. direktør")
    assert "To direktører og to ledere udkommer" in reply.text
    assert reply.text.endswith(
        "Derefter kl. 9.45 (om 12 min.): **Lederne udkommer med deres personlige "
        "ledelsesgrundlag** (i grupper) v. alle"
    )


async def test_now_before_between_and_after(client: DialogTestClient, clock: Clock) -> None:
    clock.set(7, 45)
    reply = await client.send_activity("hvad sker der nu")
    assert reply.text == (
        "Træffet er ikke begyndt endnu. Første punkt er kl. 8.30 (om 45 min.): "
        "**Opsamling – hvad skete der i går?** v. Helle Bach Lauridsen"
    )
    clock.set(12, 45)
    reply = await client.send_activity("nu")
    assert reply.text.startswith(
        "Lige nu er der ikke noget på programmet. Næste punkt er kl. 12.50"
    )
    clock.set(14, 30)
    assert (await client.send_activity("nu")).text == "Programmet er slut. Tak for denne gang!"


async def test_next_in_danish_and_english(client: DialogTestClient, clock: Clock) -> None:
    clock.set(11, 5)
    reply = await client.send_activity("Hvad er det næste?")
    assert reply.text == (
        "Næste punkt er kl. 11.20 (om 15 min.): **'Fælles om ledelse' – det videre forløb** "
        "v. Helle Bach Lauridsen"
    )
    reply = await client.send_activity(english("what's next?"))
    assert reply.text == (
        "The next item is at 11:20 (in 15 min.): **'Fælles om ledelse' – det videre forløb** "
        "by Helle Bach Lauridsen"
    )
    clock.set(14, 30)
    assert (await client.send_activity("næste")).text == "Der er ikke flere punkter på programmet."


async def test_now_in_english(client: DialogTestClient, clock: Clock) -> None:
    clock.set(12, 0)
    reply = await client.send_activity(english("what's on now"))
    assert reply.text.startswith("**Now** (11:40–12:20): **Frokost**")
    assert "After that at 12:20 (in 20 min.)" in reply.text


async def test_card_buttons_route_like_text(client: DialogTestClient) -> None:
    reply = await client.send_activity(Activity(type="message", value={"action": "next"}))
    assert reply.text.startswith("Næste punkt er kl. 9.45")
    reply = await client.send_activity(Activity(type="message", value={"action": "programme"}))
    assert card_of(reply)["body"][0]["text"] == "Dagens program"


async def test_unknown_button_and_unknown_text_get_a_friendly_answer(
    client: DialogTestClient,
) -> None:
    reply = await client.send_activity(Activity(type="message", value={"action": "explode"}))
    assert reply.text.startswith("Den knap kender jeg ikke")
    reply = await client.send_activity("Hvad er meningen med livet?")
    assert reply.text == "Det forstod jeg desværre ikke. Skriv **hjælp** for at se, hvad jeg kan."


async def test_language_choice_is_remembered_per_user_over_the_locale(
    make_client: Callable[[], DialogTestClient],
) -> None:
    client = make_client()
    assert (
        await client.send_activity("english")
    ).text == "Fine, I'll write in English from now on."
    assert (await client.send_activity("hjælp")).text.startswith("You can type:")
    # A new conversation for the same user (new dialog client, same user storage) keeps it.
    other = make_client()
    assert (await other.send_activity("nu")).text.startswith("**Now** (8:50–9:45)")
    assert (await other.send_activity("dansk")).text == "Fint, jeg skriver på dansk fra nu af."
    assert (await other.send_activity(english("help"))).text.startswith("Du kan skrive:")


async def test_button_switches_language(client: DialogTestClient) -> None:
    reply = await client.send_activity(Activity(type="message", value={"action": "english"}))
    assert reply.text == "Fine, I'll write in English from now on."


async def test_programme_without_any_event(client: DialogTestClient, uow: FakeUnitOfWork) -> None:
    uow.committed.clear()
    reply = await client.send_activity("program")
    assert reply.text == "Der er ikke lagt noget program ind endnu. Kig forbi igen senere."
