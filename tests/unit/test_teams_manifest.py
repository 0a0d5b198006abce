"""`python -m bot manifest`: the Teams app package, checked against Microsoft's own schemas.

The schemas are committed under tests/schemas/teams/ (see its NOTICE.md) and read offline; the
schema is picked by the generated manifest's own manifestVersion.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from jsonschema import Draft4Validator, FormatChecker
from PIL import Image
from referencing import Registry, Resource

from bot import cli
from bot.cli import main
from bot.manifest_cli import ManifestError, filled
from dialogs.intents import Intent, recognise

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas" / "teams"
APP_ID = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
PUBLIC_URL = "https://traefbot.aarhus.dk"
PACKAGE_FILES = {"manifest.json", "en.json", "color.png", "outline.png"}
PERSONAL_COMMANDS = {
    "program": Intent.PROGRAMME,
    "min gruppe": Intent.MY_GROUP,
    "min partner": Intent.MY_PARTNER,
    "feedback": Intent.GIVE_FEEDBACK,
    "tilmeld": Intent.SIGN_UP,
    "hjælp": Intent.HELP,
}
ENGLISH_COMMANDS = {
    "programme": Intent.PROGRAMME,
    "my group": Intent.MY_GROUP,
    "my partner": Intent.MY_PARTNER,
    "feedback": Intent.GIVE_FEEDBACK,
    "sign up": Intent.SIGN_UP,
    "help": Intent.HELP,
}


@pytest.fixture(autouse=True)
def settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A bot registered in Azure with a public https address; no stray .env."""
    for name in ("PORT", "DATABASE_URL", "MICROSOFT_APP_TENANT_ID", "BOT_LANGUAGE", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MICROSOFT_APP_ID", APP_ID)
    monkeypatch.setenv("PUBLIC_URL", PUBLIC_URL + "/")
    monkeypatch.chdir(tmp_path)
    # main() configures the process's logging; keep that out of the rest of the test run.
    monkeypatch.setattr(cli, "_configure_logging", lambda settings, quiet: None)


def build(out: Path, *options: str) -> dict[str, bytes]:
    """Run the command and read the zip back: every file, by name."""
    assert main(["manifest", "--out", str(out), *options]) == 0
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def package(tmp_path: Path) -> dict[str, bytes]:
    return build(tmp_path / "traefbot.zip")


@pytest.fixture
def manifest(package: dict[str, bytes]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(package["manifest.json"])
    return loaded


@pytest.fixture
def english(package: dict[str, bytes]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(package["en.json"])
    return loaded


def _no_network(uri: str) -> Resource:
    raise LookupError(f"the test reads no schema from the network ({uri})")


def schema_errors(document: object, schema_file: Path) -> list[str]:
    """Every way the document breaks the schema: draft-04, formats checked, nothing fetched."""
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    checker = Draft4Validator.FORMAT_CHECKER
    # One pattern, for Office add-in functions, is JavaScript's \p{L}, which Python's re cannot
    # compile; everything else in the schema is checked against the draft-04 meta-schema.
    assert non_python_patterns(schema) <= {r"^[\p{L}][\p{L}0-9._]*$"}
    Draft4Validator.check_schema(
        schema, format_checker=FormatChecker(set(checker.checkers) - {"regex"})
    )
    assert "uri" in checker.checkers  # rfc3986-validator is installed, so URIs are checked
    offline = Registry(retrieve=_no_network)  # type: ignore[call-arg]  # an attrs alias
    validator = Draft4Validator(schema, format_checker=checker, registry=offline)
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
    return [f"{'/'.join(map(str, error.path)) or '(root)'}: {error.message}" for error in errors]


def non_python_patterns(schema: object) -> set[str]:
    """The schema's `pattern`s that Python cannot compile (validating by one would raise)."""
    found: set[str] = set()
    if isinstance(schema, dict):
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
            except re.error:
                found.add(pattern)
        for value in schema.values():
            found |= non_python_patterns(value)
    elif isinstance(schema, list):
        for item in schema:
            found |= non_python_patterns(item)
    return found


def schema_folder(manifest: dict[str, Any]) -> Path:
    return SCHEMAS / f"v{manifest['manifestVersion']}"


def test_the_zip_holds_the_four_files_at_its_root(package: dict[str, bytes]) -> None:
    assert set(package) == PACKAGE_FILES


def test_the_manifest_validates_against_the_official_schema_of_its_version(
    manifest: dict[str, Any],
) -> None:
    version = manifest["manifestVersion"]
    assert tuple(int(part) for part in version.split(".")) >= (1, 19)
    assert manifest["$schema"] == (
        f"https://developer.microsoft.com/json-schemas/teams/v{version}/MicrosoftTeams.schema.json"
    )
    assert schema_errors(manifest, schema_folder(manifest) / "MicrosoftTeams.schema.json") == []


def test_the_english_file_validates_against_the_localisation_schema(
    manifest: dict[str, Any], english: dict[str, Any]
) -> None:
    version = manifest["manifestVersion"]
    assert manifest["localizationInfo"] == {
        "defaultLanguageTag": "da",
        "additionalLanguages": [{"languageTag": "en", "file": "en.json"}],
    }
    assert english["$schema"] == (
        "https://developer.microsoft.com/json-schemas/teams/"
        f"v{version}/MicrosoftTeams.Localization.schema.json"
    )
    schema = schema_folder(manifest) / "MicrosoftTeams.Localization.schema.json"
    assert schema_errors(english, schema) == []


def test_the_validation_catches_a_broken_manifest(manifest: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(manifest))
    broken["id"] = "traefbot"
    broken["bots"][0]["scopes"] = ["everyone"]
    broken["developer"]["privacyUrl"] = "not a url"
    del broken["accentColor"]

    errors = schema_errors(broken, schema_folder(manifest) / "MicrosoftTeams.schema.json")

    assert any(error.startswith("id:") for error in errors)
    assert any(error.startswith("bots/0/scopes/0:") for error in errors)
    assert any(error.startswith("developer/privacyUrl:") for error in errors)
    assert any("'accentColor' is a required property" in error for error in errors)


def test_ids_domain_and_version_come_from_the_settings(
    manifest: dict[str, Any], package: dict[str, bytes]
) -> None:
    assert manifest["id"] == APP_ID
    assert [bot["botId"] for bot in manifest["bots"]] == [APP_ID]
    assert manifest["validDomains"] == ["traefbot.aarhus.dk"]
    assert manifest["version"] == "1.0.0"
    developer = manifest["developer"]
    for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert developer[key] == PUBLIC_URL
    assert b"{{" not in package["manifest.json"]


def test_version_and_policy_addresses_from_the_command_line(tmp_path: Path) -> None:
    package = build(
        tmp_path / "ny.zip",
        "--version",
        "2.10.3",
        "--privacy-url",
        "https://www.aarhus.dk/persondata",
        "--terms-url",
        "https://www.aarhus.dk/vilkaar",
    )
    manifest = json.loads(package["manifest.json"])
    assert manifest["version"] == "2.10.3"
    assert manifest["developer"]["privacyUrl"] == "https://www.aarhus.dk/persondata"
    assert manifest["developer"]["termsOfUseUrl"] == "https://www.aarhus.dk/vilkaar"
    assert schema_errors(manifest, schema_folder(manifest) / "MicrosoftTeams.schema.json") == []


def test_the_bot_talks_in_personal_chats_teams_and_group_chats(manifest: dict[str, Any]) -> None:
    [bot] = manifest["bots"]
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    assert bot["isNotificationOnly"] is False
    assert bot["supportsFiles"] is True  # facilitators attach participant lists
    listed = [scope for commands in bot["commandLists"] for scope in commands["scopes"]]
    assert sorted(listed) == sorted(bot["scopes"])  # one list per scope, none forgotten


def test_the_personal_commands_are_the_six_the_bot_understands(
    manifest: dict[str, Any], english: dict[str, Any]
) -> None:
    personal = manifest["bots"][0]["commandLists"][0]
    assert personal["scopes"] == ["personal"]
    titles = [command["title"] for command in personal["commands"]]
    assert titles == list(PERSONAL_COMMANDS)
    for title, intent in PERSONAL_COMMANDS.items():
        assert recognise(title) == intent, title
    english_titles = [
        english[f"bots[0].commandLists[0].commands[{number}].title"]
        for number in range(len(titles))
    ]
    assert english_titles == list(ENGLISH_COMMANDS)
    for title, intent in ENGLISH_COMMANDS.items():
        assert recognise(title) == intent, title


def test_commands_that_show_phone_numbers_are_not_offered_in_shared_conversations(
    manifest: dict[str, Any],
) -> None:
    shared = manifest["bots"][0]["commandLists"][1]
    assert shared["scopes"] == ["team", "groupChat"]
    titles = [command["title"] for command in shared["commands"]]
    assert set(titles) < set(PERSONAL_COMMANDS)
    assert "min partner" not in titles
    assert "tilmeld" not in titles


def test_every_command_has_a_short_description_in_both_languages(
    manifest: dict[str, Any], english: dict[str, Any]
) -> None:
    expected = set()
    for list_number, commands in enumerate(manifest["bots"][0]["commandLists"]):
        assert len(commands["commands"]) <= 10
        for number, command in enumerate(commands["commands"]):
            assert len(command["title"]) <= 32
            assert 0 < len(command["description"]) <= 128
            key = f"bots[0].commandLists[{list_number}].commands[{number}]"
            expected |= {f"{key}.title", f"{key}.description"}
            assert 0 < len(english[f"{key}.description"]) <= 128
    assert {key for key in english if key.startswith("bots[")} == expected


def test_the_colour_icon_is_192_pixels_square(package: dict[str, bytes]) -> None:
    icon = Image.open(io.BytesIO(package["color.png"]))
    assert icon.format == "PNG"
    assert icon.size == (192, 192)
    colours = np.asarray(icon.convert("RGB")).reshape(-1, 3)
    assert len(np.unique(colours, axis=0)) > 2  # in colour, not blank


def test_the_outline_icon_is_32_pixels_white_on_transparent(package: dict[str, bytes]) -> None:
    icon = Image.open(io.BytesIO(package["outline.png"]))
    assert icon.format == "PNG"
    assert icon.size == (32, 32)
    assert icon.mode == "RGBA"
    pixels = np.asarray(icon).reshape(-1, 4)
    alpha = pixels[:, 3]
    assert (alpha == 0).any()  # a transparent background
    drawn = pixels[alpha > 0]
    assert len(drawn) > 0
    assert (drawn[:, :3] == 255).all()  # every visible pixel white, however transparent


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("MICROSOFT_APP_ID", None, "MICROSOFT_APP_ID mangler"),
        ("MICROSOFT_APP_ID", "traefbot-app", "MICROSOFT_APP_ID »traefbot-app« er ikke et GUID"),
        ("PUBLIC_URL", None, "PUBLIC_URL er http://localhost:3978, som Teams ikke kan nå"),
        ("PUBLIC_URL", "https://localhost:8443", "som Teams ikke kan nå"),
        ("PUBLIC_URL", "http://traefbot.aarhus.dk", "men Teams kræver https"),
    ],
)
def test_settings_teams_cannot_use_are_refused_and_nothing_is_written(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    name: str,
    value: str | None,
    message: str,
) -> None:
    if value is None:
        monkeypatch.delenv(name)
    else:
        monkeypatch.setenv(name, value)
    out = tmp_path / "traefbot.zip"

    assert main(["manifest", "--out", str(out)]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize("version", ["1.0", "v1.0.0", "1.0.0-beta", "01.0.0"])
def test_a_version_that_is_not_x_y_z_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, version: str
) -> None:
    out = tmp_path / "traefbot.zip"
    with pytest.raises(SystemExit) as exit_:
        main(["manifest", "--out", str(out), "--version", version])
    assert exit_.value.code == 2
    assert "er ikke et versionsnummer som 1.0.0" in capsys.readouterr().err
    assert not out.exists()


def test_an_existing_file_is_kept_unless_forced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "traefbot.zip"
    out.write_bytes(b"someone else's file")

    assert main(["manifest", "--out", str(out)]) == 1
    assert "findes allerede; brug --force" in capsys.readouterr().err
    assert out.read_bytes() == b"someone else's file"

    assert set(build(out, "--force")) == PACKAGE_FILES


def test_the_operator_is_told_where_the_package_is_and_what_to_do(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    build(tmp_path / "traefbot.zip")
    printed = capsys.readouterr().out
    assert "er pakket i »" in printed
    assert "traefbot.zip«" in printed
    assert "Upload" in printed
    assert f"{PUBLIC_URL}/api/messages" in printed


def test_the_same_settings_give_the_same_zip(tmp_path: Path) -> None:
    build(tmp_path / "a.zip")
    build(tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_an_unknown_placeholder_in_the_template_is_an_error() -> None:
    assert filled({"a": ["{{X}}-{{Y}}"], "b": 1}, {"X": "x", "Y": "y"}) == {"a": ["x-y"], "b": 1}
    with pytest.raises(ManifestError, match="NOPE"):
        filled({"a": "{{NOPE}}"}, {"X": "x"})
