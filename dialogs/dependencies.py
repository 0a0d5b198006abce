"""What the dialogs need from the rest of the bot, handed over by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from dialogs.language import LanguagePreference
from traef.ports import UnitOfWork

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class DialogDependencies:
    uow_factory: Callable[[], UnitOfWork]
    language: LanguagePreference
    clock: Clock
    zone: ZoneInfo

    def now(self) -> datetime:
        return self.clock().astimezone(self.zone)

    def today(self) -> date:
        return self.now().date()
