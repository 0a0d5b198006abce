"""The evaluation is started, answered and closed from the main dialog."""

from __future__ import annotations

from collections.abc import Callable

from botbuilder.testing import DialogTestClient

from tests.dialogs.chat import Chat
from tests.dialogs.conftest import FACILITATOR_ID
from tests.dialogs.test_sign_up_dialog import sign_up
from tests.fakes import FakeUnitOfWork
from traef.participants import ChannelIdentity


async def test_start_answer_and_close_through_the_main_dialog(
    make_client: Callable[..., DialogTestClient], uow: FakeUnitOfWork
) -> None:
    lotte = Chat(make_client())
    await sign_up(lotte)
    uow.committed_references[ChannelIdentity("msteams", "user-lotte")] = {"conversation": {}}
    facilitator = Chat(make_client(), user_id=FACILITATOR_ID, name="Helle")

    preview = await facilitator.text("start evaluering")
    assert preview.startswith("**Evaluering af ledelsestræffet** – 6 spørgsmål til alle tilmeldte")
    assert preview.splitlines()[-3] == "Skal jeg åbne evalueringen og sende invitationen?"
    await facilitator.say("ja")
    assert len(uow.committed_forms) == 1
    assert [m.identity.user_id for m in uow.committed_outbox] == ["user-lotte"]

    first = await lotte.text("evaluering")
    assert "Spørgsmål 1 af 6: Hvordan var træffet alt i alt?" in first
    assert (await lotte.text("4")).startswith("Spørgsmål 2 af 6:")
    assert (await lotte.text("annullér")).startswith("Fint, vi stopper her. Dine svar indtil nu")
    assert len(uow.committed_answers) == 1  # the first answer is kept
    again = (await lotte.text("evaluering")).splitlines()  # continues where it stopped
    assert again[0] == (
        "Velkommen tilbage til **Evaluering af ledelsestræffet** – du mangler 5 af 6 spørgsmål."
    )
    assert again[1].startswith("Spørgsmål 2 af 6:")
    await lotte.say("annullér")
    assert (await facilitator.text("luk evaluering")).startswith("Evalueringen er lukket.")
    [form] = uow.committed_forms
    assert form.closed_at is not None
    assert (await lotte.text("evaluering")).startswith("Evalueringen er lukket, så jeg kan ikke")
