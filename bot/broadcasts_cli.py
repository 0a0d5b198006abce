"""`python -m bot broadcasts report [--broadcast ID] [--csv FILE]`: the delivery report.

Counts per status and who could not be reached, for the newest broadcast of the current event
(or the one named); `--csv` writes one line per recipient for Excel.
"""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path

from bot.app import Components
from bot.cli_output import refused
from bot.operator_session import on_current_event
from bot.settings import Settings
from traef.broadcasts import delivery_csv
from traef.programme import Event


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("broadcasts", help="delivery reports of broadcasts")
    actions = parser.add_subparsers(dest="action", required=True)
    report = actions.add_parser("report", help="counts, who was not reached, and a CSV file")
    report.add_argument("--broadcast", type=int, help="the broadcast's number (default: newest)")
    report.add_argument("--csv", type=Path, help="write one line per recipient to this file")


async def run(args: argparse.Namespace, settings: Settings) -> int:
    return await on_current_event(settings, partial(_report, args))


async def _report(args: argparse.Namespace, components: Components, event: Event) -> int:
    assert event.id is not None
    uow = components.uow_factory()
    async with uow:
        broadcast = (
            await uow.outbox.get_broadcast(args.broadcast)
            if args.broadcast is not None
            else await uow.outbox.latest_broadcast(event.id)
        )
        if broadcast is None or broadcast.id is None:
            return refused("Der er ingen udsendelse med det nummer.")
        report = await uow.outbox.report(broadcast.id)
    print(
        f"Udsendelse {broadcast.id} til {broadcast.audience} "
        f"({broadcast.created_at:%d.%m.%Y %H.%M}): {report.sent} sendt, "
        f"{report.pending} venter, {report.failed} ikke nået, {report.cancelled} stoppet."
    )
    for identity in report.unreached:
        print(f"Ikke nået: {identity.channel} {identity.user_id}")
    if args.csv is not None:
        data = await delivery_csv(components.uow_factory(), broadcast.id, event.id)
        try:
            args.csv.write_bytes(data)
        except OSError as error:
            return refused(f"Filen »{args.csv}« kan ikke skrives: {error.strerror or error}.")
        print(f"Rapporten er skrevet til {args.csv}.")
    return 0
