"""`python -m bot participants import | export` on a real SQLite file, as an operator runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


class Cli:
    """`python -m bot participants …` in a fresh directory with its own database."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROSOFT_", "BOT_"))}
        self.env["DATABASE_URL"] = f"sqlite+aiosqlite:///{directory / 'data' / 'bot.db'}"

    def __call__(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "bot", "participants", *map(str, args)],
            cwd=self.directory,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "Traceback" not in result.stdout + result.stderr
        return result

    def exported(self) -> list[str]:
        path = self.directory / "eksport.csv"
        result = self("export", path)
        assert result.returncode == 0, result.stderr
        return path.read_bytes().decode("utf-8-sig").splitlines()


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def test_import_export_and_import_the_export_again(cli: Cli, tmp_path: Path) -> None:
    imported = cli("import", DATA / "roster_excel_da.csv")

    assert imported.returncode == 0, imported.stderr
    assert "»Fælles om ledelse«" in imported.stdout  # the demo event, loaded on first use
    assert "Importeret: 5 nye, 0 opdaterede, 0 uændrede." in imported.stdout

    exported = cli("export", tmp_path / "liste.csv")
    assert exported.returncode == 0, exported.stderr
    assert "Eksporteret til" in exported.stdout
    data = (tmp_path / "liste.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Navn;E-mail;Afdeling;Område;Stilling;Telefon;Deltagertype;Status"
    assert len(lines) == 6
    assert any(
        line.startswith("Søren Østergaard;soren.ostergaard@aarhus.dk;MSO;") for line in lines
    )

    again = cli("import", tmp_path / "liste.csv")
    assert again.returncode == 0, again.stderr
    assert "Importeret: 0 nye, 0 opdaterede, 5 uændrede." in again.stdout


def test_a_file_with_invalid_lines_is_refused_and_nothing_is_stored(cli: Cli) -> None:
    refused = cli("import", DATA / "roster_bad_rows.csv")

    assert refused.returncode == 1
    problems = refused.stderr.splitlines()
    assert problems[0] == "Listen er ikke importeret – intet er gemt."
    assert [line.split(":")[0] for line in problems[1:6]] == [
        "Linje 4",
        "Linje 5",
        "Linje 6",
        "Linje 7",
        "Linje 8",
    ]
    assert "Linje 4: telefonnummeret »12 34« kan ikke bruges" in refused.stderr
    assert "--skip-invalid" in refused.stderr
    assert len(cli.exported()) == 1  # the header alone


def test_skip_invalid_imports_the_good_lines(cli: Cli) -> None:
    result = cli("import", DATA / "roster_bad_rows.csv", "--skip-invalid")

    assert result.returncode == 0, result.stderr
    assert "Importeret: 3 nye, 0 opdaterede, 0 uændrede." in result.stdout
    assert "Sprunget over (5 linjer):" in result.stdout
    assert "Linje 8: e-mailadressen »aase.baek@aarhus.dk« står også på linje 3." in result.stdout
    assert len(cli.exported()) == 4


def test_a_changed_list_updates_and_the_cp1252_file_reads_right(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", DATA / "roster_excel_da.csv").returncode == 0

    result = cli("import", DATA / "roster_cp1252.csv")

    assert result.returncode == 0, result.stderr
    assert "Importeret: 1 ny, 1 opdateret, 0 uændrede." in result.stdout
    lines = cli.exported()
    assert any(line.startswith("Søren Ærø Østergaard;") for line in lines)
    assert any(
        line.startswith("Åse Bæk;aase.baek@aarhus.dk;MSB;Brand & Redning;") for line in lines
    )


def test_a_missing_or_unreadable_file_is_refused_in_one_line(cli: Cli, tmp_path: Path) -> None:
    missing = cli("import", tmp_path / "findes-ikke.csv")
    assert missing.returncode == 1
    assert missing.stderr.strip() == f"Filen »{tmp_path / 'findes-ikke.csv'}« findes ikke."

    workbook = tmp_path / "liste.xlsx"
    workbook.write_bytes(b"PK\x03\x04\x14\x00\x06\x00 not a csv")
    not_csv = cli("import", workbook, "--skip-invalid")
    assert not_csv.returncode == 1
    assert "Filen er ikke en CSV-fil." in not_csv.stderr
    assert "--skip-invalid" not in not_csv.stderr  # skipping lines would not help

    unwritable = cli("export", tmp_path / "ingen-mappe" / "liste.csv")
    assert unwritable.returncode == 1
    assert "kan ikke skrives" in unwritable.stderr
