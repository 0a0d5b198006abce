"""`python -m bot broadcasts report` prints the delivery report and writes it as CSV."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.app import prepare_database
from bot.local_chat import build_local_components
from bot.settings import Settings
from traef.outbox import Broadcast, MessageStatus, OutboxMessage
from traef.participants import ChannelIdentity, Participant
from traef.services import current_event

LOTTE = ChannelIdentity("msteams", "lotte")
GONE = ChannelIdentity("msteams", "gone")


async def test_report_and_csv(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    components = build_local_components(Settings(_env_file=None, database_url=url))  # type: ignore[call-arg]
    await prepare_database(components)
    event = await current_event(components.uow_factory(), components.clock().date())
    assert event.id is not None
    uow = components.uow_factory()
    async with uow:
        await uow.participants.add(
            Participant(event.id, "Lotte Henriksen", "MSO", "Leder", identities=frozenset({LOTTE}))
        )
        broadcast = await uow.outbox.add_broadcast(
            Broadcast(event.id, "Helle", datetime.now(UTC), "alle"),
            [OutboxMessage(LOTTE, {"text": "Hej"}), OutboxMessage(GONE, {"text": "Hej"})],
        )
        await uow.commit()
    async with uow:
        claimed = await uow.outbox.claim("w1", datetime.now(UTC), 10, 60)
        for message in claimed:
            if message.identity == LOTTE:
                await uow.outbox.mark_sent(message.id or 0, "w1", datetime.now(UTC))
            else:
                await uow.outbox.mark_final(
                    message.id or 0, "w1", MessageStatus.UNDELIVERABLE, "HTTP 403"
                )
        await uow.commit()
    await components.engine.dispose()
    assert broadcast.id is not None

    report = tmp_path / "rapport.csv"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "broadcasts", "report", "--csv", str(report)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DATABASE_URL": url},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"Udsendelse {broadcast.id} til alle")
    assert lines[0].endswith("1 sendt, 0 venter, 1 ikke nået, 0 stoppet.")
    assert lines[1] == "Ikke nået: msteams gone"
    rows = report.read_bytes().decode("utf-8-sig").splitlines()
    assert rows[0] == "Navn;Kanal;Bruger;Status;Forsøg;Sendt;Fejl"
    assert rows[1].startswith(";msteams;gone;kan ikke nås;1;;HTTP 403")
    assert rows[2].startswith("Lotte Henriksen;msteams;lotte;sendt;1;")
