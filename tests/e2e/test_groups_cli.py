"""`python -m bot groups plan | show` on small CSV lists, as a facilitator runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "groups"


def groups(directory: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "groups", *map(str, args)],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


def ids() -> list[str]:
    lines = (DATA / "participants_24.csv").read_text("utf-8").splitlines()[1:]
    return [line.split(",")[0] for line in lines]


def test_plan_writes_the_rounds_and_prints_the_quality(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = groups(
        tmp_path, "plan", "--participants", DATA / "participants_24.csv", "--size", "4",
        "--rounds", "3", "--seed", "5", "--out", out, "--csv", tmp_path / "rum.csv", "--print",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    plan = json.loads(out.read_text("utf-8"))
    assert len(plan["rounds"]) == 3
    for round_ in plan["rounds"]:
        assert Counter(p for group in round_["groups"] for p in group) == Counter(ids())
        assert all(len(group) == 4 for group in round_["groups"])
    assert "Kvalitet" in result.stdout and "I alt" in result.stdout
    assert "Runde 1" in result.stdout and "Gruppe 6:" in result.stdout
    rooms = (tmp_path / "rum.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert rooms[0] == "Runde;Gruppe;Navn;Enhed;Niveau;Id"
    assert len(rooms) == 1 + 3 * 24

    again = groups(
        tmp_path, "plan", "--participants", DATA / "participants_24.csv", "--rounds", "3",
        "--seed", "5", "--out", tmp_path / "again.json",
    )  # fmt: skip
    assert again.returncode == 0
    assert (tmp_path / "again.json").read_text("utf-8") == out.read_text("utf-8")


def test_pairs_and_locked_groups(tmp_path: Path) -> None:
    out = tmp_path / "pairs.json"
    result = groups(
        tmp_path, "plan", "--participants", DATA / "participants_24.csv", "--size", "2",
        "--rounds", "2", "--out", out,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "telefonpar" in result.stdout
    for round_ in json.loads(out.read_text("utf-8"))["rounds"]:
        assert all(len(group) == 2 for group in round_["groups"])

    locked = groups(
        tmp_path, "plan", "--participants", DATA / "participants_24.csv", "--rounds", "2",
        "--locked", DATA / "locked_24.csv", "--out", tmp_path / "locked.json",
    )  # fmt: skip
    assert locked.returncode == 0, locked.stderr
    for round_ in json.loads((tmp_path / "locked.json").read_text("utf-8"))["rounds"]:
        assert ["p01", "p13", "p19", "p22"] in round_["groups"]
        assert ["p02", "p14", "p20"] in round_["groups"]

    shown = groups(
        tmp_path, "show", tmp_path / "locked.json", "--participants",
        DATA / "participants_24.csv", "--locked", DATA / "locked_24.csv",
    )  # fmt: skip
    assert shown.returncode == 0 and "Kvalitet" in shown.stdout


def test_a_bad_list_is_refused_in_danish(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id;navn;enhed\n1;Anne;MSO\n", encoding="utf-8")
    result = groups(tmp_path, "plan", "--participants", bad, "--out", tmp_path / "p.json")

    assert result.returncode == 1
    assert "Linje 1: Kolonnerne level mangler." in result.stderr
    assert not (tmp_path / "p.json").exists()

    missing = groups(tmp_path, "plan", "--participants", tmp_path / "nope.csv", "--out", "p.json")
    assert missing.returncode == 1 and "findes ikke" in missing.stderr
