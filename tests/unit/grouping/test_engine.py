from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.grouping.strategies import locked_groups, populations
from traef.grouping import (
    GroupingError,
    History,
    Person,
    assess,
    fixed_groups,
    plan_round,
    plan_rounds,
    present_people,
    size_bounds,
)
from traef.participants import Participant, Status

FAST = settings(max_examples=40, deadline=None)


def municipality(count: int) -> list[Person]:
    """Half the people in one unit, the rest in units of falling size; four levels."""
    units = ["MSO"] * (count // 2)
    others = ["MBU", "MSB", "MKB", "MTM", "BA"]
    units += [others[min(n % 7, 4)] for n in range(count - len(units))]
    levels = ["Leder", "Chef", "Leder", "Ledertrainee", "Leder", "Direktør", "Chef"]
    return [Person(f"p{n}", units[n], levels[(n * 5) % 7]) for n in range(count)]


@FAST
@given(st.data(), st.sampled_from([2, 3, 4, 5]), st.integers(0, 2**31))
def test_everyone_is_placed_once_within_bounds_and_locked_groups_stay(
    data: st.DataObject, size: int, seed: int
) -> None:
    people = data.draw(populations())
    locked = data.draw(locked_groups(people))
    history = History.of([[[p.id for p in people[:3]]]])

    round_ = plan_round(people, size=size, locked=locked, history=history, seed=seed)

    placed = [person for group in round_.groups for person in group]
    assert Counter(placed) == Counter(p.id for p in people)
    low, high = size_bounds(size)
    locked_ids = {p for group in locked for p in group}
    free = [g for g in round_.groups if not locked_ids & set(g)]
    free_count = sum(map(len, free))
    if free_count >= 2 * low:
        assert all(low <= len(group) <= high for group in free)
    assert all(len(group) >= 2 for group in round_.groups)
    for group in locked:
        if len(group) >= 2:
            (home,) = {round_.group_of(p) for p in group}
            assert home is not None
            others = set(round_.groups[home]) - set(group)
            assert not others & locked_ids
            assert len(others) <= 1  # at most one person left over joins a locked group
        else:
            assert set(group) <= set(round_.unlocked)


@FAST
@given(populations(2, 30), st.sampled_from([2, 4]), st.integers(0, 1000), st.booleans())
def test_the_same_seed_gives_the_same_plan(
    people: list[Person], size: int, seed: int, within_units: bool
) -> None:
    plan = plan_rounds(people, rounds=2, size=size, seed=seed, within_units=within_units)
    again = plan_rounds(people, rounds=2, size=size, seed=seed, within_units=within_units)

    assert plan.to_json() == again.to_json()


@FAST
@given(populations(4, 30), st.sampled_from([2, 3, 4]), st.integers(0, 1000))
def test_within_units_keeps_each_big_enough_unit_to_itself(
    people: list[Person], size: int, seed: int
) -> None:
    round_ = plan_round(people, size=size, within_units=True, seed=seed)
    unit_of = {p.id: p.unit for p in people}
    merged = set(round_.merged_units)

    for group in round_.groups:
        units = {unit_of[p] for p in group}
        assert len(units) == 1 or units <= merged


@FAST
@given(st.sampled_from([16, 19, 20, 23, 24, 28, 31, 32, 36, 41, 45, 50]), st.integers(0, 1000))
def test_three_rounds_of_four_never_repeat_from_sixteen_people(count: int, seed: int) -> None:
    # (17 or 18 people make groups of five from four groups of the round before: one repeats)
    plan = plan_rounds(municipality(count), rounds=3, size=4, seed=seed)

    assert plan.quality.repeats == 0


@pytest.mark.parametrize(
    ("count", "size", "rounds"),
    [
        (32, 4, 9),  # 8 groups of 4; the cosets of nine subspaces of GF(2)^5
        (32, 4, 8),
        (16, 4, 5),  # the affine plane of order 4: everyone meets everyone
        (9, 3, 4),
        (25, 5, 6),
        (20, 4, 5),  # the social golfer problem 5-4-5
        (40, 4, 8),
        (20, 2, 19),  # phone pairs, everyone once
        (12, 3, 4),
    ],
)
def test_no_repeats_where_a_repeat_free_plan_exists(count: int, size: int, rounds: int) -> None:
    plan = plan_rounds(municipality(count), rounds=rounds, size=size, seed=7)

    assert plan.quality.repeats == 0
    assert len(plan.rounds) == rounds


def test_thirty_two_in_fours_for_ten_rounds_repeats_least_in_the_last() -> None:
    # a repeat-free 10-round schedule exists (8-4-10), but is not known to the engine: the nine
    # repeat-free rounds of GF(2)^5 come first, and the tenth repeats as little as it can
    plan = plan_rounds(municipality(32), rounds=10, size=4, seed=7)

    assert [r.repeats for r in plan.quality.rounds][:9] == [0] * 9
    assert plan.quality.repeats <= 24


def test_units_and_levels_are_spread_down_to_their_lower_bounds() -> None:
    plan = plan_rounds(municipality(200), rounds=4, size=4, seed=1)

    assert plan.quality.unit_ratio == 1.0
    assert plan.quality.level_ratio == 1.0
    assert plan.quality.repeats == 0


def test_pairs_mix_units_and_make_one_triad_for_an_odd_count() -> None:
    round_ = plan_round(municipality(21), size=2, seed=3)

    assert sorted(map(len, round_.groups)) == [2] * 9 + [3]
    assert assess([round_.groups], municipality(21)).unit_ratio == 1.0


def test_a_history_is_not_repeated() -> None:
    people = municipality(24)
    first = plan_round(people, seed=1)
    second = plan_round(people, seed=1, history=History.of([first.groups]))

    assert History.of([first.groups]).repeats_in(second.groups) == 0


def test_small_units_are_merged_and_named_within_units() -> None:
    people = [Person(f"m{n}", "MSO", "Leder") for n in range(8)]
    people += [
        Person("b1", "BA", "Chef"),
        Person("t1", "MTM", "Chef"),
        Person("t2", "MTM", "Leder"),
    ]

    round_ = plan_round(people, within_units=True)

    assert set(round_.merged_units) == {"BA", "MTM"}
    assert {frozenset(g) for g in round_.groups if "b1" in g} == {frozenset({"b1", "t1", "t2"})}


def test_fewer_than_two_people_or_a_double_lock_is_refused() -> None:
    with pytest.raises(GroupingError):
        plan_round([Person("a")])
    with pytest.raises(GroupingError):
        plan_round([Person(x) for x in "abcd"], locked=[("a", "b"), ("b", "c")])
    with pytest.raises(GroupingError):
        plan_round([Person("a"), Person("a")])


def test_present_people_are_the_checked_in_or_the_listed_ones() -> None:
    def participant(
        number: int, status: Status, groups: frozenset[str] = frozenset()
    ) -> Participant:
        return Participant(
            event_id=1,
            name=f"Leder {number}",
            department="MSO",
            level="Leder",
            status=status,
            checked_in_at=datetime(2020, 10, 27, tzinfo=UTC)
            if status is Status.CHECKED_IN
            else None,
            groups=groups,
            id=number,
        )

    participants = [
        participant(1, Status.CHECKED_IN, frozenset({"Gruppe 10"})),
        participant(2, Status.SIGNED_UP, frozenset({"Gruppe 2"})),
        participant(3, Status.CANCELLED),
        participant(4, Status.CHECKED_IN, frozenset({"Gruppe 2"})),
    ]

    assert [p.id for p in present_people(participants)] == [1, 4]
    assert [p.id for p in present_people(participants, only={2, 3})] == [2]
    assert present_people(participants)[0] == Person(1, "MSO", "Leder")
    assert fixed_groups(participants) == [(2, 4), (1,)]
