"""Transcripts: rating a programme item from its card, post-its, and the facilitators' results."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from botbuilder.core import MemoryStorage, TurnContext, UserState
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from dialogs.dependencies import DialogDependencies
from dialogs.feedback_commands import FeedbackCommands
from dialogs.feedback_view import distribution_lines
from dialogs.i18n import Catalogue, Language, Texts
from tests.dialogs.chat import card, shown
from tests.dialogs.conftest import FACILITATOR_ID, Clock
from tests.fakes import FakeUnitOfWork
from traef.feedback import close_form, rate
from traef.group_plans import Group, GroupPlan, PlanKind
from traef.participants import ChannelIdentity, Participant

CPH = ZoneInfo("Europe/Copenhagen")
PLENARY_ITEM = 2  # "Fortællinger i plenum", 8.50–9.45: on at the clock's 9.33
BREAKOUT_ITEM = 3  # "Lederne udkommer med deres personlige ledelsesgrundlag", 9.45–11.00
NAMES = ["Lotte Henriksen", "Jakob Ljungberg", "Helle Bach Lauridsen", "Niels Rask", "Søren Aakjær"]

Command = Callable[[TurnContext, Texts], Awaitable[Activity]]


class Person:
    """Someone writing to the bot; each call is one turn answered by one command."""

    def __init__(self, user_id: str, language: Language = "da") -> None:
        self.user = ChannelAccount(id=user_id, name=user_id)
        self.texts = Catalogue.default().texts(language)

    async def reply(self, command: Command, text: str | None = None, value: Any = None) -> Activity:
        activity = Activity(
            type="message",
            channel_id="msteams",
            conversation=ConversationAccount(id=f"chat-{self.user.id}"),
            recipient=ChannelAccount(id="bot"),
            from_property=self.user,
            text=text,
            value=value,
        )
        return await command(TurnContext(TestAdapter(), activity), self.texts)

    async def __call__(self, command: Command, text: str | None = None, value: Any = None) -> str:
        return shown(await self.reply(command, text, value))


@pytest.fixture
def deps(make_dependencies: Callable[[UserState], DialogDependencies]) -> DialogDependencies:
    return make_dependencies(UserState(MemoryStorage()))


@pytest.fixture
def commands(deps: DialogDependencies) -> FeedbackCommands:
    return FeedbackCommands(deps)


@pytest.fixture
def people(uow: FakeUnitOfWork) -> dict[int, Participant]:
    for number, name in enumerate(NAMES, 1):
        uow.committed_participants[number] = Participant(
            1,
            name,
            "MSO",
            "Leder",
            id=number,
            identities=frozenset({ChannelIdentity("msteams", f"user-{number}")}),
        )
    return uow.committed_participants


@pytest.fixture
def lotte() -> Person:
    return Person("user-1")


@pytest.fixture
def facilitator() -> Person:
    return Person(FACILITATOR_ID)


def rating(item: int, score: int, comment: str | None = None) -> dict[str, Any]:
    """What the card sends: the button's data with the comment field merged in."""
    value: dict[str, Any] = {"action": "rate", "item": item, "score": score}
    return value if comment is None else {**value, "comment": comment}


async def test_the_card_rates_the_item_on_now(
    commands: FeedbackCommands, lotte: Person, people: dict[int, Participant]
) -> None:
    reply = await lotte.reply(commands.give_feedback, "giv feedback")
    shown_card = card(reply)
    assert shown_card["version"] == "1.5"
    assert shown_card["body"][0]["text"] == "Hvordan var »Fortællinger i plenum«?"
    assert [a["data"] for a in shown_card["actions"]] == [
        rating(PLENARY_ITEM, n) for n in range(1, 6)
    ]
    assert [i["id"] for i in shown_card["body"] if i["type"] == "Input.Text"] == ["comment"]

    thanks = await lotte(commands.rate, value=rating(PLENARY_ITEM, 4, "Gode historier"))
    assert thanks == "Tak for din vurdering af »Fortællinger i plenum«!"
    changed = await lotte(commands.rate, value=rating(PLENARY_ITEM, 5, ""))
    assert changed == "Din vurdering af »Fortællinger i plenum« er ændret til 5 ★."


