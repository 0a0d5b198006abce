from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.workers.reminder_text import reminder_text
from dialogs.i18n import Catalogue
from tests.fakes import FakeUnitOfWork
from traef.participants import ChannelIdentity, Participant, ParticipantType, Status
from traef.programme import Audience, AudienceKind, Event, ItemKind, ProgrammeItem
from traef.reminders import Reminder, due_reminders, send_due_reminders

CPH = ZoneInfo("Europe/Copenhagen")
DAY = date(2026, 11, 20)
LATER = timedelta(minutes=15)


def at(hour: int, minute: int, second: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=CPH)


def the_event(**changes: object) -> Event:
    items = (
        ProgrammeItem(at(8, 30), "Opsamling", end=at(8, 50), id=1),
        ProgrammeItem(
            at(9, 45),
            "Lederne udkommer med deres ledelsesgrundlag",
            ItemKind.BREAKOUT,
            end=at(11, 0),
            link="https://teams.microsoft.com/l/room-3",
            id=2,
        ),
        ProgrammeItem(at(11, 20), "Ring til en kollega", ItemKind.PHONE_DIALOGUE, id=3),
        ProgrammeItem(
            at(12, 0),
            "Breakout for TR",
            ItemKind.BREAKOUT,
            audience=Audience(AudienceKind.PARTICIPANT_TYPE, "representative"),
            id=4,
        ),
        ProgrammeItem(
            at(13, 0),
            "Sparring i Gruppe 3",
            ItemKind.BREAKOUT,
            audience=Audience(AudienceKind.GROUP, "Gruppe 3"),
            id=5,
        ),
    )
    event = Event("Fælles om ledelse", DAY, DAY, items=items, id=7)
    return replace(event, **changes)  # type: ignore[arg-type]


