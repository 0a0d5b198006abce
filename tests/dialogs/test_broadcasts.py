"""Transcripts: facilitators broadcast to an audience, follow the delivery and stop it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from botbuilder.testing import DialogTestClient

from tests.dialogs.chat import Chat
from tests.dialogs.conftest import FACILITATOR_ID
from tests.fakes import FakeUnitOfWork
from traef.group_plans import Group, GroupPlan, PlanKind
from traef.outbox import MessageStatus
from traef.participants import ChannelIdentity, Participant, Status

PEOPLE = [
    ("Lotte Henriksen", "MSO", Status.CHECKED_IN),
    ("Jakob Ljungberg", "MBU", Status.SIGNED_UP),
    ("Niels Rask", "MSO", Status.CHECKED_IN),
]


@pytest.fixture
def people(uow: FakeUnitOfWork) -> list[Participant]:
    stored = []
    for number, (name, unit, status) in enumerate(PEOPLE, 1):
        identity = ChannelIdentity("msteams", f"user-{number}")
        person = Participant(
            1, name, unit, "Leder", status=status, id=number, identities=frozenset({identity})
        )
        uow.committed_participants[number] = person
        uow.committed_references[identity] = {"conversation": {"id": f"c-{number}"}}
        stored.append(person)
    # Someone who talked to the bot without signing up.
    uow.committed_references[ChannelIdentity("msteams", "guest")] = {"conversation": {"id": "g"}}
    return stored


@pytest.fixture
def facilitator(make_client: Callable[..., DialogTestClient]) -> Chat:
    return Chat(make_client(), user_id=FACILITATOR_ID, name="Helle Bach Lauridsen")


async def test_broadcast_to_everyone_with_preview_and_confirm(
    facilitator: Chat, uow: FakeUnitOfWork, people: list[Participant]
) -> None:
    preview = await facilitator.text("send til alle: Vi starter igen kl. 11.20 – husk kameraet")
    assert preview.splitlines()[0] == "**Udsendelse til alle** – 4 modtagere:"
    assert "Vi starter igen kl. 11.20 – husk kameraet" in preview
    assert uow.committed_outbox == []  # nothing queued before the confirmation
    reply = await facilitator.text("ja")
    assert reply.startswith("Udsendelsen er sat i gang til 4 modtagere.")
    assert len(uow.committed_outbox) == 4
    assert {m.body["text"] for m in uow.committed_outbox} == {
        "Vi starter igen kl. 11.20 – husk kameraet"
    }
    assert len({m.idempotency_key for m in uow.committed_outbox}) == 4


@pytest.mark.parametrize(
    ("audience", "count"),
    [("tjekket ind", 2), ("ikke tjekket ind", 1), ("MSO", 2), ("ledere", 3)],
)
async def test_audiences(
    facilitator: Chat, uow: FakeUnitOfWork, people: list[Participant], audience: str, count: int
) -> None:
    preview = await facilitator.text(f"send til {audience}: Hej")
    recipients = "1 modtager" if count == 1 else f"{count} modtagere"
    assert f"– {recipients}:" in preview.splitlines()[0]


async def test_a_later_time_is_shown_and_kept(
    facilitator: Chat, uow: FakeUnitOfWork, people: list[Participant]
) -> None:
    preview = await facilitator.text("send til alle om 10 minutter: Pause slut")
    assert preview.splitlines()[0] == "**Udsendelse til alle** – 4 modtagere, sendes kl. 9.43:"
    await facilitator.say("ja")
    [broadcast] = uow.committed_broadcasts
    assert broadcast.send_at is not None and broadcast.send_at.minute == 43


async def test_status_and_stop(
    facilitator: Chat, uow: FakeUnitOfWork, people: list[Participant]
) -> None:
    assert (
        await facilitator.text("status på udsendelse")
        == "Der er ikke sendt nogen udsendelser endnu."
    )
    await facilitator.say("send til alle: Hej")
    await facilitator.say("ja")
    first, second, *_ = uow.committed_outbox
    uow.committed_outbox[0] = dataclasses.replace(first, status=MessageStatus.SENT)
    uow.committed_outbox[1] = dataclasses.replace(second, status=MessageStatus.UNDELIVERABLE)
    status = (await facilitator.text("status på udsendelse")).splitlines()
    assert status[0] == "Udsendelsen til alle: 1 sendt, 2 venter, 1 ikke nået."
    assert status[1].startswith("Ikke nået: ")
    assert await facilitator.text("stop udsendelse") == (
        "Udsendelsen er stoppet: 2 beskeder bliver ikke sendt."
    )


async def test_participants_cannot_broadcast(
    make_client: Callable[..., DialogTestClient], uow: FakeUnitOfWork
) -> None:
    chat = Chat(make_client())
    assert (await chat.text("send til alle: hej")).startswith("Det er kun tovholderne")
    assert (await chat.text("status på udsendelse")).startswith("Det er kun tovholderne")
    assert uow.committed_outbox == []


async def test_nobody_to_reach_and_unknown_audience(facilitator: Chat) -> None:
    assert await facilitator.text("send til alle: Hej") == (
        "Ingen i den målgruppe har skrevet til mig endnu, så der er ingen at sende til."
    )
    assert (await facilitator.text("send til marsboerne: Hej")).startswith("Skriv fx **send til")


async def test_each_group_gets_its_own_message(
    facilitator: Chat, uow: FakeUnitOfWork, people: list[Participant]
) -> None:
    at = datetime(2026, 11, 22, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
    uow.committed_plans.append(
        GroupPlan(
            1,
            PlanKind.BREAKOUT,
            (Group(1, (1, 2), "https://teams.example/rum-1"), Group(2, (3,))),
            at,
            item_id=3,
            published_at=at,
            id=1,
        )
    )
    preview = await facilitator.text("send til hver gruppe: Jeres rum er åbne nu")
    assert preview.splitlines()[0] == "**Udsendelse til hver gruppe** – 3 modtagere:"
    await facilitator.say("ja")
    bodies = {m.identity.user_id: m.body["text"] for m in uow.committed_outbox}
    assert set(bodies) == {"user-1", "user-2", "user-3"}  # not the guest
    assert bodies["user-1"].startswith("Jeres rum er åbne nu\n\n**Din gruppe til »Lederne")
    assert "- Jakob Ljungberg, MBU" in bodies["user-1"]
    assert "Jeres rum: https://teams.example/rum-1" in bodies["user-1"]
    assert ": gruppe 2**" in bodies["user-3"]
