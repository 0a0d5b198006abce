"""A facilitator's delay, confirmed over the real endpoint, reaches everyone the bot knows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from tests.e2e.fake_channel import FakeChannel
from tests.e2e.test_http_app import message, serve, settings_for


async def test_a_confirmed_delay_is_announced_to_everyone(
    tmp_path: Path, channel: FakeChannel
) -> None:
    bot: TestClient[Any, Any] = await serve(settings_for(tmp_path, facilitators="helle"))
    try:
        participant = message(channel, "hej", conversation={"id": "conversation-lotte"})
        assert (await bot.post("/api/messages", json=participant)).status == 201
        await channel.wait_for(1)

        facilitator: dict[str, Any] = {
            "from": {"id": "helle", "name": "Helle Bach Lauridsen"},
            "conversation": {"id": "conversation-helle"},
        }
        await bot.post("/api/messages", json=message(channel, "forsink 10 min", **facilitator))
        ((_, preview),) = (await channel.wait_for(2))[1:]
        assert (
            "Forslag 1: Pausen tager forsinkelsen"
            in preview["attachments"][0]["content"]["fallbackText"]
        )
        await bot.post("/api/messages", json=message(channel, "1", **facilitator))

        received = await channel.wait_for(5)
        announced = {
            path.split("/")[3]: body["text"]
            for path, body in received
            if body.get("text", "").startswith("📣")
        }
        assert set(announced) == {"conversation-lotte", "conversation-helle"}
        assert announced["conversation-lotte"].startswith("📣 **Programmet er ændret:**")
        assert "- Pause: 11.00–11.20 → 11.10–11.20" in announced["conversation-lotte"]
        confirmation = [
            body
            for path, body in received
            if body.get("text", "").startswith(
                "Ændringen er gemt, og jeg har sendt den til 2 deltagere."
            )
        ]
        assert confirmation
    finally:
        await bot.close()
