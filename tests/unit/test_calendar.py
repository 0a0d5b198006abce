from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from bot.calendar_http import calendar_url
from bot.settings import Settings, SettingsError, load_settings
from tests.fakes import FakeUnitOfWork
from traef.calendar import (
    SpeakerLine,
    calendar_for_token,
    calendar_link_token,
    calendar_token,
    parse_calendar_token,
    programme_calendar,
)
from traef.participants import ChannelIdentity, Participant, ParticipantType, Status
from traef.programme import Audience, AudienceKind, Event, ItemKind, ProgrammeItem

CPH = ZoneInfo("Europe/Copenhagen")
DAY = date(2026, 11, 20)
MADE = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
LOTTE = ChannelIdentity("msteams", "29:lotte")


def at(hour: int, minute: int) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=CPH)


def the_event() -> Event:
    items = (
        ProgrammeItem(
            at(8, 30),
            "Opsamling – hvad skete der i går?",
            end=at(8, 50),
            speakers=("Helle Bach Lauridsen",),
            id=11,
        ),
        ProgrammeItem(
            at(9, 45),
            "Lederne udkommer med deres ledelsesgrundlag",
            ItemKind.BREAKOUT,
            end=at(11, 0),
            description="Del jeres ledelsesgrundlag i 4-mandsgrupperne.",
            link="https://teams.microsoft.com/l/meetup-join/abc",
            id=12,
        ),
        ProgrammeItem(
            at(11, 0),
            "Arbejdsmiljø i ledelsesgrundlaget",
            end=at(11, 30),
            audience=Audience(AudienceKind.PARTICIPANT_TYPE, "representative"),
            id=13,
        ),
        ProgrammeItem(
            at(12, 20),
            "Coaching af Gruppe 3",
            end=at(12, 50),
            audience=Audience(AudienceKind.GROUP, "Gruppe 3"),
            id=14,
        ),
        ProgrammeItem(at(14, 0), "Tak for denne gang", id=15),
    )
    return Event("Fælles om ledelse", DAY, DAY, items=items, id=7)


def parsed(body: bytes) -> list[CalendarEvent]:
    return Calendar.from_ical(body).events


def summaries(body: bytes) -> list[str]:
    return [str(vevent["SUMMARY"]) for vevent in parsed(body)]


