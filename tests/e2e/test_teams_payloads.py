"""Teams activities of the shapes Teams sends, replayed through the real /api/messages endpoint;
what the bot then asks of the (fake) channel: welcomes, answers, rosters and 1:1 conversations."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import TEAM_ROSTER
from storage.database import create_engine, create_session_factory
from storage.models import ConversationReferenceRow
from tests.e2e.fake_channel import FakeChannel, personal_conversation
from tests.e2e.test_http_app import serve, settings_for

TENANT = "72f988bf-0000-4000-8000-00000000a4c5"
BOT = {"id": "28:7c1f3e52-0000-4000-8000-00000000b07", "name": "Træfbot"}
TEAM = "19:Vq3kP0mA9xQ2@thread.tacv2"  # a team's id is its General channel's id
GROUP_CHAT = "19:meeting_NzU5OTk4@thread.v2"
LOTTE = {"id": "29:1LotteHenriksen", "name": "Lotte Henriksen", "aadObjectId": "aad-lotte"}
HELLE = {"id": "29:1HelleBachLauridsen", "name": "Helle Bach Lauridsen", "aadObjectId": "aad-helle"}
ROSTER = [
    {
        "id": f"29:1Member{n}",
        "name": f"Leder {n}",
        "aadObjectId": f"aad-{n}",
        "email": f"leder{n}@aarhus.dk",
        "userPrincipalName": f"leder{n}@aarhus.dk",
        "tenantId": TENANT,
        "userRole": "user",
    }
    for n in range(5)
] + [{**HELLE, "email": "hbl@aarhus.dk", "userPrincipalName": "hbl@aarhus.dk"}]
_ids = itertools.count(1_700_000_000_000)


def activity(channel: FakeChannel, sender: dict[str, str], **fields: Any) -> dict[str, Any]:
    return {
        "id": str(next(_ids)),
        "timestamp": "2026-11-22T08:33:00.1234567Z",
        "localTimestamp": "2026-11-22T09:33:00.1234567+01:00",
        "serviceUrl": channel.url + "/",
        "channelId": "msteams",
        "from": sender,
        "recipient": BOT,
        "locale": "da-DK",
        **fields,
    }


def personal(channel: FakeChannel, person: dict[str, str], **fields: Any) -> dict[str, Any]:
    conversation = {
        "conversationType": "personal",
        "tenantId": TENANT,
        "id": personal_conversation(person["id"]),
    }
    return activity(
        channel,
        person,
        conversation=conversation,
        channelData={"tenant": {"id": TENANT}},
        **fields,
    )


def added_in_personal_scope(channel: FakeChannel, person: dict[str, str]) -> dict[str, Any]:
    return personal(channel, person, type="conversationUpdate", membersAdded=[{"id": BOT["id"]}])


def installation(channel: FakeChannel, person: dict[str, str], action: str) -> dict[str, Any]:
    body = personal(channel, person, type="installationUpdate", action=action)
    body["channelData"]["source"] = {"name": "message"}
    return body


def personal_message(channel: FakeChannel, person: dict[str, str], text: str) -> dict[str, Any]:
    return personal(channel, person, type="message", text=text, textFormat="plain")


def team_channel_data() -> dict[str, Any]:
    return {
        "teamsChannelId": TEAM,
        "teamsTeamId": TEAM,
        "channel": {"id": TEAM},
        "team": {"id": TEAM, "name": "MSO Ledere", "aadGroupId": "aad-group-mso"},
        "tenant": {"id": TENANT},
    }


TEAM_CONVERSATION = {"isGroup": True, "conversationType": "channel", "tenantId": TENANT, "id": TEAM}


def team_update(channel: FakeChannel, members: list[dict[str, str]]) -> dict[str, Any]:
    return activity(
        channel,
        HELLE,
        type="conversationUpdate",
        membersAdded=members,
        conversation=TEAM_CONVERSATION,
        channelData={**team_channel_data(), "eventType": "teamMemberAdded"},
    )


def team_installation(channel: FakeChannel, action: str) -> dict[str, Any]:
    return activity(
        channel,
        HELLE,
        type="installationUpdate",
        action=action,
        conversation=TEAM_CONVERSATION,
        channelData={**team_channel_data(), "source": {"name": "message"}},
    )


def mention() -> dict[str, Any]:
    return {"mentioned": BOT, "text": f"<at>{BOT['name']}</at>", "type": "mention"}


def shared_message(
    channel: FakeChannel, text: str, *, group_chat: bool = False, mentioned: bool = True
) -> dict[str, Any]:
    body = activity(channel, HELLE, type="message", text=text, textFormat="plain")
    body["entities"] = [
        {"locale": "da-DK", "country": "DK", "platform": "Web", "type": "clientInfo"}
    ] + ([mention()] if mentioned else [])
    return in_shared_conversation(body, group_chat=group_chat)


def in_shared_conversation(body: dict[str, Any], *, group_chat: bool = False) -> dict[str, Any]:
    """The activity, as said in the team's channel (a thread of its own) or in a group chat."""
    if group_chat:
        conversation = {"conversationType": "groupChat", "tenantId": TENANT, "id": GROUP_CHAT}
        body["conversation"] = {**conversation, "isGroup": True}
        body["channelData"] = {"tenant": {"id": TENANT}}
    else:
        body["conversation"] = {
            "isGroup": True,
            "conversationType": "channel",
            "tenantId": TENANT,
            "id": f"{TEAM};messageid={body['id']}",
        }
        body["channelData"] = team_channel_data()
    return body


