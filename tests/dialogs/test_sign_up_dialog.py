"""Transcripts of signing up: the happy path in Danish and English, corrections, cancel, give-up."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from botbuilder.testing import DialogTestClient

from tests.dialogs.chat import Chat, card, facts, replaced
from tests.fakes import FakeProfiles, FakeUnitOfWork
from traef.participants import ChannelIdentity, Participant, ParticipantType, Status


@pytest.fixture
def chat(client: DialogTestClient) -> Chat:
    return Chat(client)


def stored(uow: FakeUnitOfWork) -> list[Participant]:
    return list(uow.committed_participants.values())


async def fill_in_danish(chat: Chat) -> None:
    for answer in [
        "Lotte Henriksen",
        "Lotte.Henriksen@Aarhus.dk",
        "mso",
        "Hjemmeplejen Nord",
        "3",
        "1",
        "12 34 56 78",
    ]:
        await chat.say(answer)


async def sign_up(chat: Chat) -> None:
    await chat.say("tilmeld")
    await fill_in_danish(chat)
    await chat.say("ja")
    await chat.say(value={"action": "confirm"})


async def test_sign_up_in_danish(chat: Chat, uow: FakeUnitOfWork) -> None:
    intro, name_prompt = await chat.say("tilmeld")
    assert intro.text.startswith("Lad os få dig tilmeldt **Fælles om ledelse**.")
    assert name_prompt.text == (
        "Hvad er dit fulde navn? Tryk på knappen, hvis det er rigtigt – ellers skriv det."
    )
    assert [a.title for a in name_prompt.suggested_actions.actions] == ["Lotte Henriksen"]

    assert await chat.text("Lotte Henriksen") == "Hvad er din e-mailadresse?"
    department = await chat.text("Lotte.Henriksen@Aarhus.dk")
    assert department.startswith("Hvilken magistratsafdeling hører du til?")
    assert "1. MSO" in department and "7. Privat/selvejende institution" in department
    assert (await chat.text("mso")).startswith("Hvilket område eller hvilken enhed er du leder i?")
    level = await chat.text("Hjemmeplejen Nord")
    assert level.startswith("Hvad er dit ledelsesniveau?") and "3. Leder" in level
    kind = await chat.text("3")
    assert (
        kind.startswith("Hvordan deltager du?") and "4. TR- eller arbejdsmiljørepræsentant" in kind
    )
    assert (await chat.text("1")).startswith("Hvilket mobilnummer kan din makker")
    assert (await chat.text("12 34 56 78")).startswith("Må jeg give dit nummer til de kolleger")
    [summary] = await chat.say("ja")

    assert card(summary)["body"][0]["text"] == "Er det hele rigtigt?"
    assert facts(summary) == {
        "Navn": "Lotte Henriksen",
        "E-mail": "lotte.henriksen@aarhus.dk",
        "Afdeling": "MSO",
        "Område": "Hjemmeplejen Nord",
        "Niveau": "Leder",
        "Deltagertype": "Leder i kommunen",
        "Mobil": "+45 12 34 56 78",
        "Deling": "Nummeret må gives til mine telefonmakkere",
    }
    assert stored(uow) == []  # nothing is saved before the confirmation
    assert await chat.text(value={"action": "confirm"}) == (
        "Tak, Lotte! Du er nu tilmeldt **Fælles om ledelse**. "
        "Skriv **min tilmelding** for at se dine oplysninger."
    )
    [participant] = stored(uow)
    assert participant.name == "Lotte Henriksen"
    assert participant.email == "lotte.henriksen@aarhus.dk"
    assert (participant.department, participant.area, participant.level) == (
        "MSO",
        "Hjemmeplejen Nord",
        "Leder",
    )
    assert participant.participant_type is ParticipantType.LEADER
    assert (participant.phone, participant.phone_consent) == ("+4512345678", True)
    assert participant.language == "da" and participant.status is Status.SIGNED_UP
    assert participant.identities == {ChannelIdentity("msteams", "user-lotte")}


async def test_sign_up_in_english(
    make_client: Callable[..., DialogTestClient], uow: FakeUnitOfWork, profiles: FakeProfiles
) -> None:
    profiles.emails["user-jakob"] = "jakob.ljungberg@aarhus.dk"
    chat = Chat(make_client(), user_id="user-jakob", name="Jakob Ljungberg", locale="en-GB")
    intro, _ = await chat.say("sign up")
    assert intro.text.startswith("Let's get you signed up for **Fælles om ledelse**.")
    email_prompt = await chat.say("Jakob Ljungberg")
    assert email_prompt[0].text == "What is your e-mail address?"
    assert [a.title for a in email_prompt[0].suggested_actions.actions] == [
        "jakob.ljungberg@aarhus.dk"
    ]
    assert (await chat.text("jakob.ljungberg@aarhus.dk")).startswith(
        "Which department do you belong to?"
    )
    assert (await chat.text("MBU")).startswith("Which area or unit do you lead?")
    assert (await chat.text("Skoler Vest")).startswith("What is your leadership level?")
    assert (await chat.text("chef")).startswith("How do you take part?")
    assert (await chat.text("Leader in the municipality")).startswith("Which mobile number")
    [summary] = await chat.say("skip")  # no phone, so no question about sharing it
    assert facts(summary) == {
        "Name": "Jakob Ljungberg",
        "E-mail": "jakob.ljungberg@aarhus.dk",
        "Department": "MBU",
        "Area": "Skoler Vest",
        "Level": "Chef",
        "Participant type": "Leader in the municipality",
        "Phone": "(not given)",
    }
    assert (await chat.text("confirm")).startswith("Thank you, Jakob! You are now signed up")
    [participant] = stored(uow)
    assert (participant.phone, participant.phone_consent, participant.language) == (
        None,
        False,
        "en",
    )


async def test_correcting_fields_from_the_summary(chat: Chat, uow: FakeUnitOfWork) -> None:
    await chat.say("tilmeld")
    await fill_in_danish(chat)
    await chat.say("ja")
    assert (await chat.text("ret mobil")).startswith("Hvilket mobilnummer")
    assert (await chat.text("+46 70 123 45 67")).startswith("Må jeg give dit nummer")
    [summary] = await chat.say("nej")
    assert facts(summary)["Mobil"] == "+46701234567"
    assert facts(summary)["Deling"] == "Nummeret må ikke deles"

    reply = await chat.text(value={"action": "edit", "detail": "department"})
    assert reply.startswith("Hvilken magistratsafdeling hører du til?")
    [summary] = await chat.say("MBU")
    assert facts(summary)["Afdeling"] == "MBU"
    assert facts(summary)["Område"] == "Hjemmeplejen Nord"  # the rest is kept

    assert (await chat.text("noget helt andet")).startswith("Tryk **Bekræft**, eller skriv fx")
    await chat.say("bekræft")
    [participant] = stored(uow)
    assert (participant.department, participant.phone, participant.phone_consent) == (
        "MBU",
        "+46701234567",
        False,
    )


async def test_cancel_mid_way_saves_nothing(chat: Chat, uow: FakeUnitOfWork) -> None:
    await chat.say("tilmeld")
    await chat.say("Lotte Henriksen")
    await chat.say("lotte@aarhus.dk")
    assert await chat.text("annullér") == "Okay, jeg har stoppet tilmeldingen. Intet er gemt."
    assert stored(uow) == []
    assert (await chat.text("hvad er det næste")).startswith("Næste punkt er kl. 9.45")
    assert await chat.text("annullér") == "Der er ikke noget at annullere lige nu."


async def test_cancel_button_on_the_summary(chat: Chat, uow: FakeUnitOfWork) -> None:
    await chat.say("tilmeld")
    await fill_in_danish(chat)
    await chat.say("ja")
    reply = await chat.text(value={"action": "cancel"})
    assert reply == "Okay, jeg har stoppet tilmeldingen. Intet er gemt."
    assert stored(uow) == []


async def test_the_used_summary_card_is_replaced(chat: Chat) -> None:
    await chat.say("tilmeld")
    await fill_in_danish(chat)
    await chat.say("ja")
    await chat.say(value={"action": "edit", "detail": "area"}, reply_to_id="summary-1")
    [summary] = await chat.say("Hjemmeplejen Syd")
    assert facts(summary)["Område"] == "Hjemmeplejen Syd"
    reply = await chat.text(value={"action": "confirm"}, reply_to_id="summary-2")

    assert reply.startswith("Tak, Lotte! Du er nu tilmeldt")  # the card does not say this
    changing, confirmed = replaced(chat.client)["summary-1"], replaced(chat.client)["summary-2"]
    assert changing["body"][-1]["text"] == "Du retter område – svar herunder."
    assert confirmed["body"][-1]["text"] == "✔ Bekræftet."
    assert confirmed["actions"] == [] and changing["actions"] == []
    assert confirmed["body"][1]["facts"][3] == {"title": "Område", "value": "Hjemmeplejen Syd"}


async def test_the_summary_cancelled_by_its_button_says_so_itself(
    chat: Chat, uow: FakeUnitOfWork
) -> None:
    await chat.say("tilmeld")
    await fill_in_danish(chat)
    await chat.say("ja")
    assert await chat.say(value={"action": "cancel"}, reply_to_id="summary-1") == []
    cancelled = replaced(chat.client)["summary-1"]
    assert cancelled["fallbackText"] == "Okay, jeg har stoppet tilmeldingen. Intet er gemt."
    assert cancelled["actions"] == [] and stored(uow) == []


async def test_three_invalid_phone_numbers_stop_gracefully(chat: Chat, uow: FakeUnitOfWork) -> None:
    await chat.say("tilmeld")
    for answer in ["Lotte Henriksen", "lotte@aarhus.dk", "MSO", "Hjemmeplejen Nord", "Leder", "1"]:
        await chat.say(answer)
    retry = "Det nummer kan jeg ikke bruge. Skriv et dansk mobilnummer med 8 cifre"
    assert (await chat.text("1234")).startswith(retry)
    assert (await chat.text("ring til min sekretær")).startswith(retry)
    assert await chat.text("00 00") == (
        "Det lykkedes ikke her, så jeg stopper – intet er gemt. Skriv **tilmeld**, når du vil "
        "prøve igen, eller kontakt tovholderne."
    )
    assert stored(uow) == []
    assert (await chat.text("nu")).startswith("**Nu** (8.50–9.45)")  # back to normal


async def test_three_invalid_choices_stop_gracefully(chat: Chat, uow: FakeUnitOfWork) -> None:
    await chat.say("tilmeld")
    await chat.say("Lotte Henriksen")
    await chat.say("lotte@aarhus.dk")
    retry = "Vælg en af mulighederne på listen – skriv nummeret eller navnet."
    assert (await chat.text("Sundhed")).startswith(retry)
    assert (await chat.text("42")).startswith(retry)
    assert (await chat.text("ved ikke")).startswith("Det lykkedes ikke her")
    assert stored(uow) == []


async def test_invalid_email_is_asked_again(chat: Chat) -> None:
    await chat.say("tilmeld")
    await chat.say("Lotte Henriksen")
    assert (await chat.text("lotte at aarhus")).startswith("Det ligner ikke en e-mailadresse.")
    assert (await chat.text("lotte@aarhus.dk")).startswith("Hvilken magistratsafdeling")


async def test_signing_up_twice_points_to_the_registration(chat: Chat) -> None:
    await sign_up(chat)
    assert (await chat.text("tilmeld")).startswith("Du er allerede tilmeldt **Fælles om ledelse**.")


async def test_an_email_someone_else_uses_is_refused(
    make_client: Callable[..., DialogTestClient], uow: FakeUnitOfWork
) -> None:
    await sign_up(Chat(make_client()))
    other = Chat(make_client(), user_id="user-other", name="Anden Leder")
    await other.say("tilmeld")
    await fill_in_danish(other)  # the same e-mail as Lotte's
    await other.say("ja")
    # Typing someone's e-mail must not take over their registration.
    assert await other.text("bekræft") == (
        "Den e-mailadresse er allerede tilmeldt af en anden deltager. Er det din, så kontakt "
        "tovholderne – eller brug en anden adresse.\nHvad er din e-mailadresse?"
    )
    [summary] = await other.say("anden.leder@aarhus.dk")
    assert facts(summary)["E-mail"] == "anden.leder@aarhus.dk"
    await other.say("bekræft")
    lotte, other_leader = sorted(stored(uow), key=lambda p: p.id or 0)
    assert lotte.identities == {ChannelIdentity("msteams", "user-lotte")}
    assert other_leader.email == "anden.leder@aarhus.dk"
