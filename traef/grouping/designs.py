"""Known repeat-free schedules: rounds of groups in which no pair meets twice.

Local search finds repeat-free rounds easily while few rounds have been played, but not close
to the most rounds possible; there these constructions do it:
- pairs for an even count: the circle method (n − 1 rounds);
- q·G people in G groups of q, G a prime, 4 or 8 (a field) and G ≥ q: a resolvable
  transversal design, G rounds (G + 1 when G = q: the affine plane);
- 32 people in 8 groups of 4: 9 rounds from the cosets of a partial spread in GF(2)^5
  (a 10-round schedule exists, the social golfer problem's 8-4-10, but is not built here).
Points are 0..n−1; the engine decides who stands on which point.
"""

from __future__ import annotations

from functools import cache

Schedule = list[list[list[int]]]

_POLYNOMIALS = {4: 0b111, 8: 0b1011}  # x²+x+1, x³+x+1


def design(people: int, size: int, rounds: int) -> Schedule | None:
    """A repeat-free schedule of `rounds` rounds for `people` in groups of `size`, if known."""
    longest = longest_design(people, size)
    if longest is None or len(longest) < rounds or rounds < 1:
        return None
    return longest[:rounds]


def longest_design(people: int, size: int) -> Schedule | None:
    """The longest repeat-free schedule known here for `people` in groups of `size`."""
    if people < 2 * size or people % size:
        return None
    candidates: list[Schedule] = []
    if size == 2:
        candidates.append(_circle(people))
    groups = people // size
    if _is_field(groups) and groups >= size:
        candidates.append(_transversal(size, groups))
    if (people, size) == (32, 4):
        candidates.append(_flats_32())
    if not candidates:
        return None
    return [[list(group) for group in round_] for round_ in max(candidates, key=len)]


def _circle(people: int) -> Schedule:
    """Everyone meets everyone once in n − 1 rounds: one fixed, the rest turning round."""
    turning = people - 1
    schedule = []
    for shift in range(turning):
        pairs = [[shift, turning]]
        for step in range(1, people // 2):
            pairs.append([(shift + step) % turning, (shift - step) % turning])
        schedule.append(pairs)
    return schedule


def _transversal(size: int, order: int) -> Schedule:
    """Rows a < size, columns b in GF(order); in round m, group c is {(a, c + m·a)}: two people
    in different rows meet only in the round m = (b − b') / (a − a')."""
    add, multiply = _field(order)
    schedule = [
        [
            [row * order + add[column][multiply[slope][row]] for row in range(size)]
            for column in range(order)
        ]
        for slope in range(order)
    ]
    if size == order:  # the affine plane's last parallel class: the rows
        schedule.append([[row * order + column for column in range(order)] for row in range(size)])
    return schedule


def _is_field(order: int) -> bool:
    return order in _POLYNOMIALS or (order > 1 and all(order % d for d in range(2, order)))


@cache
def _field(order: int) -> tuple[list[list[int]], list[list[int]]]:
    """Addition and multiplication tables of GF(order), order a prime, 4 or 8."""
    if order not in _POLYNOMIALS:
        elements = range(order)
        return (
            [[(a + b) % order for b in elements] for a in elements],
            [[(a * b) % order for b in elements] for a in elements],
        )
    modulus = _POLYNOMIALS[order]
    bits = order.bit_length() - 1

    def times(a: int, b: int) -> int:
        product = 0
        for shift in range(bits):
            if b >> shift & 1:
                product ^= a << shift
        for shift in range(2 * bits - 2, bits - 1, -1):
            if product >> shift & 1:
                product ^= modulus << (shift - bits)
        return product

    elements = range(order)
    return [[a ^ b for b in elements] for a in elements], [
        [times(a, b) for b in elements] for a in elements
    ]


# Nine 2-dimensional subspaces of GF(2)^5 meeting only in 0 (a partial line spread of
# PG(4, 2); nine is the most there are), each given by two of its three non-zero vectors.
_SPREAD_32 = ((1, 2), (4, 8), (5, 10), (6, 16), (7, 18), (9, 17), (11, 20), (13, 19), (14, 23))


def _flats_32() -> Schedule:
    """32 people as the vectors of GF(2)^5; round i groups the cosets of the i-th subspace.
    Two people meet when their difference lies in that subspace, so in at most one round."""
    schedule = []
    for a, b in _SPREAD_32:
        cosets = {frozenset({x, x ^ a, x ^ b, x ^ a ^ b}) for x in range(32)}
        schedule.append(sorted(sorted(coset) for coset in cosets))
    return schedule
