"""Personal requests made where others may read along in Slack, and answers only the person
sees, through the real endpoints against a fake Slack: slash commands and presses on ephemeral
cards answered through their `response_url`, personal requests from a channel (or a direct
message between people) answered in the person's direct messages with the bot, and the e-mail
Slack's profile gives used to recognise participants and facilitators."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.local_chat import build_local_components
from bot.slack.adapter import RESPONSE_URL_POSTS, RESPONSE_URL_SECONDS, ResponseUrls
from tests.e2e.fake_slack import BOT_USER, FakeSlack
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
    serve_slack,
    turns_done,
)
from tests.e2e.test_http_app import NOW, settings_for
from tests.e2e.test_teams_payloads import Directory
from traef.roster_import import import_roster
from traef.services import current_event

ANSWERED_PRIVATELY = "Det tager vi i vores private chat – jeg har svaret dig dér."
WRITE_PRIVATELY = (  # as Slack's mrkdwn
    "Det klarer vi bedst privat: find mig under *Apps* i venstre side, åbn fanen "
    "*Beskeder* og skriv det til mig dér."
)
PEOPLE_DM = "D0LOTHEL1"  # Lotte's direct messages with a colleague: the bot is not in it
LOTTE_EMAIL = "lotte.henriksen@aarhus.dk"
CANCEL = {
    "action_id": "traef.9",
    "type": "button",
    "text": {"type": "plain_text", "text": "Annullér", "emoji": True},
    "value": json.dumps({"action": "cancel"}),
}


def said(arguments: dict[str, Any]) -> str:
    """The message's fallback text and its blocks, as one string to search."""
    return str(arguments.get("text", "")) + json.dumps(
        arguments.get("blocks", []), ensure_ascii=False
    )


def posted_in(slack: FakeSlack, channel: str) -> list[dict[str, Any]]:
    return [args for _, args in slack.called("chat.postMessage") if args["channel"] == channel]


async def command(
    bot: TestClient[Any, Any], slack: FakeSlack, text: str, channel: str, key: str = "cmd"
) -> None:
    """`/traef <text>` in `channel`, its answers to go to the fake's response_url `key`."""
    body = command_body(
        text,
        channel,
        response_url=slack.response_url(key),
        channel_name="directmessage" if channel.startswith("D") else "ledere",
    )
    response = await post(bot, "/slack/commands", body, FORM)
    assert response.status == 200
    await turns_done(bot)


async def lotte_is_imported(tmp_path: Path) -> None:
    """Lotte is on the participant list (imported, with her work e-mail), not yet linked."""
    components = build_local_components(settings_for(tmp_path))
    event = await current_event(components.uow_factory(), NOW.date())
    roster = f"Navn;E-mail;Afdeling;Stilling\nLotte Henriksen;{LOTTE_EMAIL};MSO;Leder\n"
    await import_roster(components.uow_factory(), event, roster.encode())
    await components.engine.dispose()


@pytest.fixture
async def started(slack_bot: TestClient[Any, Any]) -> TestClient[Any, Any]:
    await slack_bot.get("/healthz")  # migrated, demo event loaded
    return slack_bot


