"""Anonymous feedback: ratings, evaluations, post-its and the purge, over the fake storage."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from tests.fakes import FakeUnitOfWork
from traef.errors import NotSignedUpError
from traef.evaluation_forms import (
    InvalidAnswerError,
    InvalidEvaluationFormError,
    QuestionType,
    evaluation_form_from_data,
    evaluation_form_to_data,
    parse_evaluation_form,
)
from traef.feedback import (
    FeedbackClosedError,
    PostItNotFoundError,
    add_postit,
    answer_question,
    close_due_forms,
    close_form,
    my_postits,
    open_evaluation,
    postits_by_group,
    progress,
    rate,
    respondent_token,
    results,
    withdraw_postit,
)
from traef.group_plans import Group, GroupPlan, PlanKind
from traef.participants import ChannelIdentity, Participant
from traef.programme import Event, ProgrammeItem
from traef.purge import purge_event

SECRET = b"test secret"
DAY = date(2026, 11, 22)
NINE = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
NOW = NINE + timedelta(minutes=17)
FORM_YAML = """
title: {da: Evaluering, en: Evaluation}
questions:
  - key: overall
    type: likert
    text: {da: "Hvor godt var dagen?", en: "How good was the day?"}
    labels:
      da: [Dårlig, Mindre god, Middel, God, Rigtig god]
      en: [Poor, Fair, Average, Good, Very good]
  - key: best
    type: single_choice
    text: {da: "Hvad var bedst?", en: "What was best?"}
    options:
      - {key: talks, da: Oplæggene, en: The talks}
      - {key: groups, da: Grupperne, en: The groups}
  - key: topics
    type: multiple_choice
    optional: true
    text: {da: Emner til næste gang, en: Topics for next time}
    options:
      - {key: ai, da: AI, en: AI}
      - {key: economy, da: Økonomi, en: Economy}
  - key: remarks
    type: free_text
    optional: true
    text: {da: "Andet?", en: "Anything else?"}
