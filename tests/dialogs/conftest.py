from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from botbuilder.core import AutoSaveStateMiddleware, MemoryStorage, UserState
from botbuilder.testing import DialogTestClient

from dialogs.dependencies import DialogDependencies
from dialogs.i18n import Catalogue
from dialogs.language import LanguagePreference
from dialogs.main_dialog import MainDialog
from tests.fakes import FakeUnitOfWork
from traef.demo import demo_event

CPH = ZoneInfo("Europe/Copenhagen")
DAY = date(2026, 11, 22)


class Clock:
    def __init__(self, instant: datetime) -> None:
        self.instant = instant

    def __call__(self) -> datetime:
        return self.instant

    def set(self, hour: int, minute: int) -> None:
        self.instant = datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=CPH)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 22, 9, 33, tzinfo=CPH))


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork([demo_event(DAY)])


@pytest.fixture
def user_storage() -> MemoryStorage:
    return MemoryStorage()


@pytest.fixture
def make_client(
    clock: Clock, uow: FakeUnitOfWork, user_storage: MemoryStorage
) -> Callable[[], DialogTestClient]:
    def make() -> DialogTestClient:
        user_state = UserState(user_storage)
        language = LanguagePreference(user_state, Catalogue.default(), "da")
        dialog = MainDialog(DialogDependencies(lambda: uow, language, clock, CPH))
        return DialogTestClient(
            "msteams", dialog, middlewares=[AutoSaveStateMiddleware([user_state])]
        )

    return make


@pytest.fixture
def client(make_client: Callable[[], DialogTestClient]) -> DialogTestClient:
    return make_client()
