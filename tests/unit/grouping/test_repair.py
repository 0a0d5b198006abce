from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.grouping.test_engine import municipality
from traef.grouping import History, Person, plan_round, repair, replace_partner, size_bounds


def placed(groups: tuple[tuple[object, ...], ...]) -> Counter[object]:
    return Counter(person for group in groups for person in group)


@settings(max_examples=40, deadline=None)
@given(st.integers(6, 60), st.sampled_from([2, 3, 4]), st.integers(0, 100), st.data())
def test_one_arrival_or_departure_moves_few_and_keeps_sizes(
    count: int, size: int, seed: int, data: st.DataObject
) -> None:
    people = municipality(count + 1)
    present, late = people[:count], people[count]
    groups = plan_round(present, size=size, seed=seed).groups
    leaving = data.draw(st.sampled_from([p.id for p in present]))
    low, high = size_bounds(size)

    for result, expected in (
        (repair(groups, people, arrived=[late.id], size=size), {p.id for p in people}),
        (repair(groups, people, left=[leaving], size=size), {p.id for p in present} - {leaving}),
    ):
        assert placed(result.groups) == Counter(expected)
        assert len(result.moved) <= max(1, size - 2)
        assert all(low <= len(g) <= high for g in result.groups) or len(result.groups) == 1
        untouched = [g for n, g in enumerate(result.groups) if n not in result.changed]
        assert all(g in groups for g in untouched)


def test_an_arrival_joins_a_group_with_room_without_moving_anyone() -> None:
    people = [Person(x, unit, "Leder") for x, unit in zip("abcdefgh", "AABBAABB", strict=True)]
    people.append(Person("late", "B", "Chef"))
    groups = (("a", "c", "e", "g"), ("b", "d", "f"))

    result = repair(groups, people, arrived=["late"])

    assert result.moved == frozenset() and result.placed == {"late"}
    assert result.groups[1] == ("b", "d", "f", "late")
    assert result.changed == {1}
    assert result.to_tell == {"b", "d", "f", "late"}


def test_a_group_left_too_small_takes_one_person_from_a_full_group() -> None:
    people = [Person(x) for x in "abcdefghi"]
    groups = (("a", "b", "c"), ("d", "e", "f", "g", "h"), ("i", "x", "y"))
    people += [Person("x"), Person("y")]

    result = repair(groups, people, left=["a"])

    assert len(result.moved) == 1
    (mover,) = result.moved
    assert mover in set("defgh")
    assert sorted(map(len, result.groups)) == [3, 3, 4]


def test_pairs_an_arrival_takes_the_third_of_a_triad() -> None:
    people = [Person(x) for x in "abcdefg"]
    groups = (("a", "b"), ("c", "d", "e"), ("f", "g"))
    result = repair(groups, [*people, Person("z")], arrived=["z"], size=2)

    assert sorted(map(len, result.groups)) == [2, 2, 2, 2]
    assert len(result.moved) == 1 and next(iter(result.moved)) in set("cde")


def test_a_partner_who_does_not_answer_is_replaced_by_someone_waiting() -> None:
    people = [Person(x, "MSO" if x in "ab" else "MBU") for x in "abcdwv"]
    groups = (("a", "b"), ("c", "d"))

    result = replace_partner(groups, people, requester="a", no_show="b", waiting=["w", "v"])

    assert result.dropped == {"b"} and result.moved == frozenset()
    assert set(result.groups[0]) in ({"a", "w"}, {"a", "v"})
    assert result.to_tell == set(result.groups[0])


def test_without_anyone_waiting_a_triad_gives_one_or_the_requester_joins_a_pair() -> None:
    people = [Person(x) for x in "abcdefg"]
    history = History.of([[("a", "c")]])

    from_triad = replace_partner(
        (("a", "b"), ("c", "d", "e"), ("f", "g")),
        people,
        requester="a",
        no_show="b",
        history=history,
    )
    assert sorted(map(len, from_triad.groups)) == [2, 2, 2]
    assert from_triad.moved <= {"d", "e"}  # not c: a and c met before

    joined = replace_partner(
        (("a", "b"), ("c", "d"), ("f", "g")), people, requester="a", no_show="b"
    )
    assert sorted(map(len, joined.groups)) == [2, 3]
    assert joined.moved == {"a"}


def test_a_triad_with_a_no_show_goes_on_as_a_pair() -> None:
    people = [Person(x) for x in "abcde"]
    result = replace_partner((("a", "b", "c"), ("d", "e")), people, requester="a", no_show="b")

    assert result.groups == (("a", "c"), ("d", "e")) and result.moved == frozenset()
