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
        ("Hvornår er der kaffe?", Intent.PROGRAMME_QUESTION),
        ("Hvornår er der frokost?", Intent.PROGRAMME_QUESTION),
        ("hvad sker der kl. 11", Intent.PROGRAMME_QUESTION),
        ("When does breakout 2 start?", Intent.PROGRAMME_QUESTION),
        ("forsink 10 min", Intent.CHANGE_PROGRAMME),
        ("Vi er 15 minutter forsinket", Intent.CHANGE_PROGRAMME),
        ("ryk frokost til 12.30", Intent.CHANGE_PROGRAMME),
        ("breakout 2 starter 11.15", Intent.CHANGE_PROGRAMME),
        ("delay 10 minutes", Intent.CHANGE_PROGRAMME),
        ("fortryd", Intent.UNDO_CHANGE),
        ("optakt", Intent.PREPARATION),
        ("påmindelser til", Intent.REMINDERS_ON),
        ("Reminders off", Intent.REMINDERS_OFF),
        ("kalender", Intent.CALENDAR),
        ("importér program 8.30 - 9.00 Velkomst", Intent.IMPORT_PROGRAMME),
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
