"""Facilitator commands in chat: refused politely for everyone else; overview and list import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from botbuilder.schema import Activity, Attachment, ChannelAccount
from botbuilder.testing import DialogTestClient

from tests.dialogs.chat import Chat, shown
from tests.dialogs.conftest import FACILITATOR_ID
from tests.dialogs.test_sign_up_dialog import sign_up, stored
from tests.fakes import FakeAttachments, FakeUnitOfWork

DATA = Path(__file__).resolve().parents[1] / "data"
REFUSAL = (
    "Det er kun tovholderne, der kan det. Skriv **hjælp** for at se, hvad jeg kan hjælpe dig med."
)


@pytest.fixture
def facilitator(make_client: Callable[..., DialogTestClient]) -> Chat:
    return Chat(make_client(), user_id=FACILITATOR_ID, name="Helle Bach Lauridsen")


@pytest.fixture
def participant(make_client: Callable[..., DialogTestClient]) -> Chat:
    return Chat(make_client())


async def send_file(chat: Chat, text: str, name: str) -> str:
    activity = Activity(
        type="message",
        text=text,
        from_property=ChannelAccount(id=chat.user.id, name=chat.user.name),
        attachments=[
            Attachment(content_type="text/csv", name=name, content_url=f"https://x/{name}")
        ],
    )
    replies = [await chat.client.send_activity(activity)]
    while (reply := chat.client.get_next_reply()) is not None:
        replies.append(reply)
    return "\n".join(shown(r) for r in replies)


@pytest.mark.parametrize("command", ["deltagere", "importér deltagere", "participants"])
async def test_non_facilitators_are_refused_politely(participant: Chat, command: str) -> None:
    assert await participant.text(command) == REFUSAL


async def test_non_facilitator_cannot_import_even_with_a_file(
    participant: Chat, attachments: FakeAttachments, uow: FakeUnitOfWork
) -> None:
    attachments.files["liste.csv"] = (DATA / "roster_excel_da.csv").read_bytes()
    assert await send_file(participant, "importér deltagere", "liste.csv") == REFUSAL
    assert stored(uow) == []


async def test_help_shows_facilitator_commands_to_facilitators_only(
    facilitator: Chat, participant: Chat
) -> None:
    assert "**importér deltagere**" in await facilitator.text("hjælp")
    assert "importér" not in await participant.text("hjælp")


async def test_overview_of_participants(
    facilitator: Chat, participant: Chat, uow: FakeUnitOfWork
) -> None:
    assert await facilitator.text("deltagere") == (
        "Der er ingen tilmeldte til **Fælles om ledelse** endnu."
    )
    await sign_up(participant)
    await participant.say("jeg er her")
    assert await facilitator.text("deltagere") == (
        "**Fælles om ledelse**: 1 tilmeldt, heraf 1 tjekket ind. 0 har afmeldt sig.\nMSO: 1"
    )


async def test_import_from_an_attached_file(
    facilitator: Chat, attachments: FakeAttachments, uow: FakeUnitOfWork
) -> None:
    attachments.files["liste.csv"] = (DATA / "roster_excel_da.csv").read_bytes()
    reply = await send_file(facilitator, "importér deltagere", "liste.csv")
    added = len(stored(uow))
    assert added >= 4
    assert reply == f"Deltagerlisten er importeret: {added} nye, 0 opdaterede og 0 uændrede."
    reply = await send_file(facilitator, "importér deltagere", "liste.csv")
    assert reply == f"Deltagerlisten er importeret: 0 nye, 0 opdaterede og {added} uændrede."


async def test_import_with_bad_rows_is_refused_with_line_numbers(
    facilitator: Chat, attachments: FakeAttachments, uow: FakeUnitOfWork
) -> None:
    attachments.files["liste.csv"] = (DATA / "roster_bad_rows.csv").read_bytes()
    reply = await send_file(facilitator, "importér deltagere", "liste.csv")
    lines = reply.splitlines()
    assert lines[0] == "Jeg har ikke importeret noget, fordi der er fejl i filen:"
    assert any(line.startswith("- Linje 4:") and "12 34" in line for line in lines)
    assert lines[-1].startswith("Ret linjerne og send filen igen")
    assert stored(uow) == []

    reply = await send_file(facilitator, "importér deltagere alligevel", "liste.csv")
    assert reply.startswith("Deltagerlisten er importeret: ")
    assert "linjer med fejl blev sprunget over:" in reply
    assert stored(uow) and all(p.email != "jens.olgaard@aarhus.dk" for p in stored(uow))


async def test_import_without_a_file_or_with_an_unreadable_one(facilitator: Chat) -> None:
    assert (await facilitator.text("importér deltagere")).startswith(
        "Vedhæft deltagerlisten som CSV-fil"
    )
    reply = await send_file(facilitator, "importér deltagere", "forsvundet.csv")
    assert reply.startswith("Jeg kunne ikke hente filen.")
