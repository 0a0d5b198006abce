"""Hypothesis strategies for populations: skewed units, four levels, some locked groups."""

from __future__ import annotations

from hypothesis import strategies as st

from traef.grouping import Person

LEVELS = ("Direktør", "Chef", "Leder", "Ledertrainee")


@st.composite
def populations(draw: st.DrawFn, least: int = 2, most: int = 40) -> list[Person]:
    count = draw(st.integers(least, most))
    units = draw(st.lists(st.sampled_from("ABCDEF"), min_size=count, max_size=count))
    big = draw(st.integers(0, count // 2))
    levels = draw(st.lists(st.sampled_from(LEVELS), min_size=count, max_size=count))
    return [
        Person(f"p{number}", "A" if number < big else units[number], levels[number])
        for number in range(count)
    ]


@st.composite
def locked_groups(draw: st.DrawFn, people: list[Person]) -> list[tuple[str, ...]]:
    ids = [person.id for person in people]
    shuffled = draw(st.permutations(ids))
    groups = []
    start = 0
    for _ in range(draw(st.integers(0, 3))):
        length = draw(st.integers(1, 5))
        if start + length > len(shuffled) - 2:
            break
        groups.append(tuple(str(p) for p in shuffled[start : start + length]))
        start += length
    return groups
