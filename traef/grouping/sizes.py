"""How many groups, and of which sizes: target k, remainders as k-1 or k+1, never one alone."""

from __future__ import annotations

from traef.grouping.people import GroupingError

PAIRS = 2


def size_bounds(size: int) -> tuple[int, int]:
    """The smallest and largest group a plan of target `size` may hold (pairs: 2 or 3)."""
    return max(2, size - 1), size + 1


def group_sizes(count: int, size: int) -> list[int]:
    """The sizes of the groups for `count` people, largest first.

    Exact groups of `size` when they divide; otherwise the fewest groups off by one: the r left
    over join r groups (k+1) or k-r groups give one up (k-1), whichever touches fewer groups.
    Pairs get one triad for an odd count. Too few people for two groups make one group.
    """
    if size < PAIRS:
        raise GroupingError(f"A group needs at least two people, not {size}.")
    if count < 2:
        raise GroupingError("Grouping needs at least two people.")
    low, high = size_bounds(size)
    if count <= high:
        return [count]
    groups, rest = divmod(count, size)
    bigger = [size + 1] * rest + [size] * (groups - rest) if rest <= groups else None
    short = size - rest
    smaller = [size] * (groups + 1 - short) + [size - 1] * short if short <= groups + 1 else None
    if rest == 0:
        return [size] * groups
    if bigger is not None and (rest <= short or smaller is None or size - 1 < low):
        return bigger
    if smaller is not None and size - 1 >= low:
        return smaller
    return min(
        (_even(count, number) for number in (groups, groups + 1) if number > 0),
        key=lambda sizes: (max(abs(s - size) for s in sizes), -len(sizes)),
    )


def _even(count: int, groups: int) -> list[int]:
    base, extra = divmod(count, groups)
    return [base + 1] * extra + [base] * (groups - extra)
