"""The composition root: builds storage, state, dialogs, the bot and the HTTP app from settings."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from aiohttp import web
from botbuilder.core import BotAdapter
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.activity_body import MAX_BODY_BYTES
from bot.adapter import TraefAdapter
from bot.attachments import AttachmentDownloader
from bot.bot_token import BotTokenProvider
from bot.calendar_http import CALENDAR_ROUTE, calendar_handler, calendar_url
from bot.channel_auth import TokenValidator
from bot.channels import ChannelAdapters
from bot.connector import ChannelConnector
from bot.feedback_secret import feedback_secret
from bot.http import error_middleware, health_handler, messages_handler
from bot.http_client import SharedSession
from bot.outbox_announcer import OutboxAnnouncer
from bot.private_answers import PrivateAnswers
from bot.proactive import ProactiveMessenger, RememberConversations
from bot.profiles import ChannelProfiles, facilitator_check
from bot.settings import Settings
from bot.slack.activities import SLACK
from bot.slack.directory import SlackDirectory
from bot.slack.http import SlackEndpoints
from bot.slack.link import SlackLink, create_slack_link
from bot.slack.turns import BackgroundTurns
from bot.state import QuickConversationState, QuickUserState
from bot.teams_roster import TeamRoster
from bot.teams_welcome import TeamsArrival
from bot.traef_bot import TraefBot
from bot.turn_errors import turn_error_handler
from bot.workers.outbox_sender import OutboxSender
from bot.workers.reminders import ReminderWorker
from dialogs.dependencies import Announcer, Clock, DialogDependencies
from dialogs.i18n import Catalogue
from dialogs.language import LanguagePreference
from dialogs.main_dialog import MainDialog
from storage.bot_storage import SqlStorage
from storage.database import create_engine, create_session_factory
from storage.migrate import upgrade_database
from storage.unit_of_work import SqlUnitOfWork
from traef.participants import ChannelIdentity
from traef.ports import UnitOfWork
from traef.services import ensure_demo_event

log = logging.getLogger("traefbot")

REMINDER_WORKER = web.AppKey("reminder_worker", ReminderWorker)
OUTBOX_SENDER = web.AppKey("outbox_sender", OutboxSender)
TEAM_ROSTER = web.AppKey("team_roster", TeamRoster)
SLACK_TURNS = web.AppKey("slack_turns", BackgroundTurns)


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Components:
    """Everything the bot is made of, for the HTTP app and the local chat alike."""

    settings: Settings
    engine: AsyncEngine
    uow_factory: Callable[[], UnitOfWork]
    channels: ChannelAdapters  # every channel's adapter, for the messages the bot starts
    bot: TraefBot
    catalogue: Catalogue
    language: LanguagePreference
    messenger: ProactiveMessenger
    clock: Clock
    doorbell: Doorbell
    roster: TeamRoster
    attach: Callable[[str, BotAdapter], None]  # another channel's adapter, equipped the same

    @property
    def adapter(self) -> BotAdapter:
        """The Bot Framework's adapter (Teams), or the terminal chat's."""
        return self.channels.default

    async def knows_person(self, channel: str, user_id: str) -> bool:
        """True when the bot keeps a conversation with the person (they have talked to it)."""
        uow = self.uow_factory()
        async with uow:
            return await uow.conversations.get(ChannelIdentity(channel, user_id)) is not None

    async def close(self) -> None:
        """Stop reading team rosters; release the database engine and the adapter's session."""
        await self.roster.close()
        close_adapter = getattr(self.adapter, "close", None)
        if close_adapter is not None:
            await close_adapter()
        await self.engine.dispose()


class Doorbell:
    """Rung when messages are queued in the outbox; the sender listens (set up after it)."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def listen(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def ring(self) -> None:
        for listener in self._listeners:
            listener()


def build_components(
    settings: Settings,
    adapter: BotAdapter,
    clock: Clock = system_clock,
    allow_local_files: bool = False,
    use_outbox: bool = True,
) -> Components:
    """Everything the bot is made of, around the channel adapter it talks through.

    `allow_local_files` only for the terminal chat, where whoever attaches a file sits at this
    machine. With `use_outbox`, announcements and personal messages are queued in the durable
    outbox and delivered by the outbox sender; without (the terminal chat), sent at once.
    """
    engine = create_engine(settings.database_url)
    session_factory = create_session_factory(engine)

    def uow_factory() -> UnitOfWork:
        return SqlUnitOfWork(session_factory)

    storage = SqlStorage(session_factory)
    conversation_state = QuickConversationState(storage)
    user_state = QuickUserState(storage)
    catalogue = Catalogue.default()
    language = LanguagePreference(user_state, catalogue, settings.bot_language)
    profiles = ChannelProfiles()
    channels = ChannelAdapters(adapter)
    messenger = ProactiveMessenger(channels, uow_factory, language, settings.microsoft_app_id)
    doorbell = Doorbell()
    announcer: Announcer = messenger
    if use_outbox:
        announcer = OutboxAnnouncer(
            uow_factory,
            catalogue,
            settings.bot_language,
            clock,
            doorbell.ring,
            lambda: clock().astimezone(settings.zone).date(),
        )
    dependencies = DialogDependencies(
        uow_factory=uow_factory,
        language=language,
        clock=clock,
        zone=settings.zone,
        user_state=user_state,
        profiles=profiles,
        is_facilitator=facilitator_check(settings, profiles),
        attachments=AttachmentDownloader(allow_local_files),
        announcer=announcer,
        calendar_url=partial(calendar_url, settings),
        outbox_wake=doorbell.ring,
        feedback_secret=feedback_secret(settings),
    )
    roster = TeamRoster(uow_factory, lambda: clock().astimezone(settings.zone).date())
    arrival = TeamsArrival(uow_factory, language, clock, roster)
    private = PrivateAnswers(uow_factory, settings.microsoft_app_id)
    bot = TraefBot(
        conversation_state, user_state, MainDialog(dependencies), language, arrival, private
    )
    on_turn_error = turn_error_handler(catalogue, language, settings.bot_language)
    remember = RememberConversations(uow_factory)

    def equip(channel_adapter: BotAdapter) -> None:
        """The error handler and middleware every channel's adapter runs its turns with."""
        channel_adapter.on_turn_error = on_turn_error
        channel_adapter.use(remember)

    def attach(channel: str, channel_adapter: BotAdapter) -> None:
        """The adapter of another channel (Slack): its turns equipped as the default adapter's,
        the messages the bot starts in that channel's conversations sent through it."""
        equip(channel_adapter)
        channels.add(channel, channel_adapter)

    equip(adapter)
    return Components(
        settings,
        engine,
        uow_factory,
        channels,
        bot,
        catalogue,
        language,
        messenger,
        clock,
        doorbell,
        roster,
        attach,
    )


