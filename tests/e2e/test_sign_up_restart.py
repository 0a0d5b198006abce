"""A sign-up half-way through survives a restart of the bot: the dialog state is in SQL."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.local_chat import LocalChat, build_local_components
from bot.settings import Settings
from traef.participants import ChannelIdentity, Status
from traef.registration import registration_of
from traef.services import current_event

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))


async def test_sign_up_continues_after_a_restart(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
    )
    before = build_local_components(settings, clock=lambda: NOW)
    chat = LocalChat(before, user_name="Lotte Henriksen")
    await chat.start()
    await chat.say("tilmeld")
    await chat.say("Lotte Henriksen")
    assert (await chat.say("lotte@aarhus.dk"))[0].startswith("Hvilken magistratsafdeling")
    await before.engine.dispose()  # the process stops here

    after = build_local_components(settings, clock=lambda: NOW)  # and starts again
    chat = LocalChat(after, user_name="Lotte Henriksen")
    assert (await chat.say("MSO"))[0].startswith("Hvilket område eller hvilken enhed")
    for answer in ["Hjemmeplejen Nord", "Leder", "1", "12345678", "ja"]:
        await chat.say(answer)
    reply = await chat.say("bekræft")
    assert reply[0].startswith("Tak, Lotte! Du er nu tilmeldt")

    event = await current_event(after.uow_factory(), NOW.date())
    assert event.id is not None
    participant = await registration_of(
        after.uow_factory(), event.id, ChannelIdentity("local", "local-user")
    )
    assert participant is not None and participant.status is Status.SIGNED_UP
    assert (participant.email, participant.department, participant.phone) == (
        "lotte@aarhus.dk",
        "MSO",
        "+4512345678",
    )
    await after.engine.dispose()
