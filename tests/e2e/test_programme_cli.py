"""`python -m bot programme import` on a real SQLite file, as an operator runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage.database import create_engine, create_session_factory
from storage.unit_of_work import SqlUnitOfWork
from traef.programme import Event

DATA = Path(__file__).resolve().parents[1] / "data" / "programme"
SEED_004 = DATA / "seed_004_fredag.txt"


class Cli:
    """`python -m bot programme …` in a fresh directory with its own database."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROSOFT_", "BOT_"))}
        self.url = f"sqlite+aiosqlite:///{directory / 'data' / 'bot.db'}"
        self.env["DATABASE_URL"] = self.url

    def __call__(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "bot", "programme", *map(str, args)],
            cwd=self.directory,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "Traceback" not in result.stdout + result.stderr
        return result

    async def event(self, event_id: int) -> Event | None:
        engine = create_engine(self.url)
        try:
            async with SqlUnitOfWork(create_session_factory(engine)) as uow:
                return await uow.events.get(event_id)
        finally:
            await engine.dispose()


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


async def test_seed_004_replaces_the_current_events_programme(cli: Cli) -> None:
    result = cli("import", SEED_004, "--date", "2018-11-09")

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Programmet til »Fælles om ledelse«",  # the demo event, loaded on first use
        "Programmet er importeret: 8 punkter fredag den 9. november 2018.",
    ]
    event = await cli.event(1)
    assert event is not None
    assert (event.start_date.isoformat(), event.end_date.isoformat()) == ("2018-11-09",) * 2
    assert [f"{event.local(item.start):%H.%M}" for item in event.items] == [
        "08.30",
        "08.50",
        "09.45",
        "11.20",
        "11.40",
        "12.20",
        "12.50",
        "14.00",
    ]
    assert event.items[-1].title == "Tak for denne gang"
    assert event.items[-1].end is None


async def test_a_new_event_from_yaml(cli: Cli) -> None:
    result = cli("import", DATA / "fredag.yaml", "--new-event", "Fælles om ledelse 2018")

    assert result.returncode == 0, result.stderr
    assert "Programmet er importeret: 7 punkter fredag den 9. november 2018." in result.stdout
    event = await cli.event(2)
    assert event is not None
    assert (event.name, len(event.items)) == ("Fælles om ledelse 2018", 7)
    assert [len(e.items) for e in [await cli.event(1)] if e is not None] == [9]  # demo untouched


async def test_two_days_from_markdown_and_coaching_sessions_from_csv(cli: Cli) -> None:
    two_days = cli("import", DATA / "two_days.md")
    assert two_days.returncode == 0, two_days.stderr
    assert (
        "Programmet er importeret: 5 punkter torsdag den 8. november 2018 og "
        "3 punkter fredag den 9. november 2018."
    ) in two_days.stdout

    coaching = cli(
        "import", DATA / "coaching.csv", "--date", "2018-11-23", "--new-event", "Coaching"
    )
    assert coaching.returncode == 0, coaching.stderr
    event = await cli.event(2)
    assert event is not None
    assert (event.start_date.isoformat(), event.end_date.isoformat()) == (
        "2018-11-23",
        "2019-01-28",
    )
    assert {item.audience.value for item in event.items} == {"Gruppe 1", "Gruppe 2", "Gruppe 3"}


def test_json_shows_what_was_understood_and_stores_nothing(cli: Cli) -> None:
    result = cli("import", SEED_004, "--date", "fredag den 9. november 2018", "--json")

    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["date"] == "2018-11-09"
    assert len(shown["items"]) == 8
    assert shown["items"][-1] == {
        "start": "14:00",
        "end": None,
        "title": "Tak for denne gang",
        "speakers": [],
        "kind": "plenary",
    }
    assert shown["unparsed"] == []
    assert not (cli.directory / "data" / "bot.db").exists()


def test_json_of_a_text_without_date(cli: Cli) -> None:
    result = cli("import", SEED_004, "--json")

    assert result.returncode == 1
    assert json.loads(result.stdout) == {"date": None, "items": [], "unparsed": []}
    assert "Programmet har ingen dato" in result.stderr


async def test_lines_that_cannot_be_understood_refuse_the_import(cli: Cli) -> None:
    refused = cli("import", DATA / "bad_lines.txt")

    assert refused.returncode == 1
    problems = refused.stderr.splitlines()
    assert problems[0] == "Programmet er ikke importeret – intet er gemt."
    assert [line.split(":")[0] for line in problems[1:4]] == ["Linje 4", "Linje 5", "Linje 6"]
    assert "--allow-unparsed" in problems[-1]
    demo = await cli.event(1)
    assert demo is not None and len(demo.items) == 9  # the demo programme, untouched

    allowed = cli("import", DATA / "bad_lines.txt", "--allow-unparsed")

    assert allowed.returncode == 0, allowed.stderr
    assert "Programmet er importeret: 2 punkter fredag den 9. november 2018." in allowed.stdout
    assert "Sprunget over (3 linjer):" in allowed.stdout
    assert "Linje 4: »Husk navneskilt« er ikke forstået" in allowed.stdout


def test_without_a_date_the_import_is_refused(cli: Cli) -> None:
    result = cli("import", SEED_004, "--allow-unparsed")

    assert result.returncode == 1
    assert "Programmet har ingen dato" in result.stderr
    assert "--date" in result.stderr


def test_a_missing_file_or_a_bad_date_option_is_refused_in_one_line(
    cli: Cli, tmp_path: Path
) -> None:
    missing = cli("import", tmp_path / "findes-ikke.txt", "--date", "2018-11-09")
    assert missing.returncode == 1
    assert missing.stderr.strip() == f"Filen »{tmp_path / 'findes-ikke.txt'}« findes ikke."

    bad_date = cli("import", SEED_004, "--date", "i morgen")
    assert bad_date.returncode == 1
    assert bad_date.stderr.strip().startswith("--date »i morgen« kan ikke læses som en dato")
