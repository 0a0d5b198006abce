"""`python -m bot programme import FILE [--date D] [--json] [--new-event NAME] [--allow-unparsed]`.

FILE is text (.txt, .md, anything else), YAML (.yaml, .yml, .json) or CSV (.csv). `--json` only
shows what was understood and stores nothing. Otherwise the current event's programme is
replaced (or a new event is created with `--new-event`), after migrating the database like
`serve`. Speaks Danish to the operator; exit code 1 when nothing was stored.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.app import prepare_database, system_clock
from bot.cli_output import count, refused, unreadable
from bot.local_chat import build_local_components
from bot.settings import Settings
from traef.errors import NoEventError, TraefError
from traef.programme import Event
from traef.programme_calendar import format_day
from traef.programme_dates import parse_date
from traef.programme_formats import parse_file
from traef.programme_import import ProgrammeRefusedError, import_programme
from traef.programme_parsed import ParsedProgramme, to_json
from traef.programme_problems import ProgrammeProblem
from traef.services import current_event


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("programme", help="import the programme of the current event")
    actions = parser.add_subparsers(dest="action", required=True)
    importing = actions.add_parser(
        "import", help="import a programme from text (.txt/.md), YAML (.yaml/.json) or CSV"
    )
    importing.add_argument("file", type=Path)
    importing.add_argument(
        "--date", help="the date of items before any date line, e.g. 2020-10-27 or '27. oktober'"
    )
    importing.add_argument(
        "--json", action="store_true", help="only print what was understood, as JSON"
    )
    importing.add_argument("--new-event", metavar="NAME", help="create a new event with this name")
    importing.add_argument(
        "--allow-unparsed", action="store_true", help="import even if some lines are not understood"
    )


async def run(args: argparse.Namespace, settings: Settings) -> int:
    today = system_clock().astimezone(settings.zone).date()
    default_date: date | None = None
    if args.date is not None:
        default_date = parse_date(args.date, today.year)
        if default_date is None:
            return refused(
                f"--date »{args.date}« kan ikke læses som en dato – skriv fx 2020-10-27 "
                "eller »27. oktober 2020«."
            )
    try:
        data = args.file.read_bytes()
    except OSError as error:
        return refused(unreadable(args.file, error))
    parsed = parse_file(args.file.name, data, default_date, settings.bot_timezone, today=today)
    if args.json:
        return _show(parsed)
    return await _store(parsed, args, settings)


def _show(parsed: ParsedProgramme) -> int:
    print(json.dumps(to_json(parsed), ensure_ascii=False, indent=2))
    if parsed.file_problems:
        print("\n".join(problem.text("da") for problem in parsed.file_problems), file=sys.stderr)
    return 0 if parsed.items else 1


async def _store(parsed: ParsedProgramme, args: argparse.Namespace, settings: Settings) -> int:
    components = build_local_components(settings)
    try:
        await prepare_database(components)
        event: Event | None = None
        if args.new_event is None:
            today = components.clock().astimezone(settings.zone).date()
            event = await current_event(components.uow_factory(), today)
        stored = await import_programme(
            components.uow_factory(),
            parsed,
            args.new_event,
            event,
            allow_unparsed=args.allow_unparsed,
        )
    except ProgrammeRefusedError as error:
        return refused(*_rejection(error.problems))
    except NoEventError:
        return refused("Der er ikke oprettet noget arrangement – brug --new-event NAVN.")
    except TraefError as error:
        return refused(f"Programmet er ikke importeret – intet er gemt: {error}")
    except SQLAlchemyError as error:
        return refused(f"Databasen kan ikke bruges: {error}")
    finally:
        await components.engine.dispose()
    print(f"Programmet til »{stored.name}«")
    print(_summary(parsed))
    if parsed.unparsed:
        print(f"Sprunget over ({count(len(parsed.unparsed), 'linje', 'linjer')}):")
        print("\n".join(problem.text("da") for problem in parsed.unparsed))
    return 0


def _summary(parsed: ParsedProgramme) -> str:
    days = [
        f"{count(len(day.items), 'punkt', 'punkter')} {format_day(day.date)}" for day in parsed.days
    ]
    listing = days[0] if len(days) == 1 else ", ".join(days[:-1]) + " og " + days[-1]
    return f"Programmet er importeret: {listing}."


def _rejection(problems: tuple[ProgrammeProblem, ...]) -> list[str]:
    lines = ["Programmet er ikke importeret – intet er gemt.", *(p.text("da") for p in problems)]
    if not any(problem.is_about_file for problem in problems):
        lines.append(
            "Ret linjerne og importér igen, eller brug --allow-unparsed for at importere "
            "resten af programmet."
        )
    return lines
