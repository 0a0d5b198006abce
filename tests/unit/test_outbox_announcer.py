"""Announcements queue one outbox row per person, in the person's language, and wake the sender."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from zoneinfo import ZoneInfo

from botbuilder.core import MessageFactory
from botbuilder.schema import Activity

from bot.outbox_announcer import OutboxAnnouncer
from dialogs.i18n import Catalogue, Texts
from tests.fakes import FakeUnitOfWork
from traef.demo import demo_event
from traef.outbox import BroadcastKind
from traef.participants import ChannelIdentity, Participant

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))
LOTTE = ChannelIdentity("msteams", "lotte")
JAKOB = ChannelIdentity("msteams", "jakob")
GUEST = ChannelIdentity("slack", "U1")


def setup() -> tuple[FakeUnitOfWork, OutboxAnnouncer, list[int]]:
    uow = FakeUnitOfWork([dataclasses.replace(demo_event(date(2026, 11, 22)), id=1)])
    uow.committed_participants[1] = Participant(
        1, "Lotte", "MSO", "Leder", id=1, identities=frozenset({LOTTE})
    )
    uow.committed_participants[2] = Participant(
        1, "Jakob", "MBU", "Leder", id=2, language="en", identities=frozenset({JAKOB})
    )
    for identity in (LOTTE, JAKOB, GUEST):
        uow.committed_references[identity] = {"conversation": {"id": identity.user_id}}
    woken: list[int] = []
    announcer = OutboxAnnouncer(
        lambda: uow,
        Catalogue.default(),
        "da",
        lambda: NOW,
        lambda: woken.append(1),
        lambda: NOW.date(),
    )
    return uow, announcer, woken


def hello(texts: Texts) -> Activity:
    return MessageFactory.text(texts("change_announcement"))


async def test_announce_queues_one_row_each_in_their_language() -> None:
    uow, announcer, woken = setup()
    assert await announcer.announce(hello) == 3
    texts = {message.identity: message.body["text"] for message in uow.committed_outbox}
    assert texts[LOTTE] == "📣 **Programmet er ændret:**"
    assert texts[JAKOB] == "📣 **The programme has changed:**"
    assert texts[GUEST] == "📣 **Programmet er ændret:**"  # the default language
    [broadcast] = uow.committed_broadcasts
    assert broadcast.kind is BroadcastKind.PROGRAMME_CHANGE and woken == [1]


async def test_tell_each_reaches_only_known_accounts_in_one_broadcast() -> None:
    uow, announcer, _ = setup()
    stranger = ChannelIdentity("msteams", "never-wrote")
    reached = await announcer.tell_each([(LOTTE, hello), (stranger, hello)], audience="groups")
    assert reached == {LOTTE}
    assert [m.identity for m in uow.committed_outbox] == [LOTTE]
    assert len(uow.committed_broadcasts) == 1
    assert await announcer.tell(stranger, hello) is False
