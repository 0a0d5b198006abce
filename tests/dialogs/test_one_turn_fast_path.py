"""Turns answered within the turn skip botbuilder's dialog machinery, and answer as before."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botbuilder.core import ConversationState, MemoryStorage, TurnContext, UserState
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import DialogExtensions, DialogSet, DialogState
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount
from botbuilder.testing import DialogTestClient

from bot.traef_bot import TraefBot
from dialogs.dependencies import DialogDependencies
from dialogs.i18n import Catalogue
from dialogs.main_dialog import MainDialog
from tests.dialogs.chat import Chat, card, shown
from tests.fakes import FakeProfiles, FakeUnitOfWork
from traef.participants import Participant

DA, EN = Catalogue.default().texts("da"), Catalogue.default().texts("en")
LOTTE = ChannelAccount(id="user-lotte", name="Lotte Henriksen")
NAME_PROMPT = "Hvad er dit fulde navn? Tryk på knappen, hvis det er rigtigt – ellers skriv det."


class DialogRuns:
    """Counts the turns that went through botbuilder's dialog machinery."""

    def __init__(self) -> None:
        self.run_dialog: list[str | None] = []
        self.dialog_contexts = 0


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> DialogRuns:
    runs = DialogRuns()
    run_dialog, create_context = DialogExtensions.run_dialog, DialogSet.create_context

    async def counted_run_dialog(dialog: Any, context: TurnContext, accessor: Any) -> None:
        runs.run_dialog.append(context.activity.text)
        await run_dialog(dialog, context, accessor)

    async def counted_create_context(self: DialogSet, context: TurnContext) -> Any:
        runs.dialog_contexts += 1
        return await create_context(self, context)

    monkeypatch.setattr(DialogExtensions, "run_dialog", staticmethod(counted_run_dialog))
    monkeypatch.setattr(DialogSet, "create_context", counted_create_context)
    return runs


@pytest.fixture
def storage() -> MemoryStorage:
    return MemoryStorage()


@pytest.fixture
def adapter(
    storage: MemoryStorage, make_dependencies: Callable[[UserState], DialogDependencies]
) -> TestAdapter:
    user_state, conversation_state = UserState(storage), ConversationState(storage)
    dependencies = make_dependencies(user_state)
    bot = TraefBot(conversation_state, user_state, MainDialog(dependencies), dependencies.language)
    return TestAdapter(bot.on_turn)


async def say(adapter: TestAdapter, text: str | None = None, value: Any = None) -> list[Activity]:
    await adapter.receive_activity(
        Activity(type=ActivityTypes.message, text=text, value=value, from_property=LOTTE)
    )
    replies = []
    while (reply := adapter.get_next_activity()) is not None:
        replies.append(reply)
    return replies


def dialog_state(storage: MemoryStorage) -> DialogState | None:
    [conversation] = [item for key, item in storage.memory.items() if "/conversations/" in key]
    state: DialogState | None = conversation.get("DialogState")
    return state


async def test_a_programme_question_is_answered_without_the_dialog_machinery(
    adapter: TestAdapter, storage: MemoryStorage, runs: DialogRuns, client: DialogTestClient
) -> None:
    [answer] = await say(adapter, "dagens program")
    assert runs.run_dialog == [] and runs.dialog_contexts == 0
    assert dialog_state(storage) is None  # no dialog state written for this conversation

    assert card(answer)["body"][0]["text"] == "Dagens program"
    [through_the_dialog] = await Chat(client).say("dagens program")
    assert card(answer) == card(through_the_dialog)


async def test_now_and_next_buttons_are_answered_without_the_dialog_machinery(
    adapter: TestAdapter, runs: DialogRuns, client: DialogTestClient
) -> None:
    answers = [await say(adapter, value={"action": action}) for action in ("now", "next")]
    assert runs.run_dialog == [] and runs.dialog_contexts == 0

    chat = Chat(client)
    for action, [answer] in zip(("now", "next"), answers, strict=True):
        [through_the_dialog] = await chat.say(value={"action": action})
        assert answer.text and shown(answer) == shown(through_the_dialog)


async def test_english_switches_language_on_the_fast_path(
    adapter: TestAdapter, runs: DialogRuns
) -> None:
    [switched] = await say(adapter, "english")
    assert switched.text == "Fine, I'll write in English from now on."
    [helped] = await say(adapter, "help")
    assert helped.text == EN("help")
    [switched_back] = await say(adapter, "dansk")
    assert switched_back.text == "Fint, jeg skriver på dansk fra nu af."
    assert runs.run_dialog == [] and runs.dialog_contexts == 0


