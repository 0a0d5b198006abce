"""Adaptive Cards rendered as plain text, for the local terminal chat.

Bold text keeps its `**` markers stripped; the highlighted container is marked with '▶' already by
the card itself. Buttons are numbered so they can be pressed by typing the number.
"""

from __future__ import annotations

import re
from typing import Any

from dialogs.cards import Json

_MARKDOWN_BOLD = re.compile(r"\*\*(.+?)\*\*")


def plain(text: str) -> str:
    return _MARKDOWN_BOLD.sub(r"\1", text)


def card_lines(card: Json) -> list[str]:
    """The card's text; links (Action.OpenUrl) are written out, since they cannot be pressed."""
    lines: list[str] = []
    for element in card.get("body", []):
        lines.extend(_element_lines(element))
    lines += [
        f"{action.get('title', '')}: {action.get('url', '')}"
        for action in card.get("actions", [])
        if action.get("type") == "Action.OpenUrl"
    ]
    return lines


def card_buttons(card: Json) -> list[tuple[str, Any]]:
    """(title, data) of each Action.Execute or Action.Submit, those in the body's action sets
    first; an Execute's data carries its verb as `action`, as the bot reads its invoke."""
    in_body = [
        action
        for element in card.get("body", [])
        if element.get("type") == "ActionSet"
        for action in element.get("actions", [])
    ]
    return [
        (action.get("title", ""), _button_data(action))
        for action in [*in_body, *card.get("actions", [])]
        if action.get("type") in ("Action.Execute", "Action.Submit")
    ]


def _button_data(action: Json) -> Any:
    data = action.get("data")
    verb = action.get("verb")
    if action.get("type") != "Action.Execute" or not verb:
        return data
    return {"action": verb, **data} if isinstance(data, dict) else {"action": verb}


def _element_lines(element: Json) -> list[str]:
    kind = element.get("type")
    if kind == "TextBlock":
        text = plain(str(element.get("text", "")))
        return [text.upper() if element.get("size") == "Large" else text]
    if kind == "FactSet":
        return [f"{fact.get('title', '')}: {fact.get('value', '')}" for fact in element["facts"]]
    if kind == "ColumnSet":
        return [_columns_line(element)]
    if kind == "Container":
        lines = [line for item in element.get("items", []) for line in _element_lines(item)]
        return ["", *lines] if element.get("separator") else lines
    return []


def _columns_line(column_set: Json) -> str:
    cells = []
    for column in column_set.get("columns", []):
        parts = [line for item in column.get("items", []) for line in _element_lines(item)]
        cells.append(" · ".join(part for part in parts if part))
    first, *rest = cells or [""]
    return f"{first:<13} {'  '.join(rest)}".rstrip()