async def test_after_a_break_the_item_before_it_is_rated_in_english(
    commands: FeedbackCommands, clock: Clock, people: dict[int, Participant], uow: FakeUnitOfWork
) -> None:
    jakob = Person("user-2", "en")
    clock.set(11, 10)  # the break: the breakout before it is the one to rate
    reply = await jakob(commands.give_feedback, "give feedback")
    assert reply.startswith("How was »Lederne udkommer med deres personlige ledelsesgrundlag«?")
    assert await jakob(commands.rate, value=rating(BREAKOUT_ITEM, 3)) == (
        "Thank you for rating »Lederne udkommer med deres personlige ledelsesgrundlag«!"
    )
    assert await jakob(commands.rate, value=rating(BREAKOUT_ITEM, 2)) == (
        "Your rating of »Lederne udkommer med deres personlige ledelsesgrundlag« "
        "has been changed to 2 ★."
    )
    [answer] = uow.committed_answers
    assert answer.value == {"score": 2, "comment": None}


async def test_a_closed_rating_a_stranger_and_a_broken_submit(
    commands: FeedbackCommands,
    deps: DialogDependencies,
    lotte: Person,
    people: dict[int, Participant],
    clock: Clock,
) -> None:
    await lotte(commands.rate, value=rating(PLENARY_ITEM, 4))
    await close_form(deps.uow_factory(), 1, clock())
    assert await lotte(commands.rate, value=rating(PLENARY_ITEM, 1)) == (
        "Der er desværre lukket for feedback på »Fortællinger i plenum«. Tak, fordi du ville svare!"
    )
    stranger = Person("user-99")
    assert (await stranger(commands.rate, value=rating(PLENARY_ITEM, 4))).startswith(
        "Du er ikke tilmeldt"
    )
    assert (await lotte(commands.rate, value=rating(PLENARY_ITEM, 9))).startswith(
        "Det svar kunne jeg ikke forstå."
    )


async def test_post_its_are_added_listed_and_withdrawn(
    commands: FeedbackCommands,
    lotte: Person,
    people: dict[int, Participant],
    clock: Clock,
    uow: FakeUnitOfWork,
) -> None:
    clock.set(10, 0)
    uow.committed_plans.append(
        GroupPlan(
            1,
            PlanKind.BREAKOUT,
            (Group(1, (1, 2, 3)), Group(2, (4, 5))),
            datetime(2026, 11, 22, 9, 0, tzinfo=CPH),
            item_id=BREAKOUT_ITEM,
            published_at=datetime(2026, 11, 22, 9, 0, tzinfo=CPH),
        )
    )
    assert await lotte(commands.my_postits, "mine post-its") == (
        "Du har ingen post-its endnu. Skriv fx **idé: Mere tid til sparring**."
    )
    assert (await lotte(commands.add_postit, "idé: Mere tid til sparring")).startswith(
        "Tak! Din post-it er sat op"
    )
    listed = await lotte(commands.add_postit, "forslag:\n- Kortere pauser\n- Mere kaffe")
    assert "send gerne én idé ad gangen" in listed
    assert (await lotte.reply(commands.add_postit, "idé")).attachments  # the card to write on
    await lotte(commands.add_postit, value={"action": "postit", "postit": "Frokost ude"})
    assert (await lotte(commands.my_postits, "mine post-its")).splitlines()[:4] == [
        "**Dine post-its**",
        "1. Mere tid til sparring",
        "2. - Kortere pauser",
        "   - Mere kaffe",
    ]
    assert {p.group_number for p in uow.committed_postits} == {1}
    assert {p.item_id for p in uow.committed_postits} == {BREAKOUT_ITEM}

    assert await lotte(commands.withdraw_postit, "træk post-it 1 tilbage") == (
        "Din post-it »Mere tid til sparring« er trukket tilbage."
    )
    assert (await lotte(commands.withdraw_postit, "slet post-it 7")).startswith(
        "Du har ingen post-it nummer 7."
    )
    jakob = Person("user-2", "en")
    assert (await jakob(commands.withdraw_postit, "withdraw post-it 1")).startswith(
        "You have no post-it number 1."
    )
    assert await jakob(commands.add_postit, "idea: Walk and talk") == (
        "Thanks! Your post-it is up – anonymously. Type **my post-its** to see yours."
    )
    assert (await jakob(commands.my_postits, "my post-its")).splitlines()[1] == "1. Walk and talk"
    assert (await Person(FACILITATOR_ID)(commands.postits, "alle post-its")).splitlines() == [
        "**Post-its**",
        "",
        "**Gruppe 1**",
        "- - Kortere pauser",
        "  - Mere kaffe",
        "- Frokost ude",
        "- Walk and talk",
    ]


