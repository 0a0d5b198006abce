"""Feedback as the person sees it: the rating card, post-it lists and the facilitators' results.

`distribution_lines` and `bar_line` draw the text bars the evaluation results reuse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from botbuilder.schema import Activity

from dialogs.cards import Json, adaptive_card, button, card_activity, note_card, text_block
from dialogs.i18n import Texts
from traef.evaluation_forms import MAX_TEXT_LENGTH
from traef.feedback import PostIt, QuestionResult
from traef.programme import ProgrammeItem

RATE_ACTION = "rate"
POSTIT_ACTION = "postit"
SCORES = range(5, 0, -1)  # best first, as the bars are read
BAR_WIDTH = 10
BAR = "█"


def rating_activity(item: ProgrammeItem, texts: Texts) -> Activity:
    """A card with buttons 1–5 and an optional comment; each button sends the score."""
    assert item.id is not None
    actions = [
        button(
            texts("rating_button", score=score),
            {"action": RATE_ACTION, "item": item.id, "score": score},
        )
        for score in range(1, 6)
    ]
    body: list[Json] = [
        text_block(texts("rating_title", item=item.title), size="Medium", weight="Bolder"),
        text_block(texts("rating_scale"), isSubtle=True, spacing="None"),
        {
            "type": "Input.Text",
            "id": "comment",
            "isMultiline": True,
            "label": texts("rating_comment_label"),
            "placeholder": texts("rating_comment_placeholder"),
        },
    ]
    return card_activity(adaptive_card(body, actions, texts("rating_fallback", item=item.title)))


def postit_activity(texts: Texts) -> Activity:
    """A card with one text field for one suggestion."""
    body: list[Json] = [
        text_block(texts("postit_card_title"), size="Medium", weight="Bolder"),
        {
            "type": "Input.Text",
            "id": "postit",
            "isMultiline": True,
            "maxLength": MAX_TEXT_LENGTH,
            "label": texts("postit_card_label"),
        },
    ]
    actions = [button(texts("postit_card_button"), {"action": POSTIT_ACTION})]
    return card_activity(adaptive_card(body, actions, texts("postit_empty")))


def rated_card(item: ProgrammeItem, score: int, comment: str | None, texts: Texts) -> Json:
    """What the rating card becomes once a score is given: the score, no buttons."""
    quoted = [text_block(texts("card_your_comment", comment=comment), isSubtle=True)]
    return note_card(
        texts("rating_title", item=item.title),
        texts("card_rated", score=score),
        *(quoted if comment else []),
    )


def posted_card(text: str, note: str, texts: Texts) -> Json:
    """What the post-it card becomes once sent: the post-it and the thanks."""
    return note_card(texts("postit_card_title"), note, text_block(text, isSubtle=True))


def decimal(number: float, texts: Texts) -> str:
    """One decimal, with the reader's decimal mark: 4,2 in Danish, 4.2 in English."""
    return f"{number:.1f}".replace(".", texts("decimal_mark"))


def bar_line(label: str, count: int, most: int, texts: Texts) -> str:
    """'5 ★ ███████ 7': a bar as long as `count` is of `most`, BAR_WIDTH blocks at most."""
    blocks = max(1, round(BAR_WIDTH * count / most)) if count and most else 0
    bar = f"{BAR * blocks} " if blocks else ""
    return texts("results_bar", label=label, bar=bar, count=count)


def distribution_lines(distribution: Mapping[int, int], texts: Texts) -> list[str]:
    """One bar per score, 5 down to 1, scores nobody gave included."""
    most = max(distribution.values(), default=0)
    return [
        bar_line(texts("rating_button", score=score), distribution.get(score, 0), most, texts)
        for score in SCORES
    ]


def rating_result_lines(title: str, result: QuestionResult, texts: Texts) -> list[str]:
    lines = [texts("results_item", item=title, count=result.count)]
    if result.withheld:
        return [*lines, texts("results_withheld")]
    if result.average is not None:
        lines.append(texts("results_average", average=decimal(result.average, texts)))
    lines += distribution_lines({int(s): n for s, n in result.distribution}, texts)
    if result.texts:
        lines.append(texts("results_comments"))
        lines += [f"- {comment}" for comment in result.texts]
    return lines


def my_postits_text(postits: Sequence[PostIt], texts: Texts) -> str:
    if not postits:
        return texts("postits_mine_none")
    lines = [texts("postits_mine_title")]
    lines += [_bullet(f"{number}.", postit.text) for number, postit in enumerate(postits, 1)]
    return "\n".join([*lines, "", texts("postits_mine_withdraw")])


def postit_lines(grouped: Mapping[int | None, Sequence[str]], texts: Texts) -> list[str]:
    """The post-its under a heading per breakout group, those without a group last."""
    if not grouped:
        return [texts("postits_none")]
    lines = [texts("postits_title")]
    for number, postits in grouped.items():
        heading = texts("postits_group", number=number) if number else texts("postits_no_group")
        lines += ["", heading, *(_bullet("-", text) for text in postits)]
    return lines


def _bullet(marker: str, text: str) -> str:
    """The text after the marker, its further lines indented under the first."""
    return f"{marker} " + text.replace("\n", "\n" + " " * (len(marker) + 1))
