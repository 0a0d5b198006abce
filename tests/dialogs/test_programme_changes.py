"""Transcripts: facilitators delay and move the programme, confirm, undo; everyone is told."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from botbuilder.testing import DialogTestClient

from tests.dialogs.chat import Chat, card, replaced
from tests.dialogs.conftest import FACILITATOR_ID, Clock
from tests.fakes import FakeAnnouncer, FakeUnitOfWork
from traef.programme import Event


@pytest.fixture
def facilitator(make_client: Callable[..., DialogTestClient]) -> Chat:
    return Chat(make_client(), user_id=FACILITATOR_ID, name="Helle Bach Lauridsen")


@pytest.fixture
def participant(make_client: Callable[..., DialogTestClient]) -> Chat:
    return Chat(make_client())


def times(uow: FakeUnitOfWork) -> dict[str, str]:
    event: Event = uow.committed[0]
    return {
        item.title: event.local(item.start).strftime("%H.%M")
        + (event.local(item.end).strftime("–%H.%M") if item.end else "")
        for item in event.items
    }


async def test_delay_absorbed_by_the_next_break(
    facilitator: Chat, uow: FakeUnitOfWork, announcer: FakeAnnouncer
) -> None:
    [preview] = await facilitator.say("Vi er 10 minutter forsinket")
    shown = card(preview)
    assert shown["fallbackText"].splitlines()[:5] == [
        "**Sådan ændres programmet**",
        "Forslag 1: Pausen tager forsinkelsen – resten af dagen er uændret",
        "Fortællinger i plenum: 8.50–9.45 → 8.50–9.55",
        "Lederne udkommer med deres personlige ledelsesgrundlag: 9.45–11.00 → 9.55–11.10",
        "Pause: 11.00–11.20 → 11.10–11.20",
    ]
    assert "Forslag 2: Hele resten af dagen rykkes" in shown["fallbackText"]
    assert [a["title"] for a in shown["actions"]] == [
        "Brug forslag 1",
        "Brug forslag 2",
        "Annullér",
    ]
    assert times(uow)["Pause"] == "11.00–11.20"  # nothing changes before the confirmation

    reply = await facilitator.text(value={"action": "apply_change", "option": 0})
    assert reply == (
        "Ændringen er gemt, og jeg har sendt den til 1 deltager. "
        "Skriv **fortryd** for at trække den tilbage."
    )
    assert times(uow)["Fortællinger i plenum"] == "08.50–09.55"
    assert times(uow)["Pause"] == "11.10–11.20"
    assert times(uow)["Frokost"] == "11.40–12.20"  # the rest of the day is untouched
    [sent] = announcer.sent
    assert sent["da"].text.splitlines()[0] == "📣 **Programmet er ændret:**"
    assert "- Pause: 11.00–11.20 → 11.10–11.20" in sent["da"].text.splitlines()
    assert sent["en"].text.splitlines()[0] == "📣 **The programme has changed:**"
    [change] = uow.committed_changes
    assert (change.made_by, change.summary) == (
        "Helle Bach Lauridsen",
        "Vi er 10 minutter forsinket",
    )


async def test_delay_to_the_end_of_the_day_and_undo(
    facilitator: Chat, uow: FakeUnitOfWork, announcer: FakeAnnouncer
) -> None:
    before = times(uow)
    await facilitator.say("forsink 10 min")
    await facilitator.say("2")
    assert times(uow)["Tak for denne gang"] == "14.10"
    assert times(uow)["Frokost"] == "11.50–12.30"

    reply = await facilitator.text("fortryd")
    assert reply == (
        "Ændringen »forsink 10 min« er trukket tilbage, og jeg har sendt det til 1 deltager."
    )
    assert times(uow) == before
    assert announcer.sent[-1]["da"].text.startswith("📣 **Programmet er tilbage, som det var:**")
    assert "- Frokost: 11.50–12.30 → 11.40–12.20" in announcer.sent[-1]["da"].text.splitlines()
    assert await facilitator.text("fortryd") == "Der er ingen ændring at fortryde."


async def test_move_lunch_and_a_breakout(
    facilitator: Chat, uow: FakeUnitOfWork, clock: Clock
) -> None:
    clock.set(9, 0)
    [preview] = await facilitator.say("ryk frokost til 12.00")
    lines = card(preview)["fallbackText"].splitlines()
    assert lines[1] == "Sådan bliver det"  # no break after lunch: one plan only
    assert "Frokost: 11.40–12.20 → 12.00–12.40" in lines
    assert "'Fælles om ledelse' – det videre forløb: 11.20–11.40 → 11.20–12.00" in lines
    await facilitator.say("bekræft")
    assert times(uow)["Frokost"] == "12.00–12.40"

    await facilitator.say("breakout 2 starter 13.30")
    await facilitator.say("ja")
    assert times(uow)["Næste skridt i arbejdet vedr. aktiv visionsledelse"] == "13.30–14.40"


async def test_the_used_preview_becomes_what_was_sent(facilitator: Chat) -> None:
    await facilitator.say("Vi er 10 minutter forsinket")
    value = {"action": "apply_change", "option": 0}
    assert await facilitator.say(value=value, reply_to_id="preview-1") == []
    sent = replaced(facilitator.client)["preview-1"]
    assert sent["actions"] == []
    assert [block["text"] for block in sent["body"]][:2] == [
        "Ændringen er sendt",
        "• Fortællinger i plenum: 8.50–9.45 → 8.50–9.55",
    ]
    assert sent["body"][-1]["text"].startswith("Ændringen er gemt, og jeg har sendt den til")


async def test_change_can_be_cancelled(facilitator: Chat, uow: FakeUnitOfWork) -> None:
    before = times(uow)
    await facilitator.say("delay 5 minutes")
    assert await facilitator.text("annullér") == "Okay, programmet er ikke ændret."
    assert times(uow) == before and uow.committed_changes == []


async def test_impossible_changes_are_explained(facilitator: Chat, clock: Clock) -> None:
    assert (await facilitator.text("ryk kaffe til 10.00")).startswith(
        "Jeg kan ikke finde det punkt i dagens program."
    )
    assert await facilitator.text("ryk fortællinger til 10.00") == (
        "Jeg kan kun rykke det, der ikke er begyndt endnu."
    )
    clock.set(15, 0)
    assert await facilitator.text("forsink 10 min") == (
        "Der er ikke mere på dagens program at rykke."
    )


async def test_participants_cannot_change_the_programme(
    participant: Chat, uow: FakeUnitOfWork
) -> None:
    refusal = (
        "Det er kun tovholderne, der kan det. "
        "Skriv **hjælp** for at se, hvad jeg kan hjælpe dig med."
    )
    assert await participant.text("forsink 10 min") == refusal
    assert await participant.text("fortryd") == refusal
    assert uow.committed_changes == []


async def test_after_a_delay_now_and_next_follow(facilitator: Chat, participant: Chat) -> None:
    await facilitator.say("forsink 10 min")
    await facilitator.say("1")
    assert (await participant.text("hvad er det næste")).startswith(
        "Næste punkt er kl. 9.55 (om 22 min.)"
    )
