"""Transcripts of the facilitator flow from `dan grupper` to `offentliggør`, and of a phone
partner who does not answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from botbuilder.testing import DialogTestClient

from tests.dialogs.chat import Chat
from tests.dialogs.conftest import FACILITATOR_ID
from tests.fakes import FakeAnnouncer, FakeUnitOfWork
from traef.participants import ChannelIdentity, Participant, Status

CHECKED_IN = datetime(2026, 11, 22, 8, 25, tzinfo=ZoneInfo("Europe/Copenhagen"))
PEOPLE = [
    ("Lotte Henriksen", "MSO", "Leder"),
    ("Jakob Ljungberg", "MBU", "Leder"),
    ("Helle Bach Lauridsen", "BA", "Chef"),
    ("Niels Rask", "MSO", "Chef"),
    ("Søren Aakjær", "MKB", "Leder"),
    ("Kirstine Markvorsen", "MSO", "Leder"),
    ("Hosea Dutschke", "MSO", "Direktør"),
    ("Henrik Seiding", "MBU", "Direktør"),
    ("Maibritt Møller", "MTM", "Leder"),
    ("Otto Ohrt", "MSB", "Chef"),
    ("Bente Lykke Sørensen", "MSO", "Leder"),
    ("Erik Frisgaard", "MBU", "Chef"),
    ("Lone Dannerby Paulsen", "MSO", "Leder"),
    ("Peter Pedersen", "BA", "Leder"),
    ("Tyge Wanstrup", "MKB", "Chef"),
    ("Vibeke Sjøgreen", "MSO", "Direktør"),
]


@pytest.fixture
def people(uow: FakeUnitOfWork) -> list[Participant]:
    stored = []
    for number, (name, unit, level) in enumerate(PEOPLE, 1):
        user = "user-lotte" if number == 1 else f"user-{number}"
        participant = Participant(
            1,
            name,
            unit,
            level,
            status=Status.CHECKED_IN,
            checked_in_at=CHECKED_IN,
            id=number,
            phone=f"+45{20000000 + number}",
            phone_consent=True,
            identities=frozenset({ChannelIdentity("msteams", user)}),
        )
        uow.committed_participants[number] = participant
        stored.append(participant)
    return stored


@pytest.fixture
def facilitator(make_client: Callable[..., DialogTestClient]) -> Chat:
    return Chat(make_client(), user_id=FACILITATOR_ID, name="Helle Bach Lauridsen")


async def test_from_dan_grupper_to_offentliggoer(
    facilitator: Chat,
    make_client: Callable[..., DialogTestClient],
    uow: FakeUnitOfWork,
    announcer: FakeAnnouncer,
    people: list[Participant],
) -> None:
    preview = (await facilitator.text("dan grupper til breakout 1")).splitlines()
    [draft] = uow.committed_plans
    count = len(draft.groups)
    assert preview[0] == (
        "**Forslag til grupper til »Lederne udkommer med deres personlige ledelsesgrundlag«** "
        f"– 16 deltagere i {count} grupper"
    )
    assert all(3 <= len(group.members) <= 5 for group in draft.groups)
    # 8 of 16 are from MSO: the fewest same-department pairs possible, no repeats.
    bound = preview[1].split("mindst muligt: ")[1].split(")")[0]
    assert preview[1].startswith(f"Samme afdeling i samme gruppe: {bound} par")
    assert preview[1].endswith("Gentagne makkere: 0.")
    assert [line[:9] for line in preview[3 : 3 + count]] == [
        f"Gruppe {n}:" for n in range(1, count + 1)
    ]
    assert preview[-1].startswith("Skriv **offentliggør** for at sende grupperne")
    assert draft.item_id == 3 and draft.published_at is None
    assert sorted(draft.member_ids()) == list(range(1, 17))

    assert (await facilitator.text("offentliggør")).startswith(
        "Grupperne er sendt: 16 deltagere har fået deres gruppe personligt."
    )
    lotte_told = announcer.told[ChannelIdentity("msteams", "user-lotte")][0].text
    assert lotte_told.startswith("**Din gruppe til »Lederne udkommer")
    lotte = Chat(make_client())
    assert (await lotte.text("min gruppe")) == lotte_told

    # The next breakout: nobody meets a partner from the first one again.
    second = (await facilitator.text("dan grupper til breakout 2")).splitlines()
    assert second[1].endswith("Gentagne makkere: 0.")


async def test_again_gives_another_proposal_and_locked_groups_stay(
    facilitator: Chat, uow: FakeUnitOfWork, people: list[Participant]
) -> None:
    await facilitator.say("dan grupper til breakout 1")
    await facilitator.say("lås grupper")
    await facilitator.say("dan grupper til breakout 1")
    first, second = uow.committed_plans
    assert second.seed == first.seed + 1
    assert {g.members for g in second.groups} == {g.members for g in first.groups}


async def test_too_few_checked_in(
    facilitator: Chat, uow: FakeUnitOfWork, people: list[Participant]
) -> None:
    for number in range(2, 17):
        uow.committed_participants[number] = Participant(1, f"P{number}", "MSO", "Leder", id=number)
    assert await facilitator.text("dan telefonpar") == (
        "Der er kun 1 tjekket ind – der skal mindst være 2 for at danne telefonpar."
    )


async def test_a_partner_who_does_not_answer_is_replaced_within_the_turn(
    facilitator: Chat,
    make_client: Callable[..., DialogTestClient],
    uow: FakeUnitOfWork,
    announcer: FakeAnnouncer,
    people: list[Participant],
) -> None:
    preview = await facilitator.text("dan telefonpar")
    assert "16 deltagere i 8 grupper" in preview
    await facilitator.say("offentliggør")
    lotte = Chat(make_client())
    [pair] = [g for g in uow.committed_plans[0].groups if 1 in g.members]
    (partner_id,) = [m for m in pair.members if m != 1]
    partner = uow.committed_participants[partner_id]
    reply = (await lotte.text("hvem skal jeg ringe til")).splitlines()
    assert (
        reply[1]
        == f"- {partner.name}, {partner.department}: ring på " + reply[1].split("ring på ")[1]
    )

    announcer.told.clear()
    answer = (await lotte.text("min partner svarer ikke")).splitlines()
    assert answer[0] == "Din tidligere makker har ikke svaret, så du er sat sammen med en ny:"
    new_names = [line for line in answer[1:] if line.startswith("- ")]
    assert new_names and all(partner.name not in line for line in new_names)
    [plan] = uow.committed_plans
    assert partner_id not in plan.member_ids()  # the no-show is out until they come back
    assert 1 in plan.member_ids()
    told = {identity.user_id for identity in announcer.told}
    assert told and "user-lotte" not in told
    for messages in announcer.told.values():
        assert messages[0].text.startswith("Du har fået en ny makker:")


async def test_a_late_arrival_is_placed_in_published_groups_and_the_group_is_told(
    facilitator: Chat,
    make_client: Callable[..., DialogTestClient],
    uow: FakeUnitOfWork,
    announcer: FakeAnnouncer,
    people: list[Participant],
) -> None:
    late = Participant(
        1,
        "Maj Morgenstjerne Bek",
        "MSO",
        "Chef",
        id=99,
        identities=frozenset({ChannelIdentity("msteams", "user-maj")}),
    )
    uow.committed_participants[99] = late
    await facilitator.say("dan grupper til breakout 1")
    await facilitator.say("offentliggør")
    before = {g.members for g in uow.committed_plans[0].groups}
    announcer.told.clear()

    maj = Chat(make_client(), user_id="user-maj", name="Maj Morgenstjerne Bek")
    reply = (await maj.text("jeg er her")).splitlines()
    assert reply[0] == "Velkommen, Maj! Du er tjekket ind."
    assert reply[2].startswith("**Din gruppe til »Lederne udkommer")
    [plan] = uow.committed_plans
    assert 99 in plan.member_ids()
    after = {g.members for g in plan.groups}
    assert len(before - after) == 1  # exactly one group changed: the one Maj joined
    [joined] = after - before
    told = {identity.user_id for identity in announcer.told}
    assert told == {f"user-{m}" if m != 1 else "user-lotte" for m in joined if m != 99}