class Directory:
    """The stored conversation references, usable or not, read straight from the database."""

    def __init__(self, database_url: str) -> None:
        self._url = database_url

    async def rows(self) -> dict[str, ConversationReferenceRow]:
        engine = create_engine(self._url)
        try:
            async with create_session_factory(engine)() as session:
                found = (await session.scalars(select(ConversationReferenceRow))).all()
        finally:
            await engine.dispose()
        return {row.user_id: row for row in found}


@pytest.fixture
async def teams_bot(tmp_path: Path) -> AsyncIterator[TestClient[Any, Any]]:
    client = await serve(settings_for(tmp_path, facilitators=HELLE["id"]))
    yield client
    await client.close()


@pytest.fixture
def directory(tmp_path: Path) -> Directory:
    return Directory(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")


async def post(bot: TestClient[Any, Any], body: dict[str, Any]) -> None:
    response = await bot.post("/api/messages", json=body)
    assert response.status == 201, await response.text()


def texts(channel: FakeChannel) -> list[str]:
    """Each message's text, or its card's first line."""
    found = []
    for _, body in channel.received:
        if body.get("text"):
            found.append(body["text"])
        else:
            found.append(body["attachments"][0]["content"]["body"][0]["text"])
    return found


async def settle(bot: TestClient[Any, Any]) -> None:
    """Wait for the team rosters the bot reads in the background."""
    assert isinstance(bot.server, TestServer)
    await bot.server.app[TEAM_ROSTER].settled()


async def test_personal_install_is_welcomed_once_though_teams_announces_it_twice(
    teams_bot: TestClient[Any, Any], channel: FakeChannel, directory: Directory
) -> None:
    await post(teams_bot, added_in_personal_scope(channel, LOTTE))
    await post(teams_bot, installation(channel, LOTTE, "add"))
    await post(teams_bot, added_in_personal_scope(channel, LOTTE))

    [(path, welcome)] = channel.received
    assert path.startswith(f"/v3/conversations/{personal_conversation(LOTTE['id'])}/activities")
    assert welcome["attachments"][0]["content"]["body"][0]["text"].startswith("Hej Lotte!")
    row = (await directory.rows())[LOTTE["id"]]
    assert row.usable and row.reference["conversation"]["id"] == personal_conversation(LOTTE["id"])


async def test_both_install_events_at_once_give_one_welcome(
    teams_bot: TestClient[Any, Any], channel: FakeChannel
) -> None:
    await asyncio.gather(
        post(teams_bot, added_in_personal_scope(channel, LOTTE)),
        post(teams_bot, installation(channel, LOTTE, "add")),
    )
    assert len(channel.received) == 1


async def test_added_to_a_team_the_bot_reaches_every_member_one_to_one(
    teams_bot: TestClient[Any, Any], channel: FakeChannel, directory: Directory
) -> None:
    channel.rosters[TEAM] = ROSTER
    channel.refuse_conversations_with.add("29:1Member3")
    await post(teams_bot, personal_message(channel, LOTTE, "hej"))  # reachable already

    await post(teams_bot, team_update(channel, [{"id": BOT["id"]}]))
    await post(teams_bot, team_installation(channel, "add"))
    await settle(teams_bot)

    assert {team for team, _ in channel.roster_reads} == {TEAM}
    assert all(query["pageSize"] for _, query in channel.roster_reads)
    created = {body["members"][0]["id"]: body for body in channel.created}
    assert set(created) == {member["id"] for member in ROSTER}  # once each, in all
    assert len(channel.created) == len(ROSTER)
    assert created[HELLE["id"]] == {
        "bot": {"id": BOT["id"]},
        "members": [{"id": HELLE["id"]}],
        "channelData": {"tenant": {"id": TENANT}},
        "isGroup": False,
        "tenantId": TENANT,
    }
    rows = await directory.rows()
    for member in ROSTER:
        if member["id"] == "29:1Member3":
            assert member["id"] not in rows  # refused: skipped, the others still reached
            continue
        row = rows[member["id"]]
        assert row.origin_team == TEAM and row.usable
        assert row.reference["conversation"] == {
            "id": personal_conversation(member["id"]),
            "conversationType": "personal",
            "isGroup": False,
            "tenantId": TENANT,
        }
        assert row.reference["user"]["aadObjectId"] == member["aadObjectId"]
        assert row.reference["user"]["email"] == member["email"]
        assert row.reference["serviceUrl"] == channel.url + "/"
    # in the channel: one short introduction, no welcome per person
    [(path, intro)] = channel.received[1:]
    assert path.startswith(f"/v3/conversations/{TEAM}/activities")
    assert intro["text"].startswith("Hej alle sammen! Jeg er **Træfbot**")


async def test_people_added_to_a_team_get_nothing_in_the_channel(
    teams_bot: TestClient[Any, Any], channel: FakeChannel
) -> None:
    await post(teams_bot, team_update(channel, [{"id": "29:1NewLeader", "aadObjectId": "aad-n"}]))
    await settle(teams_bot)
    assert channel.received == []
    assert channel.roster_reads == []


async def test_a_channel_message_is_answered_only_when_the_bot_is_mentioned(
    teams_bot: TestClient[Any, Any], channel: FakeChannel, directory: Directory
) -> None:
    await post(teams_bot, shared_message(channel, "hvad er programmet i dag", mentioned=False))
    assert channel.received == []

    asked = shared_message(channel, "<at>Træfbot</at> program")
    await post(teams_bot, asked)

    [(path, reply)] = channel.received
    assert path == f"/v3/conversations/{asked['conversation']['id']}/activities/{asked['id']}"
    assert reply["attachments"][0]["content"]["body"][0]["text"] == "Dagens program"
    assert HELLE["id"] not in await directory.rows()  # a channel is nobody's own conversation


async def test_a_card_press_in_a_channel_needs_no_mention(
    teams_bot: TestClient[Any, Any], channel: FakeChannel
) -> None:
    pressed = shared_message(channel, "", mentioned=False)
    del pressed["text"]
    pressed["value"] = {"action": "programme"}
    pressed["replyToId"] = "1700000000000"
    await post(teams_bot, pressed)
    assert texts(channel) == ["Dagens program"]


async def test_a_group_chat_message_with_a_mention_is_answered(
    teams_bot: TestClient[Any, Any], channel: FakeChannel
) -> None:
    await post(teams_bot, shared_message(channel, "hjælp", group_chat=True, mentioned=False))
    await post(
        teams_bot, shared_message(channel, "<at>Træfbot</at> hvad sker der nu", group_chat=True)
    )

    [(path, reply)] = channel.received
    assert path.startswith(f"/v3/conversations/{GROUP_CHAT}/activities")
    assert reply["text"].startswith("**Nu**")


async def wait_for_text(channel: FakeChannel, text: str, count: int) -> list[str]:
    """The conversations that got `text`, once `count` have (or after a few seconds)."""
    for _ in range(100):
        reached = [p.split("/")[3] for p, body in channel.received if body.get("text") == text]
        if len(reached) >= count:
            return reached
        await asyncio.sleep(0.05)
    return reached


async def broadcast(teams_bot: TestClient[Any, Any], channel: FakeChannel, text: str) -> None:
    await post(teams_bot, personal_message(channel, HELLE, f"send til alle: {text}"))
    await post(teams_bot, personal_message(channel, HELLE, "ja"))


async def test_uninstalled_people_are_skipped_until_they_write_again(
    teams_bot: TestClient[Any, Any], channel: FakeChannel, directory: Directory
) -> None:
    for person in (LOTTE, HELLE):
        await post(teams_bot, installation(channel, person, "add"))
    await post(teams_bot, installation(channel, LOTTE, "remove"))

    row = (await directory.rows())[LOTTE["id"]]
    assert not row.usable and row.welcomed_at is None  # kept, but not used
    await broadcast(teams_bot, channel, "Frokosten er flyttet til 12.30")
    reached = await wait_for_text(channel, "Frokosten er flyttet til 12.30", 1)
    await asyncio.sleep(0.3)  # time enough for a message to Lotte, were one queued
    assert reached == [personal_conversation(HELLE["id"])]
    lotte = personal_conversation(LOTTE["id"])
    assert not [
        a for a in channel.attempts if a.conversation == lotte and "Frokost" in (a.text or "")
    ]

    await post(teams_bot, personal_message(channel, LOTTE, "program"))
    assert (await directory.rows())[LOTTE["id"]].usable
    await broadcast(teams_bot, channel, "Vi starter igen kl. 13")
    reached = await wait_for_text(channel, "Vi starter igen kl. 13", 2)
    assert sorted(reached) == sorted([personal_conversation(HELLE["id"]), lotte])


async def test_reinstalling_welcomes_again(
    teams_bot: TestClient[Any, Any], channel: FakeChannel
) -> None:
    await post(teams_bot, installation(channel, LOTTE, "add"))
    await post(teams_bot, installation(channel, LOTTE, "remove"))
    await post(teams_bot, installation(channel, LOTTE, "add"))
    await post(teams_bot, added_in_personal_scope(channel, LOTTE))
    assert len(channel.received) == 2


async def test_removing_the_bot_from_a_team_stops_using_what_its_roster_gave(
    teams_bot: TestClient[Any, Any], channel: FakeChannel, directory: Directory
) -> None:
    channel.rosters[TEAM] = ROSTER
    await post(teams_bot, installation(channel, LOTTE, "add"))
    await post(teams_bot, team_installation(channel, "add"))
    await settle(teams_bot)
    await post(teams_bot, personal_message(channel, HELLE, "hej"))  # Helle's own now

    await post(teams_bot, team_installation(channel, "remove"))

    rows = await directory.rows()
    assert {user for user, row in rows.items() if row.usable} == {LOTTE["id"], HELLE["id"]}
    assert len(rows) == len(ROSTER) + 1  # the rows are kept
