from __future__ import annotations

from datetime import time

import pytest

from traef.change_requests import (
    AtQuestion,
    Delay,
    ItemReference,
    Move,
    WhenQuestion,
    parse_change_request,
    parse_question,
)
from traef.programme import ItemKind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("forsink 10 min", Delay(10)),
        ("Forsink programmet med 15 minutter", Delay(15)),
        ("Vi er 15 minutter forsinket", Delay(15)),
        ("vi er 5 min bagud", Delay(5)),
        ("forsink 1 time", Delay(60)),
        ("delay 10 minutes", Delay(10)),
        ("We are 20 minutes late", Delay(20)),
        ("ryk frokost til 12.30", Move(ItemReference(ItemKind.LUNCH), time(12, 30))),
        ("Flyt pausen til kl. 11:10", Move(ItemReference(ItemKind.BREAK), time(11, 10))),
        ("move lunch to 12:30", Move(ItemReference(ItemKind.LUNCH), time(12, 30))),
        ("breakout 2 starter 11.15", Move(ItemReference(ItemKind.BREAKOUT, 2), time(11, 15))),
        ("Breakout 2 starts at 11:15", Move(ItemReference(ItemKind.BREAKOUT, 2), time(11, 15))),
        ("telefondialog 1 starter 10", Move(ItemReference(ItemKind.PHONE_DIALOGUE, 1), time(10))),
        ("ryk Fortællinger til 9.00", Move(ItemReference(words="fortællinger"), time(9))),
        ("forsink", None),
        ("forsink 0 min", None),
        ("ryk frokost til 25.00", None),
        ("hvad sker der nu", None),
    ],
)
def test_change_requests(text: str, expected: object) -> None:
    assert parse_change_request(text) == expected


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Hvornår er der frokost?", WhenQuestion(ItemReference(ItemKind.LUNCH))),
        ("hvornår holder vi pause", WhenQuestion(ItemReference(ItemKind.BREAK))),
        ("Hvornår starter breakout 2?", WhenQuestion(ItemReference(ItemKind.BREAKOUT, 2))),
        ("When is lunch?", WhenQuestion(ItemReference(ItemKind.LUNCH))),
        ("When does breakout 2 start?", WhenQuestion(ItemReference(ItemKind.BREAKOUT, 2))),
        ("Hvad sker der kl. 11?", AtQuestion(time(11))),
        ("hvad sker der klokken 13.30", AtQuestion(time(13, 30))),
        ("What's on at 9:45?", AtQuestion(time(9, 45))),
        ("hvad sker der nu", None),
        ("program", None),
    ],
)
def test_questions(text: str, question: object) -> None:
    assert parse_question(text) == question
