"""Planning delays and moves: absorbed by the next break, or moving the rest of the day; undo."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.fakes import FakeUnitOfWork
from traef.change_requests import Delay, ItemReference, Move, parse_change_request
from traef.delays import ChangeNotPossibleError, apply_change, plan_change, undo_last_change
from traef.demo import demo_event
from traef.programme import Event, ItemKind, ProgrammeItem

CPH = ZoneInfo("Europe/Copenhagen")
DAY = date(2026, 11, 22)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 22, hour, minute, tzinfo=CPH)


@pytest.fixture
def event() -> Event:
    demo = demo_event(DAY)
    items = tuple(dataclasses.replace(i, id=n) for n, i in enumerate(demo.items, 1))
    return dataclasses.replace(demo, id=1, items=items)


def spans(event: Event, items: tuple[ProgrammeItem, ...]) -> dict[str, str]:
    return {
        i.title: event.local(i.start).strftime("%H.%M")
        + (event.local(i.end).strftime("–%H.%M") if i.end else "")
        for i in items
    }


def test_delay_lengthens_what_is_on_and_the_next_break_absorbs_it(event: Event) -> None:
    absorbed, to_end = plan_change(event, Delay(10), at(9, 33)).options
    assert absorbed.absorbed and not to_end.absorbed
    after = spans(event, absorbed.items)
    assert after["Fortællinger i plenum"] == "08.50–09.55"
    assert after["Lederne udkommer med deres personlige ledelsesgrundlag"] == "09.55–11.10"
    assert after["Pause"] == "11.10–11.20"
    assert after["Frokost"] == "11.40–12.20"
    assert [old.title for old, _ in absorbed.moved] == [
        "Fortællinger i plenum",
        "Lederne udkommer med deres personlige ledelsesgrundlag",
        "Pause",
    ]
    assert spans(event, to_end.items)["Tak for denne gang"] == "14.10"
    # Ids are kept, so reminders and changes keep pointing at the same items.
    assert [i.id for i in absorbed.items] == [i.id for i in event.items]


def test_a_break_shorter_than_the_delay_is_used_up_and_the_rest_moves_on(event: Event) -> None:
    absorbed = plan_change(event, Delay(30), at(10, 50)).options[0]
    after = spans(event, absorbed.items)
    assert after["Pause"] == "11.30–11.30"  # the 20-minute break is gone ...
    assert after["'Fælles om ledelse' – det videre forløb"] == "11.30–11.50"  # ... 10 min move on
    assert after["Frokost"] == "11.50–12.20"  # and lunch takes up the rest


def test_a_delay_with_no_break_left_gives_one_plan(event: Event) -> None:
    [only] = plan_change(event, Delay(5), at(12, 45)).options
    assert spans(event, only.items)["Næste skridt i arbejdet vedr. aktiv visionsledelse"] == (
        "12.55–14.05"
    )


def test_moving_an_item_closes_the_gap_ahead_of_it(event: Event) -> None:
    [plan] = plan_change(event, Move(ItemReference(ItemKind.LUNCH), at(12).time()), at(9)).options
    after = spans(event, plan.items)
    assert after["'Fælles om ledelse' – det videre forløb"] == "11.20–12.00"
    assert after["Frokost"] == "12.00–12.40"
    earlier = plan_change(event, Move(ItemReference(ItemKind.LUNCH), at(11, 30).time()), at(9))
    assert spans(event, earlier.options[0].items)["'Fælles om ledelse' – det videre forløb"] == (
        "11.20–11.30"
    )


def test_moving_keeps_a_gap_that_was_there(event: Event) -> None:
    request = parse_change_request("breakout 2 starter 13.00")
    assert request is not None
    [plan] = plan_change(event, request, at(9)).options
    after = spans(event, plan.items)
    assert after[
        "Arbejdet vedr. aktiv visionsledelse i sparringsgrupperne – coaching og træning"
    ] == ("12.20–12.40")
    assert after["Næste skridt i arbejdet vedr. aktiv visionsledelse"] == "13.00–14.10"


@pytest.mark.parametrize(
    ("request_text", "hour", "reason"),
    [
        ("forsink 10 min", 15, "nothing_left"),
        ("ryk kaffe til 10.00", 9, "unknown_item"),
        ("ryk frokost til 8.00", 9, "in_past"),
        ("ryk frokost til 11.10", 9, "before_previous"),
        ("ryk frokost til 11.40", 9, "no_change"),
    ],
)
def test_impossible_changes(event: Event, request_text: str, hour: int, reason: str) -> None:
    request = parse_change_request(request_text)
    assert request is not None
    with pytest.raises(ChangeNotPossibleError) as error:
        plan_change(event, request, at(hour))
    assert error.value.reason == reason


async def test_apply_and_undo_restore_the_programme_exactly(event: Event) -> None:
    uow = FakeUnitOfWork([event])
    option = plan_change(event, Delay(10), at(9, 33)).options[1]
    change = await apply_change(uow, event, option, "forsink 10 min", "Helle", at(9, 34))
    assert uow.committed[0].items == option.items
    assert change.before == event.items and change.made_by == "Helle"
    undone = await undo_last_change(uow, uow.committed[0], at(9, 40))
    assert undone.id == change.id
    assert uow.committed[0].items == event.items
    assert uow.committed_changes[0].undone_at == at(9, 40)
    with pytest.raises(ChangeNotPossibleError):
        await undo_last_change(uow, uow.committed[0], at(9, 41))