"""


async def _setup(uow: FakeUnitOfWork, people: int = 6) -> tuple[int, int, list[int]]:
    async with uow:
        item = ProgrammeItem(NINE, "Oplæg", end=NINE + timedelta(hours=1))
        event = await uow.events.add(Event("Træf", DAY, DAY))
        assert event.id is not None
        event = await uow.events.save_programme(event.id, (item,))
        assert event.id is not None and event.items[0].id is not None
        ids = []
        for n in range(people):
            identity = ChannelIdentity("slack", f"U{n}")
            added = await uow.participants.add(
                Participant(
                    event.id, f"Person {n}", "MSO", "Leder", identities=frozenset({identity})
                )
            )
            assert added.id is not None
            ids.append(added.id)
        await uow.commit()
    return event.id, event.items[0].id, ids


async def test_a_rating_is_replaced_when_given_again_and_withheld_below_five() -> None:
    uow = FakeUnitOfWork()
    event_id, item_id, people = await _setup(uow)
    for person in people[:4]:
        await rate(uow, SECRET, event_id, item_id, person, 4, None, NOW)
    await rate(uow, SECRET, event_id, item_id, people[0], 2, "For langt", NOW)
    [form] = uow.committed_forms
    assert form.id is not None
    assert len(uow.committed_answers) == 4
    [withheld] = await results(uow, form.id)
    assert (withheld.count, withheld.withheld, withheld.average, withheld.texts) == (
        4,
        True,
        None,
        (),
    )

    await rate(uow, SECRET, event_id, item_id, people[4], 5, "Godt", NOW)
    [shown] = await results(uow, form.id)
    assert (shown.count, shown.withheld, shown.average) == (5, False, 19 / 5)
    assert shown.distribution == (("2", 1), ("4", 3), ("5", 1))
    assert shown.texts == ("For langt", "Godt")
    [small_group] = await results(uow, form.id, min_group=6)
    assert small_group.withheld


async def test_answers_name_no_one_and_closing_deletes_their_tokens() -> None:
    uow = FakeUnitOfWork()
    event_id, item_id, people = await _setup(uow)
    await rate(uow, SECRET, event_id, item_id, people[0], 3, None, NOW)
    [answer] = uow.committed_answers
    assert answer.respondent == respondent_token(SECRET, f"rating:{item_id}", people[0])
    assert answer.value == {"score": 3, "comment": None}  # and nothing else names the person

    await close_form(uow, answer.form_id, NOW)
    assert [a.respondent for a in uow.committed_answers] == [None]
    with pytest.raises(FeedbackClosedError):
        await rate(uow, SECRET, event_id, item_id, people[0], 5, None, NOW)


async def test_only_the_events_participants_rate_1_to_5() -> None:
    uow = FakeUnitOfWork()
    event_id, item_id, people = await _setup(uow)
    with pytest.raises(NotSignedUpError):
        await rate(uow, SECRET, event_id + 1, item_id, people[0], 3, None, NOW)
    scores: list[Any] = [0, 6, True, 3.0]
    for score in scores:
        with pytest.raises(InvalidAnswerError):
            await rate(uow, SECRET, event_id, item_id, people[0], score, None, NOW)
    assert uow.committed_answers == []


def test_an_evaluation_form_is_read_from_yaml_and_stored_as_json() -> None:
    form = parse_evaluation_form(FORM_YAML)
    assert [(q.key, q.type, q.optional) for q in form.questions] == [
        ("overall", QuestionType.LIKERT, False),
        ("best", QuestionType.SINGLE_CHOICE, False),
        ("topics", QuestionType.MULTIPLE_CHOICE, True),
        ("remarks", QuestionType.FREE_TEXT, True),
    ]
    assert form.questions[0].labels[4].en == "Very good"
    assert evaluation_form_from_data(evaluation_form_to_data(form)) == form


@pytest.mark.parametrize(
    ("yaml_text", "danish", "english"),
    [
        ("questions: [", "Ikke gyldig YAML", "Not valid YAML"),
        ("title: {da: T, en: T}", "ingen spørgsmål", "no questions"),
        (
            "title: {da: T}\nquestions: [{key: a, type: free_text, text: {da: A, en: A}}]",
            "mangler tekst",
            "needs a Danish",
        ),
        (
            "title: {da: T, en: T}\nquestions: [{key: a, type: stars, text: {da: A, en: A}}]",
            "'type' skal være",
            "'type' must be",
        ),
        (
            "title: {da: T, en: T}\nquestions:\n"
            "  - {key: a, type: single_choice, text: {da: A, en: A},"
            " options: [{key: x, da: X, en: X}]}",
            "mindst to",
            "at least two",
        ),
        (
            "title: {da: T, en: T}\nquestions:\n"
            "  - {key: a, type: free_text, text: {da: A, en: A}}\n"
            "  - {key: a, type: free_text, text: {da: B, en: B}}",
            "bruges flere gange",
            "used twice",
        ),
    ],
)
def test_a_broken_form_is_explained_in_danish_and_english(
    yaml_text: str, danish: str, english: str
) -> None:
    with pytest.raises(InvalidEvaluationFormError) as caught:
        parse_evaluation_form(yaml_text)
    assert any(danish in p.da and english in p.en for p in caught.value.problems)


async def test_an_evaluation_is_saved_answer_by_answer_and_continued_half_way() -> None:
    uow = FakeUnitOfWork()
    event_id, _, people = await _setup(uow)
    form = await open_evaluation(
        uow, event_id, "2026", parse_evaluation_form(FORM_YAML), NOW + timedelta(days=2), NOW
    )
    assert form.id is not None
    await answer_question(uow, SECRET, form.id, people[0], "overall", 4, NOW)
    await answer_question(uow, SECRET, form.id, people[0], "topics", ["economy", "ai", "ai"], NOW)

    half_way = await progress(uow, SECRET, form.id, people[0])
    assert half_way.answered == {"overall": 4, "topics": ["ai", "economy"]}
    assert (half_way.remaining, half_way.complete) == (("best", "remarks"), False)
    assert (await progress(uow, SECRET, form.id, people[1])).remaining[0] == "overall"

    for key, value in [
        ("overall", 6),
        ("best", "food"),
        ("best", ["talks"]),
        ("topics", []),
        ("topics", [["ai"]]),
        ("remarks", " "),
        ("x", 1),
    ]:
        with pytest.raises(InvalidAnswerError):
            await answer_question(uow, SECRET, form.id, people[0], key, value, NOW)
    with pytest.raises(InvalidAnswerError):
        await answer_question(uow, SECRET, form.id, people[0], "best", None, NOW)
    await answer_question(uow, SECRET, form.id, people[0], "remarks", None, NOW)  # skipped


async def test_evaluation_results_show_groups_of_five_and_texts_not_in_arrival_order() -> None:
    uow = FakeUnitOfWork()
    event_id, _, people = await _setup(uow)
    form = await open_evaluation(uow, event_id, "2026", parse_evaluation_form(FORM_YAML), None, NOW)
    assert form.id is not None
    for n, person in enumerate(people[:5]):
        await answer_question(uow, SECRET, form.id, person, "overall", 1 + n % 5, NOW)
        await answer_question(uow, SECRET, form.id, person, "best", "talks", NOW)
        await answer_question(uow, SECRET, form.id, person, "remarks", f"{'edcba'[n]} tekst", NOW)
        if n < 2:
            await answer_question(uow, SECRET, form.id, person, "topics", ["ai"], NOW)

    overall, best, topics, remarks = await results(uow, form.id)
    assert (overall.count, overall.average, overall.withheld) == (5, 3.0, False)
    assert best.distribution == (("talks", 5),)
    assert (topics.count, topics.withheld, topics.distribution) == (2, True, ())
    assert remarks.texts == ("a tekst", "b tekst", "c tekst", "d tekst", "e tekst")


async def test_an_evaluation_closes_at_its_deadline() -> None:
    uow = FakeUnitOfWork()
    event_id, _, people = await _setup(uow)
    deadline = NOW + timedelta(hours=1)
    evaluation = parse_evaluation_form(FORM_YAML)
    form = await open_evaluation(uow, event_id, "2026", evaluation, deadline, NOW)
    assert form.id is not None
    await answer_question(uow, SECRET, form.id, people[0], "overall", 5, NOW)
    with pytest.raises(FeedbackClosedError):
        await answer_question(uow, SECRET, form.id, people[0], "overall", 4, deadline)
    assert await close_due_forms(uow, event_id, NOW) == []
    assert await close_due_forms(uow, event_id, deadline) == [form.id]
    assert [a.respondent for a in uow.committed_answers] == [None]


async def test_post_its_are_tagged_listed_withdrawn_and_grouped() -> None:
    uow = FakeUnitOfWork()
    event_id, item_id, people = await _setup(uow)
    async with uow:
        groups = (Group(1, (people[0], people[1])), Group(2, (people[2],)))
        await uow.plans.add(GroupPlan(event_id, PlanKind.BREAKOUT, groups, NINE, item_id))
        await uow.commit()

    first = await add_postit(uow, SECRET, event_id, people[0], " Mere kaffe ", NOW)
    await add_postit(uow, SECRET, event_id, people[2], "Flere pauser", NOW)
    await add_postit(uow, SECRET, event_id, people[3], "Bedre lyd", NOW)
    later = await add_postit(
        uow, SECRET, event_id, people[0], "Kortere dag", NOW + timedelta(hours=2)
    )
    assert (first.text, first.item_id, first.group_number, first.created_at) == (
        "Mere kaffe",
        item_id,
        1,
        NINE,
    )
    assert (later.item_id, later.group_number) == (None, None)  # nothing running then
    assert [p.text for p in await my_postits(uow, SECRET, event_id, people[0])] == [
        "Mere kaffe",
        "Kortere dag",
    ]
    assert first.id is not None
    with pytest.raises(PostItNotFoundError):
        await withdraw_postit(uow, SECRET, event_id, people[2], first.id)
    await withdraw_postit(uow, SECRET, event_id, people[0], first.id)
    assert await postits_by_group(uow, event_id) == {
        2: ["Flere pauser"],
        None: ["Bedre lyd", "Kortere dag"],
    }


async def test_the_purge_keeps_only_anonymous_feedback() -> None:
    uow = FakeUnitOfWork()
    event_id, item_id, people = await _setup(uow, people=2)
    await rate(uow, SECRET, event_id, item_id, people[0], 5, "Fint", NOW)
    await add_postit(uow, SECRET, event_id, people[1], "Mere kaffe", NOW)
    async with uow:
        other = await uow.events.add(Event("Næste træf", DAY, DAY))
        assert other.id is not None
        again = frozenset({ChannelIdentity("slack", "U1")})
        await uow.participants.add(
            Participant(other.id, "Person 1", "MSO", "Leder", identities=again)
        )
        for n in range(2):
            await uow.conversations.save(ChannelIdentity("slack", f"U{n}"), {"n": n})
        await uow.commit()

    report = await purge_event(uow, event_id)

    assert (report.participants, report.identities) == (2, 1)
    assert [p.event_id for p in uow.committed_participants.values()] == [other.id]
    assert list(uow.committed_references) == [ChannelIdentity("slack", "U1")]  # still signed up
    assert [(a.respondent, a.value["score"]) for a in uow.committed_answers] == [(None, 5)]
    assert [(p.respondent, p.text) for p in uow.committed_postits] == [(None, "Mere kaffe")]