async def test_sign_up_still_begins_its_dialog(
    adapter: TestAdapter, storage: MemoryStorage, runs: DialogRuns
) -> None:
    intro, name_prompt = await say(adapter, "tilmeld")
    assert intro.text.startswith("Lad os få dig tilmeldt **Fælles om ledelse**.")
    assert name_prompt.text == NAME_PROMPT
    assert runs.run_dialog == ["tilmeld"]
    state = dialog_state(storage)
    assert state is not None and [d.id for d in state.dialog_stack] == [MainDialog.__name__]


async def test_mid_sign_up_the_text_goes_to_the_waiting_prompt(
    adapter: TestAdapter, runs: DialogRuns
) -> None:
    await say(adapter, "tilmeld")
    await say(adapter, "Lotte Henriksen")
    [retry] = await say(adapter, "dagens program")  # not a programme: an e-mail that isn't one
    assert retry.text.startswith("Det ligner ikke en e-mailadresse.") and not retry.attachments
    [department] = await say(adapter, "lotte@aarhus.dk")
    assert department.text.startswith("Hvilken magistratsafdeling hører du til?")
    assert runs.run_dialog == ["tilmeld", "Lotte Henriksen", "dagens program", "lotte@aarhus.dk"]


async def test_after_a_dialog_ends_the_empty_stack_takes_the_fast_path(
    adapter: TestAdapter, storage: MemoryStorage, runs: DialogRuns
) -> None:
    await say(adapter, "tilmeld")
    [stopped] = await say(adapter, "annullér")
    assert stopped.text == "Okay, jeg har stoppet tilmeldingen. Intet er gemt."
    state = dialog_state(storage)
    assert state is not None and state.dialog_stack == []  # stored, with an empty stack

    [answer] = await say(adapter, "hvad er det næste")
    assert answer.text.startswith("Næste punkt er kl. 9.45")
    assert runs.run_dialog == ["tilmeld", "annullér"]


async def test_unknown_button_and_text_give_the_same_texts_as_before(
    adapter: TestAdapter, runs: DialogRuns, client: DialogTestClient
) -> None:
    [button] = await say(adapter, value={"action": "no-such-button"})
    [text] = await say(adapter, "hvor er kaffen gemt")
    assert runs.run_dialog == [] and runs.dialog_contexts == 0

    assert button.text == DA("unknown_button") and text.text == DA("not_understood")
    chat = Chat(client)
    assert shown(button) == await chat.text(value={"action": "no-such-button"})
    assert shown(text) == await chat.text("hvor er kaffen gemt")


async def test_an_action_execute_is_answered_on_the_fast_path(
    adapter: TestAdapter, runs: DialogRuns
) -> None:
    invoke = Activity(
        type=ActivityTypes.invoke,
        name="adaptiveCard/action",
        from_property=LOTTE,
        value={"action": {"type": "Action.Execute", "verb": "now", "data": {}}},
    )
    await adapter.receive_activity(invoke)
    replies = []
    while (reply := adapter.get_next_activity()) is not None:
        replies.append(reply)

    answer, acknowledged = replies
    assert answer.text.startswith("**Nu** (8.50–9.45): **Fortællinger i plenum**")
    assert acknowledged.type == "invokeResponse"
    assert acknowledged.value.body["value"] == DA("card_action_received")
    assert runs.run_dialog == [] and runs.dialog_contexts == 0


async def test_someone_recognised_is_greeted_before_the_answer_on_the_fast_path(
    adapter: TestAdapter, runs: DialogRuns, uow: FakeUnitOfWork, profiles: FakeProfiles
) -> None:
    uow.committed_participants[7] = Participant(
        event_id=1,
        name="Lotte Henriksen",
        department="MSO",
        level="Leder",
        email="l@aarhus.dk",
        id=7,
    )
    profiles.emails[LOTTE.id] = "l@aarhus.dk"

    greeting, programme = await say(adapter, "program")
    assert greeting.text.startswith("Hej Lotte! Du står allerede på deltagerlisten til")
    assert card(programme)["body"][0]["text"] == "Dagens program"
    assert len(await say(adapter, "program")) == 1  # greeted once
    assert runs.run_dialog == [] and runs.dialog_contexts == 0
