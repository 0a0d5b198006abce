"""`python -m bot serve | chat | migrate | participants | programme | groups | broadcasts |
feedback | purge | manifest`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from aiohttp import web

from bot import (
    broadcasts_cli,
    feedback_cli,
    groups_cli,
    manifest_cli,
    participants_cli,
    programme_cli,
    purge_cli,
)
from bot.app import create_app
from bot.local_chat import build_local_components, run_terminal_chat
from bot.settings import Settings, SettingsError, load_settings
from storage.migrate import upgrade_database

log = logging.getLogger("traefbot")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Træfbot")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve the bot over HTTP (migrates the database first)")
    chat = commands.add_parser("chat", help="chat with the bot in this terminal")
    chat.add_argument("--name", default="Gæst", help="your name as the channel would show it")
    chat.add_argument("--email", help="your e-mail as the channel would know it")
    chat.add_argument("--english", action="store_true", help="chat as an English-language client")
    commands.add_parser("migrate", help="apply database migrations and exit")
    participants_cli.add_parser(commands)
    programme_cli.add_parser(commands)
    groups_cli.add_parser(commands)
    broadcasts_cli.add_parser(commands)
    feedback_cli.add_parser(commands)
    purge_cli.add_parser(commands)
    manifest_cli.add_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "groups":  # plans ahead from files: needs no settings or database
        return groups_cli.run(args)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    quiet = args.command in (
        "chat",
        "participants",
        "programme",
        "broadcasts",
        "feedback",
        "purge",
        "manifest",
    )
    _configure_logging(settings, quiet=quiet)
    if args.command == "participants":
        return asyncio.run(participants_cli.run(args, settings))
    if args.command == "broadcasts":
        return asyncio.run(broadcasts_cli.run(args, settings))
    if args.command == "feedback":
        return asyncio.run(feedback_cli.run(args, settings))
    if args.command == "purge":
        return asyncio.run(purge_cli.run(args, settings))
    if args.command == "programme":
        return asyncio.run(programme_cli.run(args, settings))
    if args.command == "manifest":
        return manifest_cli.run(args, settings)
    if args.command == "serve":
        log.info("Træfbot listens on http://localhost:%d/api/messages", settings.port)
        web.run_app(create_app(settings), host="0.0.0.0", port=settings.port, print=None)
    elif args.command == "chat":
        components = build_local_components(settings)
        locale = "en-GB" if args.english else "da-DK"
        asyncio.run(run_terminal_chat(components, args.name, args.email, locale))
    else:
        asyncio.run(upgrade_database(settings.database_url))
        print("Database is up to date.")
    return 0


def _configure_logging(settings: Settings, quiet: bool) -> None:
    """Our own INFO lines; libraries only from WARNING unless DEBUG is asked for.

    The terminal chat shows only warnings, so log lines do not interrupt the conversation.
    """
    level = "WARNING" if quiet and settings.log_level == "INFO" else settings.log_level
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    library_level = logging.DEBUG if level == "DEBUG" else logging.WARNING
    for noisy in ("aiohttp.access", "alembic", "msrest", "botframework", "urllib3", "msal"):
        logging.getLogger(noisy).setLevel(library_level)
