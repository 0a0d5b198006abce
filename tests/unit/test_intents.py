from __future__ import annotations

from typing import Any

import pytest

from dialogs.intents import Intent, recognise, recognise_submit


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("program", Intent.PROGRAMME),
        ("Dagens program", Intent.PROGRAMME),
        ("Hvad står der på programmet?", Intent.PROGRAMME),
        ("programme", Intent.PROGRAMME),
        ("Show me today's agenda", Intent.PROGRAMME),
        ("Hvad sker der nu?", Intent.NOW),
        ("hvad sker der lige nu", Intent.NOW),
        ("nu", Intent.NOW),
        ("What's on now?", Intent.NOW),
        ("what is happening right now", Intent.NOW),
        ("Hvad er det næste?", Intent.NEXT),
        ("næste", Intent.NEXT),
        ("What’s next?", Intent.NEXT),
        ("hjælp", Intent.HELP),
        ("Help!", Intent.HELP),
        ("?", Intent.HELP),
        ("english", Intent.ENGLISH),
        ("In English, please", Intent.ENGLISH),
        ("Jeg taler ikke engelsk", Intent.UNKNOWN),
        ("Dansk", Intent.DANISH),
        ("På dansk, tak", Intent.DANISH),
        ("Hej", Intent.GREETING),
        ("Godmorgen Træfbot!", Intent.GREETING),
        ("hello there", Intent.GREETING),
        ("<at>Træfbot</at> hvad sker der nu", Intent.NOW),
        ("Hvornår er der kaffe?", Intent.UNKNOWN),
        ("", Intent.UNKNOWN),
        ("   ", Intent.UNKNOWN),
    ],
)
def test_recognise(text: str, intent: Intent) -> None:
    assert recognise(text) is intent


@pytest.mark.parametrize(
    ("value", "intent"),
    [
        ({"action": "now"}, Intent.NOW),
        ({"action": "programme", "extra": 1}, Intent.PROGRAMME),
        ({"action": "delete_everything"}, None),
        ({"verb": "now"}, None),
        ("now", None),
        ([{"action": "now"}], None),
        (None, None),
    ],
)
def test_recognise_submit(value: Any, intent: Intent | None) -> None:
    assert recognise_submit(value) is intent
