"""The feedback commands are reached from the main dialog by text and by card buttons."""

from __future__ import annotations

from collections.abc import Callable

from botbuilder.testing import DialogTestClient

from tests.dialogs.chat import Chat, card
from tests.dialogs.conftest import FACILITATOR_ID
from tests.dialogs.test_sign_up_dialog import sign_up
from tests.fakes import FakeUnitOfWork


async def test_rate_the_item_on_now_and_post_an_idea(
    make_client: Callable[..., DialogTestClient], uow: FakeUnitOfWork
) -> None:
    chat = Chat(make_client())
    await sign_up(chat)
    [rating_card] = await chat.say("giv feedback")
    content = card(rating_card)
    assert content["body"][0]["text"] == "Hvordan var »Fortællinger i plenum«?"
    five = next(a for a in content["actions"] if a["data"].get("score") == 5)
    reply = await chat.text(value={**five["data"], "comment": "Stærke fortællinger"})
    assert reply.startswith("Tak")
    assert len(uow.committed_answers) == 1

    assert (await chat.text("idé: Flere pauser mellem oplæggene")).startswith(
        "Tak! Din post-it er sat op"
    )
    assert "Flere pauser mellem oplæggene" in await chat.text("mine post-its")

    facilitator = Chat(make_client(), user_id=FACILITATOR_ID, name="Helle")
    results = await facilitator.text("resultater")
    assert "Resultatet vises først, når mindst 5 har svaret" in results
    assert (await chat.text("resultater")).startswith("Det er kun tovholderne")
