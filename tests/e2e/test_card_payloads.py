"""Card buttons replayed as Teams sends them, through the HTTP endpoint: an `Action.Submit` (a
message with `value` and `replyToId`) and an `Action.Execute` (an `adaptiveCard/action` invoke).
A used rating card is replaced, never answered with a second message."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.local_chat import build_local_components
from tests.e2e.fake_channel import FakeChannel
from tests.e2e.test_http_app import NOW, message, serve, settings_for
from traef.participants import ChannelIdentity, ParticipantType
from traef.registration import SignUp, sign_up
from traef.services import current_event

ADAPTIVE = "application/vnd.microsoft.card.adaptive"
TENANT = "8f3b4c1e-0000-4000-8000-00000000aa01"
USER = "29:1lotte-henriksen"


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[TestClient[Any, Any]]:
    client = await serve(settings_for(tmp_path))
    yield client
    await client.close()


def from_teams(
    channel: FakeChannel, activity_id: str, text: str | None = None, **fields: Any
) -> dict[str, Any]:
    """An activity with the envelope Teams puts on a personal chat's activities; a button
    press (no `text`) carries no text."""
    body = message(
        channel,
        text or "",
        channelId="msteams",
        id=activity_id,
        channelData={"tenant": {"id": TENANT}},
        conversation={"id": "a:1lotte", "conversationType": "personal", "tenantId": TENANT},
        **{"from": {"id": USER, "name": "Lotte Henriksen", "aadObjectId": "0c1d-lotte"}},
        **fields,
    )
    if text is None:
        del body["text"]
    return body


async def signed_up_with_item_on(tmp_path: Path, bot: TestClient[Any, Any]) -> int:
    """Lotte signs up for the demo event; the id of the item on at NOW."""
    await bot.get("/healthz")  # the app has started: migrated, demo event loaded
    components = build_local_components(settings_for(tmp_path))
    event = await current_event(components.uow_factory(), NOW.date())
    details = SignUp(
        "Lotte Henriksen", "lotte@aarhus.dk", event.departments[0], "", event.levels[0],
        ParticipantType.LEADER, None, False,
    )  # fmt: skip
    await sign_up(components.uow_factory(), event, ChannelIdentity("msteams", USER), details)
    await components.engine.dispose()
    [item] = [i for i in event.items if i.start <= NOW < i.finish and i.id is not None]
    assert item.id is not None
    return item.id


async def only_reply_after(
    bot: TestClient[Any, Any], channel: FakeChannel, activity_id: str
) -> list[dict[str, Any]]:
    """Every message the channel got, once a later question has been answered: whatever the
    button turn sent would have arrived before that answer."""
    later = from_teams(channel, activity_id, text="hvad sker der nu")
    assert (await bot.post("/api/messages", json=later)).status == 201
    await channel.wait_for(1)
    await asyncio.sleep(0.2)
    return [reply for _, reply in channel.received]


async def test_a_rating_submit_replaces_the_card_instead_of_answering_again(
    bot: TestClient[Any, Any], channel: FakeChannel, tmp_path: Path
) -> None:
    item = await signed_up_with_item_on(tmp_path, bot)
    submit = from_teams(
        channel,
        "f:submit-1",
        replyToId="1763801234567",
        value={"action": "rate", "item": item, "score": 4, "comment": "Godt oplæg"},
    )

    response = await bot.post("/api/messages", json=submit)

    assert response.status == 201
    [(card_id, update)] = channel.updates
    assert card_id == "1763801234567"
    assert update["id"] == "1763801234567"
    assert update["conversation"]["id"] == "a:1lotte"
    [attachment] = update["attachments"]
    assert attachment["contentType"] == ADAPTIVE
    card = attachment["content"]
    assert card["version"] == "1.5"
    assert card["actions"] == []
    texts = [element["text"] for element in card["body"]]
    assert "Tak – du gav 4 ud af 5." in texts
    assert "Din kommentar: Godt oplæg" in texts
    [answer] = await only_reply_after(bot, channel, "f:later-1")
    assert answer["replyToId"] == "f:later-1"  # nothing was sent for the rating itself


async def test_a_rating_execute_is_answered_with_the_replacing_card(
    bot: TestClient[Any, Any], channel: FakeChannel, tmp_path: Path
) -> None:
    item = await signed_up_with_item_on(tmp_path, bot)
    execute = from_teams(
        channel,
        "f:invoke-1",
        type="invoke",
        name="adaptiveCard/action",
        replyToId="1763801234567",
        value={
            "action": {
                "type": "Action.Execute",
                "verb": "rate",
                "data": {"action": "rate", "item": item, "score": 5, "comment": ""},
            },
            "trigger": "manual",
        },
    )

    response = await bot.post("/api/messages", json=execute)

    assert response.status == 200
    answer = await response.json()
    assert answer["statusCode"] == 200
    assert answer["type"] == ADAPTIVE
    card = answer["value"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert card["actions"] == []
    assert "Tak – du gav 5 ud af 5." in [element["text"] for element in card["body"]]
    assert channel.updates == []  # Teams puts the card from the invoke response in place
    [reply] = await only_reply_after(bot, channel, "f:later-2")
    assert reply["replyToId"] == "f:later-2"


async def test_an_execute_without_a_replacement_is_acknowledged_and_answered(
    bot: TestClient[Any, Any], channel: FakeChannel
) -> None:
    execute = from_teams(
        channel,
        "f:invoke-2",
        type="invoke",
        name="adaptiveCard/action",
        value={
            "action": {"type": "Action.Execute", "verb": "now", "data": {"action": "now"}},
            "trigger": "manual",
        },
    )

    response = await bot.post("/api/messages", json=execute)

    assert response.status == 200
    assert await response.json() == {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": "Modtaget.",
    }
    [(_, reply)] = await channel.wait_for(1)
    assert reply["replyToId"] == "f:invoke-2"
    assert reply["text"].startswith("**Nu**")
    assert channel.updates == []
