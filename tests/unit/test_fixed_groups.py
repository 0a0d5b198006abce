"""Fixed groups from the organisers' lists in the seeds' format."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from tests.fakes import FakeUnitOfWork
from traef.fixed_groups import FixedGroupsRefusedError, import_fixed_groups, parse_fixed_groups
from traef.participants import Participant, Status
from traef.programme import Event

SEED_004 = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "004_e35a73752130c1c5.txt"
LIST = """4 mandsgrupper

Gruppe 1:

Niels Højberg

Luise Pape Rydahl

Hans van Binsbergen

Gruppe 2:

Henrik Seiding
Jan Beyer Schmidt-Sørensen

I grupper

Del jeres ledelsesgrundlag med hinanden på skift
"""


def test_the_seed_format_is_read() -> None:
    assert parse_fixed_groups(LIST) == {
        "Gruppe 1": ["Niels Højberg", "Luise Pape Rydahl", "Hans van Binsbergen"],
        "Gruppe 2": ["Henrik Seiding", "Jan Beyer Schmidt-Sørensen"],
    }


@pytest.mark.skipif(not SEED_004.exists(), reason="the seeds are not beside this checkout")
def test_the_whole_seed_gives_its_nine_groups() -> None:
    groups = parse_fixed_groups(SEED_004.read_text("utf-8"))
    assert list(groups) == [f"Gruppe {n}" for n in range(1, 10)]
    assert groups["Gruppe 7"] == ["Helle Bach Lauridsen", "Christian Mølgaard", "Michael Johansson"]
    assert sum(len(names) for names in groups.values()) == 35


def people(*names: str) -> FakeUnitOfWork:
    uow = FakeUnitOfWork([Event("Træf", date(2026, 11, 22), date(2026, 11, 22), id=1)])
    for number, name in enumerate(names, 1):
        uow.committed_participants[number] = Participant(1, name, "MSO", "Leder", id=number)
    return uow


async def test_import_sets_membership_and_replaces_earlier_members() -> None:
    uow = people(
        "Niels Højberg",
        "Luise Pape Rydahl",
        "Hans van Binsbergen",
        "Henrik Seiding",
        "Jan Beyer Schmidt-Sørensen",
        "Anna Andersen",
    )
    anna = uow.committed_participants[6]
    uow.committed_participants[6] = dataclasses.replace(
        anna, groups=frozenset({"Gruppe 1", "Sparringsgruppe 4"})
    )
    report = await import_fixed_groups(
        uow, uow.committed[0], LIST.replace("Niels Højberg", "Niels   Højberg")
    )
    assert (report.groups, report.members) == (2, 5)
    groups = {p.name: p.groups for p in uow.committed_participants.values()}
    assert groups["Niels Højberg"] == {"Gruppe 1"}
    assert groups["Jan Beyer Schmidt-Sørensen"] == {"Gruppe 2"}
    assert groups["Anna Andersen"] == {"Sparringsgruppe 4"}  # left Gruppe 1, kept the other


async def test_unknown_names_refuse_the_whole_list() -> None:
    uow = people("Niels Højberg")
    cancelled = dataclasses.replace(
        Participant(1, "Henrik Seiding", "MSO", "Leder", id=2), status=Status.CANCELLED
    )
    uow.committed_participants[2] = cancelled
    with pytest.raises(FixedGroupsRefusedError) as error:
        await import_fixed_groups(uow, uow.committed[0], LIST)
    assert "Luise Pape Rydahl" in error.value.unknown and "Henrik Seiding" in error.value.unknown
    assert uow.committed_participants[1].groups == frozenset()
