"""Transcript: a facilitator deletes the event's personal data after a yes."""

from __future__ import annotations

from collections.abc import Callable

from botbuilder.testing import DialogTestClient

from tests.dialogs.chat import Chat
from tests.dialogs.conftest import FACILITATOR_ID
from tests.dialogs.test_sign_up_dialog import sign_up, stored
from tests.fakes import FakeUnitOfWork


async def test_purge_after_confirmation(
    make_client: Callable[..., DialogTestClient], uow: FakeUnitOfWork
) -> None:
    await sign_up(Chat(make_client()))
    assert len(stored(uow)) == 1
    participant = Chat(make_client())
    assert (await participant.text("slet træffets persondata")).startswith("Det er kun tovholderne")
    facilitator = Chat(make_client(), user_id=FACILITATOR_ID, name="Helle")
    question = await facilitator.text("slet træffets persondata")
    assert question.startswith("Vil du slette alle personoplysninger fra **Fælles om ledelse**?")
    assert await facilitator.text("nej") == "Fint, intet er slettet."
    assert len(stored(uow)) == 1
    await facilitator.say("slet træffets persondata")
    assert await facilitator.text("ja") == (
        "Personoplysningerne er slettet: 1 deltager. Den anonyme feedback er bevaret."
    )
    assert stored(uow) == []
    assert uow.committed_references == {}
