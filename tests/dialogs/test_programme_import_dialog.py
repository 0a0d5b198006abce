"""Transcripts: a facilitator pastes a programme in the chat, checks it and confirms."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from botbuilder.testing import DialogTestClient

from tests.dialogs.chat import Chat
from tests.dialogs.conftest import FACILITATOR_ID
from tests.fakes import FakeUnitOfWork

PASTED = """importér program
Tid\tProgrampunkt
9.00 – 9.20\tVelkomst /v. Maj Morgenstjerne
9.20 – 10.00\tTelefondialog: ring til en lederkollega
10.00 – 10.15\tPause
10.15 – 11.00\tBreakout: kulturforvaltning i praksis
11.00\tTak for i dag"""


@pytest.fixture
def facilitator(make_client: Callable[..., DialogTestClient]) -> Chat:
    return Chat(make_client(), user_id=FACILITATOR_ID, name="Lone Hauberg Toft")


async def test_pasted_programme_is_previewed_and_imported(
    facilitator: Chat, uow: FakeUnitOfWork
) -> None:
    preview = await facilitator.text(PASTED)
    assert preview.startswith("**Program for søndag den 22. november** – Fælles om ledelse")
    assert "9.00–9.20  **Velkomst** v. Maj Morgenstjerne" in preview
    assert "11.00  **Tak for i dag**" in preview
    assert "Sådan har jeg forstået programmet (5 punkter)." in preview
    assert "Skal det erstatte programmet for **Fælles om ledelse**?" in preview
    assert len(uow.committed[0].items) == 9  # unchanged until confirmed

    assert await facilitator.text("ja") == (
        "Programmet er importeret: 5 punkter. Skriv **program** for at se det."
    )
    event = uow.committed[0]
    assert [item.title for item in event.items][:2] == [
        "Velkomst",
        "Telefondialog: ring til en lederkollega",
    ]
    assert event.items[1].kind.value == "phone_dialogue"
    assert event.start_date.isoformat() == "2026-11-22"


async def test_a_programme_with_unreadable_lines_is_refused(
    facilitator: Chat, uow: FakeUnitOfWork
) -> None:
    reply = await facilitator.text(PASTED + "\nher står noget helt andet")
    lines = reply.splitlines()
    assert lines[0] == "Jeg har ikke ændret programmet, fordi jeg ikke forstod alt:"
    assert any(line.startswith("- Linje 7: »her står noget helt andet«") for line in lines)
    assert lines[-1] == "Ret linjerne og send programmet igen."
    assert len(uow.committed[0].items) == 9


async def test_no_pasted_text_and_saying_no(facilitator: Chat, uow: FakeUnitOfWork) -> None:
    assert (await facilitator.text("importér program")).startswith("Indsæt programmet")
    await facilitator.say(PASTED)
    assert await facilitator.text("nej") == "Fint, programmet er uændret."
    assert len(uow.committed[0].items) == 9


async def test_participants_cannot_import(make_client: Callable[..., DialogTestClient]) -> None:
    assert (await Chat(make_client()).text(PASTED)).startswith("Det er kun tovholderne")
