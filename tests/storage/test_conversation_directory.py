"""SqlConversationDirectory: each account's latest conversation reference."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import ConversationReferenceRow
from storage.unit_of_work import SqlUnitOfWork
from traef.participants import ChannelIdentity

TEAMS = ChannelIdentity("msteams", "29:1a2B3c")
SLACK = ChannelIdentity("slack", "U0123")
LOCAL = ChannelIdentity("local", "web-1")
OTHER_TEAMS = ChannelIdentity("msteams", "29:0zzz")


def _reference(identity: ChannelIdentity, conversation: str) -> dict[str, Any]:
    """Shaped like `ConversationReference.serialize()`."""
    return {
        "activityId": None,
        "user": {"id": identity.user_id, "name": "Søren Ågård", "role": "user"},
        "bot": {"id": "28:bot", "name": "Træfbot"},
        "conversation": {"id": conversation, "isGroup": False, "tenantId": "t-1"},
        "channelId": identity.channel,
        "locale": "da-DK",
        "serviceUrl": "https://smba.trafficmanager.net/emea/",
    }


async def _save(uow: SqlUnitOfWork, identity: ChannelIdentity, reference: dict[str, Any]) -> None:
    async with uow:
        await uow.conversations.save(identity, reference)
        await uow.commit()


async def test_a_saved_reference_is_got_back(uow: SqlUnitOfWork) -> None:
    reference = _reference(TEAMS, "a:1")
    await _save(uow, TEAMS, reference)
    async with uow:
        assert await uow.conversations.get(TEAMS) == reference
        assert await uow.conversations.get(SLACK) is None


async def test_saving_again_replaces_the_reference(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await _save(uow, TEAMS, _reference(TEAMS, "a:1"))
    newer = _reference(TEAMS, "a:2")
    async with uow:
        await uow.conversations.save(TEAMS, newer)
        assert await uow.conversations.get(TEAMS) == newer  # within the unit of work, too
        await uow.commit()
    async with uow:
        assert await uow.conversations.get(TEAMS) == newer
    async with session_factory() as session:
        count = select(func.count()).select_from(ConversationReferenceRow)
        assert await session.scalar(count) == 1


async def test_all_lists_every_reference_ordered_by_identity(uow: SqlUnitOfWork) -> None:
    async with uow:
        assert await uow.conversations.all() == []
    for identity in (SLACK, TEAMS, LOCAL, OTHER_TEAMS):
        await _save(uow, identity, _reference(identity, f"c:{identity.user_id}"))
    async with uow:
        listed = await uow.conversations.all()
    assert [identity for identity, _ in listed] == [LOCAL, OTHER_TEAMS, TEAMS, SLACK]
    assert listed == sorted(listed, key=lambda pair: pair[0])
    assert all(reference == _reference(i, f"c:{i.user_id}") for i, reference in listed)


async def test_the_same_user_id_on_two_channels_is_two_accounts(uow: SqlUnitOfWork) -> None:
    teams, slack = ChannelIdentity("msteams", "same"), ChannelIdentity("slack", "same")
    await _save(uow, teams, _reference(teams, "t"))
    await _save(uow, slack, _reference(slack, "s"))
    async with uow:
        assert await uow.conversations.get(teams) == _reference(teams, "t")
        assert await uow.conversations.get(slack) == _reference(slack, "s")


async def test_a_reference_not_committed_is_not_kept(uow: SqlUnitOfWork) -> None:
    async with uow:
        await uow.conversations.save(TEAMS, _reference(TEAMS, "a:1"))
    async with uow:
        assert await uow.conversations.get(TEAMS) is None


async def test_two_first_saves_at_once_do_not_collide(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    references = [_reference(TEAMS, f"a:{n}") for n in range(4)]
    await asyncio.gather(
        *(_save(SqlUnitOfWork(session_factory), TEAMS, each) for each in references)
    )
    async with SqlUnitOfWork(session_factory) as uow:
        assert await uow.conversations.get(TEAMS) in references
        assert len(await uow.conversations.all()) == 1
