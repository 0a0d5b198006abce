"""Transcripts: one's own group and phone partner; facilitators move, lock, publish and import
fixed groups."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from botbuilder.testing import DialogTestClient

from tests.dialogs.chat import Chat
from tests.dialogs.conftest import FACILITATOR_ID
from tests.fakes import FakeAnnouncer, FakeUnitOfWork
from traef.group_plans import Group, GroupPlan, PlanKind
from traef.participants import ChannelIdentity, Participant

AT = datetime(2026, 11, 22, 9, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))
BREAKOUT_ITEM = 3  # "Lederne udkommer med deres personlige ledelsesgrundlag", 9.45
NAMES = [
    ("Lotte Henriksen", "MSO", "Hjemmeplejen Nord", "+4512345678", True),
    ("Jakob Ljungberg", "MBU", "", "+4587654321", True),
    ("Helle Bach Lauridsen", "BA", "Strategi", None, False),
    ("Niels Rask", "MSB", "", "+4522334455", False),
    ("Søren Aakjær", "MKB", "", None, False),
]


@pytest.fixture
def people(uow: FakeUnitOfWork) -> dict[str, Participant]:
    stored = {}
    for number, (name, unit, area, phone, consent) in enumerate(NAMES, 1):
        user = "user-lotte" if number == 1 else f"user-{number}"
        stored[name] = Participant(
            1,
            name,
            unit,
            "Leder",
            area=area,
            phone=phone,
            phone_consent=consent,
            id=number,
            identities=frozenset({ChannelIdentity("msteams", user)}),
        )
        uow.committed_participants[number] = stored[name]
    return stored


def plan(kind: PlanKind, *groups: tuple[int, ...], published: bool = True) -> GroupPlan:
    return GroupPlan(
        1,
        kind,
        tuple(Group(n, members) for n, members in enumerate(groups, 1)),
        AT,
        item_id=BREAKOUT_ITEM if kind is PlanKind.BREAKOUT else None,
        published_at=AT if published else None,
    )


@pytest.fixture
def lotte(client: DialogTestClient) -> Chat:
    return Chat(client)


@pytest.fixture
def facilitator(make_client: Callable[..., DialogTestClient]) -> Chat:
    return Chat(make_client(), user_id=FACILITATOR_ID, name="Helle Bach Lauridsen")


async def test_my_group_lists_the_others_their_units_and_the_questions(
    lotte: Chat, uow: FakeUnitOfWork, people: dict[str, Participant]
) -> None:
    assert (await lotte.text("min gruppe")).startswith("Du er ikke sat i en gruppe endnu.")
    uow.committed_plans.append(plan(PlanKind.BREAKOUT, (1, 2, 3), (4, 5)))
    reply = await lotte.text("min gruppe")
    lines = reply.splitlines()
    assert lines[0] == (
        "**Din gruppe til »Lederne udkommer med deres personlige ledelsesgrundlag«: gruppe 1**"
    )
    assert lines[1:3] == ["- Jakob Ljungberg, MBU", "- Helle Bach Lauridsen, BA, Strategi"]
    assert "Det skal I drøfte:" in lines
    assert lines[-1].startswith("Del jeres ledelsesgrundlag med hinanden på skift")


async def test_an_unpublished_plan_is_not_shown(
    lotte: Chat, uow: FakeUnitOfWork, people: dict[str, Participant]
) -> None:
    uow.committed_plans.append(plan(PlanKind.BREAKOUT, (1, 2, 3), (4, 5), published=False))
    assert (await lotte.text("my group")).startswith("Du er ikke sat i en gruppe endnu.")


async def test_phone_partner_number_only_when_both_consented(
    make_client: Callable[..., DialogTestClient],
    uow: FakeUnitOfWork,
    people: dict[str, Participant],
) -> None:
    uow.committed_plans.append(plan(PlanKind.PHONE, (1, 2), (3, 4, 5)))
    lotte = Chat(make_client())
    reply = await lotte.text("Hvem skal jeg ringe til?")
    assert reply.splitlines() == [
        "**Din makker**",
        "- Jakob Ljungberg, MBU: ring på +45 87 65 43 21",
    ]
    helle = Chat(make_client(), user_id="user-3", name="Helle Bach Lauridsen")
    lines = (await helle.text("min makker")).splitlines()
    assert lines[1] == (
        "- Niels Rask, MSB – nummeret er ikke delt, så skriv til vedkommende i chatten og aftal, "
        "hvordan I taler sammen"
    )
    assert lines[2].startswith("- Søren Aakjær, MKB – nummeret er ikke delt")


async def test_facilitator_moves_locks_and_publishes(
    facilitator: Chat,
    lotte: Chat,
    uow: FakeUnitOfWork,
    announcer: FakeAnnouncer,
    people: dict[str, Participant],
) -> None:
    assert (await lotte.text("offentliggør")).startswith("Det er kun tovholderne")
    assert (await facilitator.text("offentliggør")).startswith("Der er ikke dannet grupper endnu.")
    uow.committed_plans.append(
        dataclasses.replace(plan(PlanKind.BREAKOUT, (1, 2, 3), (4, 5), published=False), id=1)
    )
    assert (
        await facilitator.text("flyt Niels til gruppe 1") == "Niels Rask er flyttet til gruppe 1."
    )
    assert await facilitator.text("flyt Bo til gruppe 1") == "Jeg kan ikke finde »Bo« i grupperne."
    assert await facilitator.text("flyt Niels til gruppe 7") == "Der er ingen gruppe 7."
    assert (await facilitator.text("flyt e til gruppe 2")).startswith("Flere passer på »e«:")
    assert await facilitator.text("lås grupper") == (
        "Grupperne er låst: de holdes samlet, hvis der dannes grupper igen."
    )
    [stored] = uow.committed_plans
    assert stored.locked and stored.groups[0].members == (1, 2, 3, 4)

    announcer.unreachable.add(ChannelIdentity("msteams", "user-5"))
    reply = await facilitator.text("offentliggør")
    assert reply == (
        "Grupperne er sendt: 4 deltagere har fået deres gruppe personligt. 1 kunne jeg ikke nå "
        "(de har ikke skrevet til mig endnu): Søren Aakjær."
    )
    told_lotte = announcer.told[ChannelIdentity("msteams", "user-lotte")][0].text
    assert told_lotte.startswith("**Din gruppe til »Lederne udkommer")
    assert "- Niels Rask, MSB" in told_lotte
    assert uow.committed_plans[0].published_at is not None
    assert (await lotte.text("min gruppe")).startswith("**Din gruppe til")


async def test_fixed_groups_are_imported_from_pasted_text(
    facilitator: Chat, uow: FakeUnitOfWork, people: dict[str, Participant]
) -> None:
    pasted = "importér grupper\nGruppe 1:\nLotte Henriksen\nNiels Rask\n\nGruppe 2:\nSøren Aakjær"
    assert await facilitator.text(pasted) == (
        "2 faste grupper med i alt 3 deltagere er gemt. "
        "De holdes samlet, når der dannes grupper med faste grupper."
    )
    assert uow.committed_participants[4].groups == {"Gruppe 1"}
    reply = await facilitator.text(pasted + "\nBo Ukendt")
    assert reply.splitlines() == ["Jeg har ikke gemt grupperne:", "- Ikke tilmeldt: Bo Ukendt"]
