from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from botbuilder.core import AutoSaveStateMiddleware, MemoryStorage, UserState
from botbuilder.dialogs import Dialog
from botbuilder.testing import DialogTestClient

from dialogs.dependencies import DialogDependencies
from dialogs.i18n import Catalogue
from dialogs.language import LanguagePreference
from dialogs.main_dialog import MainDialog
from tests.fakes import FakeAnnouncer, FakeAttachments, FakeProfiles, FakeUnitOfWork, facilitators
from traef.demo import demo_event

CPH = ZoneInfo("Europe/Copenhagen")
DAY = date(2026, 11, 22)
FACILITATOR_ID = "facilitator-1"


class Clock:
    def __init__(self, instant: datetime) -> None:
        self.instant = instant

    def __call__(self) -> datetime:
        return self.instant

    def set(self, hour: int, minute: int, day: date = DAY) -> None:
        self.instant = datetime(day.year, day.month, day.day, hour, minute, tzinfo=CPH)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 22, 9, 33, tzinfo=CPH))


@pytest.fixture
def uow() -> FakeUnitOfWork:
    demo = demo_event(DAY)
    items = tuple(dataclasses.replace(item, id=n) for n, item in enumerate(demo.items, 1))
    event = dataclasses.replace(demo, id=1, items=items)
    return FakeUnitOfWork([event])


@pytest.fixture
def user_storage() -> MemoryStorage:
    return MemoryStorage()


@pytest.fixture
def profiles() -> FakeProfiles:
    return FakeProfiles()


@pytest.fixture
def attachments() -> FakeAttachments:
    return FakeAttachments()


@pytest.fixture
def announcer() -> FakeAnnouncer:
    return FakeAnnouncer()


@pytest.fixture
def make_dependencies(
    clock: Clock,
    uow: FakeUnitOfWork,
    profiles: FakeProfiles,
    attachments: FakeAttachments,
    announcer: FakeAnnouncer,
) -> Callable[[UserState], DialogDependencies]:
    def make(user_state: UserState) -> DialogDependencies:
        return DialogDependencies(
            uow_factory=lambda: uow,
            language=LanguagePreference(user_state, Catalogue.default(), "da"),
            clock=clock,
            zone=CPH,
            user_state=user_state,
            profiles=profiles,
            is_facilitator=facilitators(FACILITATOR_ID),
            attachments=attachments,
            announcer=announcer,
            calendar_url=lambda token: f"https://traef.example/kalender/{token}.ics",
        )

    return make


@pytest.fixture
def make_client(
    make_dependencies: Callable[[UserState], DialogDependencies], user_storage: MemoryStorage
) -> Callable[..., DialogTestClient]:
    def make(dialog: Callable[[DialogDependencies], Dialog] = MainDialog) -> DialogTestClient:
        user_state = UserState(user_storage)
        return DialogTestClient(
            "msteams",
            dialog(make_dependencies(user_state)),
            middlewares=[AutoSaveStateMiddleware([user_state])],
        )

    return make


@pytest.fixture
def client(make_client: Callable[..., DialogTestClient]) -> DialogTestClient:
    return make_client()
