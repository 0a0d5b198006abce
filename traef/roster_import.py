"""Use cases of a facilitator's participant list: import it (upsert by e-mail) and export it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from traef.errors import TraefError
from traef.participants import Participant
from traef.ports import UnitOfWork
from traef.programme import Event
from traef.roster import Column, RosterProblem, RosterRow, parse_roster, write_roster


class RosterInvalidError(TraefError):
    """The list was refused: it has problems, and no participant was stored."""

    def __init__(self, problems: Sequence[RosterProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"The participant list has {len(self.problems)} problem(s).")


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int
    updated: int
    unchanged: int
    problems: tuple[RosterProblem, ...] = ()  # of the lines skipped

    @property
    def skipped(self) -> int:
        """How many lines were left out (a line may have several problems)."""
        return len({problem.line for problem in self.problems})


async def import_roster(
    uow: UnitOfWork, event: Event, data: bytes, skip_invalid: bool = False
) -> ImportReport:
    """Add the list's new participants and update the known ones, all in one go.

    A participant is known by e-mail. An update changes the details the list states and keeps
    the chat accounts, status, phone consent and language. Any invalid line refuses the whole list
    unless `skip_invalid`; a file that cannot be read at all is always refused.
    """
    assert event.id is not None
    parsed = parse_roster(data, event)
    if parsed.problems and (not skip_invalid or any(p.is_about_file for p in parsed.problems)):
        raise RosterInvalidError(parsed.problems)
    added = updated = unchanged = 0
    async with uow:
        known = {p.email: p for p in await uow.participants.for_event(event.id) if p.email}
        for row in parsed.rows:
            existing = known.get(row.email)
            if existing is None:
                await uow.participants.add(_new_participant(event.id, row))
                added += 1
                continue
            changed = _applied(existing, row)
            if changed == existing:
                unchanged += 1
            else:
                await uow.participants.update(changed)
                updated += 1
        if added or updated:
            await uow.commit()
    return ImportReport(added, updated, unchanged, tuple(parsed.problems))


async def export_roster(uow: UnitOfWork, event: Event) -> bytes:
    """Every participant of the event, cancelled ones included, as a CSV file for Excel."""
    assert event.id is not None
    async with uow:
        participants = await uow.participants.for_event(event.id)
    return write_roster(participants)


def _new_participant(event_id: int, row: RosterRow) -> Participant:
    return Participant(
        event_id=event_id,
        name=row.name,
        department=row.department,
        level=row.level,
        participant_type=row.participant_type,
        email=row.email,
        area=row.area,
        phone=row.phone,
    )


def _applied(participant: Participant, row: RosterRow) -> Participant:
    """The participant with the details the list states; an empty cell keeps what is stored.

    So a list without phone numbers does not erase the numbers participants gave in the chat.
    """
    return replace(
        participant,
        name=row.name,
        email=row.email,
        department=row.department,
        level=row.level,
        area=row.area if Column.AREA in row.stated else participant.area,
        participant_type=(
            row.participant_type
            if Column.PARTICIPANT_TYPE in row.stated
            else participant.participant_type
        ),
        phone=row.phone if Column.PHONE in row.stated else participant.phone,
    )
