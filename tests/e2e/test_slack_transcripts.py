"""Transcripts of Træfbot in Slack (issue 10): signing up, the programme, one's group and rating
a session, each a conversation through the real endpoints, with Slack's own payloads, answered
through the fake Web API. A reply is read as Slack shows it: its blocks as lines, or its text."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
from aiohttp.test_utils import TestClient

from bot.local_chat import build_local_components
from tests.e2e.fake_slack import BOT_USER, FakeSlack
from tests.e2e.slack_requests import (
    CHANNEL,
    FORM,
    IM,
    PERSON,
    direct_message,
    event_body,
    interaction_body,
    mention,
    post,
    turns_done,
)
from tests.e2e.test_http_app import NOW, settings_for
from traef.feedback import rating_key, results
from traef.group_plans import Group, GroupPlan, PlanKind
from traef.group_service import publish_plan
from traef.participants import ChannelIdentity, Participant, ParticipantType
from traef.ports import UnitOfWork
from traef.programme import Event
from traef.registration import SignUp, registration_of, sign_up
from traef.services import current_event

Json = dict[str, Any]
Units = Callable[[], UnitOfWork]
SHOWN = ("chat.postMessage", "chat.update")


def shown(arguments: Json) -> str:
    """What Slack shows of a message: its blocks as lines of text, or else its text."""
    blocks = arguments.get("blocks") or []
    if not blocks:
        return str(arguments.get("text", ""))
    return "\n".join(line for block in blocks for line in _lines(block))


def _lines(block: Json) -> Iterator[str]:
    if "text" in block:
        yield block["text"]["text"]
    yield from (field["text"] for field in block.get("fields", []))
    if block["type"] == "context":
        yield from (element["text"] for element in block["elements"])
    if block["type"] == "actions":
        yield " ".join(f"[{element['text']['text']}]" for element in block["elements"])
    if block["type"] == "input":
        yield f"{block['label']['text']}: ____"


@dataclass(frozen=True)
class Reply:
    method: str  # chat.postMessage or chat.update
    arguments: Json

    @property
    def text(self) -> str:
        return shown(self.arguments)


@dataclass
class SlackChat:
    """Lotte (PERSON) writing to the bot in Slack, one message or button press at a time."""

    bot: TestClient[Any, Any]
    slack: FakeSlack
    replies: list[Reply] = field(default_factory=list)  # the bot's answer to the last turn
    ts: str = ""  # of the last message Lotte wrote
    _sent: int = 0

    async def say(self, text: str) -> list[str]:
        """A direct message; what the bot posted back."""
        event = direct_message(text, ts=self._next_ts())
        return await self._send("/slack/events", event_body(event, f"Ev0TALK{self._sent:03d}"))

    async def mention(self, text: str, **where: str) -> list[str]:
        """`@Træfbot text` in the leaders' channel."""
        event = {**mention(f"<@{BOT_USER}> {text}", ts=self._next_ts()), **where}
        return await self._send("/slack/events", event_body(event, f"Ev0TALK{self._sent:03d}"))

    async def press(self, label: str, **inputs: str) -> list[str]:
        """The newest button with that label, with the message's text fields filled in."""
        button, ts, message = self._button(label)
        pressed = {key: button[key] for key in ("action_id", "type", "text", "value")}
        body = with_inputs(interaction_body(pressed, ts), inputs)
        payload = json.loads(parse_qs(body.decode())["payload"][0])
        payload["message"].update(text=message.get("text", ""), blocks=message.get("blocks", []))
        return await self._send(
            "/slack/interactions", urlencode({"payload": json.dumps(payload)}).encode()
        )

    def _next_ts(self) -> str:
        self._sent += 1
        self.ts = f"1763801{self._sent:03d}.000100"
        return self.ts

    async def _send(self, path: str, body: bytes) -> list[str]:
        """What the bot posted (and updated) in answer, once the turn is done."""
        before = len(self.slack.calls)
        kind = "application/json" if path == "/slack/events" else FORM
        assert (await post(self.bot, path, body, kind)).status == 200
        await turns_done(self.bot)
        self.replies = [Reply(m, args) for m, args in self.slack.calls[before:] if m in SHOWN]
        return [reply.text for reply in self.replies if reply.method == "chat.postMessage"]

    def _button(self, label: str) -> tuple[Json, str, Json]:
        posted = [args for _, args in self.slack.called("chat.postMessage")]
        for arguments, ts in reversed(list(zip(posted, self.slack.posted_ts, strict=True))):
            for block in arguments.get("blocks") or []:
                for element in block.get("elements", []):
                    if element.get("type") == "button" and element["text"]["text"] == label:
                        return element, ts, arguments
        raise AssertionError(f"No button »{label}« was posted")


