"""The local terminal chat: same bot, same dialogs, cards rendered readably as text."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.local_chat import LocalChat, build_local_components
from bot.settings import Settings

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))


@pytest.fixture
async def chat(tmp_path: Path) -> AsyncIterator[LocalChat]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'chat' / 'bot.db'}",
    )
    components = build_local_components(settings, clock=lambda: NOW)
    yield LocalChat(components, user_name="Lotte Henriksen")
    await components.engine.dispose()


async def test_chat_greets_and_shows_the_programme_as_text(chat: LocalChat) -> None:
    welcome = await chat.start()
    assert welcome[0].startswith("Hej Lotte! Jeg er Træfbot")
    assert "  [1] Dagens program" in welcome and "  [6] In English" in welcome

    programme = await chat.say("program")
    assert programme[0] == "DAGENS PROGRAM"
    assert programme[1] == "Fælles om ledelse · søndag den 22. november 2026"
    assert "8.30–8.50     Opsamling – hvad skete der i går? · v. Helle Bach Lauridsen" in programme
    assert "11.40–12.20   ▶ Nu · Frokost" in programme
    assert programme[-2:] == ["  [1] Hvad sker der nu?", "  [2] Hvad er det næste?"]


async def test_numbers_press_the_buttons_of_the_last_card(chat: LocalChat) -> None:
    await chat.start()
    await chat.say("program")
    reply = await chat.say("2")
    assert reply[0] == "(du trykkede på »Hvad er det næste?«)"
    assert reply[1].startswith("Næste punkt er kl. 12.20 (om 20 min.): Arbejdet vedr. aktiv")


async def test_language_switch_and_plain_answers(chat: LocalChat) -> None:
    await chat.start()
    assert await chat.say("english") == ["Fine, I'll write in English from now on."]
    now = await chat.say("what's on now")
    assert now[0].startswith("Now (11:40–12:20): Frokost")
    assert "**" not in "\n".join(now)


async def test_links_on_cards_are_written_out(chat: LocalChat) -> None:
    await chat.start()
    for answer in [
        "tilmeld",
        "Lotte Henriksen",
        "lotte@aarhus.dk",
        "MSO",
        "Nord",
        "Leder",
        "1",
        "spring over",
        "bekræft",
    ]:
        await chat.say(answer)
    reply = await chat.say("kalender")
    [link] = [line for line in reply if line.startswith("Hent kalenderfil: ")]
    assert link.startswith("Hent kalenderfil: http://localhost:3978/kalender/")
    assert link.endswith(".ics")