def person(participant_id: int = 1, **changes: object) -> Participant:
    base = Participant(
        7,
        "Lotte Henriksen",
        "MSO",
        "Leder",
        reminders=True,
        identities=frozenset({ChannelIdentity("msteams", f"29:{participant_id}")}),
        id=participant_id,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def keys(event: Event, participants: list[Participant], now: datetime) -> list[str]:
    return [r.key for r in due_reminders(event, participants, now)]


def test_within_five_minutes_before_a_breakout_or_phone_dialogue() -> None:
    event = the_event()
    assert keys(event, [person()], at(9, 39, 59)) == []
    assert keys(event, [person()], at(9, 40)) == ["item:2"]
    assert keys(event, [person()], at(9, 44, 59)) == ["item:2"]
    assert keys(event, [person()], at(11, 16)) == ["item:3"]
    assert keys(event, [person()], at(8, 27)) == []  # a plenary is not reminded


def test_never_once_the_item_has_started() -> None:
    assert keys(the_event(), [person()], at(9, 45)) == []
    assert keys(the_event(), [person()], at(10, 0)) == []


def test_a_delayed_item_is_reminded_at_its_new_time() -> None:
    event = the_event()
    delayed = tuple(
        replace(
            i, start=i.start + timedelta(minutes=15), end=i.end and i.end + timedelta(minutes=15)
        )
        if i.id == 2
        else i
        for i in event.items
    )
    event = replace(event, items=delayed)
    assert keys(event, [person()], at(9, 42)) == []
    assert keys(event, [person()], at(9, 55)) == ["item:2"]


def test_only_for_active_participants_who_turned_reminders_on() -> None:
    event = the_event()
    assert keys(event, [person(reminders=False)], at(9, 42)) == []
    assert keys(event, [person(status=Status.CANCELLED)], at(9, 42)) == []
    assert keys(event, [person(status=Status.CHECKED_IN)], at(9, 42)) == ["item:2"]


def test_only_items_of_the_participants_own_programme() -> None:
    event = the_event()
    leader, representative = person(1), person(2, participant_type=ParticipantType.REPRESENTATIVE)
    member = person(3, groups=frozenset({"gruppe 3"}))
    due = due_reminders(event, [leader, representative, member], at(11, 58))
    assert [(r.participant_id, r.key) for r in due] == [(2, "item:4")]
    due = due_reminders(event, [leader, representative, member], at(12, 56))
    assert [(r.participant_id, r.key) for r in due] == [(3, "item:5")]


def test_preparation_on_its_day_from_nine_for_everyone_signed_up() -> None:
    event = the_event(preparation="Genlæs dit ledelsesgrundlag.", preparation_reminder_days=3)
    everyone = [person(1, reminders=False), person(2), person(3, status=Status.CANCELLED)]
    day = date(2026, 11, 17)
    assert keys(event, everyone, at(8, 59, day=day)) == []
    assert keys(event, everyone, at(9, 0, day=day)) == ["preparation:7", "preparation:7"]
    assert keys(event, everyone, at(23, 59, day=day)) == ["preparation:7", "preparation:7"]
    assert keys(event, everyone, at(0, 1, day=date(2026, 11, 18))) == []
    assert keys(event, everyone, at(12, 0, day=date(2026, 11, 16))) == []


def test_no_preparation_reminder_without_text_or_days() -> None:
    day = date(2026, 11, 17)
    no_days = the_event(preparation="Genlæs dit ledelsesgrundlag.")
    no_text = the_event(preparation_reminder_days=3)
    assert keys(no_days, [person()], at(10, 0, day=day)) == []
    assert keys(no_text, [person()], at(10, 0, day=day)) == []


class Recorder:
    def __init__(self, reachable: bool = True) -> None:
        self.sent: list[tuple[int | None, str]] = []
        self.reachable = reachable

    async def __call__(self, participant: Participant, reminder: Reminder) -> bool:
        self.sent.append((participant.id, reminder.key))
        return self.reachable


async def with_people(event: Event, *participants: Participant) -> FakeUnitOfWork:
    uow = FakeUnitOfWork([event])
    async with uow:
        for participant in participants:
            await uow.participants.add(replace(participant, id=None))
        await uow.commit()
    return uow


async def test_sent_once_even_when_asked_twice() -> None:
    uow = await with_people(the_event(), person(1), person(2, reminders=False))
    deliver = Recorder()
    assert await send_due_reminders(lambda: uow, at(9, 41), deliver) == 1
    assert await send_due_reminders(lambda: uow, at(9, 42), deliver) == 0
    assert deliver.sent == [(1, "item:2")]
    assert uow.committed_reminders == {(1, "item:2")}


async def test_claimed_before_delivery_so_an_unreachable_person_is_not_retried() -> None:
    uow = await with_people(the_event(), person(1))
    unreachable = Recorder(reachable=False)
    assert await send_due_reminders(lambda: uow, at(9, 41), unreachable) == 0
    assert await send_due_reminders(lambda: uow, at(9, 42), unreachable) == 0
    assert unreachable.sent == [(1, "item:2")]


async def test_nothing_without_an_event() -> None:
    assert await send_due_reminders(FakeUnitOfWork, at(9, 41), Recorder()) == 0


async def test_the_current_event_by_its_local_date() -> None:
    yesterday = Event("Dagen før", date(2026, 11, 16), date(2026, 11, 16), id=1)
    night = date(2026, 11, 17)
    breakout = ProgrammeItem(at(0, 35, day=night), "Natligt breakout", ItemKind.BREAKOUT, id=9)
    tonight = Event("Nattræf", night, night, items=(breakout,), id=2)
    uow = FakeUnitOfWork([yesterday, tonight])
    async with uow:
        await uow.participants.add(person(event_id=2, id=None))
        await uow.commit()
    late = datetime(2026, 11, 16, 23, 31, tzinfo=ZoneInfo("UTC"))  # 00.31 on 17 November in CPH
    deliver = Recorder()
    assert await send_due_reminders(lambda: uow, late, deliver) == 1
    assert deliver.sent == [(1, "item:9")]


def test_reminder_texts_read_naturally() -> None:
    event = the_event(preparation="Genlæs dit ledelsesgrundlag.")
    breakout = event.items[1]
    danish, english = (Catalogue.default().texts(language) for language in ("da", "en"))
    reminder = Reminder(1, "item:2", event, breakout)
    assert reminder_text(reminder, at(9, 40, 20), danish) == (
        "⏰ Om 5 min.: **Lederne udkommer med deres ledelsesgrundlag** (i grupper) kl. 9.45."
        "\n\nLinket: https://teams.microsoft.com/l/room-3"
    )
    assert reminder_text(reminder, at(9, 44, 30), english).startswith(
        "⏰ In 1 min.: **Lederne udkommer med deres ledelsesgrundlag** (in groups) at 9:45."
    )
    preparation = Reminder(1, "preparation:7", event)
    assert reminder_text(preparation, at(9, 0), danish) == (
        "📋 **Fælles om ledelse** er fredag den 20. november. Som optakt til dagen:"
        "\n\nGenlæs dit ledelsesgrundlag."
    )
