"""The frame every operator command on the current event runs in: a migrated database, the
event, friendly refusals instead of tracebacks, and the database closed afterwards."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.exc import SQLAlchemyError

from bot.app import Components, prepare_database
from bot.cli_output import refused
from bot.local_chat import build_local_components
from bot.settings import Settings
from traef.errors import NoEventError
from traef.programme import Event
from traef.services import current_event

Work = Callable[[Components, Event], Awaitable[int]]


async def on_current_event(settings: Settings, work: Work) -> int:
    """Run `work` on the current event; its exit code, or 1 with a reason in Danish."""
    components = build_local_components(settings)
    try:
        await prepare_database(components)
        today = components.clock().astimezone(settings.zone).date()
        event = await current_event(components.uow_factory(), today)
        return await work(components, event)
    except NoEventError:
        return refused("Der er ikke oprettet noget arrangement.")
    except SQLAlchemyError as error:
        return refused(f"Databasen kan ikke bruges: {error}")
    finally:
        await components.engine.dispose()
