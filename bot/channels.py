"""The adapter of each channel the bot is on, so a message the bot starts itself (a broadcast,
a reminder, an outbox message) leaves through the channel its conversation belongs to."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import ConversationReference

Logic = Callable[[TurnContext], Awaitable[Any]]


class ChannelAdapters:
    """`default` serves every channel without an adapter of its own (Teams, the local chat)."""

    def __init__(self, default: BotAdapter) -> None:
        self.default = default
        self._by_channel: dict[str, BotAdapter] = {}

    def add(self, channel: str, adapter: BotAdapter) -> None:
        self._by_channel[channel] = adapter

    def adapter_for(self, channel: str | None) -> BotAdapter:
        return self._by_channel.get(channel or "", self.default)

    async def continue_conversation(
        self, reference: ConversationReference, callback: Logic, bot_app_id: str
    ) -> None:
        """A turn of the bot's own in the conversation `reference` names, on its channel."""
        adapter = self.adapter_for(reference.channel_id)
        await adapter.continue_conversation(reference, callback, bot_app_id=bot_app_id)
