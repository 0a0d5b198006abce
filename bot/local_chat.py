"""A terminal chat with the same bot and dialogs, in-process: try Træfbot without Teams or Slack."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
    ResourceResponse,
)

from bot.app import Components, build_components, prepare_database, system_clock
from bot.settings import Settings
from dialogs.card_text import card_buttons, card_lines, plain
from dialogs.dependencies import Clock

CHANNEL_ID = "local"
ATTACH_COMMAND = "/vedhæft"
QUIT_WORDS = frozenset({"farvel", "quit", "exit", "bye", "/q"})
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


class LocalChatAdapter(BotAdapter):
    """Collects what the bot sends instead of posting it to a channel."""

    def __init__(self) -> None:
        super().__init__()
        self.outbox: list[Activity] = []

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        self.outbox.extend(activities)
        return [ResourceResponse(id=str(uuid.uuid4())) for _ in activities]

    async def update_activity(self, context: TurnContext, activity: Activity) -> None:
        self.outbox.append(activity)

    async def delete_activity(self, context: TurnContext, reference: ConversationReference) -> None:
        return None

    async def turn(
        self, activity: Activity, logic: Callable[[TurnContext], Awaitable[None]]
    ) -> list[Activity]:
        self.outbox = []
        await self.run_pipeline(TurnContext(self, activity), logic)
        return self.outbox


def build_local_components(
    settings: Settings, clock: Clock = system_clock, allow_local_files: bool = True
) -> Components:
    """The bot's components around an in-process adapter, for the terminal chat."""
    return build_components(
        settings, LocalChatAdapter(), clock, allow_local_files, use_outbox=False
    )


class LocalChat:
    """One person chatting with the bot; replies come back as printable lines."""

    def __init__(
        self,
        components: Components,
        user_name: str = "Gæst",
        locale: str = "da-DK",
        email: str | None = None,
    ) -> None:
        if not isinstance(components.adapter, LocalChatAdapter):
            raise TypeError("The local chat needs components built by build_local_components.")
        self._components = components
        self._adapter = components.adapter
        properties = {"email": email} if email else None
        self._user = ChannelAccount(id="local-user", name=user_name, properties=properties)
        self._bot_account = ChannelAccount(id="traefbot", name="Træfbot")
        self._conversation = ConversationAccount(id="local-chat")
        self._locale = locale
        self._buttons: list[tuple[str, Any, bool]] = []  # title, value, sent as text?

    async def start(self) -> list[str]:
        """Prepare the database and let the bot greet the user, as when it is added in Teams."""
        await prepare_database(self._components)
        activity = self._activity(ActivityTypes.conversation_update)
        activity.members_added = [self._user]
        return await self._turn(activity)

    async def say(self, text: str) -> list[str]:
        """Send a message; a number presses the button with that number on the last card;
        `/vedhæft FILE [message]` attaches a file (the message defaults to 'importér deltagere')."""
        stripped = text.strip()
        if stripped.startswith(ATTACH_COMMAND):
            return await self._attach(stripped[len(ATTACH_COMMAND) :].strip())
        if stripped.isdigit() and 1 <= int(stripped) <= len(self._buttons):
            title, data, is_text = self._buttons[int(stripped) - 1]
            activity = self._activity(ActivityTypes.message)
            if is_text:
                activity.text = str(data)
            else:
                activity.value = data
            return [f"(du trykkede på »{title}«)", *await self._turn(activity)]
        activity = self._activity(ActivityTypes.message)
        activity.text = text
        return await self._turn(activity)

    async def _attach(self, arguments: str) -> list[str]:
        path_text, _, message = arguments.partition(" ")
        path = Path(path_text).expanduser().resolve()
        if not path.is_file():
            return [f"(filen {path} findes ikke)"]
        activity = self._activity(ActivityTypes.message)
        activity.text = message.strip() or "importér deltagere"
        activity.attachments = [
            Attachment(content_type="text/csv", content_url=path.as_uri(), name=path.name)
        ]
        return await self._turn(activity)

    async def _turn(self, activity: Activity) -> list[str]:
        replies = await self._adapter.turn(activity, self._components.bot.on_turn)
        self._buttons = []  # only the buttons of this turn's replies can be pressed
        lines: list[str] = []
        for reply in replies:
            lines.extend(self._render(reply))
        return lines

    def _render(self, activity: Activity) -> list[str]:
        lines = [plain(activity.text)] if activity.text else []
        if activity.suggested_actions and activity.suggested_actions.actions:
            self._buttons = [(a.title, a.value, True) for a in activity.suggested_actions.actions]
            lines.extend(self._numbered())
        for attachment in activity.attachments or []:
            if attachment.content_type == ADAPTIVE_CARD:
                lines.extend(card_lines(attachment.content))
                self._buttons = [(t, d, False) for t, d in card_buttons(attachment.content)]
                lines.extend(self._numbered())
        return lines

    def _numbered(self) -> list[str]:
        return [f"  [{n}] {title}" for n, (title, _, _) in enumerate(self._buttons, 1)]

    def _activity(self, kind: str) -> Activity:
        return Activity(
            type=kind,
            id=str(uuid.uuid4()),
            channel_id=CHANNEL_ID,
            service_url="local://chat",
            from_property=self._user,
            recipient=self._bot_account,
            conversation=self._conversation,
            locale=self._locale,
            timestamp=datetime.now(UTC),
        )


async def run_terminal_chat(
    components: Components, user_name: str, email: str | None, locale: str
) -> None:
    chat = LocalChat(components, user_name=user_name, locale=locale, email=email)
    print(
        "Træfbot – lokal chat. Skriv 'farvel' for at afslutte; tryk på en knap med dens nummer;\n"
        "vedhæft en fil med '/vedhæft STI [besked]'."
    )
    try:
        _print(await chat.start())
        while True:
            try:
                text = await asyncio.to_thread(input, "\ndig> ")
            except (EOFError, KeyboardInterrupt):
                break
            if text.strip().lower() in QUIT_WORDS:
                break
            if text.strip():
                _print(await chat.say(text))
    finally:
        await components.engine.dispose()
    print("Farvel!")


def _print(lines: list[str]) -> None:
    rows = [row for line in lines for row in line.splitlines() or [""]]
    prefixes = ["træfbot> "] + ["         "] * len(rows)
    print("\n".join((prefix + row).rstrip() for prefix, row in zip(prefixes, rows, strict=False)))
