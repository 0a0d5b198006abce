"""The key of the one-way respondent tokens that keep feedback anonymous.

It must not live in the database (whoever reads the database must not be able to recompute a
token from a participant id), so it comes from `FEEDBACK_SECRET`, or else from a file created
once beside the working directory with owner-only permissions.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from bot.settings import Settings

SECRET_FILE = ".traefbot-feedback-secret"


def feedback_secret(settings: Settings, folder: Path | None = None) -> bytes:
    configured = settings.feedback_secret.get_secret_value()
    if configured:
        return configured.encode("utf-8")
    path = (folder or Path.cwd()) / SECRET_FILE
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    value = secrets.token_hex(32).encode("ascii")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(value)
    return value
