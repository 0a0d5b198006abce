"""Transcripts of a participant's own registration: see, edit, cancel, sign up again, check in,
see and erase their data; and being recognised from an imported list."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from botbuilder.testing import DialogTestClient

from tests.dialogs.chat import Chat, card, facts
from tests.dialogs.conftest import DAY, Clock
from tests.dialogs.test_sign_up_dialog import sign_up, stored
from tests.fakes import FakeProfiles, FakeUnitOfWork
from traef.participants import ChannelIdentity, Participant, Status


@pytest.fixture
def chat(client: DialogTestClient) -> Chat:
    return Chat(client)


async def test_my_registration_shows_the_details_and_what_can_be_done(chat: Chat) -> None:
    assert await chat.text("min tilmelding") == (
        "Du er ikke tilmeldt **Fælles om ledelse**. Skriv **tilmeld** for at tilmelde dig."
    )
    await sign_up(chat)
    [reply] = await chat.say("min tilmelding")
    assert card(reply)["body"][0]["text"] == "Din tilmelding til Fælles om ledelse"
    assert facts(reply)["Mobil"] == "+45 12 34 56 78"
    assert facts(reply)["Status"] == "Tilmeldt"
    assert [a["title"] for a in card(reply)["actions"]] == [
        "Jeg er her",
        "Ret min tilmelding",
        "Afmeld",
    ]


async def test_edit_changes_one_field(chat: Chat, uow: FakeUnitOfWork) -> None:
    assert (await chat.text("ret min tilmelding")).startswith("Du er ikke tilmeldt")
    await sign_up(chat)
    [summary] = await chat.say("ret min tilmelding")
    assert facts(summary)["Område"] == "Hjemmeplejen Nord"
    assert (await chat.text("ret område")).startswith("Hvilket område eller hvilken enhed")
    [summary] = await chat.say("Hjemmeplejen Syd")
    assert facts(summary)["Område"] == "Hjemmeplejen Syd"
    assert await chat.text("bekræft") == "Dine oplysninger er opdateret."
    [participant] = stored(uow)
    assert participant.area == "Hjemmeplejen Syd" and participant.phone == "+4512345678"


async def test_edit_can_be_cancelled(chat: Chat, uow: FakeUnitOfWork) -> None:
    await sign_up(chat)
    await chat.say("ret min tilmelding")
    await chat.say("ret navn")
    assert await chat.text("annullér") == "Okay, jeg har ikke ændret noget."
    assert stored(uow)[0].name == "Lotte Henriksen"


async def test_cancel_registration_after_confirmation_and_sign_up_again(
    chat: Chat, uow: FakeUnitOfWork
) -> None:
    await sign_up(chat)
    question = await chat.say("afmeld")
    assert question[0].text.startswith("Vil du afmelde dig **Fælles om ledelse**?")
    assert await chat.text("nej") == "Fint, du er stadig tilmeldt."
    assert stored(uow)[0].status is Status.SIGNED_UP

    await chat.say("afmeld")
    assert await chat.text("ja") == "Du er nu afmeldt. Skriv **tilmeld**, hvis du fortryder."
    assert stored(uow)[0].status is Status.CANCELLED
    assert (await chat.text("afmeld")).startswith("Du er ikke tilmeldt")

    welcome_back, summary = await chat.say("tilmeld")
    assert welcome_back.text.startswith("Velkommen tilbage!")
    assert facts(summary)["Navn"] == "Lotte Henriksen"
    assert (await chat.text(value={"action": "confirm"})).startswith("Tak, Lotte!")
    [participant] = stored(uow)
    assert participant.status is Status.SIGNED_UP


async def test_check_in_on_the_day(chat: Chat, clock: Clock, uow: FakeUnitOfWork) -> None:
    assert (await chat.text("jeg er her")).startswith("Jeg kan ikke finde en tilmelding til dig.")
    await sign_up(chat)
    clock.set(8, 0, DAY.replace(day=21))
    assert await chat.text("jeg er her") == (
        "Du kan tjekke ind på selve dagen, søndag den 22. november 2026. Vi ses!"
    )
    clock.set(8, 12)
    assert await chat.text("jeg er her") == "Velkommen, Lotte! Du er tjekket ind."
    assert (
        await chat.text(value={"action": "check_in"}) == "Du er allerede tjekket ind – velkommen!"
    )
    [participant] = stored(uow)
    assert participant.status is Status.CHECKED_IN
    [reply] = await chat.say("min tilmelding")
    assert facts(reply)["Status"] == "Tjekket ind søndag den 22. november kl. 8.12"


async def test_my_data_shows_everything_stored(chat: Chat) -> None:
    assert await chat.text("mine data") == (
        "Det er alt, jeg har gemt om dig:\n"
        "Jeg har ikke gemt andet om dig end dit sprogvalg.\n"
        "Sprog: dansk\n"
        "Skriv **slet mine data**, hvis du vil have det slettet."
    )
    await sign_up(chat)
    data = await chat.text("mine data")
    for line in [
        "**Tilmelding til Fælles om ledelse**",
        "Navn: Lotte Henriksen",
        "E-mail: lotte.henriksen@aarhus.dk",
        "Afdeling: MSO",
        "Område: Hjemmeplejen Nord",
        "Mobil: +45 12 34 56 78",
        "Deling: Nummeret må gives til mine telefonmakkere",
        "Status: Tilmeldt",
        "Konti, du har skrevet til mig fra: msteams: user-lotte",
        "Sprog: dansk",
    ]:
        assert line in data.splitlines()


async def test_erase_my_data_after_confirmation(chat: Chat, uow: FakeUnitOfWork) -> None:
    await sign_up(chat)
    await chat.say("english")
    await chat.say("delete my data")
    assert await chat.text("no") == "Fine, nothing has been deleted."
    assert len(stored(uow)) == 1

    question = await chat.say("delete my data")
    assert question[0].text.startswith("Do you want to delete all your personal data?")
    assert await chat.text("yes") == "Your personal data has been deleted."
    assert stored(uow) == []
    # The language choice went too: the bot is back to the client's language, Danish.
    assert (await chat.text("min tilmelding")).startswith("Du er ikke tilmeldt")
    await chat.say("slet mine data")
    assert await chat.text("ja") == (
        "Jeg havde ingen personoplysninger om dig ud over dit sprogvalg. Det er nu også slettet."
    )


async def test_imported_participant_is_recognised_by_profile_email_and_greeted(
    chat: Chat, uow: FakeUnitOfWork, profiles: FakeProfiles
) -> None:
    imported = Participant(
        event_id=1,
        name="Lotte Henriksen",
        department="MSO",
        level="Leder",
        email="lotte.henriksen@aarhus.dk",
        id=7,
    )
    uow.committed_participants[7] = imported
    profiles.emails["user-lotte"] = "Lotte.Henriksen@aarhus.dk"

    greeting, programme = await chat.say("program")
    assert greeting.text.startswith("Hej Lotte! Du står allerede på deltagerlisten til")
    assert card(programme)["body"][0]["text"] == "Dagens program"
    assert uow.committed_participants[7].identities == {ChannelIdentity("msteams", "user-lotte")}
    assert len(await chat.say("program")) == 1  # greeted once
    assert (await chat.text("tilmeld")).startswith("Du er allerede tilmeldt")


async def test_unknown_people_are_looked_up_once(chat: Chat, profiles: FakeProfiles) -> None:
    await chat.say("program")
    await chat.say("nu")
    assert profiles.lookups == 1


async def test_cancelled_then_reimported_keeps_working(
    make_client: Callable[..., DialogTestClient], uow: FakeUnitOfWork
) -> None:
    chat = Chat(make_client())
    await sign_up(chat)
    [participant] = stored(uow)
    uow.committed_participants[participant.id or 0] = dataclasses.replace(
        participant, status=Status.CANCELLED
    )
    welcome_back, _ = await chat.say("tilmeld")
    assert welcome_back.text.startswith("Velkommen tilbage!")