def test_every_item_in_the_events_zone() -> None:
    body = programme_calendar(the_event(), MADE)
    calendar = Calendar.from_ical(body)
    assert str(calendar["PRODID"]).startswith("-//Træfbot")
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    first = parsed(body)[0]
    assert first["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    start = first.decoded("DTSTART")
    assert (start.hour, start.minute) == (8, 30)
    assert start.astimezone(UTC).replace(tzinfo=None) == datetime(2026, 11, 20, 7, 30)
    assert first.decoded("DTEND").astimezone(UTC).replace(tzinfo=None) == datetime(
        2026, 11, 20, 7, 50
    )
    assert len(parsed(body)) == 5


def test_items_stored_in_utc_are_still_written_in_the_events_zone() -> None:
    event = the_event()
    in_utc = tuple(
        replace(i, start=i.start.astimezone(UTC), end=i.end and i.end.astimezone(UTC))
        for i in event.items
    )
    first = parsed(programme_calendar(replace(event, items=in_utc), MADE))[0]
    assert first["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert first.decoded("DTSTART").hour == 8


def test_summary_description_link_and_a_moment() -> None:
    opening, breakout, *_, moment = parsed(programme_calendar(the_event(), MADE))
    assert str(opening["SUMMARY"]) == "Opsamling – hvad skete der i går?"
    assert str(opening["DESCRIPTION"]) == "v. Helle Bach Lauridsen"
    assert str(breakout["URL"]) == "https://teams.microsoft.com/l/meetup-join/abc"
    assert str(breakout["LOCATION"]) == "https://teams.microsoft.com/l/meetup-join/abc"
    assert "Del jeres ledelsesgrundlag" in str(breakout["DESCRIPTION"])
    assert moment.decoded("DTEND") == moment.decoded("DTSTART")


def test_a_delay_keeps_the_uid_and_raises_the_sequence() -> None:
    event = the_event()
    before = parsed(programme_calendar(event, MADE))
    delayed = replace(
        event,
        items=tuple(
            replace(i, start=i.start + timedelta(minutes=15), end=i.end + timedelta(minutes=15))
            if i.id == 12 and i.end
            else i
            for i in event.items
        ),
    )
    after = parsed(programme_calendar(delayed, MADE + timedelta(minutes=3)))
    assert [str(v["UID"]) for v in before] == [str(v["UID"]) for v in after]
    assert len({str(v["UID"]) for v in before}) == 5
    assert str(before[1]["UID"]) == "traefbot-event-7-item-12@traefbot"
    assert after[1].decoded("DTSTART") == at(10, 0)
    assert after[1].sequence > before[1].sequence


def test_tokens() -> None:
    assert calendar_token(42, "Abc-def_ghi0123456789") == "42-Abc-def_ghi0123456789"
    assert parse_calendar_token("42-Abc-def_ghi0123456789") == (42, "Abc-def_ghi0123456789")
    for bad in ["", "42", "42-", "abc-0123456789abcdef", "0-0123456789abcdef", "42-short"]:
        assert parse_calendar_token(bad) is None, bad
    assert parse_calendar_token("42-0123456789abcdef/../x") is None
    assert parse_calendar_token("42-0123456789abcdeføøø") is None


def person(
    participant_type: ParticipantType = ParticipantType.LEADER,
    groups: frozenset[str] = frozenset(),
    identity: ChannelIdentity = LOTTE,
) -> Participant:
    return Participant(
        7,
        "Lotte Henriksen",
        "MSO",
        "Leder",
        participant_type=participant_type,
        groups=groups,
        identities=frozenset({identity}),
    )


async def stored(uow: FakeUnitOfWork, participant: Participant) -> Participant:
    async with uow:
        added = await uow.participants.add(participant)
        await uow.commit()
    return added


async def test_link_token_is_made_once_and_kept() -> None:
    uow = FakeUnitOfWork([the_event()])
    lotte = await stored(uow, person())
    token = await calendar_link_token(uow, 7, LOTTE)
    assert token is not None and token.startswith(f"{lotte.id}-")
    assert await calendar_link_token(uow, 7, LOTTE) == token
    assert uow.committed_participants[lotte.id or 0].calendar_token == token.split("-", 1)[1]


async def test_no_link_for_someone_not_signed_up() -> None:
    uow = FakeUnitOfWork([the_event()])
    assert await calendar_link_token(uow, 7, LOTTE) is None
    await stored(uow, replace(person(), status=Status.CANCELLED))
    assert await calendar_link_token(uow, 7, LOTTE) is None


async def own_programme(participant: Participant) -> list[str]:
    uow = FakeUnitOfWork([the_event()])
    await stored(uow, participant)
    token = await calendar_link_token(uow, 7, LOTTE)
    assert token is not None
    body = await calendar_for_token(uow, MADE, token)
    assert body is not None
    return summaries(body)


async def test_the_calendar_holds_the_participants_own_programme() -> None:
    leader = await own_programme(person())
    assert "Arbejdsmiljø i ledelsesgrundlaget" not in leader
    assert "Coaching af Gruppe 3" not in leader
    assert len(leader) == 3
    representative = await own_programme(person(ParticipantType.REPRESENTATIVE))
    assert "Arbejdsmiljø i ledelsesgrundlaget" in representative
    member = await own_programme(person(groups=frozenset({"gruppe 3"})))
    assert "Coaching af Gruppe 3" in member
    assert "Arbejdsmiljø i ledelsesgrundlaget" not in member


async def test_speakers_in_the_participants_wording() -> None:
    uow = FakeUnitOfWork([the_event()])
    await stored(uow, replace(person(), language="en"))
    token = await calendar_link_token(uow, 7, LOTTE)
    assert token is not None

    def wording(language: str) -> SpeakerLine:
        return lambda names: f"{language}: by {' & '.join(names)}"

    body = await calendar_for_token(uow, MADE, token, wording)
    assert body is not None
    assert str(parsed(body)[0]["DESCRIPTION"]) == "en: by Helle Bach Lauridsen"


async def test_wrong_unknown_or_cancelled_links_give_nothing() -> None:
    uow = FakeUnitOfWork([the_event()])
    lotte = await stored(uow, person())
    token = await calendar_link_token(uow, 7, LOTTE)
    assert token is not None
    participant_id, secret = token.split("-", 1)
    wrong = f"{participant_id}-{'x' * len(secret)}"
    assert await calendar_for_token(uow, MADE, wrong) is None
    assert await calendar_for_token(uow, MADE, f"999-{secret}") is None
    assert await calendar_for_token(uow, MADE, "not a token") is None
    async with uow:
        current = await uow.participants.get(lotte.id or 0)
        assert current is not None
        await uow.participants.update(replace(current, status=Status.CANCELLED))
        await uow.commit()
    assert await calendar_for_token(uow, MADE, token) is None


async def test_someone_without_a_token_has_no_link_yet() -> None:
    uow = FakeUnitOfWork([the_event()])
    lotte = await stored(uow, person())
    assert await calendar_for_token(uow, MADE, f"{lotte.id}-0123456789abcdefghij") is None


def test_calendar_url_uses_the_public_url() -> None:
    settings = Settings(_env_file=None, public_url="https://traefbot.aarhus.dk/")  # type: ignore[call-arg]
    assert settings.public_url == "https://traefbot.aarhus.dk"
    assert calendar_url(settings, "4-abc") == "https://traefbot.aarhus.dk/kalender/4-abc.ics"


def test_public_url_defaults_to_localhost_on_the_port(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    monkeypatch.setenv("PORT", "8080")
    assert load_settings().public_url == "http://localhost:8080"


@pytest.mark.parametrize("value", ["traefbot.aarhus.dk", "ftp://x.dk", "https://", "https://x?a=1"])
def test_an_invalid_public_url_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PUBLIC_URL", value)
    with pytest.raises(SettingsError, match=r"^Invalid setting PUBLIC_URL:"):
        load_settings()
