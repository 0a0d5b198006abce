"""`python -m bot purge (--event NAME | --all) [--yes]`: delete the personal data of events.

Participants, their accounts, calendar tokens, group plans, broadcasts and feedback tokens go;
the anonymous feedback (forms, answers, post-its) stays. Asks for `ja` on standard input first
unless `--yes` is given; exits 1 when refused.
"""

from __future__ import annotations

import argparse

from sqlalchemy.exc import SQLAlchemyError

from bot.app import prepare_database
from bot.cli_output import count, refused
from bot.local_chat import build_local_components
from bot.settings import Settings
from traef.ports import UnitOfWork
from traef.programme import Event
from traef.purge import purge_event


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("purge", help="delete events' personal data, keep feedback")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--event", help="the event's name")
    which.add_argument("--all", action="store_true", help="every event")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")


async def run(args: argparse.Namespace, settings: Settings) -> int:
    components = build_local_components(settings)
    try:
        await prepare_database(components)
        events = await _events(components.uow_factory())
        if not args.all:
            events = [e for e in events if e.name.casefold() == args.event.casefold()]
            if not events:
                return refused(f"Der er intet arrangement med navnet »{args.event}«.")
        names = ", ".join(f"»{event.name}«" for event in events)
        if not args.yes and not _confirmed(names):
            return refused("Intet er slettet.")
        for event in events:
            assert event.id is not None
            report = await purge_event(
                components.uow_factory(), event.id, all_conversations=args.all
            )
            print(
                f"»{event.name}«: {count(report.participants, 'deltager', 'deltagere')} og "
                f"{count(report.identities, 'konto', 'konti')} er slettet."
            )
        print("Den anonyme feedback er bevaret.")
        return 0
    except SQLAlchemyError as error:
        return refused(f"Databasen kan ikke bruges: {error}")
    finally:
        await components.engine.dispose()


async def _events(uow: UnitOfWork) -> list[Event]:
    """Every event; events are never deleted, so their ids run from 1 to the count."""
    async with uow:
        total = await uow.events.count()
        found = [await uow.events.get(event_id) for event_id in range(1, total + 1)]
    return [event for event in found if event is not None]


def _confirmed(names: str) -> bool:
    try:
        answer = input(f"Skriv ja for at slette personoplysningerne for {names}: ")
    except EOFError:
        return False
    return answer.strip().casefold() == "ja"
