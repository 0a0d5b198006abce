"""`python -m bot participants import FILE.csv [--skip-invalid]`, `… export FILE.csv` and
`… slack`.

Works on the current event, after migrating the database (and loading the demo event when there
is none), like `serve`. Speaks Danish to the operator; exit code 1 when the file was refused.
With Slack set up, an import goes on to find the participants on Slack by e-mail, so broadcasts
reach them; `slack` does only that (for when Slack was set up after the import), and is refused
with exit code 2 when Slack is not set up.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

from bot.app import Components
from bot.cli_output import count, refused, unreadable
from bot.operator_session import on_current_event
from bot.participants_slack import NOT_CONFIGURED, failed_line, reach_lines, reach_on_slack
from bot.settings import Settings
from traef.programme import Event
from traef.roster import RosterProblem
from traef.roster_import import ImportReport, RosterInvalidError, export_roster, import_roster


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "participants", help="import or export the participant list of the current event"
    )
    actions = parser.add_subparsers(dest="action", required=True)
    importing = actions.add_parser(
        "import", help="import a CSV list (Excel: ';' or ',', UTF-8 or Windows-1252)"
    )
    importing.add_argument("file", type=Path)
    importing.add_argument(
        "--skip-invalid", action="store_true", help="import the valid lines, skip the invalid ones"
    )
    exporting = actions.add_parser("export", help="write the list as a CSV file for Excel")
    exporting.add_argument("file", type=Path)
    actions.add_parser(
        "slack", help="find the participants on Slack by e-mail, so broadcasts reach them"
    )


async def run(args: argparse.Namespace, settings: Settings) -> int:
    data = b""
    if args.action == "slack" and not settings.slack_enabled:
        print(NOT_CONFIGURED, file=sys.stderr)
        return 2
    if args.action == "import":
        try:
            data = args.file.read_bytes()
        except OSError as error:
            return refused(unreadable(args.file, error))
    return await on_current_event(settings, partial(_run_on, args, data))


async def _run_on(
    args: argparse.Namespace, data: bytes, components: Components, event: Event
) -> int:
    print(f"Deltagerlisten til »{event.name}« ({event.start_date:%d.%m.%Y})")
    if args.action == "import":
        return await _import(components, event, data, args.skip_invalid)
    if args.action == "slack":
        return await _slack(components, event)
    return await _export(components, event, args.file)


async def _import(components: Components, event: Event, data: bytes, skip_invalid: bool) -> int:
    try:
        report = await import_roster(components.uow_factory(), event, data, skip_invalid)
    except RosterInvalidError as error:
        return refused(*_rejection(error.problems))
    print(_summary(report))
    if report.problems:
        print(f"Sprunget over ({count(report.skipped, 'linje', 'linjer')}):")
        print("\n".join(problem.text("da") for problem in report.problems))
    if components.settings.slack_enabled:
        reach = await reach_on_slack(components, event)
        print("\n".join(reach_lines(reach)) if reach else failed_line(after_import=True))
    return 0


async def _slack(components: Components, event: Event) -> int:
    reach = await reach_on_slack(components, event)
    if reach is None:
        return refused(failed_line(after_import=False))
    if reach.stopped:
        return refused(*reach_lines(reach))
    print("\n".join(reach_lines(reach)))
    return 0


async def _export(components: Components, event: Event, path: Path) -> int:
    data = await export_roster(components.uow_factory(), event)
    try:
        path.write_bytes(data)
    except OSError as error:
        return refused(f"Filen »{path}« kan ikke skrives: {error.strerror or error}.")
    print(f"Eksporteret til {path}.")
    return 0


def _summary(report: ImportReport) -> str:
    added = count(report.added, "ny", "nye")
    updated = count(report.updated, "opdateret", "opdaterede")
    unchanged = count(report.unchanged, "uændret", "uændrede")
    return f"Importeret: {added}, {updated}, {unchanged}."


def _rejection(problems: tuple[RosterProblem, ...]) -> list[str]:
    lines = ["Listen er ikke importeret – intet er gemt.", *(p.text("da") for p in problems)]
    if not any(problem.is_about_file for problem in problems):
        lines.append(
            "Ret linjerne og importér igen, eller brug --skip-invalid for at importere "
            "de gyldige linjer."
        )
    return lines
