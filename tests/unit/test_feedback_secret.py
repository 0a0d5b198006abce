from __future__ import annotations

import stat
from pathlib import Path

from pydantic import SecretStr

from bot.feedback_secret import SECRET_FILE, feedback_secret
from bot.settings import Settings


def test_the_configured_secret_is_used(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, feedback_secret=SecretStr("s3cret"))  # type: ignore[call-arg]
    assert feedback_secret(settings, tmp_path) == b"s3cret"
    assert not (tmp_path / SECRET_FILE).exists()


def test_otherwise_one_is_made_once_and_kept_private(tmp_path: Path) -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    first = feedback_secret(settings, tmp_path)
    assert len(first) == 64 and feedback_secret(settings, tmp_path) == first
    mode = (tmp_path / SECRET_FILE).stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
