"""`python -m bot groups plan --participants FILE.csv --size K --rounds R [--locked FILE.csv]
[--seed S] [--within-units] --out PLAN.json [--csv ROOMS.csv] [--print]` and
`python -m bot groups show PLAN.json --participants FILE.csv [--csv ROOMS.csv]`.

For facilitators who plan ahead: needs no database and no settings. Prints the quality report
(and with --print the groups with names, for pasting into breakout rooms by hand). Speaks
Danish to the operator; exit code 1 when a file was refused.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from bot.cli_output import count, refused
from traef.grouping import Group, GroupingError, QualityReport, assess, plan_rounds
from traef.grouping.files import (
    FileProblem,
    GroupingFileError,
    ListedPerson,
    ProblemCode,
    plan_json,
    read_locked,
    read_people,
    read_plan,
    rooms_csv,
)

_PROBLEMS = {
    ProblemCode.EMPTY_FILE: "Filen er tom.",
    ProblemCode.NOT_TEXT: "Filen er ikke en CSV-fil (gem fra Excel som »CSV UTF-8«).",
    ProblemCode.MISSING_COLUMNS: "Kolonnerne {detail} mangler.",
    ProblemCode.NOBODY: "Der er ingen deltagere på listen.",
    ProblemCode.MISSING_ID: "Id mangler.",
    ProblemCode.DUPLICATE_ID: "Id {detail} står også på en tidligere linje.",
    ProblemCode.MISSING_GROUP: "Gruppen mangler.",
    ProblemCode.UNKNOWN_PERSON: "»{detail}« står ikke på deltagerlisten.",
    ProblemCode.NOT_A_PLAN: "Filen er ikke en gruppeplan: {detail}",
}


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("groups", help="plan breakout groups or phone pairs ahead")
    actions = parser.add_subparsers(dest="action", required=True)
    planning = actions.add_parser("plan", help="plan rounds of groups from a participant CSV")
    planning.add_argument(
        "--participants",
        type=Path,
        required=True,
        metavar="FILE.csv",
        help="columns id, name, unit, level",
    )
    planning.add_argument("--size", type=int, default=4, help="group size; 2 gives phone pairs")
    planning.add_argument("--rounds", type=int, default=1)
    planning.add_argument("--seed", type=int, default=0, help="the same seed gives the same plan")
    planning.add_argument(
        "--within-units",
        action="store_true",
        help="form groups inside each unit instead of across units",
    )
    planning.add_argument("--out", type=Path, required=True, metavar="PLAN.json")
    _add_outputs(planning)
    showing = actions.add_parser("show", help="print a plan with names and its quality")
    showing.add_argument("plan", type=Path, metavar="PLAN.json")
    showing.add_argument("--participants", type=Path, required=True, metavar="FILE.csv")
    _add_outputs(showing)


def _add_outputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--locked",
        type=Path,
        metavar="FILE.csv",
        help="fixed groups to keep together: columns group and id (or name)",
    )
    parser.add_argument(
        "--csv",
        type=Path,
        metavar="ROOMS.csv",
        help="also write one line per person and round, for Excel",
    )
    parser.add_argument("--print", action="store_true", help="also print the groups with names")


def run(args: argparse.Namespace) -> int:
    try:
        people = read_people(_read(args.participants))
        locked = read_locked(_read(args.locked), people) if args.locked else []
        if args.action == "plan":
            rounds = _plan(args, people, locked)
        else:
            rounds = read_plan(_read(args.plan))
            _check_plan(rounds, people)
    except GroupingFileError as error:
        return refused(*(_problem(p) for p in error.problems))
    except (GroupingError, OSError) as error:
        return refused(str(error))
    report = assess(rounds, [person.person for person in people], locked=locked)
    if args.csv is not None:
        _write(args.csv, rooms_csv(rounds, people))
    if args.print:
        print(printable(rounds, people))
    print(quality_text(report))
    return 0


def _plan(
    args: argparse.Namespace, people: list[ListedPerson], locked: list[Group]
) -> list[list[list[str]]]:
    if args.size < 2 or args.rounds < 1:
        raise GroupingError("--size skal være mindst 2 og --rounds mindst 1.")
    plan = plan_rounds(
        [person.person for person in people],
        rounds=args.rounds,
        size=args.size,
        locked=locked,
        within_units=args.within_units,
        seed=args.seed,
    )
    rounds = [[[str(p) for p in group] for group in round_.groups] for round_ in plan.rounds]
    _write(args.out, plan_json(rounds).encode("utf-8"))
    what = "telefonpar" if args.size == 2 else f"grupper á {args.size}"
    print(
        f"{len(people)} deltagere, {count(args.rounds, 'runde', 'runder')} med {what} "
        f"(seed {args.seed}) → {args.out}"
    )
    merged = sorted({unit for round_ in plan.rounds for unit in round_.merged_units})
    if merged:
        print(f"For små til egne grupper, grupperet sammen: {', '.join(merged)}")
    return rounds


def _check_plan(rounds: list[list[list[str]]], people: list[ListedPerson]) -> None:
    known = {person.id for person in people}
    for groups in rounds:
        unknown = sorted({p for group in groups for p in group} - known)
        if unknown:
            raise GroupingFileError([FileProblem(ProblemCode.UNKNOWN_PERSON, None, unknown[0])])


def printable(rounds: Sequence[Sequence[Sequence[str]]], people: Sequence[ListedPerson]) -> str:
    """Each round and group with names, unit and level, as a facilitator pastes them."""
    by_id = {person.id: person for person in people}
    lines = []
    for number, groups in enumerate(rounds, start=1):
        lines.append(f"Runde {number}")
        for group_number, group in enumerate(groups, start=1):
            names = ", ".join(_who(by_id[p]) for p in group)
            lines.append(f"  Gruppe {group_number}: {names}")
        lines.append("")
    return "\n".join(lines)


def _who(person: ListedPerson) -> str:
    details = ", ".join(part for part in (person.unit, person.level) if part)
    return f"{person.name} ({details})" if details else person.name


def quality_text(report: QualityReport) -> str:
    """Same-unit and same-level pairs against their lower bounds, and repeated pairs."""
    lines = [
        "Kvalitet (par i samme gruppe; mindst mulige i parentes; forhold 1,00 er bedst)",
        f"{'Runde':<7}{'grupper':>8}  {'samme enhed':>18}  {'samme niveau':>18}"
        f"  {'gentagne par':>12}",
    ]
    for number, round_ in enumerate(report.rounds, start=1):
        lines.append(
            f"{number:<7}{round_.groups:>8}  "
            f"{_pairs(round_.same_unit, round_.same_unit_bound, round_.unit_ratio):>18}  "
            f"{_pairs(round_.same_level, round_.same_level_bound, round_.level_ratio):>18}  "
            f"{round_.repeats:>12}"
        )
    groups = sum(round_.groups for round_ in report.rounds)
    lines.append(
        f"{'I alt':<7}{groups:>8}  "
        f"{_pairs(report.same_unit, report.same_unit_bound, report.unit_ratio):>18}  "
        f"{_pairs(report.same_level, report.same_level_bound, report.level_ratio):>18}  "
        f"{report.repeats:>12}"
    )
    return "\n".join(lines)


def _pairs(found: int, bound: int, ratio: float) -> str:
    shown = "∞" if ratio == float("inf") else f"{ratio:.2f}".replace(".", ",")
    return f"{found} ({bound}) {shown}"


def _problem(problem: FileProblem) -> str:
    text = _PROBLEMS[problem.code].format(detail=problem.detail)
    return f"Linje {problem.line}: {text}" if problem.line is not None else text


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise GroupingError(f"Filen »{path}« findes ikke.") from None
    except OSError as error:
        raise GroupingError(f"Filen »{path}« kan ikke læses: {error.strerror or error}.") from None


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        raise GroupingError(
            f"Filen »{path}« kan ikke skrives: {error.strerror or error}."
        ) from None


__all__ = ["add_parser", "printable", "quality_text", "run"]
