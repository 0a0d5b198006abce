from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from traef.grouping import GroupingError, group_sizes, size_bounds


@pytest.mark.parametrize(
    ("count", "size", "sizes"),
    [
        (8, 4, [4, 4]),
        (9, 4, [5, 4]),
        (10, 4, [5, 5]),
        (11, 4, [4, 4, 3]),
        (6, 4, [3, 3]),
        (7, 4, [4, 3]),
        (3, 4, [3]),
        (5, 4, [5]),
        (2, 4, [2]),
        (7, 2, [3, 2, 2]),
        (8, 2, [2, 2, 2, 2]),
        (3, 2, [3]),
    ],
)
def test_sizes_off_by_one_touch_the_fewest_groups(count: int, size: int, sizes: list[int]) -> None:
    assert group_sizes(count, size) == sizes


@settings(max_examples=300, deadline=None)
@given(st.integers(2, 400), st.integers(2, 8))
def test_sizes_place_everyone_within_bounds_and_never_one_alone(count: int, size: int) -> None:
    sizes = group_sizes(count, size)
    low, high = size_bounds(size)

    assert sum(sizes) == count
    assert min(sizes) >= 2
    if count >= 2 * low and size <= 5:
        assert all(low <= s <= high for s in sizes)


def test_one_person_or_a_size_below_two_is_refused() -> None:
    with pytest.raises(GroupingError):
        group_sizes(1, 4)
    with pytest.raises(GroupingError):
        group_sizes(10, 1)
