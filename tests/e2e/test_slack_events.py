"""Slack through the real endpoints: events, button presses, modals and the slash command,
answered through a fake Slack Web API on loopback."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestClient
from botbuilder.core import TurnContext

from bot.traef_bot import TraefBot
from tests.e2e.fake_slack import BOT_ID, BOT_USER, FakeSlack
from tests.e2e.slack_requests import (
    CHANNEL,
    FORM,
    IM,
    PERSON,
    command_body,
    direct_message,
    event_body,
    interaction_body,
    mention,
    post,
    post_event,
    turns_done,
)


def everything_said(arguments: dict[str, Any]) -> str:
    """The message's fallback text and its blocks, as one string to search."""
    return str(arguments.get("text", "")) + json.dumps(
        arguments.get("blocks", []), ensure_ascii=False
    )


async def test_url_verification_echoes_the_challenge(slack_bot: TestClient[Any, Any]) -> None:
    body = json.dumps(
        {
            "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    ).encode()
    response = await post_event(slack_bot, body)

    assert response.status == 200
    assert await response.json() == {
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    }


async def test_a_direct_message_gets_the_programme_in_that_channel(
    slack_bot: TestClient[Any, Any], slack: FakeSlack
) -> None:
    slack.names[PERSON] = "Lotte Henriksen"
    response = await post_event(slack_bot, event_body(direct_message("program")))
    assert response.status == 200

    [posted] = await slack.wait_for(1, "chat.postMessage")
    assert posted["channel"] == IM
    assert "thread_ts" not in posted
    said = everything_said(posted)
    assert "Dagens program" in said
    assert "Fortællinger i plenum" in said
    await turns_done(slack_bot)
    assert [args["user"] for _, args in slack.called("users.info")] == [PERSON]
    assert slack.called("auth.test") == []  # the event said who the bot is


async def test_a_mention_in_a_channel_is_answered_without_the_mention(
    slack_bot: TestClient[Any, Any], slack: FakeSlack
) -> None:
    await post_event(slack_bot, event_body(mention(f"<@{BOT_USER}> hvad sker der nu")))

    [posted] = await slack.wait_for(1, "chat.postMessage")
    assert posted["channel"] == CHANNEL
    assert "Fortællinger i plenum" in everything_said(posted)


async def test_a_mention_in_a_thread_is_answered_in_the_thread(
    slack_bot: TestClient[Any, Any], slack: FakeSlack
) -> None:
    event = {**mention(f"<@{BOT_USER}> program"), "thread_ts": "1763800000.000100"}
    await post_event(slack_bot, event_body(event))

    [posted] = await slack.wait_for(1, "chat.postMessage")
    assert posted["thread_ts"] == "1763800000.000100"


@pytest.mark.parametrize(
    "own",
    [
        {"user": BOT_USER},
        {"bot_id": BOT_ID, "subtype": "bot_message"},
        {"subtype": "message_changed"},
    ],
    ids=["the bot's user", "a bot message", "an edit"],
)
async def test_the_bots_own_messages_and_edits_are_ignored(
    slack_bot: TestClient[Any, Any], slack: FakeSlack, own: dict[str, Any]
) -> None:
    response = await post_event(slack_bot, event_body(direct_message("program", **own)))

    assert response.status == 200
    await turns_done(slack_bot)
    assert slack.called("chat.postMessage", "chat.postEphemeral") == []


async def test_a_retried_event_is_processed_once(
    slack_bot: TestClient[Any, Any], slack: FakeSlack
) -> None:
    body = event_body(direct_message("program"), event_id="Ev0RETRY01")
    first = await post_event(slack_bot, body)
    retry = await post_event(
        slack_bot, body, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )

    assert (first.status, retry.status) == (200, 200)
    await turns_done(slack_bot)
    assert len(slack.called("chat.postMessage")) == 1


async def test_a_slow_turn_is_answered_within_three_seconds(
    slack_bot: TestClient[Any, Any], slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = TraefBot.on_message_activity

    async def slow(self: TraefBot, turn_context: TurnContext) -> None:
        await asyncio.sleep(5)
        await original(self, turn_context)

    monkeypatch.setattr(TraefBot, "on_message_activity", slow)
    started = time.monotonic()
    response = await post_event(slack_bot, event_body(direct_message("program")))

    assert response.status == 200
    assert time.monotonic() - started < 3
    assert slack.called("chat.postMessage") == []  # the turn is still under way
    [posted] = await slack.wait_for(1, "chat.postMessage")
    assert posted["channel"] == IM


async def test_a_button_press_runs_the_dialog_with_the_cards_value(
    slack_bot: TestClient[Any, Any], slack: FakeSlack
) -> None:
    button = {
        "action_id": "traef.1",
        "type": "button",
        "text": {"type": "plain_text", "text": "Hvad sker der nu?", "emoji": True},
        "value": json.dumps({"action": "now"}),
    }
    response = await post(slack_bot, "/slack/interactions", interaction_body(button), FORM)

    assert response.status == 200
    [posted] = await slack.wait_for(1, "chat.postMessage", "chat.update")
    assert posted["channel"] == IM
    assert "Fortællinger i plenum" in everything_said(posted)


async def test_a_press_that_replaces_the_card_updates_the_pressed_message(
    slack_bot: TestClient[Any, Any], slack: FakeSlack
) -> None:
    await post_event(slack_bot, event_body(direct_message("tilmeld")))
    await slack.wait_for(1, "chat.postMessage")
    await turns_done(slack_bot)
    pressed = slack.posted_ts[-1]  # the sign-up's question card
    cancel = {
        "action_id": "traef.9",
        "type": "button",
        "text": {"type": "plain_text", "text": "Annullér", "emoji": True},
        "value": json.dumps({"action": "cancel"}),
    }
    await post(slack_bot, "/slack/interactions", interaction_body(cancel, pressed), FORM)

    [updated] = await slack.wait_for(1, "chat.update")
    assert (updated["channel"], updated["ts"]) == (IM, pressed)


async def test_a_menu_choice_runs_the_dialog_with_the_options_value(
    slack_bot: TestClient[Any, Any], slack: FakeSlack
) -> None:
    menu = {
        "action_id": "traef.2",
        "type": "static_select",
        "selected_option": {
            "text": {"type": "plain_text", "text": "Det næste", "emoji": True},
            "value": json.dumps({"action": "next"}),
        },
        "placeholder": {"type": "plain_text", "text": "Vælg", "emoji": True},
    }
    await post(slack_bot, "/slack/interactions", interaction_body(menu), FORM)

    [posted] = await slack.wait_for(1, "chat.postMessage", "chat.update")
    assert posted["channel"] == IM
    assert everything_said(posted)  # the answer to "what's next"


async def test_a_press_on_a_button_that_is_not_ours_does_nothing(
    slack_bot: TestClient[Any, Any], slack: FakeSlack
) -> None:
    button = {"action_id": "other", "type": "button", "value": "not-json"}
    response = await post(slack_bot, "/slack/interactions", interaction_body(button), FORM)

    assert response.status == 200
    await turns_done(slack_bot)
    assert slack.calls == []


async def test_a_view_submission_is_answered_with_an_empty_200(
    slack_bot: TestClient[Any, Any], slack: FakeSlack
) -> None:
    payload = {
        "type": "view_submission",
        "team": {"id": "T0TEAM001", "domain": "aarhus-ledere"},
        "user": {"id": PERSON, "username": "lotte", "name": "lotte", "team_id": "T0TEAM001"},
        "api_app_id": "A0TRAEF01",
        "trigger_id": "1234567890.123456.abcdef",
        "view": {
            "id": "V0VIEW0001",
            "type": "modal",
            "callback_id": "traef.modal",
            "state": {"values": {}},
            "private_metadata": "",
        },
    }
    body = urlencode({"payload": json.dumps(payload)}).encode()
    response = await post(slack_bot, "/slack/interactions", body, FORM)

    assert response.status == 200
    assert await response.read() == b""
    await turns_done(slack_bot)
    assert slack.calls == []


async def test_the_slash_command_answers_only_the_person(
    slack_bot: TestClient[Any, Any], slack: FakeSlack
) -> None:
    body = command_body("program", response_url=slack.response_url("cmd"))
    response = await post(slack_bot, "/slack/commands", body, FORM)

    assert response.status == 200
    assert await response.read() == b""
    [answer] = await slack.wait_for(1, "response_url")
    assert (answer["url_key"], answer["response_type"]) == ("cmd", "ephemeral")
    assert "Dagens program" in everything_said(answer)
    await turns_done(slack_bot)
    assert slack.called("chat.postMessage", "chat.postEphemeral") == []
    assert len(slack.called("auth.test")) == 1  # a command does not say who the bot is
    [opened] = slack.called("conversations.open")  # is IM the bot's own with the person?
    assert opened[1]["users"] == PERSON


async def test_a_rate_limited_post_is_sent_again_after_retry_after(
    slack_bot: TestClient[Any, Any], slack: FakeSlack
) -> None:
    slack.rate_limit_next("chat.postMessage", 1)
    await post_event(slack_bot, event_body(direct_message("program")))

    [posted] = await slack.wait_for(1, "chat.postMessage")
    assert posted["channel"] == IM
    [first, second] = [at for method, at in slack.attempts if method == "chat.postMessage"]
    assert second - first >= 1


async def test_opening_the_bots_messages_welcomes_a_newcomer_once(
    slack_bot: TestClient[Any, Any], slack: FakeSlack
) -> None:
    slack.names[PERSON] = "Lotte Henriksen"
    for number in (1, 2):
        opened = {
            "type": "app_home_opened",
            "user": PERSON,
            "channel": IM,
            "tab": "messages",
            "event_ts": f"176380050{number}.000100",
        }
        await post_event(slack_bot, event_body(opened, event_id=f"Ev0HOME00{number}"))
        await turns_done(slack_bot)

    [welcome] = slack.called("chat.postMessage")
    assert welcome[1]["channel"] == IM
    assert "Hej Lotte" in everything_said(welcome[1])


async def test_a_failing_turn_is_logged_and_the_person_gets_the_apology(
    slack_bot: TestClient[Any, Any],
    slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(self: TraefBot, turn_context: TurnContext) -> None:
        raise RuntimeError("the programme store is down")

    monkeypatch.setattr(TraefBot, "on_message_activity", broken)
    response = await post_event(slack_bot, event_body(direct_message("program")))

    assert response.status == 200
    [apology] = await slack.wait_for(1, "chat.postMessage")
    assert apology["channel"] == IM
    assert apology["text"].startswith("Beklager, der gik noget galt")
    assert "Turn failed" in caplog.text
