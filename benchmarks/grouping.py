"""Grouping quality and speed on municipality-like populations, beside a random shuffle.

    .venv/bin/python -m benchmarks.grouping [--sizes 20 200 1000 5000] [--rounds 4] [--seed 1]

Departments of very different sizes (one holds half the people), four levels. For each N, for
groups of 4 and for phone pairs, plans the rounds and prints same-unit and same-level pairs
divided by their lower bounds, repeated pairs, seconds per round and, for 20 arrivals and 20
departures, one at a time, milliseconds and people moved per repair. The random-shuffle baseline is
measured in the same run. Last, 32 people in groups of 4 for 10 rounds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Sequence

from traef.grouping import (
    Person,
    QualityReport,
    assess,
    group_sizes,
    plan_rounds,
    repair,
)

DEPARTMENTS = ("MSO", "MBU", "MSB", "MKB", "MTM", "BA", "Privat")
SHARES = (0.40, 0.25, 0.15, 0.10, 0.06, 0.04)  # of those outside the biggest department
LEVELS = ("Direktør", "Chef", "Leder", "Ledertrainee")
LEVEL_WEIGHTS = (5, 15, 60, 20)


def population(count: int, seed: int) -> list[Person]:
    """Half in MSO, the rest in six departments of falling size; levels as a pyramid."""
    rng = random.Random(seed)
    units = ["MSO"] * (count // 2)
    rest = count - len(units)
    for department, share in zip(DEPARTMENTS[1:], SHARES, strict=True):
        units += [department] * round(rest * share)
    units = (units + ["Privat"] * count)[:count]
    levels = rng.choices(LEVELS, weights=LEVEL_WEIGHTS, k=count)
    return [Person(f"p{n}", units[n], levels[n]) for n in range(count)]


def shuffled_rounds(people: Sequence[Person], size: int, rounds: int, seed: int) -> QualityReport:
    """The baseline: shuffle and cut into groups of the same sizes."""
    rng = random.Random(seed)
    sizes = group_sizes(len(people), size)
    planned = []
    for _ in range(rounds):
        ids = [p.id for p in people]
        rng.shuffle(ids)
        groups, start = [], 0
        for length in sizes:
            groups.append(ids[start : start + length])
            start += length
        planned.append(groups)
    return assess(planned, people)


def repairs(
    people: list[Person], groups: tuple[tuple[object, ...], ...], size: int, seed: int
) -> tuple[float, float, int]:
    """20 arrivals and 20 departures, one at a time, alternating, each repairing the result of
    the one before: mean and max ms, and the most people moved by one repair."""
    rng = random.Random(seed)
    late = [Person(f"late{n}", rng.choice(DEPARTMENTS), rng.choice(LEVELS)) for n in range(20)]
    everyone = {p.id: p for p in [*people, *late]}
    leaving = rng.sample(people, min(20, len(people) - 2))
    times: list[float] = []
    moved = 0
    for number in range(40):
        arrived: list[object] = []
        left: list[object] = []
        if number % 2 == 0 and late:
            arrived.append(late.pop().id)
        elif leaving:
            left.append(leaving.pop().id)
        else:
            continue
        started = time.perf_counter()
        result = repair(groups, everyone, size=size, arrived=arrived, left=left)
        times.append((time.perf_counter() - started) * 1000)
        moved = max(moved, len(result.moved))
        groups = result.groups
    return statistics.mean(times), max(times), moved


def ratio(value: float) -> str:
    return "   inf" if value == float("inf") else f"{value:6.2f}"


def line(label: str, report: QualityReport, seconds: float | None, repair_figures: str) -> str:
    per_round = f"{seconds:8.3f}" if seconds is not None else " " * 8
    return (
        f"{label:<24}{ratio(report.unit_ratio)}  {ratio(report.level_ratio)}  "
        f"{report.repeats:7d}  {per_round}  {repair_figures}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200, 1000, 5000])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(
        f"{'N, groups, method':<24}{'unit':>6}  {'level':>6}  {'repeats':>7}  {'s/round':>8}  "
        "repair ms mean/max, most moved"
    )
    for count in args.sizes:
        people = population(count, args.seed)
        for size in (4, 2):
            kind = "fours" if size == 4 else "pairs"
            started = time.perf_counter()
            plan = plan_rounds(people, rounds=args.rounds, size=size, seed=args.seed)
            per_round = (time.perf_counter() - started) / args.rounds
            mean, most, moved = repairs(people, plan.rounds[0].groups, size, args.seed)
            figures = f"{mean:6.2f} / {most:6.2f} ms, {moved} moved"
            print(line(f"{count:>5} {kind} engine", plan.quality, per_round, figures))
            baseline = shuffled_rounds(people, size, args.rounds, args.seed)
            print(line(f"{count:>5} {kind} shuffle", baseline, None, ""))
    people = population(32, args.seed)
    started = time.perf_counter()
    plan = plan_rounds(people, rounds=10, size=4, seed=args.seed)
    seconds = (time.perf_counter() - started) / 10
    print(line("   32 fours x10 engine", plan.quality, seconds, ""))
    print(line("   32 fours x10 shuffle", shuffled_rounds(people, 4, 10, args.seed), None, ""))


if __name__ == "__main__":
    main()
