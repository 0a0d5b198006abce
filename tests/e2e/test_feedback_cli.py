"""`python -m bot feedback export` and `python -m bot purge` as the operator runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import prepare_database
from bot.local_chat import build_local_components
from bot.settings import Settings
from traef.evaluation_forms import parse_evaluation_form
from traef.feedback import answer_question, open_evaluation
from traef.participants import ChannelIdentity, Participant
from traef.services import current_event

FORM = Path(__file__).resolve().parents[2] / "examples" / "evaluering.yaml"
SECRET = b"test-secret"
SCORES = [5, 4, 4, 3, 5]


def run_bot(url: str, cwd: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DATABASE_URL": url},
    )


@pytest.fixture
async def database(tmp_path: Path) -> tuple[str, str]:
    """A database with five participants who answered part of the evaluation; (url, event)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    components = build_local_components(Settings(_env_file=None, database_url=url))  # type: ignore[call-arg]
    await prepare_database(components)
    event = await current_event(components.uow_factory(), components.clock().date())
    assert event.id is not None
    now = datetime.now(UTC)
    form = await open_evaluation(
        components.uow_factory(),
        event.id,
        "1",
        parse_evaluation_form(FORM.read_text("utf-8")),
        None,
        now,
    )
    assert form.id is not None
    for number, score in enumerate(SCORES, 1):
        uow = components.uow_factory()
        async with uow:
            person = await uow.participants.add(
                Participant(
                    event.id,
                    f"Leder {number}",
                    "MSO",
                    "Leder",
                    identities=frozenset({ChannelIdentity("msteams", f"user-{number}")}),
                )
            )
            await uow.commit()
        assert person.id is not None
        for key, value in (("overall", score), ("best", "workshops"), ("comments", "Fint")):
            await answer_question(
                components.uow_factory(), SECRET, form.id, person.id, key, value, now
            )
    await components.engine.dispose()
    return url, event.name


async def participant_count(url: str) -> tuple[int, int]:
    """(participants, answers) left in the database."""
    components = build_local_components(Settings(_env_file=None, database_url=url))  # type: ignore[call-arg]
    event = await current_event(components.uow_factory(), components.clock().date())
    assert event.id is not None
    uow = components.uow_factory()
    async with uow:
        people = await uow.participants.for_event(event.id)
        forms = await uow.feedback.forms_of(event.id)
        values = [v for form in forms for v in await uow.feedback.values(form.id or 0)]
    await components.engine.dispose()
    return len(people), len(values)


async def test_export_writes_csv_and_charts(database: tuple[str, str], tmp_path: Path) -> None:
    url, _ = database
    target, charts = tmp_path / "resultater.csv", tmp_path / "diagrammer"
    result = run_bot(
        url, tmp_path, "feedback", "export", "--csv", str(target), "--charts", str(charts)
    )
    assert result.returncode == 0, result.stderr
    assert f"Resultaterne er skrevet til {target}." in result.stdout
    assert "2 diagrammer er skrevet til" in result.stdout
    rows = target.read_bytes().decode("utf-8-sig").splitlines()
    assert rows[0] == "Skema;Spørgsmål;Antal;Gennemsnit;Fordeling;Tilbageholdt"
    assert rows[1] == (
        "Evaluering af ledelsestræffet;Hvordan var træffet alt i alt?;5;4,20;3: 1, 4: 2, 5: 2;nej"
    )
    assert rows[2].endswith(";Hvor meget kan du bruge fra i dag i din egen ledelse?;0;;;ja")
    assert rows[3].endswith(";5;;workshops: 5;nej")
    assert len(rows) == 7
    pngs = sorted(charts.glob("*.png"))
    assert len(pngs) == 2 and all(p.read_bytes()[:4] == b"\x89PNG" for p in pngs)

    stdout = run_bot(url, tmp_path, "feedback", "export")
    assert stdout.returncode == 0, stdout.stderr
    assert stdout.stdout.splitlines()[1].startswith("Evaluering af ledelsestræffet;")


async def test_purge_with_yes_keeps_only_the_anonymous_feedback(
    database: tuple[str, str], tmp_path: Path
) -> None:
    url, name = database
    assert await participant_count(url) == (5, 15)
    result = run_bot(url, tmp_path, "purge", "--event", name, "--yes")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"»{name}«: 5 deltagere og 5 konti er slettet.",
        "Den anonyme feedback er bevaret.",
    ]
    assert await participant_count(url) == (0, 15)


async def test_purge_asks_and_a_no_deletes_nothing(
    database: tuple[str, str], tmp_path: Path
) -> None:
    url, name = database
    result = run_bot(url, tmp_path, "purge", "--event", name, stdin="nej\n")
    assert result.returncode == 1
    assert f"Skriv ja for at slette personoplysningerne for »{name}«" in result.stdout
    assert result.stderr.strip() == "Intet er slettet."
    assert await participant_count(url) == (5, 15)

    unknown = run_bot(url, tmp_path, "purge", "--event", "Findes ikke", "--yes")
    assert unknown.returncode == 1
    assert "Der er intet arrangement med navnet »Findes ikke«." in unknown.stderr
