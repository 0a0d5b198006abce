"""Every card as Block Kit within Slack's limits, and Slack's button presses back as card values."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from botbuilder.core import MessageFactory
from botbuilder.schema import ActionTypes, CardAction, SuggestedActions
from slack_sdk.models.blocks import Block

from bot.slack.blocks import (
    input_values,
    message_payload,
    mrkdwn,
    said_text,
    submitted_value,
)
from dialogs.card_text import card_buttons
from dialogs.cards import Json, adaptive_card, button, card_activity, text_block
from tests.dialogs.test_cards_valid import actions_of, cases, every_card, texts_in


def blocks_of(card: Json) -> list[Json]:
    blocks: list[Json] = message_payload(card_activity(card))["blocks"]
    return blocks


def buttons_in(blocks: list[Json]) -> list[Json]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def pressed(slack_button: Json) -> Json:
    """The block_actions action Slack sends when the button is pressed."""
    return {
        "type": "button",
        "action_id": slack_button["action_id"],
        "block_id": "b",
        "text": slack_button["text"],
        "value": slack_button.get("value"),
        "action_ts": "1763800000.000100",
    }


def texts_of(block: Json) -> Iterator[str]:
    if "text" in block:
        yield block["text"]["text"]
    for field in block.get("fields", []):
        yield field["text"]
    for element in block.get("elements", []):
        if "text" in element and isinstance(element["text"], str):
            yield element["text"]


def assert_within_slack_limits(blocks: list[Json]) -> None:
    assert 0 < len(blocks) <= 50
    for block in blocks:
        Block.parse(block).validate_json()  # type: ignore[union-attr]  # raises on a broken rule
        assert Block.parse(block).to_dict() == block  # type: ignore[union-attr]  # nothing unknown
        if block["type"] == "section":
            assert "text" in block or "fields" in block
            assert len(block.get("text", {}).get("text", "")) <= 3000
            assert len(block.get("fields", [])) <= 10
            assert all(len(field["text"]) <= 2000 for field in block.get("fields", []))
        elif block["type"] == "header":
            assert block["text"]["type"] == "plain_text"
            assert 0 < len(block["text"]["text"]) <= 150
        elif block["type"] == "context":
            assert 0 < len(block["elements"]) <= 10
            assert all(len(element["text"]) <= 3000 for element in block["elements"])
        elif block["type"] == "actions":
            assert 0 < len(block["elements"]) <= 25
        else:
            assert block["type"] == "input", block
    buttons = buttons_in(blocks)
    ids = [b["action_id"] for b in buttons]
    assert len(ids) == len(set(ids)) and all(0 < len(i) <= 255 for i in ids)
    for slack_button in buttons:
        assert 0 < len(slack_button["text"]["text"]) <= 75
        assert len(slack_button.get("value", "")) <= 2000
        assert "url" in slack_button or "value" in slack_button


@pytest.mark.parametrize(("language", "name"), cases())
def test_every_card_renders_within_slack_limits(language: str, name: str) -> None:
    card = dict(every_card(texts_in(language)))[name]
    payload = message_payload(card_activity(card))

    assert_within_slack_limits(payload["blocks"])
    assert payload["text"] == mrkdwn(card["fallbackText"])


@pytest.mark.parametrize(("language", "name"), cases())
def test_every_slack_button_sends_what_the_teams_button_would(language: str, name: str) -> None:
    card = dict(every_card(texts_in(language)))[name]
    buttons = buttons_in(blocks_of(card))

    sent = [(b["text"]["text"], submitted_value(pressed(b))) for b in buttons if "value" in b]
    links = [(b["text"]["text"], b["url"]) for b in buttons if "url" in b]
    assert sent == card_buttons(card)
    opened = [(a["title"], a["url"]) for a in actions_of(card) if a["type"] == "Action.OpenUrl"]
    assert links == opened


def test_a_long_text_is_split_at_line_breaks_and_nothing_is_lost() -> None:
    lines = [f"Linje {n}: " + "ø" * 90 for n in range(100)]
    card = adaptive_card([text_block("\n".join(lines))], [], "lang")

    sections = blocks_of(card)

    assert len(sections) == 4
    assert_within_slack_limits(sections)
    assert "\n".join(s["text"]["text"] for s in sections) == "\n".join(lines)


def test_too_many_blocks_are_packed_then_cut_keeping_the_buttons() -> None:
    body = [text_block(f"{n} " + "x" * 1400) for n in range(120)]
    actions = [button(f"Knap {n}", {"action": "rate", "score": n}) for n in range(30)]
    blocks = blocks_of(adaptive_card(body, actions, "mange"))

    assert_within_slack_limits(blocks)
    assert len(blocks) == 50
    assert [b["type"] for b in blocks[-3:]] == ["context", "actions", "actions"]
    assert blocks[-3]["elements"][0]["text"] == "…"
    assert [len(b["elements"]) for b in blocks[-2:]] == [25, 5]
    assert blocks[0]["text"]["text"].count("\n") == 1  # two texts to a section


def test_a_few_texts_keep_a_section_each_unless_they_continue_the_one_before() -> None:
    body = [
        text_block("Første"),
        text_block("- fortsat", spacing="None"),
        text_block("Anden", weight="Bolder"),
    ]
    blocks = blocks_of(adaptive_card(body, [], "tekst"))

    assert [b["text"]["text"] for b in blocks] == ["Første\n• fortsat", "*Anden*"]


def test_titles_become_headers_when_they_fit_and_bold_sections_when_not() -> None:
    body = [
        text_block("**Dagens program**", size="Large", weight="Bolder"),
        text_block("Ø" * 151, size="Medium", weight="Bolder"),
        text_block("Lille note", isSubtle=True),
    ]
    blocks = blocks_of(adaptive_card(body, [], "tekst"))

    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Dagens program", "emoji": True},
    }
    assert blocks[1] == {"type": "section", "text": {"type": "mrkdwn", "text": f"*{'Ø' * 151}*"}}
    assert blocks[2] == {"type": "context", "elements": [{"type": "mrkdwn", "text": "Lille note"}]}


def test_facts_become_fields_ten_to_a_section() -> None:
    facts = [{"title": f"Felt {n}", "value": "a < b & c"} for n in range(12)]
    blocks = blocks_of(adaptive_card([{"type": "FactSet", "facts": facts}], [], "fakta"))

    assert_within_slack_limits(blocks)
    assert [len(b["fields"]) for b in blocks] == [10, 2]
    assert blocks[1]["fields"][1]["text"] == "*Felt 11*\na &lt; b &amp; c"


def test_button_styles_and_long_titles() -> None:
    actions = [
        button("Bekræft", {"action": "confirm"}, style="positive"),
        button("Slet", {"action": "erase"}, style="destructive"),
        button("T" * 100, {"action": "cancel"}),
    ]
    buttons = buttons_in(blocks_of(adaptive_card([], actions, "knapper")))

    assert [b.get("style") for b in buttons] == ["primary", "danger", None]
    assert buttons[2]["text"]["text"] == "T" * 74 + "…"
    assert submitted_value(pressed(buttons[2])) == {"action": "cancel"}


def test_a_text_input_becomes_an_input_block_read_back_by_its_id() -> None:
    card = dict(every_card(texts_in("da")))["post-it"]
    [field] = [b for b in blocks_of(card) if b["type"] == "input"]

    assert field["block_id"] == field["element"]["action_id"] == "postit"
    assert field["element"]["multiline"] is True
    assert field["element"]["max_length"] == 2000
    assert field["optional"] is True
    state = {
        "values": {
            "postit": {"postit": {"type": "plain_text_input", "value": "Mere kaffe"}},
            "comment": {"comment": {"type": "plain_text_input", "value": None}},
            "foreign": {"other": {"type": "plain_text_input", "value": "x"}},
        }
    }
    assert input_values(state) == {"postit": "Mere kaffe", "comment": ""}


@pytest.mark.parametrize("state", [None, [], {}, {"values": []}, {"values": {"a": "b"}}])
def test_odd_states_have_no_inputs(state: Any) -> None:
    assert input_values(state) == {}


@pytest.mark.parametrize(
    ("markdown", "slack"),
    [
        ("**fed** og _kursiv_", "*fed* og _kursiv_"),
        ("- et\n- to\nikke - her", "• et\n• to\nikke - her"),
        ("Se [programmet](https://x.dk/p?a=1&b=2)", "Se <https://x.dk/p?a=1&amp;b=2|programmet>"),
        ("a < b > c & d", "a &lt; b &gt; c &amp; d"),
        ("<https://evil|klik> & [ok](u)", "&lt;https://evil|klik&gt; &amp; <u|ok>"),
        ("**[fed link](https://x.dk)**", "*<https://x.dk|fed link>*"),
        ("[a](u)\ufffc[b](v)", "<u|a><v|b>"),
        ("", ""),
    ],
)
def test_markdown_becomes_escaped_mrkdwn(markdown: str, slack: str) -> None:
    assert mrkdwn(markdown) == slack


def test_a_plain_text_activity_is_text_only() -> None:
    activity = MessageFactory.text("**Hej** <du> & - ven")

    assert message_payload(activity) == {"text": "*Hej* &lt;du&gt; &amp; - ven"}


@pytest.mark.parametrize(
    "action",
    [
        {},
        {"type": "button"},
        {"type": "button", "value": None},
        {"type": "button", "value": "not json"},
        {"type": "button", "value": "[1, 2]"},
        {"type": "button", "value": '{"foo": 1}'},
        {"type": "button", "value": '{"action": 3}'},
        {"type": "button", "value": "[" * 100_000},
        {"type": "button", "url": "https://x.dk", "action_id": "traef.0"},
        {"type": "static_select"},
        {"type": "static_select", "selected_option": "x"},
        {"type": "static_select", "selected_option": {"value": "{"}},
        {"type": "overflow", "selected_option": {"value": '{"action": "now"}'}},
        {"type": "datepicker", "value": '{"action": "now"}'},
    ],
)
def test_what_is_not_ours_is_none(action: dict[str, Any]) -> None:
    assert submitted_value(action) is None


def test_a_non_dict_action_is_none() -> None:
    assert submitted_value("button") is None  # type: ignore[arg-type]


def test_a_select_sends_its_option_value() -> None:
    option = {"text": {"type": "plain_text", "text": "4"}, "value": json.dumps({"action": "x"})}
    action = {"type": "static_select", "selected_option": option}

    assert submitted_value(action) == {"action": "x"}


def test_suggested_replies_are_buttons_that_say_their_text() -> None:
    """A confirmation's Ja/Nej (or the name offered at sign-up) as Slack buttons; pressing one
    says its text, as tapping a suggested action does in Teams."""
    activity = MessageFactory.suggested_actions(["Ja", "Nej"], "Vil du **aflyse** din tilmelding?")

    payload = message_payload(activity)

    assert payload["text"] == "Vil du *aflyse* din tilmelding?"
    assert_within_slack_limits(payload["blocks"])
    assert payload["blocks"][0]["text"]["text"] == "Vil du *aflyse* din tilmelding?"
    buttons = buttons_in(payload["blocks"])
    assert [b["text"]["text"] for b in buttons] == ["Ja", "Nej"]
    assert [said_text(pressed(b)) for b in buttons] == ["Ja", "Nej"]
    assert [submitted_value(pressed(b)) for b in buttons] == [None, None]


def test_a_card_button_says_nothing_and_a_reply_button_submits_nothing() -> None:
    card = adaptive_card([text_block("Bedøm")], [button("4 ★", {"action": "rate"})], "rate")
    activity = card_activity(card)
    skip = CardAction(type=ActionTypes.im_back, title="Spring over", value="spring over")
    activity.suggested_actions = SuggestedActions(actions=[skip])

    buttons = buttons_in(message_payload(activity)["blocks"])

    assert [b["text"]["text"] for b in buttons] == ["4 ★", "Spring over"]
    assert said_text(pressed(buttons[0])) is None
    assert submitted_value(pressed(buttons[0])) == {"action": "rate"}
    assert said_text(pressed(buttons[1])) == "spring over"
    assert len({b["action_id"] for b in buttons}) == 2
