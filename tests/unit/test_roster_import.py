"""Importing a facilitator's list: all or nothing, upsert by e-mail, idempotent; exporting it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.fakes import FakeUnitOfWork
from traef.demo import demo_event
from traef.participants import ChannelIdentity, Participant, ParticipantType, Status
from traef.programme import Event
from traef.roster import ProblemCode
from traef.roster_import import ImportReport, RosterInvalidError, export_roster, import_roster

DATA = Path(__file__).resolve().parents[1] / "data"
HEADER = "Navn;E-mail;Afdeling;Område;Stilling;Telefon;Deltagertype"
TEAMS = ChannelIdentity("msteams", "29:1abc")


@pytest.fixture
def event() -> Event:
    return replace(demo_event(date(2026, 11, 22)), id=1)


@pytest.fixture
def uow(event: Event) -> FakeUnitOfWork:
    return FakeUnitOfWork([event])


def csv_bytes(*lines: str) -> bytes:
    return "\ufeff".encode() + "\r\n".join((HEADER, *lines)).encode("utf-8")


def stored(uow: FakeUnitOfWork) -> dict[str, Participant]:
    return {p.email or "": p for p in uow.committed_participants.values()}


async def test_new_participants_are_signed_up_without_chat_accounts(
    uow: FakeUnitOfWork, event: Event
) -> None:
    report = await import_roster(uow, event, (DATA / "roster_excel_da.csv").read_bytes())

    assert report == ImportReport(added=5, updated=0, unchanged=0)
    assert uow.commits == 1
    participants = stored(uow)
    assert len(participants) == 5
    søren = participants["soren.ostergaard@aarhus.dk"]
    assert (søren.name, søren.event_id, søren.area) == (
        "Søren Østergaard",
        1,
        "Pleje og Omsorg Nord",
    )
    assert (søren.phone, søren.phone_consent) == ("+4512345678", False)
    for participant in participants.values():
        assert participant.status is Status.SIGNED_UP
        assert participant.identities == frozenset()
        assert participant.language == "da"


async def test_importing_the_same_file_again_changes_nothing(
    uow: FakeUnitOfWork, event: Event
) -> None:
    data = (DATA / "roster_excel_da.csv").read_bytes()
    await import_roster(uow, event, data)
    before = dict(uow.committed_participants)

    again = await import_roster(uow, event, data)

    assert again == ImportReport(added=0, updated=0, unchanged=5)
    assert uow.commits == 1  # nothing written the second time
    assert uow.committed_participants == before


async def test_any_invalid_line_refuses_the_whole_list(uow: FakeUnitOfWork, event: Event) -> None:
    with pytest.raises(RosterInvalidError) as refused:
        await import_roster(uow, event, (DATA / "roster_bad_rows.csv").read_bytes())

    assert [(p.line, p.code) for p in refused.value.problems] == [
        (4, ProblemCode.INVALID_PHONE),
        (5, ProblemCode.UNKNOWN_DEPARTMENT),
        (6, ProblemCode.MISSING_NAME),
        (7, ProblemCode.INVALID_EMAIL),
        (8, ProblemCode.DUPLICATE_EMAIL),
    ]
    assert uow.committed_participants == {}
    assert uow.commits == 0


async def test_skip_invalid_imports_the_good_lines_and_reports_the_others(
    uow: FakeUnitOfWork, event: Event
) -> None:
    data = (DATA / "roster_bad_rows.csv").read_bytes()

    report = await import_roster(uow, event, data, skip_invalid=True)

    assert (report.added, report.updated, report.unchanged) == (3, 0, 0)
    assert [p.line for p in report.problems] == [4, 5, 6, 7, 8]
    assert report.skipped == 5
    assert sorted(stored(uow)) == [
        "aase.baek@aarhus.dk",
        "mette.kjaer@aarhus.dk",
        "soren.ostergaard@aarhus.dk",
    ]
    assert stored(uow)["aase.baek@aarhus.dk"].area == "Sundhed"  # line 3 wins over line 8


async def test_a_file_that_cannot_be_read_is_refused_even_when_skipping_invalid_lines(
    uow: FakeUnitOfWork, event: Event
) -> None:
    with pytest.raises(RosterInvalidError) as refused:
        await import_roster(uow, event, b"Navn;Telefon\r\nIb;12345678\r\n", skip_invalid=True)

    assert [p.code for p in refused.value.problems] == [ProblemCode.MISSING_COLUMNS]
    assert uow.commits == 0


async def test_an_update_keeps_chat_accounts_status_consent_and_language(
    uow: FakeUnitOfWork, event: Event
) -> None:
    checked_in_at = datetime(2026, 11, 22, 8, 5, tzinfo=UTC)
    async with uow:
        await uow.participants.add(
            Participant(
                event_id=1,
                name="Søren Ø.",
                department="MBU",
                level="Chef",
                email="soren@aarhus.dk",
                phone="+4512345678",
                phone_consent=True,
                language="en",
                status=Status.CHECKED_IN,
                checked_in_at=checked_in_at,
                identities=frozenset({TEAMS}),
            )
        )
        await uow.commit()

    report = await import_roster(
        uow, event, csv_bytes("Søren Østergaard;SOREN@aarhus.dk;MSO;Nord;Leder;87654321;TR")
    )

    assert (report.added, report.updated, report.unchanged) == (0, 1, 0)
    søren = stored(uow)["soren@aarhus.dk"]
    assert (søren.name, søren.department, søren.area, søren.level) == (
        "Søren Østergaard",
        "MSO",
        "Nord",
        "Leder",
    )
    assert søren.participant_type is ParticipantType.REPRESENTATIVE
    assert (søren.phone, søren.phone_consent) == ("+4587654321", True)
    assert (søren.language, søren.status, søren.checked_in_at) == (
        "en",
        Status.CHECKED_IN,
        checked_in_at,
    )
    assert søren.identities == frozenset({TEAMS})


async def test_empty_optional_cells_keep_what_participants_gave_in_the_chat(
    uow: FakeUnitOfWork, event: Event
) -> None:
    async with uow:
        await uow.participants.add(
            Participant(
                event_id=1,
                name="Ida Ås",
                department="MSO",
                level="Leder",
                email="ida@aarhus.dk",
                area="Syd",
                phone="+4512345678",
                phone_consent=True,
                participant_type=ParticipantType.TRAINEE,
                identities=frozenset({TEAMS}),
            )
        )
        await uow.commit()

    report = await import_roster(uow, event, csv_bytes("Ida Ås;ida@aarhus.dk;MSO;;Leder;;"))

    assert (report.added, report.updated, report.unchanged) == (0, 0, 1)
    ida = stored(uow)["ida@aarhus.dk"]
    assert (ida.area, ida.phone, ida.phone_consent) == ("Syd", "+4512345678", True)
    assert ida.participant_type is ParticipantType.TRAINEE


async def test_a_cancelled_participant_on_the_list_stays_cancelled(
    uow: FakeUnitOfWork, event: Event
) -> None:
    async with uow:
        await uow.participants.add(
            Participant(1, "Bo", "MSO", "Leder", email="bo@aarhus.dk", status=Status.CANCELLED)
        )
        await uow.commit()

    await import_roster(uow, event, csv_bytes("Bo Bæk;bo@aarhus.dk;MSO;;Leder;;"))

    assert stored(uow)["bo@aarhus.dk"].status is Status.CANCELLED
    assert stored(uow)["bo@aarhus.dk"].name == "Bo Bæk"


async def test_participants_of_other_events_are_not_touched(
    uow: FakeUnitOfWork, event: Event
) -> None:
    other = Participant(2, "Ib", "MSO", "Leder", email="ib@aarhus.dk", area="Nord")
    async with uow:
        await uow.participants.add(other)
        await uow.commit()

    report = await import_roster(uow, event, csv_bytes("Ib;ib@aarhus.dk;MSO;Syd;Leder;;"))

    assert report.added == 1
    areas = sorted((p.event_id, p.area) for p in uow.committed_participants.values())
    assert areas == [(1, "Syd"), (2, "Nord")]


async def test_an_exported_list_imports_unchanged(uow: FakeUnitOfWork, event: Event) -> None:
    await import_roster(uow, event, (DATA / "roster_excel_da.csv").read_bytes())
    async with uow:
        first = next(p for p in await uow.participants.for_event(1) if p.phone)
        await uow.participants.update(replace(first, status=Status.CHECKED_IN, phone_consent=True))
        await uow.commit()

    exported = await export_roster(uow, event)

    assert exported.decode("utf-8-sig").count("\r\n") == 6  # header and five participants
    assert "Tjekket ind" in exported.decode("utf-8-sig")
    again = await import_roster(uow, event, exported)
    assert again == ImportReport(added=0, updated=0, unchanged=5)
    elsewhere = FakeUnitOfWork([event])
    assert (await import_roster(elsewhere, event, exported)).added == 5
    assert {p.email for p in stored(elsewhere).values()} == set(stored(uow))
