"""Imported participants found on Slack by e-mail (`bot.slack.directory`), against the fake Slack
Web API, and `python -m bot participants import | slack` with Slack on."""

from __future__ import annotations

import argparse
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ConversationReference

from bot import cli, participants_cli
from bot.app import SLACK_TURNS, Components, prepare_database
from bot.http_client import SharedSession
from bot.local_chat import build_local_components
from bot.settings import Settings
from bot.slack.adapter import SlackAdapter
from bot.slack.directory import SlackDirectory, SlackReach
from bot.slack.link import create_slack_link
from bot.wire import from_json
from tests.e2e.fake_slack import BOT_USER, FakeSlack
from tests.e2e.slack_requests import SECRET, TOKEN
from tests.e2e.test_http_app import serve, settings_for
from traef.broadcasts import Audience, AudienceKind, recipients
from traef.participants import ChannelIdentity, Participant
from traef.programme import Event
from traef.registration import recognise
from traef.roster_import import import_roster
from traef.services import current_event

ROSTER = Path(__file__).resolve().parents[1] / "data" / "roster_excel_da.csv"
SOREN = "soren.ostergaard@aarhus.dk"
METTE = "mette.kjaer@aarhus.dk"
SOREN_ID = ChannelIdentity("slack", "U0SOREN01")
ON_THE_LIST = [
    SOREN,
    "aase.baek@aarhus.dk",
    METTE,
    "jorgen.hoj@friplejehjem.dk",
    "birgitte.aagaard@aarhus.dk",
]


@dataclass
class World:
    components: Components
    event: Event
    adapter: SlackAdapter

    def directory(self, concurrency: int = 4) -> SlackDirectory:
        return SlackDirectory(self.adapter, self.components.uow_factory, concurrency)

    async def participant(self, email: str) -> Participant:
        assert self.event.id is not None
        uow = self.components.uow_factory()
        async with uow:
            found = await uow.participants.by_email(self.event.id, email)
        assert found is not None
        return found

    async def references(self) -> dict[ChannelIdentity, dict[str, Any]]:
        uow = self.components.uow_factory()
        async with uow:
            return dict(await uow.conversations.all())


def slack_settings(tmp_path: Path, slack: FakeSlack) -> Settings:
    return settings_for(
        tmp_path, slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=slack.url
    )


@pytest.fixture
async def world(tmp_path: Path, slack: FakeSlack) -> AsyncIterator[World]:
    """The five participants of the Excel list imported into the demo event; nobody on Slack
    until a test puts them there."""
    components = build_local_components(slack_settings(tmp_path, slack))
    session = SharedSession()
    try:
        await prepare_database(components)
        today = components.clock().astimezone(components.settings.zone).date()
        event = await current_event(components.uow_factory(), today)
        await import_roster(components.uow_factory(), event, ROSTER.read_bytes())
        adapter = create_slack_link(components.settings, session).adapter
        yield World(components, event, adapter)
    finally:
        await session.close()
        await components.engine.dispose()


def on_slack(slack: FakeSlack) -> None:
    slack.emails["U0SOREN01"] = "Soren.Ostergaard@aarhus.dk"
    slack.names["U0SOREN01"] = "Søren Østergaard"


def looked_up(slack: FakeSlack) -> list[str]:
    return [args["email"] for _, args in slack.called("users.lookupByEmail")]


async def test_a_participant_found_by_email_gets_a_reference_and_their_registration(
    world: World, slack: FakeSlack
) -> None:
    on_slack(slack)

    reach = await world.directory().reach_registrations(world.event)

    assert reach == SlackReach(searched=5, linked=1, not_on_slack=4, failed=0, already_linked=0)
    assert sorted(looked_up(slack)) == sorted(ON_THE_LIST)
    assert [args["users"] for _, args in slack.called("conversations.open")] == ["U0SOREN01"]
    assert await world.references() == {
        SOREN_ID: {
            "user": {"id": "U0SOREN01", "name": "Søren Østergaard", "role": "user"},
            "bot": {"id": BOT_USER, "role": "bot"},
            "conversation": {"id": "D0SOREN01", "conversationType": "personal", "isGroup": False},
            "channelId": "slack",
            "locale": "da-DK",
        }
    }
    soren = await world.participant(SOREN)
    assert soren.identities == frozenset({SOREN_ID})
    everyone = await recipients(
        world.components.uow_factory(), world.event, Audience(AudienceKind.EVERYONE)
    )
    assert [(r.identity, r.participant and r.participant.id) for r in everyone] == [
        (SOREN_ID, soren.id)
    ]


async def test_the_stored_reference_reaches_the_person_in_their_direct_messages(
    world: World, slack: FakeSlack
) -> None:
    on_slack(slack)
    await world.directory().reach_registrations(world.event)
    reference = (await world.references())[SOREN_ID]

    async def say_hello(context: TurnContext) -> None:
        await context.send_activity(Activity(type="message", text="Hej Søren"))

    await world.adapter.continue_conversation(
        from_json(ConversationReference, reference), say_hello
    )

    [(_, posted)] = slack.called("chat.postMessage")
    assert posted["channel"] == "D0SOREN01"
    assert "Hej Søren" in str(posted)


