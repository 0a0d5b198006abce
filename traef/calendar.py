"""The participant's own programme as an iCalendar (.ics) file, and the secret link to it.

Outlook recognises an item it imported before by its UID, and takes a file's copy of it as an
update only when the SEQUENCE is higher than the one it holds. So every item's UID is built from
the event's and the item's ids (stable across delays and re-downloads), and SEQUENCE is the minute
the file was made: a file made later always wins, whatever moved in between (a delay, its undo, an
import), and re-downloading moves Outlook's copies instead of duplicating them. Calendar programs
that subscribe to the link simply replace the whole calendar each time they poll it.
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from hashlib import sha256

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from traef.participants import ChannelIdentity
from traef.ports import UnitOfWork
from traef.programme import Event, ProgrammeItem

PRODID = "-//Træfbot//Programme//DA"
REFRESH = "PT15M"  # how often a subscribed calendar should look for delays
_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
_TOKEN = re.compile(r"(?P<id>[1-9][0-9]{0,17})-(?P<secret>[A-Za-z0-9_-]{16,128})")

SpeakerLine = Callable[[tuple[str, ...]], str]


def speakers_in_danish(names: tuple[str, ...]) -> str:
    """'v. A, B og C', as the seeds' programmes write it; the bot passes its catalogue's wording."""
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} og {names[-1]}"
    return f"v. {listed}"


def programme_calendar(
    event: Event, generated_at: datetime, speaker_line: SpeakerLine = speakers_in_danish
) -> bytes:
    """One VEVENT per item of `event` (filter it for the person first), times in its zone."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", event.name)
    calendar.add("x-wr-timezone", event.timezone)
    calendar.add("x-published-ttl", REFRESH)
    sequence = revision(generated_at)
    for item in event.items:
        calendar.add_component(_vevent(event, item, generated_at, sequence, speaker_line))
    calendar.add_missing_timezones(
        first_date=date(event.start_date.year, 1, 1), last_date=date(event.end_date.year + 1, 1, 1)
    )
    return calendar.to_ical()


def revision(generated_at: datetime) -> int:
    """The SEQUENCE of every item in a file made at this moment: minutes since 2020."""
    return max(0, int((generated_at - _SEQUENCE_EPOCH).total_seconds() // 60))


def item_uid(event: Event, item: ProgrammeItem) -> str:
    """Stable while the item exists: it names the stored ids, never the (movable) times."""
    if item.id is not None:
        return f"traefbot-event-{event.id}-item-{item.id}@traefbot"
    digest = sha256(f"{event.name}\n{item.title}\n{item.start.isoformat()}".encode()).hexdigest()
    return f"traefbot-unsaved-{digest[:24]}@traefbot"


def _vevent(
    event: Event,
    item: ProgrammeItem,
    generated_at: datetime,
    sequence: int,
    speaker_line: SpeakerLine,
) -> CalendarEvent:
    vevent = CalendarEvent()
    vevent.add("uid", item_uid(event, item))
    vevent.add("dtstamp", generated_at.astimezone(UTC))
    vevent.add("sequence", sequence)
    vevent.add("dtstart", event.local(item.start))
    vevent.add("dtend", event.local(item.finish))  # a moment ends as it starts
    vevent.add("summary", item.title)
    description = _description(item, speaker_line)
    if description:
        vevent.add("description", description)
    if item.link:
        vevent.add("url", item.link)
        vevent.add("location", item.link)
    return vevent


def _description(item: ProgrammeItem, speaker_line: SpeakerLine) -> str:
    parts = [speaker_line(item.speakers)] if item.speakers else []
    parts += [text for text in (item.description.strip(), item.link or "") if text]
    return "\n\n".join(parts)


# --- The secret link --------------------------------------------------------------------------


def calendar_token(participant_id: int, secret: str) -> str:
    """'<participant id>-<secret>': the id finds the participant, the secret proves the link."""
    return f"{participant_id}-{secret}"


def parse_calendar_token(token: str) -> tuple[int, str] | None:
    match = _TOKEN.fullmatch(token)
    if match is None:
        return None
    return int(match["id"]), match["secret"]


def new_calendar_secret() -> str:
    return secrets.token_urlsafe(24)


async def calendar_link_token(
    uow: UnitOfWork, event_id: int, identity: ChannelIdentity
) -> str | None:
    """The person's calendar token, made (once) on first asking; None when not signed up."""
    async with uow:
        participant = await uow.participants.by_identity(event_id, identity)
        if participant is None or participant.id is None or not participant.is_active:
            return None
        if participant.calendar_token is None:
            participant = await uow.participants.update(
                replace(participant, calendar_token=new_calendar_secret())
            )
            await uow.commit()
        assert participant.id is not None and participant.calendar_token is not None
        return calendar_token(participant.id, participant.calendar_token)


async def calendar_for_token(
    uow: UnitOfWork,
    now: datetime,
    token: str,
    speaker_line: Callable[[str], SpeakerLine] | None = None,
) -> bytes | None:
    """The .ics of the token's owner's own programme; None for an unknown or revoked link.

    `speaker_line` gives the wording of speakers in the participant's language ('da', 'en').
    """
    parsed = parse_calendar_token(token)
    if parsed is None:
        return None
    participant_id, secret = parsed
    async with uow:
        participant = await uow.participants.get(participant_id)
        if participant is None or not participant.is_active or not participant.calendar_token:
            return None
        if not hmac.compare_digest(participant.calendar_token.encode(), secret.encode()):
            return None
        event = await uow.events.get(participant.event_id)
    if event is None:
        return None
    own = event.for_audience(participant.participant_type, participant.groups)
    wording = speaker_line(participant.language) if speaker_line else speakers_in_danish
    return programme_calendar(own, now, wording)
