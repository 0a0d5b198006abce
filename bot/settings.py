"""All configuration, read once from the environment (and an optional `.env`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Language = Literal["da", "en"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


def default_database_url() -> str:
    """A SQLite file in the working directory."""
    return f"sqlite+aiosqlite:///{Path.cwd() / 'traefbot.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    port: int = Field(default=3978, ge=1, le=65535)
    public_url: str = Field(default="", validate_default=True)  # base of participants' links
    database_url: str = Field(default_factory=default_database_url)
    microsoft_app_id: str = ""
    microsoft_app_password: SecretStr = SecretStr("")
    microsoft_app_tenant_id: str = ""
    # Where the Bot Framework's signing keys are published, and where the bot gets its token;
    # only tests and sovereign clouds change them. Empty token URL: Entra ID for the tenant.
    bot_openid_metadata_url: str = (
        "https://login.botframework.com/v1/.well-known/openidconfiguration"
    )
    bot_token_url: str = ""
    feedback_secret: SecretStr = SecretStr("")  # keys the anonymous respondent tokens
    retention_days: int | None = Field(default=None, ge=0)  # purge events this long after
    bot_language: Language = "da"
    bot_timezone: str = "Europe/Copenhagen"
    facilitators: Annotated[frozenset[str], NoDecode] = frozenset()
    log_level: LogLevel = "INFO"
    # Slack: both empty turns the Slack endpoints off. The API URL changes only in tests.
    slack_bot_token: SecretStr = SecretStr("")
    slack_signing_secret: SecretStr = SecretStr("")
    slack_api_url: str = "https://slack.com/api/"

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "use sqlite+aiosqlite:///path/to/file.db or postgresql+asyncpg://user@host/db"
            )
        return value

    @field_validator("public_url")
    @classmethod
    def _public_base_url(cls, value: str, info: ValidationInfo) -> str:
        """Where participants reach the bot's web links; default http://localhost:{PORT}."""
        url = value.strip().rstrip("/") or f"http://localhost:{info.data.get('port', 3978)}"
        parts = urlsplit(url)
        if (
            parts.scheme not in ("http", "https")
            or not parts.netloc
            or parts.query
            or parts.fragment
        ):
            raise ValueError("use the bot's public base URL, e.g. https://traefbot.aarhus.dk")
        return url

    @field_validator("bot_openid_metadata_url", "bot_token_url", "slack_api_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        value = value.strip()
        if value and urlsplit(value).scheme not in ("http", "https"):
            raise ValueError("use an http(s) URL")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _slack_api_url_set(cls, value: str) -> str:
        if not value:
            raise ValueError("use Slack's Web API URL, https://slack.com/api/")
        return value

    @field_validator("slack_bot_token", "slack_signing_secret", mode="before")
    @classmethod
    def _strip_secret(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr) -> SecretStr:
        token = value.get_secret_value()
        if token and not token.startswith("xoxb-"):
            raise ValueError("use the app's bot token, which starts with xoxb-")
        return value

    @model_validator(mode="after")
    def _slack_complete(self) -> Settings:
        if bool(self.slack_bot_token.get_secret_value()) != bool(
            self.slack_signing_secret.get_secret_value()
        ):
            raise ValueError("set both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, or neither")
        return self

    @field_validator("bot_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r} (e.g. Europe/Copenhagen)") from error
        return value

    @field_validator("bot_language", "log_level", mode="before")
    @classmethod
    def _normalise_case(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("facilitators", mode="before")
    @classmethod
    def _split_facilitators(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(part.strip().lower() for part in value.split(",") if part.strip())
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.bot_timezone)

    @property
    def authentication_enabled(self) -> bool:
        return bool(self.microsoft_app_id)

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token.get_secret_value())

    def is_facilitator(self, *identities: str | None) -> bool:
        return any(i is not None and i.strip().lower() in self.facilitators for i in identities)


class SettingsError(Exception):
    """A setting with an invalid value; the message is one line naming the setting."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise SettingsError(f"Invalid setting {name}: {first['msg']}") from None
