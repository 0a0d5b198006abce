"""The event and its programme: what is on now, what comes next, what a day holds.

Times are timezone-aware datetimes. The event's own time zone decides which calendar day
an item belongs to and how times are shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from traef.errors import InvalidProgrammeError
from traef.participants import DEFAULT_DEPARTMENTS, DEFAULT_LEVELS, ParticipantType


class ItemKind(StrEnum):
    PLENARY = "plenary"
    BREAKOUT = "breakout"
    PHONE_DIALOGUE = "phone_dialogue"
    BREAK = "break"
    LUNCH = "lunch"


class AudienceKind(StrEnum):
    EVERYONE = "everyone"
    PARTICIPANT_TYPE = "participant_type"  # e.g. the parts TR / arbejdsmiljø attend
    GROUP = "group"  # e.g. one sparring group's coaching session


@dataclass(frozen=True, slots=True)
class Audience:
    """Who a programme item is for."""

    kind: AudienceKind = AudienceKind.EVERYONE
    value: str | None = None  # the ParticipantType value, or the group's name

    def __post_init__(self) -> None:
        if (self.kind is AudienceKind.EVERYONE) != (self.value is None):
            raise InvalidProgrammeError("Only an audience of a type or a group names one.")
        if self.kind is AudienceKind.PARTICIPANT_TYPE and self.value not in {
            kind.value for kind in ParticipantType
        }:
            raise InvalidProgrammeError(f"Unknown participant type '{self.value}'.")

    def includes(self, participant_type: ParticipantType | None, groups: frozenset[str]) -> bool:
        """Whether someone of this type in these groups should see the item.

        Someone unknown (not signed up) sees what is for everyone and what is for a type, so the
        whole day can be read before signing up; group items only reach their members.
        """
        if self.kind is AudienceKind.EVERYONE:
            return True
        if self.kind is AudienceKind.PARTICIPANT_TYPE:
            return participant_type is None or participant_type.value == self.value
        return self.value is not None and self.value.casefold() in {g.casefold() for g in groups}


EVERYONE = Audience()


@dataclass(frozen=True, slots=True)
class ProgrammeItem:
    """A line of the programme. An item without an end is a moment ("14.00 Tak for denne gang")."""

    start: datetime
    title: str
    kind: ItemKind = ItemKind.PLENARY
    end: datetime | None = None
    speakers: tuple[str, ...] = ()
    description: str = ""
    link: str | None = None
    audience: Audience = EVERYONE
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise InvalidProgrammeError("A programme item needs a title.")
        if self.start.tzinfo is None or (self.end is not None and self.end.tzinfo is None):
            raise InvalidProgrammeError(f"The times of '{self.title}' have no time zone.")
        if self.end is not None and self.end < self.start:
            raise InvalidProgrammeError(f"'{self.title}' ends before it starts.")

    @property
    def finish(self) -> datetime:
        """When the item is over; a moment is over as soon as it starts."""
        return self.end if self.end is not None else self.start

    def is_on_at(self, instant: datetime) -> bool:
        return self.end is not None and self.start <= instant < self.end


class ProgrammeState(StrEnum):
    NO_PROGRAMME = "no_programme"
    BEFORE = "before"  # nothing has started yet
    DURING = "during"  # an item is on
    BETWEEN = "between"  # a gap between two items
    AFTER = "after"  # everything is over


@dataclass(frozen=True, slots=True)
class NowAndNext:
    state: ProgrammeState
    current: ProgrammeItem | None = None
    next: ProgrammeItem | None = None

    def minutes_until_next(self, instant: datetime) -> int | None:
        if self.next is None:
            return None
        seconds = (self.next.start - instant).total_seconds()
        return max(0, int(-(-seconds // 60)))  # round up: "in 1 minute", never "in 0"


@dataclass(frozen=True, slots=True)
class Event:
    name: str
    start_date: date
    end_date: date
    timezone: str = "Europe/Copenhagen"
    items: tuple[ProgrammeItem, ...] = field(default=())
    departments: tuple[str, ...] = DEFAULT_DEPARTMENTS
    levels: tuple[str, ...] = DEFAULT_LEVELS
    preparation: str = ""  # optakt: what to do before the day
    preparation_reminder_days: int | None = None  # remind signed-up people this many days before
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidProgrammeError("An event needs a name.")
        if self.end_date < self.start_date:
            raise InvalidProgrammeError("The event ends before it starts.")
        if not self.departments or not self.levels:
            raise InvalidProgrammeError("An event needs at least one department and one level.")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise InvalidProgrammeError(f"Unknown time zone '{self.timezone}'.") from error
        outside = [
            i.title for i in self.items if not self.start_date <= self.day_of(i) <= self.end_date
        ]
        if outside:
            raise InvalidProgrammeError(f"'{outside[0]}' lies outside the event's dates.")
        ordered = tuple(sorted(self.items, key=lambda item: (item.start, item.finish)))
        object.__setattr__(self, "items", ordered)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.zone)

    def day_of(self, item: ProgrammeItem) -> date:
        return self.local(item.start).date()

    def days(self) -> list[date]:
        return sorted({self.day_of(item) for item in self.items})

    def items_on(self, day: date) -> list[ProgrammeItem]:
        return [item for item in self.items if self.day_of(item) == day]

    def day_to_show(self, instant: datetime) -> date | None:
        """The day a participant means by "today's programme" at this instant.

        Today, when the programme has items today; otherwise the next day that has any; once
        everything is over, the last day.
        """
        days = self.days()
        if not days:
            return None
        today = self.local(instant).date()
        upcoming = [day for day in days if day >= today]
        return upcoming[0] if upcoming else days[-1]

    def now_and_next(self, instant: datetime) -> NowAndNext:
        if not self.items:
            return NowAndNext(ProgrammeState.NO_PROGRAMME)
        current = [item for item in self.items if item.is_on_at(instant)]
        upcoming = [item for item in self.items if item.start > instant]
        on_now = current[-1] if current else None
        following = upcoming[0] if upcoming else None
        if on_now is not None:
            return NowAndNext(ProgrammeState.DURING, on_now, following)
        if following is None:
            return NowAndNext(ProgrammeState.AFTER)
        started = any(item.start <= instant for item in self.items)
        state = ProgrammeState.BETWEEN if started else ProgrammeState.BEFORE
        return NowAndNext(state, None, following)

    def for_audience(
        self, participant_type: ParticipantType | None, groups: frozenset[str] = frozenset()
    ) -> Event:
        """The event as one person sees it: only the items meant for them."""
        items = tuple(i for i in self.items if i.audience.includes(participant_type, groups))
        return replace(self, items=items)

    def on_date(self, day: date) -> Event:
        """The same event moved to start on another day, every item keeping its local clock time."""
        shift = day - self.start_date

        def moved(instant: datetime) -> datetime:
            local = self.local(instant)
            return datetime.combine(local.date() + shift, local.time(), tzinfo=self.zone)

        items = tuple(
            replace(
                item,
                start=moved(item.start),
                end=moved(item.end) if item.end is not None else None,
                id=None,
            )
            for item in self.items
        )
        return replace(
            self,
            start_date=self.start_date + shift,
            end_date=self.end_date + shift,
            items=items,
            id=None,
        )


def local_time(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)
