"""SqlConversationDirectory after an uninstall: rows kept but skipped, welcomes claimed once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import ConversationReferenceRow
from storage.unit_of_work import SqlUnitOfWork
from traef.participants import ChannelIdentity

LOTTE = ChannelIdentity("msteams", "29:1lotte")
HELLE = ChannelIdentity("msteams", "29:1helle")
JAKOB = ChannelIdentity("msteams", "29:1jakob")
TEAM = "19:team@thread.tacv2"
NOON = datetime(2026, 11, 22, 11, 0, tzinfo=UTC)


def _reference(identity: ChannelIdentity) -> dict[str, Any]:
    return {
        "user": {"id": identity.user_id, "role": "user"},
        "bot": {"id": "28:bot", "name": "Træfbot"},
        "conversation": {"id": f"a:{identity.user_id}", "conversationType": "personal"},
        "channelId": identity.channel,
        "serviceUrl": "https://smba.trafficmanager.net/emea/",
    }


async def _save(uow: SqlUnitOfWork, identity: ChannelIdentity, team: str | None = None) -> None:
    async with uow:
        await uow.conversations.save(identity, _reference(identity), team=team)
        await uow.commit()


async def _rows(
    session_factory: async_sessionmaker[AsyncSession],
) -> dict[str, ConversationReferenceRow]:
    async with session_factory() as session:
        rows = (await session.scalars(select(ConversationReferenceRow))).all()
    return {row.user_id: row for row in rows}


async def test_a_new_reference_is_usable_and_not_yet_welcomed(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await _save(uow, LOTTE)
    row = (await _rows(session_factory))[LOTTE.user_id]
    assert row.usable is True
    assert row.origin_team is None
    assert row.welcomed_at is None


async def test_an_unusable_reference_is_kept_but_left_out(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await _save(uow, LOTTE)
    await _save(uow, HELLE)
    async with uow:
        assert await uow.conversations.set_unusable(LOTTE) is True
        assert await uow.conversations.set_unusable(JAKOB) is False  # nothing stored
        await uow.commit()
    async with uow:
        assert await uow.conversations.get(LOTTE) is None
        assert [identity for identity, _ in await uow.conversations.all()] == [HELLE]
    rows = await _rows(session_factory)
    assert rows[LOTTE.user_id].usable is False
    assert rows[LOTTE.user_id].reference == _reference(LOTTE)


async def test_saving_again_makes_it_usable(uow: SqlUnitOfWork) -> None:
    await _save(uow, LOTTE)
    async with uow:
        await uow.conversations.set_unusable(LOTTE)
        await uow.commit()
    await _save(uow, LOTTE)
    async with uow:
        assert await uow.conversations.get(LOTTE) == _reference(LOTTE)


async def test_removing_a_team_stops_only_what_its_roster_gave(
    uow: SqlUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await _save(uow, LOTTE, team=TEAM)
    await _save(uow, JAKOB, team="19:other@thread.tacv2")
    await _save(uow, HELLE, team=TEAM)
    await _save(uow, HELLE)  # then wrote herself: hers now, not the team's
    async with uow:
        assert await uow.conversations.set_team_unusable("msteams", TEAM) == 1
        assert await uow.conversations.set_team_unusable("slack", TEAM) == 0
        await uow.commit()
    async with uow:
        usable = [identity for identity, _ in await uow.conversations.all()]
    assert usable == [HELLE, JAKOB]
    rows = await _rows(session_factory)
    assert rows[HELLE.user_id].origin_team is None
    assert rows[LOTTE.user_id].origin_team == TEAM


async def test_a_welcome_is_claimed_once_per_install(uow: SqlUnitOfWork) -> None:
    async with uow:
        assert await uow.conversations.claim_welcome(LOTTE, NOON) is False  # no reference yet
    await _save(uow, LOTTE)
    for expected in (True, False):
        async with uow:
            assert await uow.conversations.claim_welcome(LOTTE, NOON) is expected
            await uow.commit()
    await _save(uow, LOTTE)  # a new reference is no new install
    async with uow:
        assert await uow.conversations.claim_welcome(LOTTE, NOON) is False
        await uow.conversations.set_unusable(LOTTE)  # uninstalled
        await uow.commit()
    await _save(uow, LOTTE)
    async with uow:
        assert await uow.conversations.claim_welcome(LOTTE, NOON) is True


async def test_claims_at_once_give_one_welcome(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await _save(SqlUnitOfWork(session_factory), LOTTE)

    async def claim() -> bool:
        uow = SqlUnitOfWork(session_factory)
        async with uow:
            claimed = await uow.conversations.claim_welcome(LOTTE, NOON)
            await uow.commit()
        return claimed

    assert sorted(await asyncio.gather(*(claim() for _ in range(4)))) == [False, False, False, True]