def with_inputs(body: bytes, inputs: dict[str, str]) -> bytes:
    """The block_actions body with the message's plain-text inputs as Slack sends their state."""
    payload = json.loads(parse_qs(body.decode())["payload"][0])
    payload["state"] = {
        "values": {
            input_id: {input_id: {"type": "plain_text_input", "value": value}}
            for input_id, value in inputs.items()
        }
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


@pytest.fixture
async def lotte(slack_bot: TestClient[Any, Any], slack: FakeSlack) -> SlackChat:
    slack.names[PERSON] = "Lotte Henriksen"
    await slack_bot.get("/healthz")  # started: migrated, demo event loaded
    return SlackChat(slack_bot, slack)


@pytest.fixture
async def uow_factory(tmp_path: Path, lotte: SlackChat) -> AsyncIterator[Units]:
    """Units of work on the database the served app uses (started and migrated by `lotte`)."""
    components = build_local_components(settings_for(tmp_path))
    yield components.uow_factory
    await components.engine.dispose()


async def the_event(uow: UnitOfWork) -> Event:
    return await current_event(uow, NOW.date())


async def signed_up(uow_factory: Units, name: str, user: str, department: str) -> Participant:
    """Someone signed up directly in the database, as Slack user `user`."""
    details = SignUp(name, None, department, "", "Leder", ParticipantType.LEADER, None, False)
    event = await the_event(uow_factory())
    return await sign_up(uow_factory(), event, ChannelIdentity("slack", user), details)


async def test_signing_up_in_direct_messages(lotte: SlackChat, uow_factory: Units) -> None:
    assert await lotte.say("tilmeld") == [
        "Lad os få dig tilmeldt *Fælles om ledelse*. Det tager et minut, og du kan skrive "
        "*annullér* når som helst – så gemmer jeg ingenting.",
        "Hvad er dit fulde navn? Tryk på knappen, hvis det er rigtigt – ellers skriv det.\n"
        "[Lotte Henriksen]",
    ]
    assert await lotte.say("Lotte Henriksen") == ["Hvad er din e-mailadresse?"]
    assert await lotte.say("lotte@") == [
        "Det ligner ikke en e-mailadresse. Skriv den fx sådan: lotte.henriksen@aarhus.dk"
    ]
    [department] = await lotte.say("Lotte.Henriksen@Aarhus.dk")
    assert department.startswith("Hvilken magistratsafdeling hører du til?\n\n   1. MSO\n")
    assert await lotte.say("mso") == [
        "Hvilket område eller hvilken enhed er du leder i? (fx Hjemmeplejen Nord)"
    ]
    [level] = await lotte.say("Hjemmeplejen Nord")
    assert level.startswith("Hvad er dit ledelsesniveau?") and "3. Leder" in level
    [kind] = await lotte.say("3")
    assert kind.startswith("Hvordan deltager du?") and "1. Leder i kommunen" in kind
    [phone] = await lotte.say("1")
    assert phone.startswith("Hvilket mobilnummer kan din makker")
    [consent] = await lotte.say("12 34 56 78")
    assert consent.startswith("Må jeg give dit nummer til de kolleger")
    [summary] = await lotte.say("ja")
    assert summary.splitlines()[:7] == [
        "Er det hele rigtigt?",
        "*Navn*",
        "Lotte Henriksen",
        "*E-mail*",
        "lotte.henriksen@aarhus.dk",  # typed with capitals, kept in lower case
        "*Afdeling*",
        "MSO",
    ]
    assert summary.endswith("[Bekræft] [Annullér]")
    summary_ts = lotte.slack.posted_ts[-1]
    assert await lotte_in_db(uow_factory) is None  # nothing is saved before confirming

    assert await lotte.press("Bekræft") == [
        "Tak, Lotte! Du er nu tilmeldt *Fælles om ledelse*. "
        "Skriv *min tilmelding* for at se dine oplysninger."
    ]
    [update] = [reply for reply in lotte.replies if reply.method == "chat.update"]
    assert (update.arguments["channel"], update.arguments["ts"]) == (IM, summary_ts)
    card = update.text.splitlines()
    assert (card[0], card[-1]) == ("*Dine oplysninger*", "✔ Bekræftet.")
    assert "Hjemmeplejen Nord" in card and "[Bekræft] [Annullér]" not in card

    lotte_row = await lotte_in_db(uow_factory)
    assert lotte_row is not None
    assert (lotte_row.name, lotte_row.email) == ("Lotte Henriksen", "lotte.henriksen@aarhus.dk")
    assert (lotte_row.department, lotte_row.area, lotte_row.level) == (
        "MSO",
        "Hjemmeplejen Nord",
        "Leder",
    )
    assert (lotte_row.phone, lotte_row.phone_consent) == ("+4512345678", True)
    assert lotte_row.identities == {ChannelIdentity("slack", PERSON)}


async def lotte_in_db(uow_factory: Units) -> Participant | None:
    event = await the_event(uow_factory())
    assert event.id is not None
    return await registration_of(uow_factory(), event.id, ChannelIdentity("slack", PERSON))


async def test_the_name_question_offers_the_slack_name_as_a_button(lotte: SlackChat) -> None:
    await lotte.say("tilmeld")
    assert lotte.replies[-1].text.endswith("[Lotte Henriksen]")

    assert await lotte.press("Lotte Henriksen") == ["Hvad er din e-mailadresse?"]
    [used] = [reply for reply in lotte.replies if reply.method == "chat.update"]
    assert used.arguments["ts"] == lotte.slack.posted_ts[-2]  # the question's buttons taken off
    assert used.text.splitlines() == [
        "Hvad er dit fulde navn? Tryk på knappen, hvis det er rigtigt – ellers skriv det.",
        "» Lotte Henriksen",
    ]


async def test_the_programme_in_direct_messages_is_todays_from_the_database(
    lotte: SlackChat, uow_factory: Units
) -> None:
    event = await the_event(uow_factory())
    assert event.id is not None
    items = tuple(
        replace(item, title="Fortællinger fra Sundhed og Omsorg")
        if item.title == "Fortællinger i plenum"
        else item
        for item in event.items
    )
    uow = uow_factory()
    async with uow:
        await uow.events.save_programme(event.id, items)
        await uow.commit()
    today = [item.title for item in replace(event, items=items).items_on(NOW.date())]

    [programme] = await lotte.say("program")

    lines = programme.splitlines()
    assert lines[0] == "Dagens program"
    assert lines[1] == "Fælles om ledelse · søndag den 22. november 2026"
    places = [programme.find(title) for title in today]
    assert -1 not in places and places == sorted(places)  # every item today, in order
    assert "Fortællinger fra Sundhed og Omsorg" in programme
    assert "Fortællinger i plenum" not in programme
    assert lotte.replies[0].arguments["channel"] == IM


async def test_the_programme_asked_for_in_a_thread_is_answered_in_that_thread(
    lotte: SlackChat,
) -> None:
    [programme] = await lotte.mention("program", thread_ts="1763800000.000100")

    assert programme.startswith("Dagens program")
    posted = lotte.replies[0].arguments
    assert (posted["channel"], posted["thread_ts"]) == (CHANNEL, "1763800000.000100")


async def test_the_programme_asked_for_in_the_channel_is_answered_in_the_channel(
    lotte: SlackChat,
) -> None:
    [programme] = await lotte.mention("program")

    assert programme.startswith("Dagens program")
    posted = lotte.replies[0].arguments
    assert (posted["channel"], posted.get("thread_ts")) == (CHANNEL, None)


def ids(*people: Participant) -> tuple[int, ...]:
    assert all(person.id is not None for person in people)
    return tuple(person.id or 0 for person in people)


async def test_my_group_is_not_told_before_it_is_published_then_names_the_others(
    lotte: SlackChat, uow_factory: Units
) -> None:
    me = await signed_up(uow_factory, "Lotte Henriksen", PERSON, "MSO")
    jakob = await signed_up(uow_factory, "Jakob Ljungberg", "U0JAKOB01", "MBU")
    helle = await signed_up(uow_factory, "Helle Bach Lauridsen", "U0HELLE01", "BA")
    niels = await signed_up(uow_factory, "Niels Rask", "U0NIELS01", "MSB")
    event = await the_event(uow_factory())
    [item] = [i for i in event.items if i.title.startswith("Lederne udkommer")]
    groups = (Group(1, ids(niels, jakob)), Group(2, ids(helle, me)))
    assert event.id is not None
    draft = GroupPlan(event.id, PlanKind.BREAKOUT, groups, NOW, item_id=item.id)
    uow = uow_factory()
    async with uow:
        draft = await uow.plans.add(draft)
        await uow.commit()

    assert await lotte.say("min gruppe") == [
        "Du er ikke sat i en gruppe endnu. Du får besked, så snart tovholderne har dannet "
        "grupperne."
    ]

    await publish_plan(uow_factory(), draft, NOW)
    [group] = await lotte.say("min gruppe")

    assert group.splitlines()[:2] == [
        "*Din gruppe til »Lederne udkommer med deres personlige ledelsesgrundlag«: gruppe 2*",
        "• Helle Bach Lauridsen, BA",
    ]
    assert "Jakob Ljungberg" not in group and "Niels Rask" not in group
    assert "Det skal I drøfte:" in group


async def test_rating_the_session_on_now_stores_it_and_thanks_on_the_card(
    lotte: SlackChat, uow_factory: Units
) -> None:
    await signed_up(uow_factory, "Lotte Henriksen", PERSON, "MSO")

    [card] = await lotte.say("giv feedback")

    assert card.splitlines()[0] == "Hvordan var »Fortællinger i plenum«?"
    assert "Kommentar (frivillig): ____" in card
    assert card.endswith("[1 ★] [2 ★] [3 ★] [4 ★] [5 ★]")
    card_ts = lotte.slack.posted_ts[-1]

    assert await lotte.press("4 ★", comment="Godt med ledernes egne fortællinger") == []
    [update] = lotte.replies
    assert (update.method, update.arguments["channel"], update.arguments["ts"]) == (
        "chat.update",
        IM,
        card_ts,
    )
    assert update.text.splitlines() == [
        "*Hvordan var »Fortællinger i plenum«?*",
        "Din kommentar: Godt med ledernes egne fortællinger",
        "Tak – du gav 4 ud af 5.",
    ]  # no buttons left to press

    event = await the_event(uow_factory())
    [item] = [i for i in event.items if i.title == "Fortællinger i plenum"]
    form_id = await rating_form(uow_factory(), event, item.id)
    [result] = await results(uow_factory(), form_id, min_group=1)
    assert (result.count, result.average) == (1, 4.0)
    assert result.texts == ("Godt med ledernes egne fortællinger",)


async def rating_form(uow: UnitOfWork, event: Event, item_id: int | None) -> int:
    assert item_id is not None
    async with uow:
        forms = await uow.feedback.forms_of(event.id or 0)
    [form_id] = [form.id for form in forms if form.key == rating_key(item_id)]
    assert form_id is not None
    return form_id
