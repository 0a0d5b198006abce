"""`python -m bot manifest --slack`: the Slack app manifest, checked against the structure Slack
documents and against what the bot's code handles and calls.

The schema is our own restatement of Slack's manifest reference (tests/schemas/slack/, see its
NOTICE.md), read offline. The scopes are checked against a table of the Web API methods the bot
calls, and the table against the calls in bot/ (read with `ast`, nothing is run).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from slack_sdk.web.async_client import AsyncWebClient

from bot import cli
from bot.cli import main
from bot.manifest_cli import SLACK_TEMPLATE
from bot.slack.activities import event_activity, home_opened_activity
from bot.slack.http import COMMANDS_ROUTE, EVENTS_ROUTE, INTERACTIONS_ROUTE
from bot.slack.payloads import Event
from dialogs.intents import Intent, recognise

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "tests" / "schemas" / "slack" / "app-manifest.schema.json"
PUBLIC_URL = "https://traefbot.aarhus.dk"
BOT_USER = "U0TRAEFBT"
PERSON = "U0LOTTE01"

# Every Slack Web API method the bot calls, and the bot scope it needs (None: needs none).
METHOD_SCOPES: dict[str, str | None] = {
    "auth.test": None,  # the bot's own user id
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",  # slash command answers only the person sees
    "chat.update": "chat:write",  # a pressed card replaced
    "chat.delete": "chat:write",
    "conversations.open": "im:write",  # the person's direct messages, for proactive messages
    "users.info": "users:read",  # people's names
    "users.lookupByEmail": "users:read.email",  # imported participants matched by e-mail
}
# The events the bot subscribes to, and the bot scope each needs (None: needs none).
EVENT_SCOPES: dict[str, str | None] = {
    "message.im": "im:history",
    "app_mention": "app_mentions:read",
    "app_home_opened": None,
}
SLASH_COMMAND_SCOPE = "commands"


@pytest.fixture(autouse=True)
def settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A public https address and nothing else: Slack needs no Azure app id; no stray .env."""
    for name in (
        "PORT",
        "DATABASE_URL",
        "MICROSOFT_APP_ID",
        "MICROSOFT_APP_TENANT_ID",
        "BOT_LANGUAGE",
        "LOG_LEVEL",
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_API_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PUBLIC_URL", PUBLIC_URL + "/")
    monkeypatch.chdir(tmp_path)
    # main() configures the process's logging; keep that out of the rest of the test run.
    monkeypatch.setattr(cli, "_configure_logging", lambda settings, quiet: None)


def build(out: Path, *options: str) -> bytes:
    assert main(["manifest", "--slack", "--out", str(out), *options]) == 0
    return out.read_bytes()


@pytest.fixture
def manifest(tmp_path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(build(tmp_path / "slack-manifest.json"))
    return loaded


def _no_network(uri: str) -> Resource:
    raise LookupError(f"the test reads no schema from the network ({uri})")


def schema_errors(document: object) -> list[str]:
    """Every way the document breaks the schema: draft-07, formats checked, nothing fetched."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema)
    checker = Draft7Validator.FORMAT_CHECKER
    assert "uri" in checker.checkers  # rfc3986-validator is installed, so URIs are checked
    offline = Registry(retrieve=_no_network)  # type: ignore[call-arg]  # an attrs alias
    validator = Draft7Validator(schema, format_checker=checker, registry=offline)
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
    return [f"{'/'.join(map(str, error.path)) or '(root)'}: {error.message}" for error in errors]


def web_api_methods_called(package: Path) -> set[str]:
    """The Slack Web API methods called in the package's code, as `client.users_info(…)` names
    them, in Slack's spelling (`users.info`)."""
    client_methods = {
        name for name, value in vars(AsyncWebClient).items() if callable(value) and name[0] != "_"
    }
    called = set()
    for source in package.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in client_methods
            ):
                called.add(node.func.attr.replace("_", "."))
    return called


def test_the_manifest_validates_against_the_schema(manifest: dict[str, Any]) -> None:
    assert manifest["_metadata"]["major_version"] == 1
    assert schema_errors(manifest) == []


def test_the_validation_catches_a_broken_manifest(manifest: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(manifest))
    broken["display_information"]["long_description"] = "For kort."
    broken["display_information"]["background_color"] = "grøn"
    broken["features"]["slash_commands"][0]["command"] = "traef"
    broken["settings"]["event_subscriptions"]["request_url"] = "slack/events"
    broken["settings"]["interactivity"]["enabled"] = True  # is_enabled, misspelt
    del broken["features"]["bot_user"]["display_name"]

    errors = schema_errors(broken)

    assert any(error.startswith("display_information/long_description:") for error in errors)
    assert any(error.startswith("display_information/background_color:") for error in errors)
    assert any(error.startswith("features/slash_commands/0/command:") for error in errors)
    assert any(error.startswith("settings/event_subscriptions/request_url:") for error in errors)
    assert any("'enabled' was unexpected" in error for error in errors)
    assert any("'display_name' is a required property" in error for error in errors)


def test_the_app_is_called_traefbot_and_described_in_danish(manifest: dict[str, Any]) -> None:
    shown = manifest["display_information"]
    assert shown["name"] == "Træfbot"
    assert manifest["features"]["bot_user"] == {"display_name": "Træfbot", "always_online": True}
    assert 0 < len(shown["description"]) <= 140
    assert 175 <= len(shown["long_description"]) <= 4000
    assert "ledelsestræffet" in shown["description"]
    assert "/traef" in shown["long_description"]


def test_the_three_request_urls_are_the_bots_endpoints_under_public_url(
    manifest: dict[str, Any],
) -> None:
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["request_url"] == PUBLIC_URL + EVENTS_ROUTE
    assert settings["interactivity"] == {
        "is_enabled": True,
        "request_url": PUBLIC_URL + INTERACTIONS_ROUTE,
    }
    [command] = manifest["features"]["slash_commands"]
    assert command["url"] == PUBLIC_URL + COMMANDS_ROUTE
    assert (EVENTS_ROUTE, INTERACTIONS_ROUTE, COMMANDS_ROUTE) == (
        "/slack/events",
        "/slack/interactions",
        "/slack/commands",
    )


def test_the_bot_is_reached_over_http_with_its_bot_token(manifest: dict[str, Any]) -> None:
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is False  # Slack sends requests to PUBLIC_URL
    assert settings["token_rotation_enabled"] is False  # SLACK_BOT_TOKEN does not expire
    assert settings["org_deploy_enabled"] is False  # one workspace
    assert set(manifest["oauth_config"]) == {"scopes"}  # no user scopes, no OAuth redirect


def test_people_write_to_the_bot_in_its_messages_tab(manifest: dict[str, Any]) -> None:
    assert manifest["features"]["app_home"] == {
        "home_tab_enabled": False,  # the bot publishes no Home tab view
        "messages_tab_enabled": True,
        "messages_tab_read_only_enabled": False,
    }


def test_the_events_are_exactly_those_the_bot_answers(manifest: dict[str, Any]) -> None:
    subscriptions = manifest["settings"]["event_subscriptions"]
    assert set(subscriptions) == {"request_url", "bot_events"}  # no user events
    assert sorted(subscriptions["bot_events"]) == sorted(EVENT_SCOPES)

    # What Slack sends for each subscription is turned into a turn of the bot…
    direct = Event(type="message", user=PERSON, text="program", channel="D0LOTTE01")
    mention = Event(type="app_mention", user=PERSON, text=f"<@{BOT_USER}> nu", channel="C0LEDERE1")
    opened = Event(type="app_home_opened", user=PERSON, channel="D0LOTTE01", tab="messages")
    assert event_activity(direct.model_copy(update={"channel_type": "im"}), BOT_USER, "da-DK")
    assert event_activity(mention, BOT_USER, "da-DK")
    assert home_opened_activity(opened, BOT_USER, "da-DK")
    # …while what message.channels, message.groups or message.mpim would send is not: the bot
    # speaks in channels only when it is mentioned, so it subscribes to none of them.
    for channel, kind in (("C0LEDERE1", "channel"), ("G0LEDERE1", "group"), ("G0FLERE01", "mpim")):
        elsewhere = direct.model_copy(update={"channel": channel, "channel_type": kind})
        assert event_activity(elsewhere, BOT_USER, "da-DK") is None


def test_the_table_names_every_web_api_method_the_bot_calls() -> None:
    called = web_api_methods_called(ROOT / "bot")
    assert {"chat.postMessage", "users.info", "conversations.open"} <= called  # the scan works
    assert called <= set(METHOD_SCOPES), "add the new method and its scope to METHOD_SCOPES"


def test_the_scopes_are_exactly_what_the_calls_events_and_command_need(
    manifest: dict[str, Any],
) -> None:
    scoped = [*METHOD_SCOPES.values(), *EVENT_SCOPES.values(), SLASH_COMMAND_SCOPE]
    needed = {scope for scope in scoped if scope is not None}
    scopes = manifest["oauth_config"]["scopes"]
    assert set(scopes) == {"bot"}
    assert sorted(scopes["bot"]) == sorted(needed)
    assert "im:read" not in scopes["bot"]  # no conversations.info/list nor im_* events


def test_the_slash_command_is_traef_and_its_hints_are_understood(
    manifest: dict[str, Any],
) -> None:
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/traef"
    assert command["should_escape"] is False
    assert 0 < len(command["description"]) <= 100
    hints = [hint.strip() for hint in command["usage_hint"].split("|")]
    assert {"program", "min gruppe", "hjælp"} <= set(hints)
    for hint in hints:
        assert recognise(hint) != Intent.UNKNOWN, hint


def test_only_public_url_is_filled_in(tmp_path: Path) -> None:
    template = SLACK_TEMPLATE.read_text(encoding="utf-8")
    assert template.count("{{") == template.count("{{PUBLIC_URL}}") == 3
    written = build(tmp_path / "slack-manifest.json").decode("utf-8")
    assert "{{" not in written
    assert written == template.replace("{{PUBLIC_URL}}", PUBLIC_URL)  # pretty, as the template


def test_the_file_is_utf8_json_and_the_same_settings_give_the_same_bytes(tmp_path: Path) -> None:
    first = build(tmp_path / "a.json")
    assert first == build(tmp_path / "b.json")
    assert "Træfbot".encode() in first  # not \u00e6
    assert first.endswith(b"}\n")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "PUBLIC_URL er http://localhost:3978, som Slack ikke kan nå"),
        ("https://localhost:8443", "som Slack ikke kan nå"),
        ("https://127.0.0.1", "som Slack ikke kan nå"),
        ("http://traefbot.aarhus.dk", "men Slack kræver https"),
    ],
)
def test_a_public_url_slack_cannot_use_is_refused_and_nothing_is_written(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    value: str | None,
    message: str,
) -> None:
    if value is None:
        monkeypatch.delenv("PUBLIC_URL")
    else:
        monkeypatch.setenv("PUBLIC_URL", value)
    out = tmp_path / "slack-manifest.json"

    assert main(["manifest", "--slack", "--out", str(out)]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    assert not out.exists()


def test_the_teams_only_options_are_refused_with_slack(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "slack-manifest.json"
    options = ["--version", "2.0.0", "--terms-url", "https://www.aarhus.dk/vilkaar"]

    assert main(["manifest", "--slack", "--out", str(out), *options]) == 2

    error = capsys.readouterr().err
    assert "--version og --terms-url hører kun til Teams-pakken" in error
    assert len(error.strip().splitlines()) == 1
    assert not out.exists()


def test_an_existing_file_is_kept_unless_forced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "slack-manifest.json"
    out.write_text("someone else's file", encoding="utf-8")

    assert main(["manifest", "--slack", "--out", str(out)]) == 1
    assert "findes allerede; brug --force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "someone else's file"

    assert json.loads(build(out, "--force"))["display_information"]["name"] == "Træfbot"


def test_the_operator_is_told_what_to_do_in_slack(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    build(tmp_path / "slack-manifest.json")
    printed = capsys.readouterr().out
    assert "er skrevet i »" in printed
    assert "slack-manifest.json«" in printed
    assert "From an app manifest" in printed
    assert "SLACK_BOT_TOKEN" in printed
    assert "SLACK_SIGNING_SECRET" in printed
    assert f"{PUBLIC_URL}/slack/events" in printed
