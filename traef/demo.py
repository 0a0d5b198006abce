"""The demo event: the Friday programme of "Fælles om ledelse" (Aarhus Kommune, seed 004).

The table in the seed skips the break from 11.00 to 11.20; the seed's own slides announce it
("Pause, Kl. 11.00 – 11.20"), so it is included here.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from traef.programme import Event, ItemKind, ProgrammeItem, local_time

DEMO_EVENT_NAME = "Fælles om ledelse"
DEMO_TIMEZONE = "Europe/Copenhagen"

_SHARE_FOUNDATION = (
    "Del jeres ledelsesgrundlag med hinanden på skift i 4-mandsgrupperne. Indled med "
    "'Hvad har været det vigtigste for mig at få med i mit ledelsesgrundlag?' og læs derefter "
    "dit ledelsesgrundlag højt (ca. 8 minutter pr. person). Drøft så de tre øvrige spørgsmål på "
    "spørgsmålskortet (ca. 10 minutter pr. spørgsmål). De sidste 10 minutter skriver I forslag "
    "til, hvordan I vil udkomme og bruge jeres ledelsesgrundlag – kun ét forslag på hver post-it."
)

_NEXT_STEPS = (
    "Læringsfokus: Hvilken ledelsesmæssig udfordring eller hvilket udviklingspunkt i din "
    "visionsledelse vil du arbejde med? Øvebanen: I hvilket udsnit af din ledelsespraksis vil du "
    "træne dit læringsfokus? 10 minutters individuel refleksion, derefter 10–15 minutters "
    "drøftelse for hver leder."
)

# (start, end, title, kind, speakers, description); times are local clock times.
_FRIDAY: tuple[
    tuple[tuple[int, int], tuple[int, int] | None, str, ItemKind, tuple[str, ...], str], ...
] = (
    (
        (8, 30),
        (8, 50),
        "Opsamling – hvad skete der i går?",
        ItemKind.PLENARY,
        ("Helle Bach Lauridsen",),
        "",
    ),
    (
        (8, 50),
        (9, 45),
        "Fortællinger i plenum",
        ItemKind.PLENARY,
        (
            "direktør Hosea Dutschke",
            "direktør Henrik Seiding",
            "leder Lotte Henriksen",
            "leder Jakob Ljungberg",
        ),
        "To direktører og to ledere udkommer med deres ledelsesgrundlag og fortæller om arbejdet.",
    ),
    (
        (9, 45),
        (11, 0),
        "Lederne udkommer med deres personlige ledelsesgrundlag",
        ItemKind.BREAKOUT,
        ("alle",),
        _SHARE_FOUNDATION,
    ),
    ((11, 0), (11, 20), "Pause", ItemKind.BREAK, (), ""),
    (
        (11, 20),
        (11, 40),
        "'Fælles om ledelse' – det videre forløb",
        ItemKind.PLENARY,
        ("Helle Bach Lauridsen",),
        "",
    ),
    ((11, 40), (12, 20), "Frokost", ItemKind.LUNCH, (), ""),
    (
        (12, 20),
        (12, 40),
        "Arbejdet vedr. aktiv visionsledelse i sparringsgrupperne – coaching og træning",
        ItemKind.PLENARY,
        (
            "vicecenterleder Christian Bøtcher Jacobsen, "
            "Kronprins Frederiks Center for Offentlig Ledelse",
        ),
        "",
    ),
    (
        (12, 50),
        (14, 0),
        "Næste skridt i arbejdet vedr. aktiv visionsledelse",
        ItemKind.BREAKOUT,
        ("sparringsgrupperne",),
        _NEXT_STEPS,
    ),
    ((14, 0), None, "Tak for denne gang", ItemKind.PLENARY, (), ""),
)


def demo_event(day: date) -> Event:
    """The demo event, placed on `day`."""
    zone = ZoneInfo(DEMO_TIMEZONE)
    items = tuple(
        ProgrammeItem(
            start=local_time(day, *start, zone),
            end=local_time(day, *end, zone) if end is not None else None,
            title=title,
            kind=kind,
            speakers=speakers,
            description=description,
        )
        for start, end, title, kind, speakers, description in _FRIDAY
    )
    return Event(
        name=DEMO_EVENT_NAME, start_date=day, end_date=day, timezone=DEMO_TIMEZONE, items=items
    )