async def test_only_facilitators_see_post_its_and_results(
    commands: FeedbackCommands, lotte: Person, people: dict[int, Participant]
) -> None:
    only = "Det er kun tovholderne, der kan det."
    assert (await lotte(commands.postits, "post-its")).startswith(only)
    assert (await lotte(commands.results, "resultater")).startswith(only)
    english = Person("user-2", "en")
    assert (await english(commands.results, "results")).startswith("Only the facilitators")


async def test_results_are_withheld_below_five_answers(
    commands: FeedbackCommands, facilitator: Person, lotte: Person, people: dict[int, Participant]
) -> None:
    assert (await facilitator(commands.results, "resultater")).splitlines()[1] == (
        "Ingen har vurderet et programpunkt endnu."
    )
    await lotte(commands.rate, value=rating(PLENARY_ITEM, 4, "Fin"))
    await lotte(commands.add_postit, "idé: Mere tid til sparring")
    lines = (await facilitator(commands.results, "resultater")).splitlines()
    assert lines == [
        "**Feedback på Fælles om ledelse**",
        "",
        "**Fortællinger i plenum** – 1 svar",
        "Resultatet vises først, når mindst 5 har svaret, så ingen kan genkendes.",
        "",
        "**Post-its**",
        "",
        "**Uden gruppe**",
        "- Mere tid til sparring",
    ]


async def test_results_with_five_answers(
    commands: FeedbackCommands,
    deps: DialogDependencies,
    facilitator: Person,
    people: dict[int, Participant],
    clock: Clock,
) -> None:
    scores = {1: (5, "Rørende"), 2: (5, None), 3: (4, "for lang"), 4: (3, None), 5: (5, "Bedste")}
    for participant, (score, comment) in scores.items():
        await rate(
            deps.uow_factory(),
            deps.feedback_secret,
            1,
            PLENARY_ITEM,
            participant,
            score,
            comment,
            clock(),
        )
    lines = (await facilitator(commands.results, "resultater")).splitlines()
    assert lines[2:12] == [
        "**Fortællinger i plenum** – 5 svar",
        "Gennemsnit: 4,4",
        "5 ★ ██████████ 3",
        "4 ★ ███ 1",
        "3 ★ ███ 1",
        "2 ★ 0",
        "1 ★ 0",
        "Kommentarer:",
        "- Bedste",
        "- for lang",
    ]
    assert lines[12] == "- Rørende"
    english = Person(FACILITATOR_ID, "en")
    assert "Average: 4.4" in (await english(commands.results, "results")).splitlines()


def test_distribution_bars_scale_to_the_largest_count() -> None:
    texts = Catalogue.default().texts("en")
    assert distribution_lines({5: 7, 4: 2, 1: 1}, texts) == [
        "5 ★ ██████████ 7",
        "4 ★ ███ 2",
        "3 ★ 0",
        "2 ★ 0",
        "1 ★ █ 1",
    ]
