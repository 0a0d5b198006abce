"""The participant's calendar link, served by the real aiohttp app on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from icalendar import Calendar

from bot.calendar_http import calendar_url
from bot.local_chat import build_local_components
from bot.settings import Settings
from tests.e2e.test_http_app import NOW, serve, settings_for
from traef.calendar import calendar_link_token
from traef.participants import ChannelIdentity, Participant
from traef.services import current_event

LOTTE = ChannelIdentity("msteams", "29:lotte")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path, public_url="https://traefbot.example.dk")


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[TestClient[Any, Any]]:
    client = await serve(settings)
    await client.get("/healthz")  # started: migrated, demo event loaded
    yield client
    await client.close()


async def signed_up_token(settings: Settings) -> str:
    components = build_local_components(settings)
    try:
        event = await current_event(components.uow_factory(), NOW.date())
        assert event.id is not None
        uow = components.uow_factory()
        async with uow:
            await uow.participants.add(
                Participant(
                    event.id, "Lotte Henriksen", "MSO", "Leder", identities=frozenset({LOTTE})
                )
            )
            await uow.commit()
        token = await calendar_link_token(components.uow_factory(), event.id, LOTTE)
    finally:
        await components.engine.dispose()
    assert token is not None
    return token


async def test_the_calendar_link_gives_the_participants_programme(
    bot: TestClient[Any, Any], settings: Settings
) -> None:
    token = await signed_up_token(settings)
    url = calendar_url(settings, token)
    assert url == f"https://traefbot.example.dk/kalender/{token}.ics"

    response = await bot.get(f"/kalender/{token}.ics")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="program.ics"'
    calendar = Calendar.from_ical(await response.read())
    events = calendar.events
    assert len(events) == 9  # the demo programme
    first = events[0]
    assert str(first["SUMMARY"]) == "Opsamling – hvad skete der i går?"
    assert first["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert first.decoded("DTSTART").strftime("%H.%M") == "08.30"
    assert str(first["DESCRIPTION"]) == "v. Helle Bach Lauridsen"

    again = Calendar.from_ical(await (await bot.get(f"/kalender/{token}.ics")).read())
    assert [str(e["UID"]) for e in again.events] == [str(e["UID"]) for e in events]


@pytest.mark.parametrize("path", ["/kalender/1-wrongwrongwrongwrong.ics", "/kalender/x.ics"])
async def test_an_unknown_link_gets_404(bot: TestClient[Any, Any], path: str) -> None:
    response = await bot.get(path)
    assert response.status == 404
    assert await response.json() == {"error": "Unknown calendar link"}


async def test_a_wrong_secret_gets_404(bot: TestClient[Any, Any], settings: Settings) -> None:
    token = await signed_up_token(settings)
    participant_id, secret = token.split("-", 1)
    response = await bot.get(f"/kalender/{participant_id}-{secret[::-1]}x.ics")
    assert response.status == 404
    assert await response.json() == {"error": "Unknown calendar link"}
