"""Changes to the programme during the day: who changed what, when, and how to undo it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from traef.programme import ProgrammeItem


@dataclass(frozen=True, slots=True)
class ProgrammeChange:
    """One confirmed change. `before` and `after` are the whole programme, so undo is exact."""

    event_id: int
    made_by: str  # who made it, as the facilitator's name or id
    made_at: datetime
    summary: str  # what was asked for, in the facilitator's own words
    before: tuple[ProgrammeItem, ...]
    after: tuple[ProgrammeItem, ...]
    undone_at: datetime | None = None
    id: int | None = None
