"""Our activities as Slack messages (Block Kit), and Slack's button presses as card values.

An Adaptive Card becomes blocks within Slack's limits: a Large or Medium bold title a header, a
subtle line a context, other text (rows of columns and containers flattened) packed into sections
of at most 3,000 characters, a fact set sections of at most 10 fields, a text input an input block,
and each Action.Execute / Action.Submit a button whose value is the data it would have sent, so
`submitted_value` gives the dialogs exactly what the Teams button would. Our Markdown (`**bold**`,
"- " bullets, `[text](url)`) becomes Slack mrkdwn, with `&`, `<` and `>` escaped.

Suggested replies (the Ja/Nej of a confirmation, the name Slack knows offered at sign-up) become
buttons too, with action ids starting "traef.say."; pressing one says its text (`said_text`), as
tapping a suggested action in Teams does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from botbuilder.schema import Activity

Json = dict[str, Any]
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
ACTION_ID_PREFIX = "traef."  # every button's action_id starts with it: "traef.<n>"
SAY_PREFIX = "traef.say."  # a suggested reply's button: "traef.say.<n>"
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_ACTION_ELEMENTS = 25
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_LABEL_TEXT = 2000
MAX_PLACEHOLDER_TEXT = 150
MAX_INPUT_LENGTH = 3000
MORE = "…"
_STYLES = {"positive": "primary", "destructive": "danger"}
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK_MARK = "\ufffc"  # stands in for a link while the text around it is converted


def message_payload(activity: Activity) -> dict[str, Any]:
    """The `chat.postMessage` / `chat.update` arguments for the activity: {"text": fallback
    text (mrkdwn), "blocks": [...]} ("blocks" left out when the activity is plain text)."""
    card = _adaptive_card(activity)
    replies = _reply_buttons(activity)
    if card is None and not replies:
        return {"text": mrkdwn(activity.text or activity.summary or "")}
    lead = _text_blocks(mrkdwn(activity.text)) if activity.text else []
    body = _body_blocks(lead, card.get("body", [])) if card is not None else lead
    buttons = _buttons(card.get("actions", [])) if card is not None else []
    blocks = _within_limit(body, _actions_blocks(buttons + replies))
    _number_actions(blocks)
    fallback = activity.text or activity.summary or ""
    if card is not None:
        fallback = card.get("fallbackText") or fallback
    payload: dict[str, Any] = {"text": mrkdwn(str(fallback))}
    if blocks:
        payload["blocks"] = blocks
    return payload


def submitted_value(action: dict[str, Any]) -> Any:
    """The card value a Block Kit action (a button, or a static_select's chosen option) stands
    for: the same dict an Adaptive Card Action.Submit would have sent; None when it is not one
    of ours."""
    if not isinstance(action, dict):
        return None
    raw: object = None
    if action.get("type") == "button":
        raw = action.get("value")
    elif action.get("type") == "static_select":
        option = action.get("selected_option")
        raw = option.get("value") if isinstance(option, dict) else None
    if not isinstance(raw, str):
        return None
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if isinstance(value, dict) and isinstance(value.get("action"), str):
        return value
    return None


def said_text(action: dict[str, Any]) -> str | None:
    """The text a suggested reply's button says when pressed; None for any other action."""
    if not isinstance(action, dict) or action.get("type") != "button":
        return None
    if not str(action.get("action_id", "")).startswith(SAY_PREFIX):
        return None
    value = action.get("value")
    return value if isinstance(value, str) and value.strip() else None


def without_buttons(blocks: list[Json], said: str) -> list[Json]:
    """A posted message's blocks once one of its suggested replies was pressed: those buttons
    gone (a card's own stay), what was said shown under the text."""
    kept = []
    for block in blocks:
        if block.get("type") == "actions":
            elements = [
                e
                for e in block.get("elements", [])
                if not str(e.get("action_id", "")).startswith(SAY_PREFIX)
            ]
            if not elements:
                continue
            block = {**block, "elements": elements}
        kept.append(block)
    return [*kept, _context(f"» {_escape(_shorten(said, MAX_SECTION_TEXT))}")][-MAX_BLOCKS:]


def input_values(state: Any) -> dict[str, str]:
    """The card's text inputs as a block_actions payload's `state` carries them, by input id:
    what Teams merges into the submitted data ({**submitted_value(action), **input_values(…)})."""
    values = state.get("values") if isinstance(state, dict) else None
    if not isinstance(values, dict):
        return {}
    found: dict[str, str] = {}
    for block_id, actions in values.items():
        entry = actions.get(block_id) if isinstance(actions, dict) else None
        if isinstance(entry, dict) and entry.get("type") == "plain_text_input":
            value = entry.get("value")
            found[str(block_id)] = value if isinstance(value, str) else ""
    return found


def mrkdwn(text: str) -> str:
    """Our Markdown as Slack mrkdwn: `**bold**` → `*bold*`, "- " bullets → "• ",
    `[text](url)` → `<url|text>`; `&`, `<` and `>` escaped everywhere else."""
    text = text.replace(_LINK_MARK, "")
    links = [f"<{_escape(m.group(2))}|{_escape(m.group(1))}>" for m in _LINK.finditer(text)]
    marked = _LINK.sub(_LINK_MARK, text)
    lines = [f"• {line[2:]}" if line.startswith("- ") else line for line in marked.split("\n")]
    converted = _BOLD.sub(r"*\1*", _escape("\n".join(lines)))
    pieces = converted.split(_LINK_MARK)
    return pieces[0] + "".join(link + piece for link, piece in zip(links, pieces[1:], strict=True))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain(text: str) -> str:
    return _BOLD.sub(r"\1", text)


def _adaptive_card(activity: Activity) -> Json | None:
    for attachment in activity.attachments or []:
        if attachment.content_type == ADAPTIVE_CARD and isinstance(attachment.content, dict):
            return attachment.content
    return None


def _body_blocks(blocks: list[Json], elements: list[Json]) -> list[Json]:
    """The body's blocks; a TextBlock without spacing continues the section before it."""
    for element in elements:
        rendered = _element(element)
        if rendered and blocks and element.get("spacing") == "None":
            joined = _joined(blocks[-1], rendered[0])
            if joined is not None:
                blocks[-1] = joined
                rendered = rendered[1:]
        blocks.extend(rendered)
    return blocks


def _joined(first: Json, second: Json) -> Json | None:
    """Two text sections as one, when that fits in a section."""
    if not all(block["type"] == "section" and "text" in block for block in (first, second)):
        return None
    text = f"{first['text']['text']}\n{second['text']['text']}"
    return _section(text) if len(text) <= MAX_SECTION_TEXT else None


def _packed(blocks: list[Json]) -> list[Json]:
    """Adjacent text sections joined as far as a section holds."""
    packed: list[Json] = []
    for block in blocks:
        joined = _joined(packed[-1], block) if packed else None
        if joined is None:
            packed.append(block)
        else:
            packed[-1] = joined
    return packed


def _element(element: Json) -> list[Json]:
    kind = element.get("type")
    if kind == "TextBlock":
        return _text_block(element)
    if kind == "FactSet":
        return _fact_sections(element.get("facts", []))
    if kind in ("ColumnSet", "Container"):
        return _text_blocks(_flat_text(element))
    if kind == "ActionSet":
        return _actions_blocks(_buttons(element.get("actions", [])))
    if kind == "Input.Text":
        return [_input_block(element)]
    return []


def _text_block(element: Json) -> list[Json]:
    text = str(element.get("text", ""))
    bold = element.get("weight") == "Bolder"
    title = _plain(text).strip()
    if bold and element.get("size") in ("Large", "Medium") and _fits_header(title):
        return [{"type": "header", "text": _plain_text(title)}]
    if element.get("isSubtle") and not bold:
        return [_context(chunk) for chunk in _chunks(mrkdwn(text), MAX_SECTION_TEXT)]
    return _text_blocks(_line_text(element))


def _fits_header(title: str) -> bool:
    return 0 < len(title) <= MAX_HEADER_TEXT and "\n" not in title


def _line_text(element: Json) -> str:
    """A TextBlock as mrkdwn inside a section: bold when the block is Bolder."""
    text = mrkdwn(str(element.get("text", "")))
    if element.get("weight") != "Bolder" or "*" in text:
        return text
    return "\n".join(f"*{line.strip()}*" if line.strip() else line for line in text.split("\n"))


def _flat_text(element: Json) -> str:
    """A Container's items one per line; a ColumnSet's columns side by side on the first line."""
    kind = element.get("type")
    if kind == "TextBlock":
        return _line_text(element)
    if kind == "FactSet":
        return "\n".join(_fact_text(fact) for fact in element.get("facts", []))
    if kind == "Container" or kind == "Column":
        return "\n".join(t for item in element.get("items", []) if (t := _flat_text(item)))
    if kind == "ColumnSet":
        cells = [t for column in element.get("columns", []) if (t := _flat_text(column))]
        return "   ".join(cells)
    return ""


def _text_blocks(text: str) -> list[Json]:
    return [_section(chunk) for chunk in _chunks(text, MAX_SECTION_TEXT) if chunk.strip()]


def _chunks(text: str, limit: int) -> Iterator[str]:
    """The text in pieces of at most `limit` characters, cut at line breaks where it can be,
    else at a space, else anywhere."""
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = text.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        yield text[:cut]
        text = text[cut:].lstrip("\n ")
    yield text


def _section(text: str) -> Json:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> Json:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _plain_text(text: str, limit: int = MAX_HEADER_TEXT) -> Json:
    return {"type": "plain_text", "text": _shorten(text, limit), "emoji": True}


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + MORE


def _fact_text(fact: Json) -> str:
    return f"*{mrkdwn(str(fact.get('title', '')))}*\n{mrkdwn(str(fact.get('value', '')))}"


def _fact_sections(facts: list[Json]) -> list[Json]:
    fields = [
        {"type": "mrkdwn", "text": _shorten(_fact_text(fact), MAX_FIELD_TEXT)} for fact in facts
    ]
    return [
        {"type": "section", "fields": fields[start : start + MAX_FIELDS]}
        for start in range(0, len(fields), MAX_FIELDS)
    ]


def _input_block(element: Json) -> Json:
    """An Input.Text as an input block whose block_id and action_id are the input's id, as
    `input_values` reads it back."""
    input_id = str(element.get("id", "input"))
    field: Json = {
        "type": "plain_text_input",
        "action_id": input_id,
        "multiline": bool(element.get("isMultiline")),
    }
    if isinstance(element.get("maxLength"), int):
        field["max_length"] = min(element["maxLength"], MAX_INPUT_LENGTH)
    if element.get("placeholder"):
        field["placeholder"] = _plain_text(str(element["placeholder"]), MAX_PLACEHOLDER_TEXT)
    label = str(element.get("label") or element.get("placeholder") or input_id)
    return {
        "type": "input",
        "block_id": input_id,
        "label": _plain_text(label, MAX_LABEL_TEXT),
        "element": field,
        "optional": not element.get("isRequired", False),
    }


def _buttons(actions: list[Json]) -> list[Json]:
    return [b for action in actions if (b := _button(action)) is not None]


def _reply_buttons(activity: Activity) -> list[Json]:
    """The activity's suggested replies as buttons saying their text (marked for numbering)."""
    suggested = activity.suggested_actions
    buttons = []
    for action in (suggested.actions or []) if suggested is not None else []:
        title, value = _title_and_value(action)
        said = value if isinstance(value, str) and value else title
        if not isinstance(said, str) or not said.strip() or len(said) > MAX_BUTTON_VALUE:
            continue
        title = title if isinstance(title, str) and title else said
        buttons.append(
            {"type": "button", "text": _plain_text(title, MAX_BUTTON_TEXT), "value": said, "say": 1}
        )
    return buttons


def _title_and_value(action: object) -> tuple[object, object]:
    if isinstance(action, str):
        return action, action
    if isinstance(action, dict):
        return action.get("title"), action.get("value")
    return getattr(action, "title", None), getattr(action, "value", None)


def _actions_blocks(buttons: list[Json]) -> list[Json]:
    return [
        {"type": "actions", "elements": buttons[start : start + MAX_ACTION_ELEMENTS]}
        for start in range(0, len(buttons), MAX_ACTION_ELEMENTS)
    ]


def _button(action: Json) -> Json | None:
    """The action as a button (its action_id is set later); None when Slack could not carry it."""
    kind = action.get("type")
    button: Json = {
        "type": "button",
        "text": _plain_text(str(action.get("title", "")), MAX_BUTTON_TEXT),
    }
    if kind == "Action.OpenUrl" and action.get("url"):
        button["url"] = str(action["url"])
    elif kind in ("Action.Execute", "Action.Submit"):
        value = _button_value(action)
        if value is None:
            return None
        button["value"] = value
    else:
        return None
    style = _STYLES.get(str(action.get("style")))
    if style:
        button["style"] = style
    return button


def _button_value(action: Json) -> str | None:
    """The data the action sends, as an Execute sends it (its verb as `action`), in JSON."""
    data = action.get("data")
    verb = action.get("verb")
    if action.get("type") == "Action.Execute" and verb:
        data = {"action": verb, **data} if isinstance(data, dict) else {"action": verb}
    if not isinstance(data, dict) or not isinstance(data.get("action"), str):
        return None
    value = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return value if len(value) <= MAX_BUTTON_VALUE else None


def _within_limit(body: list[Json], actions: list[Json]) -> list[Json]:
    """At most 50 blocks: a long body's sections are packed together and, if still too long,
    cut with a '…'; the card's own buttons are kept."""
    if len(body) + len(actions) <= MAX_BLOCKS:
        return body + actions
    body = _packed(body)
    if len(body) + len(actions) <= MAX_BLOCKS:
        return body + actions
    kept = body[: max(MAX_BLOCKS - len(actions) - 1, 0)]
    return [*kept, _context(MORE), *actions][:MAX_BLOCKS]


def _number_actions(blocks: list[Json]) -> None:
    """Give every button an action_id unique within the message."""
    buttons = (e for block in blocks if block["type"] == "actions" for e in block["elements"])
    for number, button in enumerate(buttons):
        prefix = SAY_PREFIX if button.pop("say", None) else ACTION_ID_PREFIX
        button["action_id"] = f"{prefix}{number}"