async def test_people_already_linked_are_not_looked_up_again(
    world: World, slack: FakeSlack
) -> None:
    on_slack(slack)
    await world.directory().reach_registrations(world.event)
    slack.calls.clear()

    again = await world.directory().reach_registrations(world.event)

    assert again == SlackReach(searched=4, linked=0, not_on_slack=4, failed=0, already_linked=1)
    assert SOREN not in looked_up(slack)
    assert len(looked_up(slack)) == 4
    assert not slack.called("conversations.open")


async def test_a_person_linked_in_the_chat_is_not_looked_up(world: World, slack: FakeSlack) -> None:
    assert world.event.id is not None
    on_slack(slack)
    await recognise(world.components.uow_factory(), world.event.id, SOREN_ID, SOREN)

    reach = await world.directory().reach_registrations(world.event)

    assert reach.already_linked == 1
    assert reach.searched == 4
    assert SOREN not in looked_up(slack)


async def test_a_person_the_bot_reaches_in_teams_is_not_looked_for_on_slack(
    world: World, slack: FakeSlack
) -> None:
    """Broadcasts reach a person through one account: Teams people need no Slack DM as well."""
    assert world.event.id is not None
    on_slack(slack)
    teams = ChannelIdentity("msteams", "29:1soren")
    await recognise(world.components.uow_factory(), world.event.id, teams, SOREN)

    reach = await world.directory().reach_registrations(world.event)

    assert (reach.already_linked, reach.searched, reach.linked) == (1, 4, 0)
    assert SOREN not in looked_up(slack)
    assert slack.called("conversations.open") == []
    assert (await world.participant(SOREN)).identities == {teams}


async def test_an_address_nobody_has_on_slack_is_counted_and_nothing_is_stored(
    world: World, slack: FakeSlack
) -> None:
    reach = await world.directory().reach_registrations(world.event)

    assert reach == SlackReach(searched=5, linked=0, not_on_slack=5, failed=0, already_linked=0)
    assert await world.references() == {}
    assert not slack.called("conversations.open")
    assert (await world.participant(SOREN)).identities == frozenset()


