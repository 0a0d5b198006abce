from __future__ import annotations

from math import comb, inf

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from traef.grouping import History, Person, RoundQuality, assess, lower_bound


@pytest.mark.parametrize(
    ("counts", "groups", "bound"),
    [
        ([100, 50, 30, 20], 50, 50 * comb(2, 2) + 0 + 0 + 0),  # 2 per group of the big unit
        ([7], 3, 3 * comb(2, 2) + 1 * 2),  # q=2, r=1
        ([5, 5, 5, 5], 5, 0),
        ([9, 3], 2, 2 * comb(4, 2) + 1 * 4 + 2 * comb(1, 2) + 1 * 1),
        ([3], 1, 3),
        ([], 4, 0),
        ([4], 0, 0),
    ],
)
def test_lower_bound_deals_each_kind_evenly(counts: list[int], groups: int, bound: int) -> None:
    assert lower_bound(counts, groups) == bound


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 30), max_size=6), st.integers(1, 12))
def test_lower_bound_is_the_minimum_over_even_deals(counts: list[int], groups: int) -> None:
    # dealing each kind round the groups gives counts q or q+1, whose pairs are the bound
    dealt = 0
    for count in counts:
        per_group = [count // groups + (g < count % groups) for g in range(groups)]
        dealt += sum(comb(c, 2) for c in per_group)
    assert lower_bound(counts, groups) == dealt


def test_assess_counts_pairs_bounds_and_repeats() -> None:
    people = [
        Person("a", "MSO", "Leder"),
        Person("b", "MSO", "Chef"),
        Person("c", "MBU", "Leder"),
        Person("d", "MBU", "Chef"),
    ]
    report = assess(
        [[["a", "b"], ["c", "d"]], [["a", "c"], ["b", "d"]], [["a", "b"], ["c", "d"]]], people
    )

    first, second, third = report.rounds
    assert (first.same_unit, first.same_unit_bound, first.same_level, first.same_level_bound) == (
        2,
        0,
        0,
        0,
    )
    assert first.unit_ratio == inf and first.level_ratio == 1.0
    assert (second.same_unit, second.same_level, second.repeats) == (0, 2, 0)
    assert third.repeats == 2
    assert report.repeats == 2 and report.same_unit == 4


def test_repeats_count_history_but_not_locked_partners() -> None:
    people = [Person(x) for x in "abcd"]
    history = History.of([[["a", "b"], ["c", "d"]]])

    assert assess([[["a", "b"], ["c", "d"]]], people, history).repeats == 2
    assert assess([[["a", "b"], ["c", "d"]]], people, history, locked=[("a", "b")]).repeats == 1


def test_zero_over_zero_is_one() -> None:
    quality = RoundQuality(4, 2, 0, 0, 0, 0, 0)
    assert quality.unit_ratio == 1.0 and quality.level_ratio == 1.0