async def prepare_database(components: Components) -> None:
    """Apply migrations; load the demo event when there is no event yet."""
    await upgrade_database(components.settings.database_url)
    demo = await ensure_demo_event(components.uow_factory(), components.clock())
    if demo is not None:
        log.info("No event found: loaded the demo event '%s' on %s.", demo.name, demo.start_date)


@dataclass(frozen=True)
class ChannelLink:
    """How the bot talks to the Bot Framework: the adapter (which owns the HTTP session) and
    the check of incoming tokens."""

    adapter: TraefAdapter
    validator: TokenValidator | None  # None: no app id, requests are not authenticated
    session: SharedSession  # every outgoing call's; the adapter closes it


def create_channel_link(settings: Settings) -> ChannelLink:
    session = SharedSession()
    tokens = BotTokenProvider(
        session,
        settings.microsoft_app_id,
        settings.microsoft_app_password.get_secret_value(),
        settings.microsoft_app_tenant_id,
        token_url=settings.bot_token_url or None,
    )
    adapter = TraefAdapter(
        ChannelConnector(session, tokens), settings.microsoft_app_id, session=session
    )
    validator = None
    if settings.authentication_enabled:
        validator = TokenValidator(
            session, settings.microsoft_app_id, metadata_url=settings.bot_openid_metadata_url
        )
    return ChannelLink(adapter, validator, session)


def create_app(settings: Settings, clock: Clock = system_clock) -> web.Application:
    link = create_channel_link(settings)
    components = build_components(settings, link.adapter, clock)
    reminders = ReminderWorker(components)
    sender = OutboxSender(components)
    components.doorbell.listen(sender.wake)

    async def database_ok() -> bool:
        try:
            async with components.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:
            log.exception("Health check: the database is unreachable")
            return False
        return True

    async def on_startup(app: web.Application) -> None:
        if not settings.authentication_enabled:
            log.warning(
                "MICROSOFT_APP_ID is not set: Bot Framework authentication is OFF "
                "(fine for local development, never in production)."
            )
        await prepare_database(components)
        await reminders.start()
        await sender.start()
        if slack is not None:
            slack_turns.start(find_on_slack(components, slack), "participants on Slack")

    async def on_cleanup(app: web.Application) -> None:
        await slack_turns.close()
        await reminders.stop()
        await sender.stop()
        await components.close()

    app = web.Application(middlewares=[error_middleware], client_max_size=MAX_BODY_BYTES)
    messages = messages_handler(link.adapter, components.bot, link.validator)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", health_handler(database_ok))
    app.router.add_get(
        CALENDAR_ROUTE,
        calendar_handler(components.uow_factory, components.clock, components.catalogue),
    )
    slack_turns = BackgroundTurns()
    slack: SlackLink | None = None
    if settings.slack_enabled:
        slack = mount_slack(app, components, slack_turns, link.session)
    app[SLACK_TURNS] = slack_turns
    app[REMINDER_WORKER] = reminders
    app[OUTBOX_SENDER] = sender
    app[TEAM_ROSTER] = components.roster
    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return app


def mount_slack(
    app: web.Application, components: Components, turns: BackgroundTurns, session: SharedSession
) -> SlackLink:
    """Slack's endpoints, running the same bot through a Slack adapter over `session`."""
    slack = create_slack_link(components.settings, session)
    components.attach(SLACK, slack.adapter)
    endpoints = SlackEndpoints(
        slack.verifier, slack.adapter, components.bot, turns, components.knows_person
    )
    endpoints.register(app)
    return slack


async def find_on_slack(components: Components, slack: SlackLink) -> None:
    """At start-up: the current event's imported participants not yet on Slack looked up by
    e-mail, so broadcasts reach them (an import made with Slack set up did it already)."""
    today = components.clock().astimezone(components.settings.zone).date()
    uow = components.uow_factory()
    async with uow:
        event = await uow.events.current(today)
    if event is None:
        return
    try:
        reach = await SlackDirectory(slack.adapter, components.uow_factory).reach_registrations(
            event
        )
    except Exception:  # the bot serves on; the operator can run `participants slack`
        log.exception("Looking the participants up on Slack failed")
        return
    if reach.searched:
        log.info(
            "Participants on Slack: %d of %d found by e-mail, %d not on Slack, %d failed",
            reach.linked,
            reach.searched,
            reach.not_on_slack,
            reach.failed,
        )