async def test_a_failing_conversations_open_stores_nothing_and_is_tried_again(
    world: World, slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    on_slack(slack)
    slack.fail_next("conversations.open", "internal_error")

    with caplog.at_level(logging.WARNING, logger="traefbot.slack"):
        reach = await world.directory().reach_registrations(world.event)

    assert reach == SlackReach(searched=5, linked=0, not_on_slack=4, failed=1, already_linked=0)
    assert await world.references() == {}
    assert (await world.participant(SOREN)).identities == frozenset()
    assert "internal_error" in caplog.text
    assert TOKEN not in caplog.text and SOREN not in caplog.text

    again = await world.directory().reach_registrations(world.event)

    assert again.linked == 1
    assert SOREN_ID in await world.references()


async def test_an_existing_reference_is_kept_and_the_registration_linked(
    world: World, slack: FakeSlack
) -> None:
    on_slack(slack)
    written = {
        "user": {"id": "U0SOREN01", "name": "Søren", "role": "user"},
        "bot": {"id": BOT_USER, "role": "bot"},
        "conversation": {"id": "D0WROTE001", "conversationType": "personal", "isGroup": False},
        "channelId": "slack",
        "locale": "en-GB",
    }
    uow = world.components.uow_factory()
    async with uow:
        await uow.conversations.save(SOREN_ID, written)
        await uow.commit()

    reach = await world.directory().reach_registrations(world.event)

    assert reach.linked == 1
    assert not slack.called("conversations.open")
    assert await world.references() == {SOREN_ID: written}
    assert (await world.participant(SOREN)).identities == frozenset({SOREN_ID})


async def test_a_missing_scope_stops_the_pass_naming_the_scope(
    world: World, slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    on_slack(slack)
    slack.fail_next("users.lookupByEmail", "missing_scope")

    with caplog.at_level(logging.WARNING, logger="traefbot.slack"):
        reach = await world.directory(concurrency=1).reach_registrations(world.event)

    assert reach == SlackReach(
        searched=5,
        linked=0,
        not_on_slack=0,
        failed=5,
        already_linked=0,
        stopped="missing_scope",
        scope="users:read.email",
    )
    assert len(looked_up(slack)) == 1
    assert await world.references() == {}
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "users:read.email" in record.getMessage()


async def test_deactivated_accounts_and_bots_are_not_on_slack(
    world: World, slack: FakeSlack
) -> None:
    class Members:
        """users.lookupByEmail answering a deactivated account for Søren and a bot for Mette."""

        async def users_lookupByEmail(self, email: str) -> dict[str, Any]:
            if email == SOREN:
                return {"ok": True, "user": {"id": "U0SOREN01", "deleted": True}}
            if email == METTE:
                return {"ok": True, "user": {"id": "U0METTE01", "is_bot": True}}
            return {"ok": True, "user": {"id": "U0" + email.split(".")[0].upper()}}

        async def conversations_open(self, users: str) -> dict[str, Any]:
            return {"ok": True, "channel": {"id": "D" + users[1:]}}

    adapter = SlackAdapter(Members())  # type: ignore[arg-type]
    adapter.learn_bot_user(BOT_USER)
    directory = SlackDirectory(adapter, world.components.uow_factory)

    reach = await directory.reach_registrations(world.event)

    assert (reach.linked, reach.not_on_slack) == (3, 2)
    assert ChannelIdentity("slack", "U0SOREN01") not in await world.references()
    assert ChannelIdentity("slack", "U0METTE01") not in await world.references()


def parsed(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    participants_cli.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["participants", *argv])


async def test_the_import_finds_the_participants_on_slack(
    tmp_path: Path, slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    on_slack(slack)
    slack.emails["U0METTE01"] = METTE

    code = await participants_cli.run(
        parsed("import", str(ROSTER)), slack_settings(tmp_path, slack)
    )

    out = capsys.readouterr().out
    assert code == 0
    assert "Importeret: 5 nye, 0 opdaterede, 0 uændrede." in out
    assert (
        "Slack: 2 af 5 fundet via e-mail – de kan nu få beskeder fra Træfbot. "
        "3 findes ikke på Slack." in out.splitlines()
    )


async def test_the_import_is_kept_when_slack_refuses(
    tmp_path: Path, slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = slack_settings(tmp_path, slack)
    slack.fail_next("auth.test", "invalid_auth")

    code = await participants_cli.run(parsed("import", str(ROSTER)), settings)

    out = capsys.readouterr().out
    assert code == 0
    assert "Importeret: 5 nye" in out
    assert "Slack afviste Træfbot (invalid_auth): tjek SLACK_BOT_TOKEN." in out
    assert not slack.called("users.lookupByEmail")
    assert await participants_cli.run(parsed("export", str(tmp_path / "ud.csv")), settings) == 0
    assert len((tmp_path / "ud.csv").read_text("utf-8-sig").splitlines()) == 6


async def test_the_import_is_kept_when_finding_people_on_slack_breaks(
    tmp_path: Path,
    slack: FakeSlack,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(self: SlackDirectory, event: Event) -> SlackReach:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(SlackDirectory, "reach_registrations", broken)

    code = await participants_cli.run(
        parsed("import", str(ROSTER)), slack_settings(tmp_path, slack)
    )

    out = capsys.readouterr().out
    assert code == 0
    assert "Importeret: 5 nye" in out
    assert "Slack: deltagerne kunne ikke findes på Slack lige nu. Importen er gemt." in out


async def test_participants_slack_runs_the_pass_alone(
    tmp_path: Path, slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = slack_settings(tmp_path, slack)
    without_slack = settings_for(tmp_path)
    assert await participants_cli.run(parsed("import", str(ROSTER)), without_slack) == 0
    assert not slack.calls
    on_slack(slack)

    code = await participants_cli.run(parsed("slack"), settings)

    out = capsys.readouterr().out
    assert code == 0
    assert "Slack: 1 af 5 fundet via e-mail – personen kan nu få beskeder fra Træfbot." in out

    again = await participants_cli.run(parsed("slack"), settings)
    assert again == 0
    assert "1 kunne allerede nås på Slack eller i Teams." in capsys.readouterr().out


async def test_participants_slack_without_the_scope_is_refused(
    tmp_path: Path, slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await participants_cli.run(parsed("import", str(ROSTER)), settings_for(tmp_path)) == 0
    slack.fail_next("users.lookupByEmail", "missing_scope")

    code = await participants_cli.run(parsed("slack"), slack_settings(tmp_path, slack))

    assert code == 1
    assert "mangler tilladelsen users:read.email" in capsys.readouterr().err


def test_participants_slack_without_slack_is_refused_in_danish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")

    code = cli.main(["participants", "slack"])

    assert code == 2
    assert capsys.readouterr().err.strip() == (
        "Slack er ikke sat op: sæt SLACK_BOT_TOKEN og SLACK_SIGNING_SECRET, "
        "og kør så kommandoen igen."
    )
    assert not (tmp_path / "bot.db").exists()


async def test_the_app_looks_imported_participants_up_on_slack_when_it_starts(
    world: World, slack: FakeSlack, tmp_path: Path
) -> None:
    """Slack set up after the import: the served app finds them on Slack in the background."""
    on_slack(slack)
    client = await serve(slack_settings(tmp_path, slack))
    try:
        await slack.wait_for(1, "conversations.open")
        app = client.app
        assert app is not None
        await app[SLACK_TURNS].wait()
    finally:
        await client.close()
    assert sorted(looked_up(slack)) == sorted(ON_THE_LIST)
    assert list(await world.references()) == [SOREN_ID]
    assert (await world.participant(SOREN)).identities == {SOREN_ID}
