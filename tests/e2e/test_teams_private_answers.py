"""Personal requests made in a Teams channel or group chat, through the real /api/messages
endpoint: answered in the person's 1:1 chat with the bot, the shared conversation told only that
(or how to write to the bot privately), never anything about anyone."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.local_chat import build_local_components
from tests.e2e.fake_channel import FakeChannel, personal_conversation
from tests.e2e.test_http_app import NOW, serve, settings_for
from tests.e2e.test_teams_payloads import (
    GROUP_CHAT,
    HELLE,
    LOTTE,
    TEAM,
    TENANT,
    Directory,
    activity,
    in_shared_conversation,
    installation,
    mention,
    personal_message,
    post,
)
from traef.group_plans import Group, GroupPlan, PlanKind
from traef.group_service import publish_plan
from traef.participants import ChannelIdentity, Participant, Status
from traef.programme import Audience, AudienceKind, ProgrammeItem
from traef.services import current_event

HELLE_PHONE = "+4520304050"
LOTTE_PHONE = "+4561718293"
ANSWERED_PRIVATELY = "Det tager vi i vores private chat – jeg har svaret dig dér."
WRITE_PRIVATELY = (
    "Det klarer vi bedst privat: klik på mit navn, vælg **Chat** og skriv det til mig dér."
)


@pytest.fixture
async def teams_bot(tmp_path: Path) -> AsyncIterator[TestClient[Any, Any]]:
    client = await serve(settings_for(tmp_path, facilitators=HELLE["id"]))
    await client.get("/healthz")  # started: migrated, demo event loaded
    yield client
    await client.close()


@pytest.fixture
def directory(tmp_path: Path) -> Directory:
    return Directory(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")


def said_in_shared(
    channel: FakeChannel, person: dict[str, str], text: str | None, *, group_chat: bool = False
) -> dict[str, Any]:
    """What Teams posts when `person` writes "@Træfbot <text>" in the team's channel (or a
    group chat); with text None, a card's Action.Submit there (its data to be set in `value`)."""
    body = activity(channel, person, type="message", textFormat="plain")
    body["entities"] = [{"locale": "da-DK", "type": "clientInfo"}]
    if text is not None:
        body["text"] = f"<at>Træfbot</at> {text}"
        body["entities"].append(mention())
    return in_shared_conversation(body, group_chat=group_chat)


def posted_to(channel: FakeChannel, conversation_prefix: str) -> list[dict[str, Any]]:
    return [
        body
        for path, body in channel.received
        if path.startswith(f"/v3/conversations/{conversation_prefix}")
    ]


def shown(body: dict[str, Any]) -> str:
    """A message's text, or all of its card's texts."""
    if body.get("text"):
        return str(body["text"])
    content = body["attachments"][0]["content"]
    return "\n".join(str(e.get("text", "")) for e in content["body"])


def in_channel(channel: FakeChannel) -> list[dict[str, Any]]:
    return posted_to(channel, TEAM)


def privately(channel: FakeChannel, person: dict[str, str]) -> list[str]:
    return [shown(body) for body in posted_to(channel, personal_conversation(person["id"]))]


async def helle_and_lotte_are_phone_partners(tmp_path: Path) -> int:
    """Both checked in and paired in a published phone plan; the id of the item on at NOW."""
    components = build_local_components(settings_for(tmp_path))
    uow_factory = components.uow_factory
    event = await current_event(uow_factory(), NOW.date())
    assert event.id is not None
    ids = []
    for person, phone in ((HELLE, HELLE_PHONE), (LOTTE, LOTTE_PHONE)):
        participant = Participant(
            event.id,
            person["name"],
            event.departments[0],
            event.levels[0],
            phone=phone,
            phone_consent=True,
            status=Status.CHECKED_IN,
            checked_in_at=NOW - timedelta(hours=1),
            identities=frozenset({ChannelIdentity("msteams", person["id"])}),
        )
        uow = uow_factory()
        async with uow:
            stored = await uow.participants.add(participant)
            await uow.commit()
        assert stored.id is not None
        ids.append(stored.id)
    plan = GroupPlan(event.id, PlanKind.PHONE, (Group(1, tuple(ids)),), NOW)
    await publish_plan(uow_factory(), plan, NOW)
    await components.engine.dispose()
    [item] = [i for i in event.items if i.start <= NOW < i.finish and i.id is not None]
    assert item.id is not None
    return item.id


def assert_nothing_about(bodies: list[dict[str, Any]], *secrets: str) -> None:
    everything = json.dumps(bodies, ensure_ascii=False)
    for secret in secrets:
        assert secret not in everything


