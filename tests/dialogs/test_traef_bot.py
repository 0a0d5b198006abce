"""The activity handler: welcome on conversationUpdate, state saved only after a successful turn."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import Any

import jsonpickle
import pytest
from botbuilder.core import ConversationState, MemoryStorage, UserState
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount

from bot.traef_bot import TraefBot
from bot.turn_errors import turn_error_handler
from dialogs.dependencies import DialogDependencies
from dialogs.i18n import Catalogue
from dialogs.main_dialog import MainDialog
from tests.fakes import FakeUnitOfWork


class BreakableUnitOfWork(FakeUnitOfWork):
    broken = False

    async def __aenter__(self) -> BreakableUnitOfWork:
        if self.broken:
            raise RuntimeError("database down")
        await super().__aenter__()
        return self


class CopyingMemoryStorage(MemoryStorage):
    """MemoryStorage hands out its stored objects themselves; a real store hands out copies."""

    async def read(self, keys: list[str]) -> dict[str, Any]:
        return copy.deepcopy(await super().read(keys))


@pytest.fixture
def storage() -> MemoryStorage:
    return CopyingMemoryStorage()


@pytest.fixture
def broken_uow(uow: FakeUnitOfWork) -> BreakableUnitOfWork:
    return BreakableUnitOfWork(uow.committed)


@pytest.fixture
def adapter(
    storage: MemoryStorage,
    broken_uow: BreakableUnitOfWork,
    make_dependencies: Callable[[UserState], DialogDependencies],
) -> TestAdapter:
    user_state, conversation_state = UserState(storage), ConversationState(storage)
    catalogue = Catalogue.default()
    dependencies = dataclasses.replace(
        make_dependencies(user_state), uow_factory=lambda: broken_uow
    )
    language = dependencies.language
    dialog = MainDialog(dependencies)
    bot = TraefBot(conversation_state, user_state, dialog, language)
    test_adapter = TestAdapter(bot.on_turn)
    test_adapter.on_turn_error = turn_error_handler(catalogue, language, "da")
    return test_adapter


def members_added(*names: str, locale: str | None = None) -> Activity:
    return Activity(
        type=ActivityTypes.conversation_update,
        members_added=[ChannelAccount(id="bot", name="Bot")]
        + [ChannelAccount(id=f"user-{n}", name=n) for n in names],
        locale=locale,
    )


async def test_welcome_when_added_greets_each_person_by_first_name(adapter: TestAdapter) -> None:
    await adapter.receive_activity(members_added("Helle Bach Lauridsen", "Jakob Ljungberg"))
    replies = [adapter.get_next_activity() for _ in range(2)]
    assert adapter.get_next_activity() is None  # the bot itself is not welcomed
    greetings = [reply.attachments[0].content["body"][0]["text"] for reply in replies]
    assert greetings[0].startswith("Hej Helle! Jeg er **Træfbot**")
    assert greetings[1].startswith("Hej Jakob!")


async def test_welcome_in_english_for_an_english_client(adapter: TestAdapter) -> None:
    await adapter.receive_activity(members_added("Jakob Ljungberg", locale="en-GB"))
    card = adapter.get_next_activity().attachments[0].content
    assert card["body"][0]["text"].startswith("Hi Jakob! I'm **Træfbot**")


def snapshot(storage: MemoryStorage) -> str:
    return str(jsonpickle.encode(storage.memory))


async def test_a_failing_turn_apologises_and_leaves_stored_state_as_it_was(
    adapter: TestAdapter,
    storage: MemoryStorage,
    broken_uow: BreakableUnitOfWork,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await adapter.receive_activity("english")
    assert adapter.get_next_activity().text == "Fine, I'll write in English from now on."
    before = snapshot(storage)

    broken_uow.broken = True
    await adapter.receive_activity(Activity(type="message", text="program", id="act-42"))
    apology = adapter.get_next_activity()

    assert apology.text.startswith("Sorry, something went wrong on my side.")
    assert "act-42" in caplog.text and "database down" in caplog.text
    # The dialog had started when the turn failed; none of that reached the store.
    assert snapshot(storage) == before


async def test_the_failed_turn_did_not_leave_a_dialog_half_way(
    adapter: TestAdapter, broken_uow: BreakableUnitOfWork
) -> None:
    broken_uow.broken = True
    await adapter.receive_activity("program")
    assert adapter.get_next_activity().text.startswith("Beklager")
    broken_uow.broken = False
    await adapter.receive_activity("program")
    assert adapter.get_next_activity().attachments[0].content["body"][0]["text"] == "Dagens program"
