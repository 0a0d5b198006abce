"""Transcripts: the evaluation opened by a facilitator, answered question by question (stopping
half-way and continuing, skipping the optional one), the one reminder, and the deadline."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from botbuilder.core import MemoryStorage, TurnContext, UserState
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount
from botbuilder.testing import DialogTestClient

from dialogs.dependencies import DialogDependencies
from dialogs.evaluation_commands import EvaluationCommands
from dialogs.evaluation_dialog import EvaluationDialog
from dialogs.i18n import Catalogue, Language, Texts
from dialogs.start_evaluation_dialog import StartEvaluationDialog
from tests.dialogs.chat import Chat, shown
from tests.dialogs.conftest import CPH, FACILITATOR_ID, Clock
from tests.fakes import FakeUnitOfWork
from traef.evaluation_forms import parse_evaluation_form
from traef.feedback import FeedbackForm, open_evaluation
from traef.participants import ChannelIdentity, Participant, Status

FORM = Path(__file__).resolve().parents[2] / "examples" / "evaluering.yaml"
NAMES = ["Lotte Henriksen", "Jakob Ljungberg", "Niels Rask"]
ALL_ANSWERS = ["4", "Meget", "2", "1, 3", "5", "Mere tid til pauser"]

Command = Callable[[TurnContext, Texts], Awaitable[Activity]]


class Person:
    """A facilitator writing to the bot; each call is one turn answered by one command."""

    def __init__(self, user_id: str, language: Language = "da") -> None:
        self.user = ChannelAccount(id=user_id, name="Helle Bach Lauridsen")
        self.texts = Catalogue.default().texts(language)

    async def __call__(self, command: Command, text: str) -> str:
        activity = Activity(
            type="message",
            channel_id="msteams",
            conversation=ConversationAccount(id=f"chat-{self.user.id}"),
            recipient=ChannelAccount(id="bot"),
            from_property=self.user,
            text=text,
        )
        return shown(await command(TurnContext(TestAdapter(), activity), self.texts))


@pytest.fixture
def people(uow: FakeUnitOfWork) -> list[Participant]:
    for number, name in enumerate(NAMES, 1):
        identity = ChannelIdentity("msteams", f"user-{number}")
        uow.committed_participants[number] = Participant(
            1,
            name,
            "MSO",
            "Leder",
            language="en" if number == 2 else "da",
            status=Status.CHECKED_IN if number != 3 else Status.SIGNED_UP,
            id=number,
            identities=frozenset({identity}),
        )
        uow.committed_references[identity] = {"conversation": {"id": f"c-{number}"}}
    return list(uow.committed_participants.values())


async def opened(uow: FakeUnitOfWork, clock: Clock, closes_at: datetime | None = None) -> int:
    form = await open_evaluation(
        uow, 1, "1", parse_evaluation_form(FORM.read_text("utf-8")), closes_at, clock()
    )
    assert form.id is not None
    return form.id


def answers(uow: FakeUnitOfWork) -> dict[str, Any]:
    return {a.question: a.value for a in uow.committed_answers}


@pytest.fixture
def lotte(make_client: Callable[..., DialogTestClient], people: list[Participant]) -> Chat:
    return Chat(make_client(EvaluationDialog), user_id="user-1")


@pytest.fixture
def jakob(make_client: Callable[..., DialogTestClient], people: list[Participant]) -> Chat:
    return Chat(make_client(EvaluationDialog), user_id="user-2", locale="en-GB")


async def test_answering_the_whole_evaluation_in_danish(
    lotte: Chat, uow: FakeUnitOfWork, clock: Clock
) -> None:
    await opened(uow, clock)
    intro, first = await lotte.say("evaluering")
    assert intro.text.startswith("**Evaluering af ledelsestræffet** – 6 spørgsmål.")
    assert "annullér" in intro.text
    assert first.text.startswith("Spørgsmål 1 af 6: Hvordan var træffet alt i alt?")
    assert "1. Meget dårligt" in first.text and "5. Rigtig godt" in first.text

    assert (await lotte.text("4")).startswith("Spørgsmål 2 af 6: Hvor meget kan du bruge")
    assert answers(uow) == {"overall": 4}  # saved at once
    best = await lotte.text("Meget")
    assert best.startswith("Spørgsmål 3 af 6: Hvilken del af dagen") and "2. Workshopperne" in best
    more = await lotte.text("2")
    assert "3. Tid til dialog med kolleger" in more
    assert "adskilt af komma" in more
    assert (await lotte.text("1, 3")).startswith("Spørgsmål 5 af 6: Hvordan fungerede rammerne")
    last = await lotte.text("5")
    assert last.startswith("Spørgsmål 6 af 6: Er der andet")
    assert "skriv **spring over** for at gå videre" in last
    assert await lotte.text("Mere tid til pauser") == "Tak for dine svar! De er gemt anonymt."
    assert answers(uow) == {
        "overall": 4,
        "useful": 4,
        "best": "workshops",
        "next_time": ["cases", "dialogue"],
        "format": 5,
        "comments": "Mere tid til pauser",
    }
    assert await lotte.text("evaluering") == (
        "Du har allerede svaret på hele **Evaluering af ledelsestræffet**. Tak for dine svar!"
    )


async def test_stopping_half_way_and_continuing_in_english(
    jakob: Chat, uow: FakeUnitOfWork, clock: Clock
) -> None:
    await opened(uow, clock)
    intro, first = await jakob.say("evaluation")
    assert intro.text.startswith("**Evaluation of the leadership meeting** – 6 questions.")
    assert first.text.startswith("Question 1 of 6: How was the meeting overall?")
    assert "5. Very good" in first.text
    assert (await jakob.text("Good")).startswith("Question 2 of 6: How much of today")
    assert await jakob.text("cancel") == (
        "Fine, let's stop here. Your answers so far are saved – type **evaluation** when you "
        "want to continue."
    )
    assert answers(uow) == {"overall": 4}

    welcome, second = await jakob.say("evaluation")
    assert welcome.text == (
        "Welcome back to **Evaluation of the leadership meeting** – you have 5 of 6 questions left."
    )
    assert second.text.startswith("Question 2 of 6: How much of today")
    await jakob.say("3")
    await jakob.say("The keynote")
    wrong = await jakob.text("7")
    assert wrong == "Please type numbers from the list, separated by commas – e.g. 2, 4."
    await jakob.say("2 4")
    last = await jakob.text("1")
    assert "type **skip** to move on" in last
    assert await jakob.text("skip") == (
        "Thank you for your answers! They have been saved anonymously."
    )
    assert answers(uow) == {
        "overall": 4,
        "useful": 3,
        "best": "keynote",
        "next_time": ["research", "tools"],
        "format": 1,
        "comments": None,  # the optional question, skipped
    }


async def test_stopping_half_way_in_danish_keeps_the_answers(
    lotte: Chat, uow: FakeUnitOfWork, clock: Clock
) -> None:
    await opened(uow, clock)
    await lotte.say("evaluering")
    for answer in ALL_ANSWERS[:3]:
        await lotte.say(answer)
    assert await lotte.text("annullér") == (
        "Fint, vi stopper her. Dine svar indtil nu er gemt – skriv **evaluering**, når du vil "
        "fortsætte."
    )
    welcome, question = await lotte.say("evaluering")
    assert welcome.text == (
        "Velkommen tilbage til **Evaluering af ledelsestræffet** – du mangler 3 af 6 spørgsmål."
    )
    assert question.text.startswith("Spørgsmål 4 af 6: Hvad vil du gerne have mere af")


async def test_three_wrong_answers_stop_but_keep_what_was_answered(
    lotte: Chat, uow: FakeUnitOfWork, clock: Clock
) -> None:
    await opened(uow, clock)
    await lotte.say("evaluering")
    await lotte.say("4")
    assert (await lotte.text("banan")).startswith("Vælg en af mulighederne på listen")
    await lotte.say("æble")
    assert (await lotte.text("pære")).startswith("Det lykkedes ikke her, så jeg stopper.")
    assert answers(uow) == {"overall": 4}


async def test_after_the_deadline_answers_are_refused(
    lotte: Chat, jakob: Chat, uow: FakeUnitOfWork, clock: Clock
) -> None:
    await opened(uow, clock, closes_at=datetime(2026, 11, 22, 15, 0, tzinfo=CPH))
    intro, _ = await lotte.say("evaluering")
    assert intro.text.endswith(" Evalueringen lukker kl. 15.00.")
    clock.set(15, 0)
    assert await lotte.text("4") == (
        "Evalueringen er lukket, så jeg kan ikke tage imod flere svar. Tak for din interesse!"
    )
    assert answers(uow) == {}
    assert await jakob.text("evaluation") == (
        "The evaluation has closed, so I can't take any more answers. Thank you for your interest!"
    )


async def test_nothing_to_answer(lotte: Chat, jakob: Chat) -> None:
    assert await lotte.text("evaluering") == "Der er ingen evaluering i gang lige nu."
    assert await jakob.text("evaluation") == "There is no evaluation running at the moment."


# The facilitator's side.


@pytest.fixture
def facilitator(make_client: Callable[..., DialogTestClient], people: list[Participant]) -> Chat:
    return Chat(make_client(StartEvaluationDialog), user_id=FACILITATOR_ID)


@pytest.fixture
def commands(make_dependencies: Callable[[UserState], DialogDependencies]) -> EvaluationCommands:
    return EvaluationCommands(make_dependencies(UserState(MemoryStorage())))


def evaluations(uow: FakeUnitOfWork) -> list[FeedbackForm]:
    return [form for form in uow.committed_forms if form.key.startswith("evaluation:")]


async def test_starting_the_standard_evaluation_with_preview_and_confirm(
    facilitator: Chat, uow: FakeUnitOfWork, clock: Clock
) -> None:
    preview = await facilitator.text("start evaluering frist kl. 15.00")
    lines = preview.splitlines()
    assert lines[0] == (
        "**Evaluering af ledelsestræffet** – 6 spørgsmål til alle tilmeldte (3 modtagere). "
        "Evalueringen lukker kl. 15.00."
    )
    assert lines[1] == "1. Hvordan var træffet alt i alt? (skala 1–5)"
    assert (
        lines[4] == "4. Hvad vil du gerne have mere af næste gang? Vælg gerne flere. (flere valg)"
    )
    assert lines[6] == "6. Er der andet, du vil give med til tovholderne? (fritekst, frivilligt)"
    assert "Skal jeg åbne evalueringen og sende invitationen?" in preview
    assert evaluations(uow) == [] and uow.committed_outbox == []

    reply = await facilitator.text("ja")
    assert reply.startswith("Evalueringen er åben, og invitationen er sat i gang til 3 modtagere.")
    [form] = evaluations(uow)
    assert form.closes_at == datetime(2026, 11, 22, 15, 0, tzinfo=CPH)
    invitations = {m.identity.user_id: m.body["text"] for m in uow.committed_outbox}
    assert invitations["user-1"].startswith(
        "Vi vil meget gerne høre, hvad du synes: **Evaluering af ledelsestræffet**. "
        "Skriv **evaluering** for at svare"
    )
    assert invitations["user-2"].startswith(
        "We would love to hear what you think: **Evaluation of the leadership meeting**."
    )
    assert (await facilitator.text("start evaluering")).startswith(
        "Der er allerede en evaluering i gang."
    )


async def test_starting_a_pasted_form_for_those_checked_in_in_english(
    make_client: Callable[..., DialogTestClient], people: list[Participant], uow: FakeUnitOfWork
) -> None:
    chat = Chat(make_client(StartEvaluationDialog), user_id=FACILITATOR_ID, locale="en-GB")
    pasted = (
        "start evaluation for checked in\n"
        "title: {da: Kort evaluering, en: Short evaluation}\n"
        "questions:\n"
        "  - {key: overall, type: likert, text: {da: 'Hvordan gik det?', en: 'How did it go?'}}\n"
        "  - {key: more, type: free_text, text: {da: 'Mere?', en: 'More?'}, optional: true}\n"
    )
    preview = await chat.text(pasted)
    assert preview.splitlines()[0] == (
        "**Short evaluation** – 2 questions for those checked in (2 recipients)."
    )
    assert (await chat.text("yes")).startswith("The evaluation is open and the invitation")
    assert {m.identity.user_id for m in uow.committed_outbox} == {"user-1", "user-2"}


async def test_a_form_with_problems_is_refused_with_the_list(
    facilitator: Chat, uow: FakeUnitOfWork
) -> None:
    reply = await facilitator.text(
        "start evaluering\ntitle: {da: Evaluering, en: Evaluation}\n"
        "questions:\n  - {key: Bad Key, type: stars, text: {da: Hvad}}\n"
    )
    assert reply.splitlines()[0] == "Jeg kan ikke bruge skemaet:"
    assert "'type' skal være én af likert, single_choice" in reply
    assert evaluations(uow) == []


async def test_only_facilitators_start_remind_or_close(
    make_client: Callable[..., DialogTestClient],
    commands: EvaluationCommands,
    people: list[Participant],
    uow: FakeUnitOfWork,
    clock: Clock,
) -> None:
    refused = "Det er kun tovholderne, der kan det."
    chat = Chat(make_client(StartEvaluationDialog), user_id="user-1")
    assert (await chat.text("start evaluering")).startswith(refused)
    await opened(uow, clock)
    lotte = Person("user-1")
    assert (await lotte(commands.remind, "påmind om evaluering")).startswith(refused)
    assert (await lotte(commands.close, "luk evaluering")).startswith(refused)
    assert uow.committed_outbox == [] and evaluations(uow)[0].closed_at is None


async def test_one_reminder_to_those_not_finished_the_facilitator_sees_only_how_many(
    lotte: Chat, jakob: Chat, commands: EvaluationCommands, uow: FakeUnitOfWork, clock: Clock
) -> None:
    await opened(uow, clock)
    await lotte.say("evaluering")
    for answer in ALL_ANSWERS:
        await lotte.say(answer)
    await jakob.say("evaluation")
    await jakob.say("4")  # then stops half-way
    facilitator = Person(FACILITATOR_ID)

    reply = await facilitator(commands.remind, "påmind om evaluering")
    assert reply == "Påmindelsen er sat i gang til 2 modtagere, der ikke er færdige."
    assert all(name.split()[0] not in reply for name in NAMES)
    reminders = {m.identity.user_id: m.body["text"] for m in uow.committed_outbox}
    assert set(reminders) == {"user-2", "user-3"}
    assert reminders["user-2"].startswith("A friendly reminder: you haven't finished")
    assert reminders["user-3"].startswith("En venlig påmindelse: Du er ikke færdig med")

    assert await facilitator(commands.remind, "påmind om evaluering") == (
        "Der er allerede sendt en påmindelse om denne evaluering – der sendes kun én."
    )
    assert len(uow.committed_outbox) == 2
    english = Person(FACILITATOR_ID, "en")
    assert await english(commands.remind, "remind about evaluation") == (
        "A reminder about this evaluation has already been sent – only one is sent."
    )


async def test_closing_the_evaluation_now(
    lotte: Chat, commands: EvaluationCommands, uow: FakeUnitOfWork, clock: Clock
) -> None:
    facilitator = Person(FACILITATOR_ID)
    assert await facilitator(commands.close, "luk evaluering") == "Der er ingen åben evaluering."
    await opened(uow, clock)
    await lotte.say("evaluering")
    reply = await facilitator(commands.close, "luk evaluering")
    assert reply.startswith("Evalueringen er lukket.")
    assert evaluations(uow)[0].closed_at is not None
    assert (await lotte.text("4")).startswith("Evalueringen er lukket")
    assert await Person(FACILITATOR_ID, "en")(commands.close, "close evaluation") == (
        "There is no open evaluation."
    )