async def test_my_partner_asked_in_a_channel_is_answered_in_the_personal_chat(
    teams_bot: TestClient[Any, Any], channel: FakeChannel, tmp_path: Path
) -> None:
    await helle_and_lotte_are_phone_partners(tmp_path)
    await post(teams_bot, installation(channel, HELLE, "add"))  # her 1:1 chat, welcomed
    channel.received.clear()

    await post(teams_bot, said_in_shared(channel, HELLE, "min partner"))

    [note] = in_channel(channel)
    assert note["text"] == ANSWERED_PRIVATELY
    assert_nothing_about(in_channel(channel), "Lotte", LOTTE_PHONE, "61 71 82 93")
    [answer] = privately(channel, HELLE)
    assert "Lotte Henriksen" in answer
    assert "61" in answer and "93" in answer  # her number, however it is written
    [(path, _)] = [(p, b) for p, b in channel.received if "1on1" in p]
    assert path == f"/v3/conversations/{personal_conversation(HELLE['id'])}/activities"
    assert channel.created == []  # the chat she has was used


async def test_sign_up_asked_in_a_channel_goes_on_in_the_personal_chat(
    teams_bot: TestClient[Any, Any], channel: FakeChannel
) -> None:
    await post(teams_bot, installation(channel, LOTTE, "add"))
    channel.received.clear()

    await post(teams_bot, said_in_shared(channel, LOTTE, "tilmeld"))

    assert [body["text"] for body in in_channel(channel)] == [ANSWERED_PRIVATELY]
    asked = privately(channel, LOTTE)
    assert asked[0].startswith("Lad os få dig tilmeldt")
    assert asked[-1].startswith("Hvad er dit fulde navn?")

    await post(teams_bot, personal_message(channel, LOTTE, "Lotte Henriksen"))

    assert privately(channel, LOTTE)[-1] == "Hvad er din e-mailadresse?"
    assert len(in_channel(channel)) == 1  # the questions are asked in private only


async def test_the_programme_and_help_are_still_answered_in_the_channel(
    teams_bot: TestClient[Any, Any], channel: FakeChannel
) -> None:
    await post(teams_bot, said_in_shared(channel, LOTTE, "program"))
    await post(teams_bot, said_in_shared(channel, LOTTE, "hjælp"))

    programme, help_here = in_channel(channel)
    assert shown(programme).startswith("Dagens program")
    assert help_here["text"].startswith("Her i samtalen svarer jeg på det, der gælder alle.")
    assert "**tilmeld**" not in help_here["text"]  # only what works here is listed
    assert channel.created == [] and privately(channel, LOTTE) == []


async def test_without_a_personal_chat_the_bot_opens_one_and_answers_there(
    teams_bot: TestClient[Any, Any], channel: FakeChannel, directory: Directory
) -> None:
    await post(teams_bot, said_in_shared(channel, LOTTE, "mine data"))

    assert channel.created == [
        {
            "bot": {"id": "28:7c1f3e52-0000-4000-8000-00000000b07"},
            "members": [{"id": LOTTE["id"]}],
            "channelData": {"tenant": {"id": TENANT}},
            "isGroup": False,
            "tenantId": TENANT,
        }
    ]
    assert [body["text"] for body in in_channel(channel)] == [ANSWERED_PRIVATELY]
    [(path, answer)] = [
        (p, b) for p, b in channel.received if not p.startswith(f"/v3/conversations/{TEAM}")
    ]
    assert path == f"/v3/conversations/{personal_conversation(LOTTE['id'])}/activities"
    assert answer["recipient"]["id"] == LOTTE["id"]
    assert "replyToId" not in answer or not answer["replyToId"]
    row = (await directory.rows())[LOTTE["id"]]
    assert row.usable and row.origin_team == TEAM
    assert row.reference["conversation"]["id"] == personal_conversation(LOTTE["id"])


async def test_when_teams_refuses_a_personal_chat_the_channel_is_told_how_to_write(
    teams_bot: TestClient[Any, Any], channel: FakeChannel, tmp_path: Path
) -> None:
    await helle_and_lotte_are_phone_partners(tmp_path)
    channel.refuse_conversations_with.add(LOTTE["id"])

    await post(teams_bot, said_in_shared(channel, LOTTE, "hvem er min makker"))

    assert [body["members"][0]["id"] for body in channel.created] == [LOTTE["id"]]
    [(_, note)] = channel.received  # nothing anywhere else
    assert note["text"] == WRITE_PRIVATELY
    assert_nothing_about(in_channel(channel), "Helle", HELLE_PHONE)


async def test_a_group_chat_is_treated_like_a_channel(
    teams_bot: TestClient[Any, Any], channel: FakeChannel, tmp_path: Path
) -> None:
    await helle_and_lotte_are_phone_partners(tmp_path)
    await post(teams_bot, installation(channel, LOTTE, "add"))
    channel.received.clear()

    await post(teams_bot, said_in_shared(channel, LOTTE, "min partner", group_chat=True))
    await post(teams_bot, said_in_shared(channel, LOTTE, "hvad sker der nu", group_chat=True))

    first, second = posted_to(channel, GROUP_CHAT)
    assert first["text"] == ANSWERED_PRIVATELY
    assert second["text"].startswith("**Nu**")
    assert_nothing_about(posted_to(channel, GROUP_CHAT), "Helle", HELLE_PHONE)
    [answer] = privately(channel, LOTTE)
    assert "Helle Bach Lauridsen" in answer


