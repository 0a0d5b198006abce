from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from traef.demo import demo_event
from traef.errors import InvalidProgrammeError
from traef.programme import Event, ItemKind, ProgrammeItem, ProgrammeState

CPH = ZoneInfo("Europe/Copenhagen")
DAY = date(2026, 11, 22)


def at(hour: int, minute: int, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CPH)


@pytest.fixture
def event() -> Event:
    return demo_event(DAY)


def test_demo_event_is_the_friday_programme_of_faelles_om_ledelse(event: Event) -> None:
    starts = [event.local(item.start).strftime("%H.%M") for item in event.items]
    assert starts == [
        "08.30",
        "08.50",
        "09.45",
        "11.00",
        "11.20",
        "11.40",
        "12.20",
        "12.50",
        "14.00",
    ]
    assert event.items[0].title == "Opsamling – hvad skete der i går?"
    assert event.items[0].speakers == ("Helle Bach Lauridsen",)
    assert [item.kind for item in event.items if item.kind is not ItemKind.PLENARY] == [
        ItemKind.BREAKOUT,
        ItemKind.BREAK,
        ItemKind.LUNCH,
        ItemKind.BREAKOUT,
    ]
    assert event.items[-1].title == "Tak for denne gang" and event.items[-1].end is None
    assert event.start_date == event.end_date == DAY


@pytest.mark.parametrize(
    ("instant", "state", "current", "following"),
    [
        (at(7, 0), ProgrammeState.BEFORE, None, "Opsamling – hvad skete der i går?"),
        (
            at(8, 30),
            ProgrammeState.DURING,
            "Opsamling – hvad skete der i går?",
            "Fortællinger i plenum",
        ),
        (
            at(8, 49),
            ProgrammeState.DURING,
            "Opsamling – hvad skete der i går?",
            "Fortællinger i plenum",
        ),
        (
            at(8, 50),
            ProgrammeState.DURING,
            "Fortællinger i plenum",
            "Lederne udkommer med deres personlige ledelsesgrundlag",
        ),
        (
            at(12, 0),
            ProgrammeState.DURING,
            "Frokost",
            "Arbejdet vedr. aktiv visionsledelse i sparringsgrupperne – coaching og træning",
        ),
        (
            at(12, 45),
            ProgrammeState.BETWEEN,
            None,
            "Næste skridt i arbejdet vedr. aktiv visionsledelse",
        ),
        (
            at(13, 59),
            ProgrammeState.DURING,
            "Næste skridt i arbejdet vedr. aktiv visionsledelse",
            "Tak for denne gang",
        ),
        (at(14, 0), ProgrammeState.AFTER, None, None),
        (
            at(9, 0, DAY - timedelta(days=1)),
            ProgrammeState.BEFORE,
            None,
            "Opsamling – hvad skete der i går?",
        ),
    ],
)
def test_now_and_next(
    event: Event,
    instant: datetime,
    state: ProgrammeState,
    current: str | None,
    following: str | None,
) -> None:
    status = event.now_and_next(instant)
    assert status.state is state
    assert (status.current.title if status.current else None) == current
    assert (status.next.title if status.next else None) == following


def test_now_and_next_uses_the_instant_not_the_clock_on_the_wall(event: Event) -> None:
    # 08.35 UTC is 09.35 in Copenhagen in November: "Fortællinger i plenum" is on.
    utc_instant = datetime(2026, 11, 22, 8, 35, tzinfo=ZoneInfo("UTC"))
    assert event.now_and_next(utc_instant).current.title == "Fortællinger i plenum"  # type: ignore[union-attr]


def test_minutes_until_next_rounds_up(event: Event) -> None:
    instant = at(9, 44) + timedelta(seconds=30)
    assert event.now_and_next(instant).minutes_until_next(instant) == 1


def test_day_to_show_is_today_then_upcoming_then_last(event: Event) -> None:
    assert event.day_to_show(at(10, 0)) == DAY
    assert event.day_to_show(at(10, 0, DAY - timedelta(days=3))) == DAY
    assert event.day_to_show(at(10, 0, DAY + timedelta(days=3))) == DAY
    assert Event("Tomt", DAY, DAY).day_to_show(at(10, 0)) is None


def test_empty_programme_has_no_now() -> None:
    assert Event("Tomt", DAY, DAY).now_and_next(at(10, 0)).state is ProgrammeState.NO_PROGRAMME


def test_items_are_kept_in_time_order() -> None:
    late = ProgrammeItem(start=at(10, 0), end=at(11, 0), title="Senere")
    early = ProgrammeItem(start=at(9, 0), end=at(10, 0), title="Først")
    assert [i.title for i in Event("Træf", DAY, DAY, items=(late, early)).items] == [
        "Først",
        "Senere",
    ]


def test_on_date_keeps_local_clock_times_across_daylight_saving(event: Event) -> None:
    summer = event.on_date(date(2027, 6, 4))
    assert summer.start_date == date(2027, 6, 4)
    assert [summer.local(i.start).strftime("%H.%M") for i in summer.items] == [
        event.local(i.start).strftime("%H.%M") for i in event.items
    ]


@pytest.mark.parametrize(
    "build",
    [
        lambda: ProgrammeItem(start=at(10, 0), end=at(9, 0), title="Baglæns"),
        lambda: ProgrammeItem(start=at(10, 0), title="  "),
        lambda: ProgrammeItem(start=datetime(2026, 11, 22, 10, 0), title="Uden tidszone"),
        lambda: Event("Træf", DAY, DAY - timedelta(days=1)),
        lambda: Event("", DAY, DAY),
        lambda: Event("Træf", DAY, DAY, timezone="Mars/Olympus"),
        lambda: Event(
            "Træf",
            DAY,
            DAY,
            items=(ProgrammeItem(start=at(9, 0, DAY + timedelta(days=1)), title="Dagen efter"),),
        ),
    ],
)
def test_invalid_programmes_are_refused(build: object) -> None:
    with pytest.raises(InvalidProgrammeError):
        build()  # type: ignore[operator]