@pytest.fixture
def directory(tmp_path: Path) -> Directory:
    return Directory(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")


async def test_the_programme_asked_with_the_command_in_a_channel_is_answered_in_place(
    started: TestClient[Any, Any], slack: FakeSlack
) -> None:
    await command(started, slack, "program", CHANNEL)

    [answer] = slack.called("response_url")
    assert answer[1]["response_type"] == "ephemeral"
    assert answer[1]["replace_original"] is False
    assert "Dagens program" in said(answer[1])
    assert slack.called("chat.postEphemeral", "chat.postMessage", "conversations.open") == []


async def test_my_group_asked_with_the_command_in_a_channel_is_answered_in_the_dm(
    started: TestClient[Any, Any], slack: FakeSlack, directory: Directory
) -> None:
    await command(started, slack, "min gruppe", CHANNEL)

    [answer] = posted_in(slack, IM)
    assert "thread_ts" not in answer
    assert ANSWERED_PRIVATELY not in said(answer)
    [(_, note)] = slack.called("response_url")
    assert (note["response_type"], note["text"]) == ("ephemeral", ANSWERED_PRIVATELY)
    assert slack.called("chat.postEphemeral") == []
    assert posted_in(slack, CHANNEL) == []
    row = (await directory.rows())[PERSON]
    assert row.usable
    assert row.reference["channelId"] == "slack"
    assert row.reference["conversation"] == {
        "id": IM,
        "conversationType": "personal",
        "isGroup": False,
    }
    assert row.reference["bot"]["id"] == BOT_USER


async def test_in_a_dm_between_people_the_command_is_shared(
    started: TestClient[Any, Any], slack: FakeSlack
) -> None:
    await command(started, slack, "program", PEOPLE_DM, key="programme")
    await command(started, slack, "min gruppe", PEOPLE_DM, key="group")

    programme, note = (args for _, args in slack.called("response_url"))
    assert programme["url_key"] == "programme" and "Dagens program" in said(programme)
    assert (note["url_key"], note["text"]) == ("group", ANSWERED_PRIVATELY)
    [answer] = slack.called("chat.postMessage")
    assert answer[1]["channel"] == IM  # never in the DM the bot is not in
    assert slack.called("chat.postEphemeral") == []
    assert len(slack.called("conversations.open")) == 1  # asked once, then known


async def test_the_command_in_the_bots_own_dm_is_answered_there(
    started: TestClient[Any, Any], slack: FakeSlack
) -> None:
    await command(started, slack, "min gruppe", IM)

    [(_, answer)] = slack.called("response_url")
    assert answer["text"] != ANSWERED_PRIVATELY
    assert slack.called("chat.postMessage", "chat.postEphemeral") == []


async def test_sign_up_asked_in_a_channel_starts_in_the_dm(
    started: TestClient[Any, Any], slack: FakeSlack
) -> None:
    thread = "1763800000.000100"
    asked_in_thread = {**mention(f"<@{BOT_USER}> tilmeld"), "thread_ts": thread}
    await post_event(started, event_body(asked_in_thread))
    await turns_done(started)

    assert posted_in(slack, CHANNEL) == []  # nothing for the whole channel to read
    [(_, note)] = slack.called("chat.postEphemeral")  # the note is for the asker alone
    assert (note["channel"], note["user"]) == (CHANNEL, PERSON)
    assert (note["text"], note["thread_ts"]) == (ANSWERED_PRIVATELY, thread)
    in_the_dm = posted_in(slack, IM)
    assert all("thread_ts" not in args for args in in_the_dm)
    asked = [said(args) for args in in_the_dm]
    assert asked[0].startswith("Lad os få dig tilmeldt")

    await post_event(started, event_body(direct_message("Lotte Henriksen"), "Ev0000002"))
    await turns_done(started)

    assert len(posted_in(slack, IM)) > len(asked)  # the sign-up goes on in the DM
    assert posted_in(slack, CHANNEL) == []
    assert len(slack.called("chat.postEphemeral")) == 1


async def test_when_slack_refuses_the_dm_the_channel_is_told_how_to_write(
    started: TestClient[Any, Any], slack: FakeSlack, directory: Directory
) -> None:
    slack.fail_next("conversations.open", "user_disabled")

    await post_event(started, event_body(mention(f"<@{BOT_USER}> min gruppe")))
    await turns_done(started)

    assert slack.called("chat.postMessage") == []
    [(_, note)] = slack.called("chat.postEphemeral")
    assert (note["channel"], note["user"], note["text"]) == (CHANNEL, PERSON, WRITE_PRIVATELY)
    assert PERSON not in await directory.rows()


async def test_a_press_on_an_ephemeral_card_replaces_it_through_the_response_url(
    started: TestClient[Any, Any], slack: FakeSlack
) -> None:
    await command(started, slack, "tilmeld", IM, key="cmd")
    [(_, question)] = slack.called("response_url")[-1:]
    assert question["url_key"] == "cmd"
    assert question["text"].startswith("Hvad er dit fulde navn?") and question.get("blocks")

    press = interaction_body(
        CANCEL, "1763800500.000100", ephemeral=True, response_url=slack.response_url("press")
    )
    await post(started, "/slack/interactions", press, FORM)
    await turns_done(started)

    replaced = [args for _, args in slack.called("response_url") if args["url_key"] == "press"]
    assert replaced[0]["replace_original"] is True
    assert replaced[0]["response_type"] == "ephemeral"
    assert slack.called("chat.update", "chat.postEphemeral", "chat.postMessage") == []


async def test_presses_on_an_ephemeral_card_in_a_dm_between_people_are_shared(
    started: TestClient[Any, Any], slack: FakeSlack
) -> None:
    for key, action in (("next", "next"), ("data", "my_data")):
        button = {"action_id": "traef.1", "type": "button", "value": json.dumps({"action": action})}
        press = interaction_body(
            button, ephemeral=True, channel=PEOPLE_DM, response_url=slack.response_url(key)
        )
        await post(started, "/slack/interactions", press, FORM)
        await turns_done(started)

    following, note = (args for _, args in slack.called("response_url"))
    assert following["url_key"] == "next" and following["replace_original"] is False
    assert (note["url_key"], note["text"]) == ("data", ANSWERED_PRIVATELY)
    [(_, answer)] = slack.called("chat.postMessage")
    assert answer["channel"] == IM
    assert slack.called("chat.update", "chat.postEphemeral") == []


async def test_a_failing_response_url_falls_back_to_post_ephemeral(
    started: TestClient[Any, Any], slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    gone = str(slack.server.make_url("/response/expired/gone"))  # the fake answers 404
    body = command_body("program", CHANNEL, response_url=gone, channel_name="ledere")
    await post(started, "/slack/commands", body, FORM)
    await turns_done(started)

    [(_, answer)] = slack.called("chat.postEphemeral")
    assert (answer["channel"], answer["user"]) == (CHANNEL, PERSON)
    assert "Dagens program" in said(answer)
    assert "using chat.postEphemeral" in caplog.text


def test_a_response_url_takes_five_posts_within_thirty_minutes() -> None:
    now = [0.0]
    urls = ResponseUrls(lambda: now[0])

    assert all(urls.take("a") for _ in range(RESPONSE_URL_POSTS))
    assert not urls.take("a")
    assert urls.take("b")
    now[0] = RESPONSE_URL_SECONDS + 1
    assert not urls.take("b")


async def test_an_imported_participant_is_recognised_by_the_slack_email(
    started: TestClient[Any, Any], slack: FakeSlack, tmp_path: Path
) -> None:
    await lotte_is_imported(tmp_path)
    slack.names[PERSON] = "Lotte Henriksen"
    slack.emails[PERSON] = "Lotte.Henriksen@aarhus.dk"

    await post_event(started, event_body(direct_message("hvad sker der nu")))
    await turns_done(started)

    greeting, answer = posted_in(slack, IM)
    assert greeting["text"].startswith("Hej Lotte! Du står allerede på deltagerlisten")
    assert "Nu" in said(answer)


@pytest.fixture
async def facilitator_bot(tmp_path: Path, slack: FakeSlack) -> AsyncIterator[TestClient[Any, Any]]:
    client = await serve_slack(tmp_path, slack, facilitators="helle.bach@aarhus.dk")
    await client.get("/healthz")
    yield client
    await client.close()


async def test_a_facilitator_named_by_email_gets_facilitator_commands(
    facilitator_bot: TestClient[Any, Any], slack: FakeSlack
) -> None:
    slack.emails[PERSON] = "Helle.Bach@aarhus.dk"

    await post_event(facilitator_bot, event_body(direct_message("deltagere")))
    await turns_done(facilitator_bot)
    await command(facilitator_bot, slack, "deltagere", CHANNEL)  # answered in the DM

    in_person, from_the_channel = posted_in(slack, IM)
    assert in_person["text"].startswith("Der er ingen tilmeldte til")  # a facilitator's answer
    assert from_the_channel["text"] == in_person["text"]
    [(_, note)] = slack.called("response_url")
    assert note["text"] == ANSWERED_PRIVATELY


async def test_without_the_facilitators_email_the_command_is_refused(
    facilitator_bot: TestClient[Any, Any], slack: FakeSlack
) -> None:
    slack.emails[PERSON] = "someone.else@aarhus.dk"

    await post_event(facilitator_bot, event_body(direct_message("deltagere")))
    await turns_done(facilitator_bot)

    [answer] = posted_in(slack, IM)
    assert answer["text"].startswith("Det er kun tovholderne")
