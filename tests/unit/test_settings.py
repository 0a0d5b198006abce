from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "PORT",
        "DATABASE_URL",
        "MICROSOFT_APP_ID",
        "MICROSOFT_APP_PASSWORD",
        "MICROSOFT_APP_TENANT_ID",
        "BOT_LANGUAGE",
        "BOT_TIMEZONE",
        "FACILITATORS",
        "LOG_LEVEL",
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_API_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.port == 3978
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'traefbot.db'}"
    assert settings.bot_language == "da"
    assert settings.bot_timezone == "Europe/Copenhagen"
    assert settings.log_level == "INFO"
    assert settings.facilitators == frozenset()
    assert not settings.authentication_enabled


def test_environment_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("PORT=8080\nBOT_LANGUAGE=en\n", encoding="utf-8")
    monkeypatch.setenv("FACILITATORS", " Helle@Aarhus.dk, 29:1abc ,,")
    monkeypatch.setenv("MICROSOFT_APP_ID", "app-id")
    monkeypatch.setenv("MICROSOFT_APP_PASSWORD", "s3cret")
    settings = load_settings()
    assert settings.port == 8080 and settings.bot_language == "en"
    assert settings.facilitators == frozenset({"helle@aarhus.dk", "29:1abc"})
    assert settings.is_facilitator(None, "HELLE@aarhus.dk")
    assert not settings.is_facilitator("someone@aarhus.dk")
    assert settings.authentication_enabled


def test_secrets_do_not_show_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROSOFT_APP_PASSWORD", "s3cret-value")
    settings = load_settings()
    assert "s3cret-value" not in repr(settings) and "s3cret-value" not in str(settings)
    assert settings.microsoft_app_password.get_secret_value() == "s3cret-value"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "http"),
        ("PORT", "70000"),
        ("DATABASE_URL", "mysql://root@localhost/x"),
        ("BOT_LANGUAGE", "sv"),
        ("BOT_TIMEZONE", "Europe/Aarhus"),
        ("LOG_LEVEL", "LOUD"),
        ("SLACK_BOT_TOKEN", "xoxp-a-user-token"),
        ("SLACK_API_URL", "ftp://slack.example/api/"),
    ],
)
def test_invalid_values_fail_with_one_line_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as error:
        load_settings()
    message = str(error.value)
    assert message.startswith(f"Invalid setting {name}:")
    assert "\n" not in message


def test_slack_is_off_until_both_its_secrets_are_set(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not load_settings().slack_enabled
    monkeypatch.setenv("SLACK_BOT_TOKEN", " xoxb-1-2-abc ")
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert "SLACK_SIGNING_SECRET" in str(error.value)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "signing-s3cret")
    settings = load_settings()
    assert settings.slack_enabled
    assert settings.slack_bot_token.get_secret_value() == "xoxb-1-2-abc"
    assert settings.slack_api_url == "https://slack.com/api/"
    shown = repr(settings) + str(settings)
    assert "xoxb-1-2-abc" not in shown and "signing-s3cret" not in shown
