"""Transcripts: questions about the day, the preparation, and reminders — Danish and English."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from botbuilder.schema import Activity
from botbuilder.testing import DialogTestClient

from tests.dialogs.chat import Chat
from tests.dialogs.conftest import FACILITATOR_ID, Clock
from tests.dialogs.test_sign_up_dialog import sign_up, stored
from tests.fakes import FakeUnitOfWork
from traef.participants import ParticipantType
from traef.programme import Audience, AudienceKind, ProgrammeItem


@pytest.fixture
def chat(client: DialogTestClient) -> Chat:
    return Chat(client)


@pytest.mark.parametrize(
    ("hour", "minute", "question", "answer"),
    [
        (11, 33, "Hvornår er der frokost?", "**Frokost** er kl. 11.40–12.20 (om 7 min.)."),
        (12, 0, "hvornår er der frokost", "**Frokost** er i gang nu og slutter kl. 12.20."),
        (13, 0, "Hvornår er der frokost?", "**Frokost** var kl. 11.40–12.20."),
        (9, 0, "hvornår er der pause?", "**Pause** er kl. 11.00–11.20."),
        (
            9,
            0,
            "Hvornår starter breakout 2?",
            "**Næste skridt i arbejdet vedr. aktiv "
            "visionsledelse** (i grupper) v. sparringsgrupperne er kl. 12.50–14.00.",
        ),
        (9, 0, "Hvad sker der kl. 11?", "Kl. 11.00: **Pause** (11.00–11.20)"),
        (9, 0, "hvad sker der kl. 12.45", "Kl. 12.45 er der ikke noget på programmet."),
        (
            9,
            0,
            "Hvornår er der kaffe?",
            "Det kan jeg ikke finde i programmet. Skriv **program** for at se hele dagen.",
        ),
    ],
)
async def test_questions_in_danish(
    chat: Chat, clock: Clock, hour: int, minute: int, question: str, answer: str
) -> None:
    clock.set(hour, minute)
    assert await chat.text(question) == answer


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("When is lunch?", "**Frokost** is at 11:40–12:20 (in 7 min.)."),
        (
            "When does breakout 1 start?",
            "**Lederne udkommer med deres personlige ledelsesgrundlag**"
            " (in groups) by alle was at 9:45–11:00.",
        ),
        (
            "What's on at 12:30?",
            "At 12:30: **Arbejdet vedr. aktiv visionsledelse i "
            "sparringsgrupperne – coaching og træning** by vicecenterleder Christian Bøtcher "
            "Jacobsen, Kronprins Frederiks Center for Offentlig Ledelse (12:20–12:40)",
        ),
    ],
)
async def test_questions_in_english(chat: Chat, clock: Clock, question: str, answer: str) -> None:
    clock.set(11, 33)
    chat.locale = "en-US"
    assert await chat.text(question) == answer


async def test_each_participant_sees_their_own_programme(
    make_client: Callable[..., DialogTestClient], uow: FakeUnitOfWork, clock: Clock
) -> None:
    event = uow.committed[0]
    start = event.items[3].start  # 11.00
    tr_only = ProgrammeItem(
        start=start,
        end=start,
        title="TR-møde om arbejdsmiljø",
        audience=Audience(AudienceKind.PARTICIPANT_TYPE, "representative"),
    )
    group_3 = ProgrammeItem(
        start=start,
        end=start,
        title="Coaching for gruppe 3",
        audience=Audience(AudienceKind.GROUP, "Gruppe 3"),
    )
    uow.committed[0] = dataclasses.replace(event, items=(*event.items, tr_only, group_3))
    chat = Chat(make_client())
    await sign_up(chat)
    as_leader = card_text(await chat.say("program"))
    assert "TR-møde" not in as_leader and "Coaching for gruppe 3" not in as_leader
    [participant] = stored(uow)
    uow.committed_participants[participant.id or 0] = dataclasses.replace(
        participant, participant_type=ParticipantType.LEADER, groups=frozenset({"Gruppe 3"})
    )
    mine = card_text(await chat.say("program"))
    assert "Coaching for gruppe 3" in mine and "TR-møde" not in mine
    # Someone not signed up sees what is for everyone and for each type, not group items.
    stranger = card_text(await Chat(make_client(), user_id="x", name="X").say("program"))
    assert "TR-møde" in stranger and "Coaching for gruppe 3" not in stranger


def card_text(replies: list[Activity]) -> str:
    return "\n".join(str(reply.attachments[0].content["fallbackText"]) for reply in replies)


async def test_preparation_is_shown_and_set_by_facilitators(
    make_client: Callable[..., DialogTestClient], chat: Chat, uow: FakeUnitOfWork
) -> None:
    assert await chat.text("optakt") == (
        "Der er ingen optakt til **Fælles om ledelse** – du skal bare møde op."
    )
    facilitator = Chat(make_client(), user_id=FACILITATOR_ID, name="Helle")
    text = "Genlæs dit personlige ledelsesgrundlag, og ring til en lederkollega for sparring."
    assert await facilitator.text(f"sæt optakt: {text}") == "Optakten er gemt."
    assert await facilitator.text("påmind om optakten 3 dage før") == (
        "De tilmeldte får en påmindelse om optakten 3 dage før."
    )
    assert await chat.text("optakt") == f"**Optakt til Fælles om ledelse**\n\n{text}"
    assert uow.committed[0].preparation_reminder_days == 3
    assert (await chat.text("sæt optakt: noget andet")).startswith("Det er kun tovholderne")


async def test_reminders_on_and_off(chat: Chat, uow: FakeUnitOfWork) -> None:
    assert (await chat.text("påmindelser til")).startswith("Du er ikke tilmeldt")
    await sign_up(chat)
    assert await chat.text("påmindelser til") == (
        "Påmindelser er slået til: Jeg skriver til dig 5 minutter før hvert breakout og hver "
        "telefondialog."
    )
    assert stored(uow)[0].reminders is True
    assert await chat.text("påmindelser fra") == "Påmindelser er slået fra."
    assert stored(uow)[0].reminders is False


async def test_calendar_link_for_signed_up_participants(chat: Chat, uow: FakeUnitOfWork) -> None:
    assert (await chat.text("kalender")).startswith("Du er ikke tilmeldt")
    await sign_up(chat)
    [reply] = await chat.say("kalender")
    content = reply.attachments[0].content
    [button] = content["actions"]
    token = stored(uow)[0].calendar_token
    assert (
        token and button["url"] == f"https://traef.example/kalender/{stored(uow)[0].id}-{token}.ics"
    )
    assert button["title"] == "Hent kalenderfil"
    [again] = await chat.say("kalender")
    assert again.attachments[0].content["actions"][0]["url"] == button["url"]  # a stable address