async def test_a_facilitator_command_in_a_channel_is_answered_privately(
    teams_bot: TestClient[Any, Any], channel: FakeChannel, tmp_path: Path
) -> None:
    await helle_and_lotte_are_phone_partners(tmp_path)
    await post(teams_bot, installation(channel, HELLE, "add"))
    channel.received.clear()

    await post(teams_bot, said_in_shared(channel, HELLE, "deltagere"))

    assert [body["text"] for body in in_channel(channel)] == [ANSWERED_PRIVATELY]
    assert_nothing_about(in_channel(channel), "tilmeldt", "tjekket ind")
    [answer] = privately(channel, HELLE)
    assert "2 tilmeldt, heraf 2 tjekket ind" in answer


async def test_a_rating_pressed_in_a_channel_is_thanked_privately_and_the_card_stays(
    teams_bot: TestClient[Any, Any], channel: FakeChannel, tmp_path: Path
) -> None:
    item = await helle_and_lotte_are_phone_partners(tmp_path)
    await post(teams_bot, installation(channel, LOTTE, "add"))
    channel.received.clear()
    pressed = said_in_shared(channel, LOTTE, None)
    pressed["replyToId"] = "1763801234567"
    pressed["value"] = {"action": "rate", "item": item, "score": 4, "comment": ""}

    await post(teams_bot, pressed)

    assert channel.updates == []  # the card everyone sees is not replaced
    assert [body["text"] for body in in_channel(channel)] == [ANSWERED_PRIVATELY]
    assert_nothing_about(in_channel(channel), "vurdering")
    [thanks] = privately(channel, LOTTE)
    assert thanks.startswith("Tak for din vurdering")


async def test_a_rating_executed_in_a_channel_gets_the_note_not_a_replacing_card(
    teams_bot: TestClient[Any, Any], channel: FakeChannel, tmp_path: Path
) -> None:
    item = await helle_and_lotte_are_phone_partners(tmp_path)
    await post(teams_bot, installation(channel, LOTTE, "add"))
    channel.received.clear()
    execute = said_in_shared(channel, LOTTE, None)
    execute.update(type="invoke", name="adaptiveCard/action", replyToId="1763801234567")
    data = {"action": "rate", "item": item, "score": 5, "comment": ""}
    execute["value"] = {"action": {"type": "Action.Execute", "verb": "rate", "data": data}}

    response = await teams_bot.post("/api/messages", json=execute)

    assert response.status == 200
    answer = await response.json()
    assert answer["type"] == "application/vnd.microsoft.activity.message"
    assert answer["value"] == ANSWERED_PRIVATELY
    assert channel.updates == [] and in_channel(channel) == []
    [thanks] = privately(channel, LOTTE)
    assert thanks.startswith("Tak for din vurdering")


async def test_programme_buttons_pressed_in_a_channel_are_answered_there(
    teams_bot: TestClient[Any, Any], channel: FakeChannel
) -> None:
    pressed = said_in_shared(channel, LOTTE, None)
    pressed["value"] = {"action": "next"}

    await post(teams_bot, pressed)

    [answer] = in_channel(channel)
    assert answer["text"] != ANSWERED_PRIVATELY
    assert channel.created == []


async def test_the_programme_in_a_channel_is_everyones_not_the_askers(
    teams_bot: TestClient[Any, Any], channel: FakeChannel, tmp_path: Path
) -> None:
    components = build_local_components(settings_for(tmp_path))
    event = await current_event(components.uow_factory(), NOW.date())
    assert event.id is not None
    coaching = ProgrammeItem(
        NOW + timedelta(hours=5),
        "Coaching for sparringsgruppe 3",
        end=NOW + timedelta(hours=6),
        audience=Audience(AudienceKind.GROUP, "Sparringsgruppe 3"),
    )
    uow = components.uow_factory()
    async with uow:
        await uow.events.save_programme(event.id, (*event.items, coaching))
        await uow.participants.add(
            Participant(
                event.id,
                HELLE["name"],
                event.departments[0],
                event.levels[0],
                groups=frozenset({"Sparringsgruppe 3"}),
                identities=frozenset({ChannelIdentity("msteams", HELLE["id"])}),
            )
        )
        await uow.commit()
    await components.engine.dispose()

    await post(teams_bot, said_in_shared(channel, HELLE, "program"))
    await post(teams_bot, personal_message(channel, HELLE, "program"))

    [in_the_channel] = in_channel(channel)
    assert "Coaching" not in json.dumps(in_the_channel, ensure_ascii=False)
    [for_her] = posted_to(channel, personal_conversation(HELLE["id"]))
    assert "Coaching for sparringsgruppe 3" in json.dumps(for_her, ensure_ascii=False)
