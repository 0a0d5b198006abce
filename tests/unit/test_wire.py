"""Our JSON for Bot Framework objects is msrest's JSON, without msrest's cost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    CardAction,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
    Entity,
    HeroCard,
    Mention,
)

from bot.wire import from_json, iso_8601, to_json

TEAMS_MESSAGE: dict[str, Any] = {
    "type": "message",
    "id": "1732271580123",
    "timestamp": "2026-11-22T08:33:00.1234567Z",
    "localTimestamp": "2026-11-22T09:33:00.1234567+01:00",
    "serviceUrl": "https://smba.trafficmanager.net/emea/",
    "channelId": "msteams",
    "from": {
        "id": "29:1abc",
        "name": "Lotte Henriksen",
        "aadObjectId": "5f2c0b1e-0000-4000-8000-000000000001",
    },
    "conversation": {
        "conversationType": "personal",
        "tenantId": "tenant-1",
        "id": "a:1Xyz;messageid=17",
    },
    "recipient": {"id": "28:bot-app", "name": "Træfbot"},
    "textFormat": "plain",
    "locale": "da-DK",
    "text": "<at>Træfbot</at> dagens program",
    "entities": [
        {"type": "mention", "mentioned": {"id": "28:bot-app", "name": "Træfbot"}, "text": "x"},
        {"type": "clientInfo", "locale": "da-DK", "country": "DK", "platform": "Web"},
    ],
    "channelData": {"tenant": {"id": "tenant-1"}, "unknownField": [1, {"a": None}]},
    "value": {"action": "confirm", "nested": {"list": [1, 2]}},
    "somethingNew": "ignored",
}


def msrest_json(model: Any) -> Any:
    return model.serialize()


@pytest.mark.parametrize(
    "activity",
    [
        MessageFactory.text("Hej Lotte!"),
        MessageFactory.attachment(
            CardFactory.adaptive_card({"type": "AdaptiveCard", "version": "1.5", "body": []})
        ),
        MessageFactory.attachment(
            CardFactory.hero_card(
                HeroCard(
                    title="Program", buttons=[CardAction(type="imBack", title="Ja", value="ja")]
                )
            )
        ),
        Activity(
            type=ActivityTypes.conversation_update,
            members_added=[ChannelAccount(id="u1", name="Lotte")],
            conversation=ConversationAccount(id="c1", is_group=False),
            timestamp=datetime(2026, 11, 22, 9, 33, 0, 120000, tzinfo=UTC),
            entities=[Mention(mentioned=ChannelAccount(id="b"), text="<at>b</at>", type="mention")],
            value_type=str,  # botbuilder writes what str() makes of it; so do we
        ),
    ],
)
def test_to_json_is_what_msrest_writes(activity: Activity) -> None:
    assert to_json(activity) == msrest_json(activity)


def test_a_teams_message_reads_as_msrest_reads_it() -> None:
    ours = from_json(Activity, TEAMS_MESSAGE)
    theirs = Activity().deserialize(TEAMS_MESSAGE)

    # msrest reads an entity's own keys (a mention's `mentioned`) but does not write them back
    assert {**to_json(ours), "entities": None} == {**msrest_json(theirs), "entities": None}
    assert [e.additional_properties for e in ours.entities] == [
        e.additional_properties for e in theirs.entities
    ]
    assert to_json(ours)["entities"] == TEAMS_MESSAGE["entities"]
    assert ours.from_property.aad_object_id == "5f2c0b1e-0000-4000-8000-000000000001"
    assert isinstance(ours.entities[0], Entity)
    assert ours.timestamp == datetime(2026, 11, 22, 8, 33, 0, 123456, tzinfo=UTC)
    assert ours.local_timestamp.utcoffset() == timedelta(hours=1)
    assert ours.value == {"action": "confirm", "nested": {"list": [1, 2]}}


def test_a_conversation_reference_round_trips() -> None:
    stored = {
        "channelId": "emulator",
        "serviceUrl": "http://127.0.0.1:1234",
        "conversation": {"id": "conv-1"},
        "user": {"id": "user-1", "name": "Lotte"},
        "bot": {"id": "bot-1", "name": "Træfbot"},
    }
    reference = from_json(ConversationReference, stored)
    assert isinstance(reference.user, ChannelAccount)
    assert to_json(reference) == stored == msrest_json(reference)


def test_wrong_kinds_of_values_do_not_break_reading() -> None:
    odd = {"type": "message", "text": 42, "from": {"id": 7}, "timestamp": "not a date"}
    activity = from_json(Activity, odd)
    assert activity.text == "42"
    assert activity.from_property.id == "7"
    assert activity.timestamp is None


@pytest.mark.parametrize(
    ("moment", "written"),
    [
        (datetime(2026, 11, 22, 9, 33, tzinfo=UTC), "2026-11-22T09:33:00.000Z"),
        (datetime(2026, 11, 22, 9, 33, 0, 120000, tzinfo=UTC), "2026-11-22T09:33:00.120Z"),
        (
            datetime(2026, 11, 22, 10, 33, 0, 123456, tzinfo=timezone(timedelta(hours=1))),
            "2026-11-22T09:33:00.123456Z",
        ),
    ],
)
def test_dates_are_utc_with_a_z(moment: datetime, written: str) -> None:
    assert iso_8601(moment) == written
    assert (
        to_json(Activity(timestamp=moment))["timestamp"]
        == msrest_json(Activity(timestamp=moment))["timestamp"]
    )
